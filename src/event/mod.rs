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
use crate::state::TradingState;
use serde::{Deserialize, Serialize};

/// A stream item or a reconnect marker (barter's `reconnect::Event`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StreamEvent<T> {
    /// The stream for this exchange disconnected and is reconnecting.
    Reconnecting(ExchangeId),
    /// An item.
    Item(T),
}

/// barter's unit `Shutdown` struct, so that JSON is `{"Shutdown": null}`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shutdown;

/// An input to the engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
