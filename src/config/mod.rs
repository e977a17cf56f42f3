//! Loading barter's `SystemConfig` JSON unchanged (flat, or nested under `system` as in
//! `backtest_config.json`), plus Tidemark's documented extensions under `engine`, `risk` and
//! `strategy`. Unknown or ill-typed fields are errors naming the JSON path. A quick config
//! (`{"cash": ..., "commission": ..., "strategy": ...}`, see `quick`) expands into the same shape.

mod execution;
mod path;
mod quick;

pub use execution::*;

use crate::error::EngineError;
use crate::instrument::{ExchangeIndex, InstrumentConfig, InstrumentIndex, Instruments};
use crate::order::{ActiveOrderState, OrderKey, OrderKind, OrderState};
use crate::risk::RiskConfig;
use crate::state::TradingState;
use crate::strategy::StrategyConfig;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The interval summaries annualise to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SummaryInterval {
    /// One day.
    #[default]
    Daily,
    /// 252 days.
    Annual252,
    /// 365 days.
    Annual365,
    /// Any number of seconds.
    Seconds(u64),
}

/// What a backtest does with positions still open at its end (`engine.close_positions_at_end`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum CloseAtEnd {
    /// `false`: they stay open, marked to the last price, left out of the trade statistics
    /// (backtesting.py's default, `finalize_trades=False`).
    #[default]
    No,
    /// `true`: a market close filled at the last price seen.
    LastPrice,
    /// `"last_open"`: a market close filled at the last bar's open, exit commission charged,
    /// as backtesting.py's `finalize_trades=True` does (it runs the last bar again). Data without
    /// bars closes at the last price.
    LastOpen,
}

impl schemars::JsonSchema for CloseAtEnd {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CloseAtEnd".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "false: leave positions open; true or \"last_price\": close at the last price; \"last_open\": at the last bar's open (backtesting.py's finalize_trades=True).",
            "anyOf": [{ "type": "boolean" }, { "type": "string", "enum": ["last_price", "last_open"] }],
        })
    }
}

impl Serialize for CloseAtEnd {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CloseAtEnd::No => s.serialize_bool(false),
            CloseAtEnd::LastPrice => s.serialize_bool(true),
            CloseAtEnd::LastOpen => s.serialize_str("last_open"),
        }
    }
}

