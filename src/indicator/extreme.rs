//! Rolling highest and lowest values, and the Donchian channel built on them.
//!
//! Reference: TA-Lib `MAX` and `MIN`: the extreme of the last `n` samples, the current one
//! included; None for the first `n − 1` (lookback `n − 1`). A monotonic deque keeps the candidates
//! (each sample enters and leaves once: amortised O(1) per sample, where TA-Lib rescans the window
//! when its extreme leaves). An extreme is one of the samples, so the value is exact in any type.

use super::value::Value;
use super::{batch, period, Indicator, PREALLOC};
use std::collections::VecDeque;

/// The extreme of a rolling window: `HIGH` picks the highest, else the lowest.
#[derive(Clone, Debug)]
struct Rolling<V, const HIGH: bool> {
    n: u64,
    seen: u64,
    /// (sample number, value): values strictly decreasing (HIGH) or increasing front to back, so the
    /// front is the extreme of the window.
    candidates: VecDeque<(u64, V)>,
}

impl<V: Value, const HIGH: bool> Rolling<V, HIGH> {
    fn new(n: usize) -> Self {
        let n = period(n);
        Rolling { n: n as u64, seen: 0, candidates: VecDeque::with_capacity(n.min(PREALLOC) + 1) }
    }

    #[inline]
    fn push(&mut self, x: V) {
        // A candidate no better than the newcomer can never be the extreme again.
        while let Some(&(_, back)) = self.candidates.back() {
            let dominated = if HIGH { back.at_most(x) } else { x.at_most(back) };
            if !dominated {
                break;
            }
            self.candidates.pop_back();
        }
        self.candidates.push_back((self.seen, x));
        self.seen += 1;
        // Drop the front once it left the window (sample numbers below seen − n).
        while self.candidates.front().is_some_and(|&(i, _)| i + self.n < self.seen) {
            self.candidates.pop_front();
        }
    }

    #[inline]
    fn value(&self) -> Option<V> {
        if self.seen < self.n {
            return None;
        }
        self.candidates.front().map(|&(_, v)| v)
    }
}

macro_rules! extreme {
    ($name:ident, $high:literal, $doc:literal, $batch:ident, $batch_doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Debug)]
        pub struct $name<V: Value>(Rolling<V, $high>);

        impl<V: Value> $name<V> {
            /// Over the last `n` samples (at least 1).
            pub fn new(n: usize) -> Self {
                $name(Rolling::new(n))
            }
            /// Adds a sample.
            #[inline]
            pub fn push(&mut self, x: V) {
                self.0.push(x)
            }
            /// The extreme of the last `n` samples, once `n` arrived.
            #[inline]
            pub fn value(&self) -> Option<V> {
                self.0.value()
            }
        }

        impl<V: Value> Indicator for $name<V> {
            type Input = V;
            type Output = V;
            fn update(&mut self, x: V) -> Option<V> {
                self.0.push(x);
                self.0.value()
            }
            fn value(&self) -> Option<V> {
                self.0.value()
            }
        }

        #[doc = $batch_doc]
        pub fn $batch<V: Value>(xs: &[V], n: usize) -> Vec<Option<V>> {
            batch($name::new(n), xs.iter().copied())
        }
    };
}

extreme!(
    Highest,
    true,
    "The highest of the last `n` samples (TA-Lib `MAX`).",
    highest,
    "The rolling highest of `xs` over `n` samples (None during warm-up); equal to the streaming form."
);
extreme!(
    Lowest,
    false,
    "The lowest of the last `n` samples (TA-Lib `MIN`).",
    lowest,
    "The rolling lowest of `xs` over `n` samples (None during warm-up); equal to the streaming form."
);

/// Highest high and lowest low of the last `n` bars (a Donchian channel).
#[derive(Clone, Debug)]
pub struct Extremes<V: Value> {
    high: Highest<V>,
    low: Lowest<V>,
}

impl<V: Value> Extremes<V> {
    /// A window of `n` (at least 1) bars.
    pub fn new(n: usize) -> Self {
        Extremes { high: Highest::new(n), low: Lowest::new(n) }
    }

    /// Adds a bar's high and low.
    #[inline]
    pub fn push(&mut self, high: V, low: V) {
        self.high.push(high);
        self.low.push(low);
    }

    /// (highest high, lowest low), once `n` bars arrived.
    #[inline]
    pub fn value(&self) -> Option<(V, V)> {
        Some((self.high.value()?, self.low.value()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn extremes_window() {
        let mut x = Extremes::new(2);
        x.push(d("5"), d("1"));
        assert!(x.value().is_none());
        x.push(d("4"), d("2"));
        assert_eq!(x.value(), Some((d("5"), d("1"))));
        x.push(d("3"), d("3"));
        assert_eq!(x.value(), Some((d("4"), d("2"))));
    }

    #[test]
    fn deque_equals_a_rescan() {
        let xs = crate::indicator::test_data::walk(2000);
        for n in [1, 2, 3, 7, 50] {
            let (hi, lo) = (highest(&xs, n), lowest(&xs, n));
            for i in 0..xs.len() {
                if i + 1 < n {
                    assert_eq!((hi[i], lo[i]), (None, None));
                    continue;
                }
                let w = &xs[i + 1 - n..=i];
                assert_eq!(hi[i], w.iter().copied().reduce(f64::max), "n {n} i {i}");
                assert_eq!(lo[i], w.iter().copied().reduce(f64::min), "n {n} i {i}");
            }
        }
        // Ties and plateaus.
        assert_eq!(
            highest(&[1.0, 1.0, 1.0, 0.0, 0.0], 2),
            vec![None, Some(1.0), Some(1.0), Some(1.0), Some(0.0)]
        );
    }
}
