//! The band of prices an instrument's resting orders cannot reach: a bar or trade print inside it
//! triggers no stop and fills no limit, so the exchange skips the walk over the book (a bracket
//! on every entry keeps two exits resting through most bars; walking them cost about as much as
//! the rest of the exchange).
//!
//! Only a book of quiet orders has a band: armed stops with a fixed trigger, and limit orders
//! already observed that rest until cancelled. Anything else does something on the next
//! observation whatever its price (a market order fills, a trailing trigger follows the close, a
//! day order may expire, a new order is observed for the first time), so such a book is walked
//! every time. Quotes are always walked. The band is worked out lazily and forgotten whenever the
//! book may have changed (a request arrived, a walk ran, the run settled).

use super::SimOrder;
use crate::event::{DataKind, MarketEvent};
use crate::order::{OrderKind, Side, TimeInForce};
use rust_decimal::Decimal;

/// What is known about an instrument's book.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub(super) enum Reach {
    /// The book may have changed since the band was worked out.
    #[default]
    Stale,
    /// Some order acts on every observation.
    Always,
    /// Prices strictly between `below` and `above` reach no order (none: unbounded that side).
    Band {
        /// The highest price at or under which an order acts: sell stops trigger, buy limits fill.
        below: Option<Decimal>,
        /// The lowest price at or over which an order acts: buy stops trigger, sell limits fill.
        above: Option<Decimal>,
        /// The band narrowed a little, in f64 (`-inf`/`+inf` when unbounded): a price strictly
        /// inside it is strictly inside the exact band, so most observations are decided by two
        /// float comparisons instead of two decimal ones.
        inner: (f64, f64),
    },
}

/// Relative margin between the exact band and its float inner band: far above the error of
/// converting a decimal to the nearest f64 (2^-53, a few ulps on rust_decimal's long path).
const MARGIN: f64 = 1e-12;

impl Reach {
    /// The band of a book (`Always` when some order is not quiet).
    pub(super) fn of<'a>(orders: impl IntoIterator<Item = &'a SimOrder>) -> Reach {
        let (mut below, mut above): (Option<Decimal>, Option<Decimal>) = (None, None);
        for o in orders {
            if o.dead || o.fresh {
                return Reach::Always;
            }
            let Some((price, under)) = acts_at(o) else { return Reach::Always };
            if under {
                below = Some(below.map_or(price, |b| crate::decimal::max(b, price)));
            } else {
                above = Some(above.map_or(price, |a| crate::decimal::min(a, price)));
            }
        }
        let inner = (
            below.map_or(f64::NEG_INFINITY, |b| {
                let f = crate::decimal::to_f64(&b);
                f + f.abs() * MARGIN
            }),
            above.map_or(f64::INFINITY, |a| {
                let f = crate::decimal::to_f64(&a);
                f - f.abs() * MARGIN
            }),
        );
        Reach::Band { below, above, inner }
    }

    /// True when the observation reaches no order of a book with this band: a bar's range or a
    /// print lies strictly inside it.
    #[inline]
    pub(super) fn misses(&self, event: &MarketEvent) -> bool {
        let Reach::Band { below, above, inner } = self else { return false };
        let Some((low, high)) = range(event) else { return false };
        if crate::decimal::to_f64(low) > inner.0 && crate::decimal::to_f64(high) < inner.1 {
            return true;
        }
        below.is_none_or(|b| crate::decimal::gt(low, &b))
            && above.is_none_or(|a| crate::decimal::lt(high, &a))
    }

    /// True when the observation cannot reach quiet order `o`: `misses` for a book of that one
    /// order, without building its band (an exit placed during the observation is checked once).
    pub(super) fn misses_order(o: &SimOrder, event: &MarketEvent) -> bool {
        let (Some((price, under)), Some((low, high))) = (acts_at(o), range(event)) else { return false };
        if under {
            crate::decimal::gt(low, &price)
        } else {
            crate::decimal::lt(high, &price)
        }
    }
}

