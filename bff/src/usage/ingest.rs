//! Reading the history API into the portal's own database, incrementally, page after page until
//! the node has nothing newer. The node keeps only its newest 10,000 conference instances; what
//! the portal stored stays, so reports reach further back than the node.
//!
//! Conferences: each page is asked with `end_time__gte=<newest end_time stored>` and
//! `order_by=end_time` (keyset paging: records the node drops from the old end while a read runs
//! cannot shift the pages, as offsets would). Records ending exactly at the watermark are asked
//! again (two records can share an `end_time`, and a read can stop between them) and skipped by
//! their id. A page is stored with the new watermark in one transaction.
//!
//! Participants: a participant's record appears with its conference's (not when the participant
//! left, which may be long before the conference ends), so they are read by their conference's
//! end: `conference__end_time__gte=<participant watermark>`, the conference watermark of the
//! last complete read (less [`PARTICIPANT_OVERLAP_SECS`]).
//!
//! Every record is stored once however often it is read (its id is the key).
//!
//! With several portal instances one ingests at a time: the one holding the `usage-ingest`
//! lease (the live feed's lease mechanism, [`crate::live::lease`]).

use super::calendar::{api_time, api_timestamp};
use super::record;
use super::store::{self, CONFERENCE, PARTICIPANT};
use crate::db::{Db, DbError};
use crate::live::election::Coordination;
use crate::live::lease::{Holding, Lost};
use pexip::client::{Api, Client, ClientError};
use pexip::query::Query;
use serde_json::Value;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The lease that decides which instance reads the history.
pub const LEASE_NAME: &str = "usage-ingest";
/// How often the ingesting instance reads the history.
pub const EVERY: Duration = Duration::from_secs(60);
/// How far before the participant watermark participants are read again (a node may write a
/// participant's record a moment after its conference's).
pub const PARTICIPANT_OVERLAP_SECS: i64 = 600;
/// Records asked per request.
pub const PAGE: u64 = 500;
/// How long the ingesting instance keeps the lease without renewing it.
const LEASE_TTL: Duration = Duration::from_secs(30);

/// Why a read stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the history could not be read from the Management Node: {0}")]
    Upstream(#[from] ClientError),
    #[error("the usage history could not be stored: {0}")]
    Store(#[from] DbError),
}

/// What one read stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ingested {
    /// New conference instances stored.
    pub conferences: u64,
    /// New participants stored.
    pub participants: u64,
    /// Records read, new or not.
    pub read: u64,
    /// Records skipped as unusable (no id or no readable times; logged).
    pub skipped: u64,
    /// Requests made.
    pub requests: u64,
}

/// Reads everything newer than what is stored, conferences then participants, [`PAGE`]
/// records per request.
pub async fn ingest_once(client: &Client, db: &Db) -> Result<Ingested, IngestError> {
    ingest_in_pages(client, db, PAGE).await
}

/// [`ingest_once`] with `page` records per request (tests use small pages to read through many).
pub async fn ingest_in_pages(client: &Client, db: &Db, page: u64) -> Result<Ingested, IngestError> {
    let mut done = Ingested::default();
    let page = page.clamp(1, PAGE);
    let participants_from = store::watermark(db, PARTICIPANT).await?;
    read_conferences(client, db, page, &mut done).await?;
    let conferences_to = store::watermark(db, CONFERENCE).await?;
    read_participants(client, db, page, participants_from.as_deref(), &mut done).await?;
    if let Some(read_to) = conferences_to {
        store::set_watermark(db, PARTICIPANT, &read_to).await?;
    }
    Ok(done)
}

/// The conferences that ended at or after the conference watermark, in keyset pages.
async fn read_conferences(
    client: &Client,
    db: &Db,
    page_size: u64,
    done: &mut Ingested,
) -> Result<(), IngestError> {
    let mut since = store::watermark(db, CONFERENCE).await?;
    // Records at `since` already seen in this read (asked again by `__gte`).
    let mut seen_at_since: u64 = 0;
    loop {
        let mut query = Query::new()
            .limit(page_size)
            .offset(seen_at_since)
            .order_by("end_time");
        if let Some(since) = &since {
            query = query.filter("end_time__gte", since);
        }
        let page = client.list(Api::History, CONFERENCE, &query).await?;
        done.requests += 1;
        let Some(last_end) = page.objects.last().map(|r| end_time(r).to_string()) else {
            return Ok(());
        };
        done.read += page.objects.len() as u64;
        let (records, skipped) = usable(&page.objects, record::conference);
        done.skipped += skipped;
        done.conferences += store::store_conferences(db, &records, &last_end).await?;
        let at_last = page
            .objects
            .iter()
            .rev()
            .take_while(|r| end_time(r) == last_end)
            .count() as u64;
        if since.as_deref() == Some(last_end.as_str()) {
            seen_at_since += at_last;
        } else {
            since = Some(last_end);
            seen_at_since = at_last;
        }
        if !page.has_next() {
            return Ok(());
        }
    }
}

