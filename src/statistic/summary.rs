//! `TradingSummary`: barter's shape (per-instrument and per-asset tear sheets) with correct values,
//! plus the portfolio statistics. Generated from stored inputs, so the same run can be summarised
//! for any interval without re-running and without double counting.

use super::metric::drawdown::{Drawdown, DrawdownGenerator, MeanDrawdown};
use super::metric::ratio::{calmar, rate_of_return, sharpe, sortino};
use super::metric::trades::{profit_factor, win_rate, Ratio};
use super::metric::welford::Welford;
use super::portfolio::PortfolioStats;
use crate::config::SummaryInterval;
use crate::event::Balance;
use crate::state::PositionExited;
use crate::time::{Timestamp, NANOS_PER_SEC};
use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Version of the summary JSON; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Per-instrument statistics of closed positions.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TearSheet {
    /// Realised PnL of closed positions (net of fees). Every figure below but `pnl_open` is of
    /// closed positions only.
    pub pnl: Decimal,
    /// PnL of the position still open at the end (realised part and unrealised, net of fees), so
    /// `pnl + pnl_open` is the instrument's whole contribution to the equity change.
    pub pnl_open: Decimal,
    /// Mean position return scaled linearly to the interval.
    pub pnl_return: Option<Decimal>,
    /// Sharpe ratio; null when returns do not vary.
    pub sharpe_ratio: Option<Decimal>,
    /// Sortino ratio; null without variation among losing returns.
    pub sortino_ratio: Option<Decimal>,
    /// Calmar ratio; null without a drawdown.
    pub calmar_ratio: Option<Decimal>,
    /// The current (unfinished) drawdown of cumulative PnL.
    pub pnl_drawdown: Option<Drawdown>,
    /// Mean drawdown.
    pub pnl_drawdown_mean: Option<MeanDrawdown>,
    /// Deepest drawdown.
    pub pnl_drawdown_max: Option<Drawdown>,
    /// Share of positions with positive PnL (barter reports the loss rate here).
    pub win_rate: Option<Decimal>,
    /// Σ positive returns / |Σ negative returns| (barter divides the net sum by losses).
    pub profit_factor: Option<Ratio>,
    /// Closed positions.
    pub trades: u64,
}

/// Per-asset balance statistics.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TearSheetAsset {
    /// Final balance.
    pub balance_end: Option<Balance>,
    /// Current drawdown of the total balance.
    pub drawdown: Option<Drawdown>,
    /// Mean drawdown.
    pub drawdown_mean: Option<MeanDrawdown>,
    /// Deepest drawdown.
    pub drawdown_max: Option<Drawdown>,
}

/// Named entries that serialise as a JSON object in their own order.
#[derive(Clone, Debug, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: schemars::JsonSchema> schemars::JsonSchema for Ordered<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Ordered_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let entry = generator.subschema_for::<T>();
        schemars::json_schema!({ "type": "object", "additionalProperties": entry })
    }
}

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The summary.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TradingSummary {
    /// JSON schema version.
    pub schema_version: u32,
    /// Engine start.
    pub time_engine_start: Timestamp,
    /// Engine end.
    pub time_engine_end: Timestamp,
    /// end − start, seconds.
    pub trading_duration_secs: i64,
    /// The interval ratios are expressed per.
    pub interval: SummaryInterval,
    /// Its label ("Daily", "Annual(252)", ...).
    pub interval_label: String,
    /// Risk-free return used by the ratios.
    pub risk_free_return: Decimal,
    /// Tear sheets by instrument internal name.
    pub instruments: Ordered<TearSheet>,
    /// Tear sheets by `{exchange}_{asset}`.
    pub assets: Ordered<TearSheetAsset>,
    /// Portfolio statistics (backtesting.py's definitions).
    pub portfolio: Option<PortfolioStats>,
}

/// What summaries are made from.
#[derive(Clone, Debug, Default)]
pub struct SummaryInputs {
    /// Engine start.
    pub time_start: Timestamp,
    /// Engine end.
    pub time_end: Timestamp,
    /// Risk-free return.
    pub risk_free_return: Decimal,
    /// Instrument names by index.
    pub instruments: Vec<String>,
    /// PnL of each instrument's position still open at the end (zero when flat).
    pub open_pnl: Vec<Decimal>,
    /// Asset names with their final balance and balance drawdowns.
    pub assets: Vec<(String, Option<Balance>, DrawdownGenerator)>,
    /// Portfolio statistics.
    pub portfolio: Option<PortfolioStats>,
}

