//! Ended conferences and their participants (call detail records), with media statistics
//! (admins and helpdesk; the policy decides on the server).

use super::media::MediaStream;
use super::{AppError, Deferred};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One ended conference instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndedConference {
    pub id: String,
    pub name: String,
    pub service_type: String,
    pub start_time: String,
    pub end_time: String,
    /// Seconds.
    pub duration: u64,
    pub participant_count: u64,
}

/// A page of ended conferences, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub conferences: Vec<EndedConference>,
    pub total: u64,
}

/// A participant's call detail record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    pub id: String,
    pub display_name: String,
    pub role: String,
    pub protocol: String,
    pub call_direction: String,
    pub remote_alias: String,
    pub local_alias: String,
    pub start_time: String,
    pub end_time: String,
    pub duration: u64,
    pub disconnect_reason: String,
    pub bandwidth: u64,
    pub system_location: String,
    pub vendor: String,
    pub media: Vec<MediaStream>,
}

/// One ended conference with its participants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryDetail {
    pub conference: EndedConference,
    pub participants: Vec<CallRecord>,
}

#[cfg(feature = "ssr")]
fn ended_conference(record: &serde_json::Value) -> EndedConference {
    use super::fields::{count, text};
    EndedConference {
        id: text(record, "id"),
        name: text(record, "name"),
        service_type: text(record, "service_type"),
        start_time: text(record, "start_time"),
        end_time: text(record, "end_time"),
        duration: count(record, "duration"),
        participant_count: count(record, "participant_count"),
    }
}

#[cfg(feature = "ssr")]
fn call_record(record: &serde_json::Value) -> CallRecord {
    use super::fields::{count, text};
    let media = record
        .get("media_streams")
        .and_then(serde_json::Value::as_array)
        .map(|streams| {
            streams
                .iter()
                .filter(|s| s.is_object())
                .map(MediaStream::from_record)
                .collect()
        })
        .unwrap_or_default();
    CallRecord {
        id: text(record, "id"),
        display_name: text(record, "display_name"),
        role: text(record, "role"),
        protocol: text(record, "protocol"),
        call_direction: text(record, "call_direction"),
        remote_alias: text(record, "remote_alias"),
        local_alias: text(record, "local_alias"),
        start_time: text(record, "start_time"),
        end_time: text(record, "end_time"),
        duration: count(record, "duration"),
        disconnect_reason: text(record, "disconnect_reason"),
        bandwidth: count(record, "bandwidth"),
        system_location: text(record, "system_location"),
        vendor: text(record, "vendor"),
        media,
    }
}

/// A date-time from a form (`YYYY-MM-DDTHH:MM`, seconds optional, UTC) in the API's format.
fn filter_time(field: &str, value: &str) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bytes = value.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let shape = (value.len() == 16 || value.len() == 19)
        && digits_at(0..4)
        && bytes[4] == b'-'
        && digits_at(5..7)
        && bytes[7] == b'-'
        && digits_at(8..10)
        && matches!(bytes[10], b'T' | b' ')
        && digits_at(11..13)
        && bytes[13] == b':'
        && digits_at(14..16)
        && (value.len() == 16 || (bytes[16] == b':' && digits_at(17..19)));
    if !shape {
        let message = "enter a date and time such as 2026-11-29T14:30".to_string();
        return Err(AppError::Invalid {
            message: message.clone(),
            fields: [(field.to_string(), vec![message])].into(),
        });
    }
    let seconds = if value.len() == 16 { ":00" } else { "" };
    Ok(Some(format!("{}T{}{seconds}", &value[..10], &value[11..])))
}

/// The history API filters of the list's `name`, `from` and `to` (also used by its CSV export,
/// `super::usage::HISTORY_CSV_PATH`).
pub fn history_filters(
    name: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let mut filters = Vec::new();
    if !name.trim().is_empty() {
        filters.push(("name__icontains".to_string(), name.trim().to_string()));
    }
    if let Some(from) = filter_time("from", from)? {
        filters.push(("end_time__gte".to_string(), from));
    }
    if let Some(to) = filter_time("to", to)? {
        filters.push(("start_time__lte".to_string(), to));
    }
    Ok(filters)
}

/// Ended conferences, newest first. `name` matches part of the name; `from` and `to` (UTC,
/// `YYYY-MM-DDTHH:MM`) keep the conferences that were running at some time between them.
#[server(endpoint = "history/list", output = crate::api::JsonText)]
pub async fn list_history(
    name: String,
    from: String,
    to: String,
    limit: u64,
    offset: u64,
) -> Result<Deferred<HistoryPage>, AppError> {
    let (portal, actor) = super::context::signed_in().await?;
    let filters = history_filters(&name, &from, &to).map_err(AppError::with_status)?;
    let page = portal
        .history_list(
            &actor,
            "conference",
            &filters,
            Some("-end_time"),
            limit,
            offset,
        )
        .await?;
    Deferred::new(&HistoryPage {
        conferences: page.objects.iter().map(ended_conference).collect(),
        total: page.meta.total_count,
    })
}

/// One ended conference and its participants' call detail records, in the order they joined.
#[server(endpoint = "history/get", output = crate::api::JsonText)]
pub async fn load_ended_conference(id: String) -> Result<Deferred<HistoryDetail>, AppError> {
    use bff::gateway::MAX_PAGE;
    let (portal, actor) = super::context::signed_in().await?;
    let id = pexip::client::ObjectId::parse(id.trim())
        .map_err(|_| AppError::NotFound.with_status())?
        .to_string();
    let found = portal
        .history_list(
            &actor,
            "conference",
            &[("id".into(), id.clone())],
            None,
            1,
            0,
        )
        .await?;
    let conference = found
        .objects
        .first()
        .map(ended_conference)
        .ok_or_else(|| AppError::NotFound.with_status())?;
    let uri = format!("/api/admin/history/v1/conference/{id}/");
    let participants = portal
        .history_list(
            &actor,
            "participant",
            &[("conference".into(), uri)],
            Some("start_time"),
            MAX_PAGE,
            0,
        )
        .await?;
    Deferred::new(&HistoryDetail {
        conference,
        participants: participants.objects.iter().map(call_record).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::filter_time;

    #[test]
    fn form_times_become_api_times() {
        assert_eq!(filter_time("from", "").unwrap(), None);
        assert_eq!(
            filter_time("from", "2026-11-29T14:30").unwrap().as_deref(),
            Some("2026-11-29T14:30:00")
        );
        assert_eq!(
            filter_time("to", "2026-11-29 14:30:15").unwrap().as_deref(),
            Some("2026-11-29T14:30:15")
        );
        for bad in [
            "yesterday",
            "2026-11-29",
            "2026-11-29T14:3",
            "2026-11-29T14:30&x=1",
        ] {
            let error = filter_time("to", bad).unwrap_err();
            assert!(!error.field("to").is_empty(), "{bad}");
        }
    }
}
