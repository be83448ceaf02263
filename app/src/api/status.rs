//! The platform status page's actions (admins). What it shows comes with the live feed.

use super::AppError;
use leptos::prelude::*;

/// Starts the stopped cloud overflow node `instance_id`; its new state reaches the page through
/// the live feed.
#[server(endpoint = "status/start-cloud-node", output = crate::api::JsonText)]
pub async fn start_cloud_node(instance_id: String) -> Result<(), AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    portal.start_cloud_node(&actor, &instance_id).await?;
    Ok(())
}

/// Registers the portal as an event sink on the Management Node (created or brought up to date,
/// attached to every system location), from `live.event_sink.public_url` and the receiver's
/// credentials. Admins only. Returns the sink's resource URI; a node without event sinks, or a
/// portal without those settings, gets a readable 400.
#[server(endpoint = "status/register-event-sink", output = crate::api::JsonText)]
pub async fn register_event_sink() -> Result<String, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    Ok(portal.register_event_sink(&actor).await?)
}
