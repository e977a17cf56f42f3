//! CSV reading shared by the CSV loaders: a line splitter (RFC 4180 quotes, no embedded newlines)
//! and a row iterator that formats plug into.
//!
//! Rows must be in time order (equal times allowed): the first row earlier than the one before
//! it is refused with its line, unless the loader sorts (`LoadOptions::sort`), which orders rows
//! by time and keeps the file's order among equal times. A file without data rows (empty, only
//! blank lines, or a header alone) is refused: an empty backtest is never what was meant.

use super::{decode_error, Lines};
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};
use crate::time::Timestamp;
use std::io::BufRead;

/// Splits one line into fields; `"a ""b"""` unquotes to `a "b"`.
pub fn split_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    split_fields(line, &mut fields).map_err(|(column, m)| format!("column {column}: {m}"))?;
    Ok(fields)
}

/// As [`split_line`], into `fields` (whose strings are reused: a file's rows cost no allocation
/// after the first), with the 1-based column of a failure apart from its message.
fn split_fields(line: &str, fields: &mut Vec<String>) -> Result<(), (usize, String)> {
    let mut n = 0;
    let mut next = |fields: &mut Vec<String>| -> usize {
        if n == fields.len() {
            fields.push(String::new());
        } else {
            fields[n].clear();
        }
        n += 1;
        n - 1
    };
    if !line.as_bytes().contains(&b'"') {
        // Most files quote nothing: split on comma bytes (always char boundaries in UTF-8).
        let mut start = 0;
        for (k, b) in line.bytes().enumerate() {
            if b == b',' {
                let i = next(fields);
                fields[i].push_str(&line[start..k]);
                start = k + 1;
            }
        }
        let i = next(fields);
        fields[i].push_str(&line[start..]);
        fields.truncate(n);
        return Ok(());
    }
    let mut cur = next(fields);
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, ',') => {
                cur = next(fields);
                was_quoted = false;
            }
            (false, '"') if fields[cur].is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    fields[cur].push('"');
                } else {
                    quoted = false;
                }
            }
            (_, c) => fields[cur].push(c),
        }
    }
    fields.truncate(n);
    if quoted {
        return Err((
            n,
            "unterminated quoted field; expected a closing \" before the end of the line".into(),
        ));
    }
    Ok(())
}

/// What a format makes of a file's first line.
pub enum FirstLine<C> {
    /// A header naming the columns.
    Header(C),
    /// A data row of a headerless format (Binance klines): columns are fixed.
    Row(C),
}

/// A CSV format: how its header maps columns and how a row becomes a market event.
pub trait CsvFormat {
    /// Column positions found in the header.
    type Columns: Copy;
    /// The format's name in errors.
    const NAME: &'static str;
    /// Reads the first non-blank line (`line` is 1-based).
    fn header(&mut self, fields: &[String], line: usize) -> Result<FirstLine<Self::Columns>, EngineError>;
    /// Reads one row.
    fn row(
        &mut self,
        fields: &[String],
        columns: Self::Columns,
        line: usize,
    ) -> Result<MarketEvent, EngineError>;
    /// The 0-based time column, named in order errors.
    fn time_column(columns: Self::Columns) -> usize;
}

/// The per-line state of a CSV format: its columns once the header is read, the rows seen, the
/// last row's time and line for the order check, and the reused fields. Both the reader-based
/// iterator ([`CsvRows`]) and the chunk decoder (`super::push`) feed it one line at a time, so
/// both give the same events and the same errors.
pub(crate) struct RowReader<F: CsvFormat> {
    format: F,
    columns: Option<F::Columns>,
    header_line: Option<usize>,
    rows: usize,
    /// The previous row's time and line, for the order check.
    last: Option<(Timestamp, usize)>,
    /// The current row's fields, reused from row to row.
    fields: Vec<String>,
}

impl<F: CsvFormat> RowReader<F> {
    pub(crate) fn new(format: F) -> Self {
        RowReader { format, columns: None, header_line: None, rows: 0, last: None, fields: Vec::new() }
    }

    /// Whether a data row was read.
    pub(crate) fn has_rows(&self) -> bool {
        self.rows > 0
    }

    /// The error for a file without data rows; `lines` is the number of lines the file has.
    pub(crate) fn no_rows(&self, lines: usize) -> EngineError {
        match self.header_line {
            Some(h) => decode_error(
                F::NAME,
                h,
                None,
                None,
                "no rows: the header is not followed by any data row; expected at least one",
            ),
            None => decode_error(
                F::NAME,
                lines.max(1),
                None,
                None,
                "no rows: the file is empty or blank; expected a header and at least one data row",
            ),
        }
    }

