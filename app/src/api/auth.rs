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
    pub capabilities: Vec<String>,
    /// Whether the portal runs against the built-in simulator.
    pub demo: bool,
}

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
#[server(endpoint = "auth/me")]
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
    let capabilities = portal
        .capabilities(&actor)
        .into_iter()
        .filter_map(|op| {
            serde_json::to_value(op)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
        })
        .collect();
    Ok(Some(CurrentUser {
        username: actor.principal.username,
        role: actor.principal.role,
        tenant: actor.principal.tenant.map(|tenant| tenant.name),
        capabilities,
        demo: portal.demo,
    }))
}

/// Signs in with a username and password, then goes to `next` (a local path).
#[server(endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::context;
    use bff::accounts::LoginError;
    let portal = context::portal()?;
    let session = context::session().await?;
    let Some(client) = context::client_addr().await else {
        return Err(AppError::Internal("the client address is unknown".into()).with_status());
    };
    let auth = bff::accounts::authenticate(
        &portal.db,
        &portal.throttle,
        &username,
        &password,
        client.ip(),
    )
    .await
    .map_err(|error| {
        tracing::info!(user = %username.trim(), client = %client.ip(), %error, "sign-in refused");
        match error {
            LoginError::Throttled(_) => AppError::Throttled(error.to_string()),
            LoginError::InvalidCredentials | LoginError::Disabled => AppError::Invalid {
                message: error.to_string(),
                fields: [("__all__".to_string(), vec![error.to_string()])].into(),
            },
            LoginError::Unavailable(_) => AppError::Internal(error.to_string()),
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

/// Signs out: the session ends on the server.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::context;
    let session = context::session().await?;
    bff::sessions::log_out(&session).await.map_err(|error| {
        tracing::error!(%error, "cannot end a session");
        AppError::Internal("the session could not be ended; try again".into()).with_status()
    })?;
    leptos_axum::redirect("/login");
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
