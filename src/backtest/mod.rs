//! Backtests: the engine, its simulated exchanges and the virtual-time scheduler driven by a
//! market data stream to its end. Streaming: events are pulled one at a time, nothing is kept but
//! state, so memory does not grow with the stream (the caller's audit sink decides what to keep).

mod coast;
mod scheduler;
pub mod stream;
mod sweep;
pub mod synthetic;

use coast::run_unobserved;
pub use scheduler::{Delivery, Scheduler};
pub use stream::{Feeder, StreamRun};
pub use sweep::{grid, sweep, sweep_config, Grid, SweepResult, SweepRuns, MAX_COMBINATIONS};

use crate::config::Config;
use crate::engine::{AuditSnapshot, AuditTick, Engine, Output};
use crate::error::EngineError;
use crate::event::{Command, EngineEvent, InstrumentFilter, MarketEvent, Shutdown, StreamEvent};
use crate::exchange::{SettleAt, SimulatedExchange};
use crate::instrument::ExchangeIndex;
use crate::order::ExecutionRequest;
use crate::state::{EngineState, MarketStretch, PositionExited};
use crate::statistic::collector::SummaryCollector;
use crate::statistic::equity::{equity_curve, thin, EquityCurvePoint, EquitySeries};
use crate::statistic::portfolio::PortfolioStats;
use crate::statistic::ranked::RankedStats;
use crate::statistic::summary::{SummaryInputs, TradingSummary};
use crate::statistic::trade::TradeRecord;
use crate::time::Timestamp;
use serde::Serialize;
use std::rc::Rc;

/// Counters of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RunStats {
    /// Market events processed.
    pub market_events: u64,
    /// Account events processed.
    pub account_events: u64,
    /// Open requests sent.
    pub orders_sent: u64,
    /// Cancel requests sent.
    pub cancels_sent: u64,
    /// Requests refused by risk.
    pub orders_refused: u64,
    /// Fills.
    pub fills: u64,
}

/// The outcome of a backtest.
#[derive(Clone, Debug, Serialize)]
pub struct BacktestReport {
    /// Final engine state.
    pub state: EngineState,
    /// Positions closed during the run, in order.
    pub positions_exited: Vec<PositionExited>,
    /// Counters.
    pub stats: RunStats,
    /// First market event time.
    pub time_start: Timestamp,
    /// Last engine time.
    pub time_end: Timestamp,
    /// The audit trail, when the config asks for one (`engine.audit`): the snapshot before the
    /// first event and every tick. It grows with the run by design.
    pub audit: Option<AuditTrail>,
    /// Equity points (one per bar, or per sampling window for trade/quote data); empty when the
    /// run had more than `statistic::equity::KEEP_POINTS` of them (statistics and the exported
    /// curve do not need them).
    pub equity: EquitySeries,
    /// The exported curve, sampled during the run, when `equity` was not kept.
    #[serde(skip)]
    pub sampled_curve: Option<Vec<EquityCurvePoint>>,
    /// Every trade, closed then open.
    pub trades: Vec<TradeRecord>,
    /// Portfolio statistics (backtesting.py's definitions), when there is at least one point
    /// and the run collected them all.
    pub portfolio: Option<PortfolioStats>,
    /// The statistics that need no equity curve, when the run collected only those
    /// (`Simulation::ranked_only`; `portfolio` is then None).
    #[serde(skip)]
    pub ranked: Option<RankedStats>,
    /// What summaries are generated from (any interval, any number of times).
    #[serde(skip)]
    pub summary_inputs: SummaryInputs,
}

impl BacktestReport {
    /// The trading summary for an interval (the config's `summary_interval` is the usual choice).
    pub fn summary(&self, interval: crate::config::SummaryInterval) -> TradingSummary {
        self.summary_inputs.generate(interval, &self.positions_exited)
    }

    /// The report as JSON, the same text natively and in wasm (see `ReportJson`).
    pub fn to_json(&self, interval: crate::config::SummaryInterval) -> serde_json::Value {
        serde_json::to_value(self.json(interval)).unwrap_or_default()
    }

