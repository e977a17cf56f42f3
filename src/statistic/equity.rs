//! The equity curve: portfolio value over time in the valuation asset, with the benchmark
//! instrument's price beside it (for buy & hold, alpha and beta). One point per bar for candle
//! data; for trade and quote data at most one point per sampling window (the state at the first
//! event of each window), so recording costs nothing per event. Exported curves are downsampled to
//! a bounded number of points; statistics use the recorded points.
//!
//! The points are kept in an [`EquitySeries`]: 24 bytes a point in fixed-size blocks, so a long run
//! (10M bars: 240 MB) never copies the series to grow it, and the statistics read it in passes
//! without per-point temporaries.

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
    /// Seconds since the running peak was set (0 at a peak).
    pub drawdown_duration_secs: f64,
    /// 1 − equity / running peak, as a percentage.
    pub drawdown_pct: f64,
    /// Equity.
    pub equity: f64,
    /// When.
    pub time: Timestamp,
}

/// A point as stored: the benchmark's absence is NaN (a price is never NaN).
#[derive(Copy, Clone, Debug)]
struct Packed {
    time: i64,
    equity: f64,
    benchmark: f64,
}

impl Packed {
    fn pack(p: EquityPoint) -> Packed {
        Packed { time: p.time.0, equity: p.equity, benchmark: p.benchmark.unwrap_or(f64::NAN) }
    }

    fn unpack(self) -> EquityPoint {
        EquityPoint {
            time: Timestamp(self.time),
            equity: self.equity,
            benchmark: (!self.benchmark.is_nan()).then_some(self.benchmark),
        }
    }
}

/// Points per block of an [`EquitySeries`]: 96 KiB. Blocks of 65,536 points (1.5 MiB) were each
/// a fresh piece of wasm memory (the allocator growing the memory): 17 % of a daily backtest's
/// profile there, in `malloc`, and a report kept by JS held all of it until collected.
const BLOCK: usize = 1 << 12;

/// The recorded equity points, in time order: 24 bytes each, in blocks of 4,096 (growing never
/// copies what is stored). Points dropped from the front (`drop_front`) are only skipped.
#[derive(Clone, Debug, Default)]
pub struct EquitySeries {
    blocks: Vec<Vec<Packed>>,
    /// Points stored, dropped ones included.
    stored: usize,
    /// Points dropped from the front.
    start: usize,
}

impl EquitySeries {
    /// The number of points.
    pub fn len(&self) -> usize {
        self.stored - self.start
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn at(&self, k: usize) -> EquityPoint {
        self.blocks[k / BLOCK][k % BLOCK].unpack()
    }

    /// The point at `i` (0-based), if any.
    pub fn get(&self, i: usize) -> Option<EquityPoint> {
        (i < self.len()).then(|| self.at(self.start + i))
    }

    /// The first point.
    pub fn first(&self) -> Option<EquityPoint> {
        self.get(0)
    }

    /// The last point.
    pub fn last(&self) -> Option<EquityPoint> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The points in order.
    pub fn iter(&self) -> impl Iterator<Item = EquityPoint> + Clone + '_ {
        (self.start..self.stored).map(move |k| self.at(k))
    }

