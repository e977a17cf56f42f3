//! Account events (barter's `AccountEvent`): produced by the simulated exchange, or injected from a
//! real venue with the same effect on state.

use crate::error::EngineError;
use crate::instrument::{AssetIndex, ExchangeIndex, InstrumentIndex, Instruments};
use crate::order::{
    Cancelled, Order, OrderId, OrderKey, OrderResponseCancel, OrderState, Side, StrategyId, TradeId,
};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An event from one exchange account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountEvent {
    /// Exchange index.
    pub exchange: ExchangeIndex,
    /// What happened.
    pub kind: AccountEventKind,
}

/// Kinds of account events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AccountEventKind {
    /// Full account state.
    Snapshot(AccountSnapshot),
    /// One balance.
    BalanceSnapshot(AssetBalance),
    /// One order's state.
    OrderSnapshot(Order<OrderState>),
    /// Answer to a cancel.
    OrderCancelled(OrderResponseCancel),
    /// A fill.
    Trade(Trade),
}

/// Balance of one asset.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Balance {
    /// Everything held.
    #[serde(deserialize_with = "super::exact::total")]
    pub total: Decimal,
    /// Not reserved by open orders.
    #[serde(deserialize_with = "super::exact::free")]
    pub free: Decimal,
}

impl Balance {
    /// Reserved by open orders (`total - free`).
    pub fn used(&self) -> Decimal {
        self.total - self.free
    }
}

/// A timed balance of one asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetBalance {
    /// Asset index.
    pub asset: AssetIndex,
    /// Amounts.
    pub balance: Balance,
    /// When the exchange reported it.
    pub time_exchange: Timestamp,
}

/// Full account state of one exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountSnapshot {
    /// Exchange index.
    pub exchange: ExchangeIndex,
    /// Balances.
    pub balances: Vec<AssetBalance>,
    /// Orders per instrument.
    pub instruments: Vec<InstrumentAccountSnapshot>,
}

/// Orders of one instrument in a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentAccountSnapshot {
    /// Instrument index.
    pub instrument: InstrumentIndex,
    /// Its orders.
    #[serde(default)]
    pub orders: Vec<Order<OrderState>>,
}

/// Fees of a fill; always in the instrument's quote asset (barter writes `"asset": null`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetFees {
    /// Fee asset (null: the quote asset).
    #[serde(default)]
    pub asset: Option<AssetIndex>,
    /// Amount.
    pub fees: Decimal,
}

/// A fill of one of our orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trade {
    /// Trade id.
    pub id: TradeId,
    /// Order id.
    pub order_id: OrderId,
    /// Instrument index.
    pub instrument: InstrumentIndex,
    /// Strategy that owns the order.
    pub strategy: StrategyId,
    /// When it filled.
    pub time_exchange: Timestamp,
    /// Side.
    pub side: Side,
    /// Fill price.
    pub price: Decimal,
    /// Fill quantity (positive).
    pub quantity: Decimal,
    /// Fees paid.
    pub fees: AssetFees,
}

impl Trade {
    /// price × |quantity|.
    pub fn value_quote(&self) -> Decimal {
        self.price * self.quantity.abs()
    }
}

impl AccountEvent {
    /// The exchange time this event carries (barter's clock rule).
    pub fn time(&self) -> Option<Timestamp> {
        match &self.kind {
            AccountEventKind::Snapshot(s) => s.balances.iter().map(|b| b.time_exchange).max(),
            AccountEventKind::BalanceSnapshot(b) => Some(b.time_exchange),
            AccountEventKind::OrderSnapshot(o) => match &o.state {
                OrderState::Active(a) => a.open().map(|o| o.time_exchange),
                OrderState::Inactive(crate::order::InactiveOrderState::Cancelled(c)) => Some(c.time_exchange),
                _ => None,
            },
            AccountEventKind::OrderCancelled(c) => c.state.as_ref().ok().map(|c: &Cancelled| c.time_exchange),
            AccountEventKind::Trade(t) => Some(t.time_exchange),
        }
    }

