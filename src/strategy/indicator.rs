//! Streaming indicators on exact decimals: SMA, EMA (SMA-seeded, as TradingView), RSI (Wilder), and
//! rolling extremes for Donchian channels.

use rust_decimal::Decimal;
use std::collections::VecDeque;

/// Simple moving average over the last `n` samples, kept as a running sum.
#[derive(Clone, Debug)]
pub struct Sma {
    n: usize,
    window: VecDeque<Decimal>,
    sum: Decimal,
}

impl Sma {
    /// An SMA of length `n` (≥ 1).
    pub fn new(n: usize) -> Self {
        Sma { n: n.max(1), window: VecDeque::with_capacity(n.max(1) + 1), sum: Decimal::ZERO }
    }

    /// Adds a sample.
    pub fn push(&mut self, x: Decimal) {
        self.window.push_back(x);
        self.sum += x;
        if self.window.len() > self.n {
            self.sum -= self.window.pop_front().unwrap_or_default();
        }
    }

    /// True once `n` samples arrived.
    pub fn ready(&self) -> bool {
        self.window.len() == self.n
    }

    /// The running sum of the window.
    pub fn sum(&self) -> Decimal {
        self.sum
    }

    /// The length.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a length is at least 1.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The average, once ready.
    pub fn value(&self) -> Option<Decimal> {
        self.ready().then(|| self.sum / Decimal::from(self.n as u64))
    }
}

/// Exponential moving average, alpha = 2 / (n + 1), seeded with the SMA of the first n samples.
#[derive(Clone, Debug)]
pub struct Ema {
    alpha: Decimal,
    seed: Sma,
    value: Option<Decimal>,
}

impl Ema {
    /// An EMA of length `n` (≥ 1).
    pub fn new(n: usize) -> Self {
        let n = n.max(1);
        Ema { alpha: Decimal::TWO / Decimal::from(n as u64 + 1), seed: Sma::new(n), value: None }
    }

    /// Adds a sample.
    pub fn push(&mut self, x: Decimal) {
        self.value = match self.value {
            Some(v) => Some(v + self.alpha * (x - v)),
            None => {
                self.seed.push(x);
                self.seed.value()
            }
        };
    }

    /// The average, once ready.
    pub fn value(&self) -> Option<Decimal> {
        self.value
    }
}

/// Relative strength index with Wilder's smoothing (seeded with simple averages).
#[derive(Clone, Debug)]
pub struct Rsi {
    n: u64,
    last: Option<Decimal>,
    count: u64,
    avg_gain: Decimal,
    avg_loss: Decimal,
}

impl Rsi {
    /// An RSI of length `n` (≥ 1).
    pub fn new(n: usize) -> Self {
        Rsi { n: n.max(1) as u64, last: None, count: 0, avg_gain: Decimal::ZERO, avg_loss: Decimal::ZERO }
    }

    /// Adds a sample.
    pub fn push(&mut self, x: Decimal) {
        let Some(last) = self.last.replace(x) else { return };
        let change = x - last;
        let (gain, loss) = if change > Decimal::ZERO { (change, Decimal::ZERO) } else { (Decimal::ZERO, -change) };
        self.count += 1;
        let n = Decimal::from(self.n);
        if self.count <= self.n {
            self.avg_gain += gain / n;
            self.avg_loss += loss / n;
        } else {
            self.avg_gain = (self.avg_gain * (n - Decimal::ONE) + gain) / n;
            self.avg_loss = (self.avg_loss * (n - Decimal::ONE) + loss) / n;
        }
    }

    /// RSI in [0, 100] once `n` changes were seen.
    pub fn value(&self) -> Option<Decimal> {
        if self.count < self.n {
            return None;
        }
        let hundred = Decimal::ONE_HUNDRED;
        Some(if self.avg_loss.is_zero() {
            if self.avg_gain.is_zero() { Decimal::from(50) } else { hundred }
        } else {
            hundred - hundred / (Decimal::ONE + self.avg_gain / self.avg_loss)
        })
    }
}

/// Highest high and lowest low of the last `n` bars.
#[derive(Clone, Debug)]
pub struct Extremes {
    n: usize,
    bars: VecDeque<(Decimal, Decimal)>,
}

impl Extremes {
    /// A window of `n` (≥ 1) bars.
    pub fn new(n: usize) -> Self {
        Extremes { n: n.max(1), bars: VecDeque::with_capacity(n.max(1) + 1) }
    }

    /// Adds a bar's high and low.
    pub fn push(&mut self, high: Decimal, low: Decimal) {
        self.bars.push_back((high, low));
        if self.bars.len() > self.n {
            self.bars.pop_front();
        }
    }

    /// (highest high, lowest low), once `n` bars arrived.
    pub fn value(&self) -> Option<(Decimal, Decimal)> {
        if self.bars.len() < self.n {
            return None;
        }
        let hi = self.bars.iter().map(|b| b.0).max()?;
        let lo = self.bars.iter().map(|b| b.1).min()?;
        Some((hi, lo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn sma_by_hand() {
        let mut s = Sma::new(3);
        for x in ["1", "2", "3", "4"] {
            s.push(d(x));
        }
        assert_eq!(s.value(), Some(d("3")));
    }

    #[test]
    fn ema_seeded_with_sma() {
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
    }

    #[test]
    fn rsi_by_hand() {
        // n = 2: changes +2, −1 → avg gain 1, avg loss 0.5 → RS 2 → RSI 66.67; then +1: gain (1·1+1)/2 = 1, loss 0.25 → RSI 80.
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
    }

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
}
