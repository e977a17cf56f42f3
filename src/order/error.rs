//! Why an order or cancel failed: barter's `OrderError`, with the simulated exchange's reasons typed.

use crate::instrument::{AssetIndex, ExchangeId};
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
}

impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderError::Connectivity(c) => write!(f, "connectivity: {c:?}"),
            OrderError::Rejected(ApiError::BalanceInsufficient(a, m)) => {
                write!(f, "balance insufficient (asset {}): {m}", a.0)
            }
            OrderError::Rejected(r) => write!(f, "rejected: {r:?}"),
        }
    }
}