    /// Checks indices against the instruments and values for sanity.
    pub fn validate(&self, instruments: &Instruments) -> Result<(), EngineError> {
        instruments.exchange(self.exchange, "exchange")?;
        let check_key = |key: &OrderKey, f: &str| -> Result<(), EngineError> {
            if key.exchange != self.exchange {
                return Err(EngineError::event(
                    format!("{f}.key.exchange"),
                    "differs from the event's exchange",
                ));
            }
            // The field path is only formatted on failure: order events come with every order.
            let i = instruments.instrument(key.instrument, "key.instrument").map_err(|e| e.within(f))?;
            if i.exchange != self.exchange {
                return Err(EngineError::event(
                    format!("{f}.key.instrument"),
                    "instrument is not on this exchange",
                ));
            }
            Ok(())
        };
        // The field path is a function: a fill's snapshot carries two balances, and formatting
        // their paths up front cost more than checking them.
        let check_balance = |b: &AssetBalance, path: &dyn Fn() -> String| -> Result<(), EngineError> {
            let a = instruments.asset(b.asset, "asset").map_err(|e| e.within(&path()))?;
            if a.exchange != self.exchange {
                return Err(EngineError::event(format!("{}.asset", path()), "asset is not on this exchange"));
            }
            if crate::decimal::gt(&b.balance.total, &super::MAX_BALANCE) {
                return Err(EngineError::event(
                    format!("{}.balance.total", path()),
                    format!("exceeds the largest accepted balance {}", super::MAX_BALANCE),
                ));
            }
            if crate::decimal::lt(&b.balance.total, &Decimal::ZERO)
                || crate::decimal::lt(&b.balance.free, &Decimal::ZERO)
                || crate::decimal::gt(&b.balance.free, &b.balance.total)
            {
                let f = path();
                return Err(EngineError::event(
                    format!("{f}.balance"),
                    format!("need 0 <= free <= total, got total {} free {}", b.balance.total, b.balance.free),
                ));
            }
            Ok(())
        };
        let check_order = |o: &Order<OrderState>, f: &str| -> Result<(), EngineError> {
            check_key(&o.key, f)?;
            if crate::decimal::gt(&o.quantity, &super::MAX_MAGNITUDE)
                || crate::decimal::gt(&o.price, &super::MAX_MAGNITUDE)
            {
                return Err(EngineError::event(
                    format!("{f}.quantity"),
                    format!("price and quantity must be at most {}", super::MAX_MAGNITUDE),
                ));
            }
            if o.quantity.is_sign_negative() || o.quantity.is_zero() {
                return Err(EngineError::event(
                    format!("{f}.quantity"),
                    format!("must be positive, got {}", o.quantity),
                ));
            }
            if o.price.is_sign_negative() && !o.price.is_zero() {
                return Err(EngineError::event(
                    format!("{f}.price"),
                    format!("must not be negative, got {}", o.price),
                ));
            }
            Ok(())
        };
        match &self.kind {
            AccountEventKind::Snapshot(s) => {
                if s.exchange != self.exchange {
                    return Err(EngineError::event(
                        "kind.Snapshot.exchange",
                        "differs from the event's exchange",
                    ));
                }
                for (i, b) in s.balances.iter().enumerate() {
                    check_balance(b, &|| format!("kind.Snapshot.balances[{i}]"))?;
                }
                for (i, inst) in s.instruments.iter().enumerate() {
                    instruments
                        .instrument(inst.instrument, "instrument")
                        .map_err(|e| e.within(&format!("kind.Snapshot.instruments[{i}]")))?;
                    for (j, o) in inst.orders.iter().enumerate() {
                        check_order(o, &format!("kind.Snapshot.instruments[{i}].orders[{j}]"))?;
                    }
                }
                Ok(())
            }
            AccountEventKind::BalanceSnapshot(b) => check_balance(b, &|| "kind.BalanceSnapshot".into()),
            AccountEventKind::OrderSnapshot(o) => check_order(o, "kind.OrderSnapshot"),
            AccountEventKind::OrderCancelled(c) => check_key(&c.key, "kind.OrderCancelled"),
            AccountEventKind::Trade(t) => {
                let i = instruments.instrument(t.instrument, "kind.Trade.instrument")?;
                if i.exchange != self.exchange {
                    return Err(EngineError::event(
                        "kind.Trade.instrument",
                        "instrument is not on this exchange",
                    ));
                }
                if t.price <= Decimal::ZERO {
                    return Err(EngineError::event(
                        "kind.Trade.price",
                        format!("must be positive, got {}", t.price),
                    ));
                }
                if t.quantity.is_zero() {
                    return Err(EngineError::event("kind.Trade.quantity", "must not be zero"));
                }
                if t.price > super::MAX_MAGNITUDE
                    || t.quantity.abs() > super::MAX_MAGNITUDE
                    || t.fees.fees.abs() > super::MAX_BALANCE
                {
                    return Err(EngineError::event(
                        "kind.Trade",
                        format!("price and quantity must be at most {}", super::MAX_MAGNITUDE),
                    ));
                }
                Ok(())
            }
        }
    }
}
