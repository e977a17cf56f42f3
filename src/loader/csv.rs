//! CSV reading shared by the CSV loaders: a line splitter (RFC 4180 quotes, no embedded newlines)
//! and a row iterator that formats plug into.

use super::{decode_error, Lines};
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};
use std::io::BufRead;

/// Splits one line into fields; `"a ""b"""` unquotes to `a "b"`.
pub fn split_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, ',') => {
                fields.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            (false, '"') if cur.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            }
            (_, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    fields.push(cur);
    Ok(fields)
}

/// A CSV format: how its header maps columns and how a row becomes a market event.
pub trait CsvFormat {
    /// Column positions found in the header.
    type Columns: Copy;
    /// The format's name in errors.
    const NAME: &'static str;
    /// Reads the header (`line` is 1-based).
    fn header(&self, fields: &[String], line: usize) -> Result<Self::Columns, EngineError>;
    /// Reads one row.
    fn row(&self, fields: &[String], columns: Self::Columns, line: usize)
        -> Result<MarketEvent, EngineError>;
}

/// Streams rows of a CSV format: header first, blank lines skipped, every error with its line.
pub struct CsvRows<R, F: CsvFormat> {
    lines: Lines<R>,
    format: F,
    columns: Option<F::Columns>,
}

impl<R: BufRead, F: CsvFormat> CsvRows<R, F> {
    pub(crate) fn with_format(reader: R, format: F) -> Self {
        CsvRows { lines: Lines::new(reader), format, columns: None }
    }
}

impl<R: BufRead, F: CsvFormat> Iterator for CsvRows<R, F> {
    type Item = Result<StreamEvent<MarketEvent>, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some((line, text)) = self.lines.next_line() else {
                let empty = self.columns.is_none() && self.lines.line() == 1;
                return empty.then(|| {
                    Err(decode_error(F::NAME, 1, None, None, "empty file: a header row is required"))
                });
            };
            let fields = match text.map_err(|e| e.to_string()).and_then(split_line) {
                Ok(f) => f,
                Err(m) => return Some(Err(decode_error(F::NAME, line, None, None, m))),
            };
            match self.columns {
                None => match self.format.header(&fields, line) {
                    Ok(c) => self.columns = Some(c),
                    Err(e) => return Some(Err(e)),
                },
                Some(c) => return Some(self.format.row(&fields, c, line).map(StreamEvent::Item)),
            }
        }
    }
}

/// Checks a built event's values, reporting failures as decode errors at `line`.
pub fn checked(event: MarketEvent, format: &str, line: usize) -> Result<MarketEvent, EngineError> {
    event.validate_values().map_err(|e| match e {
        EngineError::InvalidEvent { field, message } => {
            decode_error(format, line, None, Some(&field), message)
        }
        other => other,
    })?;
    Ok(event)
}
