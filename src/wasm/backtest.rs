//! `Backtest`: an incremental backtest handle. Data is parsed once; `step(n)` processes the next
//! `n` events, so the JS driver can yield to the host between slices, report progress and stop.
//! Or, made by `Backtest.stream`, it takes the data in chunks (`push(bytes)` … `finish()`), each
//! decoded straight into the running simulation: memory does not grow with the data, and the
//! event limit of whole data (`MAX_EVENTS`) does not apply.

use super::convert;
use super::error::to_js;
use super::log::LogSink;
use super::strategy::{HostStrategy, JsHooks};
use crate::backtest::{first_time, BacktestReport, Checked, Simulation};
use crate::config::{Config, SummaryInterval};
use crate::error::EngineError;
use crate::event::{EngineEvent, MarketEvent, StreamEvent};
use crate::loader::push::decode_each;
use crate::loader::{
    detect_format, parse_barter_json, BarterJsonLines, CsvTarget, Format, LoadOptions, SymbolMap,
};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use stream::StreamInput;

mod stream;
use wasm_bindgen::prelude::*;

/// A backtest in progress.
#[wasm_bindgen]
pub struct Backtest {
    config: Config,
    /// The data, held as engine events so each tick borrows its event instead of copying it.
    events: Events,
    total: usize,
    next: usize,
    simulation: Option<Simulation>,
    report: Option<BacktestReport>,
    strategy: HostStrategy,
    /// A strategy hook failed: the run cannot go on.
    halted: Option<EngineError>,
    logs: LogSink,
    /// Streamed data (`Backtest.stream`): the decoder and the simulation it feeds.
    input: Option<StreamInput>,
    /// What is known of `events` (a `Dataset`'s values were checked when it was decoded).
    checked: Checked,
}

/// Where rows without an instrument column go: `instrument` (name or index), default the first.
pub(super) fn csv_target(config: &Config, instrument: Option<String>) -> Result<CsvTarget, EngineError> {
    let index = match instrument {
        Some(name) => config
            .instruments
            .find_instrument(&name)
            .ok_or_else(|| EngineError::argument("instrument", format!("no instrument {name:?}")))?,
        None => crate::instrument::InstrumentIndex(0),
    };
    Ok(CsvTarget { instrument: index, exchange: config.instruments.instruments()[index.0].exchange_id })
}

/// The most market events one wasm `Backtest` or `Sweep` holds. An event takes about 176 bytes
/// in wasm32 memory, which ends at 4 GiB: 5,000,000 events are ~880 MB, and while they are
/// decoded the vector's last doubling briefly needs 1.5 times its capacity, plus the data text
/// itself. Past this the allocator would trap (`unreachable`) and the module would be lost, so
/// larger data is refused up front with INVALID_ARGUMENT naming `data`.
pub const MAX_EVENTS: usize = 5_000_000;

/// The limit in force: `MAX_EVENTS`, lowered only by tests (`__setMaxEventsForTests`), so they
/// can reach it without gigabytes of data. Wasm here is single-threaded; the atomic is for Rust.
static EVENT_LIMIT: AtomicUsize = AtomicUsize::new(MAX_EVENTS);

/// Sets the event limit (0 restores `MAX_EVENTS`).
pub(super) fn set_event_limit(n: usize) {
    EVENT_LIMIT.store(if n == 0 { MAX_EVENTS } else { n }, Ordering::Relaxed);
}

/// Refuses `n` events when they exceed the limit.
pub(super) fn check_event_count(n: usize) -> Result<(), EngineError> {
    let limit = EVENT_LIMIT.load(Ordering::Relaxed);
    if n > limit {
        return Err(EngineError::argument(
            "data",
            format!(
                "more than {limit} market events: one wasm backtest holds at most {limit} (about 176 bytes \
                 each in wasm32's 4 GiB memory); split the data into periods or use the native build"
            ),
        ));
    }
    Ok(())
}

/// Collects decoded events, refusing the data as soon as it passes the limit (before memory runs
/// out, not after).
fn bounded(
    items: impl Iterator<Item = Result<StreamEvent<MarketEvent>, EngineError>>,
) -> Result<Vec<EngineEvent>, EngineError> {
    let mut out = Vec::new();
    for item in items {
        take(&mut out, item)?;
    }
    Ok(out)
}

