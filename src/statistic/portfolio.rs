//! Portfolio statistics with backtesting.py 0.6.6's definitions (`backtesting/_stats.py`), as
//! written down in `reference/backtesting-py-semantics.md`: annualisation by calendar buckets,
//! compounding-aware volatility, drawdown episodes between zero-drawdown bars, durations rounded
//! up to the data's resolution. Ratios, percents and durations are f64 (as there); undefined ones
//! (no trades, zero volatility, infinite ratios) are `None`. Money (final and peak equity,
//! commissions) is exact Decimal, written as decimal text like every money field of the report.

use super::equity::EquityPoint;
use super::running::{log, RunningStats};
use super::trade::TradeRecord;
use crate::decimal::to_f64;
use crate::time::{Timestamp, NANOS_PER_DAY, NANOS_PER_SEC};
use rust_decimal::Decimal;
use serde::Serialize;

/// The statistics. Field names are snake_case; `backtesting_py()` gives backtesting.py's keys.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PortfolioStats {
    /// First point.
    pub start: Timestamp,
    /// Last point.
    pub end: Timestamp,
    /// end − start, seconds.
    pub duration_secs: i64,
    /// Share of points covered by closed trades, %.
    pub exposure_time_pct: f64,
    /// Last equity (money: decimal text).
    pub equity_final: Decimal,
    /// Highest equity (money: decimal text).
    pub equity_peak: Decimal,
    /// Fees of closed trades (money: decimal text).
    pub commissions: Decimal,
    /// Total return, %.
    pub return_pct: f64,
    /// Benchmark return from the first tradable point, %.
    pub buy_and_hold_return_pct: Option<f64>,
    /// Annualised geometric return, %.
    pub return_ann_pct: Option<f64>,
    /// Annualised volatility, %.
    pub volatility_ann_pct: Option<f64>,
    /// Compound annual growth rate, %.
    pub cagr_pct: Option<f64>,
    /// Sharpe ratio (annualised).
    pub sharpe_ratio: Option<f64>,
    /// Sortino ratio (annualised).
    pub sortino_ratio: Option<f64>,
    /// Calmar ratio.
    pub calmar_ratio: Option<f64>,
    /// Jensen alpha, %.
    pub alpha_pct: Option<f64>,
    /// Beta against the benchmark.
    pub beta: Option<f64>,
    /// Maximum drawdown: depth below the peak, % (positive, as every drawdown in Tidemark's own
    /// fields; `backtesting_py()` gives it backtesting.py's negative sign).
    pub max_drawdown_pct: f64,
    /// Mean drawdown episode depth, % (positive).
    pub avg_drawdown_pct: Option<f64>,
    /// Longest drawdown episode, seconds (rounded up to the data resolution).
    pub max_drawdown_duration_secs: Option<f64>,
    /// Mean drawdown episode, seconds (rounded up).
    pub avg_drawdown_duration_secs: Option<f64>,
    /// Closed trades.
    pub trades: usize,
    /// Share of trades with PnL > 0, %.
    pub win_rate_pct: Option<f64>,
    /// Best trade return, %.
    pub best_trade_pct: Option<f64>,
    /// Worst trade return, %.
    pub worst_trade_pct: Option<f64>,
    /// Geometric mean trade return, %.
    pub avg_trade_pct: Option<f64>,
    /// Longest trade, seconds (rounded up).
    pub max_trade_duration_secs: Option<f64>,
    /// Mean trade, seconds (rounded up).
    pub avg_trade_duration_secs: Option<f64>,
    /// Σ positive returns / |Σ negative returns|.
    pub profit_factor: Option<f64>,
    /// Arithmetic mean trade return, %.
    pub expectancy_pct: Option<f64>,
    /// System quality number.
    pub sqn: Option<f64>,
    /// Kelly criterion.
    pub kelly_criterion: Option<f64>,
    /// Periods per year used to annualise.
    pub periods_per_year: f64,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn var_sample(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    (xs.len() > 1).then(|| xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64)
}

/// backtesting.py's geometric mean: 0 if any 1 + r ≤ 0.
fn geometric_mean(rs: &[f64]) -> Option<f64> {
    geometric_mean_by(rs, |_, x| log(x))
}

