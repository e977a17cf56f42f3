//! Reading market data: barter's JSON (arrays or JSON lines), OHLCV CSV and trades CSV. Every
//! loader is an iterator, so large files stream; every error names the line and column.

mod barter_json;
pub mod csv;
mod ohlcv_csv;
mod trades_csv;

pub use barter_json::{parse_barter_json, BarterJsonLines};
pub use ohlcv_csv::{OhlcvCsv, OhlcvFormat};
pub use trades_csv::{TradesCsv, TradesFormat};

use crate::error::{EngineError, Location};

pub(crate) fn decode_error(format: &str, line: usize, column: Option<usize>, path: Option<&str>, message: impl Into<String>) -> EngineError {
    EngineError::Decode {
        format: format.into(),
        location: Location { line: Some(line as u64), column: column.map(|c| c as u64), path: path.map(str::to_string) },
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
