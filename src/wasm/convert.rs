//! One serializer for every value crossing to JS: JSON (plain objects, `null`), so results are
//! `JSON.stringify`-safe and become Python dicts under Pyodide. Decimals stay strings.

use crate::error::EngineError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Rust value → JS value: its serde_json `Value`, as text, parsed by the host. The core already
/// builds its JSON output (reports, audit, summaries) as `Value`s, so crossing the same way adds
/// no serializer per type. A serializer straight to JS objects (serde-wasm-bindgen) was a second
/// one instantiated for every type crossing: about 135 KB of code before optimisation, 9.8 KB of
/// the gzipped browser build together with its decoder (see `stringify`).
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    let value = serde_json::to_value(v).map_err(|e| JsValue::from(e.to_string()))?;
    value_to_js(&value)
}

/// A JSON value → JS value.
pub fn value_to_js(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.to_string())
}

/// Text JS gave where a string is expected. Every exported function takes strings from JS as
/// `JsValue` and reads them here: wasm-bindgen's own `&str`/`String` glue writes whatever it is
/// given into wasm memory as if it were a string, and a number or object there traps the module.
pub fn string(v: &JsValue, name: &str) -> Result<String, EngineError> {
    v.as_string()
        .ok_or_else(|| EngineError::argument(name, format!("expected a string, got {}", type_name(v))))
}

/// Data text: a string, or its UTF-8 bytes (a `Uint8Array`: what the JS API passes, since copying
/// bytes into wasm is one memcpy while wasm-bindgen's string glue copies a string char by char).
pub fn text(v: &JsValue, name: &str) -> Result<String, EngineError> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if v.is_instance_of::<js_sys::Uint8Array>() {
        let bytes = js_sys::Uint8Array::unchecked_from_js_ref(v).to_vec();
        return String::from_utf8(bytes).map_err(|e| {
            EngineError::argument(
                name,
                format!("not UTF-8 text: invalid bytes at byte {}", e.utf8_error().valid_up_to()),
            )
        });
    }
    Err(EngineError::argument(name, format!("expected a string or UTF-8 bytes, got {}", type_name(v))))
}

/// As `string`, with `undefined` and `null` meaning "not given".
pub fn opt_string(v: &JsValue, name: &str) -> Result<Option<String>, EngineError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    string(v, name).map(Some)
}

/// A boolean option: `undefined`/`null` are false, anything but a boolean is refused.
pub fn opt_bool(v: &JsValue, name: &str) -> Result<bool, EngineError> {
    if v.is_undefined() || v.is_null() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| EngineError::argument(name, format!("expected true or false, got {}", type_name(v))))
}

/// What a JS value is, for messages (never its contents: it may be large or hostile).
fn type_name(v: &JsValue) -> &'static str {
    if v.is_undefined() {
        "undefined"
    } else if v.is_null() {
        "null"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else if v.as_f64().is_some() {
        "a number"
    } else if v.is_bigint() {
        "a bigint"
    } else if v.is_symbol() {
        "a symbol"
    } else if v.is_function() {
        "a function"
    } else if js_sys::Array::is_array(v) {
        "an array"
    } else {
        "an object"
    }
}

/// A config given as an object or JSON text, validated.
pub fn config(v: JsValue) -> Result<crate::config::Config, EngineError> {
    crate::config::Config::from_json_str(&json_text(v, "config")?)
}

/// A config given as an object or JSON text, as JSON text (not yet validated).
pub fn config_text(v: JsValue) -> Result<String, EngineError> {
    json_text(v, "config")
}

/// A config plus optional per-call `initialBalances` (an array of `BalanceSeed`s).
pub fn config_with_balances(
    config: JsValue,
    initial_balances: JsValue,
) -> Result<crate::config::Config, EngineError> {
    with_balances(self::config(config)?, initial_balances)
}

/// A validated config with optional per-call `initialBalances` applied.
pub fn with_balances(
    c: crate::config::Config,
    initial_balances: JsValue,
) -> Result<crate::config::Config, EngineError> {
    if initial_balances.is_undefined() || initial_balances.is_null() {
        return Ok(c);
    }
    // Through JSON text, as every value from JS: a decoder reading the JS object itself reads
    // only the fields a struct names (an unknown field passes unseen) and calls getters from
    // inside wasm (a throwing one unwinds through it); `JSON.stringify` runs behind a catch.
    if !js_sys::Array::is_array(&initial_balances) {
        return Err(EngineError::argument(
            "initialBalances",
            "expected an array of {exchange?, asset, total, free?}",
        ));
    }
    let raw: Vec<Box<serde_json::value::RawValue>> =
        crate::json::from_str(&json_text(initial_balances, "initialBalances")?)
            .map_err(|e| EngineError::argument("initialBalances", e.to_string()))?;
    let seeds = raw
        .iter()
        .enumerate()
        .map(|(i, r)| {
            crate::json::from_str::<crate::config::BalanceSeed>(r.get())
                .map_err(|e| EngineError::argument(format!("initialBalances[{i}]"), e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    c.with_initial_balances(&seeds)
}

fn json_text(v: JsValue, field: &str) -> Result<String, EngineError> {
    match v.as_string() {
        Some(t) => Ok(t),
        None => stringify(&v).map_err(|m| EngineError::argument(field, m)),
    }
}

/// A JS value → its JSON text, the way back of `to_js` (every value from JS is decoded by
/// serde_json). `JSON.stringify` runs behind a catch, so a cycle or a throwing getter is an error,
/// not an unwind through wasm; what has no JSON form (a function) gives empty text.
pub fn stringify(v: &JsValue) -> Result<String, &'static str> {
    js_sys::JSON::stringify(v)
        .map(|t| t.as_string().unwrap_or_default())
        .map_err(|_| "not JSON-serialisable (a cycle, a BigInt, too deep, or a getter that threw)")
}

/// A value given as JSON text or a JS value, decoded through JSON so errors carry line and column.
pub fn decode<T: DeserializeOwned>(v: JsValue, field: &str) -> Result<T, EngineError> {
    let text = json_text(v, field)?;
    crate::json::from_str(&text).map_err(|e| EngineError::Decode {
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
    name: &JsValue,
    config: &crate::config::Config,
) -> Result<crate::config::SummaryInterval, EngineError> {
    match opt_string(name, "interval")? {
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
    crate::json::from_str(text).map(Given::Stream).or_else(|_| {
        crate::json::from_str::<T>(text).map(Given::Bare).map_err(|e| EngineError::Decode {
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
