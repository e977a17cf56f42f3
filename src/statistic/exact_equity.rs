//! The money figures of the portfolio statistics (final and peak equity), exact: the ratios are
//! computed on an f64 equity series, but equity itself is a sum of Decimal balances valued at
//! Decimal prices, and money in Tidemark's report is always exact decimal text.

use rust_decimal::Decimal;

/// Final and peak equity over the final (committed) equity points, in the valuation asset.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExactEquity {
    last: Option<Decimal>,
    peak_all: Option<Decimal>,
    peak_priced: Option<Decimal>,
}

impl ExactEquity {
    /// A point became final: point `index` worth `equity`. `first_priced` is the first point at
    /// which every held asset had a price, when there is one so far (points before it are left
    /// out of the statistics, as the f64 series leaves them out).
    pub fn commit(&mut self, index: usize, equity: Decimal, first_priced: Option<usize>) {
        self.last = Some(equity);
        self.peak_all = Some(self.peak_all.map_or(equity, |p| p.max(equity)));
        if first_priced.is_some_and(|f| index >= f) {
            self.peak_priced = Some(self.peak_priced.map_or(equity, |p| p.max(equity)));
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
            self.peak_priced
        } else {
            self.peak_all
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
        e.commit(0, d("1100"), None);
        e.commit(1, d("1000.10"), Some(1));
        e.commit(2, d("1000.30"), Some(1));
        e.commit(3, d("999.99"), Some(1));
        assert_eq!(e.last(), Some(d("999.99")));
        assert_eq!(e.peak(true), Some(d("1000.30")));
        // Never priced: every point counts.
        assert_eq!(e.peak(false), Some(d("1100")));
    }

    #[test]
    fn nothing_committed_is_none() {
        let e = ExactEquity::default();
        assert_eq!((e.last(), e.peak(true), e.peak(false)), (None, None, None));
    }
}
