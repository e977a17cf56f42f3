//! Weighted moving average: weights 1, 2, …, n, the newest sample weighing n.
//!
//! Reference: TA-Lib `WMA`; the first value comes at sample `n` (lookback `n − 1`). O(1): a running
//! plain sum S and weighted sum W; a new sample x (with `old` leaving) makes W − S + n·x (every
//! sample in the window loses one weight) and S − old + x. Both are rebuilt from the window every
//! `n` samples, so their rounding drift stays bounded over long series (amortised O(1)).

use super::value::Value;
use super::{batch, period, Indicator, Window};

/// Weighted moving average over the last `n` samples.
#[derive(Clone, Debug)]
pub struct Wma<V: Value> {
    n: V,
    divider: V,
    window: Window<V>,
    /// Σ weight·x over the window, oldest weighing 1.
    weighted: V,
    /// Σ x over the window.
    plain: V,
}

impl<V: Value> Wma<V> {
    /// Over `n` samples (at least 1).
    pub fn new(n: usize) -> Self {
        let n = period(n);
        Wma {
            n: V::from_count(n),
            divider: V::from_count(n) * V::from_count(n + 1) / (V::ONE + V::ONE),
            window: Window::new(n),
            weighted: V::ZERO,
            plain: V::ZERO,
        }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        match self.window.push(x) {
            None => {
                // Warm-up: weights 1, 2, … by arrival.
                self.weighted = self.weighted + x * V::from_count(self.window.count());
                self.plain = self.plain + x;
            }
            Some(old) if !self.window.wrapped() => {
                self.weighted = self.weighted - self.plain + x * self.n;
                self.plain = self.plain - old + x;
            }
            Some(_) => self.rebuild(),
        }
    }

    /// Both sums from the window, oldest first.
    #[inline(never)]
    fn rebuild(&mut self) {
        let (mut weighted, mut plain, mut w) = (V::ZERO, V::ZERO, V::ZERO);
        for x in self.window.iter() {
            w = w + V::ONE;
            weighted = weighted + x * w;
            plain = plain + x;
        }
        (self.weighted, self.plain) = (weighted, plain);
    }

    /// The average, once `n` samples arrived.
    #[inline]
    pub fn value(&self) -> Option<V> {
        self.window.full().then(|| self.weighted / self.divider)
    }
}

impl<V: Value> Indicator for Wma<V> {
    type Input = V;
    type Output = V;
    fn update(&mut self, x: V) -> Option<V> {
        self.push(x);
        Wma::value(self)
    }
    fn value(&self) -> Option<V> {
        Wma::value(self)
    }
}

/// WMA(`n`) of `xs` (None during warm-up); equal to the streaming form.
pub fn wma<V: Value>(xs: &[V], n: usize) -> Vec<Option<V>> {
    batch(Wma::new(n), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // n = 3, divider 6: (1·1 + 2·2 + 3·3)/6 = 14/6; (1·2 + 2·3 + 3·10)/6 = 38/6.
        let v = wma(&[1.0, 2.0, 3.0, 10.0], 3);
        assert_eq!(v, vec![None, None, Some(14.0 / 6.0), Some(38.0 / 6.0)]);
        assert_eq!(wma(&[4.0, 5.0], 1), vec![Some(4.0), Some(5.0)]);
        // Against the definition on a long walk far from zero (where drift would show).
        let xs: Vec<f64> = crate::indicator::test_data::walk(20_000).iter().map(|x| x + 1e5).collect();
        let w = wma(&xs, 10);
        for i in 9..xs.len() {
            let direct: f64 = (0..10).map(|j| xs[i - 9 + j] * (j + 1) as f64).sum::<f64>() / 55.0;
            assert!((w[i].unwrap() - direct).abs() < 1e-9, "i {i}");
        }
    }
}
