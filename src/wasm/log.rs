//! Log records collected during engine calls and handed to the JS logger afterwards, so a logger
//! never runs inside the engine.

use super::convert;
use crate::engine::log::{records, Level, LogBatch};
use crate::engine::AuditTick;
use crate::error::EngineError;
use wasm_bindgen::JsValue;

/// Records at or above a level; off until a level is set. Records are coalesced per engine call
/// (see `LogBatch`): `take` ends the window.
#[derive(Default)]
pub struct LogSink {
    level: Option<Level>,
    records: LogBatch,
    /// Instrument names by index for messages; without them messages say `instrument N`.
    names: Vec<String>,
}

impl LogSink {
    /// A sink whose messages name instruments as the config does (`name_exchange`).
    pub fn with_names(config: &crate::config::Config) -> LogSink {
        let names = config.instruments.instruments().iter().map(|i| i.name_exchange.clone()).collect();
        LogSink { names, ..LogSink::default() }
    }

    /// `debug`, `info`, `warn`, `error`, or `off`.
    pub fn set_level(&mut self, name: &JsValue) -> Result<(), EngineError> {
        let name = convert::string(name, "logLevel")?;
        self.level = if name == "off" { None } else { Some(Level::from_name(&name)?) };
        Ok(())
    }

    /// Adds the records of a tick.
    pub fn record(&mut self, tick: &AuditTick) {
        if let Some(min) = self.level {
            records(tick, min, &self.names, &mut self.records);
        }
    }

    /// The records so far, as JS objects; empties the sink.
    pub fn take(&mut self) -> Result<JsValue, JsValue> {
        convert::to_js(&self.records.take())
    }
}
