//! One time rule for the whole engine: `Timestamp` is i64 nanoseconds since the Unix epoch (UTC).
//! RFC 3339 text is used only at the edges (JSON, CSV, display).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Nanoseconds in one second.
pub const NANOS_PER_SEC: i64 = 1_000_000_000;
/// Nanoseconds in one millisecond.
pub const NANOS_PER_MILLI: i64 = 1_000_000;
/// Nanoseconds in one day.
pub const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SEC;

/// A point in time: nanoseconds since 1970-01-01T00:00:00Z. Serialises as RFC 3339 (UTC, `Z`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// Nanoseconds since the epoch.
    pub fn nanos(self) -> i64 {
        self.0
    }

    /// From milliseconds since the epoch.
    pub fn from_millis(ms: i64) -> Self {
        Timestamp(ms.saturating_mul(NANOS_PER_MILLI))
    }

    /// From a JS-style time (ms since the epoch, fractions kept to the nanosecond); None unless
    /// finite and within ±1e15 ms (±31,000 years: beyond any market, inside i64 nanoseconds).
    pub fn from_millis_f64(ms: f64) -> Option<Self> {
        (ms.is_finite() && ms.abs() <= 1e15).then(|| Timestamp((ms * 1e6).round() as i64))
    }

    /// This time plus `ms` milliseconds (saturating).
    pub fn plus_millis(self, ms: u64) -> Self {
        Timestamp(self.0.saturating_add((ms as i64).saturating_mul(NANOS_PER_MILLI)))
    }

    /// The UTC calendar day number (days since the epoch, floor).
    pub fn utc_day(self) -> i64 {
        self.0.div_euclid(NANOS_PER_DAY)
    }

    /// Parses RFC 3339 / ISO 8601 date-time text (`2024-12-20T19:05:18.175Z`, `...+01:00`, a space
    /// instead of `T` is accepted). Fractions beyond nanoseconds are truncated.
    pub fn parse_rfc3339(text: &str) -> Result<Self, String> {
        parse_rfc3339(text).map(Timestamp)
    }

    /// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits (as chrono's `AutoSi`, which barter emits).
    pub fn to_rfc3339(self) -> String {
        Rfc3339::of(self.0).as_str().to_owned()
    }

    /// Appends the time as [`to_rfc3339`](Self::to_rfc3339) writes it, without a `String` of its own.
    pub fn push_rfc3339(self, out: &mut String) {
        out.push_str(Rfc3339::of(self.0).as_str());
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Rfc3339::of(self.0).as_str())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(Rfc3339::of(self.0).as_str())
    }
}

/// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits (as chrono's `AutoSi`, which barter
/// emits), built on the stack digit by digit: every equity point and trade of a report carries a
/// time, and `format!` took 3,300 instructions a time, 60 % of writing the S&P 500 report. An i64
/// of nanoseconds spans the years 1677 to 2262, so four year digits always suffice.
struct Rfc3339 {
    buf: [u8; 30],
    len: usize,
}

impl Rfc3339 {
    #[inline]
    fn of(ns: i64) -> Rfc3339 {
        let secs = ns.div_euclid(NANOS_PER_SEC);
        let frac = ns.rem_euclid(NANOS_PER_SEC) as u32;
        let sod = secs.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        let mut t = Rfc3339 { buf: *b"0000-00-00T00:00:00.000000000Z", len: 19 };
        t.digits(0, y as u32, 4);
        t.digits(5, m, 2);
        t.digits(8, d, 2);
        t.digits(11, sod / 3600, 2);
        t.digits(14, sod / 60 % 60, 2);
        t.digits(17, sod % 60, 2);
        // 0, 3, 6 or 9 fractional digits, as chrono's `AutoSi`.
        let (value, width) = match frac {
            0 => (0, 0),
            f if f % 1_000_000 == 0 => (f / 1_000_000, 3),
            f if f % 1_000 == 0 => (f / 1_000, 6),
            f => (f, 9),
        };
        if width > 0 {
            t.buf[19] = b'.';
            t.digits(20, value, width);
            t.len = 20 + width;
        }
        t.buf[t.len] = b'Z';
        t.len += 1;
        t
    }

    /// Writes `v` as `width` decimal digits (zero-padded) at `at`.
    #[inline]
    fn digits(&mut self, at: usize, mut v: u32, width: usize) {
        for i in (at..at + width).rev() {
            self.buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and separators are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse_rfc3339(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An RFC 3339 date-time, e.g. \"2024-01-02T00:00:00Z\" (nanoseconds inside).",
            "type": "string",
            "format": "date-time",
        })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(s: &[u8], what: &str) -> Result<i64, String> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(format!("expected digits for {what}"));
    }
    Ok(s.iter().fold(0i64, |a, c| a * 10 + (c - b'0') as i64))
}

