//! Telling the input formats apart from the text itself, so hosts (JS, Python) do not guess.
//!
//! The first non-blank line (a UTF-8 BOM ignored) decides:
//! - starting with `[` or `{`: barter JSON (an array, or JSON lines);
//! - 12 fields, an integer then a number: Binance klines without a header (OHLCV);
//! - a header naming any of `open`, `high`, `low`, `close`: OHLCV CSV, whose header must then
//!   be complete (`Date,Open,High,Low` is "OHLCV CSV missing column Close", not a trades file);
//! - a header naming `price`: trades CSV, likewise complete;
//! - anything else is refused, quoting (a prefix of) the line.

use super::csv::{column_message, FieldBuf};
use super::header::Header;
use super::{binance, decode_error, ohlcv_csv, trades_csv};
use crate::error::quote;
use crate::error::EngineError;

/// An input format.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// barter's market stream JSON, an array or JSON lines.
    BarterJson,
    /// OHLCV CSV with a header, or Binance klines without one.
    OhlcvCsv,
    /// Trades CSV.
    TradesCsv,
}

impl Format {
    /// The name the APIs take and errors give: `barter-json`, `ohlcv-csv`, `trades-csv`.
    pub fn name(self) -> &'static str {
        match self {
            Format::BarterJson => "barter-json",
            Format::OhlcvCsv => "ohlcv-csv",
            Format::TradesCsv => "trades-csv",
        }
    }
}

/// The format of `text`, from its first non-blank line; an incomplete header is refused as the
/// format it is closest to (`OHLCV CSV missing column Close`), and empty text as having no rows.
pub fn detect_format(text: &str) -> Result<Format, EngineError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((n, first)) = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty()) else {
        return Err(decode_error(
            "data",
            1,
            None,
            None,
            "no rows: the text is empty or blank; expected barter JSON, OHLCV CSV or trades CSV",
        ));
    };
    let line = n + 1;
    let first = first.trim();
    if first.starts_with('[') || first.starts_with('{') {
        return Ok(Format::BarterJson);
    }
    let mut buf = FieldBuf::default();
    let fields = buf.split(first).map_err(|e| decode_error("csv", line, None, None, column_message(e)))?;
    if binance::is_kline(&fields) {
        return Ok(Format::OhlcvCsv);
    }
    let h = Header::new(&fields, line, "csv");
    if h.has(&["open", "high", "low", "close"]) {
        ohlcv_csv::read_header(&fields, line, true)?;
        return Ok(Format::OhlcvCsv);
    }
    if h.has(&["price"]) {
        trades_csv::read_header(&fields, line, true)?;
        return Ok(Format::TradesCsv);
    }
    Err(decode_error(
        "csv",
        line,
        None,
        None,
        format!(
            "cannot tell the format from {}; expected barter JSON ([ or {{), an OHLCV header \
             (Date,Open,High,Low,Close[,Volume]), Binance klines (12 columns, no header) or a trades \
             header (time,price,amount)",
            quote(first)
        ),
    ))
}
