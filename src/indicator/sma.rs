//! Simple moving average.
//!
//! Reference: TA-Lib `SMA`. Warm-up: None for the first `n − 1` samples (TA-Lib's lookback
//! `n − 1`). A running sum, trailed then added as TA-Lib 0.6's loop does (`total += x; out = total /
//! n; total −= trailing`); within 4.5e-13 of TA-Lib 0.8 on the golden files.

use super::value::{Accumulator, DecimalSum, Value};
use super::{batch, period, Indicator, Window};
use rust_decimal::Decimal;

/// Simple moving average over the last `n` samples, kept as a running sum (exact for decimals:
/// see [`DecimalSum`]).
#[derive(Clone, Debug)]
pub struct Sma<V: Value> {
    n: usize,
    /// i64::MAX / n: the largest |x| that `times_len` can multiply (no division per event).
    len_limit: u64,
    window: Window<V>,
    sum: V::Sum,
}

impl<V: Value> Sma<V> {
    /// An SMA of length `n` (at least 1).
    pub fn new(n: usize) -> Self {
        let n = period(n);
        Sma { n, len_limit: (i64::MAX as u64) / n as u64, window: Window::new(n), sum: V::Sum::default() }
    }

    /// Adds a sample.
    #[inline]
    pub fn push(&mut self, x: V) {
        let popped = self.window.push(x);
        let window = &self.window;
        self.sum.roll(x, popped, || window.iter());
    }

    /// True once `n` samples arrived.
    pub fn ready(&self) -> bool {
        self.window.full()
    }

    /// The running sum of the window.
    pub fn sum(&self) -> V {
        self.sum.total()
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
    #[inline]
    pub fn value(&self) -> Option<V> {
        self.ready().then(|| self.sum() / V::from_count(self.n))
    }
}

impl Sma<Decimal> {
    /// The sum and length as they are now, once ready: all that comparing this average with
    /// another needs. Small and `Copy`, so a sweep keeps one per sample and shares the series
    /// between its runs.
    #[inline]
    pub fn snapshot(&self) -> Option<SmaSnapshot> {
        self.ready().then_some(SmaSnapshot { n: self.n, len_limit: self.len_limit, sum: self.sum })
    }

    /// The `snapshot` after each `push` of `samples` into a new SMA of length `n`, given each
    /// sample's fixed-point value (`fixed`: `value::to_fixed` of each, computed once for every
    /// length a sweep asks for). While every sample has one and no sum overflows, the sums are
    /// those `DecimalSum` keeps on its integer path, rolled here without the window of decimals
    /// (a sweep's shared averages: a tenth of the instructions) and kept alone; otherwise
    /// through `push`.
    pub fn series(n: usize, samples: &[Decimal], fixed: &[Option<i64>]) -> SmaSeries {
        let average = Sma::<Decimal>::new(n);
        let rolled = || {
            let mut out = Vec::with_capacity(samples.len());
            let mut sum: i64 = 0;
            for (k, x) in fixed.iter().enumerate() {
                // The order `DecimalSum::roll` checks in: the sample added, then the one leaving.
                sum = sum.checked_add((*x)?)?;
                if let Some(gone) = k.checked_sub(average.n) {
                    sum = sum.checked_sub(fixed.get(gone).copied().flatten()?)?;
                }
                out.push(sum);
            }
            Some(out)
        };
        let points = match rolled() {
            Some(sums) if fixed.len() == samples.len() => SmaPoints::Fixed(sums),
            _ => {
                let mut average = average.clone();
                SmaPoints::Snapshots(
                    samples
                        .iter()
                        .map(|&x| {
                            average.push(x);
                            average.snapshot()
                        })
                        .collect(),
                )
            }
        };
        SmaSeries { n: average.n, len_limit: average.len_limit, points }
    }
}

/// The snapshots of one SMA after each sample, as a sweep keeps them ([`Sma::series`]).
#[derive(Clone, Debug)]
pub struct SmaSeries {
    n: usize,
    len_limit: u64,
    points: SmaPoints,
}

/// While every sum stayed on the integer path, the sums alone: 8 bytes a sample where a
/// snapshot takes 48, so the series of a 10 × 10 sweep over 5,000 bars take 0.8 MB, not 4.8,
/// and each run reads a sixth of the memory.
#[derive(Clone, Debug)]
enum SmaPoints {
    /// The fixed-point sum (scale 8) after each sample, warm-up included.
    Fixed(Vec<i64>),
    Snapshots(Vec<Option<SmaSnapshot>>),
}

impl SmaSeries {
    /// Samples in the series.
    pub fn len(&self) -> usize {
        match &self.points {
            SmaPoints::Fixed(sums) => sums.len(),
            SmaPoints::Snapshots(points) => points.len(),
        }
    }

