//! Signing in and out, and who is signed in.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person, as the UI needs to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub username: String,
    pub role: bff::Role,
    /// The tenant's name, for tenant admins.
    pub tenant: Option<String>,
    /// What the policy lets this person do (`rooms_list`, `call_control`...): for the UI to
    /// offer only what works. The server still decides every request.
    /// Besides the policy's operations: [`PLATFORM_STATUS`].
    pub capabilities: Vec<String>,
    /// Whether the portal runs against the built-in simulator.
    pub demo: bool,
}

/// The capability of watching the platform's status (the live feed's platform part).
pub const PLATFORM_STATUS: &str = "platform_status";

impl CurrentUser {
    pub fn can(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }
}

/// Where to go after signing in: a local path only (no `//host`, no scheme), else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Who is signed in, if anyone.
#[server(endpoint = "auth/me", output = crate::api::JsonText)]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    use super::context;
    let portal = context::portal()?;
    let actor = match context::actor(&portal).await {
        Ok(actor) => actor,
        Err(AppError::NotSignedIn) => {
            // Not signed in is an answer here, not an error.
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::OK);
            }
            return Ok(None);
        }
        Err(error) => return Err(error),
    };
    let mut capabilities: Vec<String> = portal
        .capabilities(&actor)
        .into_iter()
        .filter_map(|op| {
            serde_json::to_value(op)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
        })
        .collect();
    // The platform's status comes with the live feed, for viewers whose rights include it.
    if portal
        .live_viewer(&actor)
        .is_ok_and(|viewer| viewer.rights.platform)
    {
        capabilities.push(PLATFORM_STATUS.to_string());
    }
    Ok(Some(CurrentUser {
        username: actor.principal.username,
        role: actor.principal.role,
        tenant: actor.principal.tenant.map(|tenant| tenant.name),
        capabilities,
        demo: portal.demo,
    }))
}

/// A single sign-on provider, as the login page offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoProvider {
    /// Used in `/auth/oidc/<id>/start`.
    pub id: String,
    /// "Sign in with <name>".
    pub name: String,
}

/// A demo person the login page lists in demo mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSignIn {
    pub username: String,
    pub role: bff::Role,
    pub description: String,
}

/// How people can sign in here: what the login page offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInChoices {
    /// The directory's name when usernames and passwords are also checked against it.
    pub directory: Option<String>,
    pub providers: Vec<SsoProvider>,
    /// Demo mode only: the sample people and their shared password.
    pub demo_people: Vec<DemoSignIn>,
    pub demo_password: Option<String>,
}

