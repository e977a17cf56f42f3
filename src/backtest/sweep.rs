//! Parameter sweeps: many backtests over one shared data set with different strategy parameters.

use super::{first_time, run_unobserved, BacktestReport, Checked, CheckedEvents, Simulation};
use crate::config::Config;
use crate::engine::Engine;
use crate::error::EngineError;
use crate::event::{EngineEvent, MarketEvent, StreamEvent};
use crate::strategy::shared::{SampleKind, SharedAverages};
use crate::strategy::StrategyConfig;
use serde::Serialize;
use std::cell::{Cell, OnceCell};
use std::rc::Rc;

/// One sweep run: its strategy and its outcome.
#[derive(Clone, Debug, Serialize)]
pub struct SweepResult {
    /// The strategy run.
    pub strategy: StrategyConfig,
    /// The outcome, or why it failed.
    pub report: Result<BacktestReport, EngineError>,
}

/// The most combinations one sweep runs. Each is a full backtest, so a grid past this is almost
/// surely a mistake (1000 × 1000 values); refusing it before any work keeps a host responsive
/// (expanding such a grid eagerly took 8.9 s and 1.5 GB before a run could be stopped).
pub const MAX_COMBINATIONS: usize = 100_000;

/// A parameter grid over a strategy, expanded lazily: combination `k` is built when it is run,
/// so memory stays one combination whatever the grid's size.
///
/// A combination is decoded from JSON text (the decoder the config's own `strategy` goes
/// through), written from pieces kept as text: the strategy's other fields once, each value
/// once. Copying the strategy as a JSON value and writing it whole for every combination took
/// 5.8 µs of each run in wasm, and most of a sweep's set-up (`new`'s probes).
#[derive(Clone, Debug)]
pub struct Grid {
    /// The strategy as JSON fields (what `new` probes each value against).
    base: serde_json::Map<String, serde_json::Value>,
    /// The strategy's fields the grid does not set: an object's text without its `{`.
    rest: String,
    /// Each parameter as JSON text: its name, and each of its values.
    params: Vec<(String, Vec<String>)>,
    len: usize,
}

impl Grid {
    /// Checks a grid (`[("fast", [5, 10]), ("slow", [20, 30])]`) against the config's strategy:
    /// every parameter is one of the strategy's, every value alone a valid value for it, and the
    /// number of combinations at most `MAX_COMBINATIONS` (INVALID_ARGUMENT naming `grid`).
    pub fn new(
        base: &StrategyConfig,
        params: &[(String, Vec<serde_json::Value>)],
    ) -> Result<Grid, EngineError> {
        let grid = Grid::checked_before(base, params)?;
        for ((name, _), (key, values)) in params.iter().zip(&grid.params) {
            if name == "type" || !base.has_param(name) {
                return Err(EngineError::argument(
                    format!("grid.{name}"),
                    format!("strategy {} has no parameter {}", base.name(), crate::error::quote(name)),
                ));
            }
            // Each value alone must be a valid parameter of this strategy (its type), and a length
            // no combination could use (0, past `MAX_WINDOW`) is the caller's mistake, not a
            // combination to skip. Each is tried in the strategy as configured.
            let others = object_tail(&grid.base, &[name]);
            for v in values {
                let one = StrategyConfig::from_json(&object_text([(key, v)], &others)).map_err(|e| {
                    EngineError::argument(format!("grid.{name}"), crate::json::data_message(&e))
                })?;
                one.validate_lengths().map_err(|e| match e {
                    EngineError::InvalidConfig { message, .. } => {
                        EngineError::argument(format!("grid.{name}"), message)
                    }
                    other => other,
                })?;
            }
        }
        Ok(grid)
    }

