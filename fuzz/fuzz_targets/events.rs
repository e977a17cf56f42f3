//! Arbitrary bytes as barter's JSON event shapes (engine events, market, account, commands,
//! stream items): decoding returns Ok or Err, never panics; a decoded value re-encodes to JSON
//! that decodes to the same value; the engine validates it without a panic, a refused event
//! changes nothing, and an accepted one is processed (by the engine alone and by a simulation)
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use std::sync::OnceLock;
use tidemark::backtest::Simulation;
use tidemark::config::Config;
use tidemark::engine::Engine;
use tidemark::event::{AccountEvent, Command, EngineEvent, MarketEvent, StreamEvent};
use tidemark::time::Timestamp;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        Config::from_json_str(
            r#"{
            "instruments": [
                {"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"},
                {"exchange": "binance_spot", "name_exchange": "ETHBTC", "underlying": {"base": "eth", "quote": "btc"}, "quote": "underlying_quote", "kind": "spot"}
            ],
            "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 0, "fees_percent": "0.001",
                "initial_state": {"exchange": "binance_spot", "balances": [
                    {"asset": "usdt", "balance": {"total": "10000", "free": "9000"}, "time_exchange": "2023-01-01T00:00:00Z"},
                    {"asset": "btc", "balance": {"total": "1", "free": "1"}, "time_exchange": "2023-01-01T00:00:00Z"}
                ], "instruments": []}}],
            "risk": {"max_order_notional": "5000", "max_open_orders_per_instrument": 4, "max_drawdown": "0.5"},
            "strategy": {"type": "market_maker", "spread_bps": 20, "quantity": "0.1", "max_inventory": "0.5"}
        }"#,
        )
        .expect("fuzz config")
    })
}

fn start() -> Timestamp {
    Timestamp::from_millis(1_700_000_000_000)
}

/// Decodes `text` as `T`; a decoded value must survive a JSON round trip unchanged.
fn decode<T: DeserializeOwned + Serialize + PartialEq + Debug>(text: &str) -> Option<T> {
    let value: T = serde_json::from_str(text).ok()?;
    let json = serde_json::to_string(&value).expect("a decoded event encodes");
    let again: T = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("re-encoded event does not decode: {e}\n{json}"));
    assert_eq!(value, again, "JSON round trip changed the event: {json}");
    Some(value)
}

/// The engine validates the event; refused, the state is unchanged; accepted, it is processed.
fn check(event: EngineEvent) {
    let mut engine = Engine::from_config(config(), start());
    let before = serde_json::to_string(&engine.snapshot()).unwrap();
    match engine.validate(&event) {
        Err(_) => {
            assert!(engine.process(event.clone()).is_err(), "process accepted what validate refused");
            assert_eq!(before, serde_json::to_string(&engine.snapshot()).unwrap());
        }
        Ok(()) => {
            engine.process(event.clone()).expect("process refused what validate accepted");
        }
    }
    // The same event through a simulation (market items are fed, the rest is control).
    let mut sim = Simulation::new(config(), start()).unwrap();
    let result = match &event {
        EngineEvent::Market(m) => sim.feed(m.clone(), &mut |_| {}),
        other => sim.control(other.clone(), &mut |_| {}),
    };
    // (Control starts the simulation, delivering the account snapshot, before it validates.)
    if result.is_err() && matches!(event, EngineEvent::Market(_)) {
        assert_eq!(
            before,
            serde_json::to_string(&sim.snapshot()).unwrap(),
            "a refused event changed the state"
        );
    }
    let _ = sim.finish(start(), &mut |_| {});
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(e) = decode::<EngineEvent>(text) {
        check(e);
    }
    if let Some(m) = decode::<MarketEvent>(text) {
        check(EngineEvent::from(m));
    }
    if let Some(a) = decode::<AccountEvent>(text) {
        check(EngineEvent::from(a));
    }
    if let Some(c) = decode::<Command>(text) {
        check(EngineEvent::from(c));
    }
    if let Some(s) = decode::<StreamEvent<MarketEvent>>(text) {
        check(EngineEvent::Market(s));
    }
    let _ = decode::<StreamEvent<AccountEvent>>(text);
    // barter's recorded stream item forms.
    let _ = tidemark::loader::parse_barter_json(text);
});
