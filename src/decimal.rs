//! Cheap exact decimal comparisons for the per-event path (`cmp` and friends), and Decimal → f64
//! at the edges where the engine's exact money meets floating-point statistics and JS numbers
//! (equity points, the strategy view). rust_decimal's own `to_f64` goes through an
//! integral/fractional split, a 128-bit conversion and a rounding step: it was 14% of a daily-bar
//! backtest. This one is faster, and correctly rounded for decimals of up to 15 significant digits.

use rust_decimal::Decimal;

/// Powers of ten exactly representable as f64 (10^22 is the last).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The f64 nearest to `d` (ties to even) for every decimal of at most 15 significant digits (what
/// prices, quantities and most balances have): a mantissa below 2^53 and a power of ten up to
/// 10^22 are both exact doubles, so their IEEE quotient is the correctly rounded value in one
/// step. Longer mantissas take rust_decimal's conversion, as before (Rust's correctly rounded
/// float parser would add ~15 KB to the browser's wasm). Deterministic across native and wasm:
/// plain IEEE operations.
#[inline]
pub fn to_f64(d: &Decimal) -> f64 {
    let m = d.mantissa();
    let scale = d.scale() as usize;
    if m.unsigned_abs() < (1u128 << 53) && scale < POW10.len() {
        // Through i64 (exact below 2^53): one instruction, where i128 → f64 is a library call.
        return (m as i64) as f64 / POW10[scale];
    }
    slow(d)
}

#[cold]
fn slow(d: &Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(d).unwrap_or(f64::NAN)
}