/// The price at which a quiet order acts, and whether it acts at or under it (else at or over);
/// none when it acts on every observation.
fn acts_at(o: &SimOrder) -> Option<(Decimal, bool)> {
    match &o.armed {
        Some(a) if a.trailing.is_none() => Some((a.level, o.order.side == Side::Sell)),
        Some(_) => None,
        None if o.order.kind == OrderKind::Limit
            && o.observed
            && matches!(o.order.time_in_force, TimeInForce::GoodUntilCancelled { .. }) =>
        {
            Some((o.order.price, o.order.side == Side::Buy))
        }
        None => None,
    }
}

/// The prices an observation spans: a bar's low and high (a valid bar has low ≤ open, close ≤
/// high), a print's price twice; none for what is not priced so (quotes, books).
fn range(event: &MarketEvent) -> Option<(&Decimal, &Decimal)> {
    match &event.kind {
        DataKind::Candle(c) => Some((&c.low, &c.high)),
        DataKind::Trade(t) => Some((&t.price, &t.price)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Candle, PublicTrade};
    use crate::instrument::{ExchangeId, ExchangeIndex, InstrumentIndex};
    use crate::order::{ClientOrderId, Order, OrderId, OrderKey, StrategyId, Trailing, Trigger};
    use crate::test_util::d;
    use crate::time::Timestamp;

    fn order(side: Side, kind: OrderKind, price: &str, trigger: Option<Trigger>) -> SimOrder {
        let armed = trigger.as_ref().and_then(|t| super::super::stop::Armed::new(t, side, d(price)));
        SimOrder {
            order: Order {
                key: OrderKey {
                    exchange: ExchangeIndex(0),
                    instrument: InstrumentIndex(0),
                    strategy: StrategyId("s".into()),
                    cid: ClientOrderId("c".into()),
                },
                side,
                price: d(price),
                quantity: d("1"),
                kind,
                time_in_force: TimeInForce::GoodUntilCancelled { post_only: false },
                trigger: trigger.map(std::sync::Arc::new),
                bracket: None,
                exit_of: None,
                state: (),
            },
            id: OrderId("0".into()),
            arrival: Timestamp(0),
            filled: Decimal::ZERO,
            reserved: Decimal::ZERO,
            observed: true,
            sizing: None,
            armed,
            dead: false,
            fresh: false,
        }
    }

    fn stop(side: Side, level: &str) -> SimOrder {
        order(side, OrderKind::Market, level, Some(Trigger { price: Some(d(level)), trailing: None }))
    }

    fn ev(kind: DataKind) -> MarketEvent {
        MarketEvent {
            time_exchange: Timestamp(0),
            time_received: Timestamp(0),
            exchange: ExchangeId::parse("simulated").unwrap(),
            instrument: InstrumentIndex(0),
            kind,
        }
    }

    fn bar(low: &str, high: &str) -> MarketEvent {
        ev(DataKind::Candle(Candle {
            close_time: Timestamp(0),
            open: d(low),
            high: d(high),
            low: d(low),
            close: d(high),
            volume: d("1"),
            trade_count: 1,
        }))
    }

    fn print(p: &str) -> MarketEvent {
        ev(DataKind::Trade(PublicTrade { id: "t".into(), price: d(p), amount: d("1"), side: Side::Buy }))
    }

    #[test]
    fn a_bracket_band_lies_between_the_stop_loss_and_the_take_profit() {
        // A long position's exits: sell stop at 95, sell limit (take-profit) at 110. A bar from
        // 96 to 109 reaches neither; one touching 95 or 110 (either end included) reaches one.
        let book = [stop(Side::Sell, "95"), order(Side::Sell, OrderKind::Limit, "110", None)];
        let r = Reach::of(&book);
        assert_eq!(band(r), Some((Some(d("95")), Some(d("110")))));
        assert!(r.misses(&bar("96", "109")));
        assert!(!r.misses(&bar("95", "100")));
        assert!(!r.misses(&bar("100", "110")));
        assert!(r.misses(&print("95.01")));
        assert!(!r.misses(&print("94")));
        // A buy stop above and a buy limit below: the same band from the other side.
        let book =
            [stop(Side::Buy, "120"), order(Side::Buy, OrderKind::Limit, "90", None), stop(Side::Sell, "80")];
        assert_eq!(band(Reach::of(&book)), Some((Some(d("90")), Some(d("120")))));
        // One side only: unbounded on the other.
        let r = Reach::of(&[stop(Side::Sell, "95")]);
        assert!(r.misses(&bar("96", "1000000")));
    }

    #[test]
    fn one_order_is_missed_exactly_when_its_own_band_misses() {
        let trailing = Trigger { price: None, trailing: Some(Trailing::Percent(d("5"))) };
        let orders = [
            stop(Side::Sell, "95"),
            stop(Side::Buy, "105"),
            order(Side::Sell, OrderKind::Limit, "110", None),
            order(Side::Buy, OrderKind::Limit, "90", None),
            order(Side::Sell, OrderKind::Market, "100", Some(trailing)),
            order(Side::Buy, OrderKind::Market, "100", None),
        ];
        let events = [
            bar("96", "104"),
            bar("95", "100"),
            bar("100", "105"),
            bar("89", "111"),
            bar("106", "109"),
            print("95"),
            print("94.99"),
            print("110"),
            print("100"),
        ];
        let mut missed = 0;
        for o in &orders {
            for e in &events {
                let want = Reach::of(std::slice::from_ref(o)).misses(e);
                assert_eq!(Reach::misses_order(o, e), want, "{:?} at {:?}", o.order, e.kind);
                missed += usize::from(want);
            }
        }
        // Both answers occur: the sell stop misses the 96-104 bar, the trailing stop nothing.
        assert!(missed > 0 && missed < orders.len() * events.len());
        assert!(Reach::misses_order(&orders[0], &events[0]));
        assert!(!Reach::misses_order(&orders[4], &events[0]));
    }

    fn band(r: Reach) -> Option<(Option<Decimal>, Option<Decimal>)> {
        match r {
            Reach::Band { below, above, .. } => Some((below, above)),
            _ => None,
        }
    }

    #[test]
    fn prices_within_the_float_margin_of_a_bound_are_decided_exactly() {
        // 1e-14 from the bounds: inside the exact band but not inside its float inner band, so
        // the exact comparison decides; at the bounds themselves the orders act.
        let r = Reach::of(&[stop(Side::Sell, "95"), order(Side::Sell, OrderKind::Limit, "110", None)]);
        assert!(r.misses(&print("95.00000000000001")));
        assert!(r.misses(&print("109.99999999999999")));
        assert!(!r.misses(&print("95")));
        assert!(!r.misses(&print("110")));
        assert!(!r.misses(&bar("94.99999999999999", "100")));
        // Long decimals either side of a bound of 28 significant digits.
        let b = "1204.645380400000000000000001";
        let r = Reach::of(&[stop(Side::Sell, b)]);
        assert!(!r.misses(&print(b)));
        assert!(r.misses(&print("1204.645380400000000000000002")));
        assert!(!r.misses(&print("1204.645380400000000000000000")));
    }

    #[test]
    fn orders_that_act_on_any_observation_leave_no_band() {
        // A market order fills at the next observation; a trailing stop follows the close; a
        // limit not observed yet, a day order, a fresh or dead order are walked too.
        let trailing = Trigger { price: None, trailing: Some(Trailing::Percent(d("5"))) };
        let mut unseen = order(Side::Buy, OrderKind::Limit, "90", None);
        unseen.observed = false;
        let mut day = order(Side::Buy, OrderKind::Limit, "90", None);
        day.order.time_in_force = TimeInForce::GoodUntilEndOfDay;
        let mut fresh = stop(Side::Sell, "95");
        fresh.fresh = true;
        let mut dead = stop(Side::Sell, "95");
        dead.dead = true;
        for o in [
            order(Side::Buy, OrderKind::Market, "100", None),
            order(Side::Sell, OrderKind::Market, "100", Some(trailing)),
            unseen,
            day,
            fresh,
            dead,
        ] {
            let r = Reach::of(&[stop(Side::Sell, "50"), o]);
            assert_eq!(r, Reach::Always);
            assert!(!r.misses(&bar("96", "109")));
        }
        // Quotes are always walked, and a stale band is never trusted.
        assert!(!Reach::Stale.misses(&bar("96", "109")));
    }
}
