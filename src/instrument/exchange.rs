//! barter's `ExchangeId`: a closed list of venue names, serialised in snake_case.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// barter's exchange ids, in barter's declaration order (which is also its sort order).
const NAMES: [&str; 43] = [
    "other",
    "simulated",
    "mock",
    "binance_futures_coin",
    "binance_futures_usd",
    "binance_options",
    "binance_portfolio_margin",
    "binance_spot",
    "binance_us",
    "bitazza",
    "bitfinex",
    "bitflyer",
    "bitget",
    "bitmart",
    "bitmart_futures_usd",
    "bitmex",
    "bitso",
    "bitstamp",
    "bitvavo",
    "bithumb",
    "bybit_perpetuals_usd",
    "bybit_spot",
    "cexio",
    "coinbase",
    "coinbase_international",
    "cryptocom",
    "deribit",
    "gateio_futures_btc",
    "gateio_futures_usd",
    "gateio_options",
    "gateio_perpetuals_btc",
    "gateio_perpetuals_usd",
    "gateio_spot",
    "gemini",
    "hitbtc",
    "htx",
    "kraken",
    "kucoin",
    "liquid",
    "mexc",
    "okx",
    "one_trading",
    "poloniex",
];

/// A venue id such as `binance_spot`. Ordered as barter orders it (declaration order).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExchangeId(u8);

impl ExchangeId {
    /// Looks an id up by its snake_case name (`huobi` is accepted for `htx`, as in barter).
    pub fn parse(name: &str) -> Option<Self> {
        let name = if name == "huobi" { "htx" } else { name };
        NAMES.iter().position(|n| *n == name).map(|i| ExchangeId(i as u8))
    }

    /// The snake_case name, e.g. `binance_spot`.
    pub fn as_str(self) -> &'static str {
        NAMES[self.0 as usize]
    }

    /// barter's `Display` of the id (the variant name), lower-cased: `binancespot`. Used in internal names.
    pub fn display_lower(self) -> String {
        self.as_str().replace('_', "")
    }
}

impl fmt::Display for ExchangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ExchangeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ExchangeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        ExchangeId::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown exchange id {} (expected one of barter's ids, e.g. \"binance_spot\")",
                crate::error::quote(&s)
            ))
        })
    }
}

impl schemars::JsonSchema for ExchangeId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExchangeId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut names: Vec<&str> = NAMES.to_vec();
        names.push("huobi");
        schemars::json_schema!({
            "description": "barter's exchange id, snake_case (\"huobi\" is read as \"htx\").",
            "type": "string",
            "enum": names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_barter_ids() {
        let b = ExchangeId::parse("binance_spot").unwrap();
        assert_eq!(b.display_lower(), "binancespot");
        assert_eq!(ExchangeId::parse("huobi"), ExchangeId::parse("htx"));
        assert!(ExchangeId::parse("nyse").is_none());
        assert!(ExchangeId::parse("mock").unwrap() < b);
        assert!(serde_json::from_str::<ExchangeId>("\"nope\"").is_err());
    }
}
