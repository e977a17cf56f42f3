//! Portfolio statistics with backtesting.py 0.6.6's definitions (`backtesting/_stats.py`), as
//! written down in `reference/backtesting-py-semantics.md`: annualisation by calendar buckets,
//! compounding-aware volatility, drawdown episodes between zero-drawdown bars, durations rounded
//! up to the data's resolution. Values are f64 (as there); undefined ones (no trades, zero
//! volatility, infinite ratios) are `None`.

use super::equity::EquityPoint;
use super::trade::TradeRecord;
use crate::time::{civil_from_days, Timestamp, NANOS_PER_DAY, NANOS_PER_SEC};
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
    /// Last equity.
    pub equity_final: f64,
    /// Highest equity.
    pub equity_peak: f64,
    /// Fees of closed trades.
    pub commissions: f64,
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
    if rs.is_empty() {
        return None;
    }
    if rs.iter().any(|r| 1.0 + r <= 0.0) {
        return Some(0.0);
    }
    Some(libm::exp(rs.iter().map(|r| libm::log(1.0 + r)).sum::<f64>() / rs.len() as f64) - 1.0)
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

/// Computes the statistics from the equity points, the closed trades, the index of the first point
/// at which the strategy could trade (for buy & hold), and an annual risk-free rate (fraction).
pub fn portfolio_stats(
    points: &[EquityPoint],
    trades: &[TradeRecord],
    first_trading_bar: usize,
    risk_free: f64,
) -> Option<PortfolioStats> {
    let first = points.first()?;
    let last = points.last()?;
    let n = points.len();
    let equity: Vec<f64> = points.iter().map(|p| p.equity).collect();
    let times: Vec<Timestamp> = points.iter().map(|p| p.time).collect();
    let closed: Vec<&TradeRecord> = trades.iter().filter(|t| !t.open).collect();

    // Drawdown per point and episodes between zero-drawdown points.
    let mut peak = f64::MIN;
    let dd: Vec<f64> = equity
        .iter()
        .map(|e| {
            peak = peak.max(*e);
            1.0 - e / peak
        })
        .collect();
    let mut marks: Vec<usize> = dd.iter().enumerate().filter(|(_, d)| **d == 0.0).map(|(i, _)| i).collect();
    marks.push(n - 1);
    marks.dedup();
    let (mut durations, mut peaks) = (Vec::new(), Vec::new());
    for w in marks.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b > a + 1 {
            durations.push(times[b].0.saturating_sub(times[a].0) as f64);
            peaks.push(dd[a..=b].iter().cloned().fold(f64::MIN, f64::max));
        }
    }
    let period = data_period_ns(&times);
    let resolution = resolution_ns(period);

    let mut covered = vec![false; n];
    for t in &closed {
        for c in covered.iter_mut().take(t.exit_bar.min(n - 1) + 1).skip(t.entry_bar) {
            *c = true;
        }
    }
    let exposure = covered.iter().filter(|c| **c).count() as f64 / n as f64 * 100.0;

    // Calendar buckets for annualisation.
    let freq_days = period / NANOS_PER_DAY;
    let weekend = times.iter().filter(|t| (t.utc_day() + 3).rem_euclid(7) >= 5).count() as f64 / n as f64
        > 2.0 / 7.0 * 0.6;
    let periods_per_year = match freq_days {
        7 => 52.0,
        31 => 12.0,
        365 => 1.0,
        _ if weekend => 365.0,
        _ => 252.0,
    };
    let bucket = |t: Timestamp| -> i64 {
        let day = t.utc_day();
        match freq_days {
            7 => (day + 3).div_euclid(7),
            31 => {
                let (y, m, _) = civil_from_days(day);
                y * 12 + m as i64
            }
            365 => civil_from_days(day).0,
            _ => day,
        }
    };
    let mut last_per_bucket: Vec<f64> = Vec::new();
    let mut current = None;
    for p in points {
        let b = bucket(p.time);
        if let (true, Some(slot)) = (current == Some(b), last_per_bucket.last_mut()) {
            *slot = p.equity;
        } else {
            last_per_bucket.push(p.equity);
            current = Some(b);
        }
    }
    let day_returns: Vec<f64> = last_per_bucket.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
    let g = geometric_mean(&day_returns);
    let ann = g.map(|g| libm::pow(1.0 + g, periods_per_year) - 1.0);
    let vol = match (g, var_sample(&day_returns)) {
        (Some(g), Some(v)) => finite(
            (libm::pow(v + (1.0 + g) * (1.0 + g), periods_per_year)
                - libm::pow(1.0 + g, 2.0 * periods_per_year))
            .sqrt(),
        ),
        _ => None,
    };
    let years = last.time.0.saturating_sub(first.time.0) as f64 / NANOS_PER_DAY as f64 / 365.25;
    let cagr = (years > 0.0)
        .then(|| (libm::pow(last.equity / first.equity, 1.0 / years) - 1.0) * 100.0)
        .and_then(finite);
    let sharpe = match (ann, vol) {
        (Some(a), Some(v)) if v != 0.0 => finite((a * 100.0 - risk_free * 100.0) / (v * 100.0)),
        _ => None,
    };
    let downside = mean(&day_returns.iter().map(|r| r.min(0.0).powi(2)).collect::<Vec<_>>()).map(f64::sqrt);
    let sortino = match (ann, downside) {
        (Some(a), Some(d)) => finite((a - risk_free) / (d * periods_per_year.sqrt())),
        _ => None,
    };
    let max_dd = dd.iter().cloned().filter(|d| d.is_finite()).fold(0.0, f64::max);
    let calmar = ann.and_then(|a| (max_dd != 0.0).then(|| a / max_dd)).and_then(finite);

    let return_pct = (last.equity - first.equity) / first.equity * 100.0;
    let closes: Vec<Option<f64>> = points.iter().map(|p| p.benchmark).collect();
    let bh = match (closes.get(first_trading_bar).copied().flatten(), closes[n - 1]) {
        (Some(c0), Some(c1)) if c0 != 0.0 => Some((c1 - c0) / c0 * 100.0),
        _ => None,
    };
    let beta = if closes.iter().all(Option::is_some) && n > 2 {
        let eq_lr: Vec<f64> = equity.windows(2).map(|w| libm::log(w[1] / w[0])).collect();
        let mk_lr: Vec<f64> =
            closes.windows(2).map(|w| libm::log(w[1].unwrap_or(1.0) / w[0].unwrap_or(1.0))).collect();
        let (me, mm) = (mean(&eq_lr).unwrap_or(0.0), mean(&mk_lr).unwrap_or(0.0));
        let cov: f64 = eq_lr.iter().zip(&mk_lr).map(|(a, b)| (a - me) * (b - mm)).sum();
        let var: f64 = mk_lr.iter().map(|b| (b - mm).powi(2)).sum();
        finite(cov / var)
    } else {
        None
    };
    let alpha = match (beta, bh) {
        (Some(b), Some(h)) => finite(return_pct - risk_free * 100.0 - b * (h - risk_free * 100.0)),
        _ => None,
    };

    let returns: Vec<f64> = closed.iter().map(|t| t.return_f64()).collect();
    let pnls: Vec<f64> = closed.iter().map(|t| t.pnl_f64()).collect();
    let trade_durs: Vec<f64> = closed.iter().map(|t| t.duration_secs as f64 * 1e9).collect();
    let nt = closed.len();
    let win_rate = (nt > 0).then(|| pnls.iter().filter(|p| **p > 0.0).count() as f64 / nt as f64);
    let gains: f64 = returns.iter().filter(|r| **r > 0.0).sum();
    let losses: f64 = returns.iter().filter(|r| **r < 0.0).sum();
    let commissions: f64 =
        closed.iter().map(|t| rust_decimal::prelude::ToPrimitive::to_f64(&t.commission).unwrap_or(0.0)).sum();
    Some(PortfolioStats {
        start: first.time,
        end: last.time,
        duration_secs: last.time.0.saturating_sub(first.time.0) / NANOS_PER_SEC,
        exposure_time_pct: exposure,
        equity_final: last.equity,
        equity_peak: equity.iter().cloned().fold(f64::MIN, f64::max),
        commissions,
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
        trades: nt,
        win_rate_pct: win_rate.map(|w| w * 100.0),
        best_trade_pct: returns.iter().cloned().reduce(f64::max).map(|r| r * 100.0),
        worst_trade_pct: returns.iter().cloned().reduce(f64::min).map(|r| r * 100.0),
        avg_trade_pct: geometric_mean(&returns).map(|g| g * 100.0),
        max_trade_duration_secs: trade_durs.iter().cloned().reduce(f64::max).map(|d| ceil_to(d, resolution)),
        avg_trade_duration_secs: mean(&trade_durs).map(|d| ceil_to(d, resolution)),
        profit_factor: (losses != 0.0).then(|| gains / losses.abs()),
        expectancy_pct: mean(&returns).map(|m| m * 100.0),
        sqn: super::metric::trades::sqn(&pnls),
        kelly_criterion: super::metric::trades::kelly(&pnls),
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
            ("Equity Final [$]", json!(self.equity_final)),
            ("Equity Peak [$]", json!(self.equity_peak)),
            ("Commissions [$]", json!(self.commissions)),
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