/// The ways to sign in (anyone may ask: the login page needs them).
#[server(endpoint = "auth/options", output = crate::api::JsonText)]
pub async fn sign_in_options() -> Result<SignInChoices, AppError> {
    let portal = super::context::portal()?;
    let identity = &portal.identity;
    let demo = portal.demo && !identity.demo_people.is_empty();
    Ok(SignInChoices {
        directory: identity.directory.as_ref().map(|d| d.name.clone()),
        providers: identity
            .providers
            .iter()
            .map(|p| SsoProvider {
                id: p.id().to_string(),
                name: p.name().to_string(),
            })
            .collect(),
        demo_people: if demo {
            identity
                .demo_people
                .iter()
                .map(|person| DemoSignIn {
                    username: person.username.clone(),
                    role: person.role,
                    description: person.description.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        demo_password: demo.then(|| bff::accounts::DEMO_PASSWORD.to_string()),
    })
}

/// Why a single sign-on attempt came back to the login page (`/login?sso_error=<code>`): fixed
/// texts, so the address cannot put words on the page.
pub fn sso_error_message(code: &str) -> &'static str {
    match code {
        "refused" => {
            "Your account may not use this portal, or has no verified email address. Ask your \
             administrator."
        }
        "disabled" => "This account is disabled.",
        "provider" => "The sign-in provider refused or could not complete the sign-in. Try again.",
        "unavailable" => "The sign-in provider cannot be reached right now. Try again later.",
        "expired" => "The sign-in took too long or was started in another browser. Try again.",
        _ => "Signing in did not work. Try again.",
    }
}

/// Signs in with a username and password, then goes to `next` (a local path).
#[server(endpoint = "auth/login", output = crate::api::JsonText)]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let outcome = sign_in(username, password, next.clone()).await;
    // Before the wasm, the login page's form posts here: success and refusal alike go back as
    // 303 (to `next`, or to the login page with the reason).
    if let Err(error) = &outcome {
        refused_form_post(next.as_deref(), error);
    }
    super::form_post::see_other();
    outcome
}

/// A browser's refused plain form post goes back to the login page (keeping `next`) with the
/// reason in the address (`__path`/`__err`, which the page's `ServerAction` reads). Not left to
/// server_fn, which goes back to the `Referer`: the portal sends `Referrer-Policy: no-referrer`,
/// so browsers send none and the reason would be lost.
#[cfg(feature = "ssr")]
fn refused_form_post(next: Option<&str>, error: &AppError) {
    use leptos::server_fn::ServerFn;
    use leptos::server_fn::error::ServerFnUrlError;
    if !super::form_post::from_plain_form() {
        return;
    }
    let back = format!(
        "/login?next={}",
        crate::pages::rooms::query::encode(&safe_next(next))
    );
    let base = format!("http://portal.invalid{back}");
    let place = match ServerFnUrlError::new(Login::PATH, error.clone()).to_url(&base) {
        Ok(url) => format!("{}?{}", url.path(), url.query().unwrap_or_default()),
        Err(_) => back,
    };
    leptos_axum::redirect(&place);
}

#[cfg(feature = "ssr")]
async fn sign_in(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::context;
    use bff::accounts::LoginError;
    let portal = context::portal()?;
    let session = context::session().await?;
    let Some(client) = context::client_addr().await else {
        return Err(AppError::Internal("the client address is unknown".into()).with_status());
    };
    let auth = bff::accounts::authenticate_with(
        &portal.db,
        &portal.throttle,
        &portal.metrics,
        portal.identity.directory_login(),
        &username,
        &password,
        client.ip(),
    )
    .await
    .map_err(|error| {
        tracing::info!(user = %username.trim(), client = %client.ip(), %error, "sign-in refused");
        match error {
            LoginError::Throttled(_) => AppError::Throttled(error.to_string()),
            LoginError::InvalidCredentials | LoginError::Disabled | LoginError::Refused(_) => {
                AppError::Invalid {
                    message: error.to_string(),
                    fields: [("__all__".to_string(), vec![error.to_string()])].into(),
                }
            }
            // The directory or the accounts database is down: a gateway error, not the portal's.
            LoginError::Unavailable(_) => AppError::Unavailable(error.to_string()),
        }
        .with_status()
    })?;
    bff::sessions::log_in(&session, &auth)
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot start a session");
            AppError::Internal("the session could not be started; try again".into()).with_status()
        })?;
    tracing::info!(user = %auth.account.username, role = %auth.account.role, client = %client.ip(), "signed in");
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Signs out: the session ends on the server. A session made through an OpenID provider that
/// offers RP-initiated logout then goes on to sign out there too, and comes back to the login
/// page.
#[server(endpoint = "auth/logout", output = crate::api::JsonText)]
pub async fn logout() -> Result<(), AppError> {
    use super::context;
    let portal = context::portal()?;
    let session = context::session().await?;
    let sso = bff::sessions::sso_sign_in(&session).await.ok().flatten();
    bff::sessions::log_out(&session).await.map_err(|error| {
        tracing::error!(%error, "cannot end a session");
        AppError::Internal("the session could not be ended; try again".into()).with_status()
    })?;
    let provider_logout = match sso {
        Some(sso) => match portal.identity.provider(&sso.provider) {
            Some(provider) => {
                let back = format!("{}/login", portal.identity.public_url);
                bff::identity::oidc::end_session_url(provider, Some(&sso.id_token), Some(&back))
                    .await
            }
            None => None,
        },
        None => None,
    };
    leptos_axum::redirect(provider_logout.as_deref().unwrap_or("/login"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_local_path() {
        assert_eq!(safe_next(Some("/rooms?x=1")), "/rooms?x=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
