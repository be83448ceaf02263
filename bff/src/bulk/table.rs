//! Reading the CSV text into lines of cells under named columns. Problems that make the whole
//! file unreadable (too big, a quote never closed, a bad header) are errors naming the line;
//! a line with the wrong number of cells is kept with its own error.

use super::MAX_IMPORT_BYTES;
use super::columns::{self, Format, ROOMS};

/// The cells of a CSV file under their column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub has_header: bool,
    /// Column names, lower case (the v14 order when there is no header).
    pub columns: Vec<String>,
    pub lines: Vec<Line>,
}

/// One line (record) of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number where the record starts.
    pub number: u64,
    /// The cells, trimmed, with [`columns::restore`] applied; as many as there are columns
    /// unless `error` says otherwise.
    pub cells: Vec<String>,
    /// Why the line cannot be read as an item (wrong number of cells).
    pub error: Option<String>,
}

impl Table {
    /// The cell of `column` on `line`, if the file has that column.
    pub fn cell<'a>(&self, line: &'a Line, column: &str) -> Option<&'a str> {
        let index = self.columns.iter().position(|c| c == column)?;
        line.cells.get(index).map(String::as_str)
    }
}

/// Reads a rooms file: [`read_as`] with the rooms' columns.
pub fn read(text: &str) -> Result<Table, String> {
    read_as(text, &ROOMS)
}

