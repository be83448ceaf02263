//! The directory as the login's [`PasswordSource`].

use super::{Directory, LdapError};
use crate::identity::{ExternalIdentity, PasswordSource, SourceRefusal};
use async_trait::async_trait;

#[async_trait]
impl PasswordSource for Directory {
    async fn verify(
        &self,
        username: &str,
        password: &str,
    ) -> Result<ExternalIdentity, SourceRefusal> {
        self.authenticate(username, password)
            .await
            .map_err(|error| match error {
                LdapError::InvalidCredentials => SourceRefusal::InvalidCredentials,
                other => SourceRefusal::Unavailable(other.reason().to_string()),
            })
    }

    async fn ping(&self) -> Result<(), String> {
        self.check()
            .await
            .map_err(|error| error.reason().to_string())
    }
}
