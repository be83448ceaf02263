//! The usage history the portal keeps in its own database (SQLite or PostgreSQL): ended
//! conference instances and their participants, written once per id (reading a record again
//! changes nothing), and how far each history resource has been read.

use super::record::{StoredConference, StoredParticipant};
use crate::db::{Db, DbError, now_unix, with_pool};

/// The watermarks ([`watermark`]): the `end_time` of the newest conference stored, and the
/// conference `end_time` from which participants are still to be read.
pub const CONFERENCE: &str = "conference";
pub const PARTICIPANT: &str = "participant";

const INSERT_CONFERENCE: &str = "INSERT INTO usage_conferences \
     (id, name, tag, service_type, start_time, end_time, participant_count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING";
const INSERT_PARTICIPANT: &str = "INSERT INTO usage_participants \
     (id, conference_id, start_time, end_time, duration, protocol, quality) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING";
const SET_WATERMARK: &str = "INSERT INTO usage_ingest (resource, end_time, ingested_at) \
     VALUES ($1, $2, $3) ON CONFLICT (resource) DO UPDATE \
     SET end_time = excluded.end_time, ingested_at = excluded.ingested_at";

/// Stores a page of conference instances and moves the conference watermark to `newest_end`
/// (the API's `end_time` of the page's last record), in one transaction. Returns how many were
/// new.
pub async fn store_conferences(
    db: &Db,
    records: &[StoredConference],
    newest_end: &str,
) -> Result<u64, DbError> {
    let now = now_unix();
    let added = with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let mut added = 0;
        for c in records {
            added += sqlx::query(INSERT_CONFERENCE)
                .bind(&c.id)
                .bind(&c.name)
                .bind(&c.tag)
                .bind(&c.service_type)
                .bind(c.start_time)
                .bind(c.end_time)
                .bind(c.participant_count)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        sqlx::query(SET_WATERMARK)
            .bind(CONFERENCE)
            .bind(newest_end)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        added
    });
    Ok(added)
}

/// Stores a page of participants. Returns how many were new.
pub async fn store_participants(db: &Db, records: &[StoredParticipant]) -> Result<u64, DbError> {
    let added = with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let mut added = 0;
        for p in records {
            added += sqlx::query(INSERT_PARTICIPANT)
                .bind(&p.id)
                .bind(&p.conference_id)
                .bind(p.start_time)
                .bind(p.end_time)
                .bind(p.duration)
                .bind(&p.protocol)
                .bind(p.quality.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        added
    });
    Ok(added)
}

/// Moves the watermark of `resource` to `end_time`.
pub async fn set_watermark(db: &Db, resource: &str, end_time: &str) -> Result<(), DbError> {
    with_pool!(db, pool => {
        sqlx::query(SET_WATERMARK)
            .bind(resource)
            .bind(end_time)
            .bind(now_unix())
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// A watermark (`None`: never read).
pub async fn watermark(db: &Db, resource: &str) -> Result<Option<String>, DbError> {
    let found: Option<String> = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT end_time FROM usage_ingest WHERE resource = $1")
            .bind(resource)
            .fetch_optional(pool)
            .await?
    });
    Ok(found)
}

/// Which stored conferences a report reads: those that started in `[from, to)` (Unix seconds),
/// of one tenant and one room when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub from: i64,
    pub to: i64,
    pub tag: Option<String>,
    pub room: Option<String>,
}

impl Selection {
    /// The binds `$3`..`$6` of [`WHERE_SELECTED`]: whether a tag is given, the tag, whether a room
    /// is given, the room.
    fn filters(&self) -> (i64, &str, i64, &str) {
        (
            i64::from(self.tag.is_some()),
            self.tag.as_deref().unwrap_or_default(),
            i64::from(self.room.is_some()),
            self.room.as_deref().unwrap_or_default(),
        )
    }
}

/// The conditions of a [`Selection`] on `usage_conferences c`.
const WHERE_SELECTED: &str = "c.start_time >= $1 AND c.start_time < $2 \
     AND ($3 = 0 OR c.tag = $4) AND ($5 = 0 OR c.name = $6)";

/// A stored conference as a report reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConferenceRow {
    pub id: String,
    pub name: String,
    pub tag: String,
    pub start_time: i64,
}

/// A stored participant of a selected conference.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ParticipantRow {
    pub conference_id: String,
    pub start_time: i64,
    pub end_time: i64,
    pub duration: i64,
    pub protocol: String,
    pub quality: String,
}

/// The selected conferences.
pub async fn conferences(db: &Db, selection: &Selection) -> Result<Vec<ConferenceRow>, DbError> {
    let sql = format!(
        "SELECT c.id, c.name, c.tag, c.start_time FROM usage_conferences c WHERE {WHERE_SELECTED}"
    );
    let (has_tag, tag, has_room, room) = selection.filters();
    let rows = with_pool!(db, pool => {
        sqlx::query_as::<_, ConferenceRow>(&sql)
            .bind(selection.from)
            .bind(selection.to)
            .bind(has_tag)
            .bind(tag)
            .bind(has_room)
            .bind(room)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// The stored participants of the selected conferences.
pub async fn participants(db: &Db, selection: &Selection) -> Result<Vec<ParticipantRow>, DbError> {
    let sql = format!(
        "SELECT p.conference_id, p.start_time, p.end_time, p.duration, p.protocol, p.quality \
         FROM usage_participants p JOIN usage_conferences c ON c.id = p.conference_id \
         WHERE {WHERE_SELECTED}"
    );
    let (has_tag, tag, has_room, room) = selection.filters();
    let rows = with_pool!(db, pool => {
        sqlx::query_as::<_, ParticipantRow>(&sql)
            .bind(selection.from)
            .bind(selection.to)
            .bind(has_tag)
            .bind(tag)
            .bind(has_room)
            .bind(room)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// The tenants' tags of the stored conferences (not empty), in order.
pub async fn tenants(db: &Db) -> Result<Vec<String>, DbError> {
    let tags: Vec<String> = with_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT DISTINCT tag FROM usage_conferences WHERE tag <> '' ORDER BY tag",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(tags)
}

/// How many conferences are stored (of one tenant when given), the oldest start and the newest
/// end (Unix seconds), and when the history was last read with something new.
pub async fn coverage(
    db: &Db,
    tag: Option<&str>,
) -> Result<(i64, Option<i64>, Option<i64>, Option<i64>), DbError> {
    let (count, oldest, newest): (i64, Option<i64>, Option<i64>) = with_pool!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(start_time), MAX(end_time) FROM usage_conferences \
             WHERE ($1 = 0 OR tag = $2)",
        )
        .bind(i64::from(tag.is_some()))
        .bind(tag.unwrap_or_default())
        .fetch_one(pool)
        .await?
    });
    let read: Option<i64> = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT MAX(ingested_at) FROM usage_ingest")
            .fetch_one(pool)
            .await?
    });
    Ok((count, oldest, newest, read))
}
