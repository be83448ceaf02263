//! Reading conferences, participants and locations from the status API (the poller's reads,
//! and the event-sink feed's repairs), and turning a new reading into the change it makes.

use super::fields::{count, flag, text};
use super::model::{LiveConference, LiveMessage, LiveParticipant};
use pexip::client::{Api, Client, ClientError};
use pexip::query::Query;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The page size of the status reads (the API's largest).
pub(crate) const PAGE: u64 = 500;
/// A read stops after this many pages, whatever the node says (a runaway `next`).
const MAX_PAGES: usize = 1000;

/// Every object of a status list, page after page. A resource this node does not have (404
/// on the first page) reads as empty.
pub(crate) async fn read_all(client: &Client, resource: &str) -> Result<Vec<Value>, ClientError> {
    read_all_filtered(client, Api::Status, resource, Query::new()).await
}

/// Every object of a list matching `query`'s filters, page after page (404 on the first page:
/// empty).
pub(crate) async fn read_all_filtered(
    client: &Client,
    api: Api,
    resource: &str,
    query: Query,
) -> Result<Vec<Value>, ClientError> {
    let mut objects = Vec::new();
    let mut offset = 0;
    for page_number in 0..MAX_PAGES {
        let page = match client
            .list(api, resource, &query.clone().limit(PAGE).offset(offset))
            .await
        {
            Ok(page) => page,
            Err(ClientError::NotFound) if page_number == 0 => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let total = page.meta.total_count;
        let next = page.next_offset();
        let empty = page.objects.is_empty();
        objects.extend(page.objects);
        match next {
            Some(next) if !empty && (objects.len() as u64) < total => offset = next,
            _ => break,
        }
    }
    Ok(objects)
}

/// One participant as the status API reports it.
pub(crate) fn participant(record: &Value) -> LiveParticipant {
    let call_direction = text(record, "call_direction");
    let remote_alias = if call_direction == "out" {
        text(record, "destination_alias")
    } else {
        text(record, "source_alias")
    };
    LiveParticipant {
        id: text(record, "id"),
        display_name: text(record, "display_name"),
        role: text(record, "role"),
        protocol: text(record, "protocol"),
        call_direction,
        remote_alias,
        connect_time: text(record, "connect_time"),
        is_muted: flag(record, "is_muted"),
        is_on_hold: flag(record, "is_on_hold"),
        is_presenting: flag(record, "is_presenting"),
        system_location: text(record, "system_location"),
        bandwidth: count(record, "bandwidth"),
    }
}

/// The conferences of a status reading with their participants (joined by the conference's
/// name, in join order), by name. Participants of a conference not listed are left out.
pub(crate) fn conferences(
    conferences: &[Value],
    participants: &[Value],
) -> BTreeMap<String, LiveConference> {
    let mut members: HashMap<String, Vec<LiveParticipant>> = HashMap::new();
    for record in participants {
        members
            .entry(text(record, "conference"))
            .or_default()
            .push(participant(record));
    }
    conferences
        .iter()
        .map(|record| {
            let name = text(record, "name");
            let mut participants = members.remove(&name).unwrap_or_default();
            sort_participants(&mut participants);
            let conference = LiveConference {
                id: text(record, "id"),
                name: name.clone(),
                service_type: text(record, "service_type"),
                start_time: text(record, "start_time"),
                is_locked: flag(record, "is_locked"),
                guests_muted: flag(record, "guests_muted"),
                tag: text(record, "tag"),
                owner: None,
                participants,
            };
            (name, conference)
        })
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

/// Join order: by connect time (those still connecting, with none, last), then id.
pub(crate) fn sort_participants(participants: &mut [LiveParticipant]) {
    participants.sort_by(|a, b| {
        (a.connect_time.is_empty(), &a.connect_time, &a.id).cmp(&(
            b.connect_time.is_empty(),
            &b.connect_time,
            &b.id,
        ))
    });
}

/// Reads every conference in progress and every participant.
pub(crate) async fn read_conferences(
    client: &Client,
) -> Result<BTreeMap<String, LiveConference>, ClientError> {
    let conference_records = read_all(client, "conference").await?;
    let participant_records = read_all(client, "participant").await?;
    Ok(conferences(&conference_records, &participant_records))
}

/// The names of the system locations (sorted), from the status `system_location` records.
pub(crate) fn location_names(records: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = records
        .iter()
        .map(|record| text(record, "name"))
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The change from `current` to `fresh`: conferences new or different, and those gone
/// (`None` when nothing changed).
pub(crate) fn diff(
    current: &BTreeMap<String, LiveConference>,
    fresh: &BTreeMap<String, LiveConference>,
) -> Option<LiveMessage> {
    let upserted: Vec<LiveConference> = fresh
        .iter()
        .filter(|(name, conference)| current.get(*name) != Some(conference))
        .map(|(_, conference)| conference.clone())
        .collect();
    let removed: Vec<String> = current
        .keys()
        .filter(|name| !fresh.contains_key(*name))
        .cloned()
        .collect();
    (!upserted.is_empty() || !removed.is_empty()).then_some(LiveMessage::Conferences {
        version: 0,
        upserted,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reading() -> BTreeMap<String, LiveConference> {
        conferences(
            &[
                json!({"id": "c1", "name": "Board", "service_type": "conference", "start_time": "2026-01-01T10:00:00", "is_locked": true, "guests_muted": false, "tag": "acme"}),
                json!({"id": "c2", "name": "Empty", "tag": null}),
            ],
            &[
                json!({"id": "p2", "conference": "Board", "connect_time": "2026-01-01T10:05:00", "call_direction": "out", "destination_alias": "sip:bob@x", "source_alias": "ignored", "is_muted": true, "bandwidth": 768}),
                json!({"id": "p1", "conference": "Board", "connect_time": "2026-01-01T10:01:00", "call_direction": "in", "source_alias": "alice@x", "display_name": "Alice"}),
                json!({"id": "p3", "conference": "Board", "connect_time": null}),
                json!({"id": "p9", "conference": "Not listed"}),
            ],
        )
    }

    #[test]
    fn participants_join_their_conference_in_join_order() {
        let all = reading();
        assert_eq!(all.keys().collect::<Vec<_>>(), ["Board", "Empty"]);
        let board = &all["Board"];
        assert_eq!(
            board
                .participants
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["p1", "p2", "p3"]
        );
        assert_eq!(board.participants[0].remote_alias, "alice@x");
        assert_eq!(board.participants[1].remote_alias, "sip:bob@x");
        assert!(board.participants[1].is_muted);
        assert_eq!(board.participants[1].bandwidth, 768);
        assert!(board.is_locked);
        assert_eq!(board.tag, "acme");
        assert_eq!(all["Empty"].tag, "");
    }

    #[test]
    fn the_diff_holds_only_what_changed() {
        let before = reading();
        assert_eq!(diff(&before, &before), None);
        let mut after = before.clone();
        after.get_mut("Board").unwrap().participants.pop();
        after.remove("Empty");
        after.insert(
            "New".into(),
            LiveConference {
                name: "New".into(),
                ..Default::default()
            },
        );
        let Some(LiveMessage::Conferences {
            upserted, removed, ..
        }) = diff(&before, &after)
        else {
            panic!("a change");
        };
        assert_eq!(
            upserted.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["Board", "New"]
        );
        assert_eq!(removed, ["Empty"]);
    }

    #[test]
    fn location_names_are_sorted_and_unique() {
        let records = [
            json!({"name": "Oslo"}),
            json!({"name": "London"}),
            json!({"name": ""}),
            json!({"name": "Oslo"}),
        ];
        assert_eq!(location_names(&records), ["London", "Oslo"]);
    }
}
