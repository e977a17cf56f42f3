//! Rate of change, in percent.
//!
//! Reference: TA-Lib `ROC`: `((x / x_{n ago}) − 1) · 100`, and 0 when the sample `n` ago is 0 (its
//! fallback). The first value comes at sample `n + 1` (lookback `n`).

use super::value::Value;
use super::{batch, period, Indicator, Window};

/// Rate of change over `n` samples, in percent.
#[derive(Clone, Debug)]
pub struct Roc<V: Value> {
    window: Window<V>,
    value: Option<V>,
}

impl<V: Value> Roc<V> {
    /// Over `n` samples (at least 1).
    pub fn new(n: usize) -> Self {
        Roc { window: Window::new(period(n)), value: None }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        if let Some(old) = self.window.push(x) {
            self.value = Some(match x.checked_div(old) {
                Some(ratio) => (ratio - V::ONE) * V::HUNDRED,
                None => V::ZERO,
            });
        }
    }

    /// The rate of change, once `n + 1` samples arrived.
    #[inline]
    pub fn value(&self) -> Option<V> {
        self.value
    }
}

impl<V: Value> Indicator for Roc<V> {
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

/// ROC(`n`) of `xs` in percent (None during warm-up); equal to the streaming form.
pub fn roc<V: Value>(xs: &[V], n: usize) -> Vec<Option<V>> {
    batch(Roc::new(n), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        assert_eq!(
            roc(&[100.0, 0.0, 110.0, 5.0], 1),
            vec![None, Some(-100.0), Some(0.0), Some((5.0 / 110.0 - 1.0) * 100.0)]
        );
        assert_eq!(roc(&[100.0, 50.0, 110.0], 2), vec![None, None, Some((1.1 - 1.0) * 100.0)]);
    }
}
