//! Stop triggers firing, and the exits of bracketed entries: placing them as the entry fills,
//! one-cancels-other between them, and fitting them to the position when it shrinks by other
//! means.
//!
//! Rules (backtesting.py 0.6.6's where it has one):
//! - An entry's exits are placed for each filled quantity (a partial fill places them for what
//!   filled; later fills add to them). Stop-loss and trailing stop go to the front of the
//!   instrument's book, the take-profit to the back, so when a bar reaches both the stop-loss and
//!   the take-profit the stop-loss is matched first and wins (backtesting.py puts SL orders first
//!   in its queue and appends TP orders).
//! - A market entry's exits are matched against the observation that filled it (backtesting.py
//!   reprocesses its orders after a market entry with SL/TP); a stop entry's only when the same
//!   bar reached the take-profit and not the stop-loss (backtesting.py's one unambiguous case);
//!   any other entry's from the next observation on.
//! - A market order (not a stop) placed while exits wait goes ahead of them: it fills at the
//!   observation's first price, before a stop inside the observation can trigger
//!   (backtesting.py inserts `trade.close()` orders at the front of its queue).
//! - When an exit fills, its siblings shrink by as much; when it completes they are cancelled.
//! - Exits hold nothing while they wait. Filling, an exit takes its base from the free balance,
//!   then from the strategy's other sells of the instrument (closing the same position), which
//!   shrink or are cancelled: backtesting.py matches SL/TP before a pending `position.close()`.
//! - After any sell fills, the exits are fitted to the base held: groups (one per entry, oldest
//!   first) keep at most what is left, and an exit with nothing left is cancelled. So exits are
//!   cancelled when the position is closed by other means.
//! - Every exchange-made cancel is reported as a successful cancel response, in book order.

use super::{stop, SimOrder, SimulatedExchange};
use crate::event::{DataKind, MarketEvent};
use crate::instrument::AssetIndex;
use crate::order::{
    ActiveOrderState, ClientOrderId, ExitKind, ExitOf, Order, OrderKind, OrderState, Side, TimeInForce,
    Trigger,
};
use crate::time::Timestamp;
use rust_decimal::Decimal;

/// Work an observation leaves for after all its orders were matched (the book is not reshaped
/// while it is being walked).
#[derive(Clone, Debug, Default)]
pub(super) struct Followup {
    exits: Vec<PendingExits>,
    sweep: bool,
    refit: bool,
    /// `refit`'s entries and their sizes, kept empty between refits so that one buffer serves
    /// them all (a refit follows every fill while exits rest: no allocation each).
    groups: Vec<(ClientOrderId, Decimal)>,
}

impl Followup {
    /// True when there is anything to do.
    #[inline]
    pub(super) fn pending(&self) -> bool {
        self.sweep || self.refit || !self.exits.is_empty()
    }

    /// Asks for the orders marked dead to be swept out.
    pub(super) fn sweep(&mut self) {
        self.sweep = true;
    }
}

#[derive(Clone, Debug)]
struct PendingExits {
    /// The entry's key and side, and its bracket.
    key: crate::order::OrderKey,
    side: Side,
    bracket: crate::order::Bracket,
    quantity: Decimal,
    price: Decimal,
    fresh: bool,
}

impl SimulatedExchange {
    /// A stop order's trigger fired: it becomes the market or limit order its kind says. The
    /// acknowledgement shows it without its trigger, which is how the account stream (and so the
    /// audit) tells that it triggered.
    pub(super) fn trigger(&mut self, i: usize, k: usize, time: Timestamp) {
        let o = &mut self.orders[i][k];
        o.armed = None;
        o.order.trigger = None;
        let (order, open) = (o.order.clone(), o.open_state(time));
        self.emit_order(time, &order, OrderState::Active(ActiveOrderState::Open(open)));
    }

