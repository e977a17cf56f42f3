//! Sharpe, Sortino and Calmar ratios and the rate of return, computed per period P and scaled to
//! an interval. Undefined results (zero dispersion, no drawdown) are `None`, never a sentinel
//! maximum as in barter; overflow on scaling is `None` too.

use crate::statistic::interval::{linear_scale, sqrt_scale};
use rust_decimal::Decimal;

/// (μ − rfr) / σ, scaled by √(interval / period). None when σ = 0 or it overflows Decimal.
pub fn sharpe(
    rfr: Decimal,
    mean: Decimal,
    std_dev: Decimal,
    period_secs: i64,
    interval_secs: i64,
) -> Option<Decimal> {
    if std_dev.is_zero() {
        return None;
    }
    mean.checked_sub(rfr)?.checked_div(std_dev)?.checked_mul(sqrt_scale(period_secs, interval_secs)?)
}

/// (μ − rfr) / σ₋ with σ₋ the standard deviation of losing returns (barter's definition), scaled
/// by √(interval / period). None when σ₋ = 0.
pub fn sortino(
    rfr: Decimal,
    mean: Decimal,
    downside_std_dev: Decimal,
    period_secs: i64,
    interval_secs: i64,
) -> Option<Decimal> {
    sharpe(rfr, mean, downside_std_dev, period_secs, interval_secs)
}

/// (μ − rfr) / |max drawdown|, scaled by √(interval / period). None without a drawdown.
pub fn calmar(
    rfr: Decimal,
    mean: Decimal,
    max_drawdown: Decimal,
    period_secs: i64,
    interval_secs: i64,
) -> Option<Decimal> {
    sharpe(rfr, mean, max_drawdown.abs(), period_secs, interval_secs)
}

/// Mean return per period scaled linearly (simple interest) to the interval.
pub fn rate_of_return(mean: Decimal, period_secs: i64, interval_secs: i64) -> Option<Decimal> {
    mean.checked_mul(linear_scale(period_secs, interval_secs))
}

/// Rescales a √-scaled ratio from one interval to another.
pub fn rescale_ratio(value: Decimal, from_secs: i64, to_secs: i64) -> Option<Decimal> {
    value.checked_mul(sqrt_scale(from_secs, to_secs)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    const DAY: i64 = 86_400;

    // barter-model.md §10 vectors.
    #[test]
    fn sharpe_vectors() {
        assert_eq!(sharpe(d("0.0015"), d("0.0025"), d("0.02"), DAY, DAY), Some(d("0.05")));
        assert_eq!(sharpe(d("0.0015"), d("0.0025"), d("0.02"), 7200, 7200), Some(d("0.05")));
        assert_eq!(rescale_ratio(d("0.05"), DAY, 252 * DAY), Some(d("0.7937253933193771771504847261")));
        // Deliberate difference: σ = 0 is undefined (barter: Decimal::MAX).
        assert_eq!(sharpe(d("0.0015"), d("0.0025"), d("0"), DAY, DAY), None);
    }

    #[test]
    fn sortino_vectors() {
        assert_eq!(sortino(d("0.0015"), d("0.0025"), d("0.02"), DAY, DAY), Some(d("0.05")));
        assert_eq!(sortino(d("0.001"), d("-0.002"), d("0.015"), DAY, DAY), Some(d("-0.2")));
        assert_eq!(rescale_ratio(d("0.05"), 2 * 3600, 8 * 3600), Some(d("0.1")));
        let tiny = sortino(d("1e-10"), d("2e-10"), d("1e-10"), DAY, DAY).unwrap();
        assert!((tiny - d("1")).abs() < d("1e-20"));
        assert_eq!(sortino(d("1e10"), d("2e10"), d("1e10"), DAY, DAY), Some(d("1")));
        assert_eq!(sortino(d("0.001"), d("0.002"), d("0"), DAY, DAY), None);
        // Overflow is undefined too, never a panic (a trap in wasm).
        assert_eq!(sharpe(d("-7e28"), d("7e28"), d("1"), DAY, DAY), None);
        assert_eq!(sharpe(d("0"), d("1e28"), d("1e-28"), DAY, DAY), None);
    }

    #[test]
    fn calmar_vectors() {
        assert_eq!(
            calmar(d("0.001"), d("0.002"), d("-0.015"), DAY, DAY),
            Some(d("0.0666666666666666666666666667"))
        );
        assert_eq!(calmar(d("0.001"), d("0.002"), d("0"), DAY, DAY), None);
    }

    #[test]
    fn rate_of_return_vectors() {
        assert_eq!(rate_of_return(d("0.01"), DAY, 252 * DAY), Some(d("2.52")));
        assert_eq!(rate_of_return(d("-0.01"), DAY, 252 * DAY), Some(d("-2.52")));
        assert_eq!(rate_of_return(d("0.01"), 7200, 28800), Some(d("0.04")));
        assert_eq!(rate_of_return(d("1e-10"), DAY, 252 * DAY), Some(d("252e-10")));
        assert_eq!(rate_of_return(d("1e10"), DAY, 252 * DAY), Some(d("252e10")));
    }
}
