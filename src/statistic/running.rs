//! The portfolio statistics in streaming form: [`RunningStats`] takes the equity points one at a
//! time and keeps only what the statistics need, none of it per point: the running peak and
//! deepest drawdown, the drawdown episodes (one entry per episode), the last 100 times (the data's
//! period), weekend counts, the last equity of each calendar bucket (day, week, month, year: one
//! entry per bucket, the bucketing chosen at the end from the period), the benchmark's first
//! tradable and last prices, and for beta the log-return pairs up to [`EXACT_PAIRS`] (past them,
//! bivariate Welford co-moments, equal to the two-pass sums up to rounding).
//!
//! Each value is computed by the same operations in the same order as backtesting.py's
//! definitions over whole vectors, so a run's statistics do not depend on whether its series was
//! kept (a kept series is fed through here at the end).

use super::equity::EquityPoint;
use crate::time::{civil_from_days, days_from_civil, Timestamp};

/// How many of the last times are kept (the data's period is read from them).
const TAIL: usize = 100;

/// Beta's log-return pairs kept for the exact two-pass sums (16 bytes each, 16 MiB at most).
pub const EXACT_PAIRS: usize = 1 << 20;

/// `libm::log`, without the call for an unchanged value: equity is flat while no position is
/// open (a zero return), and log(1) is +0 there as in libm.
#[inline]
pub(super) fn log(x: f64) -> f64 {
    if x == 1.0 {
        0.0
    } else {
        libm::log(x)
    }
}

/// The last 100 times, as a ring (read them with `times()`).
#[derive(Clone, Debug, Default)]
pub(super) struct TimeTail {
    ring: Vec<Timestamp>,
    /// Once the ring is full: where the oldest time is, and the next one goes (a wrapping index,
    /// not a count `% 100`: a division on every point).
    next: usize,
}

impl TimeTail {
    #[inline]
    pub(super) fn push(&mut self, time: Timestamp) {
        if self.ring.len() < TAIL {
            self.ring.push(time);
            return;
        }
        if let Some(slot) = self.ring.get_mut(self.next) {
            *slot = time;
        }
        self.next = if self.next + 1 == TAIL { 0 } else { self.next + 1 };
    }

    /// The last 100 times (fewer when fewer came), oldest first.
    pub(super) fn times(&self) -> Vec<Timestamp> {
        let mut tail = self.ring.clone();
        tail.rotate_left(self.next);
        tail
    }
}

/// The last equity of each bucket of one calendar bucketing.
#[derive(Clone, Debug, Default)]
pub(super) struct Buckets {
    current: Option<i64>,
    pub(super) last: Vec<f64>,
}

impl Buckets {
    fn push(&mut self, bucket: i64, equity: f64) {
        if let (true, Some(slot)) = (self.current == Some(bucket), self.last.last_mut()) {
            *slot = equity;
        } else {
            self.last.push(equity);
            self.current = Some(bucket);
        }
    }
}

/// Running co-moments of (equity, benchmark) log returns (Welford, bivariate).
#[derive(Clone, Debug, Default)]
struct CoMoments {
    n: f64,
    mean_x: f64,
    mean_y: f64,
    c_xy: f64,
    m2_y: f64,
}

impl CoMoments {
    fn push(&mut self, x: f64, y: f64) {
        self.n += 1.0;
        let dx = x - self.mean_x;
        self.mean_x += dx / self.n;
        let dy = y - self.mean_y;
        self.mean_y += dy / self.n;
        let y_after = y - self.mean_y;
        self.c_xy += dx * y_after;
        self.m2_y += dy * y_after;
    }
}

/// What the statistics need of the equity points, accumulated one point at a time.
#[derive(Clone, Debug)]
pub struct RunningStats {
    first_trading_bar: usize,
    pub(super) n: usize,
    pub(super) first: Option<EquityPoint>,
    pub(super) last: Option<EquityPoint>,
    peak: f64,
    pub(super) max_dd: f64,
    /// The last zero-drawdown point's index and time, and the deepest drawdown since it.
    mark: Option<(usize, Timestamp, f64)>,
    /// Closed drawdown episodes: durations (ns) and depths.
    pub(super) durations: Vec<f64>,
    pub(super) peaks: Vec<f64>,
    /// The last 100 times.
    tail: TimeTail,
    pub(super) weekend: usize,
    /// Daily, weekly, monthly and yearly buckets.
    pub(super) buckets: [Buckets; 4],
    pub(super) bench_first: Option<f64>,
    /// Whether every point so far has a benchmark price.
    pub(super) all_bench: bool,
    /// Beta's log-return pairs while at most `EXACT_PAIRS` (None past them).
    pub(super) pairs: Option<Vec<(f64, f64)>>,
    co: CoMoments,
    /// The last point's month: its first day, the next month's first day, year and month (one
    /// calendar conversion a month instead of one a point).
    month: Option<(i64, i64, i64, u32)>,
}

