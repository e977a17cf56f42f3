//! The account's live orders for one instrument (barter's order manager rules).

use crate::order::{
    ActiveOrderState, ClientOrderId, Open, Order, OrderRequestCancel, OrderRequestOpen, OrderResponseCancel,
    OrderState,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

type Live = Order<ActiveOrderState>;

/// Live orders in the order they were first seen, found by client id in O(1). Removal leaves a
/// hole that iteration skips, and the holes are squeezed out once they are half the slots, so a
/// strategy holding 100,000 orders does not pay a linear search (or a shift) per order.
/// Serialises as the plain list of orders, as before.
#[derive(Clone, Debug, Default)]
pub struct OrderList {
    slots: Vec<Option<Live>>,
    index: FxHashMap<ClientOrderId, usize>,
}

impl OrderList {
    /// Number of live orders.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The orders, first seen first.
    pub fn iter(&self) -> impl Iterator<Item = &Live> + '_ {
        self.slots.iter().flatten()
    }

    /// An order by client id.
    pub fn get(&self, cid: &ClientOrderId) -> Option<&Live> {
        self.slots.get(*self.index.get(cid)?)?.as_ref()
    }

    fn get_mut(&mut self, cid: &ClientOrderId) -> Option<&mut Live> {
        self.slots.get_mut(*self.index.get(cid)?)?.as_mut()
    }

    /// Inserts an order, or replaces the one with its client id where it stands.
    fn upsert(&mut self, order: Live) {
        match self.get_mut(&order.key.cid) {
            Some(slot) => *slot = order,
            None => {
                self.index.insert(order.key.cid.clone(), self.slots.len());
                self.slots.push(Some(order));
            }
        }
    }

    fn remove(&mut self, cid: &ClientOrderId) {
        let Some(i) = self.index.remove(cid) else { return };
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = None;
        }
        if self.index.is_empty() {
            self.slots.clear();
        } else if self.slots.len() > 32 && self.index.len() * 2 < self.slots.len() {
            self.compact();
        }
    }

    /// Drops the holes, keeping the order; amortised O(1) per removal.
    fn compact(&mut self) {
        self.slots.retain(Option::is_some);
        for (i, o) in self.slots.iter().enumerate() {
            if let Some(o) = o {
                self.index.insert(o.key.cid.clone(), i);
            }
        }
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.index.clear();
    }
}

impl<'a> IntoIterator for &'a OrderList {
    type Item = &'a Live;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Option<Live>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.slots.iter().flatten()
    }
}

impl PartialEq for OrderList {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for OrderList {}

impl Serialize for OrderList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for OrderList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut list = OrderList::default();
        for o in Vec::<Live>::deserialize(d)? {
            list.upsert(o);
        }
        Ok(list)
    }
}

/// Live orders of one instrument, in the order they were first seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Orders(#[schemars(with = "Vec<Live>")] pub OrderList);

fn newer(a: &Open, b: &Open) -> Open {
    if b.time_exchange >= a.time_exchange {
        b.clone()
    } else {
        a.clone()
    }
}

impl Orders {
    /// Finds an order by client id.
    pub fn get(&self, cid: &ClientOrderId) -> Option<&Live> {
        self.0.get(cid)
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
        self.0.upsert(Order {
            key: request.key.clone(),
            side: request.state.side,
            price: request.state.price,
            quantity: request.state.quantity,
            kind: request.state.kind,
            time_in_force: request.state.time_in_force,
            trigger: request.state.trigger.clone(),
            bracket: request.state.bracket.clone(),
            exit_of: None,
            state: ActiveOrderState::OpenInFlight,
        });
    }

    /// Records a sent cancel as `CancelInFlight` holding the current open state; untracked: ignored.
    pub fn record_cancel_in_flight(&mut self, request: &OrderRequestCancel) {
        if let Some(o) = self.0.get_mut(&request.key.cid) {
            let held = o.state.open().cloned();
            o.state = ActiveOrderState::CancelInFlight { order: held };
        }
    }

