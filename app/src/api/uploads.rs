//! The configuration browser's file uploads: their size limits (a server function), and the
//! upload itself. Files go up with `XMLHttpRequest` so the page can show the upload's progress
//! (fetch cannot report it) to the plain routes `POST /api/config/upload` and
//! `POST /api/certificates/import`; the answer is an error in the server functions' JSON shape,
//! or success (204, or JSON).

use super::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// How large an uploaded file may be, in bytes (`uploads.max_file_bytes`, and the smaller cap
/// of a certificate bundle). The server provides it to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLimits {
    pub max_file_bytes: u64,
    pub max_bundle_bytes: u64,
}

/// The upload limits (admins: whoever may change the configuration).
#[server(endpoint = "config/upload-limits", input = Json, output = crate::api::JsonText)]
pub async fn upload_limits() -> Result<FileLimits, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    portal.scope(&actor, bff::policy::Operation::PlatformWrite)?;
    use_context::<FileLimits>()
        .ok_or_else(|| AppError::Internal("the upload limits are missing".into()).with_status())
}

/// `bytes` for people: "64 MiB", "1 MiB", "512 KiB", else bytes.
pub fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Sends `texts` and the file chosen in `input` (as part `file_part`) to `url` as
/// `multipart/form-data`; `progress` follows the upload (a fraction, `None` once it ended) and
/// `done` gets the answer's body or the error. `Err` when the upload could not start (no file
/// chosen, or no browser: the server rendering).
#[cfg(not(feature = "hydrate"))]
pub fn send(
    _url: &str,
    _texts: &[(&str, String)],
    _file_part: &str,
    _input: &leptos::web_sys::HtmlInputElement,
    _progress: RwSignal<Option<f64>>,
    _done: Callback<Result<String, AppError>>,
) -> Result<(), String> {
    Err("the browser could not start the upload".into())
}

#[cfg(feature = "hydrate")]
pub fn send(
    url: &str,
    texts: &[(&str, String)],
    file_part: &str,
    input: &web_sys::HtmlInputElement,
    progress: RwSignal<Option<f64>>,
    done: Callback<Result<String, AppError>>,
) -> Result<(), String> {
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or_else(|| "choose a file".to_string())?;
    let failed = |_| "the browser could not start the upload".to_string();
    let data = web_sys::FormData::new().map_err(failed)?;
    for (name, value) in texts {
        data.append_with_str(name, value).map_err(failed)?;
    }
    data.append_with_blob_and_filename(file_part, &file, &file.name())
        .map_err(failed)?;
    let request = web_sys::XmlHttpRequest::new().map_err(failed)?;
    request.open_with_async("POST", url, true).map_err(failed)?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress.set(Some(event.loaded() / event.total()));
            }
        });
    request
        .upload()
        .map_err(failed)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let answered = request.clone();
    let on_end = Closure::once_into_js(move |_: web_sys::Event| {
        drop(on_progress);
        let status = answered.status().unwrap_or(0);
        let body = answered.response_text().ok().flatten().unwrap_or_default();
        let result = match status {
            200..=299 => Ok(body),
            0 => Err(AppError::Request("the upload was interrupted".into())),
            _ => Err(serde_json::from_str::<AppError>(&body)
                .unwrap_or_else(|_| AppError::Request(format!("the server answered {status}")))),
        };
        progress.set(None);
        done.run(result);
    });
    request.set_onloadend(Some(on_end.unchecked_ref()));
    progress.set(Some(0.0));
    request
        .send_with_opt_form_data(Some(&data))
        .map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(64 * 1024 * 1024), "64 MiB");
        assert_eq!(size_text(512 * 1024), "512 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
