//! The portal registering itself as an event sink on the node: the `event_sink` configuration
//! object named [`SINK_NAME`] (created, or brought up to date), attached to every system
//! location. Admins only (the policy's `PlatformWrite`), audited.

use crate::gateway::BffError;
use crate::policy::Operation;
use crate::portal::{Actor, Portal};
use pexip::client::{Api, ClientError, ObjectRef};
use pexip::query::Query;
use serde_json::{Value, json};

/// The name of the sink the portal registers (how it finds it again).
pub const SINK_NAME: &str = "Pexip Portal";
/// The whole-form key of a refusal.
const NON_FIELD: &str = "__all__";

impl Portal {
    /// Creates or updates the portal's event sink on the node (the receiver's public URL and
    /// credentials, protocol version 2, bulk deliveries) and adds it to every system location.
    /// Returns the sink's resource URI. A node without event sinks (v14), or a portal without
    /// `live.event_sink.public_url` or password, gets a readable 400.
    pub async fn register_event_sink(&self, actor: &Actor) -> Result<String, BffError> {
        self.scope(actor, Operation::PlatformWrite)?;
        let config = &self.live.config.event_sink;
        let Some(url) = config
            .public_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
        else {
            return Err(BffError::field(
                NON_FIELD,
                "Set live.event_sink.public_url (the portal's receiver as the Conferencing Nodes \
                 reach it) before registering the portal as an event sink.",
            ));
        };
        let Some(password) = config.password.as_ref().filter(|p| !p.is_empty()) else {
            return Err(BffError::field(
                NON_FIELD,
                "Set live.event_sink.password before registering the portal as an event sink.",
            ));
        };
        match self.pexip.schema(Api::Configuration, "event_sink").await {
            Ok(_) => {}
            Err(ClientError::NotFound) => {
                return Err(BffError::field(
                    NON_FIELD,
                    "This Management Node has no event sinks (its version predates them); the \
                     live view reads the status API instead.",
                ));
            }
            Err(error) => return Err(error.into()),
        }
        let fields = json!({
            "name": SINK_NAME,
            "description": "Live view of Pexip Portal",
            "url": url,
            "username": config.username,
            "password": password.expose(),
            "version": 2,
            "bulk_support": true,
        });
        let outcome = self.put_event_sink(&fields).await;
        let mut shown = fields.clone();
        shown["password"] = json!("***");
        self.audit(
            actor,
            "live.event_sink.register",
            outcome.as_ref().ok().cloned(),
            json!({ "event_sink": { "before": null, "after": shown } }),
            None,
            outcome,
        )
        .await
    }

    /// Creates or updates the sink, then attaches it to each location lacking it.
    async fn put_event_sink(&self, fields: &Value) -> Result<String, BffError> {
        let existing = self
            .pexip
            .list(
                Api::Configuration,
                "event_sink",
                &Query::new().filter("name", SINK_NAME).limit(1),
            )
            .await?;
        let uri = match existing
            .objects
            .first()
            .and_then(|sink| sink.get("resource_uri"))
            .and_then(Value::as_str)
        {
            Some(uri) => {
                let sink = ObjectRef::parse_uri(uri)?;
                self.pexip
                    .patch(Api::Configuration, "event_sink", &sink.id, fields)
                    .await?;
                sink.uri()
            }
            None => self
                .pexip
                .create(Api::Configuration, "event_sink", fields)
                .await?
                .uri(),
        };
        let locations = super::status::read_all_filtered(
            &self.pexip,
            Api::Configuration,
            "system_location",
            Query::new(),
        )
        .await?;
        for location in locations {
            let mut sinks: Vec<Value> = location
                .get("event_sinks")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if sinks.iter().any(|s| s.as_str() == Some(uri.as_str())) {
                continue;
            }
            let Some(location_uri) = location.get("resource_uri").and_then(Value::as_str) else {
                continue;
            };
            let location_ref = ObjectRef::parse_uri(location_uri)?;
            sinks.push(json!(uri));
            self.pexip
                .patch(
                    Api::Configuration,
                    "system_location",
                    &location_ref.id,
                    &json!({ "event_sinks": sinks }),
                )
                .await?;
        }
        Ok(uri)
    }
}
