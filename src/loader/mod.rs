//! Reading market data: barter's JSON (arrays or JSON lines), OHLCV CSV and trades CSV. Every
//! loader is an iterator, so large files stream; every error names the line and column.

mod barter_json;
pub mod columns;
pub mod csv;
mod ohlcv_csv;
mod trades_csv;

pub use barter_json::{parse_barter_json, BarterJsonLines};
pub use ohlcv_csv::{OhlcvCsv, OhlcvFormat};
pub use trades_csv::{TradesCsv, TradesFormat};

use crate::error::{EngineError, Location};

/// Reads a text input line by line, skipping blank lines, counting 1-based line numbers.
pub(crate) struct Lines<R> {
    reader: R,
    line: usize,
    buf: String,
}

impl<R: std::io::BufRead> Lines<R> {
    pub(crate) fn new(reader: R) -> Self {
        Lines { reader, line: 0, buf: String::new() }
    }

    /// The number of the line last read (0 before any).
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// The next non-blank line (its number, and its text without the line ending), or None at
    /// the end.
    pub(crate) fn next_line(&mut self) -> Option<(usize, std::io::Result<&str>)> {
        loop {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_line(&mut self.buf) {
                Ok(0) => return None,
                Ok(_) if self.buf.trim().is_empty() => continue,
                Ok(_) => return Some((self.line, Ok(self.buf.trim_end_matches(['\r', '\n'])))),
                Err(e) => return Some((self.line, Err(e))),
            }
        }
    }
}

pub(crate) fn decode_error(
    format: &str,
    line: usize,
    column: Option<usize>,
    path: Option<&str>,
    message: impl Into<String>,
) -> EngineError {
    EngineError::Decode {
        format: format.into(),
        location: Location {
            line: Some(line as u64),
            column: column.map(|c| c as u64),
            path: path.map(str::to_string),
        },
        message: message.into(),
    }
}

/// Where a CSV's rows go: the instrument index and its exchange.
#[derive(Copy, Clone, Debug)]
pub struct CsvTarget {
    /// Instrument index the rows belong to.
    pub instrument: crate::instrument::InstrumentIndex,
    /// Its exchange.
    pub exchange: crate::instrument::ExchangeId,
}