impl RunningStats {
    /// Statistics whose buy & hold starts at point `first_trading_bar`.
    pub fn new(first_trading_bar: usize) -> Self {
        RunningStats {
            first_trading_bar,
            n: 0,
            first: None,
            last: None,
            peak: f64::MIN,
            max_dd: 0.0,
            mark: None,
            durations: Vec::new(),
            peaks: Vec::new(),
            tail: TimeTail::default(),
            weekend: 0,
            buckets: Default::default(),
            bench_first: None,
            all_bench: true,
            pairs: Some(Vec::new()),
            co: CoMoments::default(),
            month: None,
        }
    }

    /// Room for `n` more points where they are kept one per point (the beta pairs, the daily
    /// buckets), when the caller knows how many come: no reallocation while they arrive.
    pub fn reserve(&mut self, n: usize) {
        if let Some(pairs) = self.pairs.as_mut() {
            pairs.reserve(n.min(EXACT_PAIRS.saturating_sub(pairs.len())));
        }
        self.buckets[0].last.reserve(n);
    }

    /// Takes the next point.
    pub fn push(&mut self, p: EquityPoint) {
        let i = self.n;
        self.peak = self.peak.max(p.equity);
        let dd = 1.0 - p.equity / self.peak;
        if dd.is_finite() {
            self.max_dd = self.max_dd.max(dd);
        }
        if let Some((_, _, deepest)) = self.mark.as_mut() {
            *deepest = deepest.max(dd);
        }
        if dd == 0.0 {
            if let Some((a, ta, deepest)) = self.mark {
                if i > a + 1 {
                    self.durations.push(p.time.0.saturating_sub(ta.0) as f64);
                    self.peaks.push(deepest);
                }
            }
            self.mark = Some((i, p.time, f64::MIN.max(dd)));
        }
        self.tail.push(p.time);
        let day = p.time.utc_day();
        if (day + 3).rem_euclid(7) >= 5 {
            self.weekend += 1;
        }
        let (y, m) = self.month_of(day);
        self.buckets[0].push(day, p.equity);
        self.buckets[1].push((day + 3).div_euclid(7), p.equity);
        self.buckets[2].push(y * 12 + m as i64, p.equity);
        self.buckets[3].push(y, p.equity);
        if i == self.first_trading_bar {
            self.bench_first = p.benchmark;
        }
        self.all_bench &= p.benchmark.is_some();
        if let (true, Some(prev)) = (self.all_bench, self.last) {
            let x = log(p.equity / prev.equity);
            let y = log(p.benchmark.unwrap_or(1.0) / prev.benchmark.unwrap_or(1.0));
            // The co-moments start when the pairs stop being kept (they are only read then): the
            // kept pairs go in first, in order, so they equal a push of every pair as it came.
            match self.pairs.as_mut() {
                Some(pairs) if pairs.len() < EXACT_PAIRS => pairs.push((x, y)),
                Some(pairs) => {
                    pairs.iter().for_each(|&(a, b)| self.co.push(a, b));
                    self.co.push(x, y);
                    self.pairs = None;
                }
                None => self.co.push(x, y),
            }
        }
        if self.first.is_none() {
            self.first = Some(p);
        }
        self.last = Some(p);
        self.n += 1;
    }

    /// The last 100 times (fewer in a shorter run), oldest first.
    pub(super) fn tail(&self) -> Vec<Timestamp> {
        self.tail.times()
    }

    /// The (year, month) of a day number.
    #[inline]
    fn month_of(&mut self, day: i64) -> (i64, u32) {
        match self.month {
            Some((first, next, y, m)) if (first..next).contains(&day) => (y, m),
            _ => {
                let (y, m, _) = civil_from_days(day);
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                self.month = Some((days_from_civil(y, m, 1), days_from_civil(ny, nm, 1), y, m));
                (y, m)
            }
        }
    }

