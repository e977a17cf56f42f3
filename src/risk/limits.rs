//! The knob-driven risk manager. Every knob is optional; each refusal names the knob and numbers.

use super::{RiskContext, RiskManager, RiskRefusal};
use crate::error::EngineError;
use crate::order::{ActiveOrderState, OrderKind, OrderRequestOpen, Side};
use crate::state::Valuation;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The live-order cap per instrument when `max_open_orders_per_instrument` is unset. Strategy
/// orders past it are refused (`max_open_orders_per_instrument`); commands are not risk-checked.
pub const DEFAULT_MAX_OPEN_ORDERS: u32 = 10_000;

/// Risk knobs (config key `risk`). Notional limits are in the instrument's quote asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RiskConfig {
    /// Largest price × quantity of one order.
    pub max_order_notional: Option<Decimal>,
    /// Largest quantity of one order.
    pub max_order_quantity: Option<Decimal>,
    /// Largest |position + live orders + this order| × price per instrument.
    pub max_position_notional: Option<Decimal>,
    /// Largest Σ |position| × mark over instruments, counting this order.
    pub max_gross_exposure: Option<Decimal>,
    /// Most live orders (in flight or open) per instrument; `DEFAULT_MAX_OPEN_ORDERS` (10,000)
    /// when unset, so a runaway strategy gets refusals instead of an ever-growing book.
    pub max_open_orders_per_instrument: Option<u32>,
    /// Largest |price − mark| / mark of an order (a fraction: 0.05 = 5%).
    pub max_price_deviation: Option<Decimal>,
    /// Refuse sells that would take a spot position below zero.
    pub long_only: bool,
    /// Turn trading off when equity falls this fraction below its peak (0.2 = 20%).
    pub max_drawdown: Option<Decimal>,
}

impl RiskConfig {
    /// Checks knob values.
    pub fn validate(&self) -> Result<(), EngineError> {
        for (v, name) in [
            (self.max_order_notional, "max_order_notional"),
            (self.max_order_quantity, "max_order_quantity"),
            (self.max_position_notional, "max_position_notional"),
            (self.max_gross_exposure, "max_gross_exposure"),
            (self.max_price_deviation, "max_price_deviation"),
        ] {
            if let Some(v) = v {
                if v <= Decimal::ZERO {
                    return Err(EngineError::config(
                        format!("risk.{name}"),
                        format!("must be positive, got {v}"),
                    ));
                }
            }
        }
        if let Some(d) = self.max_drawdown {
            if d <= Decimal::ZERO || d >= Decimal::ONE {
                return Err(EngineError::config(
                    "risk.max_drawdown",
                    format!("must be a fraction in (0, 1), got {d}"),
                ));
            }
        }
        if self.max_open_orders_per_instrument == Some(0) {
            return Err(EngineError::config("risk.max_open_orders_per_instrument", "must be at least 1"));
        }
        Ok(())
    }
}

/// A stop order whose trigger just fired, as `RiskConfig::check_trigger` sees it.
#[derive(Copy, Clone, Debug)]
pub struct Triggered {
    /// Market (stop-market) or limit (stop-limit).
    pub kind: OrderKind,
    /// The limit price of a stop-limit order.
    pub price: Decimal,
    /// Quantity.
    pub quantity: Decimal,
    /// The trigger's price: the level that fired.
    pub trigger: Decimal,
}

impl RiskConfig {
    /// Checks a stop order when its trigger fires (see the module doc): the knobs that bound one
    /// order by its price, with the trigger's price as the market price. A stop-market order is
    /// valued at the trigger price, a stop-limit at its limit (as `check_open` values market
    /// and limit orders); a stop-limit's limit may lie at most `max_price_deviation` from the
    /// trigger price.
    pub fn check_trigger(&self, o: &Triggered) -> Result<(), RiskRefusal> {
        let price = if o.kind == OrderKind::Limit { o.price } else { o.trigger };
        if let Some(limit) = self.max_order_notional {
            let notional = price.saturating_mul(o.quantity);
            if notional > limit {
                return Err(refuse(
                    "max_order_notional",
                    limit,
                    notional,
                    format!("notional {notional} at the trigger price {} exceeds {limit}", o.trigger),
                ));
            }
        }
        if let (Some(limit), OrderKind::Limit) = (self.max_price_deviation, o.kind) {
            if o.trigger > Decimal::ZERO {
                let dev = (o.price - o.trigger).abs() / o.trigger;
                if dev > limit {
                    return Err(refuse(
                        "max_price_deviation",
                        limit,
                        dev,
                        format!("limit {} is {dev} away from the trigger price {}", o.price, o.trigger),
                    ));
                }
            }
        }
        Ok(())
    }

    /// True when `check_trigger` can refuse anything.
    pub fn checks_triggers(&self) -> bool {
        self.max_order_notional.is_some() || self.max_price_deviation.is_some()
    }
}

/// A risk manager applying `RiskConfig`.
#[derive(Clone, Debug, Default)]
pub struct RiskLimits {
    config: RiskConfig,
    peak_equity: Option<Decimal>,
    /// How the kill switch values equity, planned at its first check: it values the portfolio
    /// after every event, and the instruments and valuation asset are an engine's for good.
    valuation: Option<Valuation>,
}

impl RiskLimits {
    /// From knobs.
    pub fn new(config: RiskConfig) -> Self {
        RiskLimits { config, peak_equity: None, valuation: None }
    }
}

