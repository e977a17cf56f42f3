//! The engine: a synchronous `process(event) -> AuditTick` state machine (barter's Processor).
//! It validates first, so a refused event leaves the state exactly as it was.

mod audit;
pub mod log;
mod replica;

pub use audit::{audit_schema, AuditSnapshot, AuditTick, Origin, Output, Refused, RefusedOrders, SentOrders};
pub use replica::Replica;

use crate::config::Config;
use crate::error::EngineError;
use crate::event::{Command, EngineEvent, StreamEvent};
use crate::instrument::{ExchangeId, InstrumentIndex, Instruments};
use crate::order::{
    ActiveOrderState, ClientOrderId, OrderKey, OrderRequestCancel, OrderRequestOpen, RequestCancel,
    RequestOpen, StrategyId,
};
use crate::risk::{ApproveAll, RiskContext, RiskLimits, RiskManager, RiskRefusal};
use crate::state::{EngineState, MarketStretch, QuoteValuations, StreamKind, TradingState};
use crate::strategy::{FeeRates, OrderIntent, Strategy, StrategyContext};
use crate::time::{Timestamp, NANOS_PER_MILLI};
use std::borrow::Cow;

/// Settings the engine needs beyond the state.
#[derive(Clone, Debug)]
pub struct EngineSettings {
    /// Tolerance for out-of-order market events, in ns.
    pub time_tolerance_ns: i64,
    /// Asset equity is measured in.
    pub valuation_asset: String,
    /// Fee rates by exchange index (for sizing).
    pub fees: Vec<FeeRates>,
    /// Most live orders per instrument before strategy opens are refused: the risk knob
    /// `max_open_orders_per_instrument`, else `DEFAULT_MAX_OPEN_ORDERS` (10,000). Enforced by the
    /// engine whatever the risk manager, so a runaway strategy gets refusals, not a huge book.
    pub max_open_orders: u32,
}

impl EngineSettings {
    /// From a config.
    pub fn from_config(config: &Config) -> Self {
        let fees = (0..config.instruments.exchanges().len())
            .map(|i| {
                config
                    .execution(crate::instrument::ExchangeIndex(i))
                    .map(|e| FeeRates { maker: e.maker_fee(), taker: e.taker_fee() })
                    .unwrap_or_default()
            })
            .collect();
        EngineSettings {
            time_tolerance_ns: (config.engine.time_tolerance_ms as i64).saturating_mul(NANOS_PER_MILLI),
            valuation_asset: config.valuation_asset(),
            fees,
            max_open_orders: config
                .risk
                .max_open_orders_per_instrument
                .unwrap_or(crate::risk::DEFAULT_MAX_OPEN_ORDERS),
        }
    }
}

/// The trading engine.
pub struct Engine {
    instruments: Instruments,
    settings: EngineSettings,
    state: EngineState,
    strategy: Box<dyn Strategy>,
    risk: Box<dyn RiskManager>,
    /// `risk.has_kill_switch()`, asked once.
    kill_switch: bool,
    sequence: u64,
    next_cid: u64,
    /// The strategy's id as sent with its orders, made once (it is shared by every order).
    strategy_id: Option<StrategyId>,
    shut_down: bool,
    intents: Vec<OrderIntent>,
    /// Per instrument, its quote asset's valuation: sizing by equity values the portfolio at
    /// every entry, and building the plan each time was 2 % of a daily backtest.
    quote_values: QuoteValuations,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("sequence", &self.sequence)
            .field("strategy", &self.strategy.id())
            .finish()
    }
}

impl Engine {
    /// An engine with an explicit strategy and risk manager.
    pub fn new(
        instruments: Instruments,
        settings: EngineSettings,
        state: EngineState,
        strategy: Box<dyn Strategy>,
        risk: Box<dyn RiskManager>,
    ) -> Self {
        Engine {
            settings,
            state,
            strategy,
            kill_switch: risk.has_kill_switch(),
            risk,
            sequence: 0,
            next_cid: 0,
            strategy_id: None,
            shut_down: false,
            intents: Vec::new(),
            quote_values: QuoteValuations::new(&instruments),
            instruments,
        }
    }

