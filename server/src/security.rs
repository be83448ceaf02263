//! Security headers on every response. Pages rendered by Leptos set their own
//! Content-Security-Policy (with the script nonce, see `app::csp`); every other response gets the
//! same policy without a nonce.

use axum::Router;
use http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// `sign_out_origins`: the OpenID providers' logout origins (the policy's `form-action`).
pub fn headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    sign_out_origins: &[String],
) -> Router<S> {
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    let csp = HeaderValue::from_str(&app::csp::policy(None, None, sign_out_origins))
        .expect("the policy is a valid header value");
    let router = router.layer(SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        csp,
    ));
    fixed.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ))
    })
}
