//! Exchanges, assets and instruments, and their dense indices (barter's `IndexedInstruments`).
//! Indices are what events carry; names appear only at the edges.

mod exchange;
mod kind;

pub use exchange::ExchangeId;
pub use kind::*;

use crate::error::EngineError;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub usize);

        impl $name {
            /// The raw index.
            pub fn index(self) -> usize {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

index_type!(
    /// Dense index of an exchange (sorted as barter sorts them).
    ExchangeIndex
);
index_type!(
    /// Dense index of an (exchange, asset) pair.
    AssetIndex
);
index_type!(
    /// Dense index of an instrument.
    InstrumentIndex
);

/// Base and quote assets of an instrument.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Underlying<AssetKey> {
    /// The traded asset.
    pub base: AssetKey,
    /// The pricing asset.
    pub quote: AssetKey,
}

/// An instrument as written in barter's config (names, not indices).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentConfig {
    /// Venue.
    pub exchange: ExchangeId,
    /// The venue's symbol, e.g. `BTCUSDT`.
    pub name_exchange: String,
    /// Base and quote asset names.
    pub underlying: Underlying<String>,
    /// Which underlying asset prices it.
    pub quote: QuoteSide,
    /// Spot or a derivative.
    pub kind: InstrumentKind<String>,
    /// Optional trading rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<InstrumentSpec<String>>,
}

/// An asset held on one exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExchangeAsset {
    /// The exchange.
    pub exchange: ExchangeIndex,
    /// The exchange id, for display.
    pub exchange_id: ExchangeId,
    /// Lower-case asset name, e.g. `usdt`.
    pub name: String,
    /// The name as configured.
    pub name_exchange: String,
}

/// An indexed instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Instrument {
    /// Exchange index.
    pub exchange: ExchangeIndex,
    /// Exchange id.
    pub exchange_id: ExchangeId,
    /// barter's internal name, e.g. `binancespot-btc_usdt`.
    pub name_internal: String,
    /// The venue's symbol.
    pub name_exchange: String,
    /// Base and quote asset indices.
    pub underlying: Underlying<AssetIndex>,
    /// Which underlying asset prices it.
    pub quote: QuoteSide,
    /// Spot or a derivative.
    pub kind: InstrumentKind<AssetIndex>,
    /// Optional trading rules.
    pub spec: Option<InstrumentSpec<AssetIndex>>,
}

impl Instrument {
    /// The asset prices, fees and PnL are denominated in.
    pub fn quote_asset(&self) -> AssetIndex {
        match self.quote {
            QuoteSide::UnderlyingQuote => self.underlying.quote,
            QuoteSide::UnderlyingBase => self.underlying.base,
        }
    }

    /// The asset a spot buy receives.
    pub fn base_asset(&self) -> AssetIndex {
        match self.quote {
            QuoteSide::UnderlyingQuote => self.underlying.base,
            QuoteSide::UnderlyingBase => self.underlying.quote,
        }
    }

    /// Quantity increment from the spec, if any and non-zero.
    pub fn quantity_increment(&self) -> Option<rust_decimal::Decimal> {
        self.spec.as_ref().map(|s| s.quantity.increment).filter(|i| !i.is_zero())
    }
}

/// The indexed set of exchanges, assets and instruments of a system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Instruments {
    exchanges: Vec<ExchangeId>,
    assets: Vec<ExchangeAsset>,
    instruments: Vec<Instrument>,
}

