//! WebAssembly bindings: the only code that names wasm-bindgen. Thin wrappers over the core;
//! errors cross as `TidemarkError` (see `error.rs`), values through one serializer (`convert.rs`).

mod backtest;
mod convert;
mod error;
mod sweep;
mod system;

use wasm_bindgen::prelude::*;

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

/// The stable error codes, in order (for the JS and Python tables).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    crate::error::ErrorCode::ALL.iter().map(|c| c.as_str().to_string()).collect()
}
