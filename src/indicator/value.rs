//! The numbers indicators compute in: `f64` (hosts, charts, golden tests) and `Decimal` (the
//! built-in strategies' exact decisions). See the module docs for why both.

use rust_decimal::{Decimal, MathematicalOps};
use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number an indicator computes in.
pub trait Value:
    Copy
    + PartialOrd
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// How a rolling sum of these is kept.
    type Sum: Accumulator<Self>;
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// 100.
    const HUNDRED: Self;
    /// TA-Lib's `TA_IS_ZERO` bound, 1e-8: it reads a variance below it as zero.
    const TA_EPSILON: Self;
    /// A count as a value (periods, weights).
    fn from_count(n: usize) -> Self;
    /// `self / rhs`, or None when `rhs` is zero (a decimal division by zero would panic; TA-Lib
    /// tests the divisor too and writes its own fallback, which each indicator documents).
    fn checked_div(self, rhs: Self) -> Option<Self>;
    /// The square root of a non-negative value (0 for a negative one, which only rounding makes).
    fn sqrt(self) -> Self;
    /// |self|.
    fn abs(self) -> Self;
    /// The larger of two (the first on ties, as TA-Lib's `if b > a` keeps `a`).
    #[inline]
    fn max_of(self, other: Self) -> Self {
        if other > self {
            other
        } else {
            self
        }
    }
    /// `self <= other` (false with a NaN), by the type's cheapest exact comparison (decimals:
    /// `decimal::cmp`, where rust_decimal's own comparison was a quarter of a Donchian sweep's
    /// time).
    #[inline]
    fn at_most(self, other: Self) -> bool {
        self <= other
    }
}

/// A running sum over a rolling window.
pub trait Accumulator<V>: Clone + Debug + Default {
    /// Takes `popped` (the sample leaving the window) out, then adds `x` (TA-Lib's order for
    /// floats). `window` yields the window after the push, oldest first, should the sum need to
    /// be rebuilt.
    fn roll<I: Iterator<Item = V>>(&mut self, x: V, popped: Option<V>, window: impl FnOnce() -> I);
    /// The sum.
    fn total(&self) -> V;
}

impl Value for f64 {
    type Sum = f64;
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const HUNDRED: f64 = 100.0;
    const TA_EPSILON: f64 = 0.00000001;
    #[inline]
    fn from_count(n: usize) -> f64 {
        n as f64
    }
    #[inline]
    fn checked_div(self, rhs: f64) -> Option<f64> {
        (rhs != 0.0).then(|| self / rhs)
    }
    #[inline]
    fn sqrt(self) -> f64 {
        // IEEE-754 requires a correctly rounded square root: the same bits natively and in wasm
        // (`f64.sqrt` is one instruction there), unlike libm's transcendental functions.
        if self > 0.0 {
            f64::sqrt(self)
        } else {
            0.0
        }
    }
    #[inline]
    fn abs(self) -> f64 {
        f64::abs(self)
    }
}

impl Accumulator<f64> for f64 {
    #[inline]
    fn roll<I: Iterator<Item = f64>>(&mut self, x: f64, popped: Option<f64>, _window: impl FnOnce() -> I) {
        if let Some(p) = popped {
            *self -= p;
        }
        *self += x;
    }
    #[inline]
    fn total(&self) -> f64 {
        *self
    }
}

impl Value for Decimal {
    type Sum = DecimalSum;
    const ZERO: Decimal = Decimal::ZERO;
    const ONE: Decimal = Decimal::ONE;
    const HUNDRED: Decimal = Decimal::ONE_HUNDRED;
    const TA_EPSILON: Decimal = Decimal::from_parts(1, 0, 0, false, 8);
    #[inline]
    fn from_count(n: usize) -> Decimal {
        Decimal::from(n as u64)
    }
    #[inline]
    fn checked_div(self, rhs: Decimal) -> Option<Decimal> {
        Decimal::checked_div(self, rhs)
    }
    fn sqrt(self) -> Decimal {
        MathematicalOps::sqrt(&self).unwrap_or(Decimal::ZERO)
    }
    #[inline]
    fn abs(self) -> Decimal {
        Decimal::abs(&self)
    }
    #[inline]
    fn at_most(self, other: Decimal) -> bool {
        crate::decimal::cmp(&self, &other).is_le()
    }
}

/// Fixed-point scale of the exact integer path: samples with at most 8 decimal places and below
/// about 9·10^10 are held as `mantissa × 10^(8 − scale)` in an i64, where sums and comparisons are
/// exact and cheap, natively and in wasm (which has no native 128-bit arithmetic).
pub(crate) const FIXED_SCALE: u32 = 8;

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
pub(crate) fn to_fixed(x: Decimal) -> Option<i64> {
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

/// An exact decimal running sum: an i64 fixed-point sum while every sample fits (8 decimal
/// places), a decimal sum for good once one does not (rebuilt from the window then).
#[derive(Clone, Copy, Debug)]
pub struct DecimalSum {
    fixed: Option<i64>,
    sum: Decimal,
}

impl Default for DecimalSum {
    fn default() -> Self {
        DecimalSum { fixed: Some(0), sum: Decimal::ZERO }
    }
}

impl DecimalSum {
    /// The sum on the integer path at fixed-point value `f` (scale 8).
    pub(crate) fn fixed_at(f: i64) -> Self {
        DecimalSum { fixed: Some(f), sum: Decimal::ZERO }
    }

    /// The exact fixed-point sum (scale 8), while on the integer path.
    #[inline]
    pub fn fixed(&self) -> Option<i64> {
        self.fixed
    }

    /// The decimal path, out of line: samples past 8 decimal places are rare.
    #[inline(never)]
    fn roll_decimal(&mut self, x: Decimal, popped: Option<Decimal>) {
        self.sum += x;
        if let Some(p) = popped {
            self.sum -= p;
        }
    }
}

impl Accumulator<Decimal> for DecimalSum {
    #[inline]
    fn roll<I: Iterator<Item = Decimal>>(
        &mut self,
        x: Decimal,
        popped: Option<Decimal>,
        window: impl FnOnce() -> I,
    ) {
        if let Some(f) = self.fixed {
            // Checked: an overflow just moves the sum to the decimal path for good.
            let next = to_fixed(x).and_then(|a| f.checked_add(a)).and_then(|s| match popped {
                Some(p) => to_fixed(p).and_then(|p| s.checked_sub(p)),
                None => Some(s),
            });
            match next {
                Some(s) => self.fixed = Some(s),
                None => {
                    // Leave the integer path for good: rebuild the decimal sum from the window.
                    self.fixed = None;
                    self.sum = window().sum();
                }
            }
            return;
        }
        self.roll_decimal(x, popped);
    }

    #[inline]
    fn total(&self) -> Decimal {
        match self.fixed {
            Some(f) => Decimal::new(f, FIXED_SCALE).normalize(),
            None => self.sum,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

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
    }

    #[test]
    fn checked_div_and_sqrt() {
        assert_eq!(1.0f64.checked_div(0.0), None);
        assert_eq!(Value::checked_div(d("1"), Decimal::ZERO), None);
        assert_eq!(Value::checked_div(d("1"), d("4")), Some(d("0.25")));
        assert_eq!(Value::sqrt(-1e-12f64), 0.0);
        assert_eq!(Value::sqrt(d("6.25")), d("2.5"));
        assert_eq!(2.0f64.max_of(3.0), 3.0);
    }
}