    /// A grid `new` checks over the same strategy in another wasm instance (a parallel sweep's
    /// workers, while the calling thread checks it): only its shape is checked here (each
    /// parameter once, with a value; at most `MAX_COMBINATIONS`), not each value. Given values
    /// `new` would refuse, a combination using one is skipped as the strategy refuses it
    /// (`get`), never run.
    pub fn checked_before(
        base: &StrategyConfig,
        params: &[(String, Vec<serde_json::Value>)],
    ) -> Result<Grid, EngineError> {
        let mut len: usize = 1;
        for (name, values) in params {
            if values.is_empty() {
                return Err(EngineError::argument(format!("grid.{name}"), "needs at least one value"));
            }
            len = len.checked_mul(values.len()).filter(|n| *n <= MAX_COMBINATIONS).ok_or_else(|| {
                EngineError::argument(
                    "grid",
                    format!(
                        "{} combinations: a sweep runs at most {MAX_COMBINATIONS}; use fewer values",
                        params
                            .iter()
                            .map(|(n, v)| format!("{} {n}", v.len()))
                            .collect::<Vec<_>>()
                            .join(" × ")
                    ),
                )
            })?;
        }
        // (A JSON object's names are unique; a grid built in Rust could repeat one.)
        for (i, (name, _)) in params.iter().enumerate() {
            if params[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(EngineError::argument(format!("grid.{name}"), "is given twice"));
            }
        }
        let base = match serde_json::to_value(base) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(_) => return Err(EngineError::internal("a strategy config wrote no JSON object")),
            Err(e) => return Err(EngineError::internal(e.to_string())),
        };
        let names: Vec<&String> = params.iter().map(|(name, _)| name).collect();
        let rest = object_tail(&base, &names);
        let params = params
            .iter()
            .map(|(name, values)| {
                (
                    serde_json::Value::from(name.as_str()).to_string(),
                    values.iter().map(|v| v.to_string()).collect(),
                )
            })
            .collect();
        Ok(Grid { base, rest, params, len })
    }

    /// Number of combinations, those the strategy refuses included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the grid has no combination (never, once `new` accepted it).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Combination `k` in grid order (last parameter fastest); None when the strategy refuses it
    /// (e.g. fast ≥ slow: skipped, as parameter optimisers do) or `k` is past the end.
    pub fn get(&self, k: usize) -> Option<StrategyConfig> {
        if k >= self.len {
            return None;
        }
        let mut picked = vec![0; self.params.len()];
        let mut rest = k;
        for (i, (_, values)) in self.params.iter().enumerate().rev() {
            picked[i] = rest % values.len();
            rest /= values.len();
        }
        let fields = self.params.iter().zip(picked).map(|((key, values), i)| (key, &values[i]));
        StrategyConfig::from_json(&object_text(fields, &self.rest)).ok().filter(|s| s.validate().is_ok())
    }
}

/// The text of `fields` but those named `left_out`, without the opening `{` (`object_text`'s
/// second half).
fn object_tail(fields: &serde_json::Map<String, serde_json::Value>, left_out: &[&String]) -> String {
    let mut text = String::new();
    for (name, value) in fields.iter().filter(|(name, _)| !left_out.contains(name)) {
        let sep = if text.is_empty() { "" } else { "," };
        text.push_str(&format!("{sep}{}:{value}", serde_json::Value::from(name.as_str())));
    }
    text.push('}');
    text
}

/// JSON object text: the `(key, value)` pairs (each already JSON text) first, then the fields of
/// `tail` (from `object_tail`).
fn object_text<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>, tail: &str) -> String {
    let mut text = String::with_capacity(64 + tail.len());
    text.push('{');
    for (key, value) in pairs {
        text.push_str(key);
        text.push(':');
        text.push_str(value);
        text.push(',');
    }
    if tail == "}" && text.len() > 1 {
        text.pop();
    }
    text.push_str(tail);
    text
}

/// A sweep's config from JSON text (a full config or the quick form). Its strategy may leave out
/// what the grid sets, so `{"strategy": {"type": "sma_cross"}}` swept over `fast` and `slow` is
/// complete: the grid sets them in every run, and requiring them twice only made users repeat
/// themselves. Text that parses as written is taken as written, so a grid naming what the
/// strategy lacks stays the grid's error (`grid.NAME`, from `Grid::new`), not the config's.
pub fn sweep_config(text: &str, params: &[(String, Vec<serde_json::Value>)]) -> Result<Config, EngineError> {
    Config::from_json_str(text).or_else(|_| Config::from_json_str(&with_grid_defaults(text, params)))
}

