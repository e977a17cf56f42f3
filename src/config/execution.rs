//! One simulated exchange's settings: barter's `MockExecutionConfig` plus Tidemark's extensions.

use crate::event::Balance;
use crate::instrument::ExchangeId;
use crate::order::{ClientOrderId, Order, OrderKind, OrderState, Side, StrategyId, TimeInForce};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An execution entry (`executions[i]`). barter's fields, then extensions (all optional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecutionConfig {
    /// The exchange this simulates.
    pub mocked_exchange: ExchangeId,
    /// Milliseconds for a request to reach the exchange (and, by default, for responses to return).
    pub latency_ms: u64,
    /// Fee as a fraction of notional (0.001 = 0.1%), barter's field; maker and taker default to it.
    pub fees_percent: Decimal,
    /// Balances and orders at the start.
    pub initial_state: InitialState,
    /// Extension: maker fee fraction (may be negative: a rebate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker_fees_percent: Option<Decimal>,
    /// Extension: taker fee fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_fees_percent: Option<Decimal>,
    /// Extension: milliseconds for responses to return (default: `latency_ms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_latency_ms: Option<u64>,
    /// Extension: adverse slippage on taker fills, in basis points of the price.
    #[serde(default)]
    pub slippage_bps: Decimal,
    /// Extension: fill model options.
    #[serde(default)]
    pub fill: FillModel,
}

impl ExecutionConfig {
    /// Maker fee fraction.
    pub fn maker_fee(&self) -> Decimal {
        self.maker_fees_percent.unwrap_or(self.fees_percent)
    }

    /// Taker fee fraction.
    pub fn taker_fee(&self) -> Decimal {
        self.taker_fees_percent.unwrap_or(self.fees_percent)
    }

    /// Response latency in ms.
    pub fn response_latency(&self) -> u64 {
        self.response_latency_ms.unwrap_or(self.latency_ms)
    }
}

/// When resting limit orders fill on trade prints.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitFillRule {
    /// A print at the limit price fills it (optimistic, like bar engines' `low <= limit`).
    #[default]
    Touch,
    /// Only a print strictly through the limit fills it (conservative: the queue ahead is unknown).
    TradeThrough,
}

/// Which exchange model fills orders (`executions[i].fill.model`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FillKind {
    /// Orders fill against later market data (next observation, resting limits, bar ranges).
    #[default]
    Simulated,
    /// barter 0.14's `MockExchange`: every accepted market order fills in full at its own request
    /// price on arrival (after latency), fees on notional, no market data consulted; other order
    /// kinds are rejected as barter rejects them. A barter user's lockstep PnL is reproduced
    /// exactly; balances keep real spot accounting (barter's mock never credits the base asset).
    BarterMock,
}

/// Fill model options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FillModel {
    /// The exchange model (default `simulated`).
    pub model: FillKind,
    /// Cap each fill at this fraction of the observed volume (trade amount, bar volume, or top-of-book
    /// amount); the rest fills on later observations (IOC/FOK: see their rules). None: no cap.
    pub volume_participation: Option<Decimal>,
    /// Trade-print rule for resting limit orders.
    pub limit_fill: LimitFillRule,
}

/// barter's unindexed `AccountSnapshot` in `initial_state`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialState {
    /// Must equal `mocked_exchange`.
    pub exchange: ExchangeId,
    /// Starting balances.
    pub balances: Vec<InitialBalance>,
    /// Starting orders per instrument.
    #[serde(default)]
    pub instruments: Vec<InitialInstrument>,
}

/// A starting balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialBalance {
    /// Asset name.
    pub asset: String,
    /// Amounts.
    pub balance: Balance,
    /// When.
    pub time_exchange: Timestamp,
}

/// Starting orders of one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialInstrument {
    /// Instrument by exchange symbol.
    pub instrument: String,
    /// Resting orders (limit or stop orders in the `Active(Open)` state).
    #[serde(default)]
    pub orders: Vec<InitialOrder>,
}

/// The key of a starting order, with names instead of indices (as barter writes it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialOrderKey {
    /// Exchange id.
    pub exchange: ExchangeId,
    /// Instrument symbol.
    pub instrument: String,
    /// Strategy.
    pub strategy: StrategyId,
    /// Client id.
    pub cid: ClientOrderId,
}

/// A starting order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialOrder {
    /// Key with names.
    pub key: InitialOrderKey,
    /// Side.
    pub side: Side,
    /// Limit price.
    pub price: Decimal,
    /// Quantity.
    pub quantity: Decimal,
    /// Limit; or, with a `trigger`, Market (a stop-market order) or Limit (stop-limit).
    pub kind: OrderKind,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Must be `{"Active": {"Open": {...}}}`.
    pub state: OrderState,
    /// Tidemark extension: the stop trigger of a resting stop order, armed from the start (as on
    /// an open request: a fixed price or a trailing offset trailing from `price`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<crate::order::Trigger>,
    /// Tidemark extension: exits placed once the order fills (as on an open request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bracket: Option<crate::order::Bracket>,
}

/// An initial order resolved to indices.
pub type IndexedInitialOrder = Order<OrderState>;