    /// The report's JSON shape for `interval`.
    pub fn json(&self, interval: crate::config::SummaryInterval) -> ReportJson<'_> {
        ReportJson {
            summary: self.summary(interval),
            backtesting_py: BacktestingPy {
                stats: self.backtesting_py_stats(),
                trades: self.backtesting_py_trades(),
            },
            trades: self.closed_trades(),
            open_trades: self.open_trades(),
            equity_curve: self.equity_curve(EQUITY_CURVE_POINTS),
            stats: self.stats.clone(),
        }
    }

    /// Closed trades, in exit order.
    pub fn closed_trades(&self) -> Vec<&TradeRecord> {
        self.trades.iter().filter(|t| !t.open).collect()
    }

    /// Trades still open at the end.
    pub fn open_trades(&self) -> Vec<&TradeRecord> {
        self.trades.iter().filter(|t| t.open).collect()
    }

    /// backtesting.py's statistics (its keys and units), or None without an equity curve.
    pub fn backtesting_py_stats(&self) -> Option<std::collections::BTreeMap<String, serde_json::Value>> {
        self.portfolio
            .as_ref()
            .map(|p| p.backtesting_py().into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// Closed trades as backtesting.py's `_trades` rows.
    pub fn backtesting_py_trades(&self) -> Vec<crate::statistic::trade::BacktestingPyTrade> {
        self.trades.iter().filter(|t| !t.open).map(|t| t.backtesting_py()).collect()
    }

    /// The equity curve with drawdown columns, at most `max_points` long: from the series by
    /// stride (first and last kept) when it was kept, else the curve sampled during the run
    /// (`CurveSampler`: at most 10,000 points, by a power-of-two stride), thinned further if
    /// `max_points` is smaller.
    pub fn equity_curve(&self, max_points: usize) -> Vec<EquityCurvePoint> {
        match &self.sampled_curve {
            Some(curve) => thin(curve, max_points),
            None => equity_curve(&self.equity, max_points),
        }
    }
}

/// The most equity curve points a report carries (more are downsampled by stride).
pub const EQUITY_CURVE_POINTS: usize = crate::statistic::equity::CURVE_POINTS;

/// A backtest report as JSON (what `backtestJson` returns and `backtest` parses): the summary for
/// one interval, closed trades, trades still open at the end, the equity curve (at most 10,000
/// points), run counters, and `backtesting_py`: the statistics and closed trades under
/// backtesting.py's own keys and units, so a run can be diffed against `Backtest.run()` without a
/// mapping.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ReportJson<'a> {
    /// The trading summary.
    pub summary: TradingSummary,
    /// Closed trades, in exit order.
    pub trades: Vec<&'a TradeRecord>,
    /// Trades still open at the end, marked to the last price.
    pub open_trades: Vec<&'a TradeRecord>,
    /// The equity curve (downsampled by stride past 10,000 points; first and last kept).
    pub equity_curve: Vec<EquityCurvePoint>,
    /// Run counters.
    pub stats: RunStats,
    /// backtesting.py's view of the same run.
    pub backtesting_py: BacktestingPy,
}

/// The statistics and `_trades` of backtesting.py 0.6.6, under its keys and in its units.
#[derive(Serialize, schemars::JsonSchema)]
pub struct BacktestingPy {
    /// `"Start"` … `"Kelly Criterion"` (durations in seconds); null without an equity curve.
    pub stats: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    /// Closed trades as `_trades` rows.
    pub trades: Vec<crate::statistic::trade::BacktestingPyTrade>,
}

/// The JSON Schema (draft 2020-12) of the report JSON (`schema/report.schema.json`).
pub fn report_schema() -> serde_json::Value {
    // The shape as written: every field present (options as null).
    let generator = schemars::generate::SchemaSettings::default().for_serialize().into_generator();
    let mut schema =
        serde_json::to_value(generator.into_root_schema_for::<ReportJson<'static>>()).unwrap_or_default();
    crate::decimal::written_as_text(&mut schema);
    schema
}

/// A full audit trail: replaying `ticks` onto `snapshot` with a `Replica` rebuilds `state`.
#[derive(Clone, Debug, Serialize)]
pub struct AuditTrail {
    /// State before the first tick.
    pub snapshot: AuditSnapshot,
    /// Every tick, in order.
    pub ticks: Vec<AuditTick<'static>>,
}

/// A running simulation: engine + exchanges + scheduler. Feed it market events in time order.
pub struct Simulation {
    engine: Engine,
    exchanges: Vec<Option<SimulatedExchange>>,
    scheduler: Scheduler,
    close_at_end: crate::config::CloseAtEnd,
    stats: RunStats,
    started: bool,
    audit: Option<AuditTrail>,
    collector: SummaryCollector,
    /// What the engine need not check again of each market event.
    checked: Checked,
    /// The last stretch coasted through (`coast_through`), kept for its buffers.
    stretch: MarketStretch,
    /// Events before this index (of a run's events) pass the checks `Checked::Values` leaves
    /// (`coast_through`).
    placed_to: usize,
}

/// What is known of a run's market events before it starts, so the engine need not check it
/// again for each event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Checked {
    /// Nothing: every check.
    #[default]
    Nothing,
    /// Their values (`CheckedEvents`: a data set's, checked once when loaded).
    Values,
    /// Everything: a run of the same instruments and time tolerance fed them whole without an
    /// error. The engine's checks read the market events alone (values, instrument, time
    /// order, book), so the same events pass them again.
    Everything,
}