/// Config JSON text whose strategy takes each swept parameter it leaves out from the grid's
/// first value. Parameters the config names keep its value (the grid still overrides them per
/// run); text that is not an object with a `strategy` object comes back unchanged, for the
/// config parser to refuse with its own message.
fn with_grid_defaults(config: &str, params: &[(String, Vec<serde_json::Value>)]) -> String {
    let Ok(serde_json::Value::Object(mut top)) = crate::json::from_str::<serde_json::Value>(config) else {
        return config.to_owned();
    };
    let Some(serde_json::Value::Object(strategy)) = top.get_mut("strategy") else {
        return config.to_owned();
    };
    let mut changed = false;
    for (name, values) in params {
        if let (false, Some(first)) = (strategy.contains_key(name), values.first()) {
            strategy.insert(name.clone(), first.clone());
            changed = true;
        }
    }
    if changed {
        serde_json::Value::Object(top).to_string()
    } else {
        config.to_owned()
    }
}

/// Expands a grid (see `Grid::new`) over the config's strategy into every valid combination, in
/// grid order (last parameter fastest). Combinations the strategy refuses are skipped; unknown or
/// ill-typed parameters and grids of more than `MAX_COMBINATIONS` are errors.
pub fn grid(
    base: &StrategyConfig,
    params: &[(String, Vec<serde_json::Value>)],
) -> Result<Vec<StrategyConfig>, EngineError> {
    let g = Grid::new(base, params)?;
    Ok((0..g.len()).filter_map(|k| g.get(k)).collect())
}

/// Runs one backtest per strategy over the same events (read in place, never copied per run).
pub fn sweep(
    config: &Config,
    events: &[StreamEvent<MarketEvent>],
    strategies: &[StrategyConfig],
    mut progress: impl FnMut(usize, usize),
) -> Vec<SweepResult> {
    let events: Vec<EngineEvent> = events.iter().cloned().map(EngineEvent::Market).collect();
    let runs = SweepRuns::new(config);
    strategies
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let mut c = config.clone();
            c.strategy = s.clone();
            // Strategies may come from anywhere, not only `grid`: each is checked as config
            // loading checks one before it is built.
            let report = s.validate().and_then(|()| runs.run(&c, &events, false));
            progress(n + 1, strategies.len());
            SweepResult { strategy: s.clone(), report }
        })
        .collect()
}

/// The averages of the sweeps over one set of events: computed by the first run that reads them,
/// for that many instruments and that kind of samples (`SharedAverages::new`), None when they
/// would take too much memory.
pub(crate) type AveragesCell = Rc<OnceCell<(Sampling, Option<Rc<SharedAverages>>)>>;

/// What shared averages are sampled for: a number of instruments and a kind of samples.
pub(crate) type Sampling = (usize, SampleKind);

/// What the runs of one sweep share besides its events: the averages computed once for every
/// run, and what is known of the events: once a run has fed them all without an error, later
/// runs skip the engine's per-event checks (`Checked::Everything`). Each run's report is the one
/// `run_events` gives.
#[derive(Debug)]
pub struct SweepRuns {
    /// Instruments whose samples the averages are over, and the samples' kind, when the strategy
    /// reads shared ones.
    sampling: Option<Sampling>,
    /// Taken from the events at the first run (a thread that builds a sweep only to check it,
    /// as the caller of a parallel sweep does, never samples them); shared with the
    /// `CheckedEvents` the runs are over, if they are, for the next sweep over them.
    averages: AveragesCell,
    /// The averages when those shared were for another number of instruments or kind (a sweep
    /// of Donchian breakouts after one of SMA crosses over the same data set).
    own: OnceCell<Option<Rc<SharedAverages>>>,
    checked: Cell<Checked>,
}

impl SweepRuns {
    /// For the runs of `config`'s strategy (any parameters), each over the same events.
    pub fn new(config: &Config) -> Self {
        let sampling = config.strategy.shared_samples().map(|k| (config.instruments.instruments().len(), k));
        SweepRuns {
            sampling,
            averages: Default::default(),
            own: OnceCell::new(),
            checked: Cell::new(Checked::Nothing),
        }
    }