impl Instruments {
    /// Indexes instruments exactly as barter's `IndexedInstruments::new` does: exchanges, assets and
    /// instruments are sorted (barter's derived orderings) and de-duplicated, then numbered.
    ///
    /// Asset names are lower-cased letter by letter in ASCII. barter applies Unicode's rules; the
    /// two differ only for cased letters outside ASCII (`É`, `Ж`), which no exchange's asset codes
    /// use, and Unicode's case tables were 11 KB of the browser's gzipped module.
    pub fn new(configs: &[InstrumentConfig]) -> Result<Self, EngineError> {
        let mut exchanges: Vec<ExchangeId> = configs.iter().map(|c| c.exchange).collect();
        exchanges.sort();
        exchanges.dedup();
        let mut assets: Vec<(ExchangeId, String, String)> = Vec::new();
        for (i, c) in configs.iter().enumerate() {
            let mut push = |name: &str, field: &str| -> Result<(), EngineError> {
                if name.trim().is_empty() {
                    return Err(EngineError::config(
                        format!("instruments[{i}].{field}"),
                        "asset name must not be empty",
                    ));
                }
                assets.push((c.exchange, name.to_ascii_lowercase(), name.to_string()));
                Ok(())
            };
            push(&c.underlying.base, "underlying.base")?;
            push(&c.underlying.quote, "underlying.quote")?;
            if let Some(a) = c.kind.settlement_asset() {
                push(a, "kind.settlement_asset")?;
            }
            if let Some(QuantityUnit::Asset(a)) = c.spec.as_ref().map(|s| &s.quantity.unit) {
                push(a, "spec.quantity.unit.Asset")?;
            }
            if c.name_exchange.trim().is_empty() {
                return Err(EngineError::config(
                    format!("instruments[{i}].name_exchange"),
                    "must not be empty",
                ));
            }
            // One symbol or internal name for two different instruments on one exchange: market
            // data names instruments by these, so it would go to whichever sorted first. Exact
            // copies are merged below, as barter's indexing does.
            let internal_of = |c: &InstrumentConfig| {
                (c.underlying.base.to_ascii_lowercase(), c.underlying.quote.to_ascii_lowercase())
            };
            if let Some((j, other)) = configs[..i].iter().enumerate().find(|(_, o)| {
                o.exchange == c.exchange
                    && *o != c
                    && (o.name_exchange == c.name_exchange || internal_of(o) == internal_of(c))
            }) {
                let (field, what) = if other.name_exchange == c.name_exchange {
                    ("name_exchange", format!("symbol {}", crate::error::quote(&c.name_exchange)))
                } else {
                    (
                        "underlying",
                        format!(
                            "underlying {}/{}",
                            crate::error::quote(&c.underlying.base),
                            crate::error::quote(&c.underlying.quote)
                        ),
                    )
                };
                return Err(EngineError::config(
                    format!("instruments[{i}].{field}"),
                    format!("{what} on {} is already used by instruments[{j}]", c.exchange),
                ));
            }
            if c.underlying.base.eq_ignore_ascii_case(&c.underlying.quote) {
                return Err(EngineError::config(
                    format!("instruments[{i}].underlying"),
                    "base and quote must differ",
                ));
            }
        }
        // barter's Asset orders by (name_internal, name_exchange) after the exchange.
        assets.sort();
        assets.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        #[allow(clippy::expect_used, reason = "every exchange of the configs was collected just above")]
        let exchange_index =
            |id: ExchangeId| ExchangeIndex(exchanges.binary_search(&id).expect("exchange was collected"));
        let assets: Vec<ExchangeAsset> = assets
            .into_iter()
            .map(|(ex, name, name_exchange)| ExchangeAsset {
                exchange: exchange_index(ex),
                exchange_id: ex,
                name,
                name_exchange,
            })
            .collect();
        #[allow(clippy::expect_used, reason = "every asset of the configs was collected just above")]
        let asset_index = |ex: ExchangeId, name: &str| -> AssetIndex {
            let lower = name.to_ascii_lowercase();
            AssetIndex(
                assets
                    .iter()
                    .position(|a| a.exchange_id == ex && a.name == lower)
                    .expect("asset was collected"),
            )
        };
        let mut sorted: Vec<&InstrumentConfig> = configs.iter().collect();
        let internal = |c: &InstrumentConfig| {
            format!(
                "{}-{}_{}",
                c.exchange.display_lower(),
                c.underlying.base.to_ascii_lowercase(),
                c.underlying.quote.to_ascii_lowercase()
            )
        };
        sorted.sort_by(|a, b| {
            (a.exchange, internal(a), &a.name_exchange).cmp(&(b.exchange, internal(b), &b.name_exchange))
        });
        sorted.dedup_by(|a, b| a == b);
        let mut instruments = Vec::with_capacity(sorted.len());
        for c in sorted {
            let name_internal = internal(c);
            if instruments
                .iter()
                .any(|i: &Instrument| i.name_internal == name_internal && i.exchange_id == c.exchange)
            {
                return Err(EngineError::config(
                    "instruments",
                    format!(
                        "two different instruments share the internal name {}",
                        crate::error::quote(&name_internal)
                    ),
                ));
            }
            let a = |n: &String| -> Result<AssetIndex, EngineError> { Ok(asset_index(c.exchange, n)) };
            instruments.push(Instrument {
                exchange: exchange_index(c.exchange),
                exchange_id: c.exchange,
                name_internal,
                name_exchange: c.name_exchange.clone(),
                underlying: Underlying {
                    base: asset_index(c.exchange, &c.underlying.base),
                    quote: asset_index(c.exchange, &c.underlying.quote),
                },
                quote: c.quote,
                kind: c.kind.clone().map_asset(|n| a(&n))?,
                spec: c.spec.as_ref().map(|s| InstrumentSpec {
                    price: s.price,
                    quantity: SpecQuantity {
                        unit: match &s.quantity.unit {
                            QuantityUnit::Asset(n) => QuantityUnit::Asset(asset_index(c.exchange, n)),
                            QuantityUnit::Contract => QuantityUnit::Contract,
                            QuantityUnit::Quote => QuantityUnit::Quote,
                        },
                        min: s.quantity.min,
                        increment: s.quantity.increment,
                    },
                    notional: s.notional,
                }),
            });
        }
        Ok(Instruments { exchanges, assets, instruments })
    }

