//! The trade list: one row per position, closed or still open, in backtesting.py's columns.

use crate::instrument::Instruments;
use crate::order::Side;
use crate::state::{EngineState, PositionExited};
use crate::time::Timestamp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One trade (a position from entry to exit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TradeRecord {
    /// Instrument internal name.
    pub instrument: String,
    /// Long (Buy) or short (Sell).
    pub side: Side,
    /// Largest size held (positive).
    pub size: Decimal,
    /// Index of the equity point at entry.
    pub entry_bar: usize,
    /// Index of the equity point at exit (the last point for an open trade).
    pub exit_bar: usize,
    /// Average entry price.
    pub entry_price: Decimal,
    /// Average exit price; for an open trade, the mark it is valued at.
    pub exit_price: Option<Decimal>,
    /// PnL net of all fees (for an open trade: realised + unrealised).
    pub pnl: Decimal,
    /// Fees paid.
    pub commission: Decimal,
    /// PnL / (size × entry price), in percent (as every `*_pct` field of the report).
    pub return_pct: Option<Decimal>,
    /// The stop-loss price of the entry's bracket (none without one: backtesting.py's `SL`).
    #[serde(default)]
    pub stop_loss: Option<Decimal>,
    /// The take-profit price of the entry's bracket (none without one: backtesting.py's `TP`).
    #[serde(default)]
    pub take_profit: Option<Decimal>,
    /// Entry time.
    pub entry_time: Timestamp,
    /// Exit time (none while open).
    pub exit_time: Option<Timestamp>,
    /// Seconds held (to the last point for an open trade).
    pub duration_secs: i64,
    /// Still open at the end of the run.
    pub open: bool,
    /// Strategy tag (the strategy id).
    pub tag: String,
}

/// A row of backtesting.py 0.6.6's `_trades`, under its column names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct BacktestingPyTrade {
    /// Units, negative for a short.
    pub size: Decimal,
    /// Index of the entry bar.
    pub entry_bar: usize,
    /// Index of the exit bar.
    pub exit_bar: usize,
    /// Average entry price.
    pub entry_price: Decimal,
    /// Average exit price.
    pub exit_price: Option<Decimal>,
    /// Stop-loss price (none yet).
    #[serde(rename = "SL")]
    pub sl: Option<Decimal>,
    /// Take-profit price (none yet).
    #[serde(rename = "TP")]
    pub tp: Option<Decimal>,
    /// PnL net of commissions.
    #[serde(rename = "PnL")]
    pub pnl: Decimal,
    /// Entry and exit commissions.
    pub commission: Decimal,
    /// Return as a fraction (backtesting.py's unit, despite the name).
    pub return_pct: Option<Decimal>,
    /// Entry time.
    pub entry_time: Timestamp,
    /// Exit time.
    pub exit_time: Option<Timestamp>,
    /// Seconds held.
    pub duration: i64,
    /// Strategy tag.
    pub tag: String,
}

impl TradeRecord {
    /// Return as a fraction in f64 (for statistics).
    pub fn return_f64(&self) -> f64 {
        self.return_pct.and_then(|r| (r / Decimal::ONE_HUNDRED).to_f64()).unwrap_or(0.0)
    }

    /// The trade as a row of backtesting.py's `_trades` (its column names and units: `ReturnPct`
    /// is a fraction there, durations in seconds; `SL`/`TP` the bracket's prices, or null).
    pub fn backtesting_py(&self) -> BacktestingPyTrade {
        BacktestingPyTrade {
            size: if self.side == Side::Buy { self.size } else { -self.size },
            entry_bar: self.entry_bar,
            exit_bar: self.exit_bar,
            entry_price: self.entry_price,
            exit_price: self.exit_price,
            sl: self.stop_loss,
            tp: self.take_profit,
            pnl: self.pnl,
            commission: self.commission,
            return_pct: self.return_pct.map(|r| r / Decimal::ONE_HUNDRED),
            entry_time: self.entry_time,
            exit_time: self.exit_time,
            duration: self.duration_secs,
            tag: self.tag.clone(),
        }
    }

