//! Relative strength index, Wilder's smoothing.
//!
//! Reference: TA-Lib `RSI` (unstable period 0, not Metastock mode). Seeding: the average gain and
//! loss of the first `n` changes are simple averages, then Wilder's `(avg·(n − 1) + x) / n`; the
//! first value comes with the `n`-th change, sample `n + 1` (lookback `n`). Two deliberate
//! differences, both only where the window has (almost) no movement: a flat window gives 50 (TA-Lib
//! gives 0, which reads as "oversold" and would make a reversion strategy buy a flat market), and
//! TA-Lib also gives 0 when gain + loss is below 1e-8, where this computes the ratio. Otherwise the
//! values agree within a few ulps (TA-Lib writes `100·g/(g + l)`, this `100 − 100/(1 + g/l)`,
//! and accumulates the seed as `Σ(x/n)`: the decimal forms the built-in RSI strategy always used).

use super::value::Value;
use super::{batch, period, Indicator};

/// Relative strength index with Wilder's smoothing (seeded with simple averages).
#[derive(Clone, Debug)]
pub struct Rsi<V: Value> {
    n: usize,
    last: Option<V>,
    count: usize,
    avg_gain: V,
    avg_loss: V,
}

impl<V: Value> Rsi<V> {
    /// An RSI of length `n` (at least 1).
    pub fn new(n: usize) -> Self {
        Rsi { n: period(n), last: None, count: 0, avg_gain: V::ZERO, avg_loss: V::ZERO }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        let Some(last) = self.last.replace(x) else { return };
        let change = x - last;
        let (gain, loss) = if change > V::ZERO { (change, V::ZERO) } else { (V::ZERO, -change) };
        self.count += 1;
        let n = V::from_count(self.n);
        if self.count <= self.n {
            self.avg_gain = self.avg_gain + gain / n;
            self.avg_loss = self.avg_loss + loss / n;
        } else {
            self.avg_gain = (self.avg_gain * (n - V::ONE) + gain) / n;
            self.avg_loss = (self.avg_loss * (n - V::ONE) + loss) / n;
        }
    }

    /// RSI in [0, 100] once `n` changes were seen.
    #[inline]
    pub fn value(&self) -> Option<V> {
        if self.count < self.n {
            return None;
        }
        let hundred = V::HUNDRED;
        Some(match self.avg_gain.checked_div(self.avg_loss) {
            Some(rs) => hundred - hundred / (V::ONE + rs),
            None if self.avg_gain == V::ZERO => V::from_count(50),
            None => hundred,
        })
    }
}

impl Rsi<rust_decimal::Decimal> {
    /// `value` in f64, from the averages converted: within 1e-9 of it (both are within a few
    /// ulps of the exact ratio), without its two decimal divisions; NaN where the averages are
    /// both zero, None while warming up. For deciding which side of a threshold the value is on
    /// when it is far from one (`RsiReversion`).
    #[inline]
    pub fn estimate(&self) -> Option<f64> {
        if self.count < self.n {
            return None;
        }
        let rs = crate::decimal::to_f64(&self.avg_gain) / crate::decimal::to_f64(&self.avg_loss);
        Some(100.0 - 100.0 / (1.0 + rs))
    }
}

impl<V: Value> Indicator for Rsi<V> {
    type Input = V;
    type Output = V;
    fn update(&mut self, x: V) -> Option<V> {
        self.push(x);
        self.value()
    }
    fn value(&self) -> Option<V> {
        Rsi::value(self)
    }
}

/// RSI(`n`) of `xs`, one value per sample (None during warm-up); equal to the streaming form.
pub fn rsi<V: Value>(xs: &[V], n: usize) -> Vec<Option<V>> {
    batch(Rsi::new(n), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn by_hand() {
        // n = 2: changes +2, −1 → avg gain 1, avg loss 0.5 → RS 2 → RSI 66.67; then +1: gain
        // (1·1+1)/2 = 1, loss 0.25 → RSI 80.
        let mut r = Rsi::new(2);
        for x in ["10", "12", "11"] {
            r.push(d(x));
        }
        assert_eq!(r.value().unwrap().round_dp(2), d("66.67"));
        r.push(d("12"));
        assert_eq!(r.value(), Some(d("80")));
        let mut flat = Rsi::new(1);
        flat.push(d("1"));
        flat.push(d("1"));
        assert_eq!(flat.value(), Some(d("50")));
        let up = rsi(&[1.0, 2.0, 3.0], 2);
        assert_eq!(up, vec![None, None, Some(100.0)]);
    }

    #[test]
    fn the_estimate_is_the_value_within_1e_9() {
        use rust_decimal::Decimal;
        // By hand (above): 66.666… and 80; a rise only: 100 (no loss); flat: NaN where the
        // value is 50 (no gain, no loss).
        let mut r = Rsi::<Decimal>::new(2);
        for x in ["10", "12", "11"] {
            r.push(d(x));
        }
        assert!((r.estimate().unwrap() - 200.0 / 3.0).abs() < 1e-12);
        r.push(d("12"));
        assert_eq!(r.estimate(), Some(80.0));
        let mut up = Rsi::<Decimal>::new(2);
        for x in ["1", "2", "3"] {
            assert_eq!(up.estimate().is_some(), up.value().is_some());
            up.push(d(x));
        }
        assert_eq!((up.value(), up.estimate()), (Some(d("100")), Some(100.0)));
        let mut flat = Rsi::<Decimal>::new(1);
        flat.push(d("1"));
        flat.push(d("1"));
        assert!(flat.estimate().unwrap().is_nan());
        // A walk of prices with up to 8 decimals, over lengths 2 to 30.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in [2, 3, 14, 30] {
            let mut r = Rsi::<Decimal>::new(n);
            let mut price = Decimal::new(100_000_000_000, 8);
            for _ in 0..2_000 {
                let step = Decimal::new((next() % 400_000_000) as i64 - 199_000_000, 8);
                price = (price + step).max(Decimal::new(1, 8));
                r.push(price);
                if let (Some(v), Some(e)) = (r.value(), r.estimate()) {
                    let v = crate::decimal::to_f64(&v);
                    assert!((v - e).abs() < 1e-9, "n {n}: {v} against {e}");
                }
            }
        }
    }
}