/// One more decoded item for `out`: refused for the limit when it would pass it (a decoding error
/// too), else its error, else stored.
fn take(
    out: &mut Vec<EngineEvent>,
    item: Result<StreamEvent<MarketEvent>, EngineError>,
) -> Result<(), EngineError> {
    check_event_count(out.len() + 1)?;
    out.push(EngineEvent::Market(item?));
    Ok(())
}

/// How text data is read: its format (`None`: detected by the core, `detect_format`), the
/// instrument for rows that name none, and whether out-of-order rows are sorted (else refused).
pub(super) struct TextData {
    pub format: Option<String>,
    pub instrument: Option<String>,
    pub sort: bool,
}

impl TextData {
    /// From the JS arguments, each type-checked.
    pub fn from_js(format: &JsValue, instrument: &JsValue, sort: &JsValue) -> Result<TextData, EngineError> {
        Ok(TextData {
            format: convert::opt_string(format, "format")?,
            instrument: convert::opt_string(instrument, "instrument")?,
            sort: convert::opt_bool(sort, "sort")?,
        })
    }
}

/// Text data (barter JSON, OHLCV or trades CSV, or its UTF-8 bytes) and how to read it.
pub(super) struct TextInput {
    text: String,
    how: TextData,
}

impl TextInput {
    /// From the JS arguments, each type-checked.
    pub fn from_js(
        data: &JsValue,
        format: &JsValue,
        instrument: &JsValue,
        sort: &JsValue,
    ) -> Result<TextInput, EngineError> {
        let text = convert::text(data, "data")?;
        Ok(TextInput { text, how: TextData::from_js(format, instrument, sort)? })
    }

    /// Decodes the text into engine events (see `TextData`); rows with a symbol column go to the
    /// config's instrument of that name.
    pub fn events(self, config: &Config) -> Result<Vec<EngineEvent>, EngineError> {
        let (data, how) = (self.text.as_str(), self.how);
        let target = csv_target(config, how.instrument)?;
        let format = match Backtest::format_named(how.format.as_deref())? {
            Some(format) => format,
            None => detect_format(data)?,
        };
        let options = || LoadOptions {
            sort: how.sort,
            symbols: Some(SymbolMap::from_instruments(&config.instruments)),
        };
        match format {
            Format::BarterJson if data.trim_start_matches('\u{feff}').trim_start().starts_with('[') => {
                // A cheap first pass counts the elements; a malformed array is left to the loader,
                // whose error names the line and column.
                if let Ok(raw) = crate::json::from_str::<Vec<&serde_json::value::RawValue>>(data) {
                    check_event_count(raw.len())?;
                }
                Ok(parse_barter_json(data)?.into_iter().map(EngineEvent::Market).collect())
            }
            Format::BarterJson => bounded(BarterJsonLines::new(data.as_bytes())),
            // CSV through the chunk decoder, the text one chunk: its lines are read where they lie
            // and its UTF-8 is checked in one pass (the line iterator copied each line into a
            // buffer and checked it there, and the browser's download carried its code too). The
            // same per-line code as the iterator's, so the same events and errors.
            Format::OhlcvCsv | Format::TradesCsv => {
                let mut out = Vec::new();
                // A decoding error is the next item, as the iterator's: `take` ranks it.
                decode_each(data.as_bytes(), Some(format), target, &options(), &mut |e| {
                    take(&mut out, Ok(e))
                })
                .or_else(|e| take(&mut out, Err(e)))?;
                Ok(out)
            }
        }
    }
}

/// The events a backtest feeds: shared with the `Dataset` it came from (read in place, let go
/// when the run finishes), or its own, each dropped once fed, as the native `run` drops the events
/// it is given. Dropped all at the end, a million took 9.9 % of `step` with the SMA cross (the
/// whole cold array, 176 MB, read again); dropped as fed, the run measured 4-9 % more events/s.
enum Events {
    Shared(Rc<Vec<EngineEvent>>),
    Own(own::Own),
}

/// A backtest's own events, the next to feed first. The Node build drops each in place once fed
/// (a deque drained at its front): moved out first, as an iterator's `next` does, its 144 bytes
/// are a `memory.copy`, which V8 runs as a call (5.5 ns against 0.7 ns for 64 bytes in v128
/// loads and stores): 4 % of the SMA cross's events/s, 10 % without orders. The browser build
/// (feature `small`) keeps the iterator, whose code is 585 bytes smaller gzipped.
#[cfg(not(feature = "small"))]
mod own {
    use crate::event::EngineEvent;