/// Reads CSV text (comma-separated, `"` quoting, CRLF or LF line ends, an optional UTF-8 BOM,
/// an optional header row naming `format.key`, else `format.v14`'s order). Blank lines are
/// skipped.
pub fn read_as(text: &str, format: &Format) -> Result<Table, String> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(format!(
            "the file has {} KB; an import takes at most {} KB (split it into several files)",
            text.len().div_ceil(1024),
            MAX_IMPORT_BYTES / 1024
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = unclosed_quote(text) {
        return Err(format!(
            "line {line}: a quoted cell is never closed (a \" inside a quoted cell must be doubled: \"\")"
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = record.map_err(|error| match error.position() {
            Some(position) => format!("line {}: {error}", position.line()),
            None => error.to_string(),
        })?;
        let number = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
        let cells: Vec<String> = record
            .iter()
            .map(|cell| columns::restore(cell.trim()).to_string())
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        records.push((number, cells));
    }
    let Some((_, first)) = records.first() else {
        return Err(format!("the file holds no {}", format.noun));
    };
    let has_header = first
        .iter()
        .any(|cell| cell.eq_ignore_ascii_case(format.key));
    let columns: Vec<String> = if has_header {
        header(&records[0].1)?
    } else {
        format.v14.iter().map(|c| c.to_string()).collect()
    };
    let lines: Vec<Line> = records
        .into_iter()
        .skip(usize::from(has_header))
        .map(|(number, cells)| {
            let error = (cells.len() != columns.len()).then(|| {
                let expected = if has_header {
                    "as many as the header"
                } else {
                    "the v14 format without a header"
                };
                format!(
                    "the line has {} cells, expected {} ({expected})",
                    cells.len(),
                    columns.len()
                )
            });
            Line {
                number,
                cells,
                error,
            }
        })
        .collect();
    if lines.is_empty() {
        return Err(format!("the file holds no {}, only a header", format.noun));
    }
    Ok(Table {
        has_header,
        columns,
        lines,
    })
}

/// The column names of a header row (line 1 of the records read).
fn header(cells: &[String]) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::with_capacity(cells.len());
    for (index, cell) in cells.iter().enumerate() {
        let name = if cell.is_empty() {
            format!("column {}", index + 1)
        } else {
            cell.to_ascii_lowercase()
        };
        if names.contains(&name) {
            return Err(format!(
                "line 1: the header names the column `{name}` twice"
            ));
        }
        names.push(name);
    }
    Ok(names)
}

/// Line numbers of byte offsets, counted forward (records come in order). The reader's own line
/// numbers are one short after a CRLF line end (a record starts at the `\n` of the one before).
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the first character of a record starting at `offset` (line ends before it
    /// are skipped).
    fn line_at(&mut self, offset: usize) -> u64 {
        let mut start = offset.clamp(self.at, self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line += self.bytes[self.at..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = start;
        self.line
    }
}

/// The line on which a quoted cell opens that is never closed, if any. A quote opens a quoted
/// cell only at the start of a cell (elsewhere it is a plain character, as the reader takes it).
fn unclosed_quote(text: &str) -> Option<u64> {
    #[derive(Clone, Copy)]
    enum State {
        CellStart,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::CellStart;
    let mut line = 1u64;
    let mut opened_on = 0u64;
    for c in text.chars() {
        state = match (state, c) {
            (State::CellStart, '"') => {
                opened_on = line;
                State::Quoted
            }
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, '"') => State::Quoted,
            (_, ',' | '\n' | '\r') => State::CellStart,
            (_, _) => State::Plain,
        };
        if c == '\n' {
            line += 1;
        }
    }
    matches!(state, State::Quoted).then_some(opened_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_header_the_v14_order_applies() {
        let table =
            read("Board,Main board room,1234,true,,board@acme.example,,acme,,,video,,,,,\n")
                .unwrap();
        assert!(!table.has_header);
        let line = &table.lines[0];
        assert_eq!(line.number, 1);
        assert_eq!(line.error, None);
        assert_eq!(table.cell(line, "name"), Some("Board"));
        assert_eq!(table.cell(line, "pin"), Some("1234"));
        assert_eq!(table.cell(line, "alias_alias"), Some("board@acme.example"));
        assert_eq!(table.cell(line, "tag"), Some("acme"));
    }

    #[test]
    fn a_header_may_reorder_and_omit_columns() {
        let table = read("PIN,Name,alias_alias\n1234,Board,b@x\n").unwrap();
        assert!(table.has_header);
        assert_eq!(table.columns, ["pin", "name", "alias_alias"]);
        let line = &table.lines[0];
        assert_eq!(line.number, 2);
        assert_eq!(table.cell(line, "name"), Some("Board"));
        assert_eq!(table.cell(line, "description"), None);
    }

    #[test]
    fn quoting_bom_crlf_and_blank_lines() {
        let text = "\u{feff}name,description\r\n\"Board, big\",\"He said \"\"hi\"\"\r\nand left\"\r\n\r\n,\r\nSmall,  padded  \r\n";
        let table = read(text).unwrap();
        assert!(table.has_header, "the BOM does not hide the header");
        assert_eq!(table.lines.len(), 2);
        assert_eq!(table.lines[0].number, 2);
        assert_eq!(
            table.lines[0].cells,
            ["Board, big", "He said \"hi\"\r\nand left"]
        );
        // The multi-line record started on line 2, so the next one is on line 6.
        assert_eq!(table.lines[1].number, 6);
        assert_eq!(table.lines[1].cells, ["Small", "padded"]);
    }

    #[test]
    fn wrong_cell_counts_are_errors_of_their_line() {
        let table = read("name,pin\nA,1234\nB\nC,1,2\n").unwrap();
        assert_eq!(table.lines[0].error, None);
        assert_eq!(
            table.lines[1].error.as_deref(),
            Some("the line has 1 cells, expected 2 (as many as the header)")
        );
        assert!(table.lines[2].error.is_some());
        assert_eq!(table.lines[2].number, 4);
    }

    #[test]
    fn unreadable_files_name_the_line() {
        assert_eq!(
            read("name,description\nA,\"open\nB,x\n").unwrap_err(),
            "line 2: a quoted cell is never closed (a \" inside a quoted cell must be doubled: \"\")"
        );
        // A quote inside a plain cell is a character, not an opening.
        let table = read("name,description\nA,5\" screen\n").unwrap();
        assert_eq!(table.lines[0].cells[1], "5\" screen");
        assert_eq!(
            read("name,pin,Name\nA,1,B\n").unwrap_err(),
            "line 1: the header names the column `name` twice"
        );
        assert_eq!(read("").unwrap_err(), "the file holds no rooms");
        assert_eq!(read("\r\n,,\n").unwrap_err(), "the file holds no rooms");
        assert_eq!(
            read("name,pin\n").unwrap_err(),
            "the file holds no rooms, only a header"
        );
        let big = "x".repeat(MAX_IMPORT_BYTES + 1);
        assert!(read(&big).unwrap_err().contains("at most 384 KB"));
    }

    #[test]
    fn device_files_have_their_own_columns_and_key() {
        let table = read_as(
            "desk@acme.example,acme,Desk,desk,secret,it@acme.example\n",
            &columns::DEVICES,
        )
        .unwrap();
        assert!(!table.has_header);
        assert_eq!(
            table.cell(&table.lines[0], "alias"),
            Some("desk@acme.example")
        );
        assert_eq!(table.cell(&table.lines[0], "password"), Some("secret"));
        let table = read_as("Description,ALIAS\nDesk,d@x\n", &columns::DEVICES).unwrap();
        assert!(table.has_header);
        assert_eq!(table.cell(&table.lines[0], "alias"), Some("d@x"));
        assert_eq!(
            read_as("alias\n", &columns::DEVICES).unwrap_err(),
            "the file holds no device aliases, only a header"
        );
    }

    #[test]
    fn defused_cells_are_restored() {
        let table = read("name,description\nA,'=cmd\nB,'plain\n").unwrap();
        assert_eq!(table.lines[0].cells[1], "=cmd");
        assert_eq!(table.lines[1].cells[1], "'plain");
    }
}
