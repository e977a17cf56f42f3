//! The `strategy` config key: which built-in strategy runs, with its parameters.

use super::shared::{SampleKind, SharedAverages};
use super::{
    BuyAndHold, DonchianBreakout, ExitPercents, MaCross, MarketMaker, NoStrategy, RsiReversion, Sizing,
    Strategy,
};
use crate::error::EngineError;
use crate::indicator::{Ema, Sma};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

fn default_rsi_period() -> usize {
    14
}
fn default_oversold() -> Decimal {
    Decimal::from(30)
}
fn default_overbought() -> Decimal {
    Decimal::from(70)
}
fn default_entry() -> usize {
    20
}
fn default_exit() -> usize {
    10
}
// backtesting.py's `SmaCross` example: n1 = 10, n2 = 20.
fn default_fast() -> usize {
    10
}
fn default_slow() -> usize {
    20
}

/// A built-in strategy and its parameters: `{"type": "sma_cross", "fast": 10, "slow": 20, ...}`.
// Decoded by `StrategyConfig::from_json`. The derived code is serde's plain (externally tagged)
// form, which `crate::tagged` reads and writes with the tag inside (why: see there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(!remote, tag = "type")]
pub enum StrategyConfig {
    /// No algorithmic orders (barter's default strategy).
    #[default]
    None,
    /// Buy once, hold.
    BuyAndHold {
        /// Entry size.
        #[serde(default)]
        sizing: Sizing,
        /// Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
        #[serde(default)]
        stop_loss: Option<Decimal>,
        /// Take-profit attached to each entry, percent above the entry's reference price (> 0).
        #[serde(default)]
        take_profit: Option<Decimal>,
        /// Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
        #[serde(default)]
        trailing_stop: Option<Decimal>,
    },
    /// Simple moving-average cross.
    SmaCross {
        /// Fast length (10).
        #[serde(default = "default_fast")]
        fast: usize,
        /// Slow length (20).
        #[serde(default = "default_slow")]
        slow: usize,
        /// Entry size.
        #[serde(default)]
        sizing: Sizing,
        /// Short on the cross below (non-spot instruments only).
        #[serde(default)]
        allow_short: bool,
        /// Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
        #[serde(default)]
        stop_loss: Option<Decimal>,
        /// Take-profit attached to each entry, percent above the entry's reference price (> 0).
        #[serde(default)]
        take_profit: Option<Decimal>,
        /// Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
        #[serde(default)]
        trailing_stop: Option<Decimal>,
    },
    /// Exponential moving-average cross.
    EmaCross {
        /// Fast length (10).
        #[serde(default = "default_fast")]
        fast: usize,
        /// Slow length (20).
        #[serde(default = "default_slow")]
        slow: usize,
        /// Entry size.
        #[serde(default)]
        sizing: Sizing,
        /// Short on the cross below (non-spot instruments only).
        #[serde(default)]
        allow_short: bool,
        /// Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
        #[serde(default)]
        stop_loss: Option<Decimal>,
        /// Take-profit attached to each entry, percent above the entry's reference price (> 0).
        #[serde(default)]
        take_profit: Option<Decimal>,
        /// Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
        #[serde(default)]
        trailing_stop: Option<Decimal>,
    },
    /// RSI mean reversion.
    RsiReversion {
        /// RSI length (14).
        #[serde(default = "default_rsi_period")]
        period: usize,
        /// Enter long below this (30).
        #[serde(default = "default_oversold")]
        oversold: Decimal,
        /// Exit above this (70).
        #[serde(default = "default_overbought")]
        overbought: Decimal,
        /// Entry size.
        #[serde(default)]
        sizing: Sizing,
        /// Short above `overbought` (non-spot instruments only).
        #[serde(default)]
        allow_short: bool,
        /// Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
        #[serde(default)]
        stop_loss: Option<Decimal>,
        /// Take-profit attached to each entry, percent above the entry's reference price (> 0).
        #[serde(default)]
        take_profit: Option<Decimal>,
        /// Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
        #[serde(default)]
        trailing_stop: Option<Decimal>,
    },
    /// Donchian channel breakout.
    DonchianBreakout {
        /// Bars for the entry channel (20).
        #[serde(default = "default_entry")]
        entry_period: usize,
        /// Bars for the exit channel (10).
        #[serde(default = "default_exit")]
        exit_period: usize,
        /// Entry size.
        #[serde(default)]
        sizing: Sizing,
        /// Short on the downside break (non-spot instruments only).
        #[serde(default)]
        allow_short: bool,
        /// Stop-loss attached to each entry, percent below the entry's reference price (0 < x < 100).
        #[serde(default)]
        stop_loss: Option<Decimal>,
        /// Take-profit attached to each entry, percent above the entry's reference price (> 0).
        #[serde(default)]
        take_profit: Option<Decimal>,
        /// Trailing stop attached to each entry, percent below the best close since (0 < x < 100).
        #[serde(default)]
        trailing_stop: Option<Decimal>,
    },
    /// L1 market maker.
    MarketMaker {
        /// Distance between bid and ask quotes, in basis points of the mid.
        spread_bps: Decimal,
        /// Quantity per quote.
        quantity: Decimal,
        /// Largest |position| the quotes may build.
        max_inventory: Decimal,
        /// Re-quote when the target moves more than this (default: spread / 4).
        #[serde(default)]
        requote_bps: Option<Decimal>,
    },
}

