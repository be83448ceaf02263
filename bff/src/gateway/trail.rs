//! Reading the audit trail: admins see everything, tenant admins their tenant's changes.

use super::BffError;
use crate::audit::{self, AuditEvent, AuditFilter};
use crate::policy::{Operation, Scope};
use crate::portal::{Actor, Portal};

impl Portal {
    /// A page of audit events matching `filter`, newest first, and the total count.
    pub async fn audit_list(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditEvent>, i64), BffError> {
        let mut filter = filter.clone();
        match self.scope(actor, Operation::AuditView)? {
            Scope::All => {}
            Scope::Tenant { tag, .. } => filter.tenant = Some(tag),
            Scope::Owner { .. } => return Err(BffError::Forbidden),
        }
        Ok(audit::list(&self.db, &filter).await?)
    }
}
