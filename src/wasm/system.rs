//! `System`: a live (or paper) trading system. Market events, account events from a real venue,
//! commands and trading-state changes are fed one at a time or in batches; each call returns the
//! audit ticks it produced. Simulated exchanges from the config fill orders (paper trading);
//! `shutdownWithSummary` ends it with the same summary a backtest of the same events gives.

use super::convert::{self, decode};
use super::error::to_js;
use crate::backtest::{BacktestReport, Simulation};
use crate::config::Config;
use crate::engine::AuditTick;
use crate::error::EngineError;
use crate::event::{AccountEvent, Command, EngineEvent, MarketEvent, StreamEvent};
use crate::state::TradingState;
use wasm_bindgen::prelude::*;

/// A running system.
#[wasm_bindgen]
pub struct System {
    config: Config,
    time_start: Option<crate::time::Timestamp>,
    simulation: Option<Simulation>,
    report: Option<BacktestReport>,
}

impl System {
    /// The simulation, created on first use: its clock starts at `timeStart`, else at the first
    /// market event's time (as a backtest of the same events does), else at the epoch.
    fn sim(&mut self, first: Option<crate::time::Timestamp>) -> Result<&mut Simulation, EngineError> {
        if self.report.is_some() {
            return Err(EngineError::EngineShutdown);
        }
        if self.simulation.is_none() {
            let start = self.time_start.or(first).unwrap_or_default();
            self.simulation = Some(Simulation::new(&self.config, start)?);
        }
        Ok(self.simulation.as_mut().expect("created above"))
    }

    fn run(&mut self, first: Option<crate::time::Timestamp>, f: impl FnOnce(&mut Simulation, &mut dyn FnMut(&AuditTick)) -> Result<(), EngineError>) -> Result<JsValue, JsValue> {
        let mut ticks: Vec<AuditTick> = Vec::new();
        let sim = self.sim(first).map_err(to_js)?;
        f(sim, &mut |t| ticks.push(t.clone())).map_err(to_js)?;
        convert::to_js(&ticks)
    }
}

#[wasm_bindgen]
impl System {
    /// Starts a system from a config (object or JSON text); `timeStart` (RFC 3339) fixes the
    /// engine's start, else the first market event sets it; `initialBalances` replaces the
    /// config's starting balances.
    pub fn start(config: JsValue, time_start: Option<String>, initial_balances: JsValue) -> Result<System, JsValue> {
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let time_start = match time_start {
            Some(t) => Some(crate::time::Timestamp::parse_rfc3339(&t).map_err(|m| to_js(EngineError::argument("timeStart", m)))?),
            None => None,
        };
        Ok(System { config, time_start, simulation: None, report: None })
    }

    /// Feeds one market stream item (`{"Item": {...}}`, `{"Reconnecting": "binance_spot"}`, or a
    /// bare market event); returns the audit ticks.
    #[wasm_bindgen(js_name = feedMarket)]
    pub fn feed_market(&mut self, item: JsValue) -> Result<JsValue, JsValue> {
        let item: StreamEvent<MarketEvent> = match decode::<StreamEvent<MarketEvent>>(item.clone(), "market") {
            Ok(i) => i,
            Err(_) => StreamEvent::Item(decode::<MarketEvent>(item, "market").map_err(to_js)?),
        };
        let first = match &item {
            StreamEvent::Item(e) => Some(e.time_exchange),
            StreamEvent::Reconnecting(_) => None,
        };
        self.run(first, |sim, sink| sim.feed(item, sink))
    }

    /// Feeds many market items (an array or JSON text of one) in one crossing. Stops at the first
    /// bad item, whose error names its index; earlier items stay applied.
    #[wasm_bindgen(js_name = feedMarketBatch)]
    pub fn feed_market_batch(&mut self, items: JsValue) -> Result<JsValue, JsValue> {
        let items: Vec<StreamEvent<MarketEvent>> = decode(items, "market").map_err(to_js)?;
        let first = items.iter().find_map(|i| match i {
            StreamEvent::Item(e) => Some(e.time_exchange),
            StreamEvent::Reconnecting(_) => None,
        });
        self.run(first, |sim, sink| {
            for (i, item) in items.into_iter().enumerate() {
                sim.feed(item, sink).map_err(|e| e.within(&format!("[{i}]")))?;
            }
            Ok(())
        })
    }

    /// Injects an account event from a venue (`AccountEvent` JSON, or `{"Reconnecting": id}`).
    #[wasm_bindgen(js_name = feedAccount)]
    pub fn feed_account(&mut self, event: JsValue) -> Result<JsValue, JsValue> {
        let item: StreamEvent<AccountEvent> = match decode::<StreamEvent<AccountEvent>>(event.clone(), "account") {
            Ok(i) => i,
            Err(_) => StreamEvent::Item(decode::<AccountEvent>(event, "account").map_err(to_js)?),
        };
        self.run(None, |sim, sink| sim.control(EngineEvent::Account(item), sink))
    }

    /// Sends a command (barter's JSON: `{"ClosePositions": "None"}`, `{"CancelOrders": ...}`, ...).
    pub fn command(&mut self, command: JsValue) -> Result<JsValue, JsValue> {
        let command: Command = decode(command, "command").map_err(to_js)?;
        self.run(None, |sim, sink| sim.control(EngineEvent::Command(command), sink))
    }

    /// Turns algorithmic trading on or off.
    #[wasm_bindgen(js_name = setTradingState)]
    pub fn set_trading_state(&mut self, enabled: bool) -> Result<JsValue, JsValue> {
        let s = if enabled { TradingState::Enabled } else { TradingState::Disabled };
        self.run(None, |sim, sink| sim.control(EngineEvent::TradingStateUpdate(s), sink))
    }

    /// The current engine state as a plain object.
    pub fn snapshot(&mut self) -> Result<JsValue, JsValue> {
        let sim = self.sim(None).map_err(to_js)?;
        convert::to_js(&sim.snapshot())
    }

    /// Ends the system: delivers what is in flight, shuts the engine down, and returns the report
    /// (summary for `interval`, trades, equity curve). Later calls fail with ENGINE_SHUTDOWN.
    #[wasm_bindgen(js_name = shutdownWithSummary)]
    pub fn shutdown_with_summary(&mut self, interval: Option<String>) -> Result<JsValue, JsValue> {
        let iv = convert::interval(interval, &self.config).map_err(to_js)?;
        if self.report.is_none() {
            self.sim(None).map_err(to_js)?;
            let sim = self.simulation.take().expect("created above");
            let start = sim.engine().state().time_start;
            self.report = Some(sim.finish(start, &mut |_| {}).map_err(to_js)?);
        }
        let report = self.report.as_ref().expect("set above");
        convert::to_js(&report.to_json(iv))
    }
}