impl<'de> Deserialize<'de> for CloseAtEnd {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = CloseAtEnd;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("false, true, \"last_price\" or \"last_open\"")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<CloseAtEnd, E> {
                Ok(if v { CloseAtEnd::LastPrice } else { CloseAtEnd::No })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CloseAtEnd, E> {
                match v {
                    "last_price" => Ok(CloseAtEnd::LastPrice),
                    "last_open" => Ok(CloseAtEnd::LastOpen),
                    other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Engine options (config key `engine`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EngineOptions {
    /// Initial trading state. Default `Enabled` (barter's builder defaults to Disabled; a backtest
    /// that never trades surprises users more).
    pub trading_state: TradingState,
    /// Keep an audit trail (snapshot + one record per event).
    pub audit: bool,
    /// How far (ms) a market event may be older than the newest one before it is refused.
    pub time_tolerance_ms: u64,
    /// At the end of a backtest: `false` leaves positions open, marked to market; `true` closes
    /// them at the last price; `"last_open"` at the last bar's open (backtesting.py's
    /// `finalize_trades=True`).
    pub close_positions_at_end: CloseAtEnd,
    /// Summary annualisation interval.
    pub summary_interval: SummaryInterval,
    /// Asset equity and drawdowns are measured in (default: the first instrument's quote asset).
    pub valuation_asset: Option<String>,
    /// Equity curve sampling for trade/quote data: one point per window of this many ms (candles
    /// always get one point per bar).
    pub equity_sample_ms: u64,
    /// Instrument (exchange symbol or internal name) for buy & hold, alpha and beta (default: the
    /// first instrument).
    pub benchmark_instrument: Option<String>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            trading_state: TradingState::Enabled,
            audit: false,
            time_tolerance_ms: 0,
            close_positions_at_end: CloseAtEnd::No,
            summary_interval: SummaryInterval::Daily,
            valuation_asset: None,
            equity_sample_ms: 1000,
            benchmark_instrument: None,
        }
    }
}

/// barter's `SystemConfig` with Tidemark's extensions (`engine`, `risk`, `strategy`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BarterConfig")]
struct FlatFile {
    /// Annual risk-free rate as a fraction, for the ratios (barter's field).
    #[serde(default)]
    risk_free_return: Option<Decimal>,
    /// The instruments (barter's `InstrumentConfig`s); indices follow barter's indexing.
    instruments: Vec<InstrumentConfig>,
    /// One simulated exchange per venue, with its starting balances and orders.
    executions: Vec<ExecutionConfig>,
    /// Engine options.
    #[serde(default)]
    engine: EngineOptions,
    /// Risk knobs.
    #[serde(default)]
    risk: RiskConfig,
    /// The built-in strategy (decoded on its own: serde buffers an internally tagged enum, and
    /// errors from a buffer carry no position, so only its own text can place them).
    #[serde(default)]
    #[schemars(with = "Option<StrategyConfig>")]
    strategy: Option<Box<serde_json::value::RawValue>>,
}

/// barter's `system` section (its `backtest_config.json` nests these).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct SystemSection {
    /// The instruments.
    instruments: Vec<InstrumentConfig>,
    /// The simulated exchanges.
    executions: Vec<ExecutionConfig>,
}

/// barter's `SystemConfig` nested under `system`, with Tidemark's extensions beside it.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BarterNestedConfig")]
struct NestedFile {
    /// Annual risk-free rate as a fraction, for the ratios.
    #[serde(default)]
    risk_free_return: Option<Decimal>,
    /// Instruments and executions.
    system: SystemSection,
    /// Engine options.
    #[serde(default)]
    engine: EngineOptions,
    /// Risk knobs.
    #[serde(default)]
    risk: RiskConfig,
    /// The built-in strategy.
    #[serde(default)]
    #[schemars(with = "Option<StrategyConfig>")]
    strategy: Option<Box<serde_json::value::RawValue>>,
}

/// A Tidemark config: barter's `SystemConfig` (flat, or nested under `system`) with Tidemark's
/// extensions, or the quick `{cash, commission, strategy}` one. (For the JSON Schema only:
/// decoding goes through the shapes themselves, so its errors can name paths.)
#[derive(schemars::JsonSchema)]
#[schemars(rename = "Config")]
#[serde(untagged)]
#[allow(dead_code)]
enum ConfigFile {
    /// barter's flat `SystemConfig` with Tidemark's extensions.
    Flat(FlatFile),
    /// barter's `SystemConfig` nested under `system` (its `backtest_config.json`).
    Nested(NestedFile),
    /// The quick config: cash, commission and a strategy on one instrument.
    Quick(quick::Quick),
}

/// The JSON Schema (draft 2020-12) of the config: barter's two shapes and the quick one. The
/// package ships it (`schema/config.schema.json`); the TypeScript declarations, the playground's
/// form and the Python dataclasses are generated from it.
pub fn config_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ConfigFile)).unwrap_or_default()
}

/// A per-call balance seed (`initialBalances`): replaces the config's starting balances on the
/// exchanges it names. `exchange` may be left out when the config simulates one exchange; `free`
/// defaults to `total`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BalanceSeed {
    /// Exchange id (optional with a single execution).
    #[serde(default)]
    pub exchange: Option<crate::instrument::ExchangeId>,
    /// Asset name.
    pub asset: String,
    /// Total amount.
    #[serde(deserialize_with = "crate::event::exact::decimal")]
    pub total: Decimal,
    /// Free amount (default: total).
    #[serde(default, deserialize_with = "crate::event::exact::option_decimal")]
    pub free: Option<Decimal>,
}

/// A loaded, validated configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Config {
    /// Annual risk-free rate as a fraction (barter's top-level field), 0 when absent.
    pub risk_free_return: Decimal,
    /// Instruments as configured.
    pub instrument_configs: Vec<InstrumentConfig>,
    /// Indexed instruments.
    pub instruments: Instruments,
    /// Simulated exchanges.
    pub executions: Vec<ExecutionConfig>,
    /// Engine options.
    pub engine: EngineOptions,
    /// Risk knobs.
    pub risk: RiskConfig,
    /// Strategy.
    pub strategy: StrategyConfig,
}

