//! Trades CSV, one public `Trade` event per row. Header required (any order, any case):
//! - time: `time`, `timestamp`, `date`, `datetime` or `open_time`; texts as in `time_column`
//!   (ISO/RFC 3339, `M/D/YYYY`, Unix times in s, ms, µs or ns by digit count);
//! - `price`; amount: `amount`, `qty`, `quantity`, `size` or `volume`;
//! - `side` (optional; `buy`/`b` or `sell`/`s`, any case; buys without the column);
//! - `id` or `trade_id` (optional; the data row's number without it);
//! - `symbol`, `ticker` or `instrument` (optional): several instruments in one file, each row
//!   mapped by name ([`super::SymbolMap`]).

use super::cells::{cell, decimal, no_symbol_map, row_target};
use super::csv::{checked, CsvFormat, CsvRows, Fields, FirstLine};
use super::header::Header;
use super::symbols::{SymbolMap, SYMBOL_NAMES};
use super::time_column::{TimeColumn, TIME_NAMES};
use super::{decode_error, CsvTarget, LoadOptions};
use crate::error::quote;
use crate::error::EngineError;
use crate::event::{DataKind, MarketEvent, PublicTrade};
use crate::order::Side;
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
    symbol: Option<usize>,
}

/// The trades format: where rows go and the state of the time column.
#[derive(Clone, Debug)]
pub struct TradesFormat {
    target: CsvTarget,
    symbols: Option<SymbolMap>,
    time: TimeColumn,
}

/// Streams trades from CSV.
pub type TradesCsv<R> = CsvRows<R, TradesFormat>;

impl<R: BufRead> CsvRows<R, TradesFormat> {
    /// Reads rows for one instrument, refusing out-of-order files and symbol columns.
    pub fn new(reader: R, target: CsvTarget) -> Self {
        Self::with_options(reader, target, LoadOptions::default())
    }

    /// Reads rows for `target`, or for the instruments a symbol column names (`options.symbols`);
    /// `options.sort` orders rows by time.
    pub fn with_options(reader: R, target: CsvTarget, options: LoadOptions) -> Self {
        CsvRows::with_format(reader, TradesFormat::new(target, options.symbols), options.sort)
    }
}

impl TradesFormat {
    /// Rows without a symbol column go to `target`; with one, to the instrument `symbols` names.
    pub(crate) fn new(target: CsvTarget, symbols: Option<SymbolMap>) -> Self {
        TradesFormat { target, symbols, time: TimeColumn::default() }
    }
}

/// Header names of the amount column.
pub(crate) const AMOUNT_NAMES: [&str; 5] = ["amount", "qty", "quantity", "size", "volume"];

/// Reads a trades header; detection calls it too.
pub(crate) fn read_header(fields: &Fields<'_>, line: usize, with_symbols: bool) -> Result<Cols, EngineError> {
    let h = Header::new(fields, line, FORMAT);
    let need = |found: Option<usize>, what: &str| {
        found.ok_or_else(|| {
            decode_error(
                FORMAT,
                line,
                None,
                Some(what),
                format!(
                    "trades CSV missing column {what}; expected a header like time,price,amount[,side][,id] \
                     (any order, any case)"
                ),
            )
        })
    };
    let cols = Cols {
        time: need(h.find(&TIME_NAMES, "time")?, "time")?,
        price: need(h.find(&["price"], "price")?, "price")?,
        amount: need(h.find(&AMOUNT_NAMES, "amount")?, "amount")?,
        side: h.find(&["side"], "side")?,
        id: h.find(&["id", "trade_id"], "id")?,
        symbol: h.find(&SYMBOL_NAMES, "symbol")?,
    };
    if let (Some(i), false) = (cols.symbol, with_symbols) {
        return Err(no_symbol_map(FORMAT, line, i, h.name(i)));
    }
    Ok(cols)
}

impl CsvFormat for TradesFormat {
    type Columns = Cols;
    const NAME: &'static str = FORMAT;

    fn header(&mut self, fields: &Fields<'_>, line: usize) -> Result<FirstLine<Cols>, EngineError> {
        read_header(fields, line, self.symbols.is_some()).map(FirstLine::Header)
    }

    fn row(&mut self, fields: &Fields<'_>, c: Cols, line: usize) -> Result<MarketEvent, EngineError> {
        let text = cell(FORMAT, fields, c.time, "time", line)?;
        let time = self
            .time
            .parse(text, line)
            .map_err(|m| decode_error(FORMAT, line, Some(c.time + 1), Some("time"), m))?;
        let price = decimal(FORMAT, fields, c.price, "price", line)?;
        let amount = decimal(FORMAT, fields, c.amount, "amount", line)?;
        let side = match c.side {
            None => Side::Buy,
            Some(i) => {
                let text = cell(FORMAT, fields, i, "side", line)?;
                if text.eq_ignore_ascii_case("buy") || text.eq_ignore_ascii_case("b") {
                    Side::Buy
                } else if text.eq_ignore_ascii_case("sell") || text.eq_ignore_ascii_case("s") {
                    Side::Sell
                } else {
                    return Err(decode_error(
                        FORMAT,
                        line,
                        Some(i + 1),
                        Some("side"),
                        format!("expected buy or sell, got {}", quote(text)),
                    ));
                }
            }
        };
        let id = match c.id {
            Some(i) => cell(FORMAT, fields, i, "id", line)?.to_string(),
            None => (line - 1).to_string(),
        };
        let target = row_target(FORMAT, self.target, &mut self.symbols, c.symbol, fields, line)?;
        let event = MarketEvent {
            time_exchange: time,
            time_received: time,
            exchange: target.exchange,
            instrument: target.instrument,
            kind: DataKind::Trade(PublicTrade { id, price, amount, side }),
        };
        checked(event, FORMAT, line, |field| match field {
            "kind.Trade.price" => Some((c.price, "price")),
            "kind.Trade.amount" => Some((c.amount, "amount")),
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
        assert_eq!(e.to_string(), "DECODE: trades-csv line 2 column 2 (price): must be positive, got -1");
        let e = load("time,price,amount,side\n2024-01-01,1,1,up\n").unwrap_err();
        assert!(e.to_string().contains("line 2 column 4 (side): expected buy or sell, got \"up\""), "{e}");
        let e = load("time,amount\n").unwrap_err();
        assert!(e.to_string().contains("trades CSV missing column price"), "{e}");
    }
}