/// Checks every market event's values once (`MarketEvent::validate_values`), failing as a run
/// over them would at the first bad one (`events[n]: ...`).
pub fn check_values(events: &[EngineEvent]) -> Result<(), EngineError> {
    for (n, event) in events.iter().enumerate() {
        if let EngineEvent::Market(StreamEvent::Item(e)) = event {
            e.validate_values().map_err(|e| with_event_index(e, n))?;
        }
    }
    Ok(())
}

/// Market events whose values passed `check_values`, shared by the runs given them (a data set
/// loaded once): those runs skip that check (`Checked::Values`) and check the rest.
#[derive(Clone, Debug, Default)]
pub struct CheckedEvents {
    events: Rc<Vec<EngineEvent>>,
    /// The averages sweeps over these events share (`SweepRuns`), once one of them sampled the
    /// events: the next sweep over the same data set, grid after grid, rolls none of them again.
    averages: sweep::AveragesCell,
}

impl CheckedEvents {
    /// Checks `events`' values (see `check_values`).
    pub fn new(events: Vec<EngineEvent>) -> Result<Self, EngineError> {
        check_values(&events)?;
        Ok(CheckedEvents { events: Rc::new(events), averages: Default::default() })
    }

    /// The events, shared.
    pub fn shared(&self) -> Rc<Vec<EngineEvent>> {
        Rc::clone(&self.events)
    }

    /// The cell of the averages sweeps over these events share.
    pub(crate) fn averages(&self) -> sweep::AveragesCell {
        Rc::clone(&self.averages)
    }
}

impl std::ops::Deref for CheckedEvents {
    type Target = [EngineEvent];
    fn deref(&self) -> &[EngineEvent] {
        &self.events
    }
}

impl Simulation {
    /// A simulation for a config whose clock starts at `time_start`.
    pub fn new(config: &Config, time_start: Timestamp) -> Result<Self, EngineError> {
        let engine = Engine::from_config(config, time_start);
        Self::with_engine(config, engine)
    }

    /// A simulation around an engine built elsewhere (custom strategy or risk).
    pub fn with_engine(config: &Config, engine: Engine) -> Result<Self, EngineError> {
        // Exchanges without an execution config are not simulated (a live venue may feed them).
        let mut exchanges: Vec<Option<SimulatedExchange>> = vec![None; config.instruments.exchanges().len()];
        for (i, exec) in config.executions.iter().enumerate() {
            let index = config
                .instruments
                .exchange_index(exec.mocked_exchange)
                .ok_or_else(|| EngineError::internal("validated execution has no exchange"))?;
            exchanges[index.0] = Some(
                SimulatedExchange::new(index, &config.instruments, exec, &config.initial_orders(i)?)
                    .with_risk(&config.risk),
            );
        }
        let audit =
            config.engine.audit.then(|| AuditTrail { snapshot: engine.snapshot(), ticks: Vec::new() });
        let engine_start = engine.state().time_start;
        Ok(Simulation {
            engine,
            exchanges,
            scheduler: Scheduler::default(),
            close_at_end: config.engine.close_positions_at_end,
            stats: RunStats::default(),
            started: false,
            audit,
            collector: SummaryCollector::new(config, engine_start),
            checked: Checked::Nothing,
            stretch: MarketStretch::default(),
            placed_to: 0,
        })
    }

    /// Skips the checks of market events that `checked` says were made (the caller's promise).
    pub(crate) fn events_checked(mut self, checked: Checked) -> Self {
        self.checked = checked;
        self
    }