    pub(super) type Own = std::collections::VecDeque<EngineEvent>;

    /// The events, the first to feed first.
    pub(super) fn new(events: Vec<EngineEvent>) -> Own {
        events.into()
    }

    /// The events not fed yet: one slice, the deque being only ever drained at its front.
    pub(super) fn rest(own: &Own) -> &[EngineEvent] {
        debug_assert!(own.as_slices().1.is_empty());
        own.as_slices().0
    }

    /// The next event to feed (per event: the front alone, not both halves of the ring).
    #[inline]
    pub(super) fn first(own: &Own) -> Option<&EngineEvent> {
        own.front()
    }

    /// Drops the next event (it was fed), in place.
    pub(super) fn drop_first(own: &mut Own) {
        if !own.is_empty() {
            own.drain(..1);
        }
    }
}

#[cfg(feature = "small")]
mod own {
    use crate::event::EngineEvent;

    pub(super) type Own = std::vec::IntoIter<EngineEvent>;

    pub(super) fn new(events: Vec<EngineEvent>) -> Own {
        events.into_iter()
    }

    pub(super) fn rest(own: &Own) -> &[EngineEvent] {
        own.as_slice()
    }

    pub(super) fn first(own: &Own) -> Option<&EngineEvent> {
        own.as_slice().first()
    }

    pub(super) fn drop_first(own: &mut Own) {
        own.next();
    }
}

impl Events {
    /// The events not fed yet, from the first for a shared set.
    fn as_slice(&self) -> &[EngineEvent] {
        match self {
            Events::Shared(all) => all,
            Events::Own(rest) => own::rest(rest),
        }
    }

    /// Event `i`, the next to feed.
    #[inline]
    fn get(&self, i: usize) -> Option<&EngineEvent> {
        match self {
            Events::Shared(all) => all.get(i),
            Events::Own(rest) => own::first(rest),
        }
    }

    /// The next event was fed: one of its own goes (not before: a refused event stays next, as
    /// in a shared set).
    #[inline]
    fn fed(&mut self) {
        if let Events::Own(rest) = self {
            own::drop_first(rest);
        }
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
    fn with_events(config: Config, events: Vec<EngineEvent>) -> Backtest {
        Backtest::over(config, Events::Own(own::new(events)))
    }

    fn sharing(config: Config, events: Rc<Vec<EngineEvent>>) -> Backtest {
        Backtest::over(config, Events::Shared(events))
    }

    fn over(config: Config, events: Events) -> Backtest {
        Backtest {
            // Log messages name instruments (`SPX buy 100 @ ...`), as a live system's do.
            logs: LogSink::with_names(&config),
            config,
            total: events.as_slice().len(),
            events,
            next: 0,
            simulation: None,
            report: None,
            strategy: HostStrategy::default(),
            halted: None,
            input: None,
            checked: Checked::Nothing,
        }
    }

    /// The finished report.
    fn finished_report(&self) -> Result<&BacktestReport, JsValue> {
        self.report.as_ref().ok_or_else(|| {
            to_js(EngineError::argument(
                "report",
                "the backtest has not finished: call step() until it returns true",
            ))
        })
    }

    /// The finished report and the interval to summarise it for.
    fn finished(&self, interval_name: &JsValue) -> Result<(&BacktestReport, SummaryInterval), JsValue> {
        Ok((self.finished_report()?, convert::interval(interval_name, &self.config).map_err(to_js)?))
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
        data: JsValue,
        format: JsValue,
        instrument: JsValue,
        initial_balances: JsValue,
        sort: JsValue,
    ) -> Result<Backtest, JsValue> {
        let input = TextInput::from_js(&data, &format, &instrument, &sort).map_err(to_js)?;
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let events = input.events(&config).map_err(to_js)?;
        Ok(Backtest::with_events(config, events))
    }

    /// A backtest over the deterministic synthetic benchmark stream of `n` events (see
    /// `backtest::synthetic`), for measuring the engine in the host.
    pub fn synthetic(config: JsValue, n: usize) -> Result<Backtest, JsValue> {
        let config = convert::config(config).map_err(to_js)?;
        check_event_count(n).map_err(to_js)?;
        let exchange = config.instruments.exchanges()[0];
        let events =
            crate::backtest::synthetic::Synthetic::new(n, exchange, config.instruments.instruments().len())
                .map(|e| e.map(EngineEvent::Market))
                .collect::<Result<Vec<_>, _>>()
                .map_err(to_js)?;
        Ok(Backtest::with_events(config, events))
    }

    /// A backtest over a `Dataset`'s events, shared rather than copied: the data must have been
    /// loaded with a config indexing the same instruments. `initialBalances` as `new`.
    #[wasm_bindgen(js_name = fromDataset)]
    pub fn from_dataset(
        config: JsValue,
        data: &super::dataset::Dataset,
        initial_balances: JsValue,
    ) -> Result<Backtest, JsValue> {
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let events = data.events_for(&config).map_err(to_js)?;
        Ok(Backtest { checked: Checked::Values, ..Backtest::sharing(config, events.shared()) })
    }

    /// Number of market events.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> usize {
        self.total
    }

