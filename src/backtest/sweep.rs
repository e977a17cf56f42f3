//! Parameter sweeps: many backtests over one shared data set with different strategy parameters.

use super::{run, BacktestReport};
use crate::config::Config;
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};
use crate::strategy::StrategyConfig;
use serde::Serialize;

/// One sweep run: its strategy and its outcome.
#[derive(Clone, Debug, Serialize)]
pub struct SweepResult {
    /// The strategy run.
    pub strategy: StrategyConfig,
    /// The outcome, or why it failed.
    pub report: Result<BacktestReport, EngineError>,
}

/// Expands a grid (`[("fast", [5, 10]), ("slow", [20, 30])]`) over the config's strategy into every
/// combination, in grid order (last parameter fastest). Invalid combinations (e.g. fast ≥ slow)
/// are skipped, as parameter optimisers do.
pub fn grid(base: &StrategyConfig, params: &[(String, Vec<serde_json::Value>)]) -> Result<Vec<StrategyConfig>, EngineError> {
    let mut out = vec![base.clone()];
    for (name, values) in params {
        if values.is_empty() {
            return Err(EngineError::argument(format!("grid.{name}"), "needs at least one value"));
        }
        let mut next = Vec::new();
        for s in &out {
            for v in values {
                match s.with_param(name, v.clone()) {
                    Ok(c) => next.push(c),
                    // A valid value in an invalid combination (validation names `strategy.*`): skipped.
                    Err(EngineError::InvalidArgument { field, .. }) if field.starts_with("strategy.") => {}
                    Err(EngineError::InvalidArgument { field, message }) => {
                        return Err(EngineError::InvalidArgument { field: format!("grid.{field}"), message });
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        out = next;
    }
    Ok(out)
}

/// Runs one backtest per strategy over the same events (borrowed, never copied per run).
pub fn sweep(config: &Config, events: &[StreamEvent<MarketEvent>], strategies: &[StrategyConfig], mut progress: impl FnMut(usize, usize)) -> Vec<SweepResult> {
    strategies
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let mut c = config.clone();
            c.strategy = s.clone();
            let report = run(&c, events.iter().cloned().map(Ok), &mut |_| {});
            progress(n + 1, strategies.len());
            SweepResult { strategy: s.clone(), report }
        })
        .collect()
}
