//! Trades CSV: header `time,price,amount[,side][,id]` (aliases: timestamp/date, qty/quantity/size).
//! Each row is one public `Trade` event.

use super::csv::{checked, CsvFormat, CsvRows};
use super::{decode_error, CsvTarget};
use crate::error::EngineError;
use crate::event::{DataKind, MarketEvent, PublicTrade};
use crate::order::Side;
use crate::time::parse_date_flexible;
use rust_decimal::Decimal;
use std::io::BufRead;

const FORMAT: &str = "trades-csv";

/// Column positions of a trades file.
#[derive(Copy, Clone, Debug)]
pub struct Cols {
    time: usize,
    price: usize,
    amount: usize,
    side: Option<usize>,
    id: Option<usize>,
}

/// The trades format for one instrument.
#[derive(Copy, Clone, Debug)]
pub struct TradesFormat(CsvTarget);

/// Streams trades from CSV.
pub type TradesCsv<R> = CsvRows<R, TradesFormat>;

impl<R: BufRead> CsvRows<R, TradesFormat> {
    /// Reads rows for one instrument.
    pub fn new(reader: R, target: CsvTarget) -> Self {
        CsvRows::with_format(reader, TradesFormat(target))
    }
}

impl CsvFormat for TradesFormat {
    type Columns = Cols;
    const NAME: &'static str = FORMAT;

    fn header(&self, fields: &[String], line: usize) -> Result<Cols, EngineError> {
        let find = |names: &[&str]| {
            fields.iter().position(|f| {
                names.contains(&f.trim().trim_start_matches('\u{feff}').to_lowercase().as_str())
            })
        };
        let need = |names: &[&str], what: &str| {
            find(names).ok_or_else(|| {
                decode_error(
                    FORMAT,
                    line,
                    None,
                    Some(what),
                    format!("header lacks a {what} column (need time,price,amount)"),
                )
            })
        };
        Ok(Cols {
            time: need(&["time", "timestamp", "date", "datetime"], "time")?,
            price: need(&["price"], "price")?,
            amount: need(&["amount", "qty", "quantity", "size", "volume"], "amount")?,
            side: find(&["side"]),
            id: find(&["id", "trade_id"]),
        })
    }

    fn row(&self, fields: &[String], c: Cols, line: usize) -> Result<MarketEvent, EngineError> {
        let get = |i: usize, name: &str| -> Result<&str, EngineError> {
            fields.get(i).map(|s| s.trim()).ok_or_else(|| {
                decode_error(FORMAT, line, Some(i + 1), Some(name), format!("{name} is missing"))
            })
        };
        let time = parse_date_flexible(get(c.time, "time")?)
            .map_err(|m| decode_error(FORMAT, line, Some(c.time + 1), Some("time"), m))?;
        let num = |i: usize, name: &str| -> Result<Decimal, EngineError> {
            let t = get(i, name)?;
            t.parse::<Decimal>().or_else(|_| Decimal::from_scientific(t)).map_err(|_| {
                decode_error(FORMAT, line, Some(i + 1), Some(name), format!("{t:?} is not a number"))
            })
        };
        let (price, amount) = (num(c.price, "price")?, num(c.amount, "amount")?);
        let side = match c.side {
            None => Side::Buy,
            Some(i) => match get(i, "side")?.to_lowercase().as_str() {
                "buy" | "b" => Side::Buy,
                "sell" | "s" => Side::Sell,
                other => {
                    return Err(decode_error(
                        FORMAT,
                        line,
                        Some(i + 1),
                        Some("side"),
                        format!("{other:?} is not buy or sell"),
                    ))
                }
            },
        };
        let id = match c.id {
            Some(i) => get(i, "id")?.to_string(),
            None => (line - 1).to_string(),
        };
        let event = MarketEvent {
            time_exchange: time,
            time_received: time,
            exchange: self.0.exchange,
            instrument: self.0.instrument,
            kind: DataKind::Trade(PublicTrade { id, price, amount, side }),
        };
        checked(event, FORMAT, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{ExchangeId, InstrumentIndex};

    fn load(text: &str) -> Result<Vec<crate::event::StreamEvent<MarketEvent>>, EngineError> {
        TradesCsv::new(
            text.as_bytes(),
            CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("other").unwrap() },
        )
        .collect()
    }

    #[test]
    fn loads_and_rejects() {
        let v = load("timestamp,price,qty,side\n2024-01-01T00:00:00Z,100.5,0.1,sell\n").unwrap();
        let crate::event::StreamEvent::Item(e) = &v[0] else { panic!() };
        let DataKind::Trade(t) = &e.kind else { panic!() };
        assert_eq!((t.price.to_string(), t.side), ("100.5".into(), Side::Sell));
        let e = load("time,price,amount\n2024-01-01,-1,1\n").unwrap_err();
        assert_eq!(e.to_string(), "DECODE: trades-csv line 2 (kind.Trade.price): must be positive, got -1");
        let e = load("time,price,amount,side\n2024-01-01,1,1,up\n").unwrap_err();
        assert!(e.to_string().contains("line 2 column 4 (side)"));
        let e = load("time,amount\n").unwrap_err();
        assert!(e.to_string().contains("header lacks a price column"));
    }
}