/// One instrument's tear sheet (barter's formulas, correct win rate and profit factor). P is the
/// span from the engine start to the last exit (at least one second), as in barter.
pub fn tear_sheet<'a>(
    start: Timestamp,
    positions: impl IntoIterator<Item = &'a PositionExited>,
    rfr: Decimal,
    interval: &SummaryInterval,
) -> TearSheet {
    let mut total = Welford::default();
    let mut losses = Welford::default();
    let mut dd = DrawdownGenerator::default();
    let (mut pnl, mut wins, mut gains, mut loss_sum) = (Decimal::ZERO, 0u64, Decimal::ZERO, Decimal::ZERO);
    let mut last_exit = start;
    let mut count = 0u64;
    for p in positions {
        count += 1;
        pnl += p.pnl_realised;
        dd.update(p.time_exit, pnl);
        last_exit = last_exit.max(p.time_exit);
        if p.pnl_realised > Decimal::ZERO {
            wins += 1;
        }
        if let Some(r) = p.pnl_return() {
            total.update(r);
            if r.is_sign_negative() && !r.is_zero() {
                losses.update(r);
                loss_sum += r;
            } else {
                gains += r;
            }
        }
    }
    let period = (last_exit.0.saturating_sub(start.0) / NANOS_PER_SEC).max(1);
    let iv = interval.seconds();
    let std = total.population_std_dev();
    let loss_std = losses.population_std_dev();
    let max = dd.max();
    TearSheet {
        pnl,
        pnl_open: Decimal::ZERO,
        pnl_return: (total.count > 0).then(|| rate_of_return(total.mean, period, iv)).flatten(),
        sharpe_ratio: std.and_then(|s| sharpe(rfr, total.mean, s, period, iv)),
        sortino_ratio: loss_std.and_then(|s| sortino(rfr, total.mean, s, period, iv)),
        calmar_ratio: max.as_ref().and_then(|m| m.value).and_then(|v| calmar(rfr, total.mean, v, period, iv)),
        pnl_drawdown: dd.current().cloned(),
        pnl_drawdown_mean: dd.mean(),
        pnl_drawdown_max: max,
        win_rate: win_rate(wins, count),
        profit_factor: profit_factor(gains, loss_sum),
        trades: count,
    }
}

