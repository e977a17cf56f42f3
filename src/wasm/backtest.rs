//! `Backtest`: an incremental backtest handle. Data is parsed once; `step(n)` processes the next
//! `n` events, so the JS driver can yield to the host between slices, report progress and stop.

use super::convert;
use super::error::to_js;
use super::log::LogSink;
use super::strategy::{HostStrategy, JsHooks};
use crate::backtest::{BacktestReport, Simulation};
use crate::config::{Config, SummaryInterval};
use crate::error::EngineError;
use crate::event::{EngineEvent, MarketEvent, StreamEvent};
use crate::loader::columns::{self, CandleColumns, TradeColumns};
use crate::loader::{parse_barter_json, CsvTarget, OhlcvCsv, TradesCsv};
use wasm_bindgen::prelude::*;

/// A backtest in progress.
#[wasm_bindgen]
pub struct Backtest {
    config: Config,
    /// The data, held as engine events so each tick borrows its event instead of copying it;
    /// emptied when the run finishes.
    events: Vec<EngineEvent>,
    total: usize,
    next: usize,
    simulation: Option<Simulation>,
    report: Option<BacktestReport>,
    strategy: HostStrategy,
    /// A strategy hook failed: the run cannot go on.
    halted: Option<EngineError>,
    logs: LogSink,
}

/// Where rows without an instrument column go: `instrument` (name or index), default the first.
fn csv_target(config: &Config, instrument: Option<String>) -> Result<CsvTarget, EngineError> {
    let index = match instrument {
        Some(name) => config
            .instruments
            .find_instrument(&name)
            .ok_or_else(|| EngineError::argument("instrument", format!("no instrument {name:?}")))?,
        None => crate::instrument::InstrumentIndex(0),
    };
    Ok(CsvTarget { instrument: index, exchange: config.instruments.instruments()[index.0].exchange_id })
}

pub(super) fn parse_data(
    config: &Config,
    data: &str,
    format: &str,
    instrument: Option<String>,
) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    let target = csv_target(config, instrument)?;
    match format {
        "barter-json" | "json" => parse_barter_json(data),
        "ohlcv-csv" | "csv" => OhlcvCsv::new(data.as_bytes(), target).collect(),
        "trades-csv" => TradesCsv::new(data.as_bytes(), target).collect(),
        other => Err(EngineError::argument(
            "format",
            format!("{other:?} is not barter-json, ohlcv-csv or trades-csv"),
        )),
    }
}

/// What every call after a strategy failure throws: the run cannot go on.
fn halted() -> EngineError {
    EngineError::Strategy {
        hook: "an earlier call".into(),
        message: "the strategy failed; the backtest cannot go on".into(),
    }
}

impl Backtest {
    fn with_events(config: Config, events: Vec<StreamEvent<MarketEvent>>) -> Backtest {
        let events: Vec<EngineEvent> = events.into_iter().map(EngineEvent::Market).collect();
        Backtest {
            config,
            total: events.len(),
            events,
            next: 0,
            simulation: None,
            report: None,
            strategy: HostStrategy::default(),
            halted: None,
            logs: LogSink::default(),
        }
    }

    /// The finished report and the interval to summarise it for.
    fn finished(&self, interval_name: Option<String>) -> Result<(&BacktestReport, SummaryInterval), JsValue> {
        let report = self.report.as_ref().ok_or_else(|| {
            to_js(EngineError::argument(
                "report",
                "the backtest has not finished: call step() until it returns true",
            ))
        })?;
        Ok((report, convert::interval(interval_name, &self.config).map_err(to_js)?))
    }
}