    /// True when it has no sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The snapshot after sample `k`: None while the average warms up (and past the end).
    pub fn at(&self, k: usize) -> Option<SmaSnapshot> {
        match &self.points {
            SmaPoints::Fixed(sums) => (k + 1 >= self.n)
                .then(|| sums.get(k))
                .flatten()
                .map(|&s| SmaSnapshot { n: self.n, len_limit: self.len_limit, sum: DecimalSum::fixed_at(s) }),
            SmaPoints::Snapshots(points) => points.get(k).copied().flatten(),
        }
    }

    /// `at(k)`'s fixed-point sum, when the series holds sums alone and the average is ready.
    #[inline(always)]
    pub fn fixed_at(&self, k: usize) -> Option<i64> {
        match &self.points {
            SmaPoints::Fixed(sums) if k + 1 >= self.n => sums.get(k).copied(),
            _ => None,
        }
    }

    /// `x × len`, as [`SmaSnapshot::times_len`].
    #[inline(always)]
    pub fn times_len(&self, x: i64) -> Option<i64> {
        times_len(x, self.n, self.len_limit)
    }
}

/// `x × n` when |x| ≤ `limit` (i64::MAX / n), else None: a bound, not a checked multiply
/// (wasm has none).
#[inline(always)]
fn times_len(x: i64, n: usize, limit: u64) -> Option<i64> {
    (x.unsigned_abs() <= limit).then(|| x * n as i64)
}

/// A ready decimal SMA at one sample (see [`Sma::snapshot`]).
#[derive(Clone, Copy, Debug)]
pub struct SmaSnapshot {
    n: usize,
    len_limit: u64,
    sum: DecimalSum,
}

impl SmaSnapshot {
    /// `x × len`, or None when it would not fit an i64 (a bound, not a checked multiply: wasm has
    /// none). Cross-multiplying sums compares averages without dividing.
    #[inline]
    pub fn times_len(&self, x: i64) -> Option<i64> {
        times_len(x, self.n, self.len_limit)
    }

    /// The exact fixed-point sum (scale 8), while on the integer path.
    #[inline]
    pub fn fixed_sum(&self) -> Option<i64> {
        self.sum.fixed()
    }

    /// The window's sum.
    pub fn sum(&self) -> Decimal {
        self.sum.total()
    }