    /// An engine for a config: its strategy, its risk knobs (approve-all when none are set), and
    /// its initial trading state, starting at `time_start`.
    pub fn from_config(config: &Config, time_start: Timestamp) -> Self {
        let risk: Box<dyn RiskManager> = if config.risk == Default::default() {
            Box::new(ApproveAll)
        } else {
            Box::new(RiskLimits::new(config.risk.clone()))
        };
        let state = EngineState::new(&config.instruments, time_start, config.engine.trading_state);
        Engine::new(
            config.instruments.clone(),
            EngineSettings::from_config(config),
            state,
            config.strategy.build(),
            risk,
        )
    }

    /// Replaces the strategy (e.g. one written in Rust, or a host-language bridge).
    pub fn with_strategy(mut self, strategy: Box<dyn Strategy>) -> Self {
        self.strategy = strategy;
        self
    }

    /// Replaces the risk manager.
    pub fn with_risk(mut self, risk: Box<dyn RiskManager>) -> Self {
        self.kill_switch = risk.has_kill_switch();
        self.risk = risk;
        self
    }

    /// The state.
    pub fn state(&self) -> &EngineState {
        &self.state
    }

    /// The instruments.
    pub fn instruments(&self) -> &Instruments {
        &self.instruments
    }

    /// Sequence of the last tick (0 before any).
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// True after a Shutdown event.
    pub fn is_shut_down(&self) -> bool {
        self.shut_down
    }

    /// The audit trail's starting point: the current state at the current sequence.
    pub fn snapshot(&self) -> AuditSnapshot {
        AuditSnapshot { sequence: self.sequence, state: self.state.clone() }
    }

    /// Checks an event without processing it (what `process` checks first).
    pub fn validate(&self, event: &EngineEvent) -> Result<(), EngineError> {
        if self.shut_down {
            return Err(EngineError::EngineShutdown);
        }
        self.state.validate(event, &self.instruments, self.settings.time_tolerance_ns)
    }

    /// `validate` for an event whose values were checked already (see `backtest::Checked`).
    pub(crate) fn validate_known_values(&self, event: &EngineEvent) -> Result<(), EngineError> {
        match event {
            EngineEvent::Market(StreamEvent::Item(e)) if !self.shut_down => {
                self.state.validate_market_place(e, &self.instruments, self.settings.time_tolerance_ns)
            }
            other => self.validate(other),
        }
    }

