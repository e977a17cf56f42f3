//! What processing one event produced. An audit trail is a snapshot followed by one `AuditTick`
//! per processed event; applying the ticks to the snapshot rebuilds the live state exactly.

use crate::event::EngineEvent;
use crate::instrument::ExchangeId;
use crate::order::{OrderRequestCancel, OrderRequestOpen};
use crate::risk::RiskRefusal;
use crate::state::{EngineState, PositionExited, StreamKind, TradingState};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Why requests were sent.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Origin {
    /// The strategy's market/account hooks (risk-checked, gated by the trading state).
    Strategy,
    /// A `SendOpenRequests` / `SendCancelRequests` command.
    Command,
    /// A `ClosePositions` command.
    ClosePositions,
    /// A `CancelOrders` command.
    CancelOrders,
    /// The strategy's disconnect hook.
    OnDisconnect,
    /// The strategy's trading-disabled hook.
    OnTradingDisabled,
}

/// Requests sent to exchanges (recorded in flight).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentOrders {
    /// Why.
    pub origin: Origin,
    /// Opens.
    pub opens: Vec<OrderRequestOpen>,
    /// Cancels.
    pub cancels: Vec<OrderRequestCancel>,
}

/// A request the risk manager (or the engine's own checks) refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Refused<T> {
    /// The request.
    pub request: T,
    /// Why.
    pub reason: RiskRefusal,
}

/// Refused requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct RefusedOrders {
    /// Opens.
    pub opens: Vec<Refused<OrderRequestOpen>>,
    /// Cancels.
    pub cancels: Vec<Refused<OrderRequestCancel>>,
}

/// One consequence of processing an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Output {
    /// Requests went out.
    OrdersSent(SentOrders),
    /// Requests were refused.
    OrdersRefused(RefusedOrders),
    /// A position closed.
    PositionExited(PositionExited),
    /// Trading turned on or off (by an update event or the risk kill switch).
    TradingStateChanged {
        /// Before.
        previous: TradingState,
        /// After.
        current: TradingState,
        /// Why.
        reason: String,
    },
    /// A stream reported a disconnect.
    Disconnected {
        /// Exchange.
        exchange: ExchangeId,
        /// Which stream.
        stream: StreamKind,
    },
}

/// The record of one processed event. A tick handed to a sink borrows the event from whoever
/// holds it (a backtest's data, the caller of `feed`): copying every event into its tick was a
/// measurable share of the per-event cost, most of all in wasm. Keep one with `to_owned_tick`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditTick<'a> {
    /// 1 for the first event after the snapshot, then +1 per event.
    pub sequence: u64,
    /// Engine clock after the event.
    pub time: Timestamp,
    /// The event.
    pub event: Cow<'a, EngineEvent>,
    /// What it caused.
    pub outputs: Vec<Output>,
}

impl Output {
    /// Applies what the engine decided to `state` (sent requests, trading state changes): how
    /// the engine and a replica replaying its ticks change the state alike.
    pub fn apply(&self, state: &mut EngineState) {
        match self {
            Output::OrdersSent(sent) => state.record_sent(&sent.opens, &sent.cancels),
            Output::TradingStateChanged { current, .. } => state.trading = *current,
            Output::PositionExited(_) | Output::OrdersRefused(_) | Output::Disconnected { .. } => {}
        }
    }
}

impl AuditTick<'_> {
    /// A copy that owns its event (to keep beyond the sink call).
    pub fn to_owned_tick(&self) -> AuditTick<'static> {
        AuditTick {
            sequence: self.sequence,
            time: self.time,
            event: Cow::Owned(self.event.as_ref().clone()),
            outputs: self.outputs.clone(),
        }
    }

    /// Requests this tick sent, in order.
    pub fn sent(&self) -> impl Iterator<Item = &SentOrders> {
        self.outputs.iter().filter_map(|o| match o {
            Output::OrdersSent(s) => Some(s),
            _ => None,
        })
    }
}

/// The start of an audit trail: the state before any tick, at sequence 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditSnapshot {
    /// Sequence of the snapshot (ticks continue from it).
    pub sequence: u64,
    /// The state.
    pub state: EngineState,
}

/// Every record of an audit trail, for the JSON Schema only: the snapshot a trail starts with
/// (`System.snapshot()`) and the ticks that follow it.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum AuditRecord {
    /// The state at a sequence number.
    Snapshot(AuditSnapshot),
    /// One processed event.
    Tick(AuditTick<'static>),
}

/// The JSON Schema (draft 2020-12) of audit snapshots and ticks as the engine writes them
/// (`schema/audit.schema.json`; the TypeScript declarations are generated from it).
pub fn audit_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(AuditRecord)).unwrap_or_default()
}
