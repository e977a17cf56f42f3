//! OHLCV CSV: `Date,Open,High,Low,Close[,Adj Close],Volume` (header required, any column order,
//! case-insensitive; `Adj Close` is ignored). Dates: ISO, RFC 3339 or US `M/D/YYYY`. Each row is
//! one `Candle` event timed at its date.

use super::csv::split_line;
use super::{decode_error, CsvTarget};
use crate::error::EngineError;
use crate::event::{Candle, DataKind, MarketEvent, StreamEvent};
use crate::time::parse_date_flexible;
use rust_decimal::Decimal;
use std::io::BufRead;

const FORMAT: &str = "ohlcv-csv";

/// Streams candles from OHLCV CSV.
pub struct OhlcvCsv<R> {
    reader: R,
    target: CsvTarget,
    line: usize,
    columns: Option<[usize; 6]>,
    buf: String,
}

impl<R: BufRead> OhlcvCsv<R> {
    /// Reads rows for one instrument.
    pub fn new(reader: R, target: CsvTarget) -> Self {
        OhlcvCsv { reader, target, line: 0, columns: None, buf: String::new() }
    }

    fn header(&self, fields: &[String]) -> Result<[usize; 6], EngineError> {
        let names = ["date", "open", "high", "low", "close", "volume"];
        let mut idx = [usize::MAX; 6];
        for (i, f) in fields.iter().enumerate() {
            let f = f.trim().trim_start_matches('\u{feff}').to_lowercase();
            let f = match f.as_str() {
                "time" | "timestamp" | "datetime" => "date",
                other => other,
            };
            if let Some(k) = names.iter().position(|n| *n == f) {
                idx[k] = i;
            }
        }
        for (k, n) in names.iter().enumerate() {
            if idx[k] == usize::MAX {
                return Err(decode_error(FORMAT, self.line, None, Some(n), format!("header lacks a {n} column (need Date,Open,High,Low,Close,Volume)")));
            }
        }
        Ok(idx)
    }

    fn row(&self, fields: &[String], idx: [usize; 6]) -> Result<MarketEvent, EngineError> {
        let names = ["Date", "Open", "High", "Low", "Close", "Volume"];
        let get = |k: usize| -> Result<&str, EngineError> {
            fields
                .get(idx[k])
                .map(|s| s.trim())
                .ok_or_else(|| decode_error(FORMAT, self.line, Some(idx[k] + 1), Some(names[k]), format!("row has {} fields, {} is missing", fields.len(), names[k])))
        };
        let time = parse_date_flexible(get(0)?).map_err(|m| decode_error(FORMAT, self.line, Some(idx[0] + 1), Some("Date"), m))?;
        let mut v = [Decimal::ZERO; 5];
        for k in 1..6 {
            let text = get(k)?;
            v[k - 1] = text.parse::<Decimal>().or_else(|_| Decimal::from_scientific(text)).map_err(|_| {
                decode_error(FORMAT, self.line, Some(idx[k] + 1), Some(names[k]), format!("{text:?} is not a number"))
            })?;
        }
        let event = MarketEvent {
            time_exchange: time,
            time_received: time,
            exchange: self.target.exchange,
            instrument: self.target.instrument,
            kind: DataKind::Candle(Candle { close_time: time, open: v[0], high: v[1], low: v[2], close: v[3], volume: v[4], trade_count: 0 }),
        };
        event.validate_values().map_err(|e| {
            let (field, message) = match e {
                EngineError::InvalidEvent { field, message } => (field, message),
                other => (String::new(), other.to_string()),
            };
            decode_error(FORMAT, self.line, None, Some(&field), message)
        })?;
        Ok(event)
    }
}

impl<R: BufRead> Iterator for OhlcvCsv<R> {
    type Item = Result<StreamEvent<MarketEvent>, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_line(&mut self.buf) {
                Ok(0) => {
                    return (self.columns.is_none() && self.line == 1).then(|| Err(decode_error(FORMAT, 1, None, None, "empty file: a header row is required")));
                }
                Ok(_) => {}
                Err(e) => return Some(Err(decode_error(FORMAT, self.line, None, None, e.to_string()))),
            }
            let t = self.buf.trim_end_matches(['\r', '\n']);
            if t.trim().is_empty() {
                continue;
            }
            let fields = match split_line(t) {
                Ok(f) => f,
                Err(m) => return Some(Err(decode_error(FORMAT, self.line, None, None, m))),
            };
            match self.columns {
                None => match self.header(&fields) {
                    Ok(c) => self.columns = Some(c),
                    Err(e) => return Some(Err(e)),
                },
                Some(c) => return Some(self.row(&fields, c).map(StreamEvent::Item)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{ExchangeId, InstrumentIndex};

    fn target() -> CsvTarget {
        CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("other").unwrap() }
    }

    fn load(text: &str) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
        OhlcvCsv::new(text.as_bytes(), target()).collect()
    }

    #[test]
    fn loads_rows() {
        let v = load("Date,Open,High,Low,Close,Adj Close,Volume\n1/4/1999,1229.22998,1248.810059,1219.099976,1228.099976,1228.099976,877000000\n").unwrap();
        let StreamEvent::Item(e) = &v[0] else { panic!() };
        assert_eq!(e.time_exchange.to_rfc3339(), "1999-01-04T00:00:00Z");
        let DataKind::Candle(c) = &e.kind else { panic!() };
        assert_eq!(c.open.to_string(), "1229.22998");
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = load("Date,Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,1.5,10\n2020-01-02,1,x,0.5,1.5,10\n").unwrap_err();
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