/// Checks a calendar date and returns its day number. Years past four digits are refused here so
/// the day arithmetic cannot overflow; `nanos_of_day` refuses what i64 nanoseconds cannot hold.
pub fn checked_days(y: i64, m: i64, d: i64) -> Result<i64, String> {
    if !(0..=9999).contains(&y) {
        return Err(format!("year {y} is out of range"));
    }
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} is out of range"));
    }
    if d < 1 || d > days_in_month(y, m as u32) as i64 {
        return Err(format!("day {d} is out of range for {y:04}-{m:02}"));
    }
    Ok(days_from_civil(y, m as u32, d as u32))
}

/// The first and last instants a `Timestamp` holds, for error messages.
const RANGE: &str = "1677-09-21T00:12:43.145224192Z ..= 2262-04-11T23:47:16.854775807Z";

/// Nanoseconds of `days` since the epoch plus `nanos` into the day, or an error naming the
/// representable range (i64 nanoseconds: 1677 to 2262) instead of wrapping around it.
fn nanos_at(days: i64, nanos: i64) -> Result<i64, String> {
    days.checked_mul(NANOS_PER_DAY)
        .and_then(|n| n.checked_add(nanos))
        .ok_or_else(|| format!("outside the representable range {RANGE}"))
}

fn parse_rfc3339(text: &str) -> Result<i64, String> {
    let b = text.trim().as_bytes();
    let err = |m: &str| format!("invalid date-time {}: {m}", crate::error::quote(text));
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(err("expected YYYY-MM-DD"));
    }
    let y = digits(&b[0..4], "year").map_err(|e| err(&e))?;
    let mo = digits(&b[5..7], "month").map_err(|e| err(&e))?;
    let d = digits(&b[8..10], "day").map_err(|e| err(&e))?;
    let days = checked_days(y, mo, d).map_err(|e| err(&e))?;
    if b.len() == 10 {
        return nanos_at(days, 0).map_err(|e| err(&e));
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return Err(err("expected THH:MM:SS"));
    }
    let h = digits(&b[11..13], "hour").map_err(|e| err(&e))?;
    let mi = digits(&b[14..16], "minute").map_err(|e| err(&e))?;
    let s = digits(&b[17..19], "second").map_err(|e| err(&e))?;
    if h > 23 || mi > 59 || s > 60 {
        return Err(err("time of day out of range"));
    }
    let mut i = 19;
    let mut frac: i64 = 0;
    if i < b.len() && (b[i] == b'.' || b[i] == b',') {
        i += 1;
        let start = i;
        let mut n = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            if n < 9 {
                frac = frac * 10 + (b[i] - b'0') as i64;
                n += 1;
            }
            i += 1;
        }
        if i == start {
            return Err(err("empty fraction"));
        }
        frac *= 10i64.pow(9 - n);
    }
    let offset_secs = match &b[i..] {
        [] => 0, // no zone: taken as UTC
        [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (oh, om) = match rest {
                [a, b2, b':', c, d2] => (
                    digits(&[*a, *b2], "offset").map_err(|e| err(&e))?,
                    digits(&[*c, *d2], "offset").map_err(|e| err(&e))?,
                ),
                [a, b2, c, d2] => (
                    digits(&[*a, *b2], "offset").map_err(|e| err(&e))?,
                    digits(&[*c, *d2], "offset").map_err(|e| err(&e))?,
                ),
                [a, b2] => (digits(&[*a, *b2], "offset").map_err(|e| err(&e))?, 0),
                _ => return Err(err("bad UTC offset")),
            };
            if oh > 23 || om > 59 {
                return Err(err("UTC offset out of range"));
            }
            let v = oh * 3600 + om * 60;
            if *sign == b'+' {
                v
            } else {
                -v
            }
        }
        _ => return Err(err("unexpected trailing text")),
    };
    // Days are within ±3.7 million (four-digit years), so the seconds cannot overflow; the
    // nanoseconds can, and are checked.
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_secs;
    secs.checked_mul(NANOS_PER_SEC)
        .and_then(|n| n.checked_add(frac))
        .ok_or_else(|| err(&format!("outside the representable range {RANGE}")))
}

