//! Orders, requests and their states, in barter's shapes. Client order ids are deterministic
//! sequences handed out by the engine, never random.

mod error;
mod trigger;

pub use error::{ApiError, ConnectivityError, OrderError, RiskRefusal};
pub use trigger::{Bracket, ExitKind, ExitOf, Trailing, Trigger};

use crate::instrument::{ExchangeIndex, InstrumentIndex};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Buy or sell. Accepts barter's spellings (`Buy`, `buy`, `BUY`, `b`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Side {
    /// Buy.
    #[serde(alias = "buy", alias = "BUY", alias = "b")]
    Buy,
    /// Sell.
    #[serde(alias = "sell", alias = "SELL", alias = "s")]
    Sell,
}

impl Side {
    /// The other side.
    pub fn opposite(self) -> Side {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }

    /// +1 for buy, -1 for sell.
    pub fn sign(self) -> Decimal {
        match self {
            Side::Buy => Decimal::ONE,
            Side::Sell => Decimal::NEGATIVE_ONE,
        }
    }
}

/// Market or limit.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OrderKind {
    /// Fill at the next observed market price.
    Market,
    /// Fill at the limit price or better.
    Limit,
}

/// Time in force, as barter's.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TimeInForce {
    /// Rests until filled or cancelled; `post_only` refuses to take liquidity.
    GoodUntilCancelled {
        /// Refuse to cross the market.
        post_only: bool,
    },
    /// Rests until the end of the UTC day it reached the exchange.
    GoodUntilEndOfDay,
    /// Fill completely at the first observation or not at all.
    FillOrKill,
    /// Fill what is possible at the first observation; the rest expires.
    ImmediateOrCancel,
}

// The three ids (strategy, client order, exchange order) are shared text: every order snapshot,
// request and audit tick carries a copy, so a copy is a reference count, not an allocation.

/// Identifies a strategy (`"default"`, `"sma_cross"`, ...).
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct StrategyId(pub std::sync::Arc<str>);

/// A client order id.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct ClientOrderId(pub std::sync::Arc<str>);

impl ClientOrderId {
    /// The id `parts` make joined: the engine's `strategy-7`, an exit's `strategy-7/sl`. Joined
    /// on the stack when short, so the id costs one allocation (its `Arc`), not two and a copy
    /// (a joined `String` first): a bracketed entry makes three. The browser's build (feature
    /// `small`) joins on the heap, for size.
    pub fn joined(parts: &[&str]) -> ClientOrderId {
        if cfg!(feature = "small") {
            return ClientOrderId(parts.concat().into());
        }
        let mut buf = [0u8; 64];
        let mut len = 0;
        for p in parts {
            let Some(slot) = buf.get_mut(len..len + p.len()) else {
                return ClientOrderId(parts.concat().into());
            };
            slot.copy_from_slice(p.as_bytes());
            len += p.len();
        }
        // Whole `str`s joined are UTF-8: the check cannot fail.
        match std::str::from_utf8(&buf[..len]) {
            Ok(id) => ClientOrderId(id.into()),
            Err(_) => ClientOrderId(parts.concat().into()),
        }
    }
}

/// An exchange-assigned order id.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct OrderId(pub std::sync::Arc<str>);

/// An exchange-assigned trade (fill) id.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct TradeId(pub String);

/// Identifies an order across its life.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderKey {
    /// Exchange index.
    pub exchange: ExchangeIndex,
    /// Instrument index.
    pub instrument: InstrumentIndex,
    /// Owner strategy.
    pub strategy: StrategyId,
    /// Client order id.
    pub cid: ClientOrderId,
}

/// The body of an open request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestOpen {
    /// Side.
    pub side: Side,
    /// Limit price; for market orders the reference price the strategy saw (used by risk checks).
    pub price: Decimal,
    /// Quantity in base units (positive).
    pub quantity: Decimal,
    /// Market or limit.
    pub kind: OrderKind,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Tidemark extension: let the exchange size a market buy at fill time (see `FillSizing`).
    /// `quantity` is then the estimate risk checks use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizing: Option<FillSizing>,
    // The optional parts are shared (`Arc`): an order is copied into every event about it, and a
    // copy is then a count, not an allocation (a bracketed entry's exits are copied ~7 times).
    /// Tidemark extension: a stop trigger. With it a `Market` order is a stop-market order and a
    /// `Limit` order a stop-limit order (`price` is then the limit); for a trailing stop-market
    /// order `price` is the reference the trailing starts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Arc<Trigger>>,
    /// Tidemark extension: exits placed once this entry fills (one-cancels-other).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bracket: Option<Arc<Bracket>>,
}

