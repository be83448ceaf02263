//! Single sign-on with OpenID Connect providers: `GET /auth/oidc/<id>/start?next=…` sends the
//! browser to the provider, `GET /auth/oidc/<id>/callback` completes the sign-in (the flow and
//! every check are in `bff::identity::oidc`), makes or refreshes the person's account through
//! the role mapping, and starts the portal session.
//!
//! The session cookie is `SameSite=Strict`, so a browser arriving from the provider's site does
//! not send it, and would not send it on a redirect that is part of that cross-site navigation
//! either: the callback therefore answers a small page that moves on to `next` itself (a
//! same-site navigation, which carries the new session cookie). The browser binding of the
//! pending sign-in travels in its own short-lived `SameSite=Lax` cookie.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use bff::accounts::ExternalSignInError;
use bff::identity::oidc::{self, CallbackParams, OidcError, PENDING_LOGIN_TTL_SECS};
use bff::portal::Portal;
use bff::sessions::SsoSignIn;
use serde::Deserialize;
use tower_sessions::Session;

/// The cookie binding a pending sign-in to the browser that started it.
const BINDING_COOKIE: &str = "portal_oidc";
/// Its path: only the callbacks receive it.
const BINDING_PATH: &str = "/auth/oidc/";

#[derive(Clone)]
struct Sso {
    portal: Portal,
    /// The portal's address as browsers and providers see it, without a trailing `/`.
    public_url: String,
    secure_cookie: bool,
}

/// The routes, for a portal whose public address is `public_url`.
pub fn router(portal: Portal, public_url: &str, secure_cookie: bool) -> Router {
    let state = Sso {
        portal,
        public_url: public_url.trim_end_matches('/').to_string(),
        secure_cookie,
    };
    Router::new()
        .route("/auth/oidc/{provider}/start", get(start))
        .route("/auth/oidc/{provider}/callback", get(callback))
        .with_state(state)
}

/// The callback address registered at the provider.
pub fn redirect_uri(public_url: &str, provider: &str) -> String {
    format!(
        "{}/auth/oidc/{provider}/callback",
        public_url.trim_end_matches('/')
    )
}

#[derive(Deserialize)]
struct StartQuery {
    #[serde(default)]
    next: Option<String>,
}

async fn start(
    State(sso): State<Sso>,
    Path(provider_id): Path<String>,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(provider) = sso.portal.identity.provider(&provider_id) else {
        tracing::info!(provider = %provider_id.chars().take(64).collect::<String>(),
            "single sign-on start for an unknown provider");
        return back_to_login("unknown");
    };
    let next = query.next.as_deref().unwrap_or("/");
    let redirect = redirect_uri(&sso.public_url, provider.id());
    match oidc::begin(&sso.portal.db, provider, &redirect, next).await {
        Ok(started) => {
            let cookie = binding_cookie(
                &started.binding_token,
                PENDING_LOGIN_TTL_SECS,
                sso.secure_cookie,
            );
            let mut response = see_other(&started.authorization_url);
            response.headers_mut().append(header::SET_COOKIE, cookie);
            response
        }
        Err(error) => {
            tracing::warn!(provider = %provider.id(), %error, "single sign-on could not start");
            back_to_login(error_code(&error))
        }
    }
}

