//! Instrument kinds and trading specs, in barter's JSON shapes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What an instrument is. JSON: `"spot"` or `{"perpetual": {...}}` etc., as barter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum InstrumentKind<AssetKey> {
    /// Spot: base traded against quote.
    Spot,
    /// Perpetual swap.
    Perpetual(PerpetualContract<AssetKey>),
    /// Dated future.
    Future(FutureContract<AssetKey>),
    /// Option.
    Option(OptionContract<AssetKey>),
}

impl<A> InstrumentKind<A> {
    /// The settlement asset of a derivative, none for spot.
    pub fn settlement_asset(&self) -> Option<&A> {
        match self {
            InstrumentKind::Spot => None,
            InstrumentKind::Perpetual(c) => Some(&c.settlement_asset),
            InstrumentKind::Future(c) => Some(&c.settlement_asset),
            InstrumentKind::Option(c) => Some(&c.settlement_asset),
        }
    }

    /// True for spot instruments, the only kind the simulated exchange fills.
    pub fn is_spot(&self) -> bool {
        matches!(self, InstrumentKind::Spot)
    }

    /// Maps the asset key.
    pub fn map_asset<B, E>(self, mut f: impl FnMut(A) -> Result<B, E>) -> Result<InstrumentKind<B>, E> {
        Ok(match self {
            InstrumentKind::Spot => InstrumentKind::Spot,
            InstrumentKind::Perpetual(c) => InstrumentKind::Perpetual(PerpetualContract {
                contract_size: c.contract_size,
                settlement_asset: f(c.settlement_asset)?,
            }),
            InstrumentKind::Future(c) => InstrumentKind::Future(FutureContract {
                contract_size: c.contract_size,
                settlement_asset: f(c.settlement_asset)?,
                expiry: c.expiry,
            }),
            InstrumentKind::Option(c) => InstrumentKind::Option(OptionContract {
                contract_size: c.contract_size,
                settlement_asset: f(c.settlement_asset)?,
                kind: c.kind,
                exercise: c.exercise,
                expiry: c.expiry,
                strike: c.strike,
            }),
        })
    }
}

/// Perpetual contract terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerpetualContract<AssetKey> {
    /// Units of underlying per contract.
    pub contract_size: Decimal,
    /// Asset PnL settles in.
    pub settlement_asset: AssetKey,
}

/// Future contract terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FutureContract<AssetKey> {
    /// Units of underlying per contract.
    pub contract_size: Decimal,
    /// Asset PnL settles in.
    pub settlement_asset: AssetKey,
    /// Expiry, milliseconds since the epoch (barter's `ts_milliseconds`).
    pub expiry: i64,
}

/// Option contract terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionContract<AssetKey> {
    /// Units of underlying per contract.
    pub contract_size: Decimal,
    /// Asset PnL settles in.
    pub settlement_asset: AssetKey,
    /// Call or put.
    pub kind: OptionKind,
    /// Exercise style.
    pub exercise: OptionExercise,
    /// Expiry, milliseconds since the epoch.
    pub expiry: i64,
    /// Strike price.
    pub strike: Decimal,
}

/// Call or put.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    /// Right to buy.
    #[serde(alias = "CALL", alias = "Call")]
    Call,
    /// Right to sell.
    #[serde(alias = "PUT", alias = "Put")]
    Put,
}

/// Option exercise style.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OptionExercise {
    /// Any time.
    #[serde(alias = "AMERICAN", alias = "American")]
    American,
    /// On set dates.
    #[serde(alias = "BERMUDAN", alias = "Bermudan")]
    Bermudan,
    /// At expiry.
    #[serde(alias = "EUROPEAN", alias = "European")]
    European,
}

/// Trading rules of an instrument (barter's `InstrumentSpec`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentSpec<AssetKey> {
    /// Price rules.
    pub price: SpecPrice,
    /// Quantity rules.
    pub quantity: SpecQuantity<AssetKey>,
    /// Notional rules.
    pub notional: SpecNotional,
}

/// Price rules: minimum and tick size.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecPrice {
    /// Smallest price.
    pub min: Decimal,
    /// Prices must be multiples of this (0 = any).
    pub tick_size: Decimal,
}

/// Quantity rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecQuantity<AssetKey> {
    /// What a quantity counts.
    pub unit: QuantityUnit<AssetKey>,
    /// Smallest quantity.
    pub min: Decimal,
    /// Quantities must be multiples of this (0 = any).
    pub increment: Decimal,
}

/// Unit of order quantities: `{"Asset": "btc"}`, `"Contract"` or `"Quote"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum QuantityUnit<AssetKey> {
    /// Units of an asset.
    Asset(AssetKey),
    /// Contracts.
    Contract,
    /// Quote currency.
    Quote,
}

/// Notional rules.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecNotional {
    /// Smallest price × quantity.
    pub min: Decimal,
}

/// Which underlying asset is the quote: barter's `underlying_quote` / `underlying_base`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuoteSide {
    /// Quoted in the underlying's quote asset (normal spot pairs).
    #[serde(alias = "UnderlyingQuote")]
    UnderlyingQuote,
    /// Quoted in the underlying's base asset (inverse contracts).
    #[serde(alias = "UnderlyingBase")]
    UnderlyingBase,
}
