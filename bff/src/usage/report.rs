//! Building a usage report from the stored conferences and participants of its span: figures per
//! bucket (day, week or month) and per room, protocols and call quality.
//!
//! A conference, its participants and their minutes count in the bucket the conference started
//! in. Peak concurrency follows the calls' real times: the most participants in calls at one
//! moment, within each bucket, each room and the whole span.

use super::calendar::{bucket_start, format_date, next_bucket, unix_of};
use super::model::{NamedCount, Period, Quality, RoomUsage, UsageBucket, UsageFigures};
use super::store::{ConferenceRow, ParticipantRow};
use std::collections::HashMap;
use time::Date;

/// The span and bucket length of a report: the days `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: Date,
    pub last: Date,
    pub period: Period,
}

impl Span {
    /// Unix seconds of the span's start and (excluded) end.
    pub fn bounds(&self) -> (i64, i64) {
        (unix_of(self.first), unix_of(self.last) + 86_400)
    }

    /// The first day of every bucket that meets the span.
    pub fn bucket_starts(&self) -> Vec<Date> {
        let mut starts = Vec::new();
        let mut at = Some(bucket_start(self.first, self.period));
        while let Some(start) = at.filter(|s| *s <= self.last) {
            starts.push(start);
            at = next_bucket(start, self.period);
        }
        starts
    }
}

/// What [`build`] computes (the report without its query echo and coverage).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Figures {
    pub totals: UsageFigures,
    pub buckets: Vec<UsageBucket>,
    pub protocols: Vec<NamedCount>,
    pub quality: Vec<NamedCount>,
    pub rooms: Vec<RoomUsage>,
}

/// A room: its name and its tenant tag.
type RoomKey<'a> = (&'a str, &'a str);
/// A call's start and end (Unix seconds).
type Call = (i64, i64);

/// The report's figures over `span` from the selected conferences and their participants.
pub fn build(
    span: &Span,
    conferences: &[ConferenceRow],
    participants: &[ParticipantRow],
) -> Figures {
    let starts = span.bucket_starts();
    let bucket_bounds: Vec<i64> = starts.iter().map(|d| unix_of(*d)).collect();
    let bucket_of = |unix: i64| -> usize {
        bucket_bounds
            .partition_point(|start| *start <= unix)
            .saturating_sub(1)
    };
    let mut buckets = vec![UsageFigures::default(); starts.len()];
    let mut totals = UsageFigures::default();

    // Conferences: by id (their bucket and room), counted where they started.
    let mut rooms: HashMap<RoomKey, (UsageFigures, Vec<Call>)> = HashMap::new();
    let mut by_id: HashMap<&str, (usize, (&str, &str))> = HashMap::with_capacity(conferences.len());
    for c in conferences {
        let bucket = bucket_of(c.start_time);
        let room = (c.name.as_str(), c.tag.as_str());
        by_id.insert(c.id.as_str(), (bucket, room));
        if let Some(figures) = buckets.get_mut(bucket) {
            figures.conferences += 1;
        }
        totals.conferences += 1;
        rooms.entry(room).or_default().0.conferences += 1;
    }

    let mut protocols: HashMap<&str, u64> = HashMap::new();
    let mut quality: HashMap<Quality, u64> = HashMap::new();
    let mut seconds_in_bucket = vec![0i64; starts.len()];
    let mut seconds_in_room: HashMap<(&str, &str), i64> = HashMap::new();
    let mut total_seconds: i64 = 0;
    let mut calls: Vec<(i64, i64)> = Vec::with_capacity(participants.len());
    for p in participants {
        let Some((bucket, room)) = by_id.get(p.conference_id.as_str()) else {
            continue;
        };
        let seconds = p.duration.max(0);
        total_seconds += seconds;
        totals.participants += 1;
        if let Some(figures) = buckets.get_mut(*bucket) {
            figures.participants += 1;
            seconds_in_bucket[*bucket] += seconds;
        }
        let entry = rooms.entry(*room).or_default();
        entry.0.participants += 1;
        entry.1.push((p.start_time, p.end_time));
        *seconds_in_room.entry(*room).or_default() += seconds;
        calls.push((p.start_time, p.end_time));
        *protocols
            .entry(if p.protocol.is_empty() {
                "unknown"
            } else {
                p.protocol.as_str()
            })
            .or_default() += 1;
        *quality.entry(Quality::parse(&p.quality)).or_default() += 1;
    }

    totals.participant_minutes = minutes(total_seconds);
    let (span_start, span_end) = span.bounds();
    let bucket_peaks = peaks(&calls, &bucket_bounds, span_start, span_end);
    totals.peak_concurrent = bucket_peaks.iter().copied().max().unwrap_or(0);
    let buckets = starts
        .iter()
        .enumerate()
        .map(|(i, start)| UsageBucket {
            start: format_date(*start),
            figures: UsageFigures {
                participant_minutes: minutes(seconds_in_bucket[i]),
                peak_concurrent: bucket_peaks[i],
                ..buckets[i]
            },
        })
        .collect();

    let mut rooms: Vec<RoomUsage> = rooms
        .into_iter()
        .map(|((name, tag), (mut figures, room_calls))| {
            figures.participant_minutes =
                minutes(seconds_in_room.get(&(name, tag)).copied().unwrap_or(0));
            figures.peak_concurrent = peaks(&room_calls, &[span_start], span_start, span_end)[0];
            RoomUsage {
                name: name.to_string(),
                tag: tag.to_string(),
                figures,
            }
        })
        .collect();
    rooms.sort_by(|a, b| {
        b.figures
            .participant_minutes
            .cmp(&a.figures.participant_minutes)
            .then(b.figures.conferences.cmp(&a.figures.conferences))
            .then(a.name.cmp(&b.name))
            .then(a.tag.cmp(&b.tag))
    });

    let mut protocols: Vec<NamedCount> = protocols
        .into_iter()
        .map(|(name, count)| NamedCount {
            name: name.to_string(),
            count,
        })
        .collect();
    protocols.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    let quality = Quality::ALL
        .into_iter()
        .map(|q| NamedCount {
            name: q.as_str().to_string(),
            count: quality.get(&q).copied().unwrap_or(0),
        })
        .collect();

    Figures {
        totals,
        buckets,
        protocols,
        quality,
        rooms,
    }
}