    /// Events processed so far.
    #[wasm_bindgen(getter)]
    pub fn processed(&self) -> usize {
        match &self.input {
            Some(input) => input.feeder.fed(),
            None => self.next,
        }
    }

    /// Trades with a JS strategy (the adapter `js/strategy.mjs` builds) instead of the config's.
    /// Only before the first step.
    #[wasm_bindgen(js_name = setStrategy)]
    pub fn set_strategy(&mut self, hooks: JsHooks) -> Result<(), JsValue> {
        let streaming = self.input.as_ref().is_some_and(|i| i.feeder.simulation().is_some());
        self.strategy.set(hooks, streaming || self.simulation.is_some() || self.report.is_some())
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

    /// Processes up to `max` more events; returns true when all are done.
    pub fn step(&mut self, max: usize) -> Result<bool, JsValue> {
        if let Some(e) = &self.halted {
            return Err(to_js(e.clone()));
        }
        if self.report.is_some() || self.input.is_some() {
            return Ok(self.report.is_some());
        }
        let sim = match self.simulation.as_mut() {
            Some(s) => s,
            None => {
                let start = first_time(self.events.as_slice());
                let sim = self.strategy.simulation(&self.config, start).map_err(to_js)?;
                self.simulation.insert(sim.events_checked(self.checked))
            }
        };
        let logs = &mut self.logs;
        let (first, end) = (self.next, self.next.saturating_add(max).min(self.total));
        for i in first..end {
            let Some(event) = self.events.get(i) else {
                return Err(to_js(EngineError::internal(format!("events[{i}] is missing"))));
            };
            sim.feed_event(event, &mut |t| logs.record(t))
                .map_err(|e| to_js(e.within(&format!("events[{i}]"))))?;
            self.next = i + 1;
            self.events.fed();
            if let Some(error) = self.strategy.take_failure(|| format!("events[{i}]")) {
                self.halted = Some(halted());
                return Err(error);
            }
        }
        if self.next == self.total {
            let Some(sim) = self.simulation.take() else {
                return Err(to_js(EngineError::internal("a finished backtest has no simulation")));
            };
            let start = sim.engine().state().time_start;
            let report = sim.finish(start, &mut |t| logs.record(t)).map_err(to_js)?;
            // Hooks also run at the end (fills of the closing orders, closePositions).
            if let Some(error) = self.strategy.take_failure(|| "the end of the data".into()) {
                self.halted = Some(halted());
                return Err(error);
            }
            self.report = Some(report);
            self.events = Events::Shared(Rc::default());
            return Ok(true);
        }
        Ok(false)
    }

    /// The finished report as JSON text (the same bytes the native build writes), for `interval`
    /// (`daily`, `annual252`, `annual365`; default: the config's).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self, interval_name: JsValue) -> Result<String, JsValue> {
        let (report, iv) = self.finished(&interval_name)?;
        serde_json::to_string_pretty(&report.to_json(iv))
            .map_err(|e| to_js(EngineError::internal(e.to_string())))
    }

    /// The finished summary as the text table (tear sheets and portfolio statistics).
    #[wasm_bindgen(js_name = reportTable)]
    pub fn report_table(&self, interval_name: JsValue) -> Result<String, JsValue> {
        let (report, iv) = self.finished(&interval_name)?;
        Ok(crate::statistic::table::render(&report.summary(iv)))
    }