/// `geometric_mean`, `log_of(k, 1 + rs[k])` giving each log (one known already, or `log`'s).
fn geometric_mean_by(rs: &[f64], log_of: impl Fn(usize, f64) -> f64) -> Option<f64> {
    if rs.is_empty() {
        return None;
    }
    if rs.iter().any(|r| 1.0 + r <= 0.0) {
        return Some(0.0);
    }
    let sum = rs.iter().enumerate().map(|(k, r)| log_of(k, 1.0 + r)).sum::<f64>();
    Some(libm::exp(sum / rs.len() as f64) - 1.0)
}

/// The geometric mean of the returns between `last` (each bucket's last equity), as
/// `geometric_mean` of them, reading the logs that `r` took already where it can. When every
/// point began a bucket of its own (daily bars, bucketed by day), the buckets' ratios are the
/// points' ratios, whose logs beta's pairs hold: log(1 + r) is one of them wherever 1 + (q - 1)
/// gives the ratio q back to the bit (always for q in [0.5, 2]), so a third of a run's logs are
/// not taken twice and the mean is the same to the bit.
fn bucket_geometric_mean(r: &RunningStats, last: &[f64], returns: &[f64]) -> Option<f64> {
    let Some(logs) = r.equity_logs().filter(|_| last.len() == r.n) else {
        return geometric_mean(returns);
    };
    geometric_mean_by(returns, |k, x| match (last.get(k), last.get(k + 1), logs.get(k)) {
        (Some(a), Some(b), Some(&(known, _))) if (b / a).to_bits() == x.to_bits() => known,
        _ => log(x),
    })
}

/// The data's bar spacing: median of the last 100 gaps (ns).
fn data_period_ns(times: &[Timestamp]) -> i64 {
    let tail = &times[times.len().saturating_sub(100)..];
    let mut gaps: Vec<i64> = tail.windows(2).map(|w| w[1].0.saturating_sub(w[0].0)).collect();
    if gaps.is_empty() {
        return NANOS_PER_DAY;
    }
    gaps.sort_unstable();
    let n = gaps.len();
    if n % 2 == 1 {
        gaps[n / 2]
    } else {
        ((gaps[n / 2 - 1] as i128 + gaps[n / 2] as i128) / 2) as i64
    }
}

/// The finest non-zero unit of a period (pandas' `resolution_string`), in ns.
fn resolution_ns(period: i64) -> i64 {
    let units =
        [NANOS_PER_DAY, 3_600 * NANOS_PER_SEC, 60 * NANOS_PER_SEC, NANOS_PER_SEC, 1_000_000, 1_000, 1];
    // The smallest unit in which the period has a non-zero component.
    let mut finest = units[0];
    let mut rest = period;
    for u in units {
        if rest / u > 0 {
            finest = u;
        }
        rest %= u;
    }
    finest
}

fn ceil_to(secs_ns: f64, unit_ns: i64) -> f64 {
    let u = unit_ns as f64;
    (secs_ns / u).ceil() * u / 1e9
}

/// The statistics of the closed trades alone: their returns, PnLs, fees and durations (rounded
/// up to the data's resolution). Shared by the full statistics and the ranked ones, so both give
/// the same bits; each field is the same-named one of [`PortfolioStats`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TradeStats {
    /// Closed trades.
    pub trades: usize,
    /// Share of trades with PnL > 0, %.
    pub win_rate_pct: Option<f64>,
    /// Best trade return, %.
    pub best_trade_pct: Option<f64>,
    /// Worst trade return, %.
    pub worst_trade_pct: Option<f64>,
    /// Geometric mean trade return, %.
    pub avg_trade_pct: Option<f64>,
    /// Longest trade, seconds (rounded up).
    pub max_trade_duration_secs: Option<f64>,
    /// Mean trade, seconds (rounded up).
    pub avg_trade_duration_secs: Option<f64>,
    /// Σ positive returns / |Σ negative returns|.
    pub profit_factor: Option<f64>,
    /// Arithmetic mean trade return, %.
    pub expectancy_pct: Option<f64>,
    /// System quality number.
    pub sqn: Option<f64>,
    /// Kelly criterion.
    pub kelly_criterion: Option<f64>,
    /// Fees of closed trades (money: decimal text).
    pub commissions: Decimal,
}

