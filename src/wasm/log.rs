//! Log records collected during engine calls and handed to the JS logger afterwards, so a logger
//! never runs inside the engine.

use super::convert;
use crate::engine::log::{records, Level, LogRecord};
use crate::engine::AuditTick;
use crate::error::EngineError;
use wasm_bindgen::JsValue;

/// Records at or above a level; off until a level is set.
#[derive(Default)]
pub struct LogSink {
    level: Option<Level>,
    records: Vec<LogRecord>,
}

impl LogSink {
    /// `debug`, `info`, `warn`, `error`, or `off`.
    pub fn set_level(&mut self, name: &JsValue) -> Result<(), EngineError> {
        let name = convert::string(name, "logLevel")?;
        self.level = if name == "off" { None } else { Some(Level::from_name(&name)?) };
        Ok(())
    }

    /// Adds the records of a tick.
    pub fn record(&mut self, tick: &AuditTick) {
        if let Some(min) = self.level {
            records(tick, min, &mut self.records);
        }
    }

    /// The records so far, as JS objects; empties the sink.
    pub fn take(&mut self) -> Result<JsValue, JsValue> {
        let out = convert::to_js(&self.records);
        self.records.clear();
        out
    }
}
