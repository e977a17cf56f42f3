//! Tidemark: a deterministic, single-threaded, event-driven trading engine that reads barter's
//! config and event formats. Pure Rust: no wall clock, no async runtime, no unseeded randomness.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// No panics on input in the core: errors are `EngineError`s. The few `expect`s that guard internal
// invariants say why they hold (`#[allow(..., reason = ...)]`); tests may unwrap. Enforced by
// `cargo clippy -- -D warnings` in scripts/test.sh.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod backtest;
pub mod config;
pub mod decimal;
pub mod engine;
pub mod error;
pub mod event;
pub mod exchange;
pub mod indicator;
pub mod instrument;
pub(crate) mod json;
pub mod loader;
pub mod order;
pub mod risk;
pub mod state;
pub mod statistic;
pub mod strategy;
pub(crate) mod tagged;
pub(crate) mod text;
pub mod time;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{EngineError, ErrorCode};

#[cfg(test)]
pub(crate) mod test_util {
    /// A decimal from text, for tests.
    pub fn d(s: &str) -> rust_decimal::Decimal {
        s.parse().unwrap()
    }

    /// A seeded pseudo-random sequence (a 64-bit LCG's high bits), for tests that need many
    /// varied inputs reproducibly.
    pub fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            state >> 33
        }
    }

    /// A spot instrument `BASEQUOTE` on exchange `ex`, for tests.
    /// One instrument's daily candles (open = high = low = close), one a millisecond apart.
    pub fn candles(closes: &[&str]) -> Vec<crate::event::EngineEvent> {
        use crate::event::{Candle, DataKind, EngineEvent, MarketEvent, StreamEvent};
        use crate::time::Timestamp;
        closes
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let (t, c) = (Timestamp(k as i64), d(c));
                EngineEvent::Market(StreamEvent::Item(MarketEvent {
                    time_exchange: t,
                    time_received: t,
                    exchange: crate::instrument::ExchangeId::parse("simulated").unwrap(),
                    instrument: crate::instrument::InstrumentIndex(0),
                    kind: DataKind::Candle(Candle {
                        close_time: t,
                        open: c,
                        high: c,
                        low: c,
                        close: c,
                        volume: rust_decimal::Decimal::ONE,
                        trade_count: 0,
                    }),
                }))
            })
            .collect()
    }

    pub fn spot(ex: &str, base: &str, quote: &str) -> crate::instrument::InstrumentConfig {
        serde_json::from_value(serde_json::json!({
            "exchange": ex, "name_exchange": format!("{}{}", base.to_uppercase(), quote.to_uppercase()),
            "underlying": {"base": base, "quote": quote}, "quote": "underlying_quote", "kind": "spot"
        }))
        .unwrap()
    }
}