impl TradeStats {
    /// Of the closed ones among `trades`, durations rounded up to `resolution` (ns).
    pub(super) fn of(trades: &[TradeRecord], resolution: i64) -> Self {
        let closed: Vec<&TradeRecord> = trades.iter().filter(|t| !t.open).collect();
        let returns: Vec<f64> = closed.iter().map(|t| t.return_f64()).collect();
        let pnls: Vec<f64> = closed.iter().map(|t| t.pnl_f64()).collect();
        let trade_durs: Vec<f64> = closed.iter().map(|t| t.duration_secs as f64 * 1e9).collect();
        let nt = closed.len();
        let win_rate = (nt > 0).then(|| pnls.iter().filter(|p| **p > 0.0).count() as f64 / nt as f64);
        let gains: f64 = returns.iter().filter(|r| **r > 0.0).sum();
        let losses: f64 = returns.iter().filter(|r| **r < 0.0).sum();
        TradeStats {
            trades: nt,
            win_rate_pct: win_rate.map(|w| w * 100.0),
            best_trade_pct: returns.iter().cloned().reduce(f64::max).map(|r| r * 100.0),
            worst_trade_pct: returns.iter().cloned().reduce(f64::min).map(|r| r * 100.0),
            avg_trade_pct: geometric_mean(&returns).map(|g| g * 100.0),
            max_trade_duration_secs: trade_durs
                .iter()
                .cloned()
                .reduce(f64::max)
                .map(|d| ceil_to(d, resolution)),
            avg_trade_duration_secs: mean(&trade_durs).map(|d| ceil_to(d, resolution)),
            profit_factor: (losses != 0.0).then(|| gains / losses.abs()),
            expectancy_pct: mean(&returns).map(|m| m * 100.0),
            sqn: super::metric::trades::sqn(&pnls),
            kelly_criterion: super::metric::trades::kelly(&pnls),
            // Exact (fees are Decimal); a sum past Decimal's range (not reachable from accepted
            // fills, which are bounded) would saturate rather than panic.
            commissions: closed.iter().fold(Decimal::ZERO, |sum, t| sum.saturating_add(t.commission)),
        }
    }
}

/// The data's resolution (ns): the finest unit of the median gap of the last 100 times.
pub(super) fn resolution_of(tail: &[Timestamp]) -> i64 {
    resolution_ns(data_period_ns(tail))
}

/// Total return from the first to the last equity, %.
pub(super) fn return_pct(first: &EquityPoint, last: &EquityPoint) -> f64 {
    (last.equity - first.equity) / first.equity * 100.0
}

/// Compound annual growth from the first to the last point, % (None over no time).
pub(super) fn cagr_pct(first: &EquityPoint, last: &EquityPoint) -> Option<f64> {
    let years = last.time.0.saturating_sub(first.time.0) as f64 / NANOS_PER_DAY as f64 / 365.25;
    (years > 0.0).then(|| (libm::pow(last.equity / first.equity, 1.0 / years) - 1.0) * 100.0).and_then(finite)
}

