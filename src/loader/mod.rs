//! Reading market data: barter's JSON (arrays or JSON lines), OHLCV CSV (with or without a
//! header, Binance klines included) and trades CSV. Every loader is an iterator, so large files
//! stream; every error names the line and column and says what was expected. A UTF-8 BOM at the
//! start of a file is ignored. [`detect_format`] tells the formats apart, [`load_text`] detects
//! and loads.

mod barter_json;
mod binance;
mod cells;
pub mod columns;
pub mod csv;
mod detect;
mod header;
mod ohlcv_csv;
pub mod push;
mod symbols;
mod time_column;
mod trades_csv;

pub use barter_json::{parse_barter_json, BarterJsonLines};
pub use detect::{detect_format, Format};
pub use ohlcv_csv::{OhlcvCsv, OhlcvFormat};
pub use push::PushDecoder;
pub use symbols::SymbolMap;
pub use trades_csv::{TradesCsv, TradesFormat};

use crate::error::{EngineError, Location};
use crate::event::{MarketEvent, StreamEvent};

/// How CSV rows are placed and ordered. The default refuses out-of-order files and files with a
/// symbol column (which need `symbols`).
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Order rows by time (a stable sort: equal times keep the file's order) instead of refusing
    /// the first row earlier than its predecessor. Sorting reads the whole file before the first
    /// row is returned.
    pub sort: bool,
    /// The config's instruments by name, for files with a `symbol`/`ticker`/`instrument` column:
    /// each row goes to the instrument its symbol names ([`SymbolMap::from_instruments`]).
    /// Files without such a column go to the loader's [`CsvTarget`].
    pub symbols: Option<SymbolMap>,
}

/// Detects the format of `text` ([`detect_format`]) and loads it: CSV rows without a symbol
/// column go to `target`; barter JSON names its own instruments and ignores `target` and
/// `options`. The whole text is one push into a [`PushDecoder`], so this and any chunking of the
/// same bytes give the same events and errors.
pub fn load_text(
    text: &str,
    target: CsvTarget,
    options: &LoadOptions,
) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    push::decode_all(text.as_bytes(), None, target, options)
}

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
            let read = self.reader.read_line(&mut self.buf);
            // Editors on Windows start UTF-8 files with a byte order mark; it is not data.
            if self.line == 1 && self.buf.starts_with('\u{feff}') {
                self.buf.drain(..'\u{feff}'.len_utf8());
            }
            match read {
                Ok(0) => return None,
                Ok(_) if self.buf.trim().is_empty() => continue,
                Ok(_) => return Some((self.line, Ok(self.buf.trim_end_matches(['\r', '\n'])))),
                Err(e) => return Some((self.line, Err(e))),
            }
        }
    }
}

/// Sorts rows by time, stably: rows with equal times (several symbols' bars of one date) keep file
/// order. One function for every loader that sorts, so the module holds one copy of the sort (a
/// closure at each call site was a copy each, 1.2 KB of wasm apiece).
#[inline(never)]
pub(crate) fn sort_by_time(rows: &mut [MarketEvent]) {
    rows.sort_by_key(|e| e.time_exchange);
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
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CsvTarget {
    /// Instrument index the rows belong to.
    pub instrument: crate::instrument::InstrumentIndex,
    /// Its exchange.
    pub exchange: crate::instrument::ExchangeId,
}
