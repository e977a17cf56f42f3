//! The indicator library for JS charts and analysis: one batch call per series (the whole column
//! crosses once each way), computed by the same streaming code JS strategies' declared indicators
//! run (`crate::indicator::spec`).

use super::error::to_js;
use crate::error::EngineError;
use crate::indicator::spec::{compute, Kind, KINDS};
use wasm_bindgen::prelude::*;

/// The indicator kinds (`sma`, `ema`, ...), for the JS table.
#[wasm_bindgen(js_name = indicatorKinds)]
pub fn indicator_kinds() -> Vec<String> {
    KINDS.iter().map(|k| k.to_string()).collect()
}

/// Indicator `kind` with `params` (JSON text: a period, or the object/array forms of
/// `Kind::parse`) over `values` (or, for `atr`, the `high`/`low`/`close` columns): every output
/// line after the other, NaN during warm-up. Throws INVALID_ARGUMENT naming `kind` for bad
/// parameters.
#[wasm_bindgen(js_name = indicatorBatch)]
pub fn indicator_batch(
    kind: &str,
    params: &str,
    values: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
) -> Result<Vec<f64>, JsValue> {
    let params: serde_json::Value =
        crate::json::from_str(params).map_err(|e| to_js(EngineError::argument(kind, e.to_string())))?;
    let kind = Kind::parse(kind, &params, kind).map_err(to_js)?;
    Ok(compute(kind, values, high, low, close))
}