    /// Applies an order snapshot.
    pub fn update_from_snapshot(&mut self, snapshot: &Order<OrderState>) {
        let cid = &snapshot.key.cid;
        let Some(current) = self.0.get(cid).map(|o| &o.state) else {
            if let OrderState::Active(active) = &snapshot.state {
                let fully_filled =
                    matches!(active, ActiveOrderState::Open(o) if o.filled_quantity >= snapshot.quantity);
                if !fully_filled {
                    self.0.upsert(snapshot.with_state(active.clone()));
                }
            }
            return;
        };
        let active = match &snapshot.state {
            OrderState::Inactive(_) => {
                self.0.remove(cid);
                return;
            }
            OrderState::Active(a) => a,
        };
        let next = match (current, active) {
            (ActiveOrderState::OpenInFlight, ActiveOrderState::Open(o)) => {
                if o.filled_quantity >= snapshot.quantity {
                    self.0.remove(cid);
                    return;
                }
                Some(ActiveOrderState::Open(o.clone()))
            }
            (ActiveOrderState::OpenInFlight, ActiveOrderState::CancelInFlight { .. }) => Some(active.clone()),
            (ActiveOrderState::Open(cur), ActiveOrderState::Open(new)) => {
                if new.filled_quantity >= snapshot.quantity {
                    self.0.remove(cid);
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
        if let (Some(state), Some(o)) = (next, self.0.get_mut(cid)) {
            o.state = state;
            // The exchange reshapes orders it manages: a stop's trigger goes once it fires, a
            // bracket exit follows the entry's fills and the position.
            o.trigger.clone_from(&snapshot.trigger);
            o.quantity = snapshot.quantity;
        }
    }

    /// Applies a cancel response: success removes the order; failure restores `Open` if one was held.
    pub fn update_from_cancel_response(&mut self, response: &OrderResponseCancel) {
        let cid = &response.key.cid;
        let Some(o) = self.0.get_mut(cid) else { return };
        match &response.state {
            Ok(_) => self.0.remove(cid),
            Err(_) => {
                if let ActiveOrderState::CancelInFlight { order } = &o.state {
                    match order.clone() {
                        Some(open) => o.state = ActiveOrderState::Open(open),
                        None => self.0.remove(cid),
                    }
                }
            }
        }
    }

    /// Applies the orders of an account snapshot: the snapshot is the truth for this instrument.
    pub fn replace_from_snapshot(&mut self, orders: &[Order<OrderState>]) {
        let in_flight: Vec<Live> =
            self.0.iter().filter(|o| matches!(o.state, ActiveOrderState::OpenInFlight)).cloned().collect();
        self.0.clear();
        for o in orders {
            if let OrderState::Active(a) = &o.state {
                self.0.upsert(o.with_state(a.clone()));
            }
        }
        for o in in_flight {
            if self.0.get(&o.key.cid).is_none() {
                self.0.upsert(o);
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
                trigger: None,
                bracket: None,
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
            trigger: None,
            bracket: None,
            exit_of: None,
            state,
        }
    }

    fn open(t: i64, filled: &str) -> Open {
        Open { id: OrderId("1".into()), time_exchange: Timestamp(t), filled_quantity: d(filled) }
    }

    fn first(o: &Orders) -> &Order<ActiveOrderState> {
        o.0.iter().next().unwrap()
    }

    #[test]
    fn many_orders_keep_their_order_and_serialise_as_a_list() {
        let mut o = Orders::default();
        for n in 0..100 {
            o.record_open_in_flight(&open_req(&n.to_string()));
        }
        // Remove every order but multiples of 10: holes, then compaction.
        for n in (0..100).filter(|n| n % 10 != 0) {
            o.update_from_snapshot(&snap(&n.to_string(), OrderState::Inactive(InactiveOrderState::Expired)));
        }
        let cids: Vec<String> = o.0.iter().map(|x| x.key.cid.0.to_string()).collect();
        assert_eq!(cids, ["0", "10", "20", "30", "40", "50", "60", "70", "80", "90"]);
        assert_eq!(o.len(), 10);
        assert!(o.get(&ClientOrderId("50".into())).is_some());
        assert!(o.get(&ClientOrderId("51".into())).is_none());
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 10);
        let back: Orders = serde_json::from_value(json).unwrap();
        assert_eq!(back, o);
        assert!(back.get(&ClientOrderId("90".into())).is_some());
    }

    #[test]
    fn lifecycle_open_partial_fill_cancel() {
        let mut o = Orders::default();
        o.record_open_in_flight(&open_req("a"));
        assert_eq!(o.get(&ClientOrderId("a".into())).unwrap().state, ActiveOrderState::OpenInFlight);
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(5, "0")))));
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(4, "1"))))); // older: ignored
        assert_eq!(first(&o).state.open().unwrap().filled_quantity, d("0"));
        o.update_from_snapshot(&snap("a", OrderState::Active(ActiveOrderState::Open(open(6, "1")))));
        assert_eq!(first(&o).state.open().unwrap().filled_quantity, d("1"));
        o.record_cancel_in_flight(&OrderRequestCancel { key: key("a"), state: RequestCancel { id: None } });
        assert!(matches!(first(&o).state, ActiveOrderState::CancelInFlight { order: Some(_) }));
        // A failed cancel restores the held open state.
        o.update_from_cancel_response(&OrderResponseCancel {
            key: key("a"),
            state: Err(OrderError::Rejected(ApiError::OrderNotFound)),
        });
        assert_eq!(first(&o).state, ActiveOrderState::Open(open(6, "1")));
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