impl SummaryInputs {
    /// The summary for an interval from the run's closed positions (in order). Calling it again
    /// (any interval) gives consistent results.
    pub fn generate(&self, interval: SummaryInterval, exited: &[PositionExited]) -> TradingSummary {
        let instruments = self
            .instruments
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut sheet = tear_sheet(
                    self.time_start,
                    exited.iter().filter(|p| p.instrument.0 == i),
                    self.risk_free_return,
                    &interval,
                );
                sheet.pnl_open = self.open_pnl.get(i).copied().unwrap_or_default();
                (name.clone(), sheet)
            })
            .collect();
        let assets = self
            .assets
            .iter()
            .map(|(name, balance, dd)| {
                (
                    name.clone(),
                    TearSheetAsset {
                        balance_end: *balance,
                        drawdown: dd.current().cloned(),
                        drawdown_mean: dd.mean(),
                        drawdown_max: dd.max(),
                    },
                )
            })
            .collect();
        TradingSummary {
            schema_version: SCHEMA_VERSION,
            time_engine_start: self.time_start,
            time_engine_end: self.time_end,
            trading_duration_secs: self.time_end.0.saturating_sub(self.time_start.0) / NANOS_PER_SEC,
            interval_label: interval.label(),
            interval,
            risk_free_return: self.risk_free_return,
            instruments: Ordered(instruments),
            assets: Ordered(assets),
            portfolio: self.portfolio.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::InstrumentIndex;
    use crate::order::Side;
    use crate::test_util::d;

    fn day(n: i64) -> Timestamp {
        Timestamp(1_735_689_600_000_000_000 + n * 86_400_000_000_000) // 2025-01-01 + n days
    }

    fn exited(pnl: &str, exit: i64) -> PositionExited {
        PositionExited {
            instrument: InstrumentIndex(0),
            side: Side::Buy,
            price_entry_average: d("100"),
            quantity_abs_max: d("1"),
            pnl_realised: d(pnl),
            fees_enter: d("0"),
            fees_exit: d("0"),
            price_exit_average: d("100") + d(pnl),
            time_enter: day(0),
            time_exit: day(exit),
            trades: vec![],
        }
    }

    // barter-model.md §10 [verified-run] tear sheet: start 2025-01-01, rfr 0.05, entry 100 qty 1,
    // pnl +10 (d1), −5 (d2), +20 (d3).
    #[test]
    fn barter_tear_sheet_vector() {
        let ps = [exited("10", 1), exited("-5", 2), exited("20", 3)];
        let daily = tear_sheet(day(0), &ps, d("0.05"), &SummaryInterval::Daily);
        assert_eq!(daily.pnl, d("25"));
        assert_eq!(daily.pnl_return, Some(d("0.0277777777777777777777777778")));
        assert_eq!(daily.sharpe_ratio, Some(d("0.1873171623163387931721319988")));
        assert_eq!(daily.calmar_ratio, Some(d("0.0384900179459750509672765853")));
        let max = daily.pnl_drawdown_max.clone().unwrap();
        assert_eq!((max.value, max.time_start, max.time_end), (Some(d("0.5")), day(1), day(3)));
        assert_eq!(daily.pnl_drawdown_mean.as_ref().unwrap().mean_drawdown_ms, d("172800000"));
        let annual = tear_sheet(day(0), &ps, d("0.05"), &SummaryInterval::Annual365);
        assert_eq!(annual.pnl_return, Some(d("10.138888888888888888888888885")));
        assert_eq!(annual.sharpe_ratio, Some(d("3.5786893611851321347157216366")));
        assert_eq!(annual.calmar_ratio, Some(d("0.7353507603455243186403680911")));
        // Deliberate differences: the win rate is the win rate (barter: the loss rate 1/3); the
        // profit factor is gross gains over gross losses (0.1 + 0.2) / 0.05 = 6 (barter: 0.25 / 0.05 = 5);
        // a single losing return has no dispersion, so Sortino is undefined (barter: a huge finite number).
        assert_eq!(daily.win_rate, Some(d("2") / d("3")));
        assert_eq!(daily.profit_factor, Some(Ratio::Finite(d("6"))));
        assert_eq!(daily.sortino_ratio, None);
    }

    #[test]
    fn no_positions_and_only_losses() {
        let none = tear_sheet(day(0), &[], d("0"), &SummaryInterval::Daily);
        assert_eq!(
            (none.sharpe_ratio, none.win_rate, none.profit_factor, none.pnl_return),
            (None, None, None, None)
        );
        let ps = [exited("-10", 1), exited("-20", 2)];
        let losing = tear_sheet(day(0), &ps, d("0"), &SummaryInterval::Daily);
        // barter: Sharpe = Sortino = −2.1213203435596425732025330863 (Daily, rfr 0): the same here.
        assert_eq!(losing.sharpe_ratio, Some(d("-2.1213203435596425732025330863")));
        assert_eq!(losing.sortino_ratio, Some(d("-2.1213203435596425732025330863")));
        // barter: win rate 1 (the loss rate), PF 1. Here: 0 and 0.
        assert_eq!(losing.win_rate, Some(d("0")));
        assert_eq!(losing.profit_factor, Some(Ratio::Finite(d("0"))));
        // Cumulative PnL −10, −30: barter records no drawdown (peak ≤ 0); the depth 20 is recorded.
        assert_eq!(losing.pnl_drawdown.unwrap().amount, d("20"));
    }

    #[test]
    fn regenerating_is_idempotent() {
        let inputs = SummaryInputs {
            time_start: day(0),
            time_end: day(3),
            open_pnl: vec![],
            risk_free_return: d("0.05"),
            instruments: vec!["x".into()],
            assets: vec![],
            portfolio: None,
        };
        let ps = [exited("10", 1), exited("-5", 2)];
        let a = inputs.generate(SummaryInterval::Daily, &ps);
        let _ = inputs.generate(SummaryInterval::Annual252, &ps);
        assert_eq!(a, inputs.generate(SummaryInterval::Daily, &ps));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["interval_label"], "Daily");
        assert!(json["instruments"]["x"]["sharpe_ratio"].is_string());
    }
}
