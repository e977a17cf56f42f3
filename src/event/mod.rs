//! Everything the engine consumes: market and account streams (with reconnect markers), commands,
//! trading state updates and shutdown, in barter's externally tagged JSON.

mod account;
mod book;
mod command;
pub mod exact;
mod market;

pub use account::*;
pub use book::BookState;
pub use command::*;
pub use market::*;

use crate::instrument::ExchangeId;
use serde::{Deserialize, Serialize};

/// A stream item or a reconnect marker (barter's `reconnect::Event`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "{T}StreamItem")]
pub enum StreamEvent<T> {
    /// The stream for this exchange disconnected and is reconnecting.
    Reconnecting(ExchangeId),
    /// An item.
    Item(T),
}

/// barter's unit `Shutdown` struct, so that JSON is `{"Shutdown": null}`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Shutdown;

/// Whether the strategy may trade. Commands, market and account events are processed either way.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub enum TradingState {
    /// Algorithmic orders are generated.
    Enabled,
    /// Algorithmic orders are not generated.
    #[default]
    Disabled,
}

/// An input to the engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum EngineEvent {
    /// Stop processing.
    Shutdown(Shutdown),
    /// An external command.
    Command(Command),
    /// Turn algorithmic trading on or off.
    TradingStateUpdate(TradingState),
    /// Account stream.
    Account(StreamEvent<AccountEvent>),
    /// Market stream.
    Market(StreamEvent<MarketEvent>),
}

impl From<MarketEvent> for EngineEvent {
    fn from(e: MarketEvent) -> Self {
        EngineEvent::Market(StreamEvent::Item(e))
    }
}

impl From<AccountEvent> for EngineEvent {
    fn from(e: AccountEvent) -> Self {
        EngineEvent::Account(StreamEvent::Item(e))
    }
}

impl From<Command> for EngineEvent {
    fn from(c: Command) -> Self {
        EngineEvent::Command(c)
    }
}

/// Every event shape the engine takes from outside, for the JSON Schema only: market stream items
/// (what backtests and `System.feed` read), account stream items (`feedAccount`), commands, and
/// bare market and account events.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EventInput {
    /// A market stream item: `{"Item": MarketEvent}` or `{"Reconnecting": exchange}`.
    Market(StreamEvent<MarketEvent>),
    /// An account stream item.
    Account(StreamEvent<AccountEvent>),
    /// A command.
    Command(Command),
    /// A bare market event (`System.feed` takes these too).
    MarketEvent(MarketEvent),
    /// A bare account event (`System.feedAccount` takes these too).
    AccountEvent(AccountEvent),
}

/// The JSON Schema (draft 2020-12) of market events, account events and commands, as the engine
/// decodes them (`schema/events.schema.json`; the TypeScript declarations are generated from it).
pub fn event_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(EventInput)).unwrap_or_default()
}
