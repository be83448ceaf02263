//! CSV downloads: a usage report as one table (a `section` column tells its parts apart, so that
//! a spreadsheet filters it), and a list of ended conferences. Every cell goes through the rooms
//! export's [`defuse`], so that no cell runs as a spreadsheet formula.

use super::model::{Quality, UsageFigures, UsageReport};
use crate::bulk::columns::defuse;
use serde_json::Value;

/// The columns of a report export.
pub const REPORT_COLUMNS: [&str; 7] = [
    "section",
    "name",
    "tenant",
    "conferences",
    "participants",
    "participant_minutes",
    "peak_concurrent",
];

/// The columns of a history export (the history API's field names).
pub const HISTORY_COLUMNS: [&str; 8] = [
    "id",
    "name",
    "tag",
    "service_type",
    "start_time",
    "end_time",
    "duration",
    "participant_count",
];

fn write(lines: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for line in lines {
        let cells: Vec<String> = line.iter().map(|cell| defuse(cell)).collect();
        // Writing into a Vec cannot fail.
        writer
            .write_record(&cells)
            .expect("writing CSV into memory");
    }
    let bytes = writer.into_inner().expect("flushing CSV into memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
}

fn figures_line(section: &str, name: &str, tenant: &str, f: &UsageFigures) -> Vec<String> {
    vec![
        section.to_string(),
        name.to_string(),
        tenant.to_string(),
        f.conferences.to_string(),
        f.participants.to_string(),
        f.participant_minutes.to_string(),
        f.peak_concurrent.to_string(),
    ]
}

/// A count of participants (protocols, quality classes): in the `participants` column.
fn count_line(section: &str, name: &str, tenant: &str, count: u64) -> Vec<String> {
    vec![
        section.to_string(),
        name.to_string(),
        tenant.to_string(),
        String::new(),
        count.to_string(),
        String::new(),
        String::new(),
    ]
}

/// The report as CSV: the totals (`total`, named by the span), one `period` line per bucket
/// (named by its first day), one `room` line per room (every room, most used first), then the
/// participants per `protocol` and per call `quality`.
pub fn report_csv(report: &UsageReport) -> String {
    let tenant = report.tenant.clone().unwrap_or_default();
    let mut lines = vec![REPORT_COLUMNS.map(String::from).to_vec()];
    lines.push(figures_line(
        "total",
        &format!("{} to {}", report.from, report.to),
        &tenant,
        &report.totals,
    ));
    for bucket in &report.buckets {
        lines.push(figures_line(
            report.period.as_str(),
            &bucket.start,
            &tenant,
            &bucket.figures,
        ));
    }
    for room in &report.rooms {
        lines.push(figures_line("room", &room.name, &room.tag, &room.figures));
    }
    for protocol in &report.protocols {
        lines.push(count_line(
            "protocol",
            &protocol.name,
            &tenant,
            protocol.count,
        ));
    }
    for quality in &report.quality {
        let name = Quality::parse(&quality.name).as_str();
        lines.push(count_line("quality", name, &tenant, quality.count));
    }
    write(lines)
}

/// History `conference` records as CSV, in [`HISTORY_COLUMNS`].
pub fn history_csv(conferences: &[Value]) -> String {
    let cell = |record: &Value, key: &str| match record.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut lines = vec![HISTORY_COLUMNS.map(String::from).to_vec()];
    lines.extend(
        conferences
            .iter()
            .map(|c| HISTORY_COLUMNS.iter().map(|key| cell(c, key)).collect()),
    );
    write(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::columns::restore;
    use crate::usage::model::{NamedCount, Period, RoomUsage, UsageBucket};
    use serde_json::json;

    fn read(csv: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(|c| restore(c).to_string()).collect())
            .collect()
    }

    #[test]
    fn the_report_is_one_table_with_formula_cells_defused() {
        let figures = UsageFigures {
            conferences: 2,
            participants: 5,
            participant_minutes: 90,
            peak_concurrent: 3,
        };
        let report = UsageReport {
            tenant: Some("acme".into()),
            tenant_fixed: true,
            room: None,
            period: Period::Week,
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            totals: figures,
            buckets: vec![UsageBucket {
                start: "2026-10-26".into(),
                figures,
            }],
            protocols: vec![NamedCount {
                name: "SIP".into(),
                count: 5,
            }],
            quality: vec![NamedCount {
                name: "good".into(),
                count: 5,
            }],
            rooms: vec![RoomUsage {
                name: "=HYPERLINK(\"http://x\")".into(),
                tag: "acme".into(),
                figures,
            }],
            tenants: vec![],
            coverage: Default::default(),
        };
        let csv = report_csv(&report);
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(!csv.contains(",=HYPERLINK"), "{csv}");
        let lines = read(&csv);
        assert_eq!(lines[0], REPORT_COLUMNS);
        assert_eq!(
            lines[1],
            [
                "total",
                "2026-11-01 to 2026-11-30",
                "acme",
                "2",
                "5",
                "90",
                "3"
            ]
        );
        assert_eq!(lines[2][..2], ["week", "2026-10-26"]);
        assert_eq!(lines[3][..3], ["room", "=HYPERLINK(\"http://x\")", "acme"]);
        assert_eq!(lines[4], ["protocol", "SIP", "acme", "", "5", "", ""]);
        assert_eq!(lines[5][..2], ["quality", "good"]);
    }

    #[test]
    fn history_lines_keep_their_values() {
        let csv = history_csv(&[json!({
            "id": "c1", "name": "+4712345678", "tag": "acme", "service_type": "conference",
            "start_time": "2026-11-01T09:00:00", "end_time": "2026-11-01T10:00:00",
            "duration": 3600, "participant_count": 4
        })]);
        assert!(csv.contains("'+4712345678"), "{csv}");
        let lines = read(&csv);
        assert_eq!(lines[0], HISTORY_COLUMNS);
        assert_eq!(
            lines[1],
            [
                "c1",
                "+4712345678",
                "acme",
                "conference",
                "2026-11-01T09:00:00",
                "2026-11-01T10:00:00",
                "3600",
                "4"
            ]
        );
    }
}