/// Decodes config text; a data error names the JSON path of the field it happened at (found
/// from serde's position by `path::path_at`).
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, EngineError> {
    at_path(text, "", crate::json::from_str(text))
}

/// A decoding's result for the text of the value at `prefix` (a path, or empty for the root),
/// its error given the path of where it happened.
fn at_path<T>(text: &str, prefix: &str, decoded: serde_json::Result<T>) -> Result<T, EngineError> {
    decoded.map_err(|e| {
        let inner = path::path_at(text, path::offset_of(text, e.line(), e.column()));
        let at = match (prefix, inner.as_str()) {
            ("", i) => i.to_string(),
            (p, "") => p.to_string(),
            (p, i) if i.starts_with('[') => format!("{p}{i}"),
            (p, i) => format!("{p}.{i}"),
        };
        // The path says where, for objects given as values too.
        EngineError::config(if at.is_empty() { ".".to_string() } else { at }, crate::json::data_message(&e))
    })
}

fn decode_strategy(raw: Option<Box<serde_json::value::RawValue>>) -> Result<StrategyConfig, EngineError> {
    raw.map_or(Ok(StrategyConfig::default()), |r| {
        at_path(r.get(), "strategy", StrategyConfig::from_json(r.get()))
    })
}

impl Config {
    /// Parses and validates JSON text.
    pub fn from_json_str(text: &str) -> Result<Config, EngineError> {
        // Syntax first (errors with line and column), and which of barter's two shapes it is.
        let top: Result<std::collections::BTreeMap<String, serde::de::IgnoredAny>, _> =
            crate::json::from_str(text);
        let nested = match top {
            Ok(keys) if quick::is_quick(&keys) => return Config::from_json_str(&quick::expand(text)?),
            Ok(keys) => keys.contains_key("system"),
            Err(e) if e.classify() == serde_json::error::Category::Data => {
                return Err(EngineError::config(".", "the config must be a JSON object"))
            }
            Err(e) => {
                return Err(EngineError::Decode {
                    format: "json".into(),
                    location: crate::error::Location {
                        line: Some(e.line() as u64),
                        column: Some(e.column() as u64),
                        path: None,
                    },
                    message: e.to_string(),
                })
            }
        };
        let (rfr, instruments, executions, engine, risk, strategy) = if nested {
            let f: NestedFile = decode(text)?;
            (
                f.risk_free_return,
                f.system.instruments,
                f.system.executions,
                f.engine,
                f.risk,
                decode_strategy(f.strategy)?,
            )
        } else {
            let f: FlatFile = decode(text)?;
            (f.risk_free_return, f.instruments, f.executions, f.engine, f.risk, decode_strategy(f.strategy)?)
        };
        let config = Config {
            risk_free_return: rfr.unwrap_or_default(),
            instruments: Instruments::new(&instruments)?,
            instrument_configs: instruments,
            executions,
            engine,
            risk,
            strategy,
        };
        config.validate()?;
        Ok(config)
    }

