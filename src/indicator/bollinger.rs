//! Bollinger bands.
//!
//! Reference: TA-Lib `BBANDS` with its default SMA middle band (`matype` 0): middle = the mean of
//! the last `n` samples (their SMA, computed with the deviation as in `stddev.rs`), deviation =
//! their population deviation (0 below a variance of 1e-8, as TA-Lib), upper/lower = middle ±
//! k·deviation.
//! The first value comes at sample `n` (lookback `n − 1`).

use super::stddev::{deviation, Moments};
use super::value::Value;
use super::{batch, Indicator};

/// The three bands.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Bands<V> {
    /// middle + k·deviation.
    pub upper: V,
    /// The SMA.
    pub middle: V,
    /// middle − k·deviation.
    pub lower: V,
}

/// Bollinger bands: SMA(n) ± k population deviations.
#[derive(Clone, Debug)]
pub struct Bollinger<V: Value> {
    moments: Moments<V>,
    k: V,
}

impl<V: Value> Bollinger<V> {
    /// Over `n` samples (at least 1), `k` deviations wide (2 is the usual).
    pub fn new(n: usize, k: V) -> Self {
        Bollinger { moments: Moments::new(n), k }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        self.moments.push(x)
    }

    /// The bands, once `n` samples arrived.
    #[inline]
    pub fn value(&self) -> Option<Bands<V>> {
        let (middle, variance) = self.moments.value()?;
        let width = deviation(variance) * self.k;
        Some(Bands { upper: middle + width, middle, lower: middle - width })
    }
}

impl<V: Value> Indicator for Bollinger<V> {
    type Input = V;
    type Output = Bands<V>;
    fn update(&mut self, x: V) -> Option<Bands<V>> {
        self.push(x);
        Bollinger::value(self)
    }
    fn value(&self) -> Option<Bands<V>> {
        Bollinger::value(self)
    }
}

/// Bollinger bands of `xs` (None during warm-up); equal to the streaming form.
pub fn bollinger<V: Value>(xs: &[V], n: usize, k: V) -> Vec<Option<Bands<V>>> {
    batch(Bollinger::new(n, k), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let b = bollinger(&xs, 8, 2.0);
        assert_eq!(b[6], None);
        assert_eq!(b[7], Some(Bands { upper: 9.0, middle: 5.0, lower: 1.0 }));
    }
}