    /// PnL as f64.
    pub fn pnl_f64(&self) -> f64 {
        self.pnl.to_f64().unwrap_or(0.0)
    }
}

fn percent(fraction: Decimal) -> Option<Decimal> {
    fraction.checked_mul(Decimal::ONE_HUNDRED)
}

/// The exits a trade's entry placed (its bracket's prices), as the account stream showed them.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ExitPrices {
    /// Stop-loss price.
    pub stop_loss: Option<Decimal>,
    /// Take-profit price.
    pub take_profit: Option<Decimal>,
}

/// Where the trades lie in the equity points: `closed[k]` the entry and exit points of
/// `exited[k]`, `open_entry(instrument, time_enter)` an open position's entry point, and the number
/// of points and the last one's time.
pub struct TradeBars<'a> {
    /// Entry and exit point of each closed position.
    pub closed: &'a [(usize, usize)],
    /// Entry point of an open position.
    pub open_entry: &'a dyn Fn(usize, Timestamp) -> usize,
    /// Points in the series.
    pub points: usize,
    /// The last point's time.
    pub last_time: Option<Timestamp>,
    /// The exits of each closed position (parallel to `closed`), and of each instrument's open one.
    pub exits: (&'a [ExitPrices], &'a [ExitPrices]),
}

/// Builds the trade list: closed positions in order, then open ones.
pub fn trade_list(
    exited: &[PositionExited],
    state: &EngineState,
    instruments: &Instruments,
    bars: &TradeBars,
    tag: &str,
) -> Vec<TradeRecord> {
    let last_time = bars.last_time.unwrap_or(state.time);
    let name = |i: usize| instruments.instruments()[i].name_internal.clone();
    let mut out: Vec<TradeRecord> = exited
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let commission = p.fees_enter + p.fees_exit;
            let (entry_bar, exit_bar) = bars.closed.get(k).copied().unwrap_or((0, 0));
            let exits = bars.exits.0.get(k).copied().unwrap_or_default();
            TradeRecord {
                instrument: name(p.instrument.0),
                side: p.side,
                size: p.quantity_abs_max,
                entry_bar,
                exit_bar,
                entry_price: p.price_entry_average,
                exit_price: Some(p.price_exit_average),
                pnl: p.pnl_realised,
                commission,
                return_pct: p.pnl_return().and_then(percent),
                stop_loss: exits.stop_loss,
                take_profit: exits.take_profit,
                entry_time: p.time_enter,
                exit_time: Some(p.time_exit),
                duration_secs: p.time_exit.0.saturating_sub(p.time_enter.0) / 1_000_000_000,
                open: false,
                tag: tag.to_string(),
            }
        })
        .collect();
    for (i, s) in state.instruments.iter().enumerate() {
        let Some(p) = &s.position else { continue };
        let pnl = p.pnl_realised + p.pnl_unrealised();
        let base = p.price_entry_average * p.quantity_abs_max;
        let exits = bars.exits.1.get(i).copied().unwrap_or_default();
        out.push(TradeRecord {
            instrument: name(i),
            side: p.side,
            size: p.quantity_abs_max,
            entry_bar: (bars.open_entry)(i, p.time_enter),
            exit_bar: bars.points.saturating_sub(1),
            entry_price: p.price_entry_average,
            exit_price: s.market.mark(),
            pnl,
            commission: p.fees_enter + p.fees_exit,
            // None for a zero base, and past Decimal's range (an entry at 10^-22 marked at 10^10).
            return_pct: pnl.checked_div(base).and_then(percent),
            stop_loss: exits.stop_loss,
            take_profit: exits.take_profit,
            entry_time: p.time_enter,
            exit_time: None,
            duration_secs: last_time.0.saturating_sub(p.time_enter.0) / 1_000_000_000,
            open: true,
            tag: tag.to_string(),
        });
    }
    out
}