    /// `new` for runs over `events`, checked: they skip checking values from the first, and
    /// share the averages of every sweep over `events`.
    pub fn over_checked(config: &Config, events: &CheckedEvents) -> Self {
        let runs = SweepRuns { averages: events.averages(), ..SweepRuns::new(config) };
        runs.checked.set(Checked::Values);
        runs
    }

    /// The averages of `events` the strategy reads, computed on first use.
    fn shared(&self, events: &[EngineEvent]) -> Option<Rc<SharedAverages>> {
        let sampling = self.sampling?;
        let sample = || SharedAverages::new(sampling.0, sampling.1, events).map(Rc::new);
        match self.averages.get_or_init(|| (sampling, sample())) {
            (sampled, averages) if *sampled == sampling => averages.clone(),
            _ => self.own.get_or_init(sample).clone(),
        }
    }

    /// One run: `config` is the sweep's with one combination's strategy, over the sweep's events.
    /// Nothing observes it tick by tick, so it coasts where nothing can happen (`coast`). With
    /// `ranked`, the report has only the statistics that need no equity curve
    /// (`BacktestReport::ranked`, `Simulation::ranked_only`).
    pub fn run(
        &self,
        config: &Config,
        events: &[EngineEvent],
        ranked: bool,
    ) -> Result<BacktestReport, EngineError> {
        let start = first_time(events);
        let strategy = config.strategy.build_sharing(self.shared(events).as_ref());
        let mut sim =
            Simulation::with_engine(config, Engine::from_config(config, start).with_strategy(strategy))?
                .events_checked(self.checked.get());
        if ranked {
            sim.ranked_only();
        }
        let report = run_unobserved(sim, start, events)?;
        self.checked.set(Checked::Everything);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sma() -> StrategyConfig {
        StrategyConfig::from_json(
            r#"{"type": "sma_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "1"}}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_swept_parameter_need_not_be_in_the_config() {
        let params =
            vec![("fast".to_owned(), vec![json!(5), json!(10)]), ("slow".to_owned(), vec![json!(30)])];
        let quick = r#"{"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross", "slow": 60}}"#;
        let filled: serde_json::Value = serde_json::from_str(&with_grid_defaults(quick, &params)).unwrap();
        // fast from the grid's first value; slow kept as written (the grid overrides it per run).
        assert_eq!(filled["strategy"], json!({"type": "sma_cross", "fast": 5, "slow": 60}));
        let config = Config::from_json_str(&with_grid_defaults(quick, &params)).unwrap();
        assert_eq!(Grid::new(&config.strategy, &params).unwrap().len(), 2);
        // Without the grid's value the strategy's own default (10) applies.
        let plain = Config::from_json_str(quick).unwrap();
        assert!(matches!(
            plain.strategy,
            crate::strategy::StrategyConfig::SmaCross { fast: 10, slow: 60, .. }
        ));
        // Not an object with a strategy object: unchanged, for the parser's own message.
        for text in ["{", "[]", r#"{"cash": 1}"#, r#"{"strategy": "sma_cross"}"#] {
            assert_eq!(with_grid_defaults(text, &params), text);
        }
    }

    #[test]
    fn a_sweep_config_is_taken_as_written_first() {
        let quick = r#"{"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross"}}"#;
        let params =
            vec![("fast".to_owned(), vec![json!(5), json!(10)]), ("slow".to_owned(), vec![json!(30)])];
        let config = sweep_config(quick, &params).unwrap();
        assert_eq!(Grid::new(&config.strategy, &params).unwrap().len(), 2);
        // A grid naming a parameter the strategy lacks: the config still parses as written with
        // fast/slow given, so the error is the grid's, naming it.
        let full = r#"{"cash": 10000, "strategy": {"type": "sma_cross", "fast": 5, "slow": 30}}"#;
        let bad = vec![("period".to_owned(), vec![json!(3)])];
        let config = sweep_config(full, &bad).unwrap();
        let e = Grid::new(&config.strategy, &bad).unwrap_err();
        assert!(e.to_string().contains("grid.period"), "{e}");
        // A config wrong apart from the grid keeps the parser's message, naming the field.
        let e = sweep_config(r#"{"cash": "lots", "strategy": {"type": "sma_cross"}}"#, &params).unwrap_err();
        assert!(e.to_string().contains("cash"), "{e}");
    }

    #[test]
    fn a_grid_past_the_maximum_is_refused_before_it_is_expanded() {
        let values: Vec<serde_json::Value> = (1..=1000).map(serde_json::Value::from).collect();
        let params = [("fast".to_string(), values.clone()), ("slow".to_string(), values)];
        let started = std::time::Instant::now();
        let e = grid(&sma(), &params).unwrap_err();
        assert!(started.elapsed().as_secs_f64() < 1.0);
        assert_eq!(
            e.to_string(),
            "INVALID_ARGUMENT: grid: 1000 fast × 1000 slow combinations: a sweep runs at most 100000; use fewer values"
        );
        // Past usize too: still the same error, not an overflow.
        let many: Vec<serde_json::Value> = (1..=100).map(serde_json::Value::from).collect();
        let huge: Vec<(String, Vec<serde_json::Value>)> =
            (0..12).map(|_| ("fast".to_string(), many.clone())).collect();
        assert!(grid(&sma(), &huge).unwrap_err().to_string().starts_with("INVALID_ARGUMENT: grid:"));
    }

    #[test]
    fn combinations_are_built_in_grid_order() {
        let params = [
            ("fast".to_string(), vec![1.into(), 2.into(), 3.into()]),
            ("slow".to_string(), vec![3.into(), 4.into()]),
        ];
        let g = Grid::new(&sma(), &params).unwrap();
        assert_eq!(g.len(), 6);
        let pairs: Vec<Option<(usize, usize)>> = (0..7)
            .map(|k| {
                g.get(k).map(|s| match s {
                    StrategyConfig::SmaCross { fast, slow, .. } => (fast, slow),
                    _ => unreachable!(),
                })
            })
            .collect();
        assert_eq!(pairs, [Some((1, 3)), Some((1, 4)), Some((2, 3)), Some((2, 4)), None, Some((3, 4)), None]);
    }

    #[test]
    fn a_combination_keeps_every_field_the_grid_does_not_set() {
        let base = StrategyConfig::from_json(
            r#"{"type": "sma_cross", "fast": 2, "slow": 9, "allow_short": true, "stop_loss": 0.05,
                "sizing": {"equity_fraction": {"fraction": "0.5", "whole_units": true}}}"#,
        )
        .unwrap();
        let g = Grid::new(&base, &[("slow".to_string(), vec![7.into()])]).unwrap();
        let expected = StrategyConfig::from_json(
            r#"{"type": "sma_cross", "fast": 2, "slow": 7, "allow_short": true, "stop_loss": 0.05,
                "sizing": {"equity_fraction": {"fraction": "0.5", "whole_units": true}}}"#,
        )
        .unwrap();
        assert_eq!(g.get(0), Some(expected));
        // Both windows swept: the rest (type, sizing, exits) comes from the strategy.
        let params = [("fast".to_string(), vec![3.into()]), ("slow".to_string(), vec![5.into()])];
        assert!(matches!(
            Grid::new(&sma(), &params).unwrap().get(0),
            Some(StrategyConfig::SmaCross { fast: 3, slow: 5, .. })
        ));
    }

    #[test]
    fn object_text_joins_pairs_and_a_tail_into_one_object() {
        let (k, v) = (r#""a\"b""#.to_string(), "[1,2]".to_string());
        assert_eq!(object_text([], "}"), "{}");
        assert_eq!(object_text([(&k, &v)], "}"), r#"{"a\"b":[1,2]}"#);
        let fields = json!({"type": "x", "n": 1, "o": {"p": "q"}});
        let tail = object_tail(fields.as_object().unwrap(), &[&"n".to_string()]);
        assert_eq!(tail, r#""o":{"p":"q"},"type":"x"}"#);
        let text = object_text([(&k, &v)], &tail);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            json!({"a\"b": [1, 2], "o": {"p": "q"}, "type": "x"})
        );
        let all: Vec<String> = ["type", "n", "o"].iter().map(|s| s.to_string()).collect();
        assert_eq!(object_tail(fields.as_object().unwrap(), &all.iter().collect::<Vec<_>>()), "}");
    }

    #[test]
    fn a_parameter_given_twice_is_refused() {
        let params = [("fast".to_string(), vec![1.into()]), ("fast".to_string(), vec![2.into()])];
        assert_eq!(
            Grid::new(&sma(), &params).unwrap_err().to_string(),
            "INVALID_ARGUMENT: grid.fast: is given twice"
        );
    }

    #[test]
    fn a_grid_checked_before_skips_what_new_refuses() {
        // What `new` refuses (a wrong type, a zero window) a grid taken as checked never runs.
        let params = [("fast".to_string(), vec!["two".into(), 0.into(), 1.into()])];
        assert!(Grid::new(&sma(), &params).is_err());
        let g = Grid::checked_before(&sma(), &params).unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g.get(0), None);
        assert_eq!(g.get(1), None);
        assert!(matches!(g.get(2), Some(StrategyConfig::SmaCross { fast: 1, slow: 3, .. })));
        // Its shape is still checked.
        let empty = [("fast".to_string(), vec![])];
        assert!(Grid::checked_before(&sma(), &empty).is_err());
    }

    #[test]
    fn sweeps_over_one_data_set_share_its_averages() {
        let config = Config::from_json_str(
            r#"{"cash": 10000, "strategy": {"type": "sma_cross", "fast": 2, "slow": 3}}"#,
        )
        .unwrap();
        let mut bars = crate::test_util::candles(&["1", "2", "3", "2", "1"]);
        for e in &mut bars {
            if let EngineEvent::Market(StreamEvent::Item(m)) = e {
                m.exchange = config.instruments.instruments()[0].exchange_id;
            }
        }
        let events = CheckedEvents::new(bars).unwrap();
        let first = SweepRuns::over_checked(&config, &events);
        let later = SweepRuns::over_checked(&config, &events);
        // None sampled until a run reads them; then one set for every sweep over the events.
        assert!(events.averages().get().is_none());
        let shared = first.shared(&events).unwrap();
        assert!(Rc::ptr_eq(&shared, &later.shared(&events).unwrap()));
        // A sweep of its own events, or for another number of instruments, samples its own.
        let alone = SweepRuns::new(&config);
        assert!(!Rc::ptr_eq(&shared, &alone.shared(&events).unwrap()));
        let wider =
            SweepRuns { sampling: Some((2, SampleKind::Marks)), ..SweepRuns::over_checked(&config, &events) };
        let own = wider.shared(&events).unwrap();
        assert!(!Rc::ptr_eq(&shared, &own));
        assert!(Rc::ptr_eq(&own, &wider.shared(&events).unwrap()), "computed once");
        // A strategy reading none samples nothing.
        let none = Config::from_json_str(r#"{"cash": 10000, "strategy": {"type": "none"}}"#).unwrap();
        assert!(SweepRuns::over_checked(&none, &events).shared(&events).is_none());
        // RSI reversion reads them (its RSI series), in the same cell.
        let rsi = Config::from_json_str(
            r#"{"cash": 10000, "strategy": {"type": "rsi_reversion", "period": 2, "oversold": 30, "overbought": 70}}"#,
        )
        .unwrap();
        assert!(Rc::ptr_eq(&shared, &SweepRuns::over_checked(&rsi, &events).shared(&events).unwrap()));
        // A Donchian breakout reads bars, not marks: its own, computed once, whose breakouts a run
        // reads (one series of each channel's).
        let donchian = Config::from_json_str(
            r#"{"cash": 10000, "strategy": {"type": "donchian_breakout", "entry_period": 2, "exit_period": 2}}"#,
        )
        .unwrap();
        let channels = SweepRuns::over_checked(&donchian, &events);
        let bars = channels.shared(&events).unwrap();
        assert!(!Rc::ptr_eq(&shared, &bars));
        assert!(Rc::ptr_eq(&bars, &channels.shared(&events).unwrap()));
        channels.run(&donchian, &events, false).unwrap();
        assert_eq!(bars.computed(), 2);
        // The runs give the same report either way.
        let json = |runs: &SweepRuns| {
            let r = runs.run(&config, &events, false).unwrap();
            serde_json::to_string(&r.to_json(crate::config::SummaryInterval::Daily)).unwrap()
        };
        assert_eq!(json(&later), json(&alone));
    }
}