fn refuse(check: &str, limit: Decimal, value: Decimal, message: String) -> RiskRefusal {
    RiskRefusal { check: check.into(), limit: Some(limit), value: Some(value), message }
}

impl RiskManager for RiskLimits {
    fn check_open(&mut self, ctx: &RiskContext<'_>, o: &OrderRequestOpen) -> Result<(), RiskRefusal> {
        let c = &self.config;
        let s = &o.state;
        let inst = ctx.state.instrument(o.key.instrument);
        let mark = inst.market.mark();
        if let Some(limit) = c.max_order_quantity {
            if s.quantity > limit {
                return Err(refuse(
                    "max_order_quantity",
                    limit,
                    s.quantity,
                    format!("quantity {} exceeds {limit}", s.quantity),
                ));
            }
        }
        // The engine enforces this knob (or its default) before any risk manager; kept here so
        // the knob holds for this manager when used on its own.
        if let Some(limit) = c.max_open_orders_per_instrument {
            let live = u64::try_from(inst.orders.len()).unwrap_or(u64::MAX);
            if live >= u64::from(limit) {
                let after = live.saturating_add(1);
                return Err(refuse(
                    "max_open_orders_per_instrument",
                    limit.into(),
                    after.into(),
                    format!("{after} live orders would exceed {limit}"),
                ));
            }
        }
        let price = if s.kind == OrderKind::Limit || mark.is_none() {
            Some(s.price).filter(|p| !p.is_zero())
        } else {
            mark
        };
        let needs_price = c.max_order_notional.is_some()
            || c.max_position_notional.is_some()
            || c.max_gross_exposure.is_some()
            || c.max_price_deviation.is_some();
        let price = match price {
            Some(p) => p,
            None if needs_price => {
                return Err(RiskRefusal {
                    check: "market_price".into(),
                    limit: None,
                    value: None,
                    message: "no price to value the order: no market data yet and no order price".into(),
                })
            }
            None => Decimal::ZERO,
        };
        if let Some(limit) = c.max_order_notional {
            let notional = price.saturating_mul(s.quantity);
            if notional > limit {
                return Err(refuse(
                    "max_order_notional",
                    limit,
                    notional,
                    format!("notional {notional} exceeds {limit}"),
                ));
            }
        }
        if let Some(limit) = c.max_price_deviation {
            let Some(m) = mark else {
                return Err(RiskRefusal {
                    check: "max_price_deviation".into(),
                    limit: Some(limit),
                    value: None,
                    message: "no market price to compare against".into(),
                });
            };
            let dev = (s.price - m).abs() / m;
            if s.kind == OrderKind::Limit && dev > limit {
                return Err(refuse(
                    "max_price_deviation",
                    limit,
                    dev,
                    format!("price {} is {dev} away from the market {m}", s.price),
                ));
            }
        }
        if !(c.long_only || c.max_position_notional.is_some() || c.max_gross_exposure.is_some()) {
            return Ok(());
        }
        // Projected position: current + what live orders would add + this order. Summed only
        // when a knob needs it: it visits every live order.
        let pending: Decimal = inst
            .orders
            .0
            .iter()
            .map(|ord| {
                let filled = match &ord.state {
                    ActiveOrderState::Open(op) => op.filled_quantity,
                    _ => Decimal::ZERO,
                };
                ord.side.sign() * (ord.quantity - filled)
            })
            // Saturating: each order is bounded, a raised order cap leaves their sum unbounded.
            .fold(Decimal::ZERO, Decimal::saturating_add);
        let current = inst.position_quantity();
        let projected = current.saturating_add(pending).saturating_add(s.side.sign() * s.quantity);
        if c.long_only && s.side == Side::Sell && projected < Decimal::ZERO {
            return Err(refuse(
                "long_only",
                Decimal::ZERO,
                projected,
                format!("sell would leave a position of {projected}"),
            ));
        }
        if let Some(limit) = c.max_position_notional {
            let v = projected.abs().saturating_mul(price);
            if v > limit && projected.abs() > current.abs() {
                return Err(refuse(
                    "max_position_notional",
                    limit,
                    v,
                    format!("position notional {v} would exceed {limit}"),
                ));
            }
        }
        if let Some(limit) = c.max_gross_exposure {
            let this_now = current.abs().saturating_mul(mark.unwrap_or(price));
            let after = ctx
                .state
                .gross_exposure()
                .saturating_sub(this_now)
                .saturating_add(projected.abs().saturating_mul(price));
            if after > limit && projected.abs() > current.abs() {
                return Err(refuse(
                    "max_gross_exposure",
                    limit,
                    after,
                    format!("gross exposure {after} would exceed {limit}"),
                ));
            }
        }
        Ok(())
    }

    fn has_kill_switch(&self) -> bool {
        self.config.max_drawdown.is_some()
    }

    fn kill_switch(&mut self, ctx: &RiskContext<'_>) -> Option<String> {
        let limit = self.config.max_drawdown?;
        let plan = self.valuation.get_or_insert_with(|| Valuation::new(ctx.instruments, ctx.valuation_asset));
        let equity = ctx.state.value(plan).0;
        let peak = self.peak_equity.map_or(equity, |p| p.max(equity));
        self.peak_equity = Some(peak);
        if peak <= Decimal::ZERO {
            return None;
        }
        let dd = (peak - equity) / peak;
        (dd >= limit).then(|| {
            format!(
                "max_drawdown: equity {equity} is {} below its peak {peak} (limit {limit})",
                dd.normalize()
            )
        })
    }
}
