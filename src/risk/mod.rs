//! Pre-trade risk: a trait strategies can implement, an approve-all manager, and a manager driven
//! by config knobs. Only algorithmic orders are checked; commands bypass risk (as in barter).

mod limits;

pub use limits::{RiskConfig, RiskLimits, DEFAULT_MAX_OPEN_ORDERS};

use crate::instrument::Instruments;
use crate::order::{OrderRequestCancel, OrderRequestOpen};
use crate::state::EngineState;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a request was refused: the knob, its limit and the value that broke it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RiskRefusal {
    /// The check or knob, e.g. `max_order_notional`.
    pub check: String,
    /// The configured limit, when numeric.
    pub limit: Option<Decimal>,
    /// The value that exceeded it, when numeric.
    pub value: Option<Decimal>,
    /// Human-readable reason.
    pub message: String,
}

impl fmt::Display for RiskRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.check, self.message)
    }
}

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
