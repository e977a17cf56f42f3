//! Connection health per exchange and stream (barter: every side starts `Reconnecting`).

use serde::{Deserialize, Serialize};

/// Health of one stream.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Health {
    /// Events are flowing.
    Healthy,
    /// Disconnected; waiting for the stream to come back.
    Reconnecting,
}

/// Health of one exchange's two streams.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExchangeHealth {
    /// Public market data.
    pub market_data: Health,
    /// Private account stream.
    pub account: Health,
}

/// Health of every exchange; `global` is Healthy only when every stream is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Connectivity {
    /// Summary.
    pub global: Health,
    /// Per exchange index.
    pub exchanges: Vec<ExchangeHealth>,
}

/// Which stream of an exchange.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum StreamKind {
    /// Market data.
    Market,
    /// Account.
    Account,
}

impl Connectivity {
    /// All streams reconnecting.
    pub fn new(exchanges: usize) -> Self {
        Connectivity {
            global: Health::Reconnecting,
            exchanges: vec![
                ExchangeHealth {
                    market_data: Health::Reconnecting,
                    account: Health::Reconnecting
                };
                exchanges
            ],
        }
    }

    /// Sets one stream's health and recomputes `global`.
    pub fn set(&mut self, exchange: usize, stream: StreamKind, health: Health) {
        let Some(e) = self.exchanges.get_mut(exchange) else { return };
        let slot = match stream {
            StreamKind::Market => &mut e.market_data,
            StreamKind::Account => &mut e.account,
        };
        if *slot == health && (health == Health::Reconnecting || self.global == Health::Healthy) {
            return; // the hot path: nothing changes
        }
        *slot = health;
        let all =
            self.exchanges.iter().all(|e| e.market_data == Health::Healthy && e.account == Health::Healthy);
        self.global = if all { Health::Healthy } else { Health::Reconnecting };
    }
}
