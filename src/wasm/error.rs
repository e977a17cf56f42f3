//! The one conversion of core errors into JS: a real `Error` named `TidemarkError` with `code`,
//! `recoverable` and `details` (the structured fields), so callers switch on `err.code`.

use crate::error::EngineError;
use wasm_bindgen::JsValue;

/// Builds the JS error for a core error.
pub fn to_js(e: EngineError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("TidemarkError");
    let obj: &JsValue = err.as_ref();
    let details = super::convert::to_js(&e).unwrap_or(JsValue::NULL);
    // Reflect::set on a fresh Error object cannot fail; ignore the Result deliberately.
    let _ = js_sys::Reflect::set(obj, &"code".into(), &e.code().as_str().into());
    let _ = js_sys::Reflect::set(obj, &"recoverable".into(), &e.is_recoverable().into());
    let _ = js_sys::Reflect::set(obj, &"details".into(), &details);
    err.into()
}
