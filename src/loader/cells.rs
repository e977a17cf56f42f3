//! Reading cells of a CSV row, shared by the CSV formats: every error names the line, the column
//! (number and name) and what was expected, echoing at most a prefix of the cell.

use super::csv::Fields;
use super::symbols::SymbolMap;
use super::{decode_error, CsvTarget};
use crate::error::quote;
use crate::error::EngineError;
use rust_decimal::Decimal;

/// A symbol column without the instruments to map it: rows must not silently go to one.
pub(crate) fn no_symbol_map(format: &str, line: usize, column: usize, name: &str) -> EngineError {
    decode_error(
        format,
        line,
        Some(column + 1),
        Some(name),
        "a symbol column maps rows to instruments by name; expected the config's instruments to map \
         them (LoadOptions::symbols), or a file without this column",
    )
}

/// A decimal cell; the error names the cell and echoes (a prefix of) its text.
pub(crate) fn decimal(
    format: &str,
    fields: &Fields<'_>,
    i: usize,
    name: &str,
    line: usize,
) -> Result<Decimal, EngineError> {
    let text = cell(format, fields, i, name, line)?;
    if let Some(d) = plain_decimal(text) {
        return Ok(d);
    }
    text.parse::<Decimal>().or_else(|_| Decimal::from_scientific(text)).map_err(|_| {
        decode_error(
            format,
            line,
            Some(i + 1),
            Some(name),
            format!("expected a decimal number, got {}", quote(text)),
        )
    })
}

/// The common cell, `123.45` or `-7` (up to 18 digits, one point with digits on both sides):
/// its decimal read directly, the same value and scale `str::parse::<Decimal>` gives, about five
/// times faster (five of these per OHLCV row were a third of a CSV's load time). Anything else
/// (more digits, exponents, underscores, zero, which has a sign to keep) is None: the general
/// parser's.
#[inline]
pub(crate) fn plain_decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    // The point first (with digits on both sides), then two loops of digits alone: one loop that
    // also told the point from the digits took 21 instructions more per S&P 500 cell.
    let (int, fraction) = match digits.iter().position(|&c| c == b'.') {
        Some(p) => {
            (digits.get(..p).filter(|i| !i.is_empty())?, digits.get(p + 1..).filter(|f| !f.is_empty())?)
        }
        None => (digits, &[][..]),
    };
    // At most 19 digits: below 10^19 < 2^64, so no step overflows.
    let mantissa = append_digits(append_digits(0, int)?, fraction)?;
    // 19 digits may pass i64: the general parser's then.
    if int.len() + fraction.len() > 18 || mantissa == 0 {
        return None;
    }
    let scale = fraction.len() as u32;
    let mantissa = mantissa as i64; // below 10^18
    Some(Decimal::new(if negative { -mantissa } else { mantissa }, scale))
}

/// `m` followed by the decimal digits `digits` (None at any other byte). The caller bounds the
/// count: 19 digits stay below 2^64.
#[inline(always)]
fn append_digits(mut m: u64, digits: &[u8]) -> Option<u64> {
    for &c in digits {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        m = m * 10 + u64::from(d);
    }
    Some(m)
}

/// A trimmed cell, or an error naming the missing column.
pub(crate) fn cell<'a>(
    format: &str,
    fields: &Fields<'a>,
    i: usize,
    name: &str,
    line: usize,
) -> Result<&'a str, EngineError> {
    fields.get(i).map(crate::text::trimmed).ok_or_else(|| {
        decode_error(
            format,
            line,
            Some(i + 1),
            Some(name),
            format!("row has {} fields; expected a {name} value in column {}", fields.len(), i + 1),
        )
    })
}

/// Where a row goes: its symbol's instrument, or the loader's target.
pub(crate) fn row_target(
    format: &str,
    target: CsvTarget,
    symbols: &mut Option<SymbolMap>,
    symbol: Option<usize>,
    fields: &Fields<'_>,
    line: usize,
) -> Result<CsvTarget, EngineError> {
    match (symbol, symbols) {
        (Some(i), Some(map)) => {
            let name = cell(format, fields, i, "symbol", line)?;
            map.resolve(name, || format!("{format} line {line} column {} (symbol)", i + 1))
        }
        _ => Ok(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn plain_decimals_equal_the_general_parser_in_value_and_scale() {
        let accepted = [
            "1229.22998",
            "1248.810059",
            "877000000",
            "-7",
            "0.5",
            "-0.000001",
            "1.50",
            "100",
            "0.10",
            "999999999999999999",
            "-99999999.9999999999",
            "12345678901234567.8",
        ];
        for t in accepted {
            let fast = plain_decimal(t).unwrap_or_else(|| panic!("{t} should take the fast path"));
            let general = Decimal::from_str(t).unwrap();
            assert_eq!(
                (fast, fast.scale(), fast.is_sign_negative()),
                (general, general.scale(), general.is_sign_negative()),
                "{t}"
            );
        }
        // Left to the general parser: it owns their rules (or refuses them).
        for t in [
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "1e5",
            "1_000",
            "+1",
            "0",
            "-0.0",
            "0.000",
            "1234567890123456789",
            // Past i64 before the digit count refuses it (overflowed under overflow checks: fuzz).
            "9999999999999999999",
            "-9999999999999999999",
            "12a",
            " 1",
            "1,5",
            "--1",
            "1..2",
            ".",
            "-.",
            "1.-2",
            "1.5é",
            "１",
        ] {
            assert_eq!(plain_decimal(t), None, "{t:?}");
        }
        // A sweep over many shapes: whenever the fast path answers, it agrees with the general one.
        let mut n = 0;
        for int in ["0", "1", "42", "123456789", "900000000000000000"] {
            for frac in ["", "0", "5", "25", "000001", "123456789"] {
                for sign in ["", "-"] {
                    let t =
                        if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") };
                    if let Some(fast) = plain_decimal(&t) {
                        let general = Decimal::from_str(&t).unwrap();
                        assert_eq!((fast, fast.scale()), (general, general.scale()), "{t}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 40, "{n}");
    }
}
