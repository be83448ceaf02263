//! What a usage report asks and answers, on the server and in the browser.

use serde::{Deserialize, Serialize};

/// The length of a report's time buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Day, Period::Week, Period::Month];

    /// The name used in URLs and forms (`day`, `week`, `month`).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The period a URL or form names; empty means [`Period::Day`].
    pub fn parse(text: &str) -> Option<Period> {
        match text.trim() {
            "" | "day" => Some(Period::Day),
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            _ => None,
        }
    }

    /// "Day", "Week", "Month".
    pub fn label(self) -> &'static str {
        match self {
            Period::Day => "Day",
            Period::Week => "Week",
            Period::Month => "Month",
        }
    }
}

/// The call quality classes, from the worst packet loss of a participant's media streams (the
/// thresholds of Pexip's own call quality indicator): good below 1 %, ok below 3 %, bad below
/// 10 %, terrible from 10 %; unknown without media streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    Good,
    Ok,
    Bad,
    Terrible,
    Unknown,
}

impl Quality {
    pub const ALL: [Quality; 5] = [
        Quality::Good,
        Quality::Ok,
        Quality::Bad,
        Quality::Terrible,
        Quality::Unknown,
    ];

    /// The class of a worst packet loss in percent (`None`: no media streams).
    pub fn from_packet_loss(worst_percent: Option<f64>) -> Quality {
        match worst_percent {
            None => Quality::Unknown,
            Some(loss) if loss < 1.0 => Quality::Good,
            Some(loss) if loss < 3.0 => Quality::Ok,
            Some(loss) if loss < 10.0 => Quality::Bad,
            Some(_) => Quality::Terrible,
        }
    }

    /// The stored name (`good`, `ok`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Good => "good",
            Quality::Ok => "ok",
            Quality::Bad => "bad",
            Quality::Terrible => "terrible",
            Quality::Unknown => "unknown",
        }
    }

    /// The class a stored name gives (anything else is unknown).
    pub fn parse(text: &str) -> Quality {
        Quality::ALL
            .into_iter()
            .find(|q| q.as_str() == text)
            .unwrap_or(Quality::Unknown)
    }

    /// What people read ("Good (< 1 % loss)").
    pub fn label(self) -> &'static str {
        match self {
            Quality::Good => "Good (< 1 % loss)",
            Quality::Ok => "OK (1-3 %)",
            Quality::Bad => "Bad (3-10 %)",
            Quality::Terrible => "Terrible (≥ 10 %)",
            Quality::Unknown => "Unknown (no media)",
        }
    }
}

/// What a report covers. Empty strings mean "not given": every tenant of the caller's scope,
/// every room, and the current month (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UsageQuery {
    /// A tenant's tag (admins and helpdesk; tenant admins always get their own).
    pub tenant: String,
    /// One room (the conference name), exactly.
    pub room: String,
    pub period: Period,
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// Last day, included, `YYYY-MM-DD` (UTC).
    pub to: String,
}

/// The figures of a report, of one of its buckets or of one room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UsageFigures {
    /// Conference instances that started in the span.
    pub conferences: u64,
    /// Participants (calls) of those conferences.
    pub participants: u64,
    /// Their time in the calls, in whole minutes (rounded down from the seconds' sum).
    pub participant_minutes: u64,
    /// The most participants in calls at one moment of the span.
    pub peak_concurrent: u64,
}

/// One bucket of the report (a day, a week or a month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageBucket {
    /// Its first day, `YYYY-MM-DD`.
    pub start: String,
    pub figures: UsageFigures,
}

/// A name with a count (protocols, quality classes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCount {
    pub name: String,
    pub count: u64,
}

/// One room's use over the report's span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomUsage {
    pub name: String,
    pub tag: String,
    pub figures: UsageFigures,
}

/// How much history the portal holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Conference instances stored (in the caller's scope).
    pub stored_conferences: u64,
    /// The start of the oldest of them, `YYYY-MM-DD HH:MM` UTC.
    pub oldest: Option<String>,
    /// The end of the newest of them.
    pub newest: Option<String>,
    /// When the history was last read with something new, Unix seconds.
    pub last_ingest: Option<i64>,
}

/// A usage report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    /// The tenant reported on (`None`: every tenant of the caller's scope).
    pub tenant: Option<String>,
    /// Whether the caller may choose the tenant (else it is fixed to theirs).
    pub tenant_fixed: bool,
    /// The room reported on (`None`: every room).
    pub room: Option<String>,
    pub period: Period,
    /// First and last day, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub totals: UsageFigures,
    /// Every bucket of the span, in order (empty ones included).
    pub buckets: Vec<UsageBucket>,
    /// Participants by protocol, most first.
    pub protocols: Vec<NamedCount>,
    /// Participants by call quality, in [`Quality::ALL`] order (names as [`Quality::as_str`]).
    pub quality: Vec<NamedCount>,
    /// Rooms by participant minutes, most first (all of them in CSV exports, the top ones on
    /// the page).
    pub rooms: Vec<RoomUsage>,
    /// The tenants' tags found in the stored history (for the caller to choose from).
    pub tenants: Vec<String>,
    pub coverage: Coverage,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_round_trip_their_names() {
        for period in Period::ALL {
            assert_eq!(Period::parse(period.as_str()), Some(period));
        }
        assert_eq!(Period::parse(""), Some(Period::Day));
        assert_eq!(Period::parse("year"), None);
    }

    #[test]
    fn quality_classes_follow_the_loss_thresholds() {
        assert_eq!(Quality::from_packet_loss(None), Quality::Unknown);
        assert_eq!(Quality::from_packet_loss(Some(0.0)), Quality::Good);
        assert_eq!(Quality::from_packet_loss(Some(0.99)), Quality::Good);
        assert_eq!(Quality::from_packet_loss(Some(1.0)), Quality::Ok);
        assert_eq!(Quality::from_packet_loss(Some(3.0)), Quality::Bad);
        assert_eq!(Quality::from_packet_loss(Some(10.0)), Quality::Terrible);
        for quality in Quality::ALL {
            assert_eq!(Quality::parse(quality.as_str()), quality);
        }
        assert_eq!(Quality::parse("other"), Quality::Unknown);
    }
}