    /// Collects only the statistics that need no equity curve (`BacktestReport::ranked`): what a
    /// sweep ranked by one of them needs of each run, at about half the cost. The report then has
    /// no portfolio statistics, equity series or trade list, and its summary no balance drawdowns.
    pub fn ranked_only(&mut self) {
        self.collector.ranked_only();
    }

    /// Names the strategy in the report's trades (`tag`) when it is not the config's: a strategy
    /// written in JS or Python tags its trades with its own `id`.
    pub fn tag_trades(&mut self, tag: &str) {
        self.collector.set_tag(tag);
    }

    /// Keeps the report's equity series (`BacktestReport::equity`) while at most `keep` points
    /// long (default `statistic::equity::KEEP_POINTS`); statistics and the exported curve are the
    /// same either way (up to 10,000 points; past them the curve is sampled by a power-of-two
    /// stride).
    pub fn keep_equity_points(&mut self, keep: usize) {
        self.collector.keep_points(keep);
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The simulated exchange of an index.
    pub fn exchange(&self, index: ExchangeIndex) -> Option<&SimulatedExchange> {
        self.exchanges.get(index.0)?.as_ref()
    }

    /// The audit snapshot to start a trail from (taken before the first event).
    pub fn snapshot(&self) -> AuditSnapshot {
        self.engine.snapshot()
    }

    /// Delivers each exchange's opening account snapshot (the account stream's first event).
    fn start(&mut self, sink: &mut dyn FnMut(&AuditTick)) -> Result<(), EngineError> {
        self.started = true;
        let now = self.engine.state().time;
        let snapshots: Vec<_> = self.exchanges.iter().flatten().map(|e| e.snapshot(now)).collect();
        for s in snapshots {
            let tick = self.engine.process_at(Some(now), EngineEvent::from(s)).map_err(internal)?;
            self.after(&tick, sink);
        }
        Ok(())
    }

    /// Processes one market stream item; deliveries due by its time go first.
    pub fn feed(
        &mut self,
        item: StreamEvent<MarketEvent>,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        self.feed_event(&EngineEvent::Market(item), sink)
    }

    /// `feed` for a market event the caller keeps (a backtest's loaded data): the event is read
    /// where it lies and the tick borrows it, so nothing is copied per event.
    pub fn feed_event(
        &mut self,
        event: &EngineEvent,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        let EngineEvent::Market(item) = event else {
            return Err(EngineError::argument(
                "event",
                "feed takes market events; commands, trading state and account events go to control",
            ));
        };
        // Validate before the exchange or the scheduler see the event, so a bad event changes nothing.
        self.check(event)?;
        if !self.started {
            self.start(sink)?;
        }
        let time = match item {
            StreamEvent::Item(e) => e.time_exchange,
            StreamEvent::Reconnecting(_) => self.engine.state().time,
        };
        self.deliver(Some(time), sink)?;
        if let StreamEvent::Item(e) = item {
            if let Some(ex) =
                self.exchanges.get_mut(instrument_exchange(&self.engine, e).0).and_then(Option::as_mut)
            {
                ex.on_market(e);
                schedule_responses(ex, &mut self.scheduler);
            }
            self.stats.market_events += 1;
            // Fills this observation caused, with zero response latency, reach the engine before
            // the observation itself: a bar's open comes before its close (as in bar engines).
            self.deliver(Some(time), sink)?;
        }
        let tick = self.engine.process_validated(None, event);
        self.after(&tick, sink);
        // Deliveries due by now (zero latency) happen before the next event.
        let now = self.engine.state().time;
        self.deliver(Some(now), sink)
    }

    /// The checks of a market event that `checked` leaves to do.
    #[inline]
    fn check(&self, event: &EngineEvent) -> Result<(), EngineError> {
        match self.checked {
            Checked::Nothing => self.engine.validate(event),
            Checked::Values => self.engine.validate_known_values(event),
            Checked::Everything => Ok(()),
        }
    }

    /// Processes a command or trading-state update now (e.g. from a live controller).
    pub fn control(
        &mut self,
        event: EngineEvent,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        if !self.started {
            self.start(sink)?;
        }
        let tick = self.engine.process(event)?;
        self.after(&tick, sink);
        // Deliveries due by now (zero latency) happen before the next event.
        let now = self.engine.state().time;
        self.deliver(Some(now), sink)
    }

    #[inline]
    fn deliver(
        &mut self,
        until: Option<Timestamp>,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        if !self.scheduler.has_due(until) {
            return Ok(()); // the common case on the per-event path: no call at all
        }
        self.deliver_with(until, None, sink)
    }

    /// Delivers what is due by `until`; with `settle`, market orders reaching an exchange fill at
    /// once at that price (the end of a run has no later observation).
    fn deliver_with(
        &mut self,
        until: Option<Timestamp>,
        settle: Option<SettleAt>,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<(), EngineError> {
        while let Some((time, delivery)) = self.scheduler.pop_due(until) {
            match delivery {
                Delivery::ToExchange(x, request) => {
                    if let Some(ex) = self.exchanges.get_mut(x.0).and_then(Option::as_mut) {
                        ex.receive(time, request);
                        if let Some(at) = settle {
                            ex.settle_market_orders(time, at);
                        }
                        schedule_responses(ex, &mut self.scheduler);
                    }
                }
                Delivery::ToEngine(account) => {
                    if matches!(account.kind, crate::event::AccountEventKind::Trade(_)) {
                        self.stats.fills += 1;
                    }
                    self.stats.account_events += 1;
                    // Held here and lent to the tick: not moved into it and out again.
                    let event = EngineEvent::from(account);
                    self.engine.validate(&event).map_err(internal)?;
                    let tick = self.engine.process_validated(Some(time), &event);
                    self.after(&tick, sink);
                }
            }
        }
        Ok(())
    }

    /// Routes what a tick sent to the exchanges, collects closed positions, hands the tick on.
    fn after(&mut self, tick: &AuditTick, sink: &mut dyn FnMut(&AuditTick)) {
        if !tick.outputs.is_empty() {
            self.route_outputs(tick);
        }
        self.collector.observe(tick, self.engine.state());
        if let Some(a) = self.audit.as_mut() {
            a.ticks.push(tick.to_owned_tick());
        }
        sink(tick);
    }

    /// Requests a tick sent go to their exchanges; counters. Out of line: most ticks send none.
    #[inline(never)]
    fn route_outputs(&mut self, tick: &AuditTick) {
        let now = self.engine.state().time;
        for o in &tick.outputs {
            match o {
                Output::OrdersSent(sent) => {
                    for open in &sent.opens {
                        self.stats.orders_sent += 1;
                        self.route(now, open.key.exchange, ExecutionRequest::Open(open.clone()));
                    }
                    for cancel in &sent.cancels {
                        self.stats.cancels_sent += 1;
                        self.route(now, cancel.key.exchange, ExecutionRequest::Cancel(cancel.clone()));
                    }
                }
                Output::OrdersRefused(r) => {
                    self.stats.orders_refused += (r.opens.len() + r.cancels.len()) as u64
                }
                _ => {}
            }
        }
    }

    fn route(&mut self, now: Timestamp, exchange: ExchangeIndex, request: ExecutionRequest) {
        let latency = self.exchanges.get(exchange.0).and_then(Option::as_ref).map_or(0, |e| e.latency_ms());
        self.scheduler.push(now.plus_millis(latency), Delivery::ToExchange(exchange, request));
    }

    /// Ends the run: optionally closes positions at the last price, delivers everything still in
    /// flight, and shuts the engine down.
    pub fn finish(
        mut self,
        time_start: Timestamp,
        sink: &mut dyn FnMut(&AuditTick),
    ) -> Result<BacktestReport, EngineError> {
        if !self.started {
            self.start(sink)?;
        }
        self.deliver(None, sink)?;
        if self.close_at_end != crate::config::CloseAtEnd::No {
            let tick =
                self.engine.process(EngineEvent::Command(Command::ClosePositions(InstrumentFilter::None)))?;
            self.after(&tick, sink);
            // Requests arrive after the last market event: settle them at the last price, or
            // replay the last bar's open to them.
            let at = match self.close_at_end {
                crate::config::CloseAtEnd::LastOpen => SettleAt::LastBarOpen,
                _ => SettleAt::LastPrice,
            };
            self.deliver_with(None, Some(at), sink)?;
        }
        let tick = self.engine.process(EngineEvent::Shutdown(Shutdown))?;
        self.after(&tick, sink);
        let state = self.engine.state().clone();
        let c = self.collector.finish(&state, self.engine.instruments());
        Ok(BacktestReport {
            time_end: state.time,
            state,
            positions_exited: c.positions_exited,
            stats: self.stats,
            time_start,
            audit: self.audit,
            equity: c.equity,
            sampled_curve: c.curve,
            trades: c.trades,
            portfolio: c.portfolio,
            ranked: c.ranked,
            summary_inputs: c.summary_inputs,
        })
    }
}

/// Schedules what an exchange answered, each after its response latency.
#[inline]
fn schedule_responses(ex: &mut SimulatedExchange, scheduler: &mut Scheduler) {
    if !ex.has_responses() {
        return; // most observations answer nothing: no drain to set up and tear down
    }
    let latency = ex.response_latency_ms();
    for (t, a) in ex.drain_outbox() {
        scheduler.push(t.plus_millis(latency), Delivery::ToEngine(a));
    }
}

fn instrument_exchange(engine: &Engine, e: &MarketEvent) -> ExchangeIndex {
    engine.instruments().instruments()[e.instrument.0].exchange
}

fn internal(e: EngineError) -> EngineError {
    EngineError::internal(format!("the simulated exchange produced an event the engine refused: {e}"))
}

/// Runs a backtest over a stream of market items (in time order) to its end. The clock starts at
/// the first item's time. `sink` sees every audit tick (pass `|_| {}` to keep nothing; clone
/// what you want to keep).
pub fn run<I>(
    config: &Config,
    items: I,
    sink: &mut dyn FnMut(&AuditTick),
) -> Result<BacktestReport, EngineError>
where
    I: IntoIterator<Item = Result<StreamEvent<MarketEvent>, EngineError>>,
{
    let mut items = items.into_iter();
    let mut time_start = None;
    // The clock starts at the first market item's time (a leading reconnect has none).
    let mut buffered = Vec::new();
    while time_start.is_none() {
        match items.next() {
            None => break,
            Some(Err(e)) => return Err(e),
            Some(Ok(item)) => {
                if let StreamEvent::Item(e) = &item {
                    time_start = Some(e.time_exchange);
                }
                buffered.push(item);
            }
        }
    }
    let start = time_start.unwrap_or_default();
    let mut sim = Simulation::new(config, start)?;
    let mut n = 0;
    for item in buffered {
        sim.feed(item, sink).map_err(|e| with_event_index(e, n))?;
        n += 1;
    }
    for item in items {
        sim.feed_event(&EngineEvent::Market(item?), sink).map_err(|e| with_event_index(e, n))?;
        n += 1;
    }
    sim.finish(start, sink)
}

/// `run` over events the caller keeps (a data set shared by many runs): each is read where it
/// lies, none copied. The same report as `run` over the same items.
pub fn run_events(
    config: &Config,
    events: &[EngineEvent],
    sink: &mut dyn FnMut(&AuditTick),
) -> Result<BacktestReport, EngineError> {
    let start = first_time(events);
    run_in(Simulation::new(config, start)?, start, events, sink)
}

/// `run_events` over checked events: the same report, without checking their values again.
pub fn run_checked(
    config: &Config,
    events: &CheckedEvents,
    sink: &mut dyn FnMut(&AuditTick),
) -> Result<BacktestReport, EngineError> {
    let start = first_time(events);
    run_in(Simulation::new(config, start)?.events_checked(Checked::Values), start, events, sink)
}

/// The time the clock starts at: the first market item's (a leading reconnect has none).
pub(crate) fn first_time(events: &[EngineEvent]) -> Timestamp {
    events
        .iter()
        .find_map(|e| match e {
            EngineEvent::Market(StreamEvent::Item(m)) => Some(m.time_exchange),
            _ => None,
        })
        .unwrap_or_default()
}

/// Feeds `events` to `sim` (started at `start`) and finishes it.
fn run_in(
    mut sim: Simulation,
    start: Timestamp,
    events: &[EngineEvent],
    sink: &mut dyn FnMut(&AuditTick),
) -> Result<BacktestReport, EngineError> {
    for (n, event) in events.iter().enumerate() {
        sim.feed_event(event, sink).map_err(|e| with_event_index(e, n))?;
    }
    sim.finish(start, sink)
}

/// Adds the stream position to an event error so users can find the bad record.
fn with_event_index(e: EngineError, n: usize) -> EngineError {
    if e.is_recoverable() {
        e.within(&format!("events[{n}]"))
    } else {
        e
    }
}