    /// After order `k` filled `quantity` at `price`: queues its exits (an entry), shrinks its
    /// siblings (an exit), and asks for the exits to be fitted after a sell.
    pub(super) fn after_fill(
        &mut self,
        i: usize,
        k: usize,
        quantity: Decimal,
        price: Decimal,
        event: &MarketEvent,
        hit: Option<stop::Hit>,
    ) {
        let o = &self.orders[i][k];
        if let Some(b) = &o.order.bracket {
            let fresh = match (&event.kind, o.order.kind, hit) {
                (_, OrderKind::Market, None) => true,
                (DataKind::Candle(c), OrderKind::Market, Some(_)) => {
                    b.trailing_stop.is_none()
                        && b.take_profit.is_some_and(|tp| tp <= c.high)
                        && b.stop_loss.is_none_or(|sl| sl < c.low)
                }
                _ => false,
            };
            let (key, side, bracket) = (o.order.key.clone(), o.order.side, (**b).clone());
            self.followup.exits.push(PendingExits { key, side, bracket, quantity, price, fresh });
        }
        let o = &self.orders[i][k];
        if let Some(exit) = o.order.exit_of.clone() {
            let done = o.remaining().is_zero();
            let mut shrunk = Vec::new();
            for (j, s) in self.orders[i].iter_mut().enumerate() {
                if j == k || s.dead || s.order.exit_of.as_ref().is_none_or(|x| x.entry != exit.entry) {
                    continue;
                }
                s.order.quantity = (s.order.quantity - quantity).max(s.filled);
                if done || s.remaining() <= Decimal::ZERO {
                    s.dead = true;
                    self.followup.sweep = true;
                } else {
                    shrunk.push((s.order.clone(), s.open_state(self.clock)));
                }
            }
            for (order, open) in shrunk {
                self.emit_order(self.clock, &order, OrderState::Active(ActiveOrderState::Open(open)));
            }
        }
        let o = &self.orders[i][k];
        if o.order.side == Side::Sell && self.orders[i].iter().any(|x| x.order.exit_of.is_some() && !x.dead) {
            self.followup.refit = true;
        }
    }

    /// Takes the base an exit about to sell `quantity` needs; returns how much it may sell.
    pub(super) fn reserve_exit(
        &mut self,
        i: usize,
        k: usize,
        quantity: Decimal,
        base: AssetIndex,
        _time: Timestamp,
    ) -> Decimal {
        let held = self.orders[i][k].reserved;
        let mut need = (quantity - held).max(Decimal::ZERO);
        let from_free = need.min(self.balance(base).free);
        self.reserved[base.0] += from_free;
        need -= from_free;
        let mut taken = from_free;
        if need > Decimal::ZERO {
            for (j, s) in self.orders[i].iter_mut().enumerate() {
                if j == k || s.dead || s.order.side != Side::Sell || s.order.exit_of.is_some() {
                    continue;
                }
                let take = need.min(s.reserved).min(s.remaining());
                if take <= Decimal::ZERO {
                    continue;
                }
                s.reserved -= take;
                s.order.quantity -= take;
                need -= take;
                taken += take;
                if s.remaining() <= Decimal::ZERO {
                    s.dead = true;
                    self.followup.sweep = true;
                }
                if need.is_zero() {
                    break;
                }
            }
        }
        self.orders[i][k].reserved += taken;
        quantity.min(held + taken)
    }

    /// Does what the observation left: places exits (matching the fresh ones against it), fits
    /// exits to the holdings, sweeps out cancelled orders.
    pub(super) fn after_observation(&mut self, i: usize, event: &MarketEvent, time: Timestamp) {
        // The list is taken out while its exits are placed and given back empty, so its buffer
        // serves every later entry (no allocation per bracketed entry).
        let mut exits = std::mem::take(&mut self.followup.exits);
        let mut fresh = false;
        for pe in exits.drain(..) {
            fresh |= pe.fresh;
            self.place_exits(i, pe, time);
        }
        if self.followup.exits.is_empty() {
            self.followup.exits = exits;
        }
        if fresh {
            let mut k = 0;
            while k < self.orders[i].len() {
                let o = &mut self.orders[i][k];
                if !o.fresh || o.dead {
                    o.fresh = false;
                    k += 1;
                    continue;
                }
                o.fresh = false;
                // Most entries' exits are out of the entry bar's range: nothing to match.
                if super::reach::Reach::misses_order(o, event) {
                    k += 1;
                    continue;
                }
                if self.match_order(i, k, event, time) {
                    self.orders[i][k].observed = true;
                    k += 1;
                }
            }
        }
        if std::mem::take(&mut self.followup.refit) {
            self.refit(i);
        }
        if std::mem::take(&mut self.followup.sweep) {
            self.sweep(i, time);
        }
    }

