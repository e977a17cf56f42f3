//! OHLCV CSV: `Date,Open,High,Low,Close[,Adj Close],Volume` (header required, any column order,
//! case-insensitive; `Adj Close` is ignored). Dates: ISO, RFC 3339 or US `M/D/YYYY`. Each row is
//! one `Candle` event timed at its date.

use super::csv::{checked, CsvFormat, CsvRows};
use super::{decode_error, CsvTarget};
use crate::error::EngineError;
use crate::event::{Candle, DataKind, MarketEvent};
use crate::time::parse_date_flexible;
use rust_decimal::Decimal;
use std::io::BufRead;

const FORMAT: &str = "ohlcv-csv";

/// The OHLCV format for one instrument.
#[derive(Copy, Clone, Debug)]
pub struct OhlcvFormat(CsvTarget);

/// Streams candles from OHLCV CSV.
pub type OhlcvCsv<R> = CsvRows<R, OhlcvFormat>;

impl<R: BufRead> CsvRows<R, OhlcvFormat> {
    /// Reads rows for one instrument.
    pub fn new(reader: R, target: CsvTarget) -> Self {
        CsvRows::with_format(reader, OhlcvFormat(target))
    }
}

const NAMES: [&str; 6] = ["Date", "Open", "High", "Low", "Close", "Volume"];

impl CsvFormat for OhlcvFormat {
    type Columns = [usize; 6];
    const NAME: &'static str = FORMAT;

    fn header(&self, fields: &[String], line: usize) -> Result<[usize; 6], EngineError> {
        let mut idx = [usize::MAX; 6];
        for (i, f) in fields.iter().enumerate() {
            let f = f.trim().trim_start_matches('\u{feff}').to_lowercase();
            let f = match f.as_str() {
                "time" | "timestamp" | "datetime" => "date",
                other => other,
            };
            if let Some(k) = NAMES.iter().position(|n| n.to_lowercase() == f) {
                idx[k] = i;
            }
        }
        for (k, n) in NAMES.iter().enumerate() {
            if idx[k] == usize::MAX {
                let n = n.to_lowercase();
                return Err(decode_error(
                    FORMAT,
                    line,
                    None,
                    Some(&n),
                    format!("header lacks a {n} column (need Date,Open,High,Low,Close,Volume)"),
                ));
            }
        }
        Ok(idx)
    }

    fn row(&self, fields: &[String], idx: [usize; 6], line: usize) -> Result<MarketEvent, EngineError> {
        let get = |k: usize| -> Result<&str, EngineError> {
            fields.get(idx[k]).map(|s| s.trim()).ok_or_else(|| {
                decode_error(
                    FORMAT,
                    line,
                    Some(idx[k] + 1),
                    Some(NAMES[k]),
                    format!("row has {} fields, {} is missing", fields.len(), NAMES[k]),
                )
            })
        };
        let time = parse_date_flexible(get(0)?)
            .map_err(|m| decode_error(FORMAT, line, Some(idx[0] + 1), Some("Date"), m))?;
        let mut v = [Decimal::ZERO; 5];
        for k in 1..6 {
            let text = get(k)?;
            v[k - 1] = text.parse::<Decimal>().or_else(|_| Decimal::from_scientific(text)).map_err(|_| {
                decode_error(
                    FORMAT,
                    line,
                    Some(idx[k] + 1),
                    Some(NAMES[k]),
                    format!("{text:?} is not a number"),
                )
            })?;
        }
        let event = MarketEvent {
            time_exchange: time,
            time_received: time,
            exchange: self.0.exchange,
            instrument: self.0.instrument,
            kind: DataKind::Candle(Candle {
                close_time: time,
                open: v[0],
                high: v[1],
                low: v[2],
                close: v[3],
                volume: v[4],
                trade_count: 0,
            }),
        };
        checked(event, FORMAT, line)
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
        assert_eq!(e.to_string(), "DECODE: ohlcv-csv line 3 column 3 (High): \"x\" is not a number");
        let e = load("Date,Open,High,Low,Close,Volume\n2020-01-01,1,0.9,0.5,1.5,10\n").unwrap_err();
        assert!(e.to_string().starts_with("DECODE: ohlcv-csv line 2 (kind.Candle): inconsistent bar"), "{e}");
        let e = load("Date,Open,High,Close,Volume\n").unwrap_err();
        assert!(e.to_string().contains("header lacks a low column"));
        let e = load("Date,Open,High,Low,Close,Volume\n2020-13-01,1,2,0.5,1.5,10\n").unwrap_err();
        assert!(e.to_string().starts_with("DECODE: ohlcv-csv line 2 column 1 (Date)"));
        let e = load("Date,Open,High,Low,Close,Volume\n2020-01-01,1,2\n").unwrap_err();
        assert!(e.to_string().contains("Low is missing"), "{e}");
        assert!(load("").is_err());
    }
}
