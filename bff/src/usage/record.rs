//! What the usage reports keep of a history record: a conference instance, or a participant with
//! the call quality of its media streams.

use super::calendar::api_time;
use super::model::Quality;
use serde_json::Value;

/// An ended conference instance as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConference {
    pub id: String,
    pub name: String,
    pub tag: String,
    pub service_type: String,
    /// Unix seconds.
    pub start_time: i64,
    pub end_time: i64,
    pub participant_count: i64,
}

/// A participant's call as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredParticipant {
    pub id: String,
    /// The conference instance's id (from its resource URI).
    pub conference_id: String,
    /// Unix seconds.
    pub start_time: i64,
    pub end_time: i64,
    /// Seconds in the call.
    pub duration: i64,
    pub protocol: String,
    pub quality: Quality,
}

/// Why a history record cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub id: String,
    pub reason: &'static str,
}

fn text(record: &Value, key: &str) -> String {
    match record.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn whole(record: &Value, key: &str) -> Option<i64> {
    let value = record.get(key)?;
    value
        .as_i64()
        .or_else(|| value.as_f64().map(|f| f.max(0.0) as i64))
}

/// The times of a record, or why not.
fn times(record: &Value, id: &str) -> Result<(i64, i64), Unusable> {
    let unusable = |reason| Unusable {
        id: id.to_string(),
        reason,
    };
    let start = api_time(&text(record, "start_time")).ok_or(unusable("no readable start_time"))?;
    let end = api_time(&text(record, "end_time")).ok_or(unusable("no readable end_time"))?;
    Ok((start, end.max(start)))
}

/// A history `conference` record.
pub fn conference(record: &Value) -> Result<StoredConference, Unusable> {
    let id = text(record, "id");
    if id.is_empty() {
        return Err(Unusable {
            id,
            reason: "no id",
        });
    }
    let (start_time, end_time) = times(record, &id)?;
    Ok(StoredConference {
        name: text(record, "name"),
        tag: text(record, "tag"),
        service_type: text(record, "service_type"),
        start_time,
        end_time,
        participant_count: whole(record, "participant_count").unwrap_or(0),
        id,
    })
}

/// A history `participant` record (its `media_streams` embedded, as the API sends them).
pub fn participant(record: &Value) -> Result<StoredParticipant, Unusable> {
    let id = text(record, "id");
    if id.is_empty() {
        return Err(Unusable {
            id,
            reason: "no id",
        });
    }
    let conference_id = pexip::uri_id(&text(record, "conference")).to_string();
    if conference_id.is_empty() {
        return Err(Unusable {
            id,
            reason: "no conference",
        });
    }
    let (start_time, end_time) = times(record, &id)?;
    Ok(StoredParticipant {
        conference_id,
        start_time,
        end_time,
        duration: whole(record, "duration").unwrap_or(end_time - start_time),
        protocol: text(record, "protocol"),
        quality: quality(record),
        id,
    })
}

/// The call quality of a participant: the worst receive or transmit packet loss (percent) of its
/// media streams.
pub fn quality(record: &Value) -> Quality {
    let worst = record
        .get("media_streams")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|stream| {
            ["rx_packet_loss", "tx_packet_loss"]
                .into_iter()
                .filter_map(|key| stream.get(key).and_then(Value::as_f64))
        })
        .filter(|loss| loss.is_finite())
        .fold(None, |worst: Option<f64>, loss| {
            Some(worst.map_or(loss, |w| w.max(loss)))
        });
    Quality::from_packet_loss(worst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_guides_records_are_read() {
        let c = conference(&json!({
            "duration": 579, "end_time": "2015-04-10T09:49:26.556929",
            "id": "8583f400-7886-48c9-874b-5fefc2ac097e", "name": "meet.alice",
            "participant_count": 3, "service_type": "conference",
            "start_time": "2015-04-10T09:39:47", "tag": ""
        }))
        .unwrap();
        assert_eq!(c.name, "meet.alice");
        assert_eq!(c.end_time - c.start_time, 579);
        assert_eq!(c.participant_count, 3);

        let p = participant(&json!({
            "conference": "/api/admin/history/v1/conference/00000000-0000-0000-0000-000000000001/",
            "duration": 519, "end_time": "2015-04-02T09:55:33.141261",
            "id": "00000000-0000-0000-0000-000000000003", "protocol": "WebRTC",
            "start_time": "2015-04-02T09:46:53.712941",
            "media_streams": [
                {"rx_packet_loss": 0.0, "tx_packet_loss": 0.0, "stream_type": "audio"},
                {"rx_packet_loss": 1.5, "tx_packet_loss": 0.0, "stream_type": "video"}
            ]
        }))
        .unwrap();
        assert_eq!(p.conference_id, "00000000-0000-0000-0000-000000000001");
        assert_eq!(p.duration, 519);
        assert_eq!(p.protocol, "WebRTC");
        assert_eq!(p.quality, Quality::Ok);
    }

    #[test]
    fn records_without_times_or_ids_are_refused() {
        assert_eq!(
            conference(&json!({"id": "x", "start_time": "soon", "end_time": "later"}))
                .unwrap_err()
                .reason,
            "no readable start_time"
        );
        assert_eq!(conference(&json!({})).unwrap_err().reason, "no id");
        assert_eq!(
            participant(&json!({"id": "p", "start_time": "2015-04-02T09:46:53"}))
                .unwrap_err()
                .reason,
            "no conference"
        );
        assert_eq!(quality(&json!({"media_streams": []})), Quality::Unknown);
        assert_eq!(
            quality(&json!({"media_streams": [{"tx_packet_loss": 12.0}]})),
            Quality::Terrible
        );
    }
}
