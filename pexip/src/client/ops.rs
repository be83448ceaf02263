//! The typed operations: discovery, schemas, lists, details, create/patch/put/delete, bulk
//! patch, commands, uploads and downloads. Every path is built from a checked resource name and
//! id under `/api/admin/`.

use std::sync::Arc;

use indexmap::IndexMap;
use reqwest::Method;
use reqwest::header::LOCATION;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Client;
use super::error::ClientError;
use super::path::{Api, ObjectId, ObjectRef, check_name, detail_path, list_path};
use super::transport::{Answer, Body, Request};
use super::upload::UploadForm;
use crate::list::ListResponse;
use crate::query::Query;
use crate::schema::Schema;

/// One entry of a schema root: where a resource's list and schema are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceEndpoint {
    pub list_endpoint: String,
    pub schema: String,
}

impl Client {
    /// The resources of `api`, from its schema root (`/api/admin/{api}/v1/`), in the node's
    /// order. Entries whose name is not a valid resource name are skipped.
    pub async fn discover(
        &self,
        api: Api,
    ) -> Result<IndexMap<String, ResourceEndpoint>, ClientError> {
        let answer = self.send(Request::get(api.root()), true).await?;
        let all: IndexMap<String, Value> = parse_json(&answer.body)?;
        Ok(all
            .into_iter()
            .filter(|(name, _)| check_name(name).is_ok())
            .filter_map(|(name, entry)| {
                serde_json::from_value::<ResourceEndpoint>(entry)
                    .ok()
                    .map(|e| (name, e))
            })
            .collect())
    }

    /// Whether the node answers with these credentials (one GET of the status root, no
    /// retries): for readiness checks.
    pub async fn ping(&self) -> Result<(), ClientError> {
        self.send(Request::get(Api::Status.root()), false)
            .await
            .map(drop)
    }

    /// The schema of `resource`, from the cache while it is fresh. Callers that miss the cache
    /// at the same time make one request: the first fetches, the others wait for its answer
    /// (and try themselves if it failed).
    pub async fn schema(&self, api: Api, resource: &str) -> Result<Arc<Schema>, ClientError> {
        check_name(resource)?;
        if let Some(schema) = self.inner.schemas.get(api, resource) {
            return Ok(schema);
        }
        let turn = self.inner.schemas.fetch_turn(api, resource);
        let answer = {
            let _fetching = turn.lock().await;
            match self.inner.schemas.get(api, resource) {
                Some(schema) => Ok(schema),
                // The fetch serves every caller waiting for its turn, a person's page among them:
                // never held back behind background work.
                None => self.foreground().refresh_schema(api, resource).await,
            }
        };
        self.inner.schemas.end_turn(api, resource, turn);
        answer
    }

    /// The schema of `resource` if the cache holds a fresh one (never asks the node).
    pub fn cached_schema(&self, api: Api, resource: &str) -> Option<Arc<Schema>> {
        self.inner.schemas.get(api, resource)
    }

    /// Fetches the schema of `resource` again and caches it.
    pub async fn refresh_schema(
        &self,
        api: Api,
        resource: &str,
    ) -> Result<Arc<Schema>, ClientError> {
        check_name(resource)?;
        let path = format!("{}schema/", list_path(api, resource));
        let answer = self.send(Request::get(path), true).await?;
        let schema: Arc<Schema> = Arc::new(parse_json(&answer.body)?);
        self.inner.schemas.put(api, resource, schema.clone());
        Ok(schema)
    }

    /// Drops the cached schema of `resource`.
    pub fn invalidate_schema(&self, api: Api, resource: &str) {
        self.inner.schemas.invalidate(api, resource);
    }

    /// Drops every cached schema (after an upgrade of the node, say).
    pub fn invalidate_schemas(&self) {
        self.inner.schemas.clear();
    }

    /// A page of `resource` matching `query`. Filter and ordering names are checked for shape
    /// here; check them against the schema with [`Query::validate`].
    pub async fn list(
        &self,
        api: Api,
        resource: &str,
        query: &Query,
    ) -> Result<ListResponse<Value>, ClientError> {
        self.list_as(api, resource, query).await
    }

    /// [`Client::list`] with the objects read as `T`: `Box<serde_json::value::RawValue>` keeps
    /// each object as the node wrote it (checked to be JSON, not built into a tree), for a page
    /// that is passed on unchanged.
    pub async fn list_as<T: serde::de::DeserializeOwned>(
        &self,
        api: Api,
        resource: &str,
        query: &Query,
    ) -> Result<ListResponse<T>, ClientError> {
        check_name(resource)?;
        query
            .check_names()
            .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        let mut request = Request::get(list_path(api, resource));
        request.query = query.to_query_string();
        let answer = self.send(request, true).await?;
        parse_json(&answer.body)
    }