    /// Appends a point.
    pub fn push(&mut self, p: EquityPoint) {
        if self.stored % BLOCK == 0 {
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        if let Some(b) = self.blocks.last_mut() {
            b.push(Packed::pack(p));
            self.stored += 1;
        }
    }

    /// Replaces the last point (no-op when empty).
    pub fn set_last(&mut self, p: EquityPoint) {
        if let Some(slot) = self.blocks.last_mut().and_then(|b| b.last_mut()) {
            if self.stored > self.start {
                *slot = Packed::pack(p);
            }
        }
    }

    /// Drops the first `n` points.
    pub fn drop_front(&mut self, n: usize) {
        self.start = self.start.saturating_add(n).min(self.stored);
    }

    /// The index of the point at or just before `t` (0 when every point is later).
    pub fn index_at(&self, t: Timestamp) -> usize {
        // Binary search over the (strictly increasing) times.
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.at(self.start + mid).time <= t {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.saturating_sub(1)
    }
}

impl FromIterator<EquityPoint> for EquitySeries {
    fn from_iter<I: IntoIterator<Item = EquityPoint>>(iter: I) -> Self {
        let mut s = EquitySeries::default();
        iter.into_iter().for_each(|p| s.push(p));
        s
    }
}

/// The most points a run keeps as a series ([`EquityRecorder`]): 24 MB. Past them the series is
/// dropped; statistics and the exported curve never needed it (see `running` and
/// [`CurveSampler`]), only `BacktestReport::equity` (point by point) is then empty.
pub const KEEP_POINTS: usize = 1_000_000;

/// The most points an exported curve has (longer ones are downsampled).
pub const CURVE_POINTS: usize = 10_000;

/// Records the curve during a run: which points are due, and the series while at most
/// `keep` points long.
#[derive(Clone, Debug, Default)]
pub struct EquityRecorder {
    window_ns: i64,
    /// First time of the next sampling window (so the per-event check is one comparison), once
    /// found after the last point (`window_stale`).
    next_window: i64,
    /// A point came since `next_window` was found.
    window_stale: bool,
    /// Time of the last point.
    last_time: i64,
    /// Points recorded.
    count: usize,
    keep: usize,
    /// The series, None once longer than `keep`.
    points: Option<EquitySeries>,
}

impl EquityRecorder {
    /// Samples trade/quote data once per `window_ms` (candles: every bar); keeps the series while
    /// at most [`KEEP_POINTS`] long.
    pub fn new(window_ms: u64) -> Self {
        Self::keeping(window_ms, KEEP_POINTS)
    }

    /// As `new`, keeping the series while at most `keep` points long.
    pub fn keeping(window_ms: u64, keep: usize) -> Self {
        EquityRecorder {
            window_ns: (window_ms as i64).saturating_mul(1_000_000).max(1),
            next_window: i64::MIN,
            window_stale: false,
            last_time: i64::MIN,
            count: 0,
            keep,
            points: Some(EquitySeries::default()),
        }
    }

    /// Whether a point is due at `time` (`bar`: the event closes a bar).
    #[inline]
    pub fn due(&mut self, time: Timestamp, bar: bool) -> bool {
        if bar {
            return self.count == 0 || time.0 > self.last_time;
        }
        if self.window_stale {
            self.next_window = (self.last_time.div_euclid(self.window_ns) + 1).saturating_mul(self.window_ns);
            self.window_stale = false;
        }
        time.0 >= self.next_window
    }

    /// Adds a point (replacing the last one if it has the same time); returns its index and
    /// whether it is new.
    pub fn record(&mut self, point: EquityPoint) -> (usize, bool) {
        let new = self.advance(point.time);
        if let Some(series) = self.points.as_mut() {
            if !new {
                series.set_last(point);
            } else if series.len() < self.keep {
                series.push(point);
            } else {
                self.points = None;
            }
        }
        (self.count - 1, new)
    }

    /// The clock and count of a point at `time`; whether it is a new one.
    #[inline]
    fn advance(&mut self, time: Timestamp) -> bool {
        let new = self.count == 0 || self.last_time != time.0;
        if new {
            self.count += 1;
        }
        self.last_time = time.0;
        // The next window is found when an event other than a bar asks (`due`): a 64-bit division
        // costs about as much as the rest of a point, and bars never read it.
        self.window_stale = true;
        new
    }

    /// `record` of a point nothing reads but its time, while no series is kept: its index, or
    /// None with a series (then `record` it).
    #[inline]
    pub fn count_point(&mut self, time: Timestamp) -> Option<usize> {
        if self.points.is_some() {
            return None;
        }
        self.advance(time);
        Some(self.count - 1)
    }

    /// Keeps the series while at most `keep` points long (a series already longer is dropped).
    pub fn set_keep(&mut self, keep: usize) {
        self.keep = keep;
        if self.points.as_ref().is_some_and(|s| s.len() > keep) {
            self.points = None;
        }
    }

    /// Whether a point at `time` would be a new one (not replace the last).
    pub fn is_new(&self, time: Timestamp) -> bool {
        self.count == 0 || self.last_time != time.0
    }

    /// Whether the next new point drops the series (it holds `keep` points).
    pub fn drops_on_next(&self) -> bool {
        self.points.as_ref().is_some_and(|s| s.len() >= self.keep)
    }

    /// Takes the series out (None if already dropped); later points are only counted.
    pub fn take_points(&mut self) -> Option<EquitySeries> {
        self.points.take()
    }

    /// Points recorded.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The last point's time, if any.
    pub fn last_time(&self) -> Option<Timestamp> {
        (self.count > 0).then_some(Timestamp(self.last_time))
    }

    /// The recorded points, while kept.
    pub fn points(&self) -> Option<&EquitySeries> {
        self.points.as_ref()
    }

    /// Takes the points (None when the series grew past its bound).
    pub fn into_points(self) -> Option<EquitySeries> {
        self.points.map(|mut s| {
            // The series outlives the run in its report: its last block holds only its points.
            if let Some(b) = s.blocks.last_mut() {
                b.shrink_to_fit();
            }
            s
        })
    }
}

/// An exported curve built as the points arrive, at most `max` points long whatever the run's
/// length: every `stride`-th point with its drawdown columns (computed on every point), the
/// stride doubling (every other kept point dropped) whenever `max - 1` are kept; the last point
/// is added at the end. A run of at most `max` points keeps them all, as [`equity_curve`] does.
#[derive(Clone, Debug)]
pub struct CurveSampler {
    max: usize,
    stride: usize,
    seen: usize,
    peak: f64,
    peak_time: Timestamp,
    kept: Vec<EquityCurvePoint>,
    last: Option<EquityCurvePoint>,
}

impl CurveSampler {
    /// A sampler of at most `max` points (at least 2).
    pub fn new(max: usize) -> Self {
        CurveSampler {
            max: max.max(2),
            stride: 1,
            seen: 0,
            peak: f64::MIN,
            peak_time: Timestamp(0),
            kept: Vec::new(),
            last: None,
        }
    }

    /// Takes the next point.
    pub fn push(&mut self, p: EquityPoint) {
        if p.equity >= self.peak {
            self.peak = p.equity;
            self.peak_time = p.time;
        }
        let c = EquityCurvePoint {
            time: p.time,
            equity: p.equity,
            drawdown_pct: if self.peak > 0.0 { (1.0 - p.equity / self.peak) * 100.0 } else { 0.0 },
            drawdown_duration_secs: p.time.0.saturating_sub(self.peak_time.0) as f64 / 1e9,
        };
        if self.seen % self.stride == 0 {
            self.kept.push(c);
            while self.seen >= self.max && self.kept.len() >= self.max {
                // Every other kept point goes: the stride doubles.
                let mut i = 0;
                self.kept.retain(|_| {
                    i += 1;
                    (i - 1) % 2 == 0
                });
                self.stride *= 2;
            }
        }
        self.seen += 1;
        self.last = Some(c);
    }

    /// The curve: the kept points and the last one.
    pub fn finish(mut self) -> Vec<EquityCurvePoint> {
        if let Some(last) = self.last.filter(|l| self.kept.last().map(|p| p.time) != Some(l.time)) {
            self.kept.push(last);
        }
        self.kept
    }
}

/// A curve thinned to at most `max_points` by stride, first and last kept.
pub fn thin(curve: &[EquityCurvePoint], max_points: usize) -> Vec<EquityCurvePoint> {
    let max_points = max_points.max(2);
    if curve.len() <= max_points {
        return curve.to_vec();
    }
    let stride = curve.len().div_ceil(max_points - 1);
    let mut out: Vec<EquityCurvePoint> = curve.iter().step_by(stride).copied().collect();
    if let Some(last) = curve.last().filter(|l| out.last().map(|p| p.time) != Some(l.time)) {
        out.push(*last);
    }
    out
}

/// The curve with drawdown columns, downsampled to at most `max_points` (first and last points are
/// always kept; between them every k-th point, k the smallest stride that fits). Drawdowns are
/// computed on the full curve before downsampling.
pub fn equity_curve(points: &EquitySeries, max_points: usize) -> Vec<EquityCurvePoint> {
    let mut peak = f64::MIN;
    let mut peak_time = Timestamp(0);
    let full = points.iter().map(|p| {
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
    });
    let n = points.len();
    let max_points = max_points.max(2);
    if n <= max_points {
        return full.collect();
    }
    // Every stride-th point, computed in one pass over the series (drawdowns need every point).
    let stride = n.div_ceil(max_points - 1);
    let mut out = Vec::with_capacity(max_points + 1);
    let mut last = None;
    for (i, p) in full.enumerate() {
        if i % stride == 0 {
            out.push(p);
        }
        last = Some(p);
    }
    if let Some(last) = last.filter(|l| out.last().map(|p: &EquityCurvePoint| p.time) != Some(l.time)) {
        out.push(last);
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
        assert_eq!(r.record(p(0, 1.0)), (0, true));
        assert!(!r.due(Timestamp(999_999_999), false));
        assert!(r.due(Timestamp(1_000_000_000), false));
        assert!(r.due(Timestamp(1), true));
        assert_eq!(r.record(p(0, 2.0)), (0, false));
        assert_eq!(r.points().unwrap().len(), 1);
        assert_eq!(r.points().unwrap().get(0).unwrap().equity, 2.0);
        // Past its bound the series is dropped; points are still counted.
        let mut r = EquityRecorder::keeping(1000, 2);
        for i in 0..3 {
            r.record(p(i, 1.0));
        }
        assert!(r.points().is_none());
        assert_eq!(r.count(), 3);
        // The window after a point is found when a non-bar event asks, whatever came between,
        // before the epoch too (floored, not truncated), and again after each new point.
        let mut r = EquityRecorder::new(1000);
        let at = |ns: i64| Timestamp(ns);
        r.record(EquityPoint { time: at(2_500_000_000), equity: 1.0, benchmark: None });
        assert!(r.due(at(2_500_000_001), true));
        assert!(!r.due(at(2_999_999_999), false));
        assert!(r.due(at(3_000_000_000), false));
        r.record(EquityPoint { time: at(-1_500_000_000), equity: 1.0, benchmark: None });
        assert!(!r.due(at(-1_000_000_001), false));
        assert!(r.due(at(-1_000_000_000), false));
        r.record(EquityPoint { time: at(7_000_000_000), equity: 1.0, benchmark: None });
        assert!(!r.due(at(7_999_999_999), false));
        assert!(r.due(at(8_000_000_000), false));
    }

    #[test]
    fn counted_points_are_recorded_points_without_a_series() {
        let mut r = EquityRecorder::new(1000);
        assert_eq!(r.count_point(Timestamp(0)), None, "a kept series takes points by `record`");
        r.set_keep(0);
        assert_eq!(r.record(p(1, 1.0)), (0, true));
        assert!(r.points().is_none());
        assert_eq!(r.count_point(Timestamp(1_000_000_000)), Some(0), "same time: the same point");
        assert_eq!(r.count_point(Timestamp(2_500_000_000)), Some(1));
        assert_eq!((r.count(), r.last_time()), (2, Some(Timestamp(2_500_000_000))));
        // Its sampling window is the counted point's.
        assert!(!r.due(Timestamp(2_999_999_999), false));
        assert!(r.due(Timestamp(3_000_000_000), false));
        assert_eq!(r.record(p(3, 2.0)), (2, true));
    }

    #[test]
    fn drawdown_columns_and_downsampling() {
        let pts = [p(0, 100.0), p(1, 110.0), p(2, 99.0), p(3, 120.0)];
        let c = equity_curve(&pts.into_iter().collect(), 10);
        assert!((c[2].drawdown_pct - 10.0).abs() < 1e-12);
        assert_eq!(c[2].drawdown_duration_secs, 1.0);
        assert_eq!(c[3].drawdown_pct, 0.0);
        let many: Vec<_> = (0..1001).map(|i| p(i, i as f64)).collect();
        let d = equity_curve(&many.iter().copied().collect(), 100);
        assert!(d.len() <= 101 && d.len() >= 90, "{}", d.len());
        assert_eq!(d.first().unwrap().time, many[0].time);
        assert_eq!(d.last().unwrap().time, many[1000].time);
    }

    #[test]
    fn the_sampler_keeps_short_curves_whole_and_bounds_long_ones() {
        let many: Vec<_> = (0..1001).map(|i| p(i, 100.0 + ((i as f64) / 7.0).sin())).collect();
        let series: EquitySeries = many.iter().copied().collect();
        let mut s = CurveSampler::new(2000);
        many.iter().for_each(|&x| s.push(x));
        assert_eq!(s.finish(), equity_curve(&series, 2000));
        let full = equity_curve(&series, 5000);
        for max in [2, 3, 10, 100, 999] {
            let mut s = CurveSampler::new(max);
            many.iter().for_each(|&x| s.push(x));
            let c = s.finish();
            assert!(c.len() <= max && c.len() >= max / 4, "{max}: {}", c.len());
            assert_eq!(c.first(), full.first());
            assert_eq!(c.last(), full.last());
            // Every kept point carries the drawdown of the full curve at its time.
            assert!(c.iter().all(|x| full.contains(x)));
        }
    }
}

#[cfg(test)]
mod series_tests {
    use super::*;

    #[test]
    fn series_across_blocks() {
        let pts: Vec<EquityPoint> = (0..(2 * BLOCK + 5) as i64)
            .map(|i| EquityPoint {
                time: Timestamp(i * 10),
                equity: i as f64,
                benchmark: (i % 3 == 0).then_some(1.5),
            })
            .collect();
        let mut s: EquitySeries = pts.iter().copied().collect();
        assert_eq!(s.len(), pts.len());
        assert!(s.iter().eq(pts.iter().copied()));
        assert_eq!(s.index_at(Timestamp(25)), 2);
        assert_eq!(s.index_at(Timestamp(30)), 3);
        assert_eq!(s.index_at(Timestamp(-1)), 0);
        s.drop_front(BLOCK + 1);
        assert_eq!(s.first(), Some(pts[BLOCK + 1]));
        assert_eq!(s.last(), pts.last().copied());
        assert_eq!(s.index_at(Timestamp(((BLOCK + 3) * 10) as i64)), 2);
    }
}

impl Serialize for EquitySeries {
    /// As a list of points (what a `Vec<EquityPoint>` gives).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
