//! Columnar input: bars or trades as parallel number columns (JS typed arrays, Python lists),
//! turned into events in one pass after one boundary crossing per column. Times are milliseconds
//! since the epoch (JS `Date` time); values become decimals by their shortest form.
//!
//! Times that are all below 1e11 ms (before 1973-03-03) are refused: they are almost surely
//! seconds (1e11 s is in the year 5138, so every real seconds time is below it), which would put
//! every bar in January 1970. [`ColumnOptions::early_times`] accepts them for data that really is
//! that old (or synthetic times from 0).

use super::CsvTarget;
use crate::error::EngineError;
use crate::event::{Candle, DataKind, MarketEvent, PublicTrade, StreamEvent};
use crate::order::Side;
use crate::strategy::host::decimal_from_f64;
use crate::time::Timestamp;
use rust_decimal::Decimal;

/// OHLCV bars; `time_ms` is each bar's close time. Without `volume`, volumes are zero.
#[derive(Clone, Copy, Debug)]
pub struct CandleColumns<'a> {
    /// Close times, ms since the epoch.
    pub time_ms: &'a [f64],
    /// Opens.
    pub open: &'a [f64],
    /// Highs.
    pub high: &'a [f64],
    /// Lows.
    pub low: &'a [f64],
    /// Closes.
    pub close: &'a [f64],
    /// Volumes, optional.
    pub volume: Option<&'a [f64]>,
}

/// Checks on columnar input.
#[derive(Clone, Copy, Debug, Default)]
pub struct ColumnOptions {
    /// Accept columns whose times are all below 1e11 ms (before 1973-03-03), which are refused
    /// by default as looking like seconds.
    pub early_times: bool,
}

/// Every time is below this (ms): the column looks like seconds.
const SECONDS_LIKE: f64 = 1e11;

fn not_seconds(time_ms: &[f64], options: &ColumnOptions) -> Result<(), EngineError> {
    if options.early_times || time_ms.is_empty() || !time_ms.iter().all(|t| t.abs() < SECONDS_LIKE) {
        return Ok(());
    }
    Err(EngineError::argument(
        "columns.time[0]",
        format!(
            "{}: times look like seconds; columns take ms since the epoch (every time is below 1e11 ms, \
             i.e. before 1973-03-03; multiply by 1000, or set early_times to accept them)",
            time_ms[0]
        ),
    ))
}

/// Public trades; `side` is exactly +1 for buys and -1 for sells (default: buys); other values
/// are refused, since a sign test would read a column of trade ids or quantities as sides.
#[derive(Clone, Copy, Debug)]
pub struct TradeColumns<'a> {
    /// Trade times, ms since the epoch.
    pub time_ms: &'a [f64],
    /// Prices.
    pub price: &'a [f64],
    /// Amounts.
    pub amount: &'a [f64],
    /// Sides, optional.
    pub side: Option<&'a [f64]>,
}

fn same_length(n: usize, columns: &[(&str, Option<&[f64]>)]) -> Result<(), EngineError> {
    for (name, c) in columns {
        if let Some(c) = c {
            if c.len() != n {
                return Err(EngineError::argument(
                    format!("columns.{name}"),
                    format!("{} values, but time has {n}", c.len()),
                ));
            }
        }
    }
    Ok(())
}

fn time(ms: f64, i: usize) -> Result<Timestamp, EngineError> {
    Timestamp::from_millis_f64(ms).ok_or_else(|| {
        EngineError::argument(
            format!("columns.time[{i}]"),
            format!("{ms} is not a time in ms since the epoch"),
        )
    })
}

fn value(column: &str, xs: &[f64], i: usize) -> Result<Decimal, EngineError> {
    decimal_from_f64(xs[i]).map_err(|m| EngineError::argument(format!("columns.{column}[{i}]"), m))
}

fn checked(event: MarketEvent, i: usize) -> Result<StreamEvent<MarketEvent>, EngineError> {
    event.validate_values().map_err(|e| e.within(&format!("columns[{i}]")))?;
    Ok(StreamEvent::Item(event))
}

