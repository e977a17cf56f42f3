//! Stop triggers, trailing offsets and brackets: Tidemark extensions of barter's open request
//! (absent in barter's JSON, so its files load unchanged).
//!
//! A trigger turns an order into a stop order: it waits, armed, until the market reaches the
//! trigger price, then becomes the market (stop-market) or limit (stop-limit) order its `kind`
//! says. What "reaches" means per data kind is decided by the exchange (`src/exchange/stop.rs`).
//! A bracket attaches contingent exits to an entry: once the entry fills, a stop-loss, a trailing
//! stop and a take-profit are placed for the filled quantity, one-cancels-other.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The trigger of a stop order: a fixed price, or a trailing offset from the best price seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Fixed trigger price: a buy stop triggers at or above it, a sell stop at or below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// Trailing offset (exclusive with `price`): the trigger follows the best price since the
    /// order was placed (the highest for sells, the lowest for buys), starting from the order's
    /// reference `price`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailing: Option<Trailing>,
}

/// How far a trailing trigger stays from the best price.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Trailing {
    /// An absolute distance in quote units (positive).
    Distance(Decimal),
    /// A percent of the best price, in (0, 100).
    Percent(Decimal),
}

impl Trailing {
    /// The trigger level for a best price `best`: below it for sells, above it for buys.
    pub fn level(self, sell: bool, best: Decimal) -> Decimal {
        let offset = match self {
            Trailing::Distance(d) => d,
            Trailing::Percent(p) => best * p / Decimal::ONE_HUNDRED,
        };
        if sell {
            best - offset
        } else {
            best + offset
        }
    }

    /// Checks the offset; the message names what is wrong.
    pub fn check(self) -> Result<(), String> {
        match self {
            Trailing::Distance(d) if d <= Decimal::ZERO => {
                Err(format!("a trailing distance must be positive, got {d}"))
            }
            Trailing::Percent(p) if p <= Decimal::ZERO || p >= Decimal::ONE_HUNDRED => {
                Err(format!("a trailing percent must lie in (0, 100), got {p}"))
            }
            _ => Ok(()),
        }
    }
}

/// Exits attached to an entry order, placed for each filled quantity once it fills. They are
/// one-cancels-other: when one fills, the others shrink by as much (and are cancelled when it
/// completes); when the position closes by other means they are cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// Stop-loss trigger price: a stop-market exit (below a buy entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_loss: Option<Decimal>,
    /// Take-profit price: a limit exit (above a buy entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub take_profit: Option<Decimal>,
    /// A trailing stop-market exit, trailing from the entry's fill price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailing_stop: Option<Trailing>,
}

impl Bracket {
    /// True when it holds no exit at all.
    pub fn is_empty(&self) -> bool {
        self.stop_loss.is_none() && self.take_profit.is_none() && self.trailing_stop.is_none()
    }
}

/// Which exit of a bracket an order is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ExitKind {
    /// The stop-loss (stop-market).
    StopLoss,
    /// The trailing stop (stop-market).
    TrailingStop,
    /// The take-profit (limit).
    TakeProfit,
}

impl ExitKind {
    /// The suffix of the exit's client id (`<entry cid>/sl`, ...).
    pub fn suffix(self) -> &'static str {
        match self {
            ExitKind::StopLoss => "sl",
            ExitKind::TrailingStop => "trail",
            ExitKind::TakeProfit => "tp",
        }
    }
}

/// Marks an order the exchange placed as an exit of a bracketed entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitOf {
    /// The entry's client id.
    pub entry: super::ClientOrderId,
    /// Which exit.
    pub exit: ExitKind,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::d;

    #[test]
    fn trailing_levels_by_hand() {
        // Sell: 2 below a best of 100 is 98; 5 % of 100 below is 95. Buy: above.
        assert_eq!(Trailing::Distance(d("2")).level(true, d("100")), d("98"));
        assert_eq!(Trailing::Percent(d("5")).level(true, d("100")), d("95"));
        assert_eq!(Trailing::Percent(d("5")).level(false, d("80")), d("84"));
        assert!(Trailing::Distance(d("0")).check().is_err());
        assert!(Trailing::Percent(d("100")).check().is_err());
        assert!(Trailing::Percent(d("99.9")).check().is_ok());
    }

    #[test]
    fn json_shapes() {
        let t: Trigger = serde_json::from_str(r#"{"trailing": {"Percent": "2.5"}}"#).unwrap();
        assert_eq!(t.trailing, Some(Trailing::Percent(d("2.5"))));
        let b: Bracket = serde_json::from_str(r#"{"stop_loss": "95", "take_profit": "110"}"#).unwrap();
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"stop_loss":"95","take_profit":"110"}"#);
        assert!(serde_json::from_str::<Bracket>(r#"{"sl": "95"}"#).is_err());
    }
}
