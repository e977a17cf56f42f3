//! Strategies written in JS. The engine calls the adapter `js/strategy.mjs` builds around the
//! user's object: one call per market event with plain numbers (no allocation on either side),
//! other hooks with JSON-compatible values. What a hook returns is decoded into order intents.
//!
//! A hook that throws cannot unwind through Rust, so the import catches it; the failure is kept
//! here and the driver returns it as a `STRATEGY` error once the engine call is over.

use super::convert;
use crate::backtest::Simulation;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::EngineError;
use crate::event::{AccountEvent, InstrumentFilter, MarketEvent};
use crate::indicator::spec::{IndicatorSet, Spec};
use crate::instrument::{ExchangeId, InstrumentIndex};
use crate::strategy::host::{HostOrders, MarketView};
use crate::strategy::{close_positions_with_market_orders, Strategy, StrategyContext};
use crate::time::Timestamp;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// The adapter around a JS strategy (see `js/strategy.mjs`).
    #[derive(Clone)]
    pub type JsHooks;

    #[wasm_bindgen(method, getter)]
    fn id(this: &JsHooks) -> String;

    /// Which optional hooks exist: 1 account, 2 trading disabled, 4 disconnect, 8 close positions.
    #[wasm_bindgen(method, getter)]
    fn defined(this: &JsHooks) -> u32;

    #[wasm_bindgen(method, catch)]
    #[allow(clippy::too_many_arguments)]
    fn market(
        this: &JsHooks,
        kind: u32,
        instrument: u32,
        time_ms: f64,
        price: f64,
        a: f64,
        b: f64,
        c: f64,
        d: f64,
        e: f64,
        position: f64,
        entry_price: f64,
        live_orders: u32,
        free_quote: f64,
    ) -> Result<JsValue, JsValue>;

    /// The declared indicators as JSON text (`[[name, declaration], ...]`), or undefined.
    #[wasm_bindgen(method, getter)]
    fn indicators(this: &JsHooks) -> Option<String>;

    /// Where the declared indicators' values are: `len` f64s at byte `ptr` of the wasm `memory`,
    /// rewritten before each `marketWithIndicators` call. Given once: the adapter keeps a view of
    /// it, so no array is created per event (it remakes the view when memory grows).
    #[wasm_bindgen(method, js_name = indicatorMemory)]
    fn indicator_memory(this: &JsHooks, memory: JsValue, ptr: u32, len: u32);

    /// `market` once the current values of the declared indicators of the event's instrument are
    /// in the buffer given to `indicatorMemory` (NaN while warming up): one call per event however
    /// many indicators there are.
    #[wasm_bindgen(method, catch, js_name = marketWithIndicators)]
    #[allow(clippy::too_many_arguments)]
    fn market_with_indicators(
        this: &JsHooks,
        kind: u32,
        instrument: u32,
        time_ms: f64,
        price: f64,
        a: f64,
        b: f64,
        c: f64,
        d: f64,
        e: f64,
        position: f64,
        entry_price: f64,
        live_orders: u32,
        free_quote: f64,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn account(this: &JsHooks, event: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = tradingDisabled)]
    fn trading_disabled(this: &JsHooks) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn disconnect(this: &JsHooks, exchange: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = closePositions)]
    fn close_positions(this: &JsHooks, filter: JsValue) -> Result<JsValue, JsValue>;
}

const ACCOUNT: u32 = 1;
const TRADING_DISABLED: u32 = 2;
const DISCONNECT: u32 = 4;
const CLOSE_POSITIONS: u32 = 8;

/// The first failure of a hook: the error, and what JS threw (for `cause`).
pub type Failure = Rc<RefCell<Option<(EngineError, JsValue)>>>;

/// A JS strategy chosen for a backtest or a live system, and where its failures land.
#[derive(Clone, Default)]
pub struct HostStrategy {
    hooks: Option<JsHooks>,
    failure: Failure,
}

impl HostStrategy {
    /// Uses `hooks` for the simulation about to be built; refused once it runs (`started`).
    pub fn set(&mut self, hooks: JsHooks, started: bool) -> Result<(), JsValue> {
        if started {
            return Err(super::error::to_js(EngineError::argument(
                "strategy",
                "set the strategy before the first event",
            )));
        }
        self.hooks = Some(hooks);
        Ok(())
    }

    /// A simulation for `config`, with the JS strategy when one was set.
    pub fn simulation(&self, config: &Config, time_start: Timestamp) -> Result<Simulation, EngineError> {
        let engine = Engine::from_config(config, time_start);
        match &self.hooks {
            None => Simulation::with_engine(config, engine),
            Some(h) => {
                // Declared indicators run here, in wasm, and reach the hook with the event.
                let indicators = match h.indicators() {
                    None => None,
                    Some(text) => {
                        let json: serde_json::Value = crate::json::from_str(&text)
                            .map_err(|e| EngineError::argument("strategy.indicators", e.to_string()))?;
                        let set = IndicatorSet::new(Spec::parse_all(&json, "strategy.indicators")?);
                        // Allocated once and never resized: its address stays valid for the run.
                        let values = vec![f64::NAN; set.width()];
                        h.indicator_memory(
                            wasm_bindgen::memory(),
                            values.as_ptr() as u32,
                            values.len() as u32,
                        );
                        Some((set, values))
                    }
                };
                let id = h.id();
                let strategy = JsStrategy {
                    id: id.clone(),
                    defined: h.defined(),
                    hooks: h.clone(),
                    failure: self.failure.clone(),
                    indicators,
                };
                let mut simulation =
                    Simulation::with_engine(config, engine.with_strategy(Box::new(strategy)))?;
                simulation.tag_trades(&id);
                Ok(simulation)
            }
        }
    }

