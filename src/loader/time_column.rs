//! The time column of CSV files: its accepted names and the accepted time texts.
//!
//! Names (any case): `Date`, `Datetime`, `Time`, `Timestamp`, `open_time`; in OHLCV files an
//! unnamed first column (pandas' index, as `df.to_csv()` writes it) is the time when no column
//! has one of these names.
//!
//! Texts: RFC 3339 / ISO dates and date-times and US `M/D/YYYY` (see
//! [`crate::time::parse_date_flexible`]), or a Unix epoch time: digits, optionally with a
//! fraction (`1700000000.5`). The unit of an epoch time follows from the number of digits of its
//! integer part (leading zeros not counted), which puts every unit's times between 1973-03-03
//! and 2286-11-20:
//!
//! | digits | unit | range |
//! |---|---|---|
//! | 9–10 | seconds | 1e8 ..< 1e10 |
//! | 12–13 | milliseconds | 1e11 ..< 1e13 |
//! | 15–16 | microseconds | 1e14 ..< 1e16 |
//! | 18–19 | nanoseconds | 1e17 ..< 1e19 |
//!
//! Any other digit count is refused as ambiguous: 11 digits is seconds after 2286 or
//! milliseconds before 1973 (and 8 digits may be a `YYYYMMDD` date). A file's epoch times must
//! all have one unit; a row in another unit is refused, since mixing units is a file error, not a
//! jump of a thousand years. Times after 2262-04-11 do not fit the engine's i64 nanoseconds.

use crate::error::quote;
use crate::time::{parse_date_flexible, Timestamp};

/// Header names of the time column, lower case.
pub(crate) const TIME_NAMES: [&str; 5] = ["date", "datetime", "time", "timestamp", "open_time"];

/// Longer time texts are refused before parsing (the longest RFC 3339 text with nanoseconds and
/// an offset has 35 bytes), so no parser echoes a huge field.
const MAX_LEN: usize = 64;

/// The unit of epoch times.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Unit {
    Seconds,
    Millis,
    Micros,
    Nanos,
}

impl Unit {
    fn from_digits(n: usize) -> Option<Unit> {
        match n {
            9 | 10 => Some(Unit::Seconds),
            12 | 13 => Some(Unit::Millis),
            15 | 16 => Some(Unit::Micros),
            18 | 19 => Some(Unit::Nanos),
            _ => None,
        }
    }

    fn nanos(self) -> i64 {
        match self {
            Unit::Seconds => 1_000_000_000,
            Unit::Millis => 1_000_000,
            Unit::Micros => 1_000,
            Unit::Nanos => 1,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Millis => "milliseconds",
            Unit::Micros => "microseconds",
            Unit::Nanos => "nanoseconds",
        }
    }
}

/// Parses one file's time column, remembering the epoch unit of its first epoch time.
#[derive(Clone, Debug, Default)]
pub(crate) struct TimeColumn {
    unit: Option<(Unit, usize)>,
}

impl TimeColumn {
    /// The time in `text` (trimmed) at `line`; errors say what was expected.
    pub(crate) fn parse(&mut self, text: &str, line: usize) -> Result<Timestamp, String> {
        if text.len() > MAX_LEN {
            return Err(format!("expected a date or a Unix time, got {}", quote(text)));
        }
        // Digits with at most one point and at least one digit before it: an epoch time. One
        // pass over the bytes, which for a date stops at its first separator.
        let mut point = None;
        let epoch = !text.is_empty()
            && text
                .bytes()
                .enumerate()
                .all(|(k, b)| b.is_ascii_digit() || (b == b'.' && k > 0 && point.replace(k).is_none()));
        if !epoch {
            return parse_date_flexible(text)
                .map_err(|m| format!("expected a date (ISO, RFC 3339, M/D/YYYY) or a Unix time: {m}"));
        }
        let (int, frac) = point.map_or((text, ""), |k| (&text[..k], &text[k + 1..]));
        let significant = int.trim_start_matches('0').len();
        let unit = Unit::from_digits(significant).ok_or_else(|| {
            format!(
                "expected a Unix time of 9-10 digits (s), 12-13 (ms), 15-16 (µs) or 18-19 (ns), got {} \
                 with {significant} digits: its unit is ambiguous",
                quote(text)
            )
        })?;
        match self.unit {
            None => self.unit = Some((unit, line)),
            Some((first, at)) if first != unit => {
                return Err(format!(
                    "{} is a Unix time in {}, but line {at} has one in {}; expected one unit per file",
                    quote(text),
                    unit.name(),
                    first.name()
                ))
            }
            Some(_) => {}
        }
        let whole: i64 = int.parse().map_err(|_| out_of_range(text))?;
        let mut ns = whole.checked_mul(unit.nanos()).ok_or_else(|| out_of_range(text))?;
        // The fraction, to whole nanoseconds (truncated beyond them).
        let mut scale = unit.nanos();
        for b in frac.bytes() {
            scale /= 10;
            if scale == 0 {
                break;
            }
            ns = ns.checked_add(i64::from(b - b'0') * scale).ok_or_else(|| out_of_range(text))?;
        }
        Ok(Timestamp(ns))
    }
}

fn out_of_range(text: &str) -> String {
    format!("{} is after 2262-04-11, the last time the engine holds", quote(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<String, String> {
        TimeColumn::default().parse(text, 2).map(|t| t.to_rfc3339())
    }

    #[test]
    fn epoch_units_from_digit_counts() {
        // 1700000000 s = 19675 days (2023-11-14) + 22:13:20.
        assert_eq!(p("1700000000").unwrap(), "2023-11-14T22:13:20Z");
        assert_eq!(p("1700000000123").unwrap(), "2023-11-14T22:13:20.123Z");
        assert_eq!(p("1700000000123456").unwrap(), "2023-11-14T22:13:20.123456Z");
        assert_eq!(p("1700000000123456789").unwrap(), "2023-11-14T22:13:20.123456789Z");
        assert_eq!(p("1700000000.5").unwrap(), "2023-11-14T22:13:20.500Z");
        // 915408000 s (9 digits) is 1999-01-04, the first S&P 500 row.
        assert_eq!(p("915408000").unwrap(), "1999-01-04T00:00:00Z");
        assert_eq!(p("1999-01-04").unwrap(), "1999-01-04T00:00:00Z");
        for bad in ["17000000000", "20240101", "0", "17000000000000", "99999999999999999999"] {
            assert!(p(bad).unwrap_err().contains("ambiguous"), "{bad}");
        }
        // 19 digits beyond i64: 9999999999999999999 ns.
        assert!(p("9999999999999999999").unwrap_err().contains("after 2262"));
        // 10-digit seconds past 2262 overflow nanoseconds.
        assert!(p("9999999999").unwrap_err().contains("after 2262"));
    }

    #[test]
    fn one_unit_per_file() {
        let mut c = TimeColumn::default();
        c.parse("1700000000000", 2).unwrap();
        let e = c.parse("1700000060", 3).unwrap_err();
        assert_eq!(
            e,
            "\"1700000060\" is a Unix time in seconds, but line 2 has one in milliseconds; expected one unit per file"
        );
    }
}
