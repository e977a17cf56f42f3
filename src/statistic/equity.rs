//! The equity curve: portfolio value over time in the valuation asset, with the benchmark
//! instrument's price beside it (for buy & hold, alpha and beta). One point per bar for candle
//! data; for trade and quote data at most one point per sampling window (the state at the first
//! event of each window), so recording costs nothing per event. Exported curves are downsampled to
//! a bounded number of points; statistics use the recorded points.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One point of the curve.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EquityPoint {
    /// When.
    pub time: Timestamp,
    /// Portfolio value in the valuation asset.
    pub equity: f64,
    /// Benchmark instrument price (its mark), when known.
    pub benchmark: Option<f64>,
}

/// A point of an exported curve, with its drawdown (backtesting.py's `_equity_curve` columns).
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EquityCurvePoint {
    /// When.
    pub time: Timestamp,
    /// Equity.
    pub equity: f64,
    /// 1 − equity / running peak, as a percentage.
    pub drawdown_pct: f64,
    /// Seconds since the running peak was set (0 at a peak).
    pub drawdown_duration_secs: f64,
}

/// Records the curve during a run.
#[derive(Clone, Debug, Default)]
pub struct EquityRecorder {
    window_ns: i64,
    /// First time of the next sampling window (so the per-event check is one comparison).
    next_window: i64,
    points: Vec<EquityPoint>,
}

impl EquityRecorder {
    /// Samples trade/quote data once per `window_ms` (candles: every bar).
    pub fn new(window_ms: u64) -> Self {
        EquityRecorder {
            window_ns: (window_ms as i64).saturating_mul(1_000_000).max(1),
            next_window: i64::MIN,
            points: Vec::new(),
        }
    }

    /// Whether a point is due at `time` (`bar`: the event closes a bar).
    #[inline]
    pub fn due(&self, time: Timestamp, bar: bool) -> bool {
        if bar {
            return self.points.last().is_none_or(|last| time > last.time);
        }
        time.0 >= self.next_window
    }

    /// Adds a point (replacing the last one if it has the same time).
    pub fn record(&mut self, point: EquityPoint) {
        self.next_window = (point.time.0.div_euclid(self.window_ns) + 1).saturating_mul(self.window_ns);
        match self.points.last_mut() {
            Some(last) if last.time == point.time => *last = point,
            _ => self.points.push(point),
        }
    }

    /// The recorded points.
    pub fn points(&self) -> &[EquityPoint] {
        &self.points
    }

    /// Takes the points.
    pub fn into_points(self) -> Vec<EquityPoint> {
        self.points
    }
}

/// The curve with drawdown columns, downsampled to at most `max_points` (first and last points are
/// always kept; between them every k-th point, k the smallest stride that fits). Drawdowns are
/// computed on the full curve before downsampling.
pub fn equity_curve(points: &[EquityPoint], max_points: usize) -> Vec<EquityCurvePoint> {
    let mut peak = f64::MIN;
    let mut peak_time = Timestamp(0);
    let full: Vec<EquityCurvePoint> = points
        .iter()
        .map(|p| {
            if p.equity >= peak {
                peak = p.equity;
                peak_time = p.time;
            }
            EquityCurvePoint {
                time: p.time,
                equity: p.equity,
                drawdown_pct: if peak > 0.0 { (1.0 - p.equity / peak) * 100.0 } else { 0.0 },
                drawdown_duration_secs: p.time.0.saturating_sub(peak_time.0) as f64 / 1e9,
            }
        })
        .collect();
    let max_points = max_points.max(2);
    if full.len() <= max_points {
        return full;
    }
    let stride = full.len().div_ceil(max_points - 1);
    let mut out: Vec<EquityCurvePoint> = full.iter().step_by(stride).copied().collect();
    if let Some(last) = full.last().filter(|l| out.last().map(|p| p.time) != Some(l.time)) {
        out.push(*last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: i64, e: f64) -> EquityPoint {
        EquityPoint { time: Timestamp(t * 1_000_000_000), equity: e, benchmark: None }
    }

    #[test]
    fn sampling_windows() {
        let mut r = EquityRecorder::new(1000);
        assert!(r.due(Timestamp(0), false));
        r.record(p(0, 1.0));
        assert!(!r.due(Timestamp(999_999_999), false));
        assert!(r.due(Timestamp(1_000_000_000), false));
        assert!(r.due(Timestamp(1), true));
        r.record(p(0, 2.0));
        assert_eq!(r.points().len(), 1);
        assert_eq!(r.points()[0].equity, 2.0);
    }

    #[test]
    fn drawdown_columns_and_downsampling() {
        let pts = [p(0, 100.0), p(1, 110.0), p(2, 99.0), p(3, 120.0)];
        let c = equity_curve(&pts, 10);
        assert!((c[2].drawdown_pct - 10.0).abs() < 1e-12);
        assert_eq!(c[2].drawdown_duration_secs, 1.0);
        assert_eq!(c[3].drawdown_pct, 0.0);
        let many: Vec<_> = (0..1001).map(|i| p(i, i as f64)).collect();
        let d = equity_curve(&many, 100);
        assert!(d.len() <= 101 && d.len() >= 90, "{}", d.len());
        assert_eq!(d.first().unwrap().time, many[0].time);
        assert_eq!(d.last().unwrap().time, many[1000].time);
    }
}
