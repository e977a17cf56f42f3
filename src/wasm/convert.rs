//! One serializer for every value crossing to JS: JSON-compatible (plain objects, `null`), so
//! results are `JSON.stringify`-safe and become Python dicts under Pyodide. Decimals stay strings.

use crate::error::EngineError;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Rust value → JS value.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsValue::from(e.to_string()))
}

/// A config given as an object or JSON text, validated.
pub fn config(v: JsValue) -> Result<crate::config::Config, EngineError> {
    match v.as_string() {
        Some(text) => crate::config::Config::from_json_str(&text),
        None => {
            let value: serde_json::Value = serde_wasm_bindgen::from_value(v).map_err(|e| EngineError::config(".", e.to_string()))?;
            crate::config::Config::from_value(value)
        }
    }
}

/// A config plus optional per-call `initialBalances` (an array of `BalanceSeed`s).
pub fn config_with_balances(config: JsValue, initial_balances: JsValue) -> Result<crate::config::Config, EngineError> {
    let c = self::config(config)?;
    if initial_balances.is_undefined() || initial_balances.is_null() {
        return Ok(c);
    }
    let seeds: Vec<crate::config::BalanceSeed> =
        serde_wasm_bindgen::from_value(initial_balances).map_err(|e| EngineError::argument("initialBalances", e.to_string()))?;
    c.with_initial_balances(&seeds)
}