/// The participants of the conferences that ended at or after `from` (a conference `end_time`;
/// [`PARTICIPANT_OVERLAP_SECS`] earlier, for records a node writes late), every page.
async fn read_participants(
    client: &Client,
    db: &Db,
    page_size: u64,
    from: Option<&str>,
    done: &mut Ingested,
) -> Result<(), IngestError> {
    let from = from
        .and_then(api_time)
        .map(|at| api_timestamp(at - PARTICIPANT_OVERLAP_SECS));
    let mut offset = 0;
    loop {
        let mut query = Query::new()
            .limit(page_size)
            .offset(offset)
            .order_by("end_time");
        if let Some(from) = &from {
            query = query.filter("conference__end_time__gte", from);
        }
        let page = client.list(Api::History, PARTICIPANT, &query).await?;
        done.requests += 1;
        if page.objects.is_empty() {
            return Ok(());
        }
        offset += page.objects.len() as u64;
        done.read += page.objects.len() as u64;
        let (records, skipped) = usable(&page.objects, record::participant);
        done.skipped += skipped;
        done.participants += store::store_participants(db, &records).await?;
        if !page.has_next() {
            return Ok(());
        }
    }
}

fn end_time(record: &Value) -> &str {
    record
        .get("end_time")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The records `read` accepts; the others are logged and counted.
fn usable<T>(records: &[Value], read: fn(&Value) -> Result<T, record::Unusable>) -> (Vec<T>, u64) {
    let mut skipped = 0;
    let kept = records
        .iter()
        .filter_map(|r| match read(r) {
            Ok(kept) => Some(kept),
            Err(unusable) => {
                skipped += 1;
                tracing::warn!(id = %unusable.id, reason = unusable.reason,
                    "a history record was left out of the usage reports");
                None
            }
        })
        .collect();
    (kept, skipped)
}

/// Reads the history every `every` on the instance holding the `usage-ingest` lease, until the
/// task is aborted. The first read starts at once.
pub fn spawn(
    coordination: Coordination,
    holder: &str,
    client: Client,
    db: Db,
    every: Duration,
) -> JoinHandle<()> {
    let lease = coordination.lease(LEASE_NAME, holder, LEASE_TTL);
    tokio::spawn(async move {
        loop {
            match lease.try_acquire().await {
                Ok(Holding::Mine) => {
                    tracing::info!("this instance reads the history for the usage reports");
                    let lost = tokio::select! {
                        lost = lease.hold() => lost,
                        never = read_forever(&client, &db, every) => match never {},
                    };
                    if let Lost::Failed(error) = lost {
                        tracing::warn!(%error, "stopped reading the history: the lease could not be renewed");
                    }
                }
                Ok(Holding::Theirs { expires_in, .. }) => {
                    tokio::time::sleep(expires_in.min(lease.ttl()) + Duration::from_millis(20))
                        .await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot tell who reads the history");
                    tokio::time::sleep(lease.renew_every()).await;
                }
            }
        }
    })
}

async fn read_forever(client: &Client, db: &Db, every: Duration) -> std::convert::Infallible {
    let mut failing = false;
    loop {
        match ingest_once(client, db).await {
            Ok(done) => {
                if failing {
                    tracing::info!("the history can be read again");
                    failing = false;
                }
                if done.conferences + done.participants > 0 {
                    tracing::info!(
                        conferences = done.conferences,
                        participants = done.participants,
                        requests = done.requests,
                        "stored new history for the usage reports"
                    );
                }
            }
            Err(error) if !failing => {
                tracing::warn!(%error, "the usage reports miss the newest history");
                failing = true;
            }
            Err(_) => {}
        }
        tokio::time::sleep(every).await;
    }
}
