//! `System`: a live (or paper) trading system. Market events, account events from a real venue,
//! commands and trading-state changes are fed one at a time or in batches; each call returns the
//! audit ticks it produced. Simulated exchanges from the config fill orders (paper trading);
//! `shutdownWithSummary` ends it with the same summary a backtest of the same events gives.

use super::convert::{self, decode};
use super::error::to_js;
use super::log::LogSink;
use super::strategy::{HostStrategy, JsHooks};
use crate::backtest::{BacktestReport, Simulation};
use crate::config::Config;
use crate::engine::AuditTick;
use crate::error::EngineError;
use crate::event::{AccountEvent, Command, EngineEvent, MarketEvent, StreamEvent};
use crate::state::TradingState;
use serde::Deserialize;
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;

/// barter's recorded market streams wrap each item's event in a `Result`:
/// `{"Item":{"Ok":{...}}}` (backtests read them so; a live feed replaying one must too).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
enum OkItem {
    Item(OkEvent),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
enum OkEvent {
    Ok(MarketEvent),
}

/// True for `{"Item":{"Ok"...` (an `Err` is refused as the backtest loader refuses it: the
/// `Ok`-only decoding names it).
fn result_wrapped(text: &str) -> bool {
    let mut t = text;
    for part in ["{", "\"Item\"", ":", "{"] {
        match t.trim_start().strip_prefix(part) {
            Some(rest) => t = rest,
            None => return false,
        }
    }
    let t = t.trim_start();
    t.starts_with("\"Ok\"") || t.starts_with("\"Err\"")
}

/// One market item from JSON text: a `Result`-wrapped barter item, else what
/// `convert::decode_item` takes (whose errors, with line and column, are kept).
fn market_item(text: &str, field: &str) -> Result<StreamEvent<MarketEvent>, EngineError> {
    if result_wrapped(text) {
        let OkItem::Item(OkEvent::Ok(e)) = convert::decode(JsValue::from_str(text), field)?;
        return Ok(StreamEvent::Item(e));
    }
    convert::decode_item(JsValue::from_str(text), field)
}

/// Market items as `convert::decode_items` reads them, plus barter's `Result`-wrapped ones.
/// The plain decoding goes first (the common case, one pass); only when it fails are the items
/// looked at one by one.
fn market_items(v: JsValue, field: &str) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    let first = match convert::decode_items(v.clone(), field) {
        Ok(items) => return Ok(items),
        Err(e) => e,
    };
    let Ok(raw) = convert::decode::<Vec<Box<RawValue>>>(v, field) else { return Err(first) };
    if !raw.iter().any(|r| result_wrapped(r.get())) {
        return Err(first);
    }
    raw.iter().enumerate().map(|(i, r)| market_item(r.get(), &format!("{field}[{i}]"))).collect()
}

/// A running system.
#[wasm_bindgen]
pub struct System {
    config: Config,
    time_start: Option<crate::time::Timestamp>,
    simulation: Option<Simulation>,
    report: Option<BacktestReport>,
    strategy: HostStrategy,
    logs: LogSink,
    /// The ticks of the shutdown (closing orders' fills, the shutdown itself), for the audit
    /// stream: `shutdownWithSummary` returns the report, so they are fetched separately.
    shutdown_ticks: Vec<AuditTick<'static>>,
}

impl System {
    /// The simulation, created on first use: its clock starts at `timeStart`, else at the first
    /// market event's time (as a backtest of the same events does), else at the epoch.
    fn sim(&mut self, first: Option<crate::time::Timestamp>) -> Result<&mut Simulation, EngineError> {
        if self.report.is_some() {
            return Err(EngineError::EngineShutdown);
        }
        match &mut self.simulation {
            Some(sim) => Ok(sim),
            slot => {
                let start = self.time_start.or(first).unwrap_or_default();
                Ok(slot.insert(self.strategy.simulation(&self.config, start)?))
            }
        }
    }

