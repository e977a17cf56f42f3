//! The interval ratios are expressed per: a day, 252 or 365 days, or any number of seconds.

use crate::config::SummaryInterval;
use rust_decimal::{Decimal, MathematicalOps};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(SummaryInterval::from_name("annual252").unwrap(), SummaryInterval::Annual252);
        assert_eq!(
            SummaryInterval::from_name("weekly").unwrap_err().to_string(),
            "INVALID_ARGUMENT: interval: \"weekly\" is not daily, annual252 or annual365"
        );
    }
}

const DAY: i64 = 86_400;

impl SummaryInterval {
    /// Length in seconds.
    pub fn seconds(&self) -> i64 {
        match self {
            SummaryInterval::Daily => DAY,
            SummaryInterval::Annual252 => 252 * DAY,
            SummaryInterval::Annual365 => 365 * DAY,
            SummaryInterval::Seconds(s) => (*s).max(1) as i64,
        }
    }

    /// The names `from_name` accepts, for the API faces' type declarations.
    pub const NAMES: [&'static str; 3] = ["daily", "annual252", "annual365"];

    /// Parses an interval name as the API faces spell it: `daily`, `annual252`, `annual365`.
    pub fn from_name(name: &str) -> Result<Self, crate::EngineError> {
        match name {
            "daily" => Ok(SummaryInterval::Daily),
            "annual252" => Ok(SummaryInterval::Annual252),
            "annual365" => Ok(SummaryInterval::Annual365),
            other => Err(crate::EngineError::argument(
                "interval",
                format!("{other:?} is not daily, annual252 or annual365"),
            )),
        }
    }

    /// barter's label: "Daily", "Annual(252)", "Annual(365)", "Duration {n} (minutes)".
    pub fn label(&self) -> String {
        match self {
            SummaryInterval::Daily => "Daily".into(),
            SummaryInterval::Annual252 => "Annual(252)".into(),
            SummaryInterval::Annual365 => "Annual(365)".into(),
            SummaryInterval::Seconds(s) => format!("Duration {} (minutes)", s / 60),
        }
    }
}

/// √(target / source): how a per-`source` ratio scales to `target` (square-root-of-time rule).
pub fn sqrt_scale(source_secs: i64, target_secs: i64) -> Option<Decimal> {
    (Decimal::from(target_secs) / Decimal::from(source_secs.max(1))).sqrt()
}

/// target / source: how a per-`source` rate scales linearly to `target`.
pub fn linear_scale(source_secs: i64, target_secs: i64) -> Decimal {
    Decimal::from(target_secs) / Decimal::from(source_secs.max(1))
}
