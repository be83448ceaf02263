//! The `data` of each event, built from the live state: a conference as one node sees it, a
//! participant, the end of a call (reason, duration, media streams) and the media quality
//! window of protocol version 2. Times are Unix seconds (floats), as the nodes send them.

use serde_json::{Map, Value, json};

use crate::live::conference::Conference;
use crate::live::media::StreamKind;
use crate::live::participant::Participant;
use crate::live::profiles::Protocol;
use crate::live::time::Instant;

/// A JSON object.
pub type Object = Map<String, Value>;

/// `t` in Unix seconds with microseconds.
pub fn unix(t: Instant) -> f64 {
    t.and_utc().timestamp_micros() as f64 / 1_000_000.0
}

/// A timestamp of the status and history APIs (`2017-01-16T09:00:00.5`) in Unix seconds.
fn unix_of_iso(text: &str) -> Option<f64> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(unix)
}

fn object(value: Value) -> Object {
    match value {
        Value::Object(map) => map,
        _ => Object::new(),
    }
}

/// `conference_started` / `conference_updated`: the conference as a node hosting part of it
/// sees it; `start_time` is when that node started hosting it.
pub fn conference(conf: &Conference, start_time: f64) -> Object {
    object(json!({
        "guests_muted": conf.guests_muted,
        "is_locked": conf.is_locked,
        "is_started": true,
        "name": conf.name,
        "service_type": conf.service_type,
        "start_time": start_time,
        "tag": conf.tag,
    }))
}

/// `conference_ended`: the last view of it plus `end_time`.
pub fn conference_ended(last: &Object, end_time: f64) -> Object {
    let mut data = last.clone();
    data.insert("end_time".into(), json!(end_time));
    data
}

/// `participant_connected` / `participant_updated`. A participant held by a locked conference
/// is in the `waiting_room`.
pub fn participant(p: &Participant) -> Object {
    let (source, destination) = p.aliases();
    let service_type = if p.waiting {
        "waiting_room"
    } else {
        p.service_type.as_str()
    };
    object(json!({
        "call_direction": if p.outgoing { "out" } else { "in" },
        "call_id": p.call_uuid,
        "call_tag": "",
        "conference": p.conference_name,
        "connect_time": unix(p.connect_time),
        "conversation_id": p.call_uuid,
        "destination_alias": destination,
        "display_name": p.caller.display_name,
        "encryption": if p.caller.encrypted { "On" } else { "Off" },
        "has_media": !p.streams.is_empty(),
        "is_client_muted": false,
        "is_idp_authenticated": false,
        "is_muted": p.is_muted,
        "is_presenting": p.is_presenting,
        "is_streaming": p.caller.protocol == Protocol::Rtmp,
        "media_node": p.node_address,
        "protocol": p.caller.protocol.api_name(),
        "proxy_node": null,
        "related_uuids": [],
        "remote_address": p.caller.remote_address,
        "role": p.role.name(),
        "rx_bandwidth": p.caller.bandwidth,
        "service_tag": p.service_tag,
        "service_type": service_type,
        "signalling_node": p.node_address,
        "source_alias": source,
        "system_location": p.system_location,
        "tx_bandwidth": p.caller.bandwidth,
        "uuid": p.id,
        "vendor": p.caller.vendor,
    }))
}

/// `participant_disconnected`: the last view of the participant plus `disconnect_reason`,
/// `duration` and `end_time`, taken from its history `record` (when found; else the call
/// ends at `now` for an unknown reason).
pub fn disconnected(last: &Object, record: Option<&Value>, now: f64) -> Object {
    let mut data = last.clone();
    let connect = last
        .get("connect_time")
        .and_then(Value::as_f64)
        .unwrap_or(now);
    let reason = record
        .and_then(|r| r.get("disconnect_reason"))
        .and_then(Value::as_str)
        .unwrap_or("Call disconnected");
    let end = record
        .and_then(|r| r.get("end_time"))
        .and_then(Value::as_str)
        .and_then(unix_of_iso)
        .unwrap_or(now);
    data.insert("disconnect_reason".into(), json!(reason));
    data.insert(
        "duration".into(),
        json!((end - connect).max(0.0).floor() as i64),
    );
    data.insert("end_time".into(), json!(end));
    data
}

