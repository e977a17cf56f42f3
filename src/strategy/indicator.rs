//! Streaming indicators on exact decimals: SMA, EMA (SMA-seeded, as TradingView), RSI (Wilder), and
//! rolling extremes for Donchian channels.

use rust_decimal::Decimal;
use std::collections::VecDeque;

/// Fixed-point scale of the exact integer path: samples with at most 8 decimal places and below
/// about 9·10^10 are held as `mantissa × 10^(8 − scale)` in an i64, where sums and comparisons are
/// exact and cheap, natively and in wasm (which has no native 128-bit arithmetic).
const FIXED_SCALE: u32 = 8;

/// Samples a window reserves up front; longer windows grow as bars arrive, so a length alone
/// never allocates more than the data it has seen.
const PREALLOC: usize = 4096;

const POW10: [i64; 9] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/// The largest |mantissa| that still fits an i64 once multiplied by `POW10[k]`. Bounds instead of
/// `checked_mul`: wasm has no overflow-checked 64-bit multiply, so LLVM calls the 128-bit
/// multiply helper (`__multi3`) for each one, which showed as 6% of the SMA strategy's time.
const MAX_MANTISSA: [i64; 9] = {
    let mut m = [0; 9];
    let mut k = 0;
    while k < 9 {
        m[k] = i64::MAX / POW10[k];
        k += 1;
    }
    m
};

#[inline]
fn to_fixed(x: Decimal) -> Option<i64> {
    let scale = x.scale();
    if scale > FIXED_SCALE {
        return None;
    }
    let k = (FIXED_SCALE - scale) as usize;
    let m = x.mantissa();
    if m.unsigned_abs() > MAX_MANTISSA[k] as u128 {
        return None;
    }
    Some(m as i64 * POW10[k])
}

/// Simple moving average over the last `n` samples, kept as a running sum. The sum is exact: an
/// i64 fixed-point sum while every sample fits (8 decimal places), a decimal sum otherwise.
#[derive(Clone, Debug)]
pub struct Sma {
    n: usize,
    /// i64::MAX / n: the largest |x| that `times_len` can multiply (no division per event).
    len_limit: u64,
    /// The last `n` samples as a ring: `head` is the oldest once full.
    window: Vec<Decimal>,
    head: usize,
    fixed: Option<i64>,
    sum: Decimal,
}

impl Sma {
    /// An SMA of length `n` (≥ 1).
    pub fn new(n: usize) -> Self {
        let n = n.max(1);
        Sma {
            n,
            len_limit: (i64::MAX as u64) / n as u64,
            window: Vec::with_capacity(n.min(PREALLOC)),
            head: 0,
            fixed: Some(0),
            sum: Decimal::ZERO,
        }
    }

    /// `x × len`, or None when it would not fit an i64 (a bound, not a checked multiply: see
    /// `MAX_MANTISSA`). Cross-multiplying sums compares averages without dividing.
    #[inline]
    pub fn times_len(&self, x: i64) -> Option<i64> {
        (x.unsigned_abs() <= self.len_limit).then(|| x * self.n as i64)
    }

    /// Adds a sample.
    pub fn push(&mut self, x: Decimal) {
        let popped = if self.window.len() < self.n {
            self.window.push(x);
            None
        } else {
            let oldest = std::mem::replace(&mut self.window[self.head], x);
            self.head = if self.head + 1 == self.n { 0 } else { self.head + 1 };
            Some(oldest)
        };
        if let Some(f) = self.fixed {
            // Checked: an overflow just moves the average to the decimal path for good.
            let next = to_fixed(x).and_then(|a| f.checked_add(a)).and_then(|s| match popped {
                Some(p) => to_fixed(p).and_then(|p| s.checked_sub(p)),
                None => Some(s),
            });
            match next {
                Some(s) => {
                    self.fixed = Some(s);
                    return;
                }
                None => {
                    // Leave the integer path for good: rebuild the decimal sum from the window.
                    self.fixed = None;
                    let (newer, older) = self.window.split_at(self.head);
                    self.sum = older.iter().chain(newer).copied().sum(); // oldest first, as they came
                    return;
                }
            }
        }
        self.push_decimal(x, popped);
    }

    /// The decimal path, out of line: samples past 8 decimal places are rare.
    #[inline(never)]
    fn push_decimal(&mut self, x: Decimal, popped: Option<Decimal>) {
        self.sum += x;
        if let Some(p) = popped {
            self.sum -= p;
        }
    }

    /// True once `n` samples arrived.
    pub fn ready(&self) -> bool {
        self.window.len() == self.n
    }

    /// The running sum of the window.
    pub fn sum(&self) -> Decimal {
        match self.fixed {
            Some(f) => Decimal::new(f, FIXED_SCALE).normalize(),
            None => self.sum,
        }
    }

    /// The exact fixed-point sum (scale 8), while on the integer path.
    pub fn fixed_sum(&self) -> Option<i64> {
        self.fixed
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
        self.ready().then(|| self.sum() / Decimal::from(self.n as u64))
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
        let (gain, loss) =
            if change > Decimal::ZERO { (change, Decimal::ZERO) } else { (Decimal::ZERO, -change) };
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
            if self.avg_gain.is_zero() {
                Decimal::from(50)
            } else {
                hundred
            }
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
        Extremes { n: n.max(1), bars: VecDeque::with_capacity(n.clamp(1, PREALLOC) + 1) }
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
    fn sma_sum_stays_exact_across_paths() {
        let mut s = Sma::new(2);
        s.push(d("0.1"));
        s.push(d("0.2"));
        assert_eq!(s.sum(), d("0.3"));
        assert!(s.fixed_sum().is_some());
        // 9 decimal places leave the integer path; the sum stays exact.
        s.push(d("0.000000001"));
        assert!(s.fixed_sum().is_none());
        assert_eq!(s.sum(), d("0.200000001"));
        s.push(d("5"));
        assert_eq!(s.value(), Some(d("2.5000000005")));
        // So does a value too large for the integer path.
        let mut big = Sma::new(2);
        big.push(d("100000000000"));
        assert!(big.fixed_sum().is_none());
        big.push(d("1"));
        assert_eq!(big.sum(), d("100000000001"));
    }

    #[test]
    fn fixed_point_bounds_are_exact() {
        // i64::MAX = 9,223,372,036,854,775,807: at scale 0 the largest integer that fits after
        // × 10^8 is 92,233,720,368; at scale 8 any i64 mantissa fits.
        assert_eq!(to_fixed(d("92233720368")), Some(9_223_372_036_800_000_000));
        assert_eq!(to_fixed(d("-92233720368")), Some(-9_223_372_036_800_000_000));
        assert_eq!(to_fixed(d("92233720369")), None);
        assert_eq!(to_fixed(d("92233720368.54775807")), Some(i64::MAX));
        assert_eq!(to_fixed(d("92233720368.54775808")), None);
        assert_eq!(to_fixed(d("0.000000001")), None);
        let three = Sma::new(3);
        assert_eq!(three.times_len(i64::MAX / 3), Some(i64::MAX / 3 * 3));
        assert_eq!(three.times_len(i64::MAX / 3 + 1), None);
        assert_eq!(three.times_len(-(i64::MAX / 3)), Some(-(i64::MAX / 3) * 3));
        assert_eq!(three.times_len(-(i64::MAX / 3) - 1), None);
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
