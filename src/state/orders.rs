//! The account's live orders for one instrument (barter's order manager rules).

use crate::order::{
    ActiveOrderState, ClientOrderId, Open, Order, OrderRequestCancel, OrderRequestOpen, OrderResponseCancel,
    OrderState,
};
use serde::{Deserialize, Serialize};

/// Live orders of one instrument, in the order they were first seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Orders(pub Vec<Order<ActiveOrderState>>);

fn newer(a: &Open, b: &Open) -> Open {
    if b.time_exchange >= a.time_exchange {
        b.clone()
    } else {
        a.clone()
    }
}

impl Orders {
    /// Finds an order by client id.
    pub fn get(&self, cid: &ClientOrderId) -> Option<&Order<ActiveOrderState>> {
        self.0.iter().find(|o| &o.key.cid == cid)
    }

    fn position(&self, cid: &ClientOrderId) -> Option<usize> {
        self.0.iter().position(|o| &o.key.cid == cid)
    }

    /// Number of live orders.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records a sent open request as `OpenInFlight` (a duplicate cid replaces the old order).
    pub fn record_open_in_flight(&mut self, request: &OrderRequestOpen) {
        let order = Order {
            key: request.key.clone(),
            side: request.state.side,
            price: request.state.price,
            quantity: request.state.quantity,
            kind: request.state.kind,
            time_in_force: request.state.time_in_force,
            state: ActiveOrderState::OpenInFlight,
        };
        match self.position(&request.key.cid) {
            Some(i) => self.0[i] = order,
            None => self.0.push(order),
        }
    }

    /// Records a sent cancel as `CancelInFlight` holding the current open state; untracked: ignored.
    pub fn record_cancel_in_flight(&mut self, request: &OrderRequestCancel) {
        if let Some(i) = self.position(&request.key.cid) {
            let held = self.0[i].state.open().cloned();
            self.0[i].state = ActiveOrderState::CancelInFlight { order: held };
        }
    }

    /// Applies an order snapshot.
    pub fn update_from_snapshot(&mut self, snapshot: &Order<OrderState>) {
        let Some(i) = self.position(&snapshot.key.cid) else {
            if let OrderState::Active(active) = &snapshot.state {
                let fully_filled =
                    matches!(active, ActiveOrderState::Open(o) if o.filled_quantity >= snapshot.quantity);
                if !fully_filled {
                    self.0.push(snapshot.with_state(active.clone()));
                }
            }
            return;
        };
        let active = match &snapshot.state {
            OrderState::Inactive(_) => {
                self.0.remove(i);
                return;
            }
            OrderState::Active(a) => a,
        };
        let current = &self.0[i].state;
        let next = match (current, active) {
            (ActiveOrderState::OpenInFlight, ActiveOrderState::Open(o)) => {
                if o.filled_quantity >= snapshot.quantity {
                    self.0.remove(i);
                    return;
                }
                Some(ActiveOrderState::Open(o.clone()))
            }
            (ActiveOrderState::OpenInFlight, ActiveOrderState::CancelInFlight { .. }) => Some(active.clone()),
            (ActiveOrderState::Open(cur), ActiveOrderState::Open(new)) => {
                if new.filled_quantity >= snapshot.quantity {
                    self.0.remove(i);
                    return;
                }
                (new.time_exchange >= cur.time_exchange).then(|| ActiveOrderState::Open(new.clone()))
            }
            (ActiveOrderState::Open(cur), ActiveOrderState::CancelInFlight { order }) => {
                Some(ActiveOrderState::CancelInFlight {
                    order: Some(order.as_ref().map_or_else(|| cur.clone(), |o| newer(cur, o))),
                })
            }
            (ActiveOrderState::CancelInFlight { order: held }, ActiveOrderState::Open(new)) => {
                Some(ActiveOrderState::CancelInFlight {
                    order: Some(held.as_ref().map_or_else(|| new.clone(), |h| newer(h, new))),
                })
            }
            _ => None,
        };
        if let Some(state) = next {
            self.0[i].state = state;
        }
    }

    /// Applies a cancel response: success removes the order; failure restores `Open` if one was held.
    pub fn update_from_cancel_response(&mut self, response: &OrderResponseCancel) {
        let Some(i) = self.position(&response.key.cid) else { return };
        match &response.state {
            Ok(_) => {
                self.0.remove(i);
            }
            Err(_) => {
                if let ActiveOrderState::CancelInFlight { order } = &self.0[i].state {
                    match order.clone() {
                        Some(open) => self.0[i].state = ActiveOrderState::Open(open),
                        None => {
                            self.0.remove(i);
                        }
                    }
                }
            }
        }
    }

