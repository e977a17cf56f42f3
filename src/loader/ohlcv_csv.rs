//! OHLCV CSV, one `Candle` event per row, timed at the row's time.
//!
//! With a header (any column order, names trimmed and in any case):
//! - time: `Date`, `Datetime`, `Time`, `Timestamp` or `open_time`, or an unnamed first column
//!   (pandas' index: backtesting.py's files start `,Open,High,Low,Close,Volume`); texts as in
//!   `time_column`: ISO/RFC 3339, `M/D/YYYY`, or Unix times in s, ms, µs or ns told apart by
//!   their digit count;
//! - `Open`, `High`, `Low`, `Close` (required), `Volume` (optional; zero without it);
//! - `symbol`, `ticker` or `instrument` (optional): rows of several instruments in one file, each
//!   mapped by name ([`super::SymbolMap`]); without the column every row goes to the loader's
//!   target;
//! - other columns (`Adj Close`, ...) are ignored; a role named twice is refused.
//!
//! Without a header: Binance klines (12 columns, see `binance`).

use super::cells::{cell, decimal, no_symbol_map, row_target};
use super::csv::{checked, CsvFormat, CsvRows, Fields, FirstLine};
use super::header::Header;
use super::symbols::{SymbolMap, SYMBOL_NAMES};
use super::time_column::{TimeColumn, TIME_NAMES};
use super::{binance, decode_error, CsvTarget, LoadOptions};
use crate::error::EngineError;
use crate::event::{Candle, DataKind, MarketEvent};
use rust_decimal::Decimal;
use std::io::BufRead;

const FORMAT: &str = "ohlcv-csv";

/// Column positions of an OHLCV file.
#[derive(Copy, Clone, Debug)]
pub struct Cols {
    time: usize,
    ohlc: [usize; 4],
    volume: Option<usize>,
    symbol: Option<usize>,
    /// Headerless formats have a fixed row width.
    width: Option<usize>,
}

/// The OHLCV format: where rows go and the state of the time column.
#[derive(Clone, Debug)]
pub struct OhlcvFormat {
    target: CsvTarget,
    symbols: Option<SymbolMap>,
    time: TimeColumn,
}

/// Streams candles from OHLCV CSV.
pub type OhlcvCsv<R> = CsvRows<R, OhlcvFormat>;

impl<R: BufRead> CsvRows<R, OhlcvFormat> {
    /// Reads rows for one instrument, refusing out-of-order files and symbol columns.
    pub fn new(reader: R, target: CsvTarget) -> Self {
        Self::with_options(reader, target, LoadOptions::default())
    }

    /// Reads rows for `target`, or for the instruments a symbol column names (`options.symbols`);
    /// `options.sort` orders rows by time.
    pub fn with_options(reader: R, target: CsvTarget, options: LoadOptions) -> Self {
        CsvRows::with_format(reader, OhlcvFormat::new(target, options.symbols), options.sort)
    }
}

impl OhlcvFormat {
    /// Rows without a symbol column go to `target`; with one, to the instrument `symbols` names.
    pub(crate) fn new(target: CsvTarget, symbols: Option<SymbolMap>) -> Self {
        OhlcvFormat { target, symbols, time: TimeColumn::default() }
    }
}

const NAMES: [&str; 4] = ["Open", "High", "Low", "Close"];
const LOWER: [&str; 4] = ["open", "high", "low", "close"];

/// The detection and loading error for a header without one of the required columns.
pub(crate) fn missing(line: usize, name: &str) -> EngineError {
    decode_error(
        FORMAT,
        line,
        None,
        Some(name),
        format!(
            "OHLCV CSV missing column {name}; expected a header like Date,Open,High,Low,Close[,Volume] \
             (any order, any case)"
        ),
    )
}

/// Reads an OHLCV header (or recognises a headerless kline row); detection calls it too.
pub(crate) fn read_header(
    fields: &Fields<'_>,
    line: usize,
    with_symbols: bool,
) -> Result<FirstLine<Cols>, EngineError> {
    if binance::is_kline(fields) {
        return Ok(FirstLine::Row(Cols {
            time: binance::TIME,
            ohlc: binance::OHLC,
            volume: Some(binance::VOLUME),
            symbol: None,
            width: Some(binance::WIDTH),
        }));
    }
    let h = Header::new(fields, line, FORMAT);
    let time = match h.find(&TIME_NAMES, "time")? {
        Some(i) => i,
        None if h.name(0).is_empty() => 0,
        None => return Err(missing(line, "Date")),
    };
    let mut ohlc = [0; 4];
    for (k, name) in NAMES.iter().enumerate() {
        ohlc[k] = h.find(&[LOWER[k]], LOWER[k])?.ok_or_else(|| missing(line, name))?;
    }
    let volume = h.find(&["volume"], "volume")?;
    let symbol = h.find(&SYMBOL_NAMES, "symbol")?;
    if let (Some(i), false) = (symbol, with_symbols) {
        return Err(no_symbol_map(FORMAT, line, i, h.name(i)));
    }
    Ok(FirstLine::Header(Cols { time, ohlc, volume, symbol, width: None }))
}