    /// A page of the `child` list of one object, such as the media streams of a participant
    /// (`status/v1/participant/{id}/media_stream/`).
    pub async fn list_nested(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
        child: &str,
        query: &Query,
    ) -> Result<ListResponse<Value>, ClientError> {
        check_name(resource)?;
        check_name(child)?;
        query
            .check_names()
            .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        let mut request = Request::get(format!("{}{child}/", detail_path(api, resource, id)));
        request.query = query.to_query_string();
        let answer = self.send(request, true).await?;
        parse_json(&answer.body)
    }

    /// A single object under an object, e.g. `status/v1/worker_vm/<id>/statistics/` (an object,
    /// or the first of a list envelope's `objects`; 404: [`ClientError::NotFound`]).
    pub async fn get_nested(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
        child: &str,
    ) -> Result<Value, ClientError> {
        check_name(resource)?;
        check_name(child)?;
        let request = Request::get(format!("{}{child}/", detail_path(api, resource, id)));
        let answer = self.send(request, true).await?;
        let value: Value = parse_json(&answer.body)?;
        let object = match value.get("objects").and_then(Value::as_array) {
            Some(objects) => objects.first().cloned().unwrap_or(Value::Null),
            None => value,
        };
        if object.is_object() {
            Ok(object)
        } else {
            Err(ClientError::InvalidResponse(
                "an object was expected".into(),
            ))
        }
    }

    /// One object (404: [`ClientError::NotFound`]).
    pub async fn get(&self, api: Api, resource: &str, id: &ObjectId) -> Result<Value, ClientError> {
        check_name(resource)?;
        let answer = self
            .send(Request::get(detail_path(api, resource, id)), true)
            .await?;
        let value: Value = parse_json(&answer.body)?;
        if value.is_object() {
            Ok(value)
        } else {
            Err(ClientError::InvalidResponse(
                "an object was expected".into(),
            ))
        }
    }

    /// The raw bytes of one object (a system backup file).
    pub async fn download(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
    ) -> Result<Vec<u8>, ClientError> {
        check_name(resource)?;
        let answer = self
            .send(Request::download(detail_path(api, resource, id)), true)
            .await?;
        Ok(answer.body)
    }

    /// Creates an object (POST on the list); returns the new object from `Location`.
    pub async fn create(
        &self,
        api: Api,
        resource: &str,
        fields: &Value,
    ) -> Result<ObjectRef, ClientError> {
        check_name(resource)?;
        let answer = self
            .mutate(Method::POST, list_path(api, resource), json_object(fields)?)
            .await?;
        created(&answer)
    }

    /// Changes the fields present in `fields` (explicit nulls clear values).
    pub async fn patch(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
        fields: &Value,
    ) -> Result<(), ClientError> {
        check_name(resource)?;
        self.mutate(
            Method::PATCH,
            detail_path(api, resource, id),
            json_object(fields)?,
        )
        .await
        .map(drop)
    }

    /// Replaces an object (PUT detail).
    pub async fn put(
        &self,
        api: Api,
        resource: &str,
        id: &ObjectId,
        fields: &Value,
    ) -> Result<(), ClientError> {
        check_name(resource)?;
        self.mutate(
            Method::PUT,
            detail_path(api, resource, id),
            json_object(fields)?,
        )
        .await
        .map(drop)
    }

    /// Deletes one object.
    pub async fn delete(&self, api: Api, resource: &str, id: &ObjectId) -> Result<(), ClientError> {
        check_name(resource)?;
        let request = Request {
            method: Method::DELETE,
            path: detail_path(api, resource, id),
            query: String::new(),
            body: Body::None,
            download: false,
        };
        self.send(request, false).await.map(drop)
    }

    /// PATCH on the list: `{"objects": [...], "deleted_objects": [...]}` (all or nothing).
    pub async fn bulk_patch(
        &self,
        api: Api,
        resource: &str,
        body: &Value,
    ) -> Result<(), ClientError> {
        check_name(resource)?;
        if !body.get("objects").is_some_and(Value::is_array) {
            return Err(ClientError::InvalidInput(
                "a bulk change needs an \"objects\" list".into(),
            ));
        }
        self.mutate(Method::PATCH, list_path(api, resource), json_object(body)?)
            .await
            .map(drop)
    }

