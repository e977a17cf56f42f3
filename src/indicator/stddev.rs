//! Rolling standard deviation (population).
//!
//! Reference: TA-Lib `STDDEV` (over its `VAR`): the population variance (divided by `n`, not
//! `n − 1`) of the last `n` samples. Computed without TA-Lib 0.6's cancellation-prone `Σx²/n −
//! mean²`: running sums of the offsets from a shift near the mean, rebuilt every `n` samples (see
//! `Moments`), so it stays accurate on long series far from zero (amortised O(1)). TA-Lib's quirk,
//! kept: a variance below 1e-8 (`TA_IS_ZERO_OR_NEG`) gives a deviation of 0.
//! The first value comes at sample `n` (lookback `n − 1`). pandas' `rolling(n).std()` divides by
//! `n − 1` and is not this.

use super::value::Value;
use super::{batch, period, Indicator, Window};

/// Rolling mean and variance (shared with Bollinger bands), from running sums of the samples'
/// offsets from a shift near their mean: S1 = Σ(x − K), S2 = Σ(x − K)², variance S2/n − (S1/n)².
/// The offsets are small, so nothing large cancels (TA-Lib 0.6's `Σx²/n − mean²` loses most digits
/// of a price series' variance); K and both sums are rebuilt from the window every `n` samples, so
/// K follows the data and rounding drift cannot build up (amortised O(1)).
#[derive(Clone, Debug)]
pub(crate) struct Moments<V: Value> {
    n: V,
    window: Window<V>,
    shift: V,
    s1: V,
    s2: V,
}

impl<V: Value> Moments<V> {
    pub(crate) fn new(n: usize) -> Self {
        let n = period(n);
        Moments { n: V::from_count(n), window: Window::new(n), shift: V::ZERO, s1: V::ZERO, s2: V::ZERO }
    }

    #[inline]
    pub(crate) fn push(&mut self, x: V) {
        match self.window.push(x) {
            Some(old) if !self.window.wrapped() => {
                let (a, b) = (x - self.shift, old - self.shift);
                self.s1 = self.s1 + a - b;
                self.s2 = self.s2 + a * a - b * b;
            }
            // Full for the first time, or wrapped: from the window.
            _ if self.window.full() => self.rebuild(),
            _ => {}
        }
    }

    /// K = the window's mean, then S1 and S2 around it.
    #[inline(never)]
    fn rebuild(&mut self) {
        let mean = self.window.iter().fold(V::ZERO, |s, x| s + x) / self.n;
        self.shift = mean;
        (self.s1, self.s2) = self.window.iter().fold((V::ZERO, V::ZERO), |(s1, s2), x| {
            let d = x - mean;
            (s1 + d, s2 + d * d)
        });
    }

    /// (mean, population variance) once `n` samples arrived.
    #[inline]
    pub(crate) fn value(&self) -> Option<(V, V)> {
        if !self.window.full() {
            return None;
        }
        let offset = self.s1 / self.n;
        Some((self.shift + offset, self.s2 / self.n - offset * offset))
    }
}

/// TA-Lib's deviation from a variance: 0 below 1e-8, else the square root.
#[inline]
pub(crate) fn deviation<V: Value>(variance: V) -> V {
    if variance < V::TA_EPSILON {
        V::ZERO
    } else {
        variance.sqrt()
    }
}

/// Population standard deviation of the last `n` samples, times `k`.
#[derive(Clone, Debug)]
pub struct StdDev<V: Value> {
    moments: Moments<V>,
    k: V,
}

impl<V: Value> StdDev<V> {
    /// Over `n` samples (at least 1), scaled by `k` (TA-Lib's `nbdev`; 1 for the deviation itself).
    pub fn new(n: usize, k: V) -> Self {
        StdDev { moments: Moments::new(n), k }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        self.moments.push(x)
    }

    /// `k` × the deviation, once `n` samples arrived.
    #[inline]
    pub fn value(&self) -> Option<V> {
        let (_, variance) = self.moments.value()?;
        let d = deviation(variance);
        // TA-Lib skips the product when nbdev is 1; x · 1 is x anyway.
        Some(d * self.k)
    }
}

impl<V: Value> Indicator for StdDev<V> {
    type Input = V;
    type Output = V;
    fn update(&mut self, x: V) -> Option<V> {
        self.push(x);
        StdDev::value(self)
    }
    fn value(&self) -> Option<V> {
        StdDev::value(self)
    }
}

/// `k` × the rolling standard deviation of `xs` over `n` samples (None during warm-up); equal to
/// the streaming form.
pub fn stddev<V: Value>(xs: &[V], n: usize, k: V) -> Vec<Option<V>> {
    batch(StdDev::new(n, k), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: population deviation 2.
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(stddev(&xs, 8, 1.0)[7], Some(2.0));
        assert_eq!(stddev(&xs, 8, 2.0)[7], Some(4.0));
        // A flat window is 0, also when the running sums leave a rounding residue.
        assert_eq!(stddev(&[0.1, 0.7, 0.3, 0.3, 0.3], 3, 1.0)[4], Some(0.0));
        // Accurate far from zero, over many slides, against a two-pass computation (a running sum of
        // the samples themselves drifts past 1e-9 here).
        let xs: Vec<f64> = crate::indicator::test_data::walk(20_000).iter().map(|x| x + 1e5).collect();
        let s = stddev(&xs, 7, 1.0);
        for i in 6..xs.len() {
            let w = &xs[i - 6..=i];
            let m = w.iter().sum::<f64>() / 7.0;
            let direct = (w.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 7.0).sqrt();
            assert!((s[i].unwrap() - direct).abs() < 1e-9, "i {i}: {} vs {direct}", s[i].unwrap());
        }
    }
}
