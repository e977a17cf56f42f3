//! `Sweep`: many backtests over one parsed data set with a grid of strategy parameters, run one
//! combination per `step`, ranked at the end by a portfolio statistic.

use super::convert;
use super::error::to_js;
use crate::backtest::{run, Grid};
use crate::config::Config;
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};
use crate::statistic::portfolio::PortfolioStats;
use crate::strategy::StrategyConfig;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One finished combination.
#[derive(Serialize)]
struct SweepRow {
    strategy: StrategyConfig,
    stats: Option<PortfolioStats>,
    error: Option<String>,
}

/// A parameter sweep in progress. Combinations are built one at a time, when they run.
#[wasm_bindgen]
pub struct Sweep {
    config: Config,
    events: Vec<StreamEvent<MarketEvent>>,
    /// The grid, checked up front and expanded one combination at a time.
    grid: Grid,
    /// Combinations in the grid, those the strategy refuses included.
    total: usize,
    /// Combinations visited so far.
    next: usize,
    rows: Vec<SweepRow>,
}

/// The statistic value used for ranking (higher is better, so drawdowns and volatility are
/// negated; `null` ranks last).
fn rank_value(stats: &Option<PortfolioStats>, key: &str) -> Result<Option<f64>, EngineError> {
    let Some(s) = stats else { return Ok(None) };
    let v = serde_json::to_value(s).map_err(|e| EngineError::internal(e.to_string()))?;
    let sign = if PortfolioStats::LOWER_IS_BETTER.contains(&key) { -1.0 } else { 1.0 };
    match v.get(key) {
        Some(x) => Ok(x.as_f64().map(|x| sign * x)),
        None => Err(EngineError::argument(
            "rankBy",
            format!("{key:?} is not a portfolio statistic (e.g. sharpe_ratio, return_pct, sqn)"),
        )),
    }
}

impl Sweep {
    /// Runs combination `k`, or None when the strategy refuses it (fast ≥ slow).
    fn run_one(&self, k: usize) -> Option<SweepRow> {
        let mut c = self.config.clone();
        c.strategy = self.grid.get(k)?;
        Some(match run(&c, self.events.iter().cloned().map(Ok), &mut |_| {}) {
            Ok(r) => SweepRow { strategy: c.strategy, stats: r.portfolio, error: None },
            Err(e) => SweepRow { strategy: c.strategy, stats: None, error: Some(e.to_string()) },
        })
    }
}

#[wasm_bindgen]
impl Sweep {
    /// Parses the data once and expands `grid` (`{"fast": [5, 10], "slow": [20, 30]}`) over the
    /// config's strategy; invalid combinations (fast ≥ slow) are skipped.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: JsValue,
        data: JsValue,
        format: JsValue,
        instrument: JsValue,
        grid_spec: JsValue,
        initial_balances: JsValue,
        sort: JsValue,
    ) -> Result<Sweep, JsValue> {
        let data = convert::text(&data, "data").map_err(to_js)?;
        let how = super::backtest::TextData::from_js(&format, &instrument, &sort).map_err(to_js)?;
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        // Through JSON text: getters run behind a catch, never from inside wasm.
        let spec = match convert::decode::<serde_json::Value>(grid_spec, "grid").map_err(to_js)? {
            serde_json::Value::Object(m) => m,
            _ => return Err(to_js(EngineError::argument("grid", "expected an object of parameter arrays"))),
        };
        let mut params = Vec::new();
        for (name, values) in spec {
            let values = values.as_array().cloned().ok_or_else(|| {
                to_js(EngineError::argument(format!("grid.{name}"), "expected an array of values"))
            })?;
            params.push((name, values));
        }
        let grid = Grid::new(&config.strategy, &params).map_err(to_js)?;
        let events = super::backtest::parse_data(&config, &data, how, |e| e).map_err(to_js)?;
        Ok(Sweep { config, events, total: grid.len(), grid, next: 0, rows: Vec::new() })
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

    /// Combinations visited so far (run or skipped).
    #[wasm_bindgen(getter)]
    pub fn processed(&self) -> usize {
        self.next
    }

    /// Visits up to `max` more combinations, running the valid ones; true when all are done.
    pub fn step(&mut self, max: usize) -> bool {
        let end = self.next.saturating_add(max).min(self.total);
        for k in self.next..end {
            self.next = k + 1;
            if let Some(row) = self.run_one(k) {
                self.rows.push(row);
            }
        }
        self.next == self.total
    }

    /// Runs the combinations numbered `indices` (grid order, last parameter fastest) and returns
    /// their rows `{index, strategy, stats, error}` unranked, leaving out those the strategy
    /// refuses (fast ≥ slow). What a worker of a parallel sweep runs: any split of the grid gives
    /// the same rows, since every combination starts from the same parsed data.
    #[wasm_bindgen(js_name = runIndices)]
    pub fn run_indices(&self, indices: Vec<u32>) -> Result<JsValue, JsValue> {
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
            if let Some(row) = self.run_one(k) {
                rows.push(Indexed { index: k, row });
            }
        }
        // Through serde_json::Value, as `report`: non-finite statistics become null.
        convert::to_js(&serde_json::to_value(&rows).map_err(|e| to_js(EngineError::internal(e.to_string())))?)
    }

    /// Results ranked by a portfolio statistic (snake_case, e.g. `sharpe_ratio`), best first.
    pub fn results(&self, rank_by: JsValue) -> Result<JsValue, JsValue> {
        let rank_by = &convert::string(&rank_by, "rankBy").map_err(to_js)?;
        let mut keyed = Vec::with_capacity(self.rows.len());
        for (i, r) in self.rows.iter().enumerate() {
            keyed.push((rank_value(&r.stats, rank_by).map_err(to_js)?, i));
        }
        // Best first; undefined values last; ties keep grid order (stable sort).
        keyed.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let ranked: Vec<&SweepRow> = keyed.iter().map(|(_, i)| &self.rows[*i]).collect();
        convert::to_js(&ranked)
    }
}