    /// POSTs a command (`/api/admin/command/v1/{category}/{name}/`) with a JSON body; returns
    /// the answer's JSON (`{"status": "success", "data": ...}`), or null for an empty body.
    pub async fn command(
        &self,
        category: &str,
        name: &str,
        body: &Value,
    ) -> Result<Value, ClientError> {
        let path = command_path(category, name)?;
        let answer = self.mutate(Method::POST, path, json_object(body)?).await?;
        parse_json_or_null(&answer.body)
    }

    /// POSTs a command as `multipart/form-data` (a backup restore: `package` and
    /// `passphrase`).
    pub async fn command_multipart(
        &self,
        category: &str,
        name: &str,
        form: UploadForm,
    ) -> Result<Value, ClientError> {
        let request = Request {
            method: Method::POST,
            path: command_path(category, name)?,
            query: String::new(),
            body: Body::Multipart(form),
            download: false,
        };
        let answer = self.send(request, false).await?;
        parse_json_or_null(&answer.body)
    }

    async fn mutate(
        &self,
        method: Method,
        path: String,
        body: Vec<u8>,
    ) -> Result<Answer, ClientError> {
        let request = Request {
            method,
            path,
            query: String::new(),
            body: Body::Json(body),
            download: false,
        };
        self.send(request, false).await
    }
}

/// The object a 201 names in `Location` (absolute or server-relative).
fn created(answer: &Answer) -> Result<ObjectRef, ClientError> {
    located(answer, "the new object")
}

/// The object an answer's `Location` names (absolute or server-relative); `what` names it in
/// the errors ("the new object", "the licence request").
pub(super) fn located(answer: &Answer, what: &str) -> Result<ObjectRef, ClientError> {
    let location = answer
        .headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ClientError::InvalidResponse(format!("no Location for {what}")))?;
    // An absolute Location may name the node by another host name than the configured
    // URL: only its path is read (it is never requested).
    let path = if location.starts_with('/') {
        location.to_owned()
    } else {
        reqwest::Url::parse(location)
            .map(|url| url.path().to_owned())
            .map_err(|_| ClientError::InvalidResponse(format!("{what}'s Location is not a URL")))?
    };
    ObjectRef::parse_uri(&path).map_err(|_| {
        ClientError::InvalidResponse(format!("{what}'s Location is not a resource URI"))
    })
}

/// `/api/admin/command/v1/{category}/{name}/`.
fn command_path(category: &str, name: &str) -> Result<String, ClientError> {
    check_name(category)?;
    check_name(name)?;
    Ok(format!("{}{category}/{name}/", Api::Command.root()))
}

/// The bytes of a JSON object body (anything else is refused before sending).
fn json_object(value: &Value) -> Result<Vec<u8>, ClientError> {
    if !value.is_object() {
        return Err(ClientError::InvalidInput(
            "the body must be a JSON object".into(),
        ));
    }
    serde_json::to_vec(value).map_err(|e| ClientError::InvalidInput(e.to_string()))
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ClientError> {
    serde_json::from_slice(body)
        .map_err(|e| ClientError::InvalidResponse(format!("malformed JSON ({e})")))
}

fn parse_json_or_null(body: &[u8]) -> Result<Value, ClientError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Null)
    } else {
        parse_json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn answer(location: Option<&str>) -> Answer {
        let mut headers = HeaderMap::new();
        if let Some(l) = location {
            headers.insert(LOCATION, l.parse().unwrap());
        }
        Answer {
            headers,
            body: Vec::new(),
        }
    }

    #[test]
    fn location_absolute_or_relative() {
        let expected = ObjectRef::parse_uri("/api/admin/configuration/v1/conference/7/").unwrap();
        for location in [
            "/api/admin/configuration/v1/conference/7/",
            "https://pexip-mgr.example.com/api/admin/configuration/v1/conference/7/",
            "https://10.0.0.1:8443/api/admin/configuration/v1/conference/7",
        ] {
            assert_eq!(
                created(&answer(Some(location))).unwrap(),
                expected,
                "{location}"
            );
        }
        for bad in [
            None,
            Some("conference/7/"),
            Some("/elsewhere/7/"),
            Some("https://x/api/admin/configuration/v1/conference/"),
        ] {
            assert!(
                matches!(created(&answer(bad)), Err(ClientError::InvalidResponse(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn bodies_must_be_objects_and_empty_answers_are_null() {
        assert!(json_object(&serde_json::json!([1])).is_err());
        assert_eq!(
            json_object(&serde_json::json!({"a": null})).unwrap(),
            br#"{"a":null}"#
        );
        assert_eq!(parse_json_or_null(b" \n").unwrap(), Value::Null);
        assert!(matches!(
            parse_json_or_null(b"{"),
            Err(ClientError::InvalidResponse(_))
        ));
    }
}