fn minutes(seconds: i64) -> u64 {
    u64::try_from(seconds / 60).unwrap_or(0)
}

/// The most calls in progress at one moment within each bucket (`bucket_bounds`: each bucket's
/// start, ascending; the last ends at `span_end`), counting only moments in
/// `[span_start, span_end)`. A call is in progress from its start (included) to its end
/// (excluded), so back-to-back calls do not overlap.
fn peaks(calls: &[(i64, i64)], bucket_bounds: &[i64], span_start: i64, span_end: i64) -> Vec<u64> {
    let mut events: Vec<(i64, i64)> = Vec::with_capacity(calls.len() * 2);
    for (start, end) in calls.iter() {
        let (start, end) = ((*start).max(span_start), (*end).min(span_end));
        if start < end {
            events.push((start, 1));
            events.push((end, -1));
        }
    }
    // Ends before starts at the same second.
    events.sort_unstable();
    let mut peaks = vec![0u64; bucket_bounds.len()];
    let mut current: i64 = 0;
    let mut bucket = 0usize;
    for (at, change) in events {
        // Entering later buckets: the calls in progress count there from their first moment.
        while bucket + 1 < bucket_bounds.len() && at >= bucket_bounds[bucket + 1] {
            bucket += 1;
            peaks[bucket] = peaks[bucket].max(u64::try_from(current).unwrap_or(0));
        }
        current += change;
        if let Some(peak) = peaks.get_mut(bucket) {
            *peak = (*peak).max(u64::try_from(current).unwrap_or(0));
        }
    }
    peaks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usage::calendar::parse_date;

    fn span(first: &str, last: &str, period: Period) -> Span {
        Span {
            first: parse_date(first).unwrap(),
            last: parse_date(last).unwrap(),
            period,
        }
    }

    fn at(day: &str, hour: i64) -> i64 {
        unix_of(parse_date(day).unwrap()) + hour * 3600
    }

    fn conference(id: &str, name: &str, tag: &str, start: i64) -> ConferenceRow {
        ConferenceRow {
            id: id.into(),
            name: name.into(),
            tag: tag.into(),
            start_time: start,
        }
    }

    fn call(
        conference: &str,
        start: i64,
        end: i64,
        protocol: &str,
        quality: &str,
    ) -> ParticipantRow {
        ParticipantRow {
            conference_id: conference.into(),
            start_time: start,
            end_time: end,
            duration: end - start,
            protocol: protocol.into(),
            quality: quality.into(),
        }
    }

    #[test]
    fn buckets_cover_the_span_including_empty_ones() {
        let days = span("2026-11-28", "2026-12-02", Period::Day).bucket_starts();
        assert_eq!(days.len(), 5);
        let weeks = span("2026-11-28", "2026-12-02", Period::Week).bucket_starts();
        assert_eq!(
            weeks.iter().map(|d| format_date(*d)).collect::<Vec<_>>(),
            ["2026-11-23", "2026-11-30"]
        );
        let months = span("2026-01-15", "2026-03-01", Period::Month).bucket_starts();
        assert_eq!(months.len(), 3);
    }

    #[test]
    fn figures_per_bucket_room_protocol_and_quality() {
        let s = span("2026-12-01", "2026-12-03", Period::Day);
        let conferences = [
            conference("a", "Board", "acme", at("2026-12-01", 9)),
            conference("b", "Board", "acme", at("2026-12-02", 9)),
            conference("c", "Sales", "beta", at("2026-12-02", 10)),
        ];
        let participants = [
            // Board on the 1st: two overlapping calls, 60 + 30 minutes.
            call(
                "a",
                at("2026-12-01", 9),
                at("2026-12-01", 10),
                "SIP",
                "good",
            ),
            call(
                "a",
                at("2026-12-01", 9) + 1800,
                at("2026-12-01", 10),
                "WebRTC",
                "bad",
            ),
            // The 2nd: Board and Sales at the same time: three calls at once.
            call(
                "b",
                at("2026-12-02", 9),
                at("2026-12-02", 11),
                "WebRTC",
                "good",
            ),
            call(
                "c",
                at("2026-12-02", 10),
                at("2026-12-02", 11),
                "H323",
                "ok",
            ),
            call(
                "c",
                at("2026-12-02", 10),
                at("2026-12-02", 12),
                "WebRTC",
                "unknown",
            ),
            // Of a conference not selected (another tenant's, say): ignored.
            call(
                "zzz",
                at("2026-12-02", 10),
                at("2026-12-02", 12),
                "SIP",
                "good",
            ),
        ];
        let f = build(&s, &conferences, &participants);
        assert_eq!(f.totals.conferences, 3);
        assert_eq!(f.totals.participants, 5);
        assert_eq!(f.totals.participant_minutes, 60 + 30 + 120 + 60 + 120);
        assert_eq!(f.totals.peak_concurrent, 3);
        let per_day: Vec<(u64, u64, u64)> = f
            .buckets
            .iter()
            .map(|b| {
                (
                    b.figures.conferences,
                    b.figures.participant_minutes,
                    b.figures.peak_concurrent,
                )
            })
            .collect();
        assert_eq!(per_day, [(1, 90, 2), (2, 300, 3), (0, 0, 0)]);
        assert_eq!(
            f.protocols[0],
            NamedCount {
                name: "WebRTC".into(),
                count: 3
            }
        );
        let quality: Vec<u64> = f.quality.iter().map(|q| q.count).collect();
        assert_eq!(quality, [2, 1, 1, 0, 1]);
        let rooms: Vec<(&str, u64, u64, u64)> = f
            .rooms
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    r.figures.conferences,
                    r.figures.participant_minutes,
                    r.figures.peak_concurrent,
                )
            })
            .collect();
        assert_eq!(rooms, [("Board", 2, 210, 2), ("Sales", 1, 180, 2)]);
    }

    #[test]
    fn a_call_running_across_midnight_counts_in_both_days_peaks() {
        let s = span("2026-12-01", "2026-12-02", Period::Day);
        let conferences = [conference("a", "Night", "", at("2026-12-01", 23))];
        let participants = [call(
            "a",
            at("2026-12-01", 23),
            at("2026-12-02", 2),
            "SIP",
            "good",
        )];
        let f = build(&s, &conferences, &participants);
        let peaks: Vec<u64> = f
            .buckets
            .iter()
            .map(|b| b.figures.peak_concurrent)
            .collect();
        assert_eq!(peaks, [1, 1]);
        // Minutes count where the conference started.
        assert_eq!(f.buckets[0].figures.participant_minutes, 180);
        assert_eq!(f.buckets[1].figures.participant_minutes, 0);
    }

    #[test]
    fn back_to_back_calls_do_not_overlap() {
        let calls = [(0, 10), (10, 20), (5, 6)];
        assert_eq!(peaks(&calls, &[0], 0, 100), [2]);
    }
}