/// The statistics of the points `r` took, the closed trades (their bar indices in the same points)
/// and an annual risk-free rate (fraction), with the exact final and peak equity of those points.
pub fn stats_from(
    r: &RunningStats,
    trades: &[TradeRecord],
    risk_free: f64,
    equity_final: Decimal,
    equity_peak: Decimal,
) -> Option<PortfolioStats> {
    let first = r.first?;
    let last = r.last?;
    let n = r.n;
    let (durations, peaks) = r.episodes();
    let max_dd = r.max_dd;
    let tail = r.tail();
    let period = data_period_ns(&tail);
    let resolution = resolution_ns(period);

    // Points covered by closed trades: the union of their [entry, exit] bar ranges.
    let mut ranges: Vec<(usize, usize)> = trades
        .iter()
        .filter(|t| !t.open)
        .filter_map(|t| {
            let end = t.exit_bar.min(n - 1);
            (t.entry_bar <= end).then_some((t.entry_bar, end))
        })
        .collect();
    ranges.sort_unstable();
    let mut covered = 0usize;
    let mut reach: Option<usize> = None; // the last covered index so far
    for (a, b) in ranges {
        let from = reach.map_or(a, |r| a.max(r + 1));
        if b >= from {
            covered += b - from + 1;
            reach = Some(b);
        }
    }
    let exposure = covered as f64 / n as f64 * 100.0;

    // Calendar buckets for annualisation.
    let freq_days = period / NANOS_PER_DAY;
    let weekend = r.weekend as f64 / n as f64 > 2.0 / 7.0 * 0.6;
    let periods_per_year = match freq_days {
        7 => 52.0,
        31 => 12.0,
        365 => 1.0,
        _ if weekend => 365.0,
        _ => 252.0,
    };
    let last_per_bucket = &r.buckets[match freq_days {
        7 => 1,
        31 => 2,
        365 => 3,
        _ => 0,
    }]
    .last;
    let day_returns: Vec<f64> = last_per_bucket.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
    let g = bucket_geometric_mean(r, last_per_bucket, &day_returns);
    let ann = g.map(|g| libm::pow(1.0 + g, periods_per_year) - 1.0);
    let vol = match (g, var_sample(&day_returns)) {
        (Some(g), Some(v)) => finite(
            (libm::pow(v + (1.0 + g) * (1.0 + g), periods_per_year)
                - libm::pow(1.0 + g, 2.0 * periods_per_year))
            .sqrt(),
        ),
        _ => None,
    };
    let cagr = cagr_pct(&first, &last);
    let sharpe = match (ann, vol) {
        (Some(a), Some(v)) if v != 0.0 => finite((a * 100.0 - risk_free * 100.0) / (v * 100.0)),
        _ => None,
    };
    let downside = mean(&day_returns.iter().map(|r| r.min(0.0).powi(2)).collect::<Vec<_>>()).map(f64::sqrt);
    let sortino = match (ann, downside) {
        (Some(a), Some(d)) => finite((a - risk_free) / (d * periods_per_year.sqrt())),
        _ => None,
    };
    let calmar = ann.and_then(|a| (max_dd != 0.0).then(|| a / max_dd)).and_then(finite);

    let return_pct = return_pct(&first, &last);
    let bh = match (r.bench_first, last.benchmark) {
        (Some(c0), Some(c1)) if c0 != 0.0 => Some((c1 - c0) / c0 * 100.0),
        _ => None,
    };
    let beta = r.beta();
    let alpha = match (beta, bh) {
        (Some(b), Some(h)) => finite(return_pct - risk_free * 100.0 - b * (h - risk_free * 100.0)),
        _ => None,
    };

    let t = TradeStats::of(trades, resolution);
    Some(PortfolioStats {
        start: first.time,
        end: last.time,
        duration_secs: last.time.0.saturating_sub(first.time.0) / NANOS_PER_SEC,
        exposure_time_pct: exposure,
        equity_final,
        equity_peak,
        commissions: t.commissions,
        return_pct,
        buy_and_hold_return_pct: bh,
        return_ann_pct: ann.map(|a| a * 100.0),
        volatility_ann_pct: vol.map(|v| v * 100.0),
        cagr_pct: cagr,
        sharpe_ratio: sharpe,
        sortino_ratio: sortino,
        calmar_ratio: calmar,
        alpha_pct: alpha,
        beta,
        max_drawdown_pct: max_dd * 100.0,
        avg_drawdown_pct: mean(&peaks).map(|m| m * 100.0),
        max_drawdown_duration_secs: durations
            .iter()
            .cloned()
            .reduce(f64::max)
            .map(|d| ceil_to(d, resolution)),
        avg_drawdown_duration_secs: mean(&durations).map(|d| ceil_to(d, resolution)),
        trades: t.trades,
        win_rate_pct: t.win_rate_pct,
        best_trade_pct: t.best_trade_pct,
        worst_trade_pct: t.worst_trade_pct,
        avg_trade_pct: t.avg_trade_pct,
        max_trade_duration_secs: t.max_trade_duration_secs,
        avg_trade_duration_secs: t.avg_trade_duration_secs,
        profit_factor: t.profit_factor,
        expectancy_pct: t.expectancy_pct,
        sqn: t.sqn,
        kelly_criterion: t.kelly_criterion,
        periods_per_year,
    })
}