    /// Parses and validates a JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Config, EngineError> {
        Config::from_json_str(&value.to_string())
    }

    fn validate(&self) -> Result<(), EngineError> {
        if self.instrument_configs.is_empty() {
            return Err(EngineError::config("instruments", "at least one instrument is required"));
        }
        for (i, e) in self.executions.iter().enumerate() {
            let p = format!("executions[{i}]");
            if self.instruments.exchange_index(e.mocked_exchange).is_none() {
                return Err(EngineError::config(
                    format!("{p}.mocked_exchange"),
                    format!("no instrument trades on {}", e.mocked_exchange),
                ));
            }
            if self.executions[..i].iter().any(|o| o.mocked_exchange == e.mocked_exchange) {
                return Err(EngineError::config(
                    format!("{p}.mocked_exchange"),
                    format!("{} is configured twice", e.mocked_exchange),
                ));
            }
            if e.initial_state.exchange != e.mocked_exchange {
                return Err(EngineError::config(
                    format!("{p}.initial_state.exchange"),
                    "must equal mocked_exchange",
                ));
            }
            for (v, f) in
                [(Some(e.fees_percent), "fees_percent"), (e.taker_fees_percent, "taker_fees_percent")]
            {
                if let Some(v) = v {
                    if v < Decimal::ZERO || v >= Decimal::ONE {
                        return Err(EngineError::config(
                            format!("{p}.{f}"),
                            format!("must be a fraction in [0, 1), got {v}"),
                        ));
                    }
                }
            }
            if let Some(m) = e.maker_fees_percent {
                if m <= Decimal::NEGATIVE_ONE || m >= Decimal::ONE {
                    return Err(EngineError::config(
                        format!("{p}.maker_fees_percent"),
                        format!("must be a fraction in (-1, 1), got {m}"),
                    ));
                }
            }
            if e.slippage_bps < Decimal::ZERO || e.slippage_bps >= Decimal::from(10_000) {
                return Err(EngineError::config(
                    format!("{p}.slippage_bps"),
                    format!("must be in [0, 10000), got {}", e.slippage_bps),
                ));
            }
            if e.fill.model == FillKind::BarterMock
                && (!e.slippage_bps.is_zero() || e.fill.volume_participation.is_some())
            {
                return Err(EngineError::config(
                    format!("{p}.fill.model"),
                    "barter_mock fills at the request price in full: slippage_bps and volume_participation do not apply",
                ));
            }
            if let Some(v) = e.fill.volume_participation {
                if v <= Decimal::ZERO || v > Decimal::ONE {
                    return Err(EngineError::config(
                        format!("{p}.fill.volume_participation"),
                        format!("must be in (0, 1], got {v}"),
                    ));
                }
            }
            let mut seen: Vec<(crate::instrument::AssetIndex, usize)> = Vec::new();
            for (j, b) in e.initial_state.balances.iter().enumerate() {
                let bp = format!("{p}.initial_state.balances[{j}]");
                let Some(asset) = self.instruments.find_asset(e.mocked_exchange, &b.asset) else {
                    return Err(EngineError::config(
                        format!("{bp}.asset"),
                        format!(
                            "no instrument on {} uses asset {}",
                            e.mocked_exchange,
                            crate::error::quote(&b.asset)
                        ),
                    ));
                };
                // Two entries for one asset: one would silently replace the other.
                if let Some((_, first)) = seen.iter().find(|(a, _)| *a == asset) {
                    return Err(EngineError::config(
                        format!("{bp}.asset"),
                        format!(
                            "asset {} is also at {p}.initial_state.balances[{first}] (balances[{first}] and balances[{j}])",
                            crate::error::quote(&b.asset)
                        ),
                    ));
                }
                seen.push((asset, j));
                if b.balance.total > crate::event::MAX_BALANCE {
                    return Err(EngineError::config(
                        format!("{bp}.balance.total"),
                        format!("exceeds the largest accepted balance {}", crate::event::MAX_BALANCE),
                    ));
                }
                if b.balance.total < Decimal::ZERO
                    || b.balance.free < Decimal::ZERO
                    || b.balance.free > b.balance.total
                {
                    return Err(EngineError::config(
                        format!("{bp}.balance"),
                        format!(
                            "need 0 <= free <= total, got total {} free {}",
                            b.balance.total, b.balance.free
                        ),
                    ));
                }
            }
            self.initial_orders(i)?;
        }
        self.engine.summary_interval.validate("engine.summary_interval").map_err(|e| match e {
            EngineError::InvalidArgument { field, message } => EngineError::config(field, message),
            other => other,
        })?;
        if let Some(v) = &self.engine.valuation_asset {
            if !self.instruments.assets().iter().any(|a| a.name == v.to_ascii_lowercase()) {
                return Err(EngineError::config(
                    "engine.valuation_asset",
                    format!("no instrument uses asset {}", crate::error::quote(v)),
                ));
            }
        }
        if let Some(b) = &self.engine.benchmark_instrument {
            if self.instruments.find_instrument(b).is_none() {
                return Err(EngineError::config(
                    "engine.benchmark_instrument",
                    format!("no instrument {}", crate::error::quote(b)),
                ));
            }
        }
        self.risk.validate()?;
        self.strategy.validate()
    }

    /// The same config with its starting balances replaced, per exchange named, by `seeds`.
    /// Errors name `initialBalances[i]`.
    pub fn with_initial_balances(&self, seeds: &[BalanceSeed]) -> Result<Config, EngineError> {
        let mut next = self.clone();
        let mut replaced = vec![false; next.executions.len()];
        for (i, seed) in seeds.iter().enumerate() {
            let path = format!("initialBalances[{i}]");
            // Two seeds for one asset on one exchange: the later would silently win.
            if let Some(first) = seeds[..i].iter().position(|s| {
                s.asset.eq_ignore_ascii_case(&seed.asset)
                    && (s.exchange == seed.exchange || next.executions.len() == 1)
            }) {
                return Err(EngineError::argument(
                    format!("{path}.asset"),
                    format!(
                        "asset {} is also at initialBalances[{first}] (initialBalances[{first}] and initialBalances[{i}])",
                        crate::error::quote(&seed.asset)
                    ),
                ));
            }
            let e = match seed.exchange {
                Some(id) => {
                    next.executions.iter().position(|e| e.mocked_exchange == id).ok_or_else(|| {
                        EngineError::argument(
                            format!("{path}.exchange"),
                            format!("{id} is not a simulated exchange of this config"),
                        )
                    })?
                }
                None if next.executions.len() == 1 => 0,
                None => {
                    return Err(EngineError::argument(
                        format!("{path}.exchange"),
                        "required: the config simulates several exchanges",
                    ))
                }
            };
            let exec = &mut next.executions[e];
            let time = exec.initial_state.balances.first().map(|b| b.time_exchange).unwrap_or_default();
            if !replaced[e] {
                exec.initial_state.balances.clear();
                replaced[e] = true;
            }
            let balance = crate::event::Balance { total: seed.total, free: seed.free.unwrap_or(seed.total) };
            exec.initial_state.balances.retain(|b| !b.asset.eq_ignore_ascii_case(&seed.asset));
            exec.initial_state.balances.push(InitialBalance {
                asset: seed.asset.clone(),
                balance,
                time_exchange: time,
            });
        }
        next.validate().map_err(|err| match err {
            EngineError::InvalidConfig { path, message } if path.contains("initial_state.balances") => {
                EngineError::argument("initialBalances", format!("{path}: {message}"))
            }
            other => other,
        })?;
        Ok(next)
    }

    /// The execution config of an exchange, if it is simulated.
    pub fn execution(&self, exchange: ExchangeIndex) -> Option<&ExecutionConfig> {
        let id = self.instruments.exchanges().get(exchange.0)?;
        self.executions.iter().find(|e| e.mocked_exchange == *id)
    }

    /// The starting orders of execution `i`, resolved to indices.
    pub fn initial_orders(&self, i: usize) -> Result<Vec<IndexedInitialOrder>, EngineError> {
        let e = &self.executions[i];
        let mut out = Vec::new();
        // What the orders so far hold, per asset, against what the balances hold in use.
        let mut held: Vec<Decimal> = vec![Decimal::ZERO; self.instruments.assets().len()];
        for (j, inst) in e.initial_state.instruments.iter().enumerate() {
            let p = format!("executions[{i}].initial_state.instruments[{j}]");
            let index = self
                .instruments
                .instruments()
                .iter()
                .position(|x| x.exchange_id == e.mocked_exchange && x.name_exchange == inst.instrument)
                .ok_or_else(|| {
                    EngineError::config(
                        format!("{p}.instrument"),
                        format!(
                            "no instrument {} on {}",
                            crate::error::quote(&inst.instrument),
                            e.mocked_exchange
                        ),
                    )
                })?;
            for (k, o) in inst.orders.iter().enumerate() {
                let op = format!("{p}.orders[{k}]");
                if o.key.instrument != inst.instrument || o.key.exchange != e.mocked_exchange {
                    return Err(EngineError::config(
                        format!("{op}.key"),
                        "must name this instrument and exchange",
                    ));
                }
                if (o.kind != OrderKind::Limit && o.trigger.is_none())
                    || !matches!(o.state, OrderState::Active(ActiveOrderState::Open(_)))
                {
                    return Err(EngineError::config(
                        format!("{op}.state"),
                        "starting orders must be Limit orders (or stop orders: Market or Limit with a trigger) \
                         in state {\"Active\": {\"Open\": ...}}",
                    ));
                }
                // The trigger and bracket follow an open request's rules; the paths name the
                // starting order's own fields (`trigger`, `bracket`, `price`).
                let request = crate::order::RequestOpen {
                    side: o.side,
                    price: o.price,
                    quantity: o.quantity,
                    kind: o.kind,
                    time_in_force: o.time_in_force,
                    sizing: None,
                    trigger: o.trigger.clone().map(std::sync::Arc::new),
                    bracket: o.bracket.clone().map(std::sync::Arc::new),
                };
                let bad = |f: &str, m: String| {
                    EngineError::config(format!("{op}.{}", f.trim_start_matches("state.")), m)
                };
                crate::event::check_conditions(&request, &bad)?;
                if o.price <= Decimal::ZERO || o.quantity <= Decimal::ZERO {
                    return Err(EngineError::config(
                        format!("{op}.quantity"),
                        "price and quantity must be positive",
                    ));
                }
                let max = crate::event::MAX_MAGNITUDE;
                for (v, f) in [(o.price, "price"), (o.quantity, "quantity")] {
                    if v > max {
                        return Err(EngineError::config(
                            format!("{op}.{f}"),
                            format!("{v} exceeds the largest accepted value {max}"),
                        ));
                    }
                }
                if let OrderState::Active(ActiveOrderState::Open(open)) = &o.state {
                    // An order filled to its quantity is not open, and one filled past it is
                    // nonsense the exchange would later trip over.
                    if open.filled_quantity < Decimal::ZERO || open.filled_quantity >= o.quantity {
                        return Err(EngineError::config(
                            format!("{op}.state.Active.Open.filled_quantity"),
                            format!(
                                "need 0 <= filled_quantity < quantity, got {} of {}",
                                open.filled_quantity, o.quantity
                            ),
                        ));
                    }
                }
                if out
                    .iter()
                    .any(|x: &IndexedInitialOrder| x.key.instrument.0 == index && x.key.cid == o.key.cid)
                {
                    return Err(EngineError::config(
                        format!("{op}.key.cid"),
                        format!("client order id {} is used twice", crate::error::quote(&o.key.cid.0)),
                    ));
                }
                let Some(exchange) = self.instruments.exchange_index(e.mocked_exchange) else {
                    return Err(EngineError::config(
                        format!("executions[{i}].mocked_exchange"),
                        format!("no instrument trades on {}", e.mocked_exchange),
                    ));
                };
                self.reserve_initial(i, &mut held, index, o, &op)?;
                out.push(crate::order::Order {
                    key: OrderKey {
                        exchange,
                        instrument: InstrumentIndex(index),
                        strategy: o.key.strategy.clone(),
                        cid: o.key.cid.clone(),
                    },
                    side: o.side,
                    price: o.price,
                    quantity: o.quantity,
                    kind: o.kind,
                    time_in_force: o.time_in_force,
                    trigger: o.trigger.clone().map(std::sync::Arc::new),
                    bracket: o.bracket.clone().filter(|b| !b.is_empty()).map(std::sync::Arc::new),
                    exit_of: None,
                    state: o.state.clone(),
                });
            }
        }
        Ok(out)
    }

    /// Adds what a starting order holds (the exchange reserves it as for a new order: quote
    /// `price × remaining × (1 + max fee)` for a buy, base `remaining` for a sell) to `held`, and
    /// refuses it when the config's balances do not hold that much in use (`total - free`): the
    /// free balance is taken to exclude what these orders hold.
    fn reserve_initial(
        &self,
        i: usize,
        held: &mut [Decimal],
        instrument: usize,
        o: &crate::config::InitialOrder,
        op: &str,
    ) -> Result<(), EngineError> {
        let e = &self.executions[i];
        let OrderState::Active(ActiveOrderState::Open(open)) = &o.state else { return Ok(()) };
        let inst = &self.instruments.instruments()[instrument];
        let remaining = o.quantity - open.filled_quantity;
        let max_fee = e.maker_fee().max(e.taker_fee()).max(Decimal::ZERO);
        let (asset, need) = match o.side {
            // A stop-market buy holds nothing while armed (it is paid for when it fills).
            crate::order::Side::Buy if o.kind == OrderKind::Market => {
                (inst.quote_asset(), Some(Decimal::ZERO))
            }
            crate::order::Side::Buy => (
                inst.quote_asset(),
                o.price.checked_mul(remaining).and_then(|n| n.checked_mul(Decimal::ONE + max_fee)),
            ),
            crate::order::Side::Sell => (inst.base_asset(), Some(remaining)),
        };
        let name = &self.instruments.assets()[asset.0].name;
        let total = need.and_then(|n| held[asset.0].checked_add(n)).ok_or_else(|| {
            EngineError::config(format!("{op}.quantity"), "the starting orders hold more than can be counted")
        })?;
        let used = e
            .initial_state
            .balances
            .iter()
            .find(|b| b.asset.eq_ignore_ascii_case(name))
            .map_or(Decimal::ZERO, |b| b.balance.total - b.balance.free);
        if total > used {
            return Err(EngineError::config(
                format!("{op}.quantity"),
                format!(
                    "the starting orders hold {total} {name} but executions[{i}].initial_state.balances holds \
                     only {used} {name} in use (total - free)"
                ),
            ));
        }
        held[asset.0] = total;
        Ok(())
    }

    /// The benchmark instrument index.
    pub fn benchmark(&self) -> InstrumentIndex {
        self.engine
            .benchmark_instrument
            .as_deref()
            .and_then(|b| self.instruments.find_instrument(b))
            .unwrap_or(InstrumentIndex(0))
    }

    /// The asset equity is measured in.
    pub fn valuation_asset(&self) -> String {
        self.engine.valuation_asset.clone().map(|s| s.to_ascii_lowercase()).unwrap_or_else(|| {
            let i = &self.instruments.instruments()[0];
            self.instruments.assets()[i.quote_asset().0].name.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> serde_json::Value {
        serde_json::json!({
            "risk_free_return": 0.05,
            "instruments": [{"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"}],
            "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 100, "fees_percent": 0.05,
                "initial_state": {"exchange": "binance_spot", "balances": [{"asset": "usdt", "balance": {"total": 10000, "free": 10000}, "time_exchange": "2025-03-24T21:30:00Z"}],
                "instruments": [{"instrument": "BTCUSDT", "orders": []}]}}]
        })
    }

    fn err(v: serde_json::Value) -> String {
        Config::from_value(v).unwrap_err().to_string()
    }

    #[test]
    fn loads_barter_shape_and_reads_numbers_exactly() {
        let c = Config::from_value(base()).unwrap();
        assert_eq!(c.risk_free_return.to_string(), "0.05");
        assert_eq!(c.executions[0].fees_percent.to_string(), "0.05");
        assert_eq!(c.valuation_asset(), "usdt");
    }

    #[test]
    fn errors_name_the_path() {
        let mut v = base();
        v["executions"][0]["latency_ms"] = serde_json::json!("fast");
        assert!(err(v).starts_with("INVALID_CONFIG: executions[0].latency_ms: invalid type"));
        let mut v = base();
        v["instruments"][0]["colour"] = serde_json::json!("red");
        assert!(err(v).starts_with("INVALID_CONFIG: instruments[0].colour: unknown field `colour`"));
        let mut v = base();
        v["executions"][0]["initial_state"]["balances"][0]["asset"] = serde_json::json!("eur");
        assert_eq!(err(v), "INVALID_CONFIG: executions[0].initial_state.balances[0].asset: no instrument on binance_spot uses asset \"eur\"");
        let mut v = base();
        v["executions"][0]["fees_percent"] = serde_json::json!(5);
        assert!(err(v).contains("executions[0].fees_percent: must be a fraction"));
        let mut v = base();
        v["risk"] = serde_json::json!({"max_drawdown": 2});
        assert!(err(v).contains("risk.max_drawdown"));
        let mut v = base();
        v["strategy"] = serde_json::json!({"type": "sma_cross", "fast": 3, "speed": 1});
        let e = err(v);
        assert!(e.starts_with("INVALID_CONFIG: strategy.speed: unknown field `speed`"), "{e}");
        let mut v = base();
        v["executions"][0]["mocked_exchange"] = serde_json::json!("coinbase");
        assert!(err(v).contains("executions[0].mocked_exchange: no instrument trades on coinbase"));
        assert!(Config::from_json_str("{")
            .unwrap_err()
            .to_string()
            .starts_with("DECODE: json line 1 column 1"));
        assert_eq!(err(serde_json::json!([1])), "INVALID_CONFIG: .: the config must be a JSON object");
    }

    #[test]
    fn initial_balances_replace_the_config_ones() {
        let c = Config::from_value(base()).unwrap();
        let seeds: Vec<BalanceSeed> = serde_json::from_value(serde_json::json!([{"asset": "usdt", "total": "500"}, {"asset": "btc", "total": "2", "free": "1"}])).unwrap();
        let n = c.with_initial_balances(&seeds).unwrap();
        let b = &n.executions[0].initial_state.balances;
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].asset.as_str(), b[0].balance.free.to_string()), ("usdt", "500".to_string()));
        assert_eq!(b[1].balance.free.to_string(), "1");
        let bad: Vec<BalanceSeed> =
            serde_json::from_value(serde_json::json!([{"asset": "eur", "total": "1"}])).unwrap();
        assert_eq!(c.with_initial_balances(&bad).unwrap_err().code(), crate::ErrorCode::InvalidArgument);
        let bad: Vec<BalanceSeed> =
            serde_json::from_value(serde_json::json!([{"asset": "usdt", "total": "1", "free": "2"}]))
                .unwrap();
        assert!(c.with_initial_balances(&bad).unwrap_err().to_string().contains("free <= total"));
        let bad: Vec<BalanceSeed> = serde_json::from_value(
            serde_json::json!([{"exchange": "kraken", "asset": "usdt", "total": "1"}]),
        )
        .unwrap();
        assert_eq!(c.with_initial_balances(&bad).unwrap_err().to_string(), "INVALID_ARGUMENT: initialBalances[0].exchange: kraken is not a simulated exchange of this config");
    }

    #[test]
    fn nested_form_and_extensions() {
        let b = base();
        let v = serde_json::json!({"risk_free_return": 0.05, "system": {"executions": b["executions"], "instruments": b["instruments"]},
            "engine": {"trading_state": "Disabled", "audit": true}, "strategy": {"type": "buy_and_hold"}});
        let c = Config::from_value(v).unwrap();
        assert_eq!(c.engine.trading_state, TradingState::Disabled);
        assert!(c.engine.audit);
        let v = serde_json::json!({"system": {"executions": b["executions"], "instruments": b["instruments"], "extra": 1}});
        assert!(err(v).starts_with("INVALID_CONFIG: system.extra: unknown field `extra`"));
        let mut nested =
            serde_json::json!({"system": {"executions": b["executions"], "instruments": b["instruments"]}});
        nested["system"]["executions"][0]["latency_ms"] = serde_json::json!(-1);
        assert!(err(nested).starts_with("INVALID_CONFIG: system.executions[0].latency_ms: invalid value"));
    }

    #[test]
    fn paths_from_text_positions() {
        // Pretty-printed text with escapes in keys and strings: the path comes from the position.
        let mut v = base();
        v["executions"][0]["initial_state"]["balances"][0]["balance"]["total"] = serde_json::json!("lots");
        let text = serde_json::to_string_pretty(&v).unwrap().replace("\"usdt\"", "\"us\\u0064t\"");
        let e = Config::from_json_str(&text).unwrap_err().to_string();
        assert!(
            e.starts_with("INVALID_CONFIG: executions[0].initial_state.balances[0].balance.total: "),
            "{e}"
        );
        let mut v = base();
        v["strategy"] = serde_json::json!({"type": "sma_cross", "fast": "x", "slow": 3});
        assert_eq!(err(v), "INVALID_CONFIG: strategy.fast: invalid type: string \"x\", expected usize");
        let mut v = base();
        v["strategy"] = serde_json::json!({"slow": 3, "sizing": 3, "type": "sma_cross"});
        assert_eq!(
            err(v),
            "INVALID_CONFIG: strategy.sizing: invalid type: expected a variant's name, or an object with one key naming it"
        );
        let mut v = base();
        v["engine"] = serde_json::json!({"trading_state": "Sleeping"});
        assert!(err(v).starts_with("INVALID_CONFIG: engine.trading_state: unknown variant `Sleeping`"));
    }
}