/// The media streams of a call that has ended, from its history `record`.
pub fn media_streams(record: Option<&Value>) -> Vec<Value> {
    let Some(streams) = record
        .and_then(|r| r.get("media_streams"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    streams
        .iter()
        .filter_map(Value::as_object)
        .map(|s| {
            let mut out = Object::new();
            for (key, value) in s {
                match key.as_str() {
                    "id" | "participant" => {}
                    "start_time" | "end_time" => {
                        let time = value.as_str().and_then(unix_of_iso);
                        out.insert(key.clone(), json!(time));
                    }
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Object(out)
        })
        .collect()
}

/// `participant_media_streams_destroyed` (version 2).
pub fn streams_destroyed(uuid: &str, streams: Vec<Value>) -> Object {
    object(json!({"uuid": uuid, "media_streams": streams}))
}

/// Pexip's quality buckets of packet loss: under 1% good, under 3% ok, under 10% bad, else
/// terrible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    Good = 1,
    Ok = 2,
    Bad = 3,
    Terrible = 4,
}

impl Quality {
    fn of_loss(percent: f64) -> Quality {
        if percent < 1.0 {
            Quality::Good
        } else if percent < 3.0 {
            Quality::Ok
        } else if percent < 10.0 {
            Quality::Bad
        } else {
            Quality::Terrible
        }
    }

    /// The event's spelling (`1_good`).
    fn name(self) -> &'static str {
        match self {
            Quality::Good => "1_good",
            Quality::Ok => "2_ok",
            Quality::Bad => "3_bad",
            Quality::Terrible => "4_terrible",
        }
    }

    /// The call's quality: its worst open stream's current received packet loss.
    pub fn of(p: &Participant) -> Quality {
        p.streams
            .iter()
            .filter(|s| s.end_time.is_none())
            .map(|s| Quality::of_loss(s.rx.loss_rate))
            .max()
            .unwrap_or(Quality::Good)
    }

    /// One kind of stream's quality (`null` when the call has none open).
    fn of_kind(p: &Participant, kind: StreamKind) -> Value {
        p.streams
            .iter()
            .filter(|s| s.kind == kind && s.end_time.is_none())
            .map(|s| Quality::of_loss(s.rx.loss_rate) as u8)
            .max()
            .map_or(Value::Null, |q| json!(q))
    }
}

/// The window over which quality is judged, in seconds.
const WINDOW_SECONDS: f64 = 20.0;

/// `participant_media_stream_window` (version 2): sent when the call's quality bucket changes
/// from `was` to its current one.
pub fn stream_window(p: &Participant, was: Quality, now: f64) -> Object {
    let quality = Quality::of(p);
    let history: Vec<Value> = p
        .streams
        .iter()
        .filter(|s| s.end_time.is_none())
        .map(|s| {
            json!({
                "rx_packets_lost": s.rx.lost,
                "rx_packets_received": s.rx.packets,
                "stream_id": s.stream_id,
                "stream_type": s.kind.name(),
                "time": now,
                "time_delta": WINDOW_SECONDS,
                "tx_packets_lost": s.tx.lost,
                "tx_packets_sent": s.tx.packets,
            })
        })
        .collect();
    object(json!({
        "call_quality_now": quality.name(),
        "call_quality_was": was.name(),
        "packet_loss_history": history,
        "recent_quality": [{
            "applicationsharing": null,
            "audio": Quality::of_kind(p, StreamKind::Audio),
            "presentation": Quality::of_kind(p, StreamKind::Presentation),
            "quality": quality as u8,
            "time": now,
            "time_delta": WINDOW_SECONDS,
            "video": Quality::of_kind(p, StreamKind::Video),
        }],
        "uuid": p.id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_unix_seconds() {
        let t = chrono::NaiveDate::from_ymd_opt(2017, 1, 16)
            .unwrap()
            .and_hms_micro_opt(9, 0, 0, 250_000)
            .unwrap();
        assert_eq!(unix(t), 1_484_557_200.25);
        assert_eq!(
            unix_of_iso("2017-01-16T09:00:00.25"),
            Some(1_484_557_200.25)
        );
        assert_eq!(unix_of_iso("2017-01-16T09:00:00"), Some(1_484_557_200.0));
    }

    #[test]
    fn the_end_of_a_call_comes_from_its_record() {
        let last = object(json!({"uuid": "p", "connect_time": 100.0}));
        let record = json!({
            "disconnect_reason": "Disconnected by an administrator",
            "end_time": "1970-01-01T00:02:10",
            "media_streams": [{"id": 3, "participant": "/x/", "stream_id": "0",
                "stream_type": "audio", "start_time": "1970-01-01T00:01:40",
                "end_time": "1970-01-01T00:02:10", "rx_bitrate": 32}],
        });
        let data = disconnected(&last, Some(&record), 500.0);
        assert_eq!(
            data["disconnect_reason"],
            "Disconnected by an administrator"
        );
        assert_eq!(data["duration"], 30);
        assert_eq!(data["end_time"], 130.0);
        let streams = media_streams(Some(&record));
        assert_eq!(
            streams,
            vec![
                json!({"stream_id": "0", "stream_type": "audio", "start_time": 100.0,
                "end_time": 130.0, "rx_bitrate": 32})
            ]
        );
        let unknown = disconnected(&last, None, 160.0);
        assert_eq!(unknown["duration"], 60);
        assert_eq!(unknown["disconnect_reason"], "Call disconnected");
    }

    #[test]
    fn loss_falls_into_pexip_buckets() {
        assert_eq!(Quality::of_loss(0.5), Quality::Good);
        assert_eq!(Quality::of_loss(1.0), Quality::Ok);
        assert_eq!(Quality::of_loss(5.0), Quality::Bad);
        assert_eq!(Quality::of_loss(10.0), Quality::Terrible);
    }
}
