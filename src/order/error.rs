//! Why an order or cancel failed: barter's `OrderError`, with the simulated exchange's reasons typed.

use crate::instrument::{AssetIndex, ExchangeId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An order failure, as barter's `OrderError` (`{"Rejected": {...}}` / `{"Connectivity": {...}}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OrderError {
    /// The venue could not be reached.
    Connectivity(ConnectivityError),
    /// The venue refused it.
    Rejected(ApiError),
}

/// Connectivity failures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ConnectivityError {
    /// The exchange is offline.
    ExchangeOffline(ExchangeId),
    /// The request timed out.
    Timeout,
    /// A socket error.
    Socket(String),
}

/// Venue refusals. The first seven are barter's; the rest name the simulated exchange's checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ApiError {
    /// Unknown asset.
    AssetInvalid,
    /// Unknown instrument (or not on this exchange).
    InstrumentInvalid,
    /// Too many requests.
    RateLimit,
    /// Not enough free balance: the asset and "Available ..., Required ..." text.
    BalanceInsufficient(AssetIndex, String),
    /// Refused for another reason.
    OrderRejected(String),
    /// The order was already cancelled.
    OrderAlreadyCancelled,
    /// The order was already fully filled.
    OrderAlreadyFullyFilled,
    /// Price not positive, below the minimum, or off the tick size.
    PriceInvalid(String),
    /// Quantity not positive, below the minimum, off the increment, or notional too small.
    QuantityInvalid(String),
    /// A post-only order would have taken liquidity.
    PostOnlyWouldCross,
    /// A fill-or-kill order could not be filled in full at once.
    FillOrKillUnfillable,
    /// A cancel named no order the exchange knows (already filled, cancelled or never opened).
    OrderNotFound,
    /// The client order id is already used by a live order.
    DuplicateClientOrderId,
    /// The simulated exchange fills spot instruments only.
    InstrumentKindUnsupported,
    /// A risk knob refused the order its trigger released (the exchange re-applies the knobs
    /// that depend on price when a stop triggers; see `risk::RiskConfig::check_trigger`).
    RiskRefused(RiskRefusal),
}

/// Why a risk check refused a request: the knob, its limit and the value that broke it. Defined
/// with the order errors (a stop refused when it triggers carries one); `risk` re-exports it.
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

impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderError::Connectivity(c) => write!(f, "connectivity: {c:?}"),
            OrderError::Rejected(ApiError::BalanceInsufficient(a, m)) => {
                write!(f, "balance insufficient (asset {}): {m}", a.0)
            }
            OrderError::Rejected(ApiError::RiskRefused(r)) => {
                write!(f, "refused by risk when triggered: {r}")
            }
            OrderError::Rejected(r) => write!(f, "rejected: {r:?}"),
        }
    }
}