impl PortfolioStats {
    /// The statistics where less is better (drawdowns, volatility): a sweep ranks them ascending.
    pub const LOWER_IS_BETTER: [&'static str; 5] = [
        "max_drawdown_pct",
        "avg_drawdown_pct",
        "max_drawdown_duration_secs",
        "avg_drawdown_duration_secs",
        "volatility_ann_pct",
    ];

    /// The statistics under backtesting.py's keys and order (durations in seconds, times RFC 3339).
    pub fn backtesting_py(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::json;
        vec![
            ("Start", json!(self.start)),
            ("End", json!(self.end)),
            ("Duration", json!(self.duration_secs)),
            ("Exposure Time [%]", json!(self.exposure_time_pct)),
            // backtesting.py's own convention: floats.
            ("Equity Final [$]", json!(to_f64(&self.equity_final))),
            ("Equity Peak [$]", json!(to_f64(&self.equity_peak))),
            ("Commissions [$]", json!(to_f64(&self.commissions))),
            ("Return [%]", json!(self.return_pct)),
            ("Buy & Hold Return [%]", json!(self.buy_and_hold_return_pct)),
            ("Return (Ann.) [%]", json!(self.return_ann_pct)),
            ("Volatility (Ann.) [%]", json!(self.volatility_ann_pct)),
            ("CAGR [%]", json!(self.cagr_pct)),
            ("Sharpe Ratio", json!(self.sharpe_ratio)),
            ("Sortino Ratio", json!(self.sortino_ratio)),
            ("Calmar Ratio", json!(self.calmar_ratio)),
            ("Alpha [%]", json!(self.alpha_pct)),
            ("Beta", json!(self.beta)),
            ("Max. Drawdown [%]", json!(-self.max_drawdown_pct)),
            ("Avg. Drawdown [%]", json!(self.avg_drawdown_pct.map(|d| -d))),
            ("Max. Drawdown Duration", json!(self.max_drawdown_duration_secs)),
            ("Avg. Drawdown Duration", json!(self.avg_drawdown_duration_secs)),
            ("# Trades", json!(self.trades)),
            ("Win Rate [%]", json!(self.win_rate_pct)),
            ("Best Trade [%]", json!(self.best_trade_pct)),
            ("Worst Trade [%]", json!(self.worst_trade_pct)),
            ("Avg. Trade [%]", json!(self.avg_trade_pct)),
            ("Max. Trade Duration", json!(self.max_trade_duration_secs)),
            ("Avg. Trade Duration", json!(self.avg_trade_duration_secs)),
            ("Profit Factor", json!(self.profit_factor)),
            ("Expectancy [%]", json!(self.expectancy_pct)),
            ("SQN", json!(self.sqn)),
            ("Kelly Criterion", json!(self.kelly_criterion)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2,000 points, `per_day` a day, their equity moved by random ratios: small steps, flat
    /// days, and jumps outside [0.5, 2] (where 1 + (q - 1) need not give q back).
    fn points(per_day: i64, seed: u64) -> RunningStats {
        let mut next = crate::test_util::lcg(seed);
        let mut r = RunningStats::new(0);
        let mut equity = 10_000.0;
        for k in 0..2_000i64 {
            equity *= match next() % 40 {
                0 => 3.7,
                1 => 0.21,
                2 => 0.013,
                3 => 1.0,
                _ => 1.0 + ((next() % 20_001) as f64 - 10_000.0) * 1e-5,
            };
            let time = Timestamp(NANOS_PER_DAY * (k / per_day) + k % per_day);
            r.push(EquityPoint { time, equity, benchmark: Some(100.0 + k as f64) });
        }
        r
    }

    #[test]
    fn the_daily_geometric_mean_from_betas_logs_is_the_same_to_the_bit() {
        for seed in 1..=20 {
            for per_day in [1, 3] {
                let r = points(per_day, seed);
                assert!(r.equity_logs().is_some());
                let last = &r.buckets[0].last;
                // One point a day: the buckets are the points, and their logs are read.
                assert_eq!(last.len() == r.n, per_day == 1);
                let returns: Vec<f64> = last.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
                let (read, taken) = (bucket_geometric_mean(&r, last, &returns), geometric_mean(&returns));
                assert!(taken.is_some());
                assert_eq!(read.map(f64::to_bits), taken.map(f64::to_bits), "seed {seed}, {per_day} a day");
            }
        }
    }
}