    /// Runs `f` on the simulation and returns the ticks it produced. `f` returns where it stopped
    /// (the input a failed strategy hook is charged to). On an error the ticks of the inputs
    /// applied before it ride on the error as `ticks`, so no audit record is lost.
    fn run(
        &mut self,
        first: Option<crate::time::Timestamp>,
        f: impl FnOnce(&mut Simulation, &HostStrategy, &mut dyn FnMut(&AuditTick)) -> Result<String, EngineError>,
    ) -> Result<JsValue, JsValue> {
        let mut ticks: Vec<AuditTick<'static>> = Vec::new();
        let host = self.strategy.clone();
        let sim = self.sim(first).map_err(to_js)?;
        let error = match f(sim, &host, &mut |t| ticks.push(t.to_owned_tick())) {
            Ok(where_) => host.take_failure(|| where_),
            Err(e) => Some(to_js(e)),
        };
        for t in &ticks {
            self.logs.record(t);
        }
        let ticks = convert::to_js(&ticks)?;
        match error {
            None => Ok(ticks),
            Some(e) => {
                let _ = js_sys::Reflect::set(&e, &"ticks".into(), &ticks);
                Err(e)
            }
        }
    }
}

#[wasm_bindgen]
impl System {
    /// Starts a system from a config (object or JSON text); `timeStart` (RFC 3339) fixes the
    /// engine's start, else the first market event sets it; `initialBalances` replaces the
    /// config's starting balances.
    pub fn start(config: JsValue, time_start: JsValue, initial_balances: JsValue) -> Result<System, JsValue> {
        let time_start = convert::opt_string(&time_start, "timeStart").map_err(to_js)?;
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let time_start = match time_start {
            Some(t) => Some(
                crate::time::Timestamp::parse_rfc3339(&t)
                    .map_err(|m| to_js(EngineError::argument("timeStart", m)))?,
            ),
            None => None,
        };
        let logs = LogSink::with_names(&config);
        Ok(System {
            config,
            time_start,
            simulation: None,
            report: None,
            strategy: HostStrategy::default(),
            logs,
            shutdown_ticks: Vec::new(),
        })
    }

    /// Collects log records at `level` (`debug`, `info`, `warn`, `error`) or above; `off` stops.
    #[wasm_bindgen(js_name = setLogLevel)]
    pub fn set_log_level(&mut self, level: JsValue) -> Result<(), JsValue> {
        self.logs.set_level(&level).map_err(to_js)
    }

    /// The log records collected since the last call.
    #[wasm_bindgen(js_name = takeLogs)]
    pub fn take_logs(&mut self) -> Result<JsValue, JsValue> {
        self.logs.take()
    }

    /// Trades with a JS strategy (the adapter `js/strategy.mjs` builds) instead of the config's.
    /// Only before the first event.
    #[wasm_bindgen(js_name = setStrategy)]
    pub fn set_strategy(&mut self, hooks: JsHooks) -> Result<(), JsValue> {
        self.strategy.set(hooks, self.simulation.is_some() || self.report.is_some())
    }

    /// Feeds one market stream item (`{"Item": {...}}`, barter's recorded `{"Item": {"Ok": {...}}}`,
    /// `{"Reconnecting": "binance_spot"}`, or a bare market event); returns the audit ticks.
    #[wasm_bindgen(js_name = feedMarket)]
    pub fn feed_market(&mut self, item: JsValue) -> Result<JsValue, JsValue> {
        let item = match convert::decode_item(item.clone(), "market") {
            Ok(item) => item,
            Err(e) => match item.as_string().or_else(|| js_sys::JSON::stringify(&item).ok()?.as_string()) {
                Some(text) if result_wrapped(&text) => market_item(&text, "market").map_err(to_js)?,
                _ => return Err(to_js(e)),
            },
        };
        let first = match &item {
            StreamEvent::Item(e) => Some(e.time_exchange),
            StreamEvent::Reconnecting(_) => None,
        };
        self.run(first, |sim, _, sink| sim.feed(item, sink).map(|_| "market".to_string()))
    }