/// Parses a date column as found in OHLCV files: RFC 3339, `YYYY-MM-DD[ HH:MM[:SS]]`, or US `M/D/YYYY`.
pub fn parse_date_flexible(text: &str) -> Result<Timestamp, String> {
    let t = crate::text::trimmed(text);
    if let Some((m, rest)) = split_at_byte(t, b'/') {
        let (d, y) = split_at_byte(rest, b'/')
            .ok_or_else(|| format!("invalid date {}: expected M/D/YYYY", crate::error::quote(t)))?;
        let (y, time) = match split_at_byte(y, b' ') {
            Some((y, time)) => (y, Some(time)),
            None => (y, None),
        };
        let p = |s: &str, w: &str| {
            s.parse::<i64>().map_err(|_| format!("invalid date {}: bad {w}", crate::error::quote(t)))
        };
        let (m, d, y) = (p(m, "month")?, p(d, "day")?, p(y, "year")?);
        if y < 100 {
            return Err(format!("invalid date {}: four-digit year required", crate::error::quote(t)));
        }
        let days =
            checked_days(y, m, d).map_err(|e| format!("invalid date {}: {e}", crate::error::quote(t)))?;
        let into_day = match time {
            Some(time) => parse_time_of_day(time)
                .map_err(|e| format!("invalid date {}: {e}", crate::error::quote(t)))?,
            None => 0,
        };
        return nanos_at(days, into_day)
            .map(Timestamp)
            .map_err(|e| format!("invalid date {}: {e}", crate::error::quote(t)));
    }
    if t.len() == 16 && t.as_bytes()[13] == b':' {
        return Timestamp::parse_rfc3339(&format!("{t}:00"));
    }
    Timestamp::parse_rfc3339(t)
}

/// `s` split at the first `byte` (ASCII), as `str::split_once(char)`: a plain scan, cheaper than
/// its `memchr` search on the few bytes of a date (four of those were 8 % of a CSV's load).
fn split_at_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    let k = s.bytes().position(|b| b == byte)?;
    Some((&s[..k], &s[k + 1..]))
}

