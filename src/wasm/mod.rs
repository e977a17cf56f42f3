//! WebAssembly bindings: the only code that names wasm-bindgen. Thin wrappers over the core;
//! errors cross as `TidemarkError` (see `error.rs`), values through one serializer (`convert.rs`).

mod backtest;
mod convert;
mod dataset;
mod error;
mod indicator;
mod log;
mod strategy;
mod sweep;
mod system;

use wasm_bindgen::prelude::*;

/// The browser build's allocator (see the `talc` feature in Cargo.toml).
#[cfg(feature = "talc")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The package version (crate, npm package and Python wheel share it).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Validates a config (object or JSON text) and returns it normalised (indices, defaults, decimals
/// as strings). Throws `TidemarkError` with code `INVALID_CONFIG` and the JSON path.
#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config(config: JsValue) -> Result<JsValue, JsValue> {
    let c = convert::config(config).map_err(error::to_js)?;
    convert::to_js(&c)
}

/// The portfolio statistics where less is better (a sweep ranks them ascending).
#[wasm_bindgen(js_name = statisticsLowerIsBetter)]
pub fn statistics_lower_is_better() -> Vec<String> {
    crate::statistic::portfolio::PortfolioStats::LOWER_IS_BETTER.iter().map(|k| k.to_string()).collect()
}

/// The statistics a sweep can rank by without each run's equity curve (`stats: 'ranked'` rows
/// carry these; each equals the full statistics' field to the bit).
#[wasm_bindgen(js_name = rankedStatistics)]
pub fn ranked_statistics() -> Vec<String> {
    crate::statistic::ranked::RankedStats::NAMES.iter().map(|k| k.to_string()).collect()
}

/// The most combinations one sweep runs (the core's `MAX_COMBINATIONS`), for the JS API's own
/// grid check on JS-strategy sweeps and for users.
#[wasm_bindgen(js_name = maxSweepCombinations)]
pub fn max_sweep_combinations() -> usize {
    crate::backtest::MAX_COMBINATIONS
}

/// The stable error codes, in order (for the JS and Python tables).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    crate::error::ErrorCode::ALL.iter().map(|c| c.as_str().to_string()).collect()
}

/// Decodes an event or command (`kind`: `market`, `account` or `command`; a stream item or a bare
/// event) and returns it in canonical form: what the engine will see. Structure only; indices are
/// checked against a config when the event is fed. Throws DECODE naming line, column and kind.
#[wasm_bindgen(js_name = parseEvent)]
pub fn parse_event(kind: JsValue, value: JsValue) -> Result<JsValue, JsValue> {
    use crate::event::{AccountEvent, Command, MarketEvent};
    // The shape given comes back: a stream item as an item, a bare event bare.
    fn either<T: serde::de::DeserializeOwned + serde::Serialize>(
        value: JsValue,
        field: &str,
    ) -> Result<JsValue, JsValue> {
        match convert::decode_given::<T>(value, field).map_err(error::to_js)? {
            convert::Given::Stream(item) => convert::to_js(&item),
            convert::Given::Bare(e) => convert::to_js(&e),
        }
    }
    match convert::string(&kind, "kind").map_err(error::to_js)?.as_str() {
        "market" => either::<MarketEvent>(value, "market"),
        "account" => either::<AccountEvent>(value, "account"),
        "command" => convert::to_js(&convert::decode::<Command>(value, "command").map_err(error::to_js)?),
        other => Err(error::to_js(crate::error::EngineError::argument(
            "kind",
            format!("{other:?} is not market, account or command"),
        ))),
    }
}

/// The analytics helpers' names (`welford`, `sharpe`, ...), for the JS table.
#[wasm_bindgen(js_name = analyticsNames)]
pub fn analytics_names() -> Vec<String> {
    crate::statistic::analytics::NAMES.iter().map(|n| n.to_string()).collect()
}

/// Runs analytics helper `name` on plain numbers (see `statistic::analytics`): arguments as an
/// object or JSON text, decimals as strings or numbers; the result's decimals are strings.
#[wasm_bindgen]
pub fn analytics(name: JsValue, args: JsValue) -> Result<JsValue, JsValue> {
    let name = convert::string(&name, "name").map_err(error::to_js)?;
    let args: serde_json::Value = convert::decode(args, &name).map_err(error::to_js)?;
    convert::to_js(&crate::statistic::analytics::compute(&name, args).map_err(error::to_js)?)
}

/// Traps on purpose (a Rust panic is an `unreachable` trap with `panic = "abort"`), so tests can
/// check that the JS face poisons the instance. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = __trapForTests)]
#[allow(clippy::panic, reason = "the trap is the point: tests check the JS face poisons the instance")]
pub fn trap_for_tests() {
    panic!("trap requested by a test");
}

/// Lowers the most events one backtest or sweep holds (0 restores `MAX_EVENTS`), so tests reach
/// the limit without gigabytes of data. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = __setMaxEventsForTests)]
pub fn set_max_events_for_tests(n: usize) {
    backtest::set_event_limit(n);
}
