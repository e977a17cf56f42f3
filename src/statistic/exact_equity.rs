//! The money figures of the portfolio statistics (final and peak equity), exact: the ratios are
//! computed on an f64 equity series, but equity itself is a sum of Decimal balances valued at
//! Decimal prices, and money in Tidemark's report is always exact decimal text.

use rust_decimal::Decimal;

/// Final and peak equity over the final (committed) equity points, in the valuation asset.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExactEquity {
    last: Option<Decimal>,
    /// Each peak with its f64 value, to skip the exact comparison when a point is clearly lower.
    peak_all: Option<(Decimal, f64)>,
    peak_priced: Option<(Decimal, f64)>,
}

/// Raises `peak` to `equity` when higher (`Decimal::max`'s rule: an equal value keeps the peak).
/// `approx` is `equity` as f64 (within a few ulps of it, as the peak's is of the peak): a point
/// more than a billionth below the peak is lower whatever the rounding, and most points are,
/// so the Decimal comparison (costly for equity's many decimals) runs only near the peak.
#[inline]
fn raise(peak: &mut Option<(Decimal, f64)>, equity: Decimal, approx: f64) {
    match peak {
        Some((p, pf)) => {
            let clearly_lower = approx < *pf - pf.abs() * 1e-9;
            if !clearly_lower && crate::decimal::lt(p, &equity) {
                *peak = Some((equity, approx));
            }
        }
        None => *peak = Some((equity, approx)),
    }
}

impl ExactEquity {
    /// A point became final: point `index` worth `equity` (`approx` as f64). `first_priced` is the
    /// first point at which every held asset had a price, when there is one so far (points
    /// before it are left out of the statistics, as the f64 series leaves them out).
    pub fn commit(&mut self, index: usize, equity: Decimal, approx: f64, first_priced: Option<usize>) {
        self.last = Some(equity);
        raise(&mut self.peak_all, equity, approx);
        if first_priced.is_some_and(|f| index >= f) {
            raise(&mut self.peak_priced, equity, approx);
        }
    }

    /// The last final point's equity.
    pub fn last(&self) -> Option<Decimal> {
        self.last
    }

    /// The highest equity of the points the statistics take: from the first priced point on, or
    /// every point when no point was ever priced.
    pub fn peak(&self, priced: bool) -> Option<Decimal> {
        if priced {
            self.peak_priced.map(|(p, _)| p)
        } else {
            self.peak_all.map(|(p, _)| p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn peak_counts_only_points_from_the_first_priced_one() {
        let mut e = ExactEquity::default();
        // Point 0 is unpriced (an asset not valued yet) and looks high; point 1 is the first
        // priced one.
        e.commit(0, d("1100"), 1100_f64, None);
        e.commit(1, d("1000.10"), 1000.10_f64, Some(1));
        e.commit(2, d("1000.30"), 1000.30_f64, Some(1));
        e.commit(3, d("999.99"), 999.99_f64, Some(1));
        assert_eq!(e.last(), Some(d("999.99")));
        assert_eq!(e.peak(true), Some(d("1000.30")));
        // Never priced: every point counts.
        assert_eq!(e.peak(false), Some(d("1100")));
    }

    #[test]
    fn a_point_equal_to_the_peak_keeps_the_peak_and_a_hair_higher_one_wins() {
        let mut e = ExactEquity::default();
        e.commit(0, d("1000.50"), 1000.5, Some(0));
        // Equal in value: the peak keeps its own text (Decimal::max keeps the first).
        e.commit(1, d("1000.500"), 1000.5, Some(0));
        assert_eq!(e.peak(true).map(|p| p.to_string()), Some("1000.50".into()));
        // Higher by 1e-20: the same f64, so only the exact comparison sees it.
        e.commit(2, d("1000.50000000000000000001"), 1000.5, Some(0));
        assert_eq!(e.peak(true), Some(d("1000.50000000000000000001")));
        // Far lower: skipped by the f64 test; the peak stays.
        e.commit(3, d("900"), 900.0, Some(0));
        assert_eq!(e.peak(true), Some(d("1000.50000000000000000001")));
        assert_eq!(e.last(), Some(d("900")));
    }

    #[test]
    fn nothing_committed_is_none() {
        let e = ExactEquity::default();
        assert_eq!((e.last(), e.peak(true), e.peak(false)), (None, None, None));
    }
}
