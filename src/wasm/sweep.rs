//! `Sweep`: many backtests over one parsed data set with a grid of strategy parameters, run in
//! chunks of combinations (`runIndices`) by one thread or by the workers of a parallel sweep; the
//! JS API ranks the rows (js/api.mjs `rank`), whatever ran them.

use super::convert;
use super::error::to_js;
use crate::backtest::{Grid, SweepRuns};
use crate::config::Config;
use crate::error::EngineError;
use crate::event::EngineEvent;
use crate::statistic::portfolio::PortfolioStats;
use crate::statistic::ranked::RankedStats;
use crate::strategy::StrategyConfig;
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One finished combination.
#[derive(Serialize)]
struct SweepRow {
    strategy: StrategyConfig,
    stats: Option<RowStats>,
    error: Option<String>,
}

/// A row's statistics: every one, or only those that need no equity curve.
#[derive(Serialize)]
#[serde(untagged)]
enum RowStats {
    All(Box<PortfolioStats>),
    Ranked(Box<RankedStats>),
}

/// A parameter sweep in progress. Combinations are built one at a time, when they run.
#[wasm_bindgen]
pub struct Sweep {
    config: Config,
    /// Shared with the `Dataset` it came from, if any; every combination reads it in place.
    events: Rc<Vec<EngineEvent>>,
    /// The grid, checked up front and expanded one combination at a time.
    grid: Grid,
    /// Combinations in the grid, those the strategy refuses included.
    total: usize,
    /// What every combination's run shares besides the events.
    runs: SweepRuns,
}

impl Sweep {
    /// The config (with the grid's defaults and `initialBalances`) and the checked grid.
    fn setup(
        config: JsValue,
        grid_spec: JsValue,
        initial_balances: JsValue,
        checked: JsValue,
    ) -> Result<(Config, Grid), EngineError> {
        let config_text = convert::config_text(config)?;
        // Through JSON text: getters run behind a catch, never from inside wasm.
        let spec = match convert::decode::<serde_json::Value>(grid_spec, "grid")? {
            serde_json::Value::Object(m) => m,
            _ => return Err(EngineError::argument("grid", "expected an object of parameter arrays")),
        };
        let mut params = Vec::new();
        for (name, values) in spec {
            let values = values.as_array().cloned().ok_or_else(|| {
                EngineError::argument(format!("grid.{name}"), "expected an array of values")
            })?;
            params.push((name, values));
        }
        let config = crate::backtest::sweep_config(&config_text, &params)
            .and_then(|c| convert::with_balances(c, initial_balances))?;
        let grid = match checked.as_bool() {
            Some(true) => Grid::checked_before(&config.strategy, &params)?,
            _ => Grid::new(&config.strategy, &params)?,
        };
        Ok((config, grid))
    }

    fn with(config: Config, events: Rc<Vec<EngineEvent>>, grid: Grid, runs: SweepRuns) -> Sweep {
        Sweep { config, total: grid.len(), grid, events, runs }
    }

    /// Runs combination `k`, or None when the strategy refuses it (fast ≥ slow). With `ranked`,
    /// its row has only the statistics that need no equity curve.
    fn run_one(&self, k: usize, ranked: bool) -> Option<SweepRow> {
        let mut c = self.config.clone();
        c.strategy = self.grid.get(k)?;
        Some(match self.runs.run(&c, &self.events, ranked) {
            Ok(r) => {
                let stats = match ranked {
                    true => r.ranked.map(|s| RowStats::Ranked(Box::new(s))),
                    false => r.portfolio.map(|s| RowStats::All(Box::new(s))),
                };
                SweepRow { strategy: c.strategy, stats, error: None }
            }
            Err(e) => SweepRow { strategy: c.strategy, stats: None, error: Some(e.to_string()) },
        })
    }
}

#[wasm_bindgen]
impl Sweep {
    /// Parses the data once and expands `grid` (`{"fast": [5, 10], "slow": [20, 30]}`) over the
    /// config's strategy; invalid combinations (fast ≥ slow) are skipped. `checked` true: the
    /// grid's values are checked by another Sweep over the same config (a parallel sweep's
    /// calling thread, meanwhile), so only the grid's shape is checked here, and a combination
    /// with a value that one refuses is skipped, never run (`Grid::checked_before`).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)] // the JS constructor's positional arguments
    pub fn new(
        config: JsValue,
        data: JsValue,
        format: JsValue,
        instrument: JsValue,
        grid_spec: JsValue,
        initial_balances: JsValue,
        sort: JsValue,
        checked: JsValue,
    ) -> Result<Sweep, JsValue> {
        let input = super::backtest::TextInput::from_js(&data, &format, &instrument, &sort).map_err(to_js)?;
        let (config, grid) = Sweep::setup(config, grid_spec, initial_balances, checked).map_err(to_js)?;
        let events = input.events(&config).map_err(to_js)?;
        let runs = SweepRuns::new(&config);
        Ok(Sweep::with(config, Rc::new(events), grid, runs))
    }

    /// A sweep over a `Dataset`'s events (loaded with a config indexing the same instruments),
    /// shared rather than parsed again. `checked` as for the constructor.
    #[wasm_bindgen(js_name = fromDataset)]
    pub fn from_dataset(
        config: JsValue,
        data: &super::dataset::Dataset,
        grid_spec: JsValue,
        initial_balances: JsValue,
        checked: JsValue,
    ) -> Result<Sweep, JsValue> {
        let (config, grid) = Sweep::setup(config, grid_spec, initial_balances, checked).map_err(to_js)?;
        let events = data.events_for(&config).map_err(to_js)?;
        let runs = SweepRuns::over_checked(&config, &events);
        Ok(Sweep::with(config, events.shared(), grid, runs))
    }

    /// Combinations in the grid, those the strategy refuses (fast ≥ slow) included.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> usize {
        self.total
    }

    /// Market events in the parsed data (what one combination's run processes).
    #[wasm_bindgen(getter)]
    pub fn events(&self) -> usize {
        self.events.len()
    }

    /// Runs the combinations numbered `indices` (grid order, last parameter fastest) and returns
    /// their rows `[{index, strategy, stats, error}]` unranked, as JSON text, leaving out those
    /// the strategy refuses (fast ≥ slow). What a worker of a parallel sweep runs: any split of
    /// the grid gives the same rows, since every combination starts from the same parsed data.
    /// With `ranked` true, each row's `stats` are only those of `rankedStatistics()` (runs about
    /// three times as fast: no equity curve). Text, not objects: a worker posts it in one copy,
    /// where structured cloning the rows took 0.06-0.14 ms a chunk of its time; `JSON.parse`
    /// gives the objects `report` would (non-finite statistics are null).
    #[wasm_bindgen(js_name = runIndices)]
    pub fn run_indices(&self, indices: Vec<u32>, ranked: Option<bool>) -> Result<String, JsValue> {
        let ranked = ranked.unwrap_or(false);
        #[derive(Serialize)]
        struct Indexed {
            index: usize,
            #[serde(flatten)]
            row: SweepRow,
        }
        let mut rows = Vec::with_capacity(indices.len());
        for k in indices {
            let k = k as usize;
            if k >= self.total {
                return Err(to_js(EngineError::argument(
                    "indices",
                    format!("combination {k} is past the grid's {}", self.total),
                )));
            }
            if let Some(row) = self.run_one(k, ranked) {
                rows.push(Indexed { index: k, row });
            }
        }
        // Through serde_json::Value, as `report`: its objects' fields in name order.
        Ok(serde_json::to_value(&rows).map_err(|e| to_js(EngineError::internal(e.to_string())))?.to_string())
    }
}