    /// The length.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a length is at least 1.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl<V: Value> Indicator for Sma<V> {
    type Input = V;
    type Output = V;
    fn update(&mut self, x: V) -> Option<V> {
        self.push(x);
        self.value()
    }
    fn value(&self) -> Option<V> {
        Sma::value(self)
    }
}

/// SMA(`n`) of `xs`, one value per sample (None during warm-up); equal to the streaming form.
pub fn sma<V: Value>(xs: &[V], n: usize) -> Vec<Option<V>> {
    batch(Sma::new(n), xs.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn a_series_from_fixed_point_samples_is_the_pushed_one() {
        let mut next = crate::test_util::lcg(5);
        // Prices with up to 8 decimals, then one with 9 (off the integer path), then sums past
        // i64 at scale 8 (9.2e10 each: two overflow).
        let mut samples: Vec<Decimal> =
            (0..300).map(|_| Decimal::new((next() % 10_000_000_000) as i64, (next() % 9) as u32)).collect();
        let cases = [
            samples.clone(),
            {
                samples[150] = d("1.123456789");
                samples.clone()
            },
            vec![d("50000000000"); 10],
            vec![],
            // Prices as most data has them: on the integer path throughout.
            (0..300).map(|_| Decimal::new(100_000 + (next() % 1_000_000) as i64, 4)).collect(),
        ];
        for (c, xs) in cases.iter().enumerate() {
            let fixed: Vec<Option<i64>> = xs.iter().map(|&x| super::super::value::to_fixed(x)).collect();
            for n in [1, 2, 3, 20, 400] {
                let mut one = Sma::<Decimal>::new(n);
                let pushed: Vec<Option<SmaSnapshot>> = xs
                    .iter()
                    .map(|&x| {
                        one.push(x);
                        one.snapshot()
                    })
                    .collect();
                let series = Sma::series(n, xs, &fixed);
                let points: Vec<Option<SmaSnapshot>> = (0..series.len()).map(|k| series.at(k)).collect();
                assert_eq!(format!("{points:?}"), format!("{pushed:?}"), "case {c}, n {n}");
                // Sums alone exactly when every sample has a fixed-point value and every running
                // sum fits an i64, before the leaving sample is taken off too (summed in i128).
                let sum = |from: usize, to: usize| -> i128 {
                    fixed[from..=to].iter().map(|x| x.unwrap_or(0) as i128).sum()
                };
                let fits = fixed.iter().all(Option::is_some)
                    && (0..fixed.len()).all(|k| {
                        i64::try_from(sum((k + 1).saturating_sub(n), k)).is_ok()
                            && i64::try_from(sum(k.saturating_sub(n), k)).is_ok()
                    });
                assert_eq!(matches!(series.points, SmaPoints::Fixed(_)), fits, "case {c}, n {n}");
                assert!(fits || c != 4, "case 4 is on the integer path");
                assert!(series.at(xs.len()).is_none());
            }
        }
    }

    #[test]
    fn by_hand() {
        let mut s = Sma::new(3);
        for x in ["1", "2", "3", "4"] {
            s.push(d(x));
        }
        assert_eq!(s.value(), Some(d("3")));
        assert_eq!(sma(&[1.0, 2.0, 3.0, 4.0], 3), vec![None, None, Some(2.0), Some(3.0)]);
    }

    #[test]
    fn decimal_sum_stays_exact_across_paths() {
        let mut s = Sma::new(2);
        s.push(d("0.1"));
        s.push(d("0.2"));
        assert_eq!(s.sum(), d("0.3"));
        assert!(s.snapshot().unwrap().fixed_sum().is_some());
        // 9 decimal places leave the integer path; the sum stays exact.
        s.push(d("0.000000001"));
        assert!(s.snapshot().unwrap().fixed_sum().is_none());
        assert_eq!(s.sum(), d("0.200000001"));
        s.push(d("5"));
        assert_eq!(s.value(), Some(d("2.5000000005")));
        // So does a value too large for the integer path.
        let mut big = Sma::new(2);
        big.push(d("100000000000"));
        big.push(d("1"));
        assert!(big.snapshot().unwrap().fixed_sum().is_none());
        assert_eq!(big.sum(), d("100000000001"));
    }

    #[test]
    fn times_len_bounds() {
        let mut sma = Sma::<Decimal>::new(3);
        assert!(sma.snapshot().is_none());
        (0..3).for_each(|_| sma.push(Decimal::ONE));
        let three = sma.snapshot().unwrap();
        assert_eq!(three.times_len(i64::MAX / 3), Some(i64::MAX / 3 * 3));
        assert_eq!(three.times_len(i64::MAX / 3 + 1), None);
        assert_eq!(three.times_len(-(i64::MAX / 3)), Some(-(i64::MAX / 3) * 3));
        assert_eq!(three.times_len(-(i64::MAX / 3) - 1), None);
    }

    #[test]
    fn float_sum_follows_ta_lib_loop() {
        // TA-Lib 0.6: total += x_i; out_i = total / n; total −= x_{i−n+1}. The same operations in
        // the same order give the same bits, drift included (large values with small steps drift).
        let xs: Vec<f64> = crate::indicator::test_data::walk(5000).iter().map(|x| x * 1e6 + 0.1).collect();
        let n = 7;
        let got = sma(&xs, n);
        let mut total = 0.0;
        for i in 0..xs.len() {
            total += xs[i];
            if i + 1 >= n {
                assert_eq!(got[i].map(f64::to_bits), Some((total / n as f64).to_bits()), "i {i}");
                total -= xs[i + 1 - n];
            } else {
                assert_eq!(got[i], None);
            }
        }
    }
}