    /// Exchange ids by index.
    pub fn exchanges(&self) -> &[ExchangeId] {
        &self.exchanges
    }

    /// Assets by index.
    pub fn assets(&self) -> &[ExchangeAsset] {
        &self.assets
    }

    /// Instruments by index.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// One instrument, or `UNKNOWN_INSTRUMENT` naming `field`.
    pub fn instrument(&self, index: InstrumentIndex, field: &str) -> Result<&Instrument, EngineError> {
        self.instruments.get(index.0).ok_or_else(|| EngineError::UnknownInstrument {
            field: field.into(),
            instrument: format!("{} (there are {})", index.0, self.instruments.len()),
        })
    }

    /// Checks an asset index.
    pub fn asset(&self, index: AssetIndex, field: &str) -> Result<&ExchangeAsset, EngineError> {
        self.assets.get(index.0).ok_or_else(|| EngineError::UnknownAsset {
            field: field.into(),
            asset: format!("{} (there are {})", index.0, self.assets.len()),
        })
    }

    /// Checks an exchange index.
    pub fn exchange(&self, index: ExchangeIndex, field: &str) -> Result<ExchangeId, EngineError> {
        self.exchanges.get(index.0).copied().ok_or_else(|| EngineError::UnknownExchange {
            field: field.into(),
            exchange: format!("{} (there are {})", index.0, self.exchanges.len()),
        })
    }

    /// The index of an exchange id.
    pub fn exchange_index(&self, id: ExchangeId) -> Option<ExchangeIndex> {
        self.exchanges.iter().position(|e| *e == id).map(ExchangeIndex)
    }

    /// The index of an asset on an exchange by name, ASCII letters in either case.
    pub fn find_asset(&self, exchange: ExchangeId, name: &str) -> Option<AssetIndex> {
        let lower = name.to_ascii_lowercase();
        self.assets.iter().position(|a| a.exchange_id == exchange && a.name == lower).map(AssetIndex)
    }