/// Bars to candle events for `target`, with the default checks.
pub fn candles(
    target: CsvTarget,
    c: &CandleColumns<'_>,
) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    candles_with(target, c, &ColumnOptions::default())
}

/// Bars to candle events for `target`.
pub fn candles_with(
    target: CsvTarget,
    c: &CandleColumns<'_>,
    options: &ColumnOptions,
) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    let n = c.time_ms.len();
    same_length(
        n,
        &[
            ("open", Some(c.open)),
            ("high", Some(c.high)),
            ("low", Some(c.low)),
            ("close", Some(c.close)),
            ("volume", c.volume),
        ],
    )?;
    not_seconds(c.time_ms, options)?;
    (0..n)
        .map(|i| {
            let t = time(c.time_ms[i], i)?;
            let volume = match c.volume {
                Some(v) => value("volume", v, i)?,
                None => Decimal::ZERO,
            };
            let candle = Candle {
                close_time: t,
                open: value("open", c.open, i)?,
                high: value("high", c.high, i)?,
                low: value("low", c.low, i)?,
                close: value("close", c.close, i)?,
                volume,
                trade_count: 0,
            };
            checked(
                MarketEvent {
                    time_exchange: t,
                    time_received: t,
                    exchange: target.exchange,
                    instrument: target.instrument,
                    kind: DataKind::Candle(candle),
                },
                i,
            )
        })
        .collect()
}

/// Trades to public-trade events for `target` (ids are the row numbers), with the default checks.
pub fn trades(target: CsvTarget, c: &TradeColumns<'_>) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    trades_with(target, c, &ColumnOptions::default())
}

