//! The platform's picture from the status API (Conferencing Nodes, locations and their load,
//! alarms, backplanes, registrations, cloud bursting nodes, licences) and the chart point it
//! makes. Resources a node version lacks read as empty.

use super::fields::{count, flag, text, time};
use super::model::{
    AlarmStatus, BackplaneStatus, CloudNodeStatus, LicenceUsage, LoadSample, LocationStatus,
    NodeStatus, PlatformStatus,
};
use super::status::read_all;
use pexip::client::{Client, ClientError};
use serde_json::Value;

/// Reads the whole picture (seven list reads, every page).
pub(crate) async fn read_platform(
    client: &Client,
    now_ms: i64,
) -> Result<PlatformStatus, ClientError> {
    let mut nodes = read_all(client, "worker_vm").await?;
    with_statistics(client, &mut nodes).await;
    let locations = read_all(client, "system_location").await?;
    let alarms = read_all(client, "alarm").await?;
    let backplanes = read_all(client, "backplane").await?;
    let registrations = read_all(client, "registration_alias").await?;
    let cloud_nodes = read_all(client, "cloud_node").await?;
    let licensing = read_all(client, "licensing").await?;
    Ok(platform(
        &nodes,
        &locations,
        &alarms,
        &backplanes,
        &registrations,
        &cloud_nodes,
        &licensing,
        now_ms,
    ))
}

/// Adds each node's load (`media_load`, call counts) from `worker_vm/<id>/statistics/` where
/// the node list does not carry it (the v14 list has no load; the statistics resource has).
/// A node whose statistics cannot be read keeps its record as it is.
async fn with_statistics(client: &Client, nodes: &mut [Value]) {
    for node in nodes.iter_mut() {
        if node.get("media_load").is_some() {
            continue;
        }
        let Ok(id) = pexip::client::ObjectId::parse(&text(node, "id")) else {
            continue;
        };
        match client
            .get_nested(pexip::client::Api::Status, "worker_vm", &id, "statistics")
            .await
        {
            Ok(statistics) => merge_load(node, &statistics),
            Err(error) => {
                tracing::debug!(%error, node = %text(node, "name"), "live feed: no statistics for a node");
            }
        }
    }
}