    /// Finds an instrument by exchange symbol, internal name, or index text.
    pub fn find_instrument(&self, key: &str) -> Option<InstrumentIndex> {
        self.instruments
            .iter()
            .position(|i| i.name_exchange == key || i.name_internal == key)
            .or_else(|| key.parse::<usize>().ok().filter(|i| *i < self.instruments.len()))
            .map(InstrumentIndex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::spot as cfg;

    #[test]
    fn indexes_like_barter() {
        // barter-model.md §2: AssetIndex 0=btc 1=eth 2=sol 3=usdt; instruments btc, eth, sol.
        let i = Instruments::new(&[
            cfg("binance_spot", "sol", "usdt"),
            cfg("binance_spot", "btc", "usdt"),
            cfg("binance_spot", "eth", "usdt"),
        ])
        .unwrap();
        let names: Vec<_> = i.assets().iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["btc", "eth", "sol", "usdt"]);
        let names: Vec<_> = i.instruments().iter().map(|a| a.name_internal.as_str()).collect();
        assert_eq!(names, ["binancespot-btc_usdt", "binancespot-eth_usdt", "binancespot-sol_usdt"]);
        assert_eq!(i.instruments()[2].underlying, Underlying { base: AssetIndex(2), quote: AssetIndex(3) });
    }

    #[test]
    fn orders_exchanges_by_barter_declaration_order() {
        let i =
            Instruments::new(&[cfg("coinbase", "eth", "usd"), cfg("binance_spot", "btc", "usdt")]).unwrap();
        assert_eq!(i.exchanges()[0].as_str(), "binance_spot");
        assert_eq!(i.instruments()[1].name_internal, "coinbase-eth_usd");
        assert_eq!(i.instruments()[1].underlying, Underlying { base: AssetIndex(2), quote: AssetIndex(3) });
    }

    #[test]
    fn duplicate_instruments_are_deduplicated_and_bad_ones_refused() {
        let i = Instruments::new(&[cfg("binance_spot", "btc", "usdt"), cfg("binance_spot", "btc", "usdt")])
            .unwrap();
        assert_eq!(i.instruments().len(), 1);
        let e = Instruments::new(&[cfg("binance_spot", "btc", "btc")]).unwrap_err();
        assert_eq!(e.to_string(), "INVALID_CONFIG: instruments[0].underlying: base and quote must differ");
        assert!(i.instrument(InstrumentIndex(5), "instrument").is_err());
    }

    #[test]
    fn asset_names_lower_case_in_ascii() {
        let i = Instruments::new(&[cfg("binance_spot", "BTC", "Usdt"), cfg("binance_spot", "ÉTH", "usdt")])
            .unwrap();
        let names: Vec<_> = i.assets().iter().map(|a| a.name.as_str()).collect();
        // Sorted by their lower-case names; É is not ASCII, so it stays as written.
        assert_eq!(names, ["btc", "usdt", "Éth"]);
        assert_eq!(i.instruments()[0].name_internal, "binancespot-btc_usdt");
        assert_eq!(i.instruments()[1].name_internal, "binancespot-Éth_usdt");
        let binance = ExchangeId::parse("binance_spot").unwrap();
        assert_eq!(i.find_asset(binance, "UsDt"), Some(AssetIndex(1)));
        assert_eq!(i.find_asset(binance, "éth"), None);
        assert_eq!(i.find_asset(binance, "ÉTH"), Some(AssetIndex(2)));
    }

    #[test]
    fn derivative_kinds_parse() {
        let c: InstrumentConfig = serde_json::from_value(serde_json::json!({
            "exchange": "bybit_perpetuals_usd", "name_exchange": "BTCUSDT",
            "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote",
            "kind": {"perpetual": {"contract_size": 1, "settlement_asset": "usdt"}},
            "spec": {"price": {"min": 0.1, "tick_size": 0.1}, "quantity": {"unit": {"Asset": "btc"}, "min": 0.001, "increment": 0.001}, "notional": {"min": 5}}
        }))
        .unwrap();
        let i = Instruments::new(&[c]).unwrap();
        assert!(!i.instruments()[0].kind.is_spot());
        assert_eq!(i.instruments()[0].quantity_increment().unwrap().to_string(), "0.001");
    }
}