/// `H:MM[:SS]` into nanoseconds; each part is one or two digits within its range (hour 0–23,
/// minute and second 0–59), so `10:00:99` is refused rather than read as 10:01:39.
fn parse_time_of_day(s: &str) -> Result<i64, String> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err("bad time of day: expected H:MM or H:MM:SS".into());
    }
    let mut total = 0i64;
    for ((part, name), (mult, max)) in
        parts.iter().zip(["hour", "minute", "second"]).zip([(3600i64, 23i64), (60, 59), (1, 59)])
    {
        if part.is_empty() || part.len() > 2 {
            return Err(format!("bad {name} {}: expected one or two digits", crate::error::quote(part)));
        }
        let v = digits(part.as_bytes(), name)?;
        if v > max {
            return Err(format!("{name} {v} is out of range (0-{max})"));
        }
        total += v * mult;
    }
    Ok(total * NANOS_PER_SEC)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference the stack formatter is checked against: the same text by std's `format!`.
    fn format_rfc3339(ns: i64) -> String {
        let secs = ns.div_euclid(NANOS_PER_SEC);
        let frac = ns.rem_euclid(NANOS_PER_SEC);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut out =
            format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", sod / 3600, (sod / 60) % 60, sod % 60);
        if frac != 0 {
            if frac % 1_000_000 == 0 {
                out.push_str(&format!(".{:03}", frac / 1_000_000));
            } else if frac % 1_000 == 0 {
                out.push_str(&format!(".{:06}", frac / 1_000));
            } else {
                out.push_str(&format!(".{frac:09}"));
            }
        }
        out.push('Z');
        out
    }

    #[test]
    fn the_stack_formatter_writes_what_format_does() {
        // `format_rfc3339` (std's `format!`) is the reference: edges of days, years, the epoch,
        // every fraction width, the ends of i64, and a spread of times in between.
        let mut cases = vec![
            0,
            1,
            -1,
            999,
            1_000,
            1_000_000,
            NANOS_PER_SEC - 1,
            -NANOS_PER_SEC,
            86_400 * NANOS_PER_SEC - 1,
            i64::MIN,
            i64::MAX,
            Timestamp::parse_rfc3339("2000-02-29T23:59:59.999Z").unwrap().0,
            Timestamp::parse_rfc3339("1999-12-31T00:00:00.000001Z").unwrap().0,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let ns = x as i64;
            // Whole seconds, milliseconds and microseconds too, not only 9-digit fractions.
            cases.extend([
                ns,
                ns / NANOS_PER_SEC * NANOS_PER_SEC,
                ns / 1_000_000 * 1_000_000,
                ns / 1_000 * 1_000,
            ]);
        }
        for ns in cases {
            assert_eq!(Timestamp(ns).to_rfc3339(), format_rfc3339(ns), "{ns}");
            assert_eq!(Timestamp(ns).to_string(), format_rfc3339(ns), "{ns}");
            assert_eq!(serde_json::to_string(&Timestamp(ns)).unwrap(), format!("\"{}\"", format_rfc3339(ns)));
            let mut appended = String::from("x");
            Timestamp(ns).push_rfc3339(&mut appended);
            assert_eq!(appended, format!("x{}", format_rfc3339(ns)), "{ns}");
        }
    }

    #[test]
    fn parses_and_formats_barter_times() {
        let t = Timestamp::parse_rfc3339("2024-12-20T19:05:18.319581890Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-12-20T19:05:18.319581890Z");
        let t = Timestamp::parse_rfc3339("2024-12-20T19:05:18.175Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-12-20T19:05:18.175Z");
        // 2024-12-20 is day 20077 since the epoch (hand-checked: 54 years, 13 leap days...).
        assert_eq!(t.utc_day(), 20077);
        assert_eq!(Timestamp::parse_rfc3339("1970-01-01T00:00:00Z").unwrap(), Timestamp(0));
        assert_eq!(Timestamp::parse_rfc3339("1970-01-01T01:00:00+01:00").unwrap(), Timestamp(0));
        assert_eq!(Timestamp(1).to_rfc3339(), "1970-01-01T00:00:00.000000001Z");
        assert_eq!(Timestamp(-NANOS_PER_SEC).to_rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(Timestamp::parse_rfc3339("2023-02-29T00:00:00Z").is_err());
        assert!(Timestamp::parse_rfc3339("2024-13-01").is_err());
        assert!(Timestamp::parse_rfc3339("2024-01-01T25:00:00Z").is_err());
        assert!(Timestamp::parse_rfc3339("2024-01-01T00:00:00Zjunk").is_err());
        assert!(parse_date_flexible("13/1/1999").is_err());
    }

    #[test]
    fn refuses_dates_outside_i64_nanoseconds() {
        // Before the fix these wrapped: 12/31/9999 read as a day in 1816, 1/2/1600 as one in 2184.
        for bad in ["12/31/9999", "1/2/1600", "9999-12-31", "1600-01-02", "1/1/99999999999999999"] {
            let e = parse_date_flexible(bad).unwrap_err();
            assert!(e.contains("range"), "{bad}: {e}");
        }
        assert!(Timestamp::parse_rfc3339("2262-04-12T00:00:00Z")
            .unwrap_err()
            .contains("representable range"));
        assert!(Timestamp::parse_rfc3339("1677-09-21T00:00:00Z").is_err());
        // The edges that fit: 2262-04-11 is day 106,751 (i64::MAX ns is 106,751.99 days).
        assert_eq!(parse_date_flexible("4/11/2262").unwrap(), Timestamp(106_751 * NANOS_PER_DAY));
        assert_eq!(parse_date_flexible("1677-09-22").unwrap(), Timestamp(-106_751 * NANOS_PER_DAY));
        assert!(Timestamp::parse_rfc3339("2024-01-01T00:00:00+99:00").is_err());
    }

    #[test]
    fn refuses_bad_times_of_day() {
        for bad in ["1/4/1999 10:00:99", "1/4/1999 10:60", "1/4/1999 24:00", "1/4/1999 -1:00", "1/4/1999 10"]
        {
            assert!(parse_date_flexible(bad).is_err(), "{bad}");
        }
        // 10:01:39 is 36,099 s into the day.
        assert_eq!(parse_date_flexible("1/1/1970 10:01:39").unwrap(), Timestamp(36_099 * NANOS_PER_SEC));
        assert!(parse_date_flexible("1/4/1999 10:00:99").unwrap_err().contains("second 99 is out of range"));
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 20_077, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn flexible_dates() {
        assert_eq!(parse_date_flexible("1/4/1999").unwrap(), parse_date_flexible("1999-01-04").unwrap());
        // Whitespace at either end, ASCII or not, is trimmed as `str::trim` does.
        for padded in
            [" 1/4/1999", "1/4/1999 ", "\t1/4/1999\r", "\u{a0}1/4/1999", "1/4/1999\u{3000}", " 1999-01-04 "]
        {
            assert_eq!(parse_date_flexible(padded), parse_date_flexible("1/4/1999"), "{padded:?}");
        }
        assert!(parse_date_flexible("").is_err() && parse_date_flexible(" ").is_err());
        assert_eq!(parse_date_flexible("1999-01-04 09:30").unwrap().to_rfc3339(), "1999-01-04T09:30:00Z");
        assert_eq!(parse_date_flexible("1/4/1999 09:30:15").unwrap().to_rfc3339(), "1999-01-04T09:30:15Z");
    }
}
