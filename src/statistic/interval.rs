//! The interval ratios are expressed per: a day, 252 or 365 days, or any number of seconds.

use crate::config::SummaryInterval;
use rust_decimal::{Decimal, MathematicalOps};

const DAY: i64 = 86_400;

/// The longest `Seconds` interval: what i64 nanoseconds hold (about 292 years), the engine's
/// one time unit, so no interval can overflow where it meets a timestamp.
pub const MAX_INTERVAL_SECONDS: u64 = (i64::MAX / crate::time::NANOS_PER_SEC) as u64;

impl SummaryInterval {
    /// Length in seconds. An unchecked `Seconds` value is clamped into 1 ..= `MAX_INTERVAL_SECONDS`
    /// (`validate` refuses what would be clamped).
    pub fn seconds(&self) -> i64 {
        match self {
            SummaryInterval::Daily => DAY,
            SummaryInterval::Annual252 => 252 * DAY,
            SummaryInterval::Annual365 => 365 * DAY,
            SummaryInterval::Seconds(s) => (*s).clamp(1, MAX_INTERVAL_SECONDS) as i64,
        }
    }

    /// Refuses a `Seconds` interval that is zero or longer than `MAX_INTERVAL_SECONDS` (2^63 used
    /// to flip sign), as `INVALID_ARGUMENT` at `field.seconds`.
    pub fn validate(&self, field: &str) -> Result<(), crate::EngineError> {
        match self {
            SummaryInterval::Seconds(0) => {
                Err(crate::EngineError::argument(format!("{field}.seconds"), "must be positive, got 0"))
            }
            SummaryInterval::Seconds(s) if *s > MAX_INTERVAL_SECONDS => Err(crate::EngineError::argument(
                format!("{field}.seconds"),
                format!("{s} exceeds the longest interval of {MAX_INTERVAL_SECONDS} seconds"),
            )),
            _ => Ok(()),
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
                format!("{} is not daily, annual252 or annual365", crate::error::quote(other)),
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

    #[test]
    fn seconds_must_be_positive_and_fit() {
        let e = SummaryInterval::Seconds(0).validate("interval").unwrap_err();
        assert_eq!(e.to_string(), "INVALID_ARGUMENT: interval.seconds: must be positive, got 0");
        // 2^63 s: cast to i64 it was negative.
        let e = SummaryInterval::Seconds(1 << 63).validate("interval").unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidArgument);
        assert!(e.to_string().contains("interval.seconds: 9223372036854775808 exceeds"), "{e}");
        assert!(SummaryInterval::Seconds(1 << 63).seconds() > 0);
        // i64::MAX / 1e9 = 9,223,372,036 s is the longest accepted.
        SummaryInterval::Seconds(9_223_372_036).validate("interval").unwrap();
        assert!(SummaryInterval::Seconds(9_223_372_037).validate("interval").is_err());
    }
}
