//! The statistics a run gives without its equity curve: those of its first and last equity points
//! and of its closed trades. A sweep ranked by one of them runs without valuing the portfolio at
//! every bar or accumulating the curve's statistics (about two thirds of a sweep run's work), and
//! each value has the same bits as the same field of the full [`PortfolioStats`]: both are computed
//! by the same functions from the same inputs.
//!
//! [`PortfolioStats`]: super::portfolio::PortfolioStats

use super::equity::EquityPoint;
use super::portfolio::{cagr_pct, resolution_of, return_pct, TradeStats};
use super::trade::TradeRecord;
use crate::time::{Timestamp, NANOS_PER_SEC};
use rust_decimal::Decimal;
use serde::Serialize;

/// A run's statistics that need no equity curve; each field is the same-named one of the full
/// portfolio statistics, to the bit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedStats {
    /// First point.
    pub start: Timestamp,
    /// Last point.
    pub end: Timestamp,
    /// end − start, seconds.
    pub duration_secs: i64,
    /// Last equity (money: decimal text).
    pub equity_final: Decimal,
    /// Total return, %.
    pub return_pct: f64,
    /// Compound annual growth rate, %.
    pub cagr_pct: Option<f64>,
    /// The closed trades' statistics (their fields at this level).
    #[serde(flatten)]
    pub closed: TradeStats,
}

impl RankedStats {
    /// The field names (the serialised object's keys): what a sweep can rank by without the
    /// equity curve.
    pub const NAMES: [&'static str; 18] = [
        "start",
        "end",
        "duration_secs",
        "equity_final",
        "commissions",
        "return_pct",
        "cagr_pct",
        "trades",
        "win_rate_pct",
        "best_trade_pct",
        "worst_trade_pct",
        "avg_trade_pct",
        "max_trade_duration_secs",
        "avg_trade_duration_secs",
        "profit_factor",
        "expectancy_pct",
        "sqn",
        "kelly_criterion",
    ];

    /// From the first and last points the full statistics would take, the last 100 of their
    /// times, the trades and the exact final equity.
    pub(super) fn from_ends(
        first: &EquityPoint,
        last: &EquityPoint,
        tail: &[Timestamp],
        trades: &[TradeRecord],
        equity_final: Decimal,
    ) -> Self {
        RankedStats {
            start: first.time,
            end: last.time,
            duration_secs: last.time.0.saturating_sub(first.time.0) / NANOS_PER_SEC,
            equity_final,
            return_pct: return_pct(first, last),
            cagr_pct: cagr_pct(first, last),
            closed: TradeStats::of(trades, resolution_of(tail)),
        }
    }
}
