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
/// combination, in grid order (last parameter fastest). Combinations the strategy refuses (e.g.
/// fast ≥ slow) are skipped, as parameter optimisers do; unknown or ill-typed parameters are errors.
pub fn grid(
    base: &StrategyConfig,
    params: &[(String, Vec<serde_json::Value>)],
) -> Result<Vec<StrategyConfig>, EngineError> {
    let base_json = serde_json::to_value(base).map_err(|e| EngineError::internal(e.to_string()))?;
    for (name, values) in params {
        if values.is_empty() {
            return Err(EngineError::argument(format!("grid.{name}"), "needs at least one value"));
        }
        // Each value alone must be a valid parameter of this strategy (type and name).
        for v in values {
            let mut probe = base_json.clone();
            probe[name.as_str()] = v.clone();
            if name == "type" || !base.has_param(name) {
                return Err(EngineError::argument(
                    format!("grid.{name}"),
                    format!("strategy {} has no parameter {}", base.name(), crate::error::quote(name)),
                ));
            }
            let one = serde_json::from_value::<StrategyConfig>(probe)
                .map_err(|e| EngineError::argument(format!("grid.{name}"), e.to_string()))?;
            // A length no combination could use (0, past `MAX_WINDOW`) is the caller's mistake,
            // not a combination to skip.
            one.validate_lengths().map_err(|e| match e {
                EngineError::InvalidConfig { message, .. } => {
                    EngineError::argument(format!("grid.{name}"), message)
                }
                other => other,
            })?;
        }
    }
    let mut combos = vec![base_json];
    for (name, values) in params {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values.iter().map(move |v| {
                    let mut next = c.clone();
                    next[name.as_str()] = v.clone();
                    next
                })
            })
            .collect();
    }
    Ok(combos
        .into_iter()
        .filter_map(|c| serde_json::from_value::<StrategyConfig>(c).ok())
        .filter(|s| s.validate().is_ok())
        .collect())
}

/// Runs one backtest per strategy over the same events (borrowed, never copied per run).
pub fn sweep(
    config: &Config,
    events: &[StreamEvent<MarketEvent>],
    strategies: &[StrategyConfig],
    mut progress: impl FnMut(usize, usize),
) -> Vec<SweepResult> {
    strategies
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let mut c = config.clone();
            c.strategy = s.clone();
            // Strategies may come from anywhere, not only `grid`: each is checked as config
            // loading checks one before it is built.
            let report = s.validate().and_then(|()| run(&c, events.iter().cloned().map(Ok), &mut |_| {}));
            progress(n + 1, strategies.len());
            SweepResult { strategy: s.clone(), report }
        })
        .collect()
}