async fn callback(
    State(sso): State<Sso>,
    Path(provider_id): Path<String>,
    Query(params): Query<CallbackParams>,
    headers: HeaderMap,
    session: Session,
) -> Response {
    let portal = &sso.portal;
    let providers = &portal.identity.providers;
    let Some(provider) = portal.identity.provider(&provider_id) else {
        return with_binding_cleared(back_to_login("unknown"), sso.secure_cookie);
    };
    let (code, state) = match params.code_and_state(provider) {
        Ok(pair) => pair,
        Err(error) => {
            portal.metrics.sign_in_failure(provider.id());
            return with_binding_cleared(back_to_login(error_code(&error)), sso.secure_cookie);
        }
    };
    let binding = cookie_value(&headers, BINDING_COOKIE);
    let redirect = redirect_uri(&sso.public_url, provider.id());
    let signed_in = match oidc::finish(
        &portal.db,
        providers,
        provider.id(),
        code,
        state,
        binding.as_deref(),
        &redirect,
    )
    .await
    {
        Ok(signed_in) => signed_in,
        Err(error) => {
            portal.metrics.sign_in_failure(provider.id());
            return with_binding_cleared(back_to_login(error_code(&error)), sso.secure_cookie);
        }
    };
    let auth = match bff::accounts::sign_in_external(
        &portal.db,
        &signed_in.identity,
        &portal.identity.mapping,
    )
    .await
    {
        Ok(auth) => auth,
        Err(error) => {
            let code = match &error {
                ExternalSignInError::Disabled => "disabled",
                ExternalSignInError::Refused(_) | ExternalSignInError::Misconfigured(_) => {
                    "refused"
                }
                ExternalSignInError::Db(_) => "unavailable",
            };
            tracing::info!(provider = %provider.id(), %error, "single sign-on refused");
            portal.metrics.sign_in_failure(provider.id());
            return with_binding_cleared(back_to_login(code), sso.secure_cookie);
        }
    };
    let started = async {
        bff::sessions::log_in(&session, &auth).await?;
        bff::sessions::remember_sso(
            &session,
            SsoSignIn {
                provider: provider.id().to_string(),
                id_token: signed_in.id_token.clone(),
            },
        )
        .await
    }
    .await;
    if let Err(error) = started {
        tracing::error!(%error, "cannot start a session after single sign-on");
        return with_binding_cleared(back_to_login("unavailable"), sso.secure_cookie);
    }
    tracing::info!(user = %auth.account.username, role = %auth.account.role,
        provider = %provider.id(), "signed in with single sign-on");
    with_binding_cleared(continue_page(&signed_in.next), sso.secure_cookie)
}

/// The login page's `sso_error` code for an OpenID refusal (fixed texts on the page).
fn error_code(error: &OidcError) -> &'static str {
    match error {
        OidcError::StaleLogin | OidcError::WrongBrowser => "expired",
        OidcError::Unreachable { .. } => "unavailable",
        OidcError::UnknownProvider => "unknown",
        _ => "provider",
    }
}

fn back_to_login(code: &str) -> Response {
    see_other(&format!("/login?sso_error={code}"))
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "invalid redirect").into_response(),
    }
}

/// A page that goes on to `next` on its own (and offers a link for browsers that do not).
fn continue_page(next: &str) -> Response {
    let next = escape_html(&oidc::local_next(next));
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={next}\">\
         <title>Signed in</title></head><body>\
         <p>Signed in. <a href=\"{next}\">Continue to the portal</a>.</p></body></html>"
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#39;")
}

fn binding_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{BINDING_COOKIE}={value}; Path={BINDING_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("portal_oidc=; Max-Age=0"))
}

fn with_binding_cleared(mut response: Response, secure: bool) -> Response {
    response
        .headers_mut()
        .append(header::SET_COOKIE, binding_cookie("", 0, secure));
    response
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_continue_page_stays_on_this_site_and_escapes() {
        let page = continue_page("/rooms?a=1&b=\"x\"");
        assert_eq!(page.status(), StatusCode::OK);
        let page = continue_page("https://evil.example/");
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(
            escape_html("/r?a=1&b=\"<x>\""),
            "/r?a=1&amp;b=&quot;&lt;x&gt;&quot;"
        );
    }

    #[test]
    fn the_binding_cookie_is_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; portal_oidc=tok"),
        );
        assert_eq!(
            cookie_value(&headers, BINDING_COOKIE).as_deref(),
            Some("tok")
        );
        let cookie = binding_cookie("tok", 600, true);
        let text = cookie.to_str().unwrap();
        assert!(
            text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Secure")
        );
        assert!(text.contains("Path=/auth/oidc/"));
    }
}
