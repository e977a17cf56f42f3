//! Which equity point a trade entered and exited at, found as the run goes (the series may not be
//! kept): the point at or just before the time, as a binary search over the whole series would
//! give. A time at or after the last point waits for the next point (which may have exactly that
//! time); an earlier one (a fill reported after a response latency) is looked up among the last
//! [`RECENT`] points' times.

use super::equity::EquitySeries;
use crate::time::Timestamp;
use std::collections::VecDeque;

/// Point times kept for looking up times in the recent past.
pub const RECENT: usize = 4096;

/// Resolves times to point indices; each request gets a slot whose index is read at the end.
#[derive(Clone, Debug, Default)]
pub struct BarResolver {
    /// By slot: the point index, `usize::MAX` while waiting for the next point.
    resolved: Vec<usize>,
    /// Requests waiting for the next point: (time, slot).
    waiting: Vec<(Timestamp, usize)>,
    /// The last `RECENT` point times, and the index of the first of them.
    recent: VecDeque<Timestamp>,
    recent_base: usize,
}

impl BarResolver {
    /// A new point `index` at `time` (points come in time order, each index once).
    pub fn on_point(&mut self, time: Timestamp, index: usize) {
        if self.recent.len() == RECENT {
            self.recent.pop_front();
            self.recent_base += 1;
        }
        if self.recent.is_empty() {
            self.recent_base = index;
        }
        self.recent.push_back(time);
        let resolved = &mut self.resolved;
        self.waiting.retain(|&(t, slot)| {
            if t > time {
                return true;
            }
            resolved[slot] = if t == time { index } else { index.saturating_sub(1) };
            false
        });
    }

    /// Asks for the point at or before `t`; `series` (when kept) answers times older than the
    /// recent ones exactly.
    pub fn request(&mut self, t: Timestamp, series: Option<&EquitySeries>) -> usize {
        let slot = self.resolved.len();
        match self.recent.back() {
            Some(&last) if t <= last => {
                let k = self.recent.partition_point(|&x| x <= t);
                let index = if k > 0 {
                    self.recent_base + k - 1
                } else if self.recent_base == 0 {
                    0
                } else {
                    // Older than the recent times: exact from the series, else the oldest recent one.
                    series.map_or(self.recent_base, |s| s.index_at(t))
                };
                self.resolved.push(index);
            }
            _ => {
                self.resolved.push(usize::MAX);
                self.waiting.push((t, slot));
            }
        }
        slot
    }

    /// The index of a slot once the run ended with `count` points (waiting ones: the last point).
    pub fn index(&self, slot: usize, count: usize) -> usize {
        match self.resolved.get(slot) {
            Some(&i) if i != usize::MAX => i,
            _ => count.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_a_search_over_the_whole_series() {
        let times: Vec<i64> = (0..10_000).map(|i| i * 10).collect();
        let series: EquitySeries = times
            .iter()
            .map(|&t| super::super::equity::EquityPoint { time: Timestamp(t), equity: 1.0, benchmark: None })
            .collect();
        let mut r = BarResolver::default();
        let mut asked = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            // Ask for the past (recent and older), the present and the future.
            for q in [t - 35, t - 10 * (RECENT as i64 + 7), t, t + 5, t + 10] {
                asked.push((q, r.request(Timestamp(q), Some(&series))));
            }
            r.on_point(Timestamp(t), i);
        }
        for (q, slot) in asked {
            assert_eq!(r.index(slot, times.len()), series.index_at(Timestamp(q)), "time {q}");
        }
    }
}