    /// The episodes with the last one closed at the last point (when it is not a mark).
    pub(super) fn episodes(&self) -> (Vec<f64>, Vec<f64>) {
        let (mut durations, mut peaks) = (self.durations.clone(), self.peaks.clone());
        if let (Some((a, ta, deepest)), Some(last)) = (self.mark, self.last) {
            let end = self.n - 1;
            if a != end && end > a + 1 {
                durations.push(last.time.0.saturating_sub(ta.0) as f64);
                peaks.push(deepest);
            }
        }
        (durations, peaks)
    }

    /// The log of each point's equity over the one before, in order, where beta's pairs hold
    /// them all (every point had a benchmark, and at most `EXACT_PAIRS` came).
    pub(super) fn equity_logs(&self) -> Option<&[(f64, f64)]> {
        self.pairs.as_deref().filter(|pairs| pairs.len() + 1 == self.n)
    }

    /// Beta: cov / var of the log returns (None with a point missing its benchmark, or < 3 points).
    pub(super) fn beta(&self) -> Option<f64> {
        if !(self.all_bench && self.n > 2) {
            return None;
        }
        let ratio = match &self.pairs {
            Some(pairs) => {
                let k = pairs.len() as f64;
                let me = pairs.iter().map(|p| p.0).sum::<f64>() / k;
                let mm = pairs.iter().map(|p| p.1).sum::<f64>() / k;
                let cov: f64 = pairs.iter().map(|(a, b)| (a - me) * (b - mm)).sum();
                let var: f64 = pairs.iter().map(|(_, b)| (b - mm).powi(2)).sum();
                cov / var
            }
            None => self.co.c_xy / self.co.m2_y,
        };
        ratio.is_finite().then_some(ratio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_tail_keeps_the_last_hundred_oldest_first() {
        for n in [0usize, 1, 99, 100, 101, 199, 200, 201, 1234] {
            let mut tail = TimeTail::default();
            (0..n as i64).for_each(|k| tail.push(Timestamp(k)));
            let want: Vec<Timestamp> = (n.saturating_sub(TAIL) as i64..n as i64).map(Timestamp).collect();
            assert_eq!(tail.times(), want, "{n} pushed");
        }
    }

    #[test]
    fn the_flat_log_is_libms_to_the_bit() {
        assert_eq!(log(1.0).to_bits(), libm::log(1.0).to_bits());
        for x in [0.5, 0.999_999_999_999_999_9, 1.000_000_000_000_000_2, 2.0, 1e-300] {
            assert_eq!(log(x).to_bits(), libm::log(x).to_bits(), "{x}");
        }
    }

    #[test]
    fn comoments_match_two_pass_sums() {
        let xs: Vec<(f64, f64)> =
            (0..1000).map(|i| ((i as f64 * 0.37).sin() * 0.01, (i as f64 * 0.11).cos() * 0.02)).collect();
        let mut c = CoMoments::default();
        xs.iter().for_each(|&(x, y)| c.push(x, y));
        let k = xs.len() as f64;
        let (mx, my) = (xs.iter().map(|p| p.0).sum::<f64>() / k, xs.iter().map(|p| p.1).sum::<f64>() / k);
        let cov: f64 = xs.iter().map(|(a, b)| (a - mx) * (b - my)).sum();
        let var: f64 = xs.iter().map(|(_, b)| (b - my).powi(2)).sum();
        assert!((c.c_xy / c.m2_y - cov / var).abs() < 1e-12 * (cov / var).abs().max(1.0));
    }

    #[test]
    fn tail_is_the_last_hundred_times_oldest_first() {
        for n in [0usize, 1, 37, 99, 100, 101, 250, 300] {
            let mut r = RunningStats::new(0);
            let times: Vec<Timestamp> =
                (0..n as i64).map(|k| Timestamp(86_400_000_000_000 * (k + 1))).collect();
            for &time in &times {
                r.push(EquityPoint { time, equity: 100.0, benchmark: None });
            }
            assert_eq!(r.tail(), times[n.saturating_sub(100)..].to_vec(), "{n} points");
        }
    }

    #[test]
    fn month_of_equals_the_calendar_across_month_and_year_ends() {
        let mut r = RunningStats::new(0);
        // Days from 1999-12-25 to 2001-03-05 in order, and a jump back (a new series).
        let start = crate::time::days_from_civil(1999, 12, 25);
        let days: Vec<i64> = (start..start + 436).chain([start + 3, start + 40]).collect();
        for day in days {
            let (y, m, _) = civil_from_days(day);
            assert_eq!(r.month_of(day), (y, m), "day {day}");
        }
    }
}
