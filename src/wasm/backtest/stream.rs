//! Streamed data for `Backtest`: `Backtest.stream(...)`, then `push(bytes)` per chunk and
//! `finish()`. Each chunk is decoded (`loader::PushDecoder`) straight into the running simulation,
//! so neither the text nor an event vector of the whole data is held, and the event limit of
//! whole data (`MAX_EVENTS`) does not apply.

use super::{csv_target, halted, Backtest, TextData};
use crate::backtest::Feeder;
use crate::error::EngineError;
use crate::loader::{push::Emit, Format, LoadOptions, PushDecoder, SymbolMap};
use crate::wasm::convert;
use crate::wasm::error::to_js;
use wasm_bindgen::prelude::*;

/// The state of a streamed backtest.
pub(super) struct StreamInput {
    pub(super) decoder: PushDecoder,
    pub(super) feeder: Feeder,
}

impl Backtest {
    /// The format a JS `format` option names (None: detect).
    pub(super) fn format_named(name: Option<&str>) -> Result<Option<Format>, EngineError> {
        match name {
            None | Some("auto") => Ok(None),
            Some("barter-json" | "json") => Ok(Some(Format::BarterJson)),
            Some("ohlcv-csv" | "csv") => Ok(Some(Format::OhlcvCsv)),
            Some("trades-csv") => Ok(Some(Format::TradesCsv)),
            Some(other) => Err(EngineError::argument(
                "format",
                format!("{other:?} is not auto, barter-json, ohlcv-csv or trades-csv"),
            )),
        }
    }

    /// Runs `f` over the streamed input with a feeding callback, turning a strategy failure or an
    /// error into the halted state (a failed stream takes nothing more).
    fn streaming(
        &mut self,
        f: impl FnOnce(&mut PushDecoder, &mut Emit) -> Result<(), EngineError>,
    ) -> Result<(), JsValue> {
        if let Some(e) = &self.halted {
            return Err(to_js(e.clone()));
        }
        let Some(input) = self.input.as_mut() else {
            return Err(to_js(EngineError::argument(
                "data",
                "push and finish take the data of a backtest made by Backtest.stream; this one was given its data",
            )));
        };
        let (config, strategy, logs) = (&self.config, &self.strategy, &mut self.logs);
        let feeder = &mut input.feeder;
        let mut failure: Option<JsValue> = None;
        let mut make = |t| strategy.simulation(config, t);
        let r = f(&mut input.decoder, &mut |item| {
            feeder.feed(item, &mut make, &mut |t| logs.record(t))?;
            let n = feeder.fed();
            if let Some(e) = strategy.take_failure(|| format!("events[{}]", n.saturating_sub(1))) {
                failure = Some(e);
                return Err(halted());
            }
            Ok(())
        });
        if let Some(js) = failure {
            self.halted = Some(halted());
            return Err(js);
        }
        r.map_err(|e| {
            self.halted = Some(EngineError::argument(
                "data",
                format!("the stream failed earlier ({e}); the backtest cannot go on"),
            ));
            to_js(e)
        })
    }
}

#[wasm_bindgen]
impl Backtest {
    /// A backtest whose data arrives in chunks: `push(bytes)` as they come (split anywhere, even
    /// inside a UTF-8 character or a quoted field), then `finish()`. `format`, `instrument` and
    /// `initialBalances` as the constructor; `sort` is not taken here (ordering needs every row:
    /// the JS API reads a stream whole for `sort: true`).
    pub fn stream(
        config: JsValue,
        format: JsValue,
        instrument: JsValue,
        initial_balances: JsValue,
    ) -> Result<Backtest, JsValue> {
        let how = TextData::from_js(&format, &instrument, &JsValue::UNDEFINED).map_err(to_js)?;
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let target = csv_target(&config, how.instrument).map_err(to_js)?;
        let format = Backtest::format_named(how.format.as_deref()).map_err(to_js)?;
        let options =
            LoadOptions { sort: false, symbols: Some(SymbolMap::from_instruments(&config.instruments)) };
        let decoder = PushDecoder::new(format, target, options);
        let mut b = Backtest::with_events(config, Vec::new());
        b.input = Some(StreamInput { decoder, feeder: Feeder::default() });
        Ok(b)
    }

    /// Decodes and runs the next chunk of a streamed backtest's data (UTF-8 bytes).
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.streaming(|d, emit| d.push(bytes, emit))
    }

    /// Ends a streamed backtest's data and the run; the report is then ready.
    pub fn finish(&mut self) -> Result<(), JsValue> {
        if self.report.is_some() {
            return Ok(());
        }
        self.streaming(|d, emit| d.finish(emit))?;
        let Some(input) = self.input.take() else {
            return Err(to_js(EngineError::internal("a streamed backtest has no input")));
        };
        // Counters read after the end: every event was processed.
        self.next = input.feeder.fed();
        self.total = self.next;
        let (config, strategy, logs) = (&self.config, &self.strategy, &mut self.logs);
        let report = input
            .feeder
            .finish(&mut |t| strategy.simulation(config, t), &mut |t| logs.record(t))
            .map_err(to_js)?;
        if let Some(error) = self.strategy.take_failure(|| "the end of the data".into()) {
            self.halted = Some(halted());
            return Err(error);
        }
        self.report = Some(report);
        Ok(())
    }
}