/// Size decided by the exchange when a market buy fills, like a venue's "quote order quantity":
/// spend `fraction` of the free quote balance, fees included, rounded down to `increment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FillSizing {
    /// Share of the free quote balance to spend, in (0, 1].
    pub fraction: Decimal,
    /// Quantity step to round down to (1 for whole units); none keeps full precision.
    #[serde(default)]
    pub increment: Option<Decimal>,
}

/// The body of a cancel request: the exchange order id if known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestCancel {
    /// Exchange order id, when the order is known to be open.
    pub id: Option<OrderId>,
}

/// barter's `OrderEvent<State>`: a key and a state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "OrderEvent{S}")]
pub struct OrderEvent<S> {
    /// Which order.
    pub key: OrderKey,
    /// What.
    pub state: S,
}

/// A request to open an order.
pub type OrderRequestOpen = OrderEvent<RequestOpen>;
/// A request to cancel an order.
pub type OrderRequestCancel = OrderEvent<RequestCancel>;
/// The exchange's answer to a cancel.
pub type OrderResponseCancel = OrderEvent<Result<Cancelled, OrderError>>;

/// A request travelling from the engine to an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExecutionRequest {
    /// Open an order.
    Open(OrderRequestOpen),
    /// Cancel an order.
    Cancel(OrderRequestCancel),
}

/// An order with a state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Order{S}")]
pub struct Order<S> {
    /// Which order.
    pub key: OrderKey,
    /// Side.
    pub side: Side,
    /// Limit (or reference) price.
    pub price: Decimal,
    /// Total quantity.
    pub quantity: Decimal,
    /// Market or limit.
    pub kind: OrderKind,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// The stop trigger while it is armed (none once triggered, or for plain orders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Arc<Trigger>>,
    /// The exits this entry places once it fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bracket: Option<Arc<Bracket>>,
    /// Set on the exits the exchange placed for a bracketed entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_of: Option<Arc<ExitOf>>,
    /// Where it is in its life.
    pub state: S,
}

impl<S> Order<S> {
    /// The same order with another state.
    pub fn with_state<T>(&self, state: T) -> Order<T> {
        Order {
            key: self.key.clone(),
            side: self.side,
            price: self.price,
            quantity: self.quantity,
            kind: self.kind,
            time_in_force: self.time_in_force,
            trigger: self.trigger.clone(),
            bracket: self.bracket.clone(),
            exit_of: self.exit_of.clone(),
            state,
        }
    }
}

/// An order resting on the exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// Exchange order id.
    pub id: OrderId,
    /// When the exchange last changed it.
    pub time_exchange: Timestamp,
    /// How much has filled.
    pub filled_quantity: Decimal,
}

/// A confirmed cancel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cancelled {
    /// Exchange order id.
    pub id: OrderId,
    /// When.
    pub time_exchange: Timestamp,
}

/// States of a live order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ActiveOrderState {
    /// Sent, not yet acknowledged.
    OpenInFlight,
    /// Resting on the exchange.
    Open(Open),
    /// Cancel sent, not yet answered; holds the last known open state.
    CancelInFlight {
        /// The last known open state.
        order: Option<Open>,
    },
}

/// States of a finished order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum InactiveOrderState {
    /// Cancelled.
    Cancelled(Cancelled),
    /// Completely filled.
    FullyFilled,
    /// Refused.
    OpenFailed(OrderError),
    /// Ran out of time (IOC remainder, end of day).
    Expired,
}

/// Any order state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OrderState {
    /// Live.
    Active(ActiveOrderState),
    /// Finished.
    Inactive(InactiveOrderState),
}

impl ActiveOrderState {
    /// The open state held, if any.
    pub fn open(&self) -> Option<&Open> {
        match self {
            ActiveOrderState::Open(o) => Some(o),
            ActiveOrderState::CancelInFlight { order } => order.as_ref(),
            ActiveOrderState::OpenInFlight => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_ids_are_their_parts_concatenated() {
        // Around the 64-byte stack buffer, and past it.
        let (a63, a64, x70) = ("a".repeat(63), "a".repeat(64), "x".repeat(70));
        let cases: [&[&str]; 8] = [
            &["s", "-", "7"],
            &["strategy", "-", "12", "/", "sl"],
            &[],
            &[""],
            &["é", "-", "ü"],
            &[&a63, "b"],
            &[&a64, "b"],
            &[&x70, "-", "1"],
        ];
        for parts in cases {
            assert_eq!(&*ClientOrderId::joined(parts).0, parts.concat(), "{parts:?}");
        }
    }
}
