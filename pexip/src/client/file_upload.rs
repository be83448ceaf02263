//! Files onto configuration objects: a multipart PATCH of an object's file field (an IVR theme's
//! `package`), as the node takes them. A POST ignores files, so an object is created first and
//! its file PATCHed afterwards (the guide's "Uploading a service theme").

use reqwest::Method;

use super::Client;
use super::error::ClientError;
use super::path::{Api, ObjectId, check_name, detail_path};
use super::transport::{Body, Request};
use super::upload::UploadForm;

impl Client {
    /// PATCHes object `id` of `resource` with `form` (`multipart/form-data`: its file parts
    /// name the object's file fields; a file on disk is streamed, never read whole). Never
    /// retried, like every mutation.
    pub async fn patch_multipart(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
        form: UploadForm,
    ) -> Result<(), ClientError> {
        check_name(resource)?;
        let request = Request {
            method: Method::PATCH,
            path: detail_path(api, resource, id),
            query: String::new(),
            body: Body::Multipart(form),
            download: false,
        };
        self.send(request, false).await.map(drop)
    }
}
