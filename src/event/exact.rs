//! Exact decimal decoding for amounts where a silent rounding changes meaning: a balance written
//! with more than 28 decimal places (`1e-29`, `0.00000000000000000000000000001`) used to decode
//! as 0, an account the user did not configure.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// `#[serde(deserialize_with = "exact::decimal")]`: a decimal from a string or a JSON number,
/// refused when it has more than 28 decimal places (Decimal's limit) instead of rounded.
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(ExactVisitor)
}

/// `decimal` for a balance's `total`: the message names the field (serde's own errors do not).
pub fn total<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    decimal(d).map_err(|e| de::Error::custom(format!("total: {e}")))
}

/// `decimal` for a balance's `free`: the message names the field.
pub fn free<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    decimal(d).map_err(|e| de::Error::custom(format!("free: {e}")))
}

/// `decimal` for an optional field (`null` or absent is `None`; pair with `#[serde(default)]`).
pub fn option_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    struct Exact(Decimal);
    impl<'de> serde::Deserialize<'de> for Exact {
        fn deserialize<D2: Deserializer<'de>>(d: D2) -> Result<Self, D2::Error> {
            decimal(d).map(Exact)
        }
    }
    <Option<Exact> as serde::Deserialize>::deserialize(d).map(|o| o.map(|e| e.0))
}

/// Parses decimal or scientific text, refusing any digit Decimal would drop.
pub fn parse(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let parsed = if t.contains(['e', 'E']) {
        // from_scientific already refuses a scale past 28; its base must be exact too.
        let (base, _) = t.split_once(['e', 'E']).unwrap_or((t, ""));
        Decimal::from_str_exact(base)
            .map_err(|e| e.to_string())
            .and_then(|_| Decimal::from_scientific(t).map_err(|e| e.to_string()))
    } else {
        Decimal::from_str_exact(t).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| {
        format!("{} is not a decimal with at most 28 decimal places ({e})", crate::error::quote(text))
    })
}

struct ExactVisitor;

impl Visitor<'_> for ExactVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number or string with at most 28 decimal places")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::custom(format!("{v} is not a finite number")));
        }
        // Display prints the shortest digits that read back as `v`, without an exponent: the
        // number as written in the JSON (rust_decimal's own visitor reads the same text, rounding).
        parse(&v.to_string()).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_would_round() {
        assert!(parse("0.00000000000000000000000000001").is_err());
        assert!(parse("1e-29").is_err());
        assert_eq!(parse("1e-28").unwrap().to_string(), "0.0000000000000000000000000001");
        assert_eq!(parse("2.5").unwrap().to_string(), "2.5");
        assert_eq!(parse("1e3").unwrap().to_string(), "1000");
        let json = |t: &str| {
            let mut de = serde_json::Deserializer::from_str(t);
            decimal(&mut de)
        };
        assert!(json("1e-29").unwrap_err().to_string().contains("at most 28 decimal places"));
        assert_eq!(json("0.1").unwrap().to_string(), "0.1");
        assert_eq!(json("10000").unwrap().to_string(), "10000");
        assert_eq!(json("\"12.50\"").unwrap().to_string(), "12.50");
    }
}