    fn place_exits(&mut self, i: usize, pe: PendingExits, time: Timestamp) {
        let bracket = pe.bracket;
        let wanted = [
            (ExitKind::TakeProfit, bracket.take_profit.map(|p| (p, None))),
            (
                ExitKind::TrailingStop,
                bracket.trailing_stop.map(|t| (pe.price, Some(Trigger { price: None, trailing: Some(t) }))),
            ),
            (
                ExitKind::StopLoss,
                bracket.stop_loss.map(|p| (p, Some(Trigger { price: Some(p), trailing: None }))),
            ),
        ];
        for (exit, terms) in wanted {
            let Some((price, trigger)) = terms else { continue };
            let cid = ClientOrderId::joined(&[&pe.key.cid.0, "/", exit.suffix()]);
            if let Some(o) = self.orders[i].iter_mut().find(|o| o.order.key.cid == cid && !o.dead) {
                // A later partial fill of the entry: the exit grows by it.
                o.order.quantity += pe.quantity;
                let (order, open) = (o.order.clone(), o.open_state(time));
                self.emit_order(time, &order, OrderState::Active(ActiveOrderState::Open(open)));
                continue;
            }
            let side = pe.side.opposite();
            let order = Order {
                key: crate::order::OrderKey {
                    exchange: pe.key.exchange,
                    instrument: pe.key.instrument,
                    strategy: pe.key.strategy.clone(),
                    cid: cid.clone(),
                },
                side,
                price,
                quantity: pe.quantity,
                kind: if trigger.is_some() { OrderKind::Market } else { OrderKind::Limit },
                time_in_force: TimeInForce::GoodUntilCancelled { post_only: false },
                trigger: trigger.clone().map(std::sync::Arc::new),
                bracket: None,
                exit_of: Some(std::sync::Arc::new(ExitOf { entry: pe.key.cid.clone(), exit })),
                state: (),
            };
            let id = self.next_id();
            let sim = SimOrder {
                armed: trigger.as_ref().and_then(|t| stop::Armed::new(t, side, price)),
                order,
                id,
                arrival: time,
                filled: Decimal::ZERO,
                reserved: Decimal::ZERO,
                observed: true,
                sizing: None,
                dead: false,
                fresh: pe.fresh,
            };
            let open = sim.open_state(time);
            self.emit_order(time, &sim.order, OrderState::Active(ActiveOrderState::Open(open)));
            self.cids[i].insert(cid);
            self.hold(self.reserved_asset(&sim), Decimal::ZERO);
            if exit == ExitKind::TakeProfit {
                self.orders[i].push_back(sim);
            } else {
                self.orders[i].push_front(sim);
            }
        }
    }

    /// Fits the exits to the base held: each entry's group (oldest first) keeps at most what is
    /// left; exits left with nothing are cancelled.
    fn refit(&mut self, i: usize) {
        let base = self.instruments.instruments()[i].base_asset();
        let mut left = self.totals[base.0].max(Decimal::ZERO);
        let mut groups = std::mem::take(&mut self.followup.groups);
        for o in self.orders[i].iter().filter(|o| !o.dead) {
            let Some(x) = &o.order.exit_of else { continue };
            match groups.iter_mut().find(|(e, _)| *e == x.entry) {
                Some((_, size)) => *size = (*size).max(o.remaining()),
                None => groups.push((x.entry.clone(), o.remaining())),
            }
        }
        for (_, size) in &mut groups {
            *size = (*size).min(left);
            left -= *size;
        }
        let mut shrunk = Vec::new();
        for o in self.orders[i].iter_mut().filter(|o| !o.dead) {
            let Some(x) = &o.order.exit_of else { continue };
            let allowed = groups.iter().find(|(e, _)| *e == x.entry).map_or(Decimal::ZERO, |g| g.1);
            if o.remaining() <= allowed {
                continue;
            }
            if allowed.is_zero() {
                o.dead = true;
                self.followup.sweep = true;
            } else {
                o.order.quantity = o.filled + allowed;
                shrunk.push(o.order.clone());
            }
        }
        groups.clear();
        self.followup.groups = groups;
        for order in shrunk {
            let Some(o) = self.orders[i].iter().find(|o| o.order.key.cid == order.key.cid) else { continue };
            let open = o.open_state(self.clock);
            self.emit_order(self.clock, &order, OrderState::Active(ActiveOrderState::Open(open)));
        }
    }

    /// Removes the orders marked dead, reporting each as cancelled.
    fn sweep(&mut self, i: usize, time: Timestamp) {
        let mut k = 0;
        while k < self.orders[i].len() {
            if !self.orders[i][k].dead {
                k += 1;
                continue;
            }
            let Some(o) = self.orders[i].remove(k) else { break };
            self.cancelled(time, i, &o);
        }
    }
}