    /// Applies the orders of an account snapshot: the snapshot is the truth for this instrument.
    pub fn replace_from_snapshot(&mut self, orders: &[Order<OrderState>]) {
        let in_flight: Vec<Order<ActiveOrderState>> =
            self.0.iter().filter(|o| matches!(o.state, ActiveOrderState::OpenInFlight)).cloned().collect();
        self.0.clear();
        for o in orders {
            if let OrderState::Active(a) = &o.state {
                self.0.push(o.with_state(a.clone()));
            }
        }
        for o in in_flight {
            if self.position(&o.key.cid).is_none() {
                self.0.push(o);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::{ExchangeIndex, InstrumentIndex};
    use crate::order::*;
    use crate::test_util::d;
    use crate::time::Timestamp;

    fn key(cid: &str) -> OrderKey {
        OrderKey {
            exchange: ExchangeIndex(0),
            instrument: InstrumentIndex(0),
            strategy: StrategyId("s".into()),
            cid: ClientOrderId(cid.into()),
        }
    }

    fn open_req(cid: &str) -> OrderRequestOpen {
        OrderRequestOpen {
            key: key(cid),
            state: RequestOpen {
                side: Side::Buy,
                price: d("100"),
                quantity: d("2"),
                kind: OrderKind::Limit,
                time_in_force: TimeInForce::GoodUntilCancelled { post_only: false },
                sizing: None,
            },
        }
    }

    fn snap(cid: &str, state: OrderState) -> Order<OrderState> {
        let r = open_req(cid);
        Order {
            key: r.key,
            side: Side::Buy,
            price: d("100"),
            quantity: d("2"),
            kind: OrderKind::Limit,
            time_in_force: r.state.time_in_force,
            state,
        }
    }

    fn open(t: i64, filled: &str) -> Open {
        Open { id: OrderId("1".into()), time_exchange: Timestamp(t), filled_quantity: d(filled) }
    }

    #[test]
    fn lifecycle_open_partial_fill_cancel() {
        let mut o = Orders::default();
        o.record_open_in_flight(&open_req("a"));
        assert_eq!(o.get(&ClientOrderId("a".into())).unwrap().state, ActiveOrderState::OpenInFlight);
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(5, "0")))));
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(4, "1"))))); // older: ignored
        assert_eq!(o.0[0].state.open().unwrap().filled_quantity, d("0"));
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(6, "1")))));
        assert_eq!(o.0[0].state.open().unwrap().filled_quantity, d("1"));
        o.record_cancel_in_flight(&OrderRequestCancel { key: key("a"), state: RequestCancel { id: None } });
        assert!(matches!(o.0[0].state, ActiveOrderState::CancelInFlight { order: Some(_) }));
        // A failed cancel restores the held open state.
        o.update_from_cancel_response(&OrderResponseCancel {
            key: key("a"),
            state: Err(OrderError::Rejected(ApiError::OrderNotFound)),
        });
        assert_eq!(o.0[0].state, ActiveOrderState::Open(open(6, "1")));
        o.record_cancel_in_flight(&OrderRequestCancel { key: key("a"), state: RequestCancel { id: None } });
        o.update_from_cancel_response(&OrderResponseCancel {
            key: key("a"),
            state: Ok(Cancelled { id: OrderId("1".into()), time_exchange: Timestamp(7) }),
        });
        assert!(o.is_empty());
    }

    #[test]
    fn fully_filled_and_inactive_snapshots_remove() {
        let mut o = Orders::default();
        o.record_open_in_flight(&open_req("a"));
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(1, "2")))));
        assert!(o.is_empty());
        o.record_open_in_flight(&open_req("b"));
        o.update_from_snapshot(&snap(
            "b",
            OrderState::Inactive(InactiveOrderState::OpenFailed(OrderError::Rejected(ApiError::RateLimit))),
        ));
        assert!(o.is_empty());
        // Untracked inactive: ignored; untracked active: inserted.
        o.update_from_snapshot(&snap("c", OrderState::Inactive(InactiveOrderState::Expired)));
        assert!(o.is_empty());
        o.update_from_snapshot(&snap("d", OrderState::Active(ActiveOrderState::Open(open(1, "0")))));
        assert_eq!(o.len(), 1);
        // Cancel failure with nothing held removes an in-flight cancel.
        o.record_open_in_flight(&open_req("e"));
        o.record_cancel_in_flight(&OrderRequestCancel { key: key("e"), state: RequestCancel { id: None } });
        o.update_from_cancel_response(&OrderResponseCancel {
            key: key("e"),
            state: Err(OrderError::Rejected(ApiError::OrderNotFound)),
        });
        assert_eq!(o.len(), 1);
    }
}