    /// True when a hook failed during the current engine call.
    pub fn failed(&self) -> bool {
        self.failure.borrow().is_some()
    }

    /// The failure of the last engine call, as the JS error to throw (`where_` says which input).
    /// `where_` is only built when there is a failure: callers check after every event.
    pub fn take_failure(&self, where_: impl FnOnce() -> String) -> Option<JsValue> {
        let (error, cause) = self.failure.borrow_mut().take()?;
        let where_ = where_();
        let where_ = where_.as_str();
        let error = match error {
            EngineError::Strategy { hook, message } => EngineError::Strategy {
                hook: if where_.is_empty() { hook } else { format!("{hook} at {where_}") },
                message,
            },
            other if where_.is_empty() => other,
            other => other.within(where_),
        };
        let js = super::error::to_js(error);
        if !cause.is_null() {
            let _ = js_sys::Reflect::set(&js, &"cause".into(), &cause);
        }
        Some(js)
    }
}

struct JsStrategy {
    id: String,
    defined: u32,
    hooks: JsHooks,
    failure: Failure,
    /// The declared indicators and the buffer their values are written to per event.
    indicators: Option<(IndicatorSet, Vec<f64>)>,
}

fn message_of(thrown: &JsValue) -> String {
    match thrown.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => thrown.as_string().unwrap_or_else(|| format!("{thrown:?}")),
    }
}

impl JsStrategy {
    fn failed(&self) -> bool {
        self.failure.borrow().is_some()
    }

    fn fail(&self, error: EngineError, cause: JsValue) {
        self.failure.borrow_mut().get_or_insert((error, cause));
    }

    /// Applies what a hook returned; records a throw or a bad request. True when it returned
    /// something (so `closePositions` falls back to the default only on `undefined`).
    fn handle(
        &self,
        ctx: &mut StrategyContext<'_>,
        default: InstrumentIndex,
        hook: &str,
        returned: Result<JsValue, JsValue>,
    ) -> bool {
        match returned {
            Err(thrown) => {
                self.fail(EngineError::Strategy { hook: hook.into(), message: message_of(&thrown) }, thrown);
                true
            }
            Ok(v) if v.is_undefined() || v.is_null() => false,
            Ok(v) => {
                let applied = convert::stringify(&v)
                    .map_err(str::to_string)
                    .and_then(|text| crate::json::from_str::<HostOrders>(&text).map_err(|e| e.to_string()))
                    .map_err(|message| EngineError::InvalidOrder { field: format!("{hook}()"), message })
                    .and_then(|orders| orders.apply(ctx, default, hook));
                if let Err(e) = applied {
                    self.fail(e, JsValue::NULL);
                }
                true
            }
        }
    }
}

impl Strategy for JsStrategy {
    fn id(&self) -> &str {
        &self.id
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        if self.failed() {
            return;
        }
        let v = MarketView::new(ctx, event);
        if let Some((set, values)) = &mut self.indicators {
            set.update(event.instrument.0, v.sample(), values);
            let returned = self.hooks.market_with_indicators(
                v.kind,
                v.instrument,
                v.time_ms,
                v.price,
                v.a,
                v.b,
                v.c,
                v.d,
                v.e,
                v.position,
                v.entry_price,
                v.live_orders,
                v.free_quote,
            );
            self.handle(ctx, event.instrument, "onMarket", returned);
            return;
        }
        let returned = self.hooks.market(
            v.kind,
            v.instrument,
            v.time_ms,
            v.price,
            v.a,
            v.b,
            v.c,
            v.d,
            v.e,
            v.position,
            v.entry_price,
            v.live_orders,
            v.free_quote,
        );
        self.handle(ctx, event.instrument, "onMarket", returned);
    }

    fn on_account_event(&mut self, ctx: &mut StrategyContext<'_>, event: &AccountEvent) {
        if self.defined & ACCOUNT == 0 || self.failed() {
            return;
        }
        match convert::to_js(event) {
            Ok(js) => {
                let returned = self.hooks.account(js);
                self.handle(ctx, InstrumentIndex(0), "onAccount", returned);
            }
            Err(e) => self.fail(
                EngineError::internal(format!("account event to JS: {}", message_of(&e))),
                JsValue::NULL,
            ),
        }
    }

    fn close_positions(&mut self, ctx: &mut StrategyContext<'_>, filter: &InstrumentFilter) {
        if self.defined & CLOSE_POSITIONS != 0 && !self.failed() {
            let returned = convert::to_js(filter).and_then(|f| self.hooks.close_positions(f));
            if self.handle(ctx, InstrumentIndex(0), "closePositions", returned) {
                return;
            }
        }
        close_positions_with_market_orders(ctx, filter);
    }

    fn on_disconnect(&mut self, ctx: &mut StrategyContext<'_>, exchange: ExchangeId) {
        if self.defined & DISCONNECT == 0 || self.failed() {
            return;
        }
        let returned = self.hooks.disconnect(exchange.as_str());
        self.handle(ctx, InstrumentIndex(0), "onDisconnect", returned);
    }

    fn on_trading_disabled(&mut self, ctx: &mut StrategyContext<'_>) {
        if self.defined & TRADING_DISABLED == 0 || self.failed() {
            return;
        }
        let returned = self.hooks.trading_disabled();
        self.handle(ctx, InstrumentIndex(0), "onTradingDisabled", returned);
    }
}