/// The longest indicator window (bars) a built-in strategy accepts: 1,000,000 bars is about 4,000
/// years of daily bars or 11.5 days of 1 s bars. Windows are held in memory (16 bytes a bar), so an
/// unbounded length let one config value ask for terabytes (a native abort, a wasm trap).
pub const MAX_WINDOW: usize = 1_000_000;

/// Checks one window length: 1 ..= `MAX_WINDOW`.
fn window_len(v: usize, path: &str) -> Result<(), EngineError> {
    if v == 0 {
        return Err(EngineError::config(path, "must be at least 1"));
    }
    if v > MAX_WINDOW {
        return Err(EngineError::config(
            path,
            format!("{v} exceeds the longest window of {MAX_WINDOW} bars"),
        ));
    }
    Ok(())
}

impl Serialize for StrategyConfig {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StrategyConfig::serialize(self, crate::tagged::TagSerializer::new(s, "type"))
    }
}

impl StrategyConfig {
    /// Decodes JSON text `{"type": ..., fields}`. serde_json's errors, with positions in `text`.
    /// (The derived `StrategyConfig::deserialize` reads serde's externally tagged form, which is
    /// not this format: it is what this reads through.)
    pub fn from_json(text: &str) -> serde_json::Result<StrategyConfig> {
        crate::tagged::from_str(text, "type", StrategyConfig::deserialize)
    }

    /// `from_json` for a JSON value (through its text: one decoder for both).
    pub fn from_value(value: &serde_json::Value) -> serde_json::Result<StrategyConfig> {
        StrategyConfig::from_json(&value.to_string())
    }