/// Trades to public-trade events for `target` (ids are the row numbers).
pub fn trades_with(
    target: CsvTarget,
    c: &TradeColumns<'_>,
    options: &ColumnOptions,
) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    let n = c.time_ms.len();
    same_length(n, &[("price", Some(c.price)), ("amount", Some(c.amount)), ("side", c.side)])?;
    not_seconds(c.time_ms, options)?;
    (0..n)
        .map(|i| {
            let t = time(c.time_ms[i], i)?;
            let side = match c.side.map(|s| s[i]) {
                None => Side::Buy,
                Some(1.0) => Side::Buy,
                Some(-1.0) => Side::Sell,
                Some(x) => {
                    return Err(EngineError::argument(
                        format!("columns.side[{i}]"),
                        format!("{x}: expected +1 (buy) or -1 (sell)"),
                    ))
                }
            };
            let trade = PublicTrade {
                id: i.to_string(),
                price: value("price", c.price, i)?,
                amount: value("amount", c.amount, i)?,
                side,
            };
            checked(
                MarketEvent {
                    time_exchange: t,
                    time_received: t,
                    exchange: target.exchange,
                    instrument: target.instrument,
                    kind: DataKind::Trade(trade),
                },
                i,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{ExchangeId, InstrumentIndex};

    fn target() -> CsvTarget {
        CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("other").unwrap() }
    }

    #[test]
    fn candles_match_the_csv_loader() {
        // The first S&P 500 row of data/ohlcv/sp500.csv, through both loaders.
        let csv = "Date,Open,High,Low,Close,Adj Close,Volume\n1/4/1999,1229.22998,1248.810059,1219.099976,1228.099976,1228.099976,877000000\n";
        let from_csv: Vec<_> =
            super::super::OhlcvCsv::new(csv.as_bytes(), target()).collect::<Result<_, _>>().unwrap();
        let t = 915_408_000_000.0; // 1999-01-04T00:00:00Z
        let cols = CandleColumns {
            time_ms: &[t],
            open: &[1229.22998],
            high: &[1248.810059],
            low: &[1219.099976],
            close: &[1228.099976],
            volume: Some(&[877000000.0]),
        };
        assert_eq!(candles(target(), &cols).unwrap(), from_csv);
    }

    #[test]
    fn bad_columns_name_the_cell() {
        let cols = CandleColumns {
            time_ms: &[0.0, 1.0],
            open: &[1.0, 1.0],
            high: &[1.0, 1.0],
            low: &[1.0],
            close: &[1.0, 1.0],
            volume: None,
        };
        assert_eq!(
            candles(target(), &cols).unwrap_err().to_string(),
            "INVALID_ARGUMENT: columns.low: 1 values, but time has 2"
        );
        // 2020-01-01 and a minute later, in ms.
        let cols = CandleColumns {
            time_ms: &[1_577_836_800_000.0, 1_577_836_860_000.0],
            open: &[1.0, f64::NAN],
            high: &[1.0, 1.0],
            low: &[1.0, 1.0],
            close: &[1.0, 1.0],
            volume: None,
        };
        assert_eq!(
            candles(target(), &cols).unwrap_err().to_string(),
            "INVALID_ARGUMENT: columns.open[1]: NaN is not a finite number"
        );
        let t = [1_577_836_800_000.0];
        let cols = TradeColumns { time_ms: &t, price: &[-5.0], amount: &[1.0], side: Some(&[1.0]) };
        assert!(
            matches!(trades(target(), &cols).unwrap_err(), EngineError::InvalidEvent { ref field, .. } if field.starts_with("columns[0]."))
        );
        let cols = TradeColumns { time_ms: &[f64::INFINITY], price: &[5.0], amount: &[1.0], side: None };
        assert!(trades(target(), &cols).unwrap_err().to_string().contains("columns.time[0]"));
        let cols = TradeColumns { time_ms: &t, price: &[5.0], amount: &[1.0], side: Some(&[0.0]) };
        assert!(trades(target(), &cols).unwrap_err().to_string().contains("columns.side[0]"));
    }

    #[test]
    fn sides_are_exactly_plus_or_minus_one() {
        let t = [1_577_836_800_000.0, 1_577_836_860_000.0];
        let cols =
            TradeColumns { time_ms: &t, price: &[5.0, 5.0], amount: &[1.0, 1.0], side: Some(&[-1.0, 5.0]) };
        assert_eq!(
            trades(target(), &cols).unwrap_err().to_string(),
            "INVALID_ARGUMENT: columns.side[1]: 5: expected +1 (buy) or -1 (sell)"
        );
        let cols = TradeColumns { side: Some(&[1.0, -1.0]), ..cols };
        assert_eq!(trades(target(), &cols).unwrap().len(), 2);
    }

    #[test]
    fn times_in_seconds_are_refused_unless_allowed() {
        // 1577836800 is 2020-01-01 in seconds: as ms it is 1970-01-19.
        let t = [1_577_836_800.0, 1_577_836_860.0];
        let cols = TradeColumns { time_ms: &t, price: &[5.0, 5.0], amount: &[1.0, 1.0], side: None };
        let e = trades(target(), &cols).unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::InvalidArgument);
        assert!(
            e.to_string().starts_with(
                "INVALID_ARGUMENT: columns.time[0]: 1577836800: times look like seconds; columns take ms since the epoch"
            ),
            "{e}"
        );
        let v = trades_with(target(), &cols, &ColumnOptions { early_times: true }).unwrap();
        let StreamEvent::Item(e) = &v[1] else { panic!() };
        assert_eq!(e.time_exchange.to_rfc3339(), "1970-01-19T06:17:16.860Z");
        let bars = CandleColumns {
            time_ms: &t,
            open: &[1.0; 2],
            high: &[1.0; 2],
            low: &[1.0; 2],
            close: &[1.0; 2],
            volume: None,
        };
        assert!(candles(target(), &bars).unwrap_err().to_string().contains("times look like seconds"));
        // One time at or above 1e11 ms (1973-03-03T09:46:40Z) is enough to read the column as ms.
        let t = [0.0, 1e11];
        let bars = CandleColumns { time_ms: &t, ..bars };
        assert_eq!(candles(target(), &bars).unwrap().len(), 2);
    }
}
