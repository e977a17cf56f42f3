//! Welford's running mean and variance (barter's `DataSetSummary` recurrence).

use rust_decimal::{Decimal, MathematicalOps};
use serde::{Deserialize, Serialize};

/// Running count, sum, mean and recurrence M of a data set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welford {
    /// Number of samples.
    pub count: u64,
    /// Sum.
    pub sum: Decimal,
    /// Mean.
    pub mean: Decimal,
    /// Recurrence relation M (sum of squared deviations).
    pub m: Decimal,
}

impl Welford {
    /// Adds a sample: mean' = mean + (x − mean)/n; M' = M + (x − mean)(x − mean').
    pub fn update(&mut self, x: Decimal) {
        self.count += 1;
        self.sum += x;
        let prev = self.mean;
        self.mean = prev + (x - prev) / Decimal::from(self.count);
        self.m += (x - prev) * (x - self.mean);
    }

    /// `update` for values from anywhere (the analytics helpers): None, and no change, when the
    /// arithmetic overflows Decimal (values near ±7.9e28), where `update` would panic and a wasm
    /// build would trap.
    pub fn checked_update(&mut self, x: Decimal) -> Option<()> {
        let count = self.count + 1;
        use crate::decimal::{
            checked_add as add, checked_div as div, checked_mul as mul, checked_sub as sub,
        };
        let sum = add(self.sum, x)?;
        let delta = sub(x, self.mean)?;
        let mean = add(self.mean, div(delta, Decimal::from(count))?)?;
        let m = add(self.m, mul(delta, sub(x, mean)?)?)?;
        *self = Welford { count, sum, mean, m };
        Some(())
    }

    /// Population variance M/n (None with no samples).
    pub fn population_variance(&self) -> Option<Decimal> {
        population_variance(self.m, self.count)
    }

    /// Sample variance M/(n − 1) (None with fewer than two samples).
    pub fn sample_variance(&self) -> Option<Decimal> {
        sample_variance(self.m, self.count)
    }

    /// Population standard deviation.
    pub fn population_std_dev(&self) -> Option<Decimal> {
        self.population_variance().and_then(|v| v.abs().sqrt())
    }
}

/// M / n; None when n = 0.
pub fn population_variance(m: Decimal, n: u64) -> Option<Decimal> {
    (n > 0).then(|| m / Decimal::from(n))
}

/// M / (n − 1); None when n < 2 (barter returns 0 there, hiding that it is undefined).
pub fn sample_variance(m: Decimal, n: u64) -> Option<Decimal> {
    (n > 1).then(|| m / Decimal::from(n - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    // Vectors from barter-model.md §10.
    #[test]
    fn running_means() {
        let mut w = Welford::default();
        let means: Vec<Decimal> = ["0.1", "-0.2", "-0.05", "0.2", "0.15", "-0.17"]
            .iter()
            .map(|x| {
                w.update(d(x));
                w.mean
            })
            .collect();
        assert_eq!(means, ["0.1", "-0.05", "-0.05", "0.0125", "0.04", "0.005"].map(d));
    }

    #[test]
    fn recurrence() {
        for (xs, ms) in [
            (["10", "100", "-10"], ["0", "4050", "6866.6666666666666666450"]),
            (["-5", "-50", "-1000"], ["0", "1012.5", "631516.6666666666666663425"]),
            (["90000", "-90000", "0"], ["0", "16200000000", "16200000000"]),
        ] {
            let mut w = Welford::default();
            for (x, m) in xs.iter().zip(ms) {
                w.update(d(x));
                // barter's vectors were written with a truncated intermediate mean, so they differ
                // from the exact recurrence in the 20th significant digit: 20600/3 = 6866.666…67,
                // not …66450. Agree to 1e-15.
                assert!((w.m - d(m)).abs() < d("1e-15"), "{} vs {m}", w.m);
            }
        }
    }

    #[test]
    fn recurrence_is_exact() {
        let mut w = Welford::default();
        for x in ["10", "100", "-10"] {
            w.update(d(x));
        }
        // Exact to the last of Decimal's 28 digits (one unit of rounding in the last place).
        assert!((w.m - d("20600") / d("3")).abs() <= d("1e-24"));
    }

    #[test]
    fn variances() {
        assert_eq!(sample_variance(d("1050"), 5), Some(d("262.5")));
        assert_eq!(sample_variance(d("16200000000"), 3), Some(d("8100000000")));
        assert_eq!(sample_variance(d("1012.5"), 123223), Some(d("0.0082168768564055120027267858")));
        assert_eq!(sample_variance(d("99999.9999"), 23232), Some(d("4.3045929964271878093926219276")));
        assert_eq!(population_variance(d("1050"), 5), Some(d("210")));
        assert_eq!(population_variance(d("16200000000"), 3), Some(d("5400000000")));
        assert_eq!(population_variance(d("1012.5"), 123223), Some(d("0.0082168101734254157097295148")));
        assert_eq!(population_variance(d("99999.9999"), 23232), Some(d("4.3044077091942148760330578512")));
        // Deliberate difference: barter gives 0 for one sample; the sample variance is undefined.
        assert_eq!(sample_variance(d("0"), 1), None);
    }

    #[test]
    fn checked_update_refuses_overflow_and_agrees_otherwise() {
        let mut w = Welford::default();
        assert_eq!(w.checked_update(d("1e28")), Some(()));
        let before = w.clone();
        assert_eq!(w.checked_update(d("-1e28")), None);
        assert_eq!(w, before);
        let (mut a, mut b) = (Welford::default(), Welford::default());
        for x in ["1.1", "1.2", "-7", "0.6"] {
            a.update(d(x));
            b.checked_update(d(x)).unwrap();
        }
        assert_eq!(a, b);
    }

    #[test]
    fn dispersion_vector() {
        // [1.1, 1.2, 1.3, 1.4, 0.6]: population std 0.278567765544 (tolerance 1e-12).
        let mut w = Welford::default();
        for x in ["1.1", "1.2", "1.3", "1.4", "0.6"] {
            w.update(d(x));
        }
        assert_eq!(w.m, d("0.388"));
        assert!((w.population_std_dev().unwrap() - d("0.278567765544")).abs() < d("1e-12"));
    }
}