    /// The `type` name.
    pub fn name(&self) -> &'static str {
        match self {
            StrategyConfig::None => "none",
            StrategyConfig::BuyAndHold { .. } => "buy_and_hold",
            StrategyConfig::SmaCross { .. } => "sma_cross",
            StrategyConfig::EmaCross { .. } => "ema_cross",
            StrategyConfig::RsiReversion { .. } => "rsi_reversion",
            StrategyConfig::DonchianBreakout { .. } => "donchian_breakout",
            StrategyConfig::MarketMaker { .. } => "market_maker",
        }
    }

    /// Index of the first bar at which every indicator is defined (backtesting.py's warm-up: buy &
    /// hold is measured from there).
    pub fn warmup_bars(&self) -> usize {
        match self {
            StrategyConfig::SmaCross { slow, .. } | StrategyConfig::EmaCross { slow, .. } => {
                slow.saturating_sub(1)
            }
            StrategyConfig::RsiReversion { period, .. } => *period,
            StrategyConfig::DonchianBreakout { entry_period, exit_period, .. } => {
                *entry_period.max(exit_period)
            }
            StrategyConfig::None | StrategyConfig::BuyAndHold { .. } | StrategyConfig::MarketMaker { .. } => {
                0
            }
        }
    }

    /// Checks each window length on its own (1 ..= `MAX_WINDOW`), not how they relate: a sweep
    /// grid value is refused by this, while a combination like fast ≥ slow is only skipped.
    pub fn validate_lengths(&self) -> Result<(), EngineError> {
        match self {
            StrategyConfig::SmaCross { fast, slow, .. } | StrategyConfig::EmaCross { fast, slow, .. } => {
                window_len(*fast, "strategy.fast")?;
                window_len(*slow, "strategy.slow")
            }
            StrategyConfig::RsiReversion { period, .. } => window_len(*period, "strategy.period"),
            StrategyConfig::DonchianBreakout { entry_period, exit_period, .. } => {
                window_len(*entry_period, "strategy.entry_period")?;
                window_len(*exit_period, "strategy.exit_period")
            }
            StrategyConfig::None | StrategyConfig::BuyAndHold { .. } | StrategyConfig::MarketMaker { .. } => {
                Ok(())
            }
        }
    }

    /// The exits the strategy attaches to its entries (`stop_loss`, `take_profit`,
    /// `trailing_stop`); none for strategies without those parameters.
    pub fn exits(&self) -> ExitPercents {
        match self {
            StrategyConfig::BuyAndHold { stop_loss, take_profit, trailing_stop, .. }
            | StrategyConfig::SmaCross { stop_loss, take_profit, trailing_stop, .. }
            | StrategyConfig::EmaCross { stop_loss, take_profit, trailing_stop, .. }
            | StrategyConfig::RsiReversion { stop_loss, take_profit, trailing_stop, .. }
            | StrategyConfig::DonchianBreakout { stop_loss, take_profit, trailing_stop, .. } => {
                ExitPercents::new(*stop_loss, *take_profit, *trailing_stop)
            }
            StrategyConfig::None | StrategyConfig::MarketMaker { .. } => ExitPercents::default(),
        }
    }

    /// Checks the parameters (paths under `strategy`).
    pub fn validate(&self) -> Result<(), EngineError> {
        self.validate_lengths()?;
        self.exits().validate()?;
        match self {
            StrategyConfig::None => Ok(()),
            StrategyConfig::BuyAndHold { sizing, .. } => {
                self.exits().validate()?;
                sizing.validate("strategy.sizing")
            }
            StrategyConfig::SmaCross { fast, slow, sizing, .. }
            | StrategyConfig::EmaCross { fast, slow, sizing, .. } => {
                window_len(*fast, "strategy.fast")?;
                window_len(*slow, "strategy.slow")?;
                if fast >= slow {
                    return Err(EngineError::config(
                        "strategy.fast",
                        format!("must be less than slow ({fast} >= {slow})"),
                    ));
                }
                sizing.validate("strategy.sizing")
            }
            StrategyConfig::RsiReversion { period, oversold, overbought, sizing, .. } => {
                window_len(*period, "strategy.period")?;
                if !(Decimal::ZERO < *oversold && oversold < overbought && *overbought < Decimal::ONE_HUNDRED)
                {
                    return Err(EngineError::config(
                        "strategy.oversold",
                        format!("need 0 < oversold < overbought < 100, got {oversold} and {overbought}"),
                    ));
                }
                sizing.validate("strategy.sizing")
            }
            StrategyConfig::DonchianBreakout { entry_period, exit_period, sizing, .. } => {
                window_len(*entry_period, "strategy.entry_period")?;
                window_len(*exit_period, "strategy.exit_period")?;
                sizing.validate("strategy.sizing")
            }
            StrategyConfig::MarketMaker { spread_bps, quantity, max_inventory, requote_bps } => {
                for (v, p) in
                    [(spread_bps, "spread_bps"), (quantity, "quantity"), (max_inventory, "max_inventory")]
                {
                    if *v <= Decimal::ZERO {
                        return Err(EngineError::config(
                            format!("strategy.{p}"),
                            format!("must be positive, got {v}"),
                        ));
                    }
                }
                if requote_bps.is_some_and(|r| r < Decimal::ZERO) {
                    return Err(EngineError::config("strategy.requote_bps", "must not be negative"));
                }
                // Bounds that keep every quote the strategy computes inside Decimal: a spread of
                // 20,000 bps already puts the bid at zero, and sizes follow the event bounds.
                if *spread_bps >= Decimal::from(20_000) {
                    return Err(EngineError::config(
                        "strategy.spread_bps",
                        format!("must be below 20000, got {spread_bps}"),
                    ));
                }
                for (v, max, p) in [
                    (quantity, crate::event::MAX_MAGNITUDE, "quantity"),
                    (max_inventory, crate::event::MAX_BALANCE, "max_inventory"),
                ] {
                    if *v > max {
                        return Err(EngineError::config(
                            format!("strategy.{p}"),
                            format!("{v} exceeds the largest accepted value {max}"),
                        ));
                    }
                }
                Ok(())
            }
        }
    }

    /// Builds the strategy. Call `validate` first (`Config` loading does): the indicators grow their
    /// windows as bars arrive, so even an unvalidated length allocates nothing up front.
    pub fn build(&self) -> Box<dyn Strategy> {
        self.build_sharing(None)
    }

    /// The samples of the `SharedAverages` `build_sharing` gives the strategy to read: marks for
    /// the moving-average crosses and RSI reversion, bars for the Donchian breakout; None for
    /// the others (a sweep of them computes none).
    pub fn shared_samples(&self) -> Option<SampleKind> {
        match self {
            StrategyConfig::SmaCross { .. }
            | StrategyConfig::EmaCross { .. }
            | StrategyConfig::RsiReversion { .. } => Some(SampleKind::Marks),
            StrategyConfig::DonchianBreakout { .. } => Some(SampleKind::Bars),
            _ => None,
        }
    }

    /// `build`, with the averages of a moving-average cross, the RSI or the Donchian breakouts
    /// read from `shared` (a sweep's) where it holds them.
    pub fn build_sharing(&self, shared: Option<&Rc<SharedAverages>>) -> Box<dyn Strategy> {
        let shared = shared.cloned();
        let exits = self.exits();
        match self.clone() {
            StrategyConfig::None => Box::new(NoStrategy),
            StrategyConfig::BuyAndHold { sizing, .. } => Box::new(BuyAndHold::new(sizing).with_exits(exits)),
            StrategyConfig::SmaCross { fast, slow, sizing, allow_short, .. } => Box::new(
                MaCross::<Sma<Decimal>>::new("sma_cross", fast, slow, sizing, allow_short)
                    .with_exits(exits)
                    .sharing(shared),
            ),
            StrategyConfig::EmaCross { fast, slow, sizing, allow_short, .. } => Box::new(
                MaCross::<Ema<Decimal>>::new("ema_cross", fast, slow, sizing, allow_short)
                    .with_exits(exits)
                    .sharing(shared),
            ),
            StrategyConfig::RsiReversion { period, oversold, overbought, sizing, allow_short, .. } => {
                Box::new(
                    RsiReversion::new(period, oversold, overbought, sizing, allow_short)
                        .with_exits(exits)
                        .sharing(shared),
                )
            }
            StrategyConfig::DonchianBreakout { entry_period, exit_period, sizing, allow_short, .. } => {
                Box::new(
                    DonchianBreakout::new(entry_period, exit_period, sizing, allow_short)
                        .with_exits(exits)
                        .sharing(shared),
                )
            }
            StrategyConfig::MarketMaker { spread_bps, quantity, max_inventory, requote_bps } => {
                Box::new(MarketMaker::new(spread_bps, quantity, max_inventory, requote_bps))
            }
        }
    }

    /// The same strategy with one parameter replaced (for sweeps): `name` is a field, `value` JSON.
    pub fn with_param(&self, name: &str, value: serde_json::Value) -> Result<StrategyConfig, EngineError> {
        let mut v = serde_json::to_value(self).map_err(|e| EngineError::internal(e.to_string()))?;
        let obj =
            v.as_object_mut().ok_or_else(|| EngineError::internal("strategy config is not an object"))?;
        if name == "type" || !self.has_param(name) {
            return Err(EngineError::argument(
                name,
                format!("strategy {} has no parameter {}", self.name(), crate::error::quote(name)),
            ));
        }
        obj.insert(name.to_string(), value);
        let next = StrategyConfig::from_value(&v)
            .map_err(|e| EngineError::argument(name, crate::json::message(&e)))?;
        next.validate().map_err(|e| match e {
            EngineError::InvalidConfig { path, message } => EngineError::argument(path, message),
            other => other,
        })?;
        Ok(next)
    }

    /// Whether this strategy type has a parameter called `name`.
    pub fn has_param(&self, name: &str) -> bool {
        let Ok(serde_json::Value::Object(obj)) = serde_json::to_value(self) else { return false };
        // Optional parameters serialise as null, so they are present too.
        name != "type" && obj.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let c = StrategyConfig::from_json(r#"{"type":"sma_cross","fast":10,"slow":20,"sizing":{"equity_fraction":{"fraction":"1","whole_units":true}}}"#).unwrap();
        c.validate().unwrap();
        assert_eq!(c.name(), "sma_cross");
        let bad = StrategyConfig::from_json(r#"{"type":"sma_cross","fast":20,"slow":10}"#).unwrap();
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "INVALID_CONFIG: strategy.fast: must be less than slow (20 >= 10)"
        );
        assert!(StrategyConfig::from_json(r#"{"type":"sma_cross","fast":1,"slow":2,"speed":3}"#).is_err());
        assert!(StrategyConfig::from_json(r#"{"type":"martingale"}"#).is_err());
        // Lengths left out are backtesting.py's SmaCross example's, 10 and 20.
        let plain = StrategyConfig::from_json(r#"{"type":"sma_cross"}"#).unwrap();
        assert!(matches!(plain, StrategyConfig::SmaCross { fast: 10, slow: 20, .. }));
        let slow = StrategyConfig::from_json(r#"{"type":"ema_cross","slow":50}"#).unwrap();
        assert!(matches!(slow, StrategyConfig::EmaCross { fast: 10, slow: 50, .. }));
    }

    #[test]
    fn window_lengths_are_bounded() {
        let parse = |t: &str| StrategyConfig::from_json(t).unwrap().validate();
        assert_eq!(
            parse(r#"{"type":"sma_cross","fast":10,"slow":1000000000000}"#).unwrap_err().to_string(),
            "INVALID_CONFIG: strategy.slow: 1000000000000 exceeds the longest window of 1000000 bars"
        );
        parse(r#"{"type":"sma_cross","fast":10,"slow":1000000}"#).unwrap();
        let path = |t: &str| match parse(t).unwrap_err() {
            EngineError::InvalidConfig { path, .. } => path,
            e => panic!("{e}"),
        };
        assert_eq!(path(r#"{"type":"ema_cross","fast":1,"slow":1000001}"#), "strategy.slow");
        assert_eq!(path(r#"{"type":"ema_cross","fast":0,"slow":5}"#), "strategy.fast");
        assert_eq!(path(r#"{"type":"rsi_reversion","period":1000001}"#), "strategy.period");
        assert_eq!(path(r#"{"type":"rsi_reversion","period":0}"#), "strategy.period");
        assert_eq!(path(r#"{"type":"donchian_breakout","entry_period":2000000}"#), "strategy.entry_period");
        assert_eq!(path(r#"{"type":"donchian_breakout","exit_period":2000000}"#), "strategy.exit_period");
        assert_eq!(path(r#"{"type":"donchian_breakout","exit_period":0}"#), "strategy.exit_period");
        assert_eq!(path(r#"{"type":"sma_cross","fast":5,"slow":5}"#), "strategy.fast");
    }

    #[test]
    fn sweep_params() {
        let c = StrategyConfig::from_json(r#"{"type":"ema_cross","fast":5,"slow":20}"#).unwrap();
        let d = c.with_param("fast", serde_json::json!(8)).unwrap();
        assert!(matches!(d, StrategyConfig::EmaCross { fast: 8, slow: 20, .. }));
        assert_eq!(
            c.with_param("nope", serde_json::json!(1)).unwrap_err().code(),
            crate::ErrorCode::InvalidArgument
        );
        assert_eq!(
            c.with_param("fast", serde_json::json!(30)).unwrap_err().code(),
            crate::ErrorCode::InvalidArgument
        );
    }
}
