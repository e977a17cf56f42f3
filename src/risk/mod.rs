//! Pre-trade risk: a trait strategies can implement, an approve-all manager, and a manager driven
//! by config knobs. Only algorithmic orders are checked when sent; commands bypass risk (as in
//! barter).
//!
//! **At trigger time.** A stop order is checked when sent against the market price then, but what
//! it will cost is only known when its trigger fires, later, on the exchange. So the simulated
//! exchange re-applies the knobs that bound one order by its price (`max_order_notional`,
//! `max_price_deviation`: `RiskConfig::check_trigger`) at the moment a stop triggers, with the
//! trigger's price, and a refused trigger ends the order as `OpenFailed(Rejected(RiskRefused))`
//! naming the knob, its limit and the value (the audit and the log show it); it never fills.
//! This lives in the exchange, not in a `RiskManager`: the trigger fires inside an observation,
//! and with zero latency the order fills in that same observation, before the engine hears of it.
//! It applies to every stop the exchange triggers whoever placed it (a command's too: the limit is
//! the venue's then), except the exits of a bracket, which only reduce the position their entry
//! opened (the entry was checked). The knobs that need the engine's positions
//! (`max_position_notional`, `max_gross_exposure`, `long_only`) are checked when sent only.

mod limits;

pub use limits::{RiskConfig, RiskLimits, Triggered, DEFAULT_MAX_OPEN_ORDERS};

use crate::instrument::Instruments;
pub use crate::order::RiskRefusal;
use crate::order::{OrderRequestCancel, OrderRequestOpen};
use crate::state::EngineState;

/// What a risk manager may look at.
pub struct RiskContext<'a> {
    /// Engine state, including orders already approved in this batch (recorded in flight).
    pub state: &'a EngineState,
    /// Instruments.
    pub instruments: &'a Instruments,
    /// The asset equity is measured in.
    pub valuation_asset: &'a str,
}

/// Approves or refuses algorithmic requests, and may stop trading altogether.
pub trait RiskManager {
    /// Checks an open request.
    fn check_open(&mut self, ctx: &RiskContext<'_>, request: &OrderRequestOpen) -> Result<(), RiskRefusal>;

    /// Checks a cancel request (default: approve).
    fn check_cancel(
        &mut self,
        _ctx: &RiskContext<'_>,
        _request: &OrderRequestCancel,
    ) -> Result<(), RiskRefusal> {
        Ok(())
    }

    /// Called after each event while trading is enabled; a reason turns trading off.
    fn kill_switch(&mut self, _ctx: &RiskContext<'_>) -> Option<String> {
        None
    }

    /// False when `kill_switch` can never fire: the engine then skips the call after every
    /// event. Asked once, when the engine takes the risk manager.
    fn has_kill_switch(&self) -> bool {
        true
    }
}

/// Approves everything (barter's `DefaultRiskManager`).
#[derive(Debug, Default, Clone, Copy)]
pub struct ApproveAll;

impl RiskManager for ApproveAll {
    fn check_open(&mut self, _: &RiskContext<'_>, _: &OrderRequestOpen) -> Result<(), RiskRefusal> {
        Ok(())
    }

    fn has_kill_switch(&self) -> bool {
        false
    }
}
