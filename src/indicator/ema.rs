//! Exponential moving average.
//!
//! Reference: TA-Lib `EMA` (its default, non-Metastock compatibility). alpha = 2 / (n + 1); seeded
//! with the SMA of the first `n` samples (TA-Lib's seeding, also TradingView's), so the first value
//! comes at sample `n` (None before, lookback `n − 1`); then `v + alpha·(x − v)` (TA-Lib's `(x − v)·k + v`, the
//! same two roundings). pandas' `ewm(span=n, adjust=False)` differs: it seeds with the
//! first sample and has no warm-up.

use super::value::Value;
use super::{batch, period, Indicator, Sma};

/// Exponential moving average, alpha = 2 / (n + 1), seeded with the SMA of the first n samples.
#[derive(Clone, Debug)]
pub struct Ema<V: Value> {
    alpha: V,
    seed: Sma<V>,
    value: Option<V>,
}

impl<V: Value> Ema<V> {
    /// An EMA of length `n` (at least 1).
    pub fn new(n: usize) -> Self {
        let n = period(n);
        Ema { alpha: (V::ONE + V::ONE) / V::from_count(n + 1), seed: Sma::new(n), value: None }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        self.value = match self.value {
            Some(v) => Some(v + self.alpha * (x - v)),
            None => {
                self.seed.push(x);
                self.seed.value()
            }
        };
    }

    /// The average, once ready.
    #[inline]
    pub fn value(&self) -> Option<V> {
        self.value
    }
}

impl<V: Value> Indicator for Ema<V> {
    type Input = V;
    type Output = V;
    fn update(&mut self, x: V) -> Option<V> {
        self.push(x);
        self.value
    }
    fn value(&self) -> Option<V> {
        self.value
    }
}

/// EMA(`n`) of `xs`, one value per sample (None during warm-up); equal to the streaming form.
pub fn ema<V: Value>(xs: &[V], n: usize) -> Vec<Option<V>> {
    batch(Ema::new(n), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn seeded_with_sma() {
        // n = 3: alpha 0.5; seed (1+2+3)/3 = 2; next 2 + 0.5·(6 − 2) = 4.
        let mut e = Ema::new(3);
        for x in ["1", "2"] {
            e.push(d(x));
            assert!(e.value().is_none());
        }
        e.push(d("3"));
        assert_eq!(e.value(), Some(d("2")));
        e.push(d("6"));
        assert_eq!(e.value(), Some(d("4")));
        assert_eq!(ema(&[1.0, 2.0, 3.0, 6.0], 3), vec![None, None, Some(2.0), Some(4.0)]);
    }
}