    /// Processes one event at the engine's own clock.
    pub fn process(&mut self, event: EngineEvent) -> Result<AuditTick<'static>, EngineError> {
        self.process_at(None, event)
    }

    /// Processes one event, first moving the clock to `now` if given (the backtest passes the
    /// virtual time at which an exchange response arrives).
    pub fn process_at(
        &mut self,
        now: Option<Timestamp>,
        event: EngineEvent,
    ) -> Result<AuditTick<'static>, EngineError> {
        self.validate(&event)?;
        let outputs = self.apply(now, &event);
        Ok(AuditTick { sequence: self.sequence, time: self.state.time, event: Cow::Owned(event), outputs })
    }

    /// `process_at` for an event the caller holds and has just validated with `validate` (the
    /// backtest validates before the exchange sees an event, and must not pay for it twice); the
    /// tick borrows the event.
    pub(crate) fn process_validated<'a>(
        &mut self,
        now: Option<Timestamp>,
        event: &'a EngineEvent,
    ) -> AuditTick<'a> {
        let outputs = self.apply(now, event);
        AuditTick { sequence: self.sequence, time: self.state.time, event: Cow::Borrowed(event), outputs }
    }

    /// How many leading events of `events`, market items whose values were checked, pass the
    /// rest of `validate_known_values` in turn (`EngineState::placed_prefix`).
    pub(crate) fn placed_prefix(&self, events: &[EngineEvent]) -> usize {
        if self.shut_down {
            return 0;
        }
        self.state.placed_prefix(events, &self.instruments, self.settings.time_tolerance_ns)
    }

    /// Takes the leading market events of `events` the strategy takes without acting
    /// (`Strategy::coast_through`), at once, and how many: the state is left as their ticks
    /// would leave it, though only the stretch's writers are applied (`stretch` holds them after).
    /// There is no tick: a caller that shows ticks must not coast, nor one whose events have not
    /// passed their checks. None is taken when a kill switch is to be checked after each event.
    pub(crate) fn coast_through(&mut self, events: &[EngineEvent], stretch: &mut MarketStretch) -> usize {
        let taken = if self.kill_switch { 0 } else { self.strategy.coast_through(events) };
        let events = &events[..taken];
        stretch.reduce(events);
        self.state.apply_market_stretch(stretch, events, &self.instruments);
        self.sequence += taken as u64;
        taken
    }

    /// Applies a validated event: state, strategy, risk; returns what it caused. Market items,
    /// the per-event case, take a short path; everything else is out of line.
    fn apply(&mut self, now: Option<Timestamp>, event: &EngineEvent) -> Vec<Output> {
        if let Some(t) = now {
            self.state.advance_time(t);
        }
        let mut outputs = Vec::new();
        match event {
            EngineEvent::Market(StreamEvent::Item(e)) => {
                self.state.apply_market(e, &self.instruments);
                self.run_hook(|st, ctx| st.on_market_event(ctx, e));
                self.send(Origin::Strategy, true, &mut outputs);
            }
            other => self.apply_other(other, &mut outputs),
        }
        if self.kill_switch && self.state.trading == TradingState::Enabled && !self.shut_down {
            self.check_kill_switch(&mut outputs);
        }
        self.sequence += 1;
        outputs
    }

    #[inline(never)]
    fn apply_other(&mut self, event: &EngineEvent, outputs: &mut Vec<Output>) {
        let previous_trading = self.state.trading;
        let mut exited = Vec::new();
        self.state.apply_input(event, &self.instruments, &mut exited);
        outputs.extend(exited.into_iter().map(Output::PositionExited));
        match event {
            EngineEvent::Shutdown(_) => self.shut_down = true,
            EngineEvent::Command(c) => self.command(c, outputs),
            EngineEvent::TradingStateUpdate(s) => {
                if previous_trading != *s {
                    outputs.push(Output::TradingStateChanged {
                        previous: previous_trading,
                        current: *s,
                        reason: "TradingStateUpdate".into(),
                    });
                    if *s == TradingState::Disabled {
                        self.run_hook(|st, ctx| st.on_trading_disabled(ctx));
                        self.send(Origin::OnTradingDisabled, false, outputs);
                    }
                }
            }
            EngineEvent::Account(StreamEvent::Reconnecting(id)) => {
                self.disconnected(*id, StreamKind::Account, outputs)
            }
            EngineEvent::Market(StreamEvent::Reconnecting(id)) => {
                self.disconnected(*id, StreamKind::Market, outputs)
            }
            EngineEvent::Account(StreamEvent::Item(e)) => {
                self.run_hook(|st, ctx| st.on_account_event(ctx, e));
                self.send(Origin::Strategy, true, outputs);
            }
            // `apply` takes these itself; kept so that this function is whole on its own.
            EngineEvent::Market(StreamEvent::Item(e)) => {
                self.run_hook(|st, ctx| st.on_market_event(ctx, e));
                self.send(Origin::Strategy, true, outputs);
            }
        }
    }

    #[inline(never)]
    fn check_kill_switch(&mut self, outputs: &mut Vec<Output>) {
        let ctx = RiskContext {
            state: &self.state,
            instruments: &self.instruments,
            valuation_asset: &self.settings.valuation_asset,
        };
        if let Some(reason) = self.risk.kill_switch(&ctx) {
            let out = Output::TradingStateChanged {
                previous: TradingState::Enabled,
                current: TradingState::Disabled,
                reason,
            };
            out.apply(&mut self.state);
            outputs.push(out);
            self.run_hook(|st, ctx| st.on_trading_disabled(ctx));
            self.send(Origin::OnTradingDisabled, false, outputs);
        }
    }

    fn disconnected(&mut self, exchange: ExchangeId, stream: StreamKind, outputs: &mut Vec<Output>) {
        outputs.push(Output::Disconnected { exchange, stream });
        self.run_hook(|st, ctx| st.on_disconnect(ctx, exchange));
        self.send(Origin::OnDisconnect, false, outputs);
    }

    fn run_hook(&mut self, hook: impl FnOnce(&mut dyn Strategy, &mut StrategyContext<'_>)) {
        let mut ctx = StrategyContext {
            state: &self.state,
            instruments: &self.instruments,
            fees: &self.settings.fees,
            quote_values: &self.quote_values,
            intents: &mut self.intents,
        };
        hook(self.strategy.as_mut(), &mut ctx);
    }

    fn command(&mut self, command: &Command, outputs: &mut Vec<Output>) {
        match command {
            Command::SendOpenRequests(r) => {
                let opens = r.as_slice().to_vec();
                self.record_and_emit(Origin::Command, opens, Vec::new(), outputs);
            }
            Command::SendCancelRequests(r) => {
                let cancels = r.as_slice().to_vec();
                self.record_and_emit(Origin::Command, Vec::new(), cancels, outputs);
            }
            Command::ClosePositions(filter) => {
                self.run_hook(|st, ctx| st.close_positions(ctx, filter));
                self.send(Origin::ClosePositions, false, outputs);
            }
            Command::CancelOrders(filter) => {
                let mut cancels = Vec::new();
                for (i, inst) in self.instruments.instruments().iter().enumerate() {
                    if !filter.matches(InstrumentIndex(i), inst) {
                        continue;
                    }
                    for o in &self.state.instruments[i].orders.0 {
                        let id = match &o.state {
                            ActiveOrderState::Open(open) => Some(open.id.clone()),
                            ActiveOrderState::OpenInFlight => None,
                            ActiveOrderState::CancelInFlight { .. } => continue,
                        };
                        cancels.push(OrderRequestCancel { key: o.key.clone(), state: RequestCancel { id } });
                    }
                }
                self.record_and_emit(Origin::CancelOrders, Vec::new(), cancels, outputs);
            }
        }
    }

    fn record_and_emit(
        &mut self,
        origin: Origin,
        opens: Vec<OrderRequestOpen>,
        cancels: Vec<OrderRequestCancel>,
        outputs: &mut Vec<Output>,
    ) {
        if opens.is_empty() && cancels.is_empty() {
            return;
        }
        let out = Output::OrdersSent(SentOrders { origin, opens, cancels });
        out.apply(&mut self.state);
        outputs.push(out);
    }

    /// Turns the strategy's intents into keyed requests; risk-checks and gates them when `algo`.
    #[inline]
    fn send(&mut self, origin: Origin, algo: bool, outputs: &mut Vec<Output>) {
        if !self.intents.is_empty() {
            self.send_intents(origin, algo, outputs);
        }
    }

    #[inline(never)]
    fn send_intents(&mut self, origin: Origin, algo: bool, outputs: &mut Vec<Output>) {
        let mut intents = std::mem::take(&mut self.intents);
        if algo && self.state.trading != TradingState::Enabled {
            intents.clear();
            self.intents = intents;
            return;
        }
        let strategy = match &self.strategy_id {
            Some(s) if &*s.0 == self.strategy.id() => s.clone(),
            _ => {
                let s = StrategyId(self.strategy.id().into());
                self.strategy_id = Some(s.clone());
                s
            }
        };
        let mut sent = SentOrders { origin, opens: Vec::new(), cancels: Vec::new() };
        let mut refused = RefusedOrders::default();
        for intent in intents.drain(..) {
            match intent {
                OrderIntent::Open {
                    instrument,
                    side,
                    kind,
                    price,
                    quantity,
                    time_in_force,
                    sizing,
                    trigger,
                    bracket,
                } => {
                    let Ok(inst) = self.instruments.instrument(instrument, "instrument") else { continue };
                    let cid =
                        ClientOrderId::joined(&[&strategy.0, "-", itoa::Buffer::new().format(self.next_cid)]);
                    self.next_cid += 1;
                    let request = OrderRequestOpen {
                        key: OrderKey {
                            exchange: inst.exchange,
                            instrument,
                            strategy: strategy.clone(),
                            cid,
                        },
                        state: RequestOpen {
                            side,
                            price,
                            quantity,
                            kind,
                            time_in_force,
                            sizing,
                            trigger: trigger.map(std::sync::Arc::new),
                            bracket: bracket.map(std::sync::Arc::new),
                        },
                    };
                    let verdict = crate::event::validate_open(&request, &self.instruments, "intent")
                        .map_err(|e| RiskRefusal {
                            check: "order_validation".into(),
                            limit: None,
                            value: None,
                            message: e.to_string(),
                        })
                        .and_then(|_| {
                            if !algo {
                                return Ok(());
                            }
                            let live = self.state.instruments.get(instrument.0).map_or(0, |s| s.orders.len());
                            let limit = self.settings.max_open_orders;
                            if u64::try_from(live).unwrap_or(u64::MAX) >= u64::from(limit) {
                                return Err(RiskRefusal {
                                    check: "max_open_orders_per_instrument".into(),
                                    limit: Some(limit.into()),
                                    value: Some(rust_decimal::Decimal::from(live) + rust_decimal::Decimal::ONE),
                                    message: format!(
                                        "{} live orders would exceed {limit} (risk.max_open_orders_per_instrument)",
                                        live + 1
                                    ),
                                });
                            }
                            let ctx = RiskContext {
                                state: &self.state,
                                instruments: &self.instruments,
                                valuation_asset: &self.settings.valuation_asset,
                            };
                            self.risk.check_open(&ctx, &request)
                        });
                    match verdict {
                        Ok(()) => {
                            self.state.instruments[instrument.0].orders.record_open_in_flight(&request);
                            sent.opens.push(request);
                        }
                        Err(reason) => refused.opens.push(Refused { request, reason }),
                    }
                }
                OrderIntent::Cancel { instrument, cid } => {
                    let Some(order) =
                        self.state.instruments.get(instrument.0).and_then(|s| s.orders.get(&cid))
                    else {
                        continue;
                    };
                    if matches!(order.state, ActiveOrderState::CancelInFlight { .. }) {
                        continue;
                    }
                    let request = OrderRequestCancel {
                        key: order.key.clone(),
                        state: RequestCancel { id: order.state.open().map(|o| o.id.clone()) },
                    };
                    let verdict = if algo {
                        let ctx = RiskContext {
                            state: &self.state,
                            instruments: &self.instruments,
                            valuation_asset: &self.settings.valuation_asset,
                        };
                        self.risk.check_cancel(&ctx, &request)
                    } else {
                        Ok(())
                    };
                    match verdict {
                        Ok(()) => {
                            self.state.instruments[instrument.0].orders.record_cancel_in_flight(&request);
                            sent.cancels.push(request);
                        }
                        Err(reason) => refused.cancels.push(Refused { request, reason }),
                    }
                }
            }
        }
        self.intents = intents;
        if !sent.opens.is_empty() || !sent.cancels.is_empty() {
            outputs.push(Output::OrdersSent(sent));
        }
        if !refused.opens.is_empty() || !refused.cancels.is_empty() {
            outputs.push(Output::OrdersRefused(refused));
        }
    }
}
