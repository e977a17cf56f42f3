//! One serializer for every value crossing to JS: JSON-compatible (plain objects, `null`), so
//! results are `JSON.stringify`-safe and become Python dicts under Pyodide. Decimals stay strings.

use crate::error::EngineError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Rust value → JS value.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsValue::from(e.to_string()))
}

/// A config given as an object or JSON text, validated.
pub fn config(v: JsValue) -> Result<crate::config::Config, EngineError> {
    crate::config::Config::from_json_str(&json_text(v, "config")?)
}

/// A config plus optional per-call `initialBalances` (an array of `BalanceSeed`s).
pub fn config_with_balances(
    config: JsValue,
    initial_balances: JsValue,
) -> Result<crate::config::Config, EngineError> {
    let c = self::config(config)?;
    if initial_balances.is_undefined() || initial_balances.is_null() {
        return Ok(c);
    }
    let seeds: Vec<crate::config::BalanceSeed> = serde_wasm_bindgen::from_value(initial_balances)
        .map_err(|e| EngineError::argument("initialBalances", e.to_string()))?;
    c.with_initial_balances(&seeds)
}

fn json_text(v: JsValue, field: &str) -> Result<String, EngineError> {
    match v.as_string() {
        Some(t) => Ok(t),
        None => Ok(js_sys::JSON::stringify(&v)
            .map_err(|_| EngineError::argument(field, "not JSON-serialisable"))?
            .as_string()
            .unwrap_or_default()),
    }
}

/// A value given as JSON text or a JS value, decoded through JSON so errors carry line and column.
pub fn decode<T: DeserializeOwned>(v: JsValue, field: &str) -> Result<T, EngineError> {
    let text = json_text(v, field)?;
    serde_json::from_str(&text).map_err(|e| EngineError::Decode {
        format: "json".into(),
        location: crate::error::Location {
            line: Some(e.line() as u64),
            column: Some(e.column() as u64),
            path: Some(field.into()),
        },
        message: e.to_string(),
    })
}

/// The summary interval named by a call (`daily`, `annual252`, `annual365`), else the config's.
pub fn interval(
    name: Option<String>,
    config: &crate::config::Config,
) -> Result<crate::config::SummaryInterval, EngineError> {
    match name {
        None => Ok(config.engine.summary_interval.clone()),
        Some(n) => crate::config::SummaryInterval::from_name(&n),
    }
}

/// What a host gave where a stream item is expected: an item, or a bare event.
pub enum Given<T> {
    /// `{"Item": ...}` or `{"Reconnecting": ...}`.
    Stream(crate::event::StreamEvent<T>),
    /// The event alone.
    Bare(T),
}

impl<T> Given<T> {
    /// As a stream item (a bare event is an item).
    pub fn into_item(self) -> crate::event::StreamEvent<T> {
        match self {
            Given::Stream(s) => s,
            Given::Bare(e) => crate::event::StreamEvent::Item(e),
        }
    }
}

fn given_from_str<T: DeserializeOwned>(text: &str, field: &str) -> Result<Given<T>, EngineError> {
    serde_json::from_str(text).map(Given::Stream).or_else(|_| {
        serde_json::from_str::<T>(text).map(Given::Bare).map_err(|e| EngineError::Decode {
            format: "json".into(),
            location: crate::error::Location {
                line: Some(e.line() as u64),
                column: Some(e.column() as u64),
                path: Some(field.into()),
            },
            message: e.to_string(),
        })
    })
}

/// A stream item or a bare event, keeping which it was.
pub fn decode_given<T: DeserializeOwned>(v: JsValue, field: &str) -> Result<Given<T>, EngineError> {
    given_from_str(&json_text(v, field)?, field)
}

/// One stream item or bare event.
pub fn decode_item<T: DeserializeOwned>(
    v: JsValue,
    field: &str,
) -> Result<crate::event::StreamEvent<T>, EngineError> {
    decode_given(v, field).map(Given::into_item)
}

/// An array of stream items or bare events; errors name the index (`market[3]`).
pub fn decode_items<T: DeserializeOwned>(
    v: JsValue,
    field: &str,
) -> Result<Vec<crate::event::StreamEvent<T>>, EngineError> {
    let raw: Vec<Box<serde_json::value::RawValue>> = decode(v, field)?;
    raw.iter()
        .enumerate()
        .map(|(i, r)| given_from_str(r.get(), &format!("{field}[{i}]")).map(Given::into_item))
        .collect()
}
