//! `Dataset`: market data decoded once and shared by every backtest and sweep given it, as a
//! DataFrame is in backtesting.py: loading the S&P 500 CSV is half of a single run's time, and a
//! notebook runs many strategies over the same bars.

use super::backtest::{check_event_count, csv_target, TextInput};
use super::convert;
use super::error::to_js;
use crate::backtest::CheckedEvents;
use crate::config::Config;
use crate::error::EngineError;
use crate::event::{EngineEvent, MarketEvent, StreamEvent};
use crate::instrument::Instruments;
use crate::loader::columns::{self, CandleColumns, TradeColumns};
use wasm_bindgen::prelude::*;

/// Decoded market data, tied to the instruments of the config it was loaded with (its events
/// name instruments and exchanges by their index there).
#[wasm_bindgen]
pub struct Dataset {
    instruments: Instruments,
    events: CheckedEvents,
}

impl Dataset {
    /// The events' values are checked here once, so runs over them skip that check.
    fn with(config: Config, events: Vec<EngineEvent>) -> Result<Dataset, EngineError> {
        Ok(Dataset { instruments: config.instruments, events: CheckedEvents::new(events)? })
    }

    /// Column data's events for `instrument` (name or index; default the first), checked against
    /// the event limit first.
    fn columns(
        config: Config,
        instrument: &JsValue,
        n: usize,
        decode: impl FnOnce(crate::loader::CsvTarget) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError>,
    ) -> Result<Dataset, JsValue> {
        let target = convert::opt_string(instrument, "instrument").and_then(|i| csv_target(&config, i));
        let events = target.and_then(|t| check_event_count(n).and_then(|()| decode(t))).map_err(to_js)?;
        Dataset::with(config, events.into_iter().map(EngineEvent::Market).collect()).map_err(to_js)
    }

    /// The events (their values checked), for a run under `config`: refused (INVALID_ARGUMENT
    /// naming `data`) when the config indexes its instruments differently from the one the data
    /// was loaded with, since every event would then name the wrong instrument.
    pub(super) fn events_for(&self, config: &Config) -> Result<CheckedEvents, EngineError> {
        if config.instruments != self.instruments {
            let names = |i: &Instruments| {
                i.instruments().iter().map(|x| x.name_internal.clone()).collect::<Vec<_>>().join(", ")
            };
            return Err(EngineError::argument(
                "data",
                format!(
                    "the dataset was loaded for the instruments [{}] and this config has [{}]: load the data \
                     again with this config",
                    names(&self.instruments),
                    names(&config.instruments)
                ),
            ));
        }
        Ok(self.events.clone())
    }
}

#[wasm_bindgen]
impl Dataset {
    /// Decodes `data` (barter JSON, OHLCV or trades CSV text or its UTF-8 bytes; `format`,
    /// `instrument` and `sort` as `Backtest`) for the instruments of `config`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: JsValue,
        data: JsValue,
        format: JsValue,
        instrument: JsValue,
        sort: JsValue,
    ) -> Result<Dataset, JsValue> {
        let input = TextInput::from_js(&data, &format, &instrument, &sort).map_err(to_js)?;
        let config = convert::config(config).map_err(to_js)?;
        let events = input.events(&config).map_err(to_js)?;
        Dataset::with(config, events).map_err(to_js)
    }

    /// Bars as columns (one copy each): close times in ms since the epoch, open, high, low, close
    /// and optional volume, for `instrument` (default the first).
    #[wasm_bindgen(js_name = fromCandles)]
    #[allow(clippy::too_many_arguments)]
    pub fn from_candles(
        config: JsValue,
        instrument: JsValue,
        time: Vec<f64>,
        open: Vec<f64>,
        high: Vec<f64>,
        low: Vec<f64>,
        close: Vec<f64>,
        volume: Option<Vec<f64>>,
    ) -> Result<Dataset, JsValue> {
        let config = convert::config(config).map_err(to_js)?;
        let volume = volume.as_deref();
        let cols =
            CandleColumns { time_ms: &time, open: &open, high: &high, low: &low, close: &close, volume };
        Dataset::columns(config, &instrument, time.len(), |t| columns::candles(t, &cols))
    }

    /// Trades as columns: times in ms since the epoch, prices, amounts and optional sides (+1 buy,
    /// -1 sell), for `instrument` (default the first).
    #[wasm_bindgen(js_name = fromTrades)]
    pub fn from_trades(
        config: JsValue,
        instrument: JsValue,
        time: Vec<f64>,
        price: Vec<f64>,
        amount: Vec<f64>,
        side: Option<Vec<f64>>,
    ) -> Result<Dataset, JsValue> {
        let config = convert::config(config).map_err(to_js)?;
        let cols = TradeColumns { time_ms: &time, price: &price, amount: &amount, side: side.as_deref() };
        Dataset::columns(config, &instrument, time.len(), |t| columns::trades(t, &cols))
    }

    /// Market events in the data (what one run processes).
    #[wasm_bindgen(getter)]
    pub fn events(&self) -> usize {
        self.events.len()
    }
}
