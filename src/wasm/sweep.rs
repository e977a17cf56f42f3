//! `Sweep`: many backtests over one parsed data set with a grid of strategy parameters, run one
//! combination per `step`, ranked at the end by a portfolio statistic.

use super::convert;
use super::error::to_js;
use crate::backtest::{grid, run};
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

/// A parameter sweep in progress.
#[wasm_bindgen]
pub struct Sweep {
    config: Config,
    events: Vec<StreamEvent<MarketEvent>>,
    strategies: Vec<StrategyConfig>,
    rows: Vec<SweepRow>,
}

/// The statistic value used for ranking (higher is better; `null` ranks last).
fn rank_value(stats: &Option<PortfolioStats>, key: &str) -> Result<Option<f64>, EngineError> {
    let Some(s) = stats else { return Ok(None) };
    let v = serde_json::to_value(s).map_err(|e| EngineError::internal(e.to_string()))?;
    match v.get(key) {
        Some(x) => Ok(x.as_f64()),
        None => Err(EngineError::argument(
            "rankBy",
            format!("{key:?} is not a portfolio statistic (e.g. sharpe_ratio, return_pct, sqn)"),
        )),
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
    ) -> Result<Sweep, JsValue> {
        let data = convert::string(&data, "data").map_err(to_js)?;
        let format = convert::string(&format, "format").map_err(to_js)?;
        let instrument = convert::opt_string(&instrument, "instrument").map_err(to_js)?;
        let config = convert::config_with_balances(config, initial_balances).map_err(to_js)?;
        let spec: serde_json::Map<String, serde_json::Value> = serde_wasm_bindgen::from_value(grid_spec)
            .map_err(|e| to_js(EngineError::argument("grid", e.to_string())))?;
        let mut params = Vec::new();
        for (name, values) in spec {
            let values = values.as_array().cloned().ok_or_else(|| {
                to_js(EngineError::argument(format!("grid.{name}"), "expected an array of values"))
            })?;
            params.push((name, values));
        }
        let strategies = grid(&config.strategy, &params).map_err(to_js)?;
        let events =
            super::backtest::parse_data(&config, &data, &format, instrument, |e| e).map_err(to_js)?;
        Ok(Sweep { config, events, strategies, rows: Vec::new() })
    }

    /// Combinations in the grid.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> usize {
        self.strategies.len()
    }

    /// Combinations run so far.
    #[wasm_bindgen(getter)]
    pub fn processed(&self) -> usize {
        self.rows.len()
    }

    /// Runs up to `max` more combinations; true when all are done.
    pub fn step(&mut self, max: usize) -> bool {
        let end = (self.rows.len() + max).min(self.strategies.len());
        for k in self.rows.len()..end {
            let mut c = self.config.clone();
            c.strategy = self.strategies[k].clone();
            let row = match run(&c, self.events.iter().cloned().map(Ok), &mut |_| {}) {
                Ok(r) => SweepRow { strategy: c.strategy, stats: r.portfolio, error: None },
                Err(e) => SweepRow { strategy: c.strategy, stats: None, error: Some(e.to_string()) },
            };
            self.rows.push(row);
        }
        self.rows.len() == self.strategies.len()
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
