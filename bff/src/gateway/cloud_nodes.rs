//! Dynamic bursting: starting a cloud overflow Conferencing Node by hand (command
//! `platform/start_cloudnode`, admins only). The nodes and their states come with the platform
//! status of the live feed.

use super::BffError;
use super::error::NON_FIELD;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use serde_json::{Value, json};

/// The longest instance id accepted (cloud providers' ids are far shorter).
const MAX_INSTANCE_ID: usize = 128;

/// The instance id as sent to the node, or why it cannot be one: provider ids (`i-0abc…`,
/// Azure and GCP names) are letters, digits, `-`, `_` and `.`.
fn checked_instance_id(given: &str) -> Result<&str, BffError> {
    let id = given.trim();
    if id.is_empty() {
        return Err(BffError::field("instance_id", "Choose a cloud node."));
    }
    if id.len() > MAX_INSTANCE_ID
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(BffError::field(
            "instance_id",
            "This is not a cloud node's instance id.",
        ));
    }
    Ok(id)
}

/// The node's answer as a result: `{"status": "failed", "error": …}` (the node is not stopped)
/// comes with a 200 and is a refusal all the same.
fn started(answer: &Value) -> Result<(), BffError> {
    if answer.get("status").and_then(Value::as_str) == Some("failed") {
        let reason = answer
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("The node did not start the cloud node.");
        return Err(BffError::field(NON_FIELD, reason));
    }
    Ok(())
}

impl Portal {
    /// Starts the stopped cloud overflow node `instance_id` (its `aws_instance_id` or the
    /// provider's id, as the `cloud_node` status lists it).
    pub async fn start_cloud_node(&self, actor: &Actor, instance_id: &str) -> Result<(), BffError> {
        self.scope(actor, Operation::PlatformWrite)?;
        let id = checked_instance_id(instance_id)?;
        let body = json!({ "instance_id": id });
        let changes = json!({ "command": { "before": null, "after": body } });
        let outcome = self
            .pexip
            .command("platform", "start_cloudnode", &body)
            .await
            .map_err(BffError::from)
            .and_then(|answer| started(&answer));
        self.audit(
            actor,
            "platform.start_cloudnode",
            Some(format!("/api/admin/status/v1/cloud_node/{id}/")),
            changes,
            None,
            outcome,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_are_checked_before_the_node_is_asked() {
        assert_eq!(checked_instance_id(" i-0a1b2c3d ").unwrap(), "i-0a1b2c3d");
        assert_eq!(
            checked_instance_id("overflow-node_1.west").unwrap(),
            "overflow-node_1.west"
        );
        for bad in ["", "  ", "i-1/../../x", "a b", &"x".repeat(129)] {
            assert!(
                matches!(checked_instance_id(bad), Err(BffError::Invalid(ref f)) if f.contains_key("instance_id")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_failed_status_is_a_refusal() {
        assert!(started(&json!({ "status": "success" })).is_ok());
        assert!(started(&Value::Null).is_ok());
        let refused = started(&json!({
            "status": "failed",
            "error": "Unable to start a cloud node which isn't in 'STOPPED' state"
        }))
        .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Unable to start a cloud node which isn't in 'STOPPED' state"
        );
    }
}