    /// The finished run's portfolio statistics only (what sweeps rank by), or null without points.
    pub fn portfolio(&self) -> Result<JsValue, JsValue> {
        let (report, _) = self.finished(&JsValue::UNDEFINED)?;
        convert::to_js(&report.portfolio)
    }

    /// The finished report as a plain object.
    pub fn report(&self, interval_name: JsValue) -> Result<JsValue, JsValue> {
        let (report, iv) = self.finished(&interval_name)?;
        convert::value_to_js(&report.to_json(iv))
    }

    /// The report's small fields, what most callers read: `{stats, backtesting_py_stats}`. The
    /// others (`reportPart`) cost more to build or to cross, so `backtest` reads them lazily.
    /// `interval` is checked here, as the summary's (INVALID_ARGUMENT), before any is read.
    #[wasm_bindgen(js_name = reportHead)]
    pub fn report_head(&self, interval_name: JsValue) -> Result<JsValue, JsValue> {
        let (report, _) = self.finished(&interval_name)?;
        #[derive(serde::Serialize)]
        struct Head<'a> {
            stats: &'a crate::backtest::RunStats,
            backtesting_py_stats: Option<std::collections::BTreeMap<String, serde_json::Value>>,
        }
        let head = Head { stats: &report.stats, backtesting_py_stats: report.backtesting_py_stats() };
        // Through serde_json::Value (as everything, `convert::to_js`): sorted keys, non-finite
        // numbers as null.
        convert::to_js(&head)
    }

    /// The report's equity curve as columns, named as `EquityCurvePoint`'s fields:
    /// `drawdown_duration_secs`, `drawdown_pct` and `equity` as `Float64Array`s, and `time`, the
    /// points' times joined by newlines. `backtest` builds the rows from them in JS: the rows as
    /// JSON text were 600 KB for the S&P 500's 5,031 points, and parsing them took 1.9 ms, more
    /// than the whole run.
    #[wasm_bindgen(js_name = equityCurveColumns)]
    pub fn equity_curve_columns(&self) -> Result<JsValue, JsValue> {
        let curve = self.finished_report()?.equity_curve(crate::backtest::EQUITY_CURVE_POINTS);
        let column = |f: fn(&crate::statistic::equity::EquityCurvePoint) -> f64| {
            js_sys::Float64Array::from(curve.iter().map(f).collect::<Vec<f64>>().as_slice())
        };
        let mut times = String::with_capacity(curve.len() * 21);
        for (i, p) in curve.iter().enumerate() {
            if i > 0 {
                times.push('\n');
            }
            p.time.push_rfc3339(&mut times);
        }
        let columns = js_sys::Object::new();
        for (name, value) in [
            ("drawdown_duration_secs", JsValue::from(column(|p| p.drawdown_duration_secs))),
            ("drawdown_pct", column(|p| p.drawdown_pct).into()),
            ("equity", column(|p| p.equity).into()),
            ("time", times.into()),
        ] {
            js_sys::Reflect::set(&columns, &name.into(), &value)?;
        }
        Ok(columns.into())
    }

    /// One field of the report, as `report` has it: `summary` (for `interval`), `trades`,
    /// `open_trades` or `backtesting_py_trades` (the equity curve: `equityCurveColumns`).
    #[wasm_bindgen(js_name = reportPart)]
    pub fn report_part(&self, part: JsValue, interval_name: JsValue) -> Result<JsValue, JsValue> {
        let (report, iv) = self.finished(&interval_name)?;
        let part = convert::string(&part, "part").map_err(to_js)?;
        // Through serde_json::Value (`convert::to_js`), as `report` and `reportJson`: the same key
        // order and the same nulls for non-finite numbers.
        match part.as_str() {
            "summary" => convert::to_js(&report.summary(iv)),
            "trades" => convert::to_js(&report.closed_trades()),
            "open_trades" => convert::to_js(&report.open_trades()),
            "backtesting_py_trades" => convert::to_js(&report.backtesting_py_trades()),
            other => Err(to_js(EngineError::argument(
                "part",
                format!("{other:?} is not summary, trades, open_trades or backtesting_py_trades"),
            ))),
        }
    }
}