/// Powers of ten as integers, for aligning two mantissas' scales.
const POW10_U64: [u64; 10] =
    [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/// 10^0 ..= 10^18 as `i128`.
const POW10_I128: [i128; 19] = {
    let mut t = [1i128; 19];
    let mut k = 1;
    while k < t.len() {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// `a.cmp(b)`, cheaply for the decimals the per-event path compares (prices, quantities,
/// balances). Two non-negative decimals below 2^64 compare as `u64` mantissas, the one with the
/// smaller scale multiplied up to the other's when the scales are at most 9 apart and it is below
/// 2^32 (so the product stays below 2^62 and is exact); other mantissas compare in `i128` when
/// the scales are at most 18 apart and the side to scale up is below 2^64. Anything else takes
/// rust_decimal's comparison, which all of these agree with (values are compared, so -0 = 0 and
/// 1.5 = 1.50). rust_decimal's own was 13 % of a bracketed daily-bar backtest.
#[inline(always)]
pub fn cmp(a: &Decimal, b: &Decimal) -> std::cmp::Ordering {
    let (x, y) = (a.unpack(), b.unpack());
    if !x.negative && !y.negative && x.hi == 0 && y.hi == 0 {
        let mx = (u64::from(x.mid) << 32) | u64::from(x.lo);
        let my = (u64::from(y.mid) << 32) | u64::from(y.lo);
        if x.scale == y.scale {
            return mx.cmp(&my);
        }
        let gap = x.scale.abs_diff(y.scale) as usize;
        // The side with the smaller scale is multiplied up to the other's.
        let (small, other, flip) = if x.scale < y.scale { (mx, my, false) } else { (my, mx, true) };
        if let (Some(p), true) = (POW10_U64.get(gap), small < 1 << 32) {
            let o = (small * p).cmp(&other);
            return if flip { o.reverse() } else { o };
        }
        // Against a whole number (the bounds every event is checked against, 10^12 and 10^16):
        // a mantissa no larger than the whole number's is a value no larger, m / 10^s ≤ m, and
        // equal only at zero (the scales differ here). Spares most bound checks the i128 path.
        if y.scale == 0 && mx <= my {
            return if my == 0 { std::cmp::Ordering::Equal } else { std::cmp::Ordering::Less };
        }
        if x.scale == 0 && my <= mx {
            return if mx == 0 { std::cmp::Ordering::Equal } else { std::cmp::Ordering::Greater };
        }
    }
    cmp_wide(a, b, x.scale, y.scale)
}

/// The same in `i128` (one 128-bit multiply), for mantissas past `i64`'s easy range such as
/// equity with many decimals: a side below 2^64 scaled by at most 10^18 stays below 2^124.
#[inline(never)]
fn cmp_wide(a: &Decimal, b: &Decimal, sa: u32, sb: u32) -> std::cmp::Ordering {
    let (x, y) = (a.mantissa(), b.mantissa());
    if sa == sb {
        return x.cmp(&y);
    }
    let gap = sa.abs_diff(sb) as usize;
    let (small, other, flip) = if sa < sb { (x, y, false) } else { (y, x, true) };
    if let (Some(p), true) = (POW10_I128.get(gap), small.unsigned_abs() < 1 << 64) {
        let o = (small * p).cmp(&other);
        return if flip { o.reverse() } else { o };
    }
    a.cmp(b)
}

/// `a.checked_add(b)`, out of line. rust_decimal inlines its whole addition into each caller
/// (`#[inline(always)]`), about a kilobyte of wasm a time; the checked arithmetic of the
/// statistics, off the per-event path, shares one copy of each operation instead (a Welford
/// update took 10.5 KB).
#[inline(never)]
pub fn checked_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

/// `a.checked_sub(b)`, out of line (see `checked_add`).
#[inline(never)]
pub fn checked_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b)
}

/// `a.checked_mul(b)`, out of line (see `checked_add`).
#[inline(never)]
pub fn checked_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

/// `a.checked_div(b)`, out of line (see `checked_add`).
#[inline(never)]
pub fn checked_div(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
}

/// `a < b` by `cmp`.
#[inline(always)]
pub fn lt(a: &Decimal, b: &Decimal) -> bool {
    cmp(a, b).is_lt()
}

/// `a > b` by `cmp`.
#[inline(always)]
pub fn gt(a: &Decimal, b: &Decimal) -> bool {
    cmp(a, b).is_gt()
}

/// `a.max(b)` by `cmp`, with `Decimal::max`'s choice between equal values of different scales
/// (the first), so exact text output is unchanged.
#[inline(always)]
pub fn max(a: Decimal, b: Decimal) -> Decimal {
    if cmp(&a, &b).is_lt() {
        b
    } else {
        a
    }
}

/// `a.min(b)` by `cmp`, with `Decimal::min`'s choice between equal values (the first).
#[inline(always)]
pub fn min(a: Decimal, b: Decimal) -> Decimal {
    if cmp(&a, &b).is_gt() {
        b
    } else {
        a
    }
}

/// Marks every decimal in a JSON Schema of written output as text: decimals are read from text or
/// numbers but always written as text, so the schema of what the engine writes (the report, audit
/// ticks, the snapshot) says `string`.
pub fn written_as_text(node: &mut serde_json::Value) {
    match node {
        serde_json::Value::Object(map) => {
            let decimal = map.get("type") == Some(&serde_json::json!(["string", "number"]))
                && map.contains_key("pattern");
            if decimal {
                map.insert("type".into(), "string".into());
            }
            map.values_mut().for_each(written_as_text);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(written_as_text),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn short_decimals_equal_the_correctly_rounded_parse_of_their_text() {
        // Rust's float parser is correctly rounded (an independent reference for every case).
        let cases = [
            "0",
            "-0",
            "1",
            "-1",
            "0.1",
            "0.2",
            "0.3",
            "1229.22998",
            "1248.810059",
            "10556.322753394",
            "7402.9858544",
            "-123.456",
            "9007199254740991",
            "0.000000000000000000001",
            "1e-7",
            "99999999999999.99",
            "0.000001234567890123",
        ];
        for c in cases {
            let d = Decimal::from_str(c).or_else(|_| Decimal::from_scientific(c)).unwrap();
            let expected: f64 = d.to_string().parse().unwrap();
            assert_eq!(to_f64(&d).to_bits(), expected.to_bits(), "{c}");
        }
        // Longer mantissas: rust_decimal's conversion, within a few ulps of the nearest double.
        for c in [
            "79228162514264337593543950335",
            "5.1555716897592819257445940400",
            "0.3333333333333333333333333333",
        ] {
            let d = Decimal::from_str(c).unwrap();
            let expected: f64 = c.parse().unwrap();
            assert!((to_f64(&d) - expected).abs() <= expected.abs() * 4.0 * f64::EPSILON, "{c}");
        }
        // A run of values with every scale the fast path takes.
        for scale in 0..=22u32 {
            for m in [1i64, 7, 123_456_789, 4_503_599_627_370_497, -9_007_199_254_740_991] {
                let d = Decimal::new(m, scale);
                let expected: f64 = d.to_string().parse().unwrap();
                assert_eq!(to_f64(&d).to_bits(), expected.to_bits(), "{m}e-{scale}");
            }
        }
    }

    #[test]
    fn fast_comparison_agrees_with_rust_decimal() {
        // rust_decimal's own comparison is the reference; the cases cover equal scales, each
        // side scaled up, gaps past 9, mantissas past 2^32 and 2^63, signs and zeros.
        let cases = [
            "0",
            "-0",
            "0.000",
            "1",
            "1.0",
            "1.00000000000",
            "-1",
            "-1.5",
            "-1.50",
            "1469.25",
            "1478.3",
            "1478.300001",
            "0.1",
            "0.0999999999",
            "4294967295",
            "4294967296",
            "4294967296.5",
            "9223372036854775807",
            "9223372036854775808",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "12345678.9",
            "12345678.900000000",
            "7402.985854440",
            "7402.98585444",
            "-0.000000001",
            "1e12",
            "1e16",
            "1000000000000.0000001",
            "999999999999.9999999",
            "1172.83200",
            "100000000000.00000000",
            "10013.2934857291038",
            "10013.29348572910",
            "-10013.2934857291038475",
            "18446744073709551615",
            "18446744073709551616",
            "1.8446744073709551616",
            "12345678901234567.1234567890123",
        ];
        let ds: Vec<Decimal> = cases
            .iter()
            .map(|c| Decimal::from_scientific(c).or_else(|_| Decimal::from_str(c)).unwrap())
            .collect();
        for a in &ds {
            for b in &ds {
                assert_eq!(cmp(a, b), a.cmp(b), "{a} vs {b}");
                let (m, n) = (max(*a, *b), min(*a, *b));
                let (rm, rn) = ((*a).max(*b), (*a).min(*b));
                // Same value and the same representation (scale) as Decimal's own max and min.
                assert_eq!((m.to_string(), n.to_string()), (rm.to_string(), rn.to_string()), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn fast_comparison_agrees_with_rust_decimal_on_random_pairs() {
        // Mantissas of every width up to 96 bits, scales 0..=28, both signs; every pair is also
        // compared after nudging one side's scale by a few (the same value written longer).
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let gen = |next: &mut dyn FnMut() -> u64| {
            let bits = next() % 97;
            let m = (u128::from(next()) << 64 | u128::from(next())) & ((1u128 << bits) - 1);
            let d = Decimal::from_i128_with_scale(m as i128, (next() % 29) as u32);
            if next() % 4 == 0 {
                -d
            } else {
                d
            }
        };
        for _ in 0..200_000 {
            let (a, b) = (gen(&mut next), gen(&mut next));
            assert_eq!(cmp(&a, &b), a.cmp(&b), "{a} vs {b}");
            // The same value as `a` at another scale, where it can be written so.
            let mut longer = a;
            longer.rescale(a.scale() + (next() % 12) as u32);
            if longer == a {
                assert_eq!(cmp(&longer, &a), std::cmp::Ordering::Equal, "{longer} vs {a}");
                assert_eq!(cmp(&longer, &b), a.cmp(&b), "{longer} vs {b}");
            }
        }
    }
}
