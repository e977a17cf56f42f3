//! Crossover and crossunder helpers, as backtesting.py's `crossover(a, b)`: `a` was strictly below
//! `b` on the previous sample and is strictly above it now (touching does not count, and neither
//! does a sample where either side is still warming up).

use std::cmp::Ordering;

/// Which way a cross went.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CrossKind {
    /// `a` crossed above `b`.
    Over,
    /// `a` crossed below `b`.
    Under,
}

/// True when `a` crossed above `b`: strictly below before, strictly above now.
#[inline]
pub fn crossover<V: PartialOrd>(a_before: V, b_before: V, a: V, b: V) -> bool {
    a_before < b_before && a > b
}

/// True when `a` crossed below `b`: strictly above before, strictly below now.
#[inline]
pub fn crossunder<V: PartialOrd>(a_before: V, b_before: V, a: V, b: V) -> bool {
    a_before > b_before && a < b
}

/// Streaming cross detection: feed how `a` compares with `b` on each sample (once both are
/// ready); it reports a cross on the sample that completes one.
#[derive(Copy, Clone, Debug, Default)]
pub struct Cross {
    previous: Option<Ordering>,
}

impl Cross {
    /// A detector that has seen nothing.
    pub fn new() -> Self {
        Cross::default()
    }

    /// Records this sample's relation of `a` to `b`; returns the cross it completes, if any.
    #[inline]
    pub fn update(&mut self, now: Ordering) -> Option<CrossKind> {
        match (self.previous.replace(now), now) {
            (Some(Ordering::Less), Ordering::Greater) => Some(CrossKind::Over),
            (Some(Ordering::Greater), Ordering::Less) => Some(CrossKind::Under),
            _ => None,
        }
    }

    /// `update` from the two values (a sample where they are unordered, NaN, counts as no
    /// relation and ends any cross in progress, as backtesting.py's comparisons with NaN are false).
    #[inline]
    pub fn update_values<V: PartialOrd>(&mut self, a: V, b: V) -> Option<CrossKind> {
        match a.partial_cmp(&b) {
            Some(o) => self.update(o),
            None => {
                self.previous = None;
                None
            }
        }
    }
}

fn series(a: &[Option<f64>], b: &[Option<f64>], kind: CrossKind) -> Vec<bool> {
    let n = a.len().min(b.len());
    let mut cross = Cross::new();
    (0..n)
        .map(|i| match (a[i], b[i]) {
            (Some(x), Some(y)) => cross.update_values(x, y) == Some(kind),
            _ => {
                cross = Cross::new();
                false
            }
        })
        .collect()
}

/// For each sample of two series (the shorter's length), whether `a` crossed above `b` there.
pub fn crossover_series(a: &[Option<f64>], b: &[Option<f64>]) -> Vec<bool> {
    series(a, b, CrossKind::Over)
}

/// For each sample of two series (the shorter's length), whether `a` crossed below `b` there.
pub fn crossunder_series(a: &[Option<f64>], b: &[Option<f64>]) -> Vec<bool> {
    series(a, b, CrossKind::Under)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_on_both_sides() {
        assert!(crossover(1, 2, 3, 2));
        assert!(!crossover(2, 2, 3, 2)); // touching before
        assert!(!crossover(1, 2, 2, 2)); // touching now
        assert!(crossunder(3, 2, 1, 2));
        let a = [None, Some(1.0), Some(3.0), Some(3.0), Some(1.0), Some(f64::NAN), Some(3.0)];
        let b = [Some(2.0); 7];
        assert_eq!(crossover_series(&a, &b), vec![false, false, true, false, false, false, false]);
        assert_eq!(crossunder_series(&a, &b), vec![false, false, false, false, true, false, false]);
        // Equality in between breaks a cross, as backtesting.py's pairwise test does.
        let mut c = Cross::new();
        assert_eq!(c.update(Ordering::Less), None);
        assert_eq!(c.update(Ordering::Equal), None);
        assert_eq!(c.update(Ordering::Greater), None);
        assert_eq!(c.update(Ordering::Less), Some(CrossKind::Under));
    }
}
