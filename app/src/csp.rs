//! The Content-Security-Policy of the portal, shared by the page renderer (which adds the
//! per-request script nonce) and the server's header middleware (every other response).

/// Where a sign-out form's redirect may lead besides this site (the OpenID providers' logout
/// origins, `bff::identity::IdentitySources::sign_out_origins`): worked out once at start-up
/// and provided by the server to every page render.
#[derive(Debug, Clone, Default)]
pub struct SignOutOrigins(pub std::sync::Arc<[String]>);

/// The policy. `nonce` allows the one inline hydration script of a rendered page;
/// `reload_origin` (watch mode only) lets the live-reload socket connect; `sign_out_origins`
/// are where a sign-out form's redirect may lead besides this site (the OpenID providers'
/// logout, see `bff::identity::IdentitySources::sign_out_origins`).
pub fn policy(
    nonce: Option<&str>,
    reload_origin: Option<&str>,
    sign_out_origins: &[String],
) -> String {
    let script = match nonce {
        Some(nonce) => format!("script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_string(),
    };
    let connect = match reload_origin {
        Some(origin) => format!("connect-src 'self' {origin}"),
        None => "connect-src 'self'".to_string(),
    };
    let form_action = std::iter::once("form-action 'self'")
        .chain(sign_out_origins.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    [
        "default-src 'self'",
        &script,
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        &connect,
        "object-src 'none'",
        "base-uri 'none'",
        &form_action,
        "frame-ancestors 'none'",
    ]
    .join("; ")
}

/// Sets the policy, with this render's nonce, on the page being rendered.
#[cfg(feature = "ssr")]
pub fn apply_to_page(options: &leptos::config::LeptosOptions) {
    use leptos::prelude::use_context;

    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce();
    let reload = std::env::var("LEPTOS_WATCH")
        .is_ok()
        .then(|| format!("ws://{}:{}", options.site_addr.ip(), options.reload_port));
    let sign_out = use_context::<SignOutOrigins>().unwrap_or_default();
    let value = policy(nonce.as_deref(), reload.as_deref(), &sign_out.0);
    if let Ok(value) = http::HeaderValue::from_str(&value) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn strict_without_nonce() {
        let p = policy(None, None, &[]);
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(!p.contains("nonce-"));
        assert!(p.contains("form-action 'self';"));
    }

    #[test]
    fn nonce_and_reload_origin_are_added() {
        let p = policy(Some("abc"), Some("ws://127.0.0.1:3001"), &[]);
        assert!(p.contains("'nonce-abc'"));
        assert!(p.contains("connect-src 'self' ws://127.0.0.1:3001"));
    }

    #[test]
    fn a_sign_out_may_continue_to_the_providers() {
        let origins = [
            "https://sso.example.com".to_string(),
            "http://127.0.0.1:3102".to_string(),
        ];
        let p = policy(None, None, &origins);
        assert!(
            p.contains("form-action 'self' https://sso.example.com http://127.0.0.1:3102;"),
            "{p}"
        );
    }
}
