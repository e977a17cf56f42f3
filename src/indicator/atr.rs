//! Average true range.
//!
//! Reference: TA-Lib `ATR` (unstable period 0) over TA-Lib `TRANGE`. The true range needs the
//! previous close, so the first bar gives none; the ATR is seeded with the simple average of the
//! first `n` true ranges (bars 2 ..= n + 1, so the first value comes at bar `n + 1`, lookback `n`),
//! then Wilder's smoothing written as TA-Lib does: `((atr·(n − 1)) + tr) / n`.

use super::value::Value;
use super::{batch, period, Indicator, Sma};

/// One bar's range: what ATR reads.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Bar<V> {
    /// High.
    pub high: V,
    /// Low.
    pub low: V,
    /// Close.
    pub close: V,
}

/// The true range of `bar` after a bar that closed at `previous_close`: the largest of
/// high − low, |previous close − high| and |previous close − low| (TA-Lib's order of tests).
#[inline]
pub fn true_range<V: Value>(bar: &Bar<V>, previous_close: V) -> V {
    (bar.high - bar.low).max_of((previous_close - bar.high).abs()).max_of((previous_close - bar.low).abs())
}

/// Average true range with Wilder's smoothing, seeded with the SMA of the first `n` true ranges.
#[derive(Clone, Debug)]
pub struct Atr<V: Value> {
    n: V,
    previous_close: Option<V>,
    seed: Sma<V>,
    value: Option<V>,
}

impl<V: Value> Atr<V> {
    /// An ATR of length `n` (at least 1).
    pub fn new(n: usize) -> Self {
        let n = period(n);
        Atr { n: V::from_count(n), previous_close: None, seed: Sma::new(n), value: None }
    }

    /// Adds a bar.
    #[inline]
    pub fn push(&mut self, bar: Bar<V>) {
        let Some(previous) = self.previous_close.replace(bar.close) else { return };
        let tr = true_range(&bar, previous);
        self.value = match self.value {
            Some(atr) => Some((atr * (self.n - V::ONE) + tr) / self.n),
            None => {
                self.seed.push(tr);
                self.seed.value()
            }
        };
    }

    /// The ATR, once `n` true ranges were seen.
    #[inline]
    pub fn value(&self) -> Option<V> {
        self.value
    }
}

impl<V: Value> Indicator for Atr<V> {
    type Input = Bar<V>;
    type Output = V;
    fn update(&mut self, bar: Bar<V>) -> Option<V> {
        self.push(bar);
        self.value
    }
    fn value(&self) -> Option<V> {
        self.value
    }
}

/// ATR(`n`) of the bars given as columns (the shortest column's length), one value per bar (None
/// during warm-up); equal to the streaming form.
pub fn atr<V: Value>(high: &[V], low: &[V], close: &[V], n: usize) -> Vec<Option<V>> {
    let bars = high.iter().zip(low).zip(close).map(|((&high, &low), &close)| Bar { high, low, close });
    batch(Atr::new(n), bars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let b = |high, low, close| Bar { high, low, close };
        // Gap up: |prev close − low| wins; inside bar: high − low.
        assert_eq!(true_range(&b(12.0, 11.0, 11.5), 10.0), 2.0);
        assert_eq!(true_range(&b(12.0, 9.0, 11.5), 10.0), 3.0);
        // n = 2: TRs 2, 3 → seed 2.5; then TR 1 → (2.5 + 1)/2 = 1.75.
        let v = atr(&[10.0, 12.0, 12.0, 11.0], &[9.0, 11.0, 9.0, 10.0], &[10.0, 11.5, 10.0, 10.5], 2);
        assert_eq!(v, vec![None, None, Some(2.5), Some(1.75)]);
    }
}