    /// Reads one non-blank line (`line` 1-based, `text` without its line ending): the row's
    /// event, or None for the header.
    pub(crate) fn line(&mut self, line: usize, text: &str) -> Result<Option<MarketEvent>, EngineError> {
        if let Err((c, m)) = split_fields(text, &mut self.fields) {
            return Err(decode_error(F::NAME, line, Some(c), None, m));
        }
        let fields = &self.fields;
        let columns = match self.columns {
            Some(c) => c,
            None => match self.format.header(fields, line)? {
                FirstLine::Header(c) => {
                    self.columns = Some(c);
                    self.header_line = Some(line);
                    return Ok(None);
                }
                FirstLine::Row(c) => {
                    self.columns = Some(c);
                    c
                }
            },
        };
        self.rows += 1;
        self.format.row(fields, columns, line).map(Some)
    }

    /// Refuses a row earlier than the one before it; else remembers its time and line.
    pub(crate) fn in_order(&mut self, event: &MarketEvent, line: usize) -> Result<(), EngineError> {
        let time = event.time_exchange;
        if let Some((prev, prev_line)) = self.last {
            if time < prev {
                let column = self.columns.map(|c| F::time_column(c) + 1);
                return Err(decode_error(
                    F::NAME,
                    line,
                    column,
                    Some("time"),
                    format!(
                        "{time} is before {prev} at line {prev_line}; expected rows in time order (oldest \
                         first), or the sort option to order them"
                    ),
                ));
            }
        }
        self.last = Some((time, line));
        Ok(())
    }
}

/// Streams rows of a CSV format: header first, blank lines skipped, every error with its line.
pub struct CsvRows<R, F: CsvFormat> {
    lines: Lines<R>,
    rows: RowReader<F>,
    ended: bool,
    sort: bool,
    /// With `sort`: every row, read and ordered at the first call.
    sorted: Option<std::vec::IntoIter<MarketEvent>>,
}

impl<R: BufRead, F: CsvFormat> CsvRows<R, F> {
    pub(crate) fn with_format(reader: R, format: F, sort: bool) -> Self {
        CsvRows { lines: Lines::new(reader), rows: RowReader::new(format), ended: false, sort, sorted: None }
    }

    /// The next row's event and line, in file order.
    fn next_row(&mut self) -> Option<Result<(MarketEvent, usize), EngineError>> {
        loop {
            let Some((line, text)) = self.lines.next_line() else {
                if !self.rows.has_rows() && !self.ended {
                    self.ended = true;
                    return Some(Err(self.rows.no_rows(self.lines.line().saturating_sub(1))));
                }
                return None;
            };
            let text = match text {
                Ok(t) => t,
                Err(e) => return Some(Err(decode_error(F::NAME, line, None, None, e.to_string()))),
            };
            match self.rows.line(line, text) {
                Ok(None) => continue,
                Ok(Some(e)) => return Some(Ok((e, line))),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<R: BufRead, F: CsvFormat> Iterator for CsvRows<R, F> {
    type Item = Result<StreamEvent<MarketEvent>, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.sort {
            if self.sorted.is_none() {
                let mut all = Vec::new();
                while let Some(row) = self.next_row() {
                    match row {
                        Ok((e, _)) => all.push(e),
                        Err(e) => {
                            self.sorted = Some(Vec::new().into_iter());
                            return Some(Err(e));
                        }
                    }
                }
                // Stable: rows with equal times (several symbols' bars of one date) keep file order.
                all.sort_by_key(|e| e.time_exchange);
                self.sorted = Some(all.into_iter());
            }
            return self.sorted.as_mut()?.next().map(|e| Ok(StreamEvent::Item(e)));
        }
        let (event, line) = match self.next_row()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        if let Err(e) = self.rows.in_order(&event, line) {
            return Some(Err(e));
        }
        Some(Ok(StreamEvent::Item(event)))
    }
}

/// Checks a built event's values, reporting failures as decode errors at `line`, in the column
/// `locate` gives for the failing field (`kind.Candle.open` → the Open column).
pub fn checked(
    event: MarketEvent,
    format: &str,
    line: usize,
    locate: impl Fn(&str) -> Option<(usize, &'static str)>,
) -> Result<MarketEvent, EngineError> {
    event.validate_values().map_err(|e| match e {
        EngineError::InvalidEvent { field, message } => match locate(&field) {
            Some((col, name)) => decode_error(format, line, Some(col + 1), Some(name), message),
            None => decode_error(format, line, None, Some(&field), message),
        },
        other => other,
    })?;
    Ok(event)
}