#[wasm_bindgen]
impl Backtest {
    /// Validates the config (object or JSON text) and parses the data (`format`: `barter-json`,
    /// `ohlcv-csv` or `trades-csv`; CSV rows go to `instrument`, default the first).
    /// `initialBalances` (optional) replaces the config's starting balances.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: JsValue,
        data: &str,
        format: &str,
        instrument: Option<String>,
        initial_balances: JsValue,
    ) -> Result<Backtest, JsValue> {
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let events = parse_data(&config, data, format, instrument).map_err(to_js)?;
        Ok(Backtest::with_events(config, events))
    }

    /// A backtest over the deterministic synthetic benchmark stream of `n` events (see
    /// `backtest::synthetic`), for measuring the engine in the host.
    pub fn synthetic(config: JsValue, n: usize) -> Result<Backtest, JsValue> {
        let config = convert::config(config).map_err(to_js)?;
        let exchange = config.instruments.exchanges()[0];
        let events =
            crate::backtest::synthetic::Synthetic::new(n, exchange, config.instruments.instruments().len())
                .collect::<Result<Vec<_>, _>>()
                .map_err(to_js)?;
        Ok(Backtest::with_events(config, events))
    }

    /// Number of market events.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> usize {
        self.total
    }

    /// Events processed so far.
    #[wasm_bindgen(getter)]
    pub fn processed(&self) -> usize {
        self.next
    }

    /// Trades with a JS strategy (the adapter `js/strategy.mjs` builds) instead of the config's.
    /// Only before the first step.
    #[wasm_bindgen(js_name = setStrategy)]
    pub fn set_strategy(&mut self, hooks: JsHooks) -> Result<(), JsValue> {
        self.strategy.set(hooks, self.simulation.is_some() || self.report.is_some())
    }

    /// Collects log records at `level` (`debug`, `info`, `warn`, `error`) or above; `off` stops.
    #[wasm_bindgen(js_name = setLogLevel)]
    pub fn set_log_level(&mut self, level: &str) -> Result<(), JsValue> {
        self.logs.set_level(level).map_err(to_js)
    }

    /// The log records collected since the last call.
    #[wasm_bindgen(js_name = takeLogs)]
    pub fn take_logs(&mut self) -> Result<JsValue, JsValue> {
        self.logs.take()
    }

    /// Bars as columns (one copy each): close times in ms since the epoch, open, high, low, close
    /// and optional volume, for `instrument` (default the first).
    #[wasm_bindgen(js_name = fromCandles)]
    #[allow(clippy::too_many_arguments)]
    pub fn from_candles(
        config: JsValue,
        instrument: Option<String>,
        time: Vec<f64>,
        open: Vec<f64>,
        high: Vec<f64>,
        low: Vec<f64>,
        close: Vec<f64>,
        volume: Option<Vec<f64>>,
        initial_balances: JsValue,
    ) -> Result<Backtest, JsValue> {
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let target = csv_target(&config, instrument).map_err(to_js)?;
        let cols = CandleColumns {
            time_ms: &time,
            open: &open,
            high: &high,
            low: &low,
            close: &close,
            volume: volume.as_deref(),
        };
        Ok(Backtest::with_events(config, columns::candles(target, &cols).map_err(to_js)?))
    }

    /// Trades as columns: times in ms since the epoch, prices, amounts and optional sides (+1 buy,
    /// -1 sell), for `instrument` (default the first).
    #[wasm_bindgen(js_name = fromTrades)]
    pub fn from_trades(
        config: JsValue,
        instrument: Option<String>,
        time: Vec<f64>,
        price: Vec<f64>,
        amount: Vec<f64>,
        side: Option<Vec<f64>>,
        initial_balances: JsValue,
    ) -> Result<Backtest, JsValue> {
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let target = csv_target(&config, instrument).map_err(to_js)?;
        let cols = TradeColumns { time_ms: &time, price: &price, amount: &amount, side: side.as_deref() };
        Ok(Backtest::with_events(config, columns::trades(target, &cols).map_err(to_js)?))
    }

    /// Processes up to `max` more events; returns true when all are done.
    pub fn step(&mut self, max: usize) -> Result<bool, JsValue> {
        if let Some(e) = &self.halted {
            return Err(to_js(e.clone()));
        }
        if self.report.is_some() {
            return Ok(true);
        }
        let sim = match self.simulation.as_mut() {
            Some(s) => s,
            None => {
                let start = self.events.iter().find_map(|e| match e {
                    EngineEvent::Market(StreamEvent::Item(m)) => Some(m.time_exchange),
                    _ => None,
                });
                self.simulation
                    .insert(self.strategy.simulation(&self.config, start.unwrap_or_default()).map_err(to_js)?)
            }
        };
        let logs = &mut self.logs;
        let (first, end) = (self.next, self.next.saturating_add(max).min(self.total));
        for (k, event) in self.events[first..end].iter().enumerate() {
            let i = first + k;
            sim.feed_event(event, &mut |t| logs.record(t))
                .map_err(|e| to_js(e.within(&format!("events[{i}]"))))?;
            self.next = i + 1;
            if let Some(error) = self.strategy.take_failure(|| format!("events[{i}]")) {
                self.halted = Some(halted());
                return Err(error);
            }
        }
        if self.next == self.total {
            let sim = self.simulation.take().expect("created above");
            let start = sim.engine().state().time_start;
            let report = sim.finish(start, &mut |t| logs.record(t)).map_err(to_js)?;
            // Hooks also run at the end (fills of the closing orders, closePositions).
            if let Some(error) = self.strategy.take_failure(|| "the end of the data".into()) {
                self.halted = Some(halted());
                return Err(error);
            }
            self.report = Some(report);
            self.events = Vec::new();
            return Ok(true);
        }
        Ok(false)
    }

    /// The finished report as JSON text (the same bytes the native build writes), for `interval`
    /// (`daily`, `annual252`, `annual365`; default: the config's).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self, interval_name: Option<String>) -> Result<String, JsValue> {
        let (report, iv) = self.finished(interval_name)?;
        serde_json::to_string_pretty(&report.to_json(iv))
            .map_err(|e| to_js(EngineError::internal(e.to_string())))
    }

    /// The finished summary as the text table (tear sheets and portfolio statistics).
    #[wasm_bindgen(js_name = reportTable)]
    pub fn report_table(&self, interval_name: Option<String>) -> Result<String, JsValue> {
        let (report, iv) = self.finished(interval_name)?;
        Ok(crate::statistic::table::render(&report.summary(iv)))
    }

    /// The finished run's portfolio statistics only (what sweeps rank by), or null without points.
    pub fn portfolio(&self) -> Result<JsValue, JsValue> {
        let (report, _) = self.finished(None)?;
        convert::to_js(&report.portfolio)
    }

    /// The finished report as a plain object.
    pub fn report(&self, interval_name: Option<String>) -> Result<JsValue, JsValue> {
        let (report, iv) = self.finished(interval_name)?;
        convert::to_js(&report.to_json(iv))
    }
}