    /// Feeds many market items (an array or JSON text of one, items as `feedMarket` takes them) in
    /// one crossing. Stops at the first bad item, whose error names its index; earlier items stay
    /// applied.
    #[wasm_bindgen(js_name = feedMarketBatch)]
    pub fn feed_market_batch(&mut self, items: JsValue) -> Result<JsValue, JsValue> {
        let items = market_items(items, "market").map_err(to_js)?;
        let first = items.iter().find_map(|i| match i {
            StreamEvent::Item(e) => Some(e.time_exchange),
            StreamEvent::Reconnecting(_) => None,
        });
        self.run(first, |sim, host, sink| {
            for (i, item) in items.into_iter().enumerate() {
                sim.feed(item, sink).map_err(|e| e.within(&format!("[{i}]")))?;
                if host.failed() {
                    return Ok(format!("[{i}]"));
                }
            }
            Ok(String::new())
        })
    }

    /// Injects an account event from a venue (`AccountEvent` JSON, or `{"Reconnecting": id}`).
    #[wasm_bindgen(js_name = feedAccount)]
    pub fn feed_account(&mut self, event: JsValue) -> Result<JsValue, JsValue> {
        let item: StreamEvent<AccountEvent> = convert::decode_item(event, "account").map_err(to_js)?;
        self.run(None, |sim, _, sink| {
            sim.control(EngineEvent::Account(item), sink).map(|_| "account".to_string())
        })
    }

    /// Sends a command (barter's JSON: `{"ClosePositions": "None"}`, `{"CancelOrders": ...}`, ...).
    pub fn command(&mut self, command: JsValue) -> Result<JsValue, JsValue> {
        let command: Command = decode(command, "command").map_err(to_js)?;
        self.run(None, |sim, _, sink| {
            sim.control(EngineEvent::Command(command), sink).map(|_| "command".to_string())
        })
    }

    /// Turns algorithmic trading on (`true`) or off (`false`); anything else is INVALID_ARGUMENT
    /// (`'false'` is truthy in JS: coercing it would turn trading on).
    #[wasm_bindgen(js_name = setTradingState)]
    pub fn set_trading_state(&mut self, enabled: JsValue) -> Result<JsValue, JsValue> {
        let enabled = enabled.as_bool().ok_or_else(|| {
            to_js(EngineError::argument("enabled", "expected true (trading on) or false (off)"))
        })?;
        let s = if enabled { TradingState::Enabled } else { TradingState::Disabled };
        self.run(None, |sim, _, sink| {
            sim.control(EngineEvent::TradingStateUpdate(s), sink).map(|_| "setTradingState".to_string())
        })
    }

    /// The current engine state as a plain object.
    pub fn snapshot(&mut self) -> Result<JsValue, JsValue> {
        let sim = self.sim(None).map_err(to_js)?;
        convert::to_js(&sim.snapshot())
    }

    /// The audit ticks of the last `shutdownWithSummary` (also of a failed one), once.
    #[wasm_bindgen(js_name = takeShutdownTicks)]
    pub fn take_shutdown_ticks(&mut self) -> Result<JsValue, JsValue> {
        convert::to_js(&std::mem::take(&mut self.shutdown_ticks))
    }

    /// Ends the system: delivers what is in flight, shuts the engine down, and returns the report
    /// (summary for `interval`, trades, equity curve). Later calls fail with ENGINE_SHUTDOWN.
    #[wasm_bindgen(js_name = shutdownWithSummary)]
    pub fn shutdown_with_summary(&mut self, interval: JsValue) -> Result<JsValue, JsValue> {
        let iv = convert::interval(&interval, &self.config).map_err(to_js)?;
        if self.report.is_none() {
            self.sim(None).map_err(to_js)?;
            let Some(sim) = self.simulation.take() else {
                return Err(to_js(EngineError::internal("a live system has no simulation")));
            };
            let start = sim.engine().state().time_start;
            let (logs, ticks) = (&mut self.logs, &mut self.shutdown_ticks);
            let report = sim.finish(start, &mut |t| {
                logs.record(t);
                ticks.push(t.to_owned_tick());
            });
            self.report = Some(report.map_err(to_js)?);
            // Hooks run during the shutdown too (fills of closing orders); the report stays, so
            // a second call returns it.
            if let Some(error) = self.strategy.take_failure(|| "shutdown".into()) {
                return Err(error);
            }
        }
        match &self.report {
            Some(report) => convert::value_to_js(&report.to_json(iv)),
            None => Err(to_js(EngineError::internal("a shut-down system has no report"))),
        }
    }
}
