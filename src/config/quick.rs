//! The quick config: one instrument, cash, commission and a strategy, with backtesting.py's
//! defaults (fills at the next bar's open, all-in whole-unit sizing, no latency). It expands into
//! the barter-shaped config every other path uses, so the two cannot behave differently.
//!
//! ```json
//! {"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}}
//! ```
//! Optional: `symbol` (default `"ASSET"`, the name data rows map to), `quote` (default `"usd"`),
//! `risk_free_return`, `engine` and `risk` (as in the full config). A strategy without `sizing`
//! buys with all the cash in whole units, as backtesting.py's `buy()` does.

use crate::error::EngineError;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// The fields of a quick config (`cash` in units of `quote`, `commission` a fraction of notional). `engine`, `risk` and `strategy` are passed through as written, so
/// their errors carry the same paths as in a full config.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "QuickConfig")]
pub(super) struct Quick {
    /// Starting cash, in units of `quote`.
    cash: Decimal,
    /// Commission as a fraction of notional, charged on entry and exit (0.002 = 0.2 %).
    #[serde(default)]
    commission: Decimal,
    /// The instrument's name, which data rows map to (default `"ASSET"`).
    #[serde(default)]
    symbol: Option<String>,
    /// The cash asset (default `"usd"`).
    #[serde(default)]
    quote: Option<String>,
    /// Annual risk-free rate as a fraction, for the ratios.
    #[serde(default)]
    risk_free_return: Option<Decimal>,
    /// Engine options, as in the full config.
    #[serde(default)]
    #[schemars(with = "Option<super::EngineOptions>")]
    engine: Option<Value>,
    /// Risk knobs, as in the full config.
    #[serde(default)]
    #[schemars(with = "Option<crate::risk::RiskConfig>")]
    risk: Option<Value>,
    /// The built-in strategy; without `sizing` it buys with all the cash in whole units.
    #[serde(default)]
    #[schemars(with = "Option<crate::strategy::StrategyConfig>")]
    strategy: Option<Value>,
}

/// Whether the top-level keys are a quick config's: `cash` without barter's `instruments`/`system`.
pub(super) fn is_quick(keys: &std::collections::BTreeMap<String, serde::de::IgnoredAny>) -> bool {
    keys.contains_key("cash") && !keys.contains_key("instruments") && !keys.contains_key("system")
}

/// Expands quick-config text into the equivalent full config's JSON text.
pub(super) fn expand(text: &str) -> Result<String, EngineError> {
    let q: Quick = super::decode(text)?;
    if q.cash <= Decimal::ZERO || q.cash > crate::event::MAX_BALANCE {
        return Err(EngineError::config(
            "cash",
            format!("must be above 0 and at most {}, got {}", crate::event::MAX_BALANCE, q.cash),
        ));
    }
    if q.commission < Decimal::ZERO || q.commission >= Decimal::ONE {
        return Err(EngineError::config(
            "commission",
            format!("must be a fraction in [0, 1) (0.002 is 0.2%), got {}", q.commission),
        ));
    }
    let symbol = q.symbol.unwrap_or_else(|| "ASSET".to_string());
    let quote = q.quote.unwrap_or_else(|| "usd".to_string());
    for (field, name) in [("symbol", &symbol), ("quote", &quote)] {
        if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EngineError::config(
                field,
                "expected a non-empty name of at most 64 characters without spaces",
            ));
        }
    }
    let mut config = json!({
        "risk_free_return": q.risk_free_return.unwrap_or_default(),
        "instruments": [{
            "exchange": "other", "name_exchange": symbol, "kind": "spot",
            "underlying": { "base": symbol.to_ascii_lowercase(), "quote": quote.to_ascii_lowercase() },
            "quote": "underlying_quote",
        }],
        "executions": [{
            "mocked_exchange": "other", "latency_ms": 0, "fees_percent": q.commission,
            "initial_state": { "exchange": "other", "balances": [{
                "asset": quote.to_ascii_lowercase(),
                "balance": { "total": q.cash, "free": q.cash },
                "time_exchange": "1970-01-01T00:00:00Z",
            }]},
        }],
    });
    let Value::Object(top) = &mut config else { unreachable!("built as an object above") };
    if let Some(engine) = q.engine {
        top.insert("engine".into(), engine);
    }
    if let Some(risk) = q.risk {
        top.insert("risk".into(), risk);
    }
    if let Some(strategy) = q.strategy {
        top.insert("strategy".into(), with_default_sizing(strategy));
    }
    Ok(config.to_string())
}