impl CsvFormat for OhlcvFormat {
    type Columns = Cols;
    const NAME: &'static str = FORMAT;

    fn header(&mut self, fields: &Fields<'_>, line: usize) -> Result<FirstLine<Cols>, EngineError> {
        read_header(fields, line, self.symbols.is_some())
    }

    fn row(&mut self, fields: &Fields<'_>, c: Cols, line: usize) -> Result<MarketEvent, EngineError> {
        if let Some(w) = c.width {
            if fields.len() != w {
                // The column named is the first missing one, or the first extra one.
                return Err(decode_error(
                    FORMAT,
                    line,
                    Some(fields.len().min(w) + 1),
                    Some("Binance kline"),
                    format!("row has {} fields; expected {w} (a Binance kline row)", fields.len()),
                ));
            }
        }
        let text = cell(FORMAT, fields, c.time, "time", line)?;
        let time = self
            .time
            .parse(text, line)
            .map_err(|m| decode_error(FORMAT, line, Some(c.time + 1), Some("time"), m))?;
        let mut v = [Decimal::ZERO; 4];
        for k in 0..4 {
            v[k] = decimal(FORMAT, fields, c.ohlc[k], NAMES[k], line)?;
        }
        let volume = match c.volume {
            Some(i) => decimal(FORMAT, fields, i, "Volume", line)?,
            None => Decimal::ZERO,
        };
        let target = row_target(FORMAT, self.target, &mut self.symbols, c.symbol, fields, line)?;
        let event = MarketEvent {
            time_exchange: time,
            time_received: time,
            exchange: target.exchange,
            instrument: target.instrument,
            kind: DataKind::Candle(Candle {
                close_time: time,
                open: v[0],
                high: v[1],
                low: v[2],
                close: v[3],
                volume,
                trade_count: 0,
            }),
        };
        checked(event, FORMAT, line, |field| match field {
            "kind.Candle.open" => Some((c.ohlc[0], "Open")),
            "kind.Candle.high" => Some((c.ohlc[1], "High")),
            "kind.Candle.low" => Some((c.ohlc[2], "Low")),
            "kind.Candle.close" => Some((c.ohlc[3], "Close")),
            "kind.Candle.volume" => c.volume.map(|i| (i, "Volume")),
            // An inconsistent bar: the high is below another price, or else the low above one.
            "kind.Candle" if v[1] < v[2] || v[1] < v[0].max(v[3]) => Some((c.ohlc[1], "High")),
            "kind.Candle" => Some((c.ohlc[2], "Low")),
            _ => None,
        })
    }

    fn time_column(c: Cols) -> usize {
        c.time
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{ExchangeId, InstrumentIndex};

    fn target() -> CsvTarget {
        CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("other").unwrap() }
    }

    fn load(text: &str) -> Result<Vec<crate::event::StreamEvent<MarketEvent>>, EngineError> {
        OhlcvCsv::new(text.as_bytes(), target()).collect()
    }

    #[test]
    fn loads_rows() {
        let v = load("Date,Open,High,Low,Close,Adj Close,Volume\n1/4/1999,1229.22998,1248.810059,1219.099976,1228.099976,1228.099976,877000000\n").unwrap();
        let crate::event::StreamEvent::Item(e) = &v[0] else { panic!() };
        assert_eq!(e.time_exchange.to_rfc3339(), "1999-01-04T00:00:00Z");
        let DataKind::Candle(c) = &e.kind else { panic!() };
        assert_eq!(c.open.to_string(), "1229.22998");
    }

    #[test]
    fn errors_name_line_and_column() {
        let e =
            load("Date,Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,1.5,10\n2020-01-02,1,x,0.5,1.5,10\n")
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "DECODE: ohlcv-csv line 3 column 3 (High): expected a decimal number, got \"x\""
        );
        // High 0.9 is below the close 1.5: the High column is named.
        let e = load("Date,Open,High,Low,Close,Volume\n2020-01-01,1,0.9,0.5,1.5,10\n").unwrap_err();
        assert!(
            e.to_string().starts_with("DECODE: ohlcv-csv line 2 column 3 (High): inconsistent bar"),
            "{e}"
        );
        let e = load("Date,Open,High,Close,Volume\n").unwrap_err();
        assert!(e.to_string().contains("OHLCV CSV missing column Low"), "{e}");
        let e = load("Date,Open,High,Low,Close,Volume\n2020-13-01,1,2,0.5,1.5,10\n").unwrap_err();
        assert!(e.to_string().starts_with("DECODE: ohlcv-csv line 2 column 1 (time)"), "{e}");
        let e = load("Date,Open,High,Low,Close,Volume\n2020-01-01,1,2\n").unwrap_err();
        assert!(e.to_string().contains("expected a Low value in column 4"), "{e}");
        assert!(load("").is_err());
    }
}