/// Copies the load fields of a statistics record onto a node record.
fn merge_load(node: &mut Value, statistics: &Value) {
    let (Some(node), Some(statistics)) = (node.as_object_mut(), statistics.as_object()) else {
        return;
    };
    for (key, value) in statistics {
        if !matches!(key.as_str(), "id" | "name" | "resource_uri") {
            node.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
}

/// The picture from the records of each resource.
#[allow(clippy::too_many_arguments)]
pub(crate) fn platform(
    nodes: &[Value],
    locations: &[Value],
    alarms: &[Value],
    backplanes: &[Value],
    registrations: &[Value],
    cloud_nodes: &[Value],
    licensing: &[Value],
    now_ms: i64,
) -> PlatformStatus {
    let nodes: Vec<NodeStatus> = nodes.iter().map(node).collect();
    let out_of_sync = nodes
        .iter()
        .filter(|n| !n.sync_status.is_empty() && n.sync_status != "SYNCED")
        .map(|n| (n.name.clone(), n.sync_status.clone()))
        .collect();
    PlatformStatus {
        out_of_sync,
        nodes,
        locations: locations
            .iter()
            .map(|r| LocationStatus {
                id: text(r, "id"),
                name: text(r, "name"),
                media_load: count(r, "media_load"),
                participant_count: count(r, "participant_count"),
                max_hd_calls: count(r, "max_hd_calls"),
            })
            .collect(),
        alarms: alarms
            .iter()
            .map(|r| AlarmStatus {
                id: text(r, "id"),
                name: text(r, "name"),
                level: text(r, "level"),
                node: text(r, "node"),
                details: text(r, "details"),
                time_raised: time(r, "time_raised"),
            })
            .collect(),
        backplanes: backplanes
            .iter()
            .map(|r| BackplaneStatus {
                id: text(r, "id"),
                conference: text(r, "conference"),
                type_: text(r, "type"),
                local_node: text(r, "media_node"),
                remote_node: first(r, &["remote_node_name", "remote_media_node"]),
                system_location: text(r, "system_location"),
                remote_location: text(r, "remote_system_location"),
                connect_time: time(r, "connect_time"),
            })
            .collect(),
        registrations: registrations
            .iter()
            .map(|r| (text(r, "alias"), text(r, "protocol")))
            .collect(),
        cloud_nodes: cloud_nodes
            .iter()
            .map(|r| CloudNodeStatus {
                instance_id: first(r, &["aws_instance_id", "instance_id", "id"]),
                name: first(
                    r,
                    &["aws_instance_name", "workermv_configuration_name", "name"],
                ),
                state: first(r, &["aws_instance_state", "state"]),
                system_location: text(r, "workermv_configuration_location_name"),
                max_hd_calls: count(r, "max_hd_calls"),
                media_load: count(r, "media_load"),
            })
            .collect(),
        licences: licensing
            .first()
            .map(|r| LicenceUsage {
                port_count: count(r, "port_count"),
                port_total: count(r, "port_total"),
                audio_count: count(r, "audio_count"),
                audio_total: count(r, "audio_total"),
                vmr_count: count(r, "vmr_count"),
                vmr_total: count(r, "vmr_total"),
            })
            .unwrap_or_default(),
        read_at: now_ms,
    }
}

fn node(r: &Value) -> NodeStatus {
    NodeStatus {
        id: text(r, "id"),
        name: text(r, "name"),
        system_location: text(r, "system_location"),
        version: text(r, "version"),
        sync_status: text(r, "sync_status"),
        deploy_status: text(r, "deploy_status"),
        maintenance_mode: flag(r, "maintenance_mode"),
        media_load: count(r, "media_load"),
        participant_count: count(r, "participant_count"),
        max_hd_calls: count(r, "max_hd_calls"),
        cloud_bursting: text(r, "node_type").eq_ignore_ascii_case("cloud_bursting")
            || flag(r, "cloud_bursting"),
    }
}

/// The first non-empty of these fields.
fn first(record: &Value, keys: &[&str]) -> String {
    keys.iter()
        .map(|key| text(record, key))
        .find(|value| !value.is_empty())
        .unwrap_or_default()
}

/// The chart point of a platform reading: conferences and participants in progress, and the
/// mean media load of the Conferencing Nodes.
pub(crate) fn sample(platform: &PlatformStatus, conferences: u64, participants: u64) -> LoadSample {
    let loads: Vec<u64> = platform.nodes.iter().map(|n| n.media_load).collect();
    let media_load = match loads.len() as u64 {
        0 => 0,
        n => loads.iter().sum::<u64>() / n,
    };
    LoadSample {
        at: platform.read_at,
        conferences,
        participants,
        media_load,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statistics_add_the_load_a_node_list_lacks() {
        let mut node = json!({"id": 3, "name": "px-lon-01", "version": "14"});
        merge_load(
            &mut node,
            &json!({"id": 3, "name": "other", "media_load": 42, "participant_count": 7}),
        );
        assert_eq!(node["media_load"], 42);
        assert_eq!(node["participant_count"], 7);
        assert_eq!(node["name"], "px-lon-01");
        assert_eq!(super::node(&node).media_load, 42);
    }

    #[test]
    fn the_picture_reads_the_status_records() {
        let picture = platform(
            &[
                json!({"id": 1, "name": "n1", "media_load": 30, "sync_status": "SYNCED", "system_location": "Oslo", "version": "40"}),
                json!({"id": 2, "name": "n2", "media_load": 50, "sync_status": "SYNCING"}),
            ],
            &[json!({"id": 1, "name": "Oslo", "media_load": 40, "participant_count": 3})],
            &[
                json!({"id": 5, "name": "License limit", "level": "error", "node": "10.0.0.1", "time_raised": "2026-01-01T10:00:00"}),
            ],
            &[
                json!({"id": "b", "conference": "Board", "type": "geo", "media_node": "10.0.0.1", "remote_node_name": "n2"}),
            ],
            &[json!({"alias": "alice@x", "protocol": "SIP"})],
            &[
                json!({"aws_instance_id": "i-1", "aws_instance_name": "burst", "aws_instance_state": "stopped", "media_load": 100}),
            ],
            &[json!({"port_count": 3, "port_total": 10})],
            1234,
        );
        assert_eq!(picture.nodes.len(), 2);
        assert_eq!(
            picture.out_of_sync,
            [("n2".to_string(), "SYNCING".to_string())]
        );
        assert_eq!(picture.locations[0].participant_count, 3);
        assert_eq!(picture.alarms[0].level, "error");
        assert_eq!(picture.backplanes[0].remote_node, "n2");
        assert_eq!(
            picture.registrations,
            [("alice@x".to_string(), "SIP".to_string())]
        );
        assert_eq!(picture.cloud_nodes[0].instance_id, "i-1");
        assert_eq!(picture.licences.port_total, 10);
        let point = sample(&picture, 2, 7);
        assert_eq!(
            (
                point.at,
                point.conferences,
                point.participants,
                point.media_load
            ),
            (1234, 2, 7, 40)
        );
    }
}