/// backtesting.py's `buy()` with no size: all the cash, whole units. Only a strategy object that
/// names a type and no sizing gets it; anything else is left for the strategy decoder to judge.
fn with_default_sizing(strategy: Value) -> Value {
    match strategy {
        Value::Object(mut s) if s.contains_key("type") && !s.contains_key("sizing") && takes_sizing(&s) => {
            s.insert("sizing".into(), json!({ "equity_fraction": { "fraction": "1", "whole_units": true } }));
            Value::Object(s)
        }
        other => other,
    }
}

/// Built-in strategies that size their entries (the market maker quotes fixed sizes, `none` trades not).
fn takes_sizing(s: &Map<String, Value>) -> bool {
    !matches!(s.get("type").and_then(Value::as_str), Some("none" | "market_maker"))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::test_util::d;

    #[test]
    fn expands_to_the_sample_config() {
        // data/sp500_sma_cross.json written the long way; the quick form must give the same config
        // (the balance time aside, which only stamps the initial snapshot).
        let quick = Config::from_json_str(
            r#"{"cash": 10000, "commission": 0.002, "symbol": "SPX",
                "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}}"#,
        )
        .unwrap();
        let mut full: Config =
            Config::from_json_str(&std::fs::read_to_string("data/sp500_sma_cross.json").unwrap()).unwrap();
        full.executions[0].initial_state.balances[0].time_exchange =
            quick.executions[0].initial_state.balances[0].time_exchange;
        assert_eq!(quick, full);
        assert_eq!(quick.executions[0].fees_percent, d("0.002"));
    }

    #[test]
    fn refusals_name_the_field() {
        for (text, path) in [
            (r#"{"cash": 0}"#, "cash"),
            (r#"{"cash": -5}"#, "cash"),
            (r#"{"cash": "lots"}"#, "cash"),
            (r#"{"cash": 100000000000000000}"#, "cash"),
            (r#"{"cash": 100, "commission": 1}"#, "commission"),
            (r#"{"cash": 100, "commission": -0.1}"#, "commission"),
            (r#"{"cash": 100, "comission": 0.1}"#, "comission"),
            (r#"{"cash": 100, "symbol": ""}"#, "symbol"),
            (r#"{"cash": 100, "quote": "u s d"}"#, "quote"),
            (r#"{"cash": 100, "strategy": {"type": "sma_cross", "fast": "ten"}}"#, "strategy.fast"),
            (r#"{"cash": 100, "strategy": {"fast": 5, "type": "sma_cross", "slow": [9]}}"#, "strategy.slow"),
            (r#"{"cash": 100, "strategy": {"type": "sma_crossing"}}"#, "strategy.type"),
            (r#"{"cash": 100, "strategy": {"fast": 5}}"#, "strategy"),
            (r#"{"cash": 100, "engine": {"audit": 3}}"#, "engine.audit"),
        ] {
            match Config::from_json_str(text) {
                Err(crate::EngineError::InvalidConfig { path: p, message }) => {
                    assert_eq!(p, path, "{text}: {message}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn sizing_defaults_to_all_in_whole_units_only_when_absent() {
        let c = Config::from_json_str(
            r#"{"cash": 100, "strategy": {"type": "buy_and_hold", "sizing": {"fixed_quantity": "2"}}}"#,
        )
        .unwrap();
        assert_eq!(
            c.strategy,
            crate::strategy::StrategyConfig::BuyAndHold {
                sizing: crate::strategy::Sizing::FixedQuantity(d("2")),
                stop_loss: None,
                take_profit: None,
                trailing_stop: None,
            }
        );
        let c = Config::from_json_str(r#"{"cash": 100, "strategy": {"type": "buy_and_hold"}}"#).unwrap();
        assert_eq!(
            c.strategy,
            crate::strategy::StrategyConfig::BuyAndHold {
                sizing: crate::strategy::Sizing::EquityFraction { fraction: d("1"), whole_units: true },
                stop_loss: None,
                take_profit: None,
                trailing_stop: None,
            }
        );
    }
}
