//! Moving average convergence/divergence.
//!
//! Reference: TA-Lib `MACD` (fast 12, slow 26, signal 9 by default; periods swapped if fast >
//! slow). MACD = EMA(fast) − EMA(slow); signal = EMA(signal) of the MACD line; histogram = MACD −
//! signal; every EMA seeded with the SMA of its first samples (see `ema.rs`). TA-Lib's quirk, kept:
//! the fast EMA does not start at the first sample but `slow − fast` samples later, so that its SMA
//! seed ends on the same sample as the slow one's (sample `slow`); a plain EMA(fast) would differ
//! from TA-Lib's for a few hundred samples. All three lines are None until the signal line is
//! ready, at sample `slow + signal − 1` (lookback `slow + signal − 2`), as in TA-Lib. pandas-style
//! MACDs (`ewm(adjust=False)`, seeded with the first sample, no warm-up) are not this.

use super::value::Value;
use super::{batch, period, Ema, Indicator};

/// The three lines.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MacdValue<V> {
    /// EMA(fast) − EMA(slow).
    pub macd: V,
    /// EMA(signal) of the MACD line.
    pub signal: V,
    /// MACD − signal.
    pub histogram: V,
}

/// MACD with TA-Lib's alignment of the fast EMA.
#[derive(Clone, Debug)]
pub struct Macd<V: Value> {
    fast: Ema<V>,
    slow: Ema<V>,
    signal: Ema<V>,
    /// Samples the fast EMA skips: slow − fast.
    skip: usize,
    seen: usize,
}

impl<V: Value> Macd<V> {
    /// MACD(fast, slow, signal), each at least 1 (the two averages swapped when fast > slow).
    pub fn new(fast: usize, slow: usize, signal: usize) -> Self {
        let (fast, slow) = (period(fast), period(slow));
        let (fast, slow) = if fast > slow { (slow, fast) } else { (fast, slow) };
        Macd {
            fast: Ema::new(fast),
            slow: Ema::new(slow),
            signal: Ema::new(signal),
            skip: slow - fast,
            seen: 0,
        }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        self.slow.push(x);
        if self.seen < self.skip {
            self.seen += 1;
        } else {
            self.fast.push(x);
        }
        if let (Some(f), Some(s)) = (self.fast.value(), self.slow.value()) {
            self.signal.push(f - s);
        }
    }

    /// The three lines, once the signal line is ready.
    #[inline]
    pub fn value(&self) -> Option<MacdValue<V>> {
        let signal = self.signal.value()?;
        let macd = self.fast.value()? - self.slow.value()?;
        Some(MacdValue { macd, signal, histogram: macd - signal })
    }
}

impl<V: Value> Indicator for Macd<V> {
    type Input = V;
    type Output = MacdValue<V>;
    fn update(&mut self, x: V) -> Option<MacdValue<V>> {
        self.push(x);
        Macd::value(self)
    }
    fn value(&self) -> Option<MacdValue<V>> {
        Macd::value(self)
    }
}

/// MACD(fast, slow, signal) of `xs` (None during warm-up); equal to the streaming form.
pub fn macd<V: Value>(xs: &[V], fast: usize, slow: usize, signal: usize) -> Vec<Option<MacdValue<V>>> {
    batch(Macd::new(fast, slow, signal), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warm_up_and_alignment() {
        let xs = crate::indicator::test_data::walk(200);
        let m = macd(&xs, 3, 5, 2);
        // Lookback slow + signal − 2 = 5.
        assert!(m[..5].iter().all(Option::is_none));
        assert!(m[5].is_some());
        // The fast EMA is seeded with the SMA of samples 2..=4 (it skips 5 − 3 = 2).
        let fast_seed = (xs[2] + xs[3] + xs[4]) / 3.0;
        let slow_seed = (xs[0] + xs[1] + xs[2] + xs[3] + xs[4]) / 5.0;
        let fast5 = fast_seed + 0.5 * (xs[5] - fast_seed);
        let slow5 = slow_seed + (2.0 / 6.0) * (xs[5] - slow_seed);
        let signal = ((fast_seed - slow_seed) + (fast5 - slow5)) / 2.0;
        let v = m[5].unwrap();
        assert_eq!(v.macd, fast5 - slow5);
        assert_eq!(v.signal, signal);
        assert_eq!(v.histogram, v.macd - v.signal);
        // fast > slow swaps.
        assert_eq!(macd(&xs, 5, 3, 2), m);
    }
}
