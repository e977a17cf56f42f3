//! When an armed stop order triggers, per kind of market data, and how a trailing trigger follows
//! the market.
//!
//! | data | a buy stop triggers when | a sell stop triggers when | then it fills |
//! |---|---|---|---|
//! | trade | the print is at or above the trigger | at or below | on that print (stop-limit: if the print is within the limit) |
//! | L1 / L2 book | the best ask is at or above the trigger | the best bid at or below | on that quote |
//! | bar | the high reaches the trigger | the low reaches it | at the trigger; at the open when the bar opened beyond the trigger (a gap) |
//!
//! A stop-limit order triggered inside a bar (no gap) fills at the trigger when its limit is at
//! or beyond the trigger, else it waits for the next observation as a plain limit order: a limit
//! on the far side of the trigger may have been touched before the trigger within the bar, and
//! nothing says it was touched again after (backtesting.py makes the same pessimistic choice).
//! Triggered by a gap, everything in the bar comes after the trigger, so the limit fills on that
//! bar by the usual bar rule (at the open when the open is within the limit, else at the limit
//! when the range reaches it).
//!
//! A trailing trigger starts from the order's reference price (an exit of a bracket: the entry's
//! fill price) and follows the best price seen since: the highest for a sell stop, the lowest for
//! a buy stop, by the same side of the data (trade prints; the bid for sells and the ask for buys;
//! a bar's close). The follow step runs after the trigger check of each observation, so a bar is
//! checked against the level set by the bars before it, and its close moves the level for the
//! next one: backtesting.py's `TrailingStrategy` sets its stop-loss from the close in `next()`,
//! after the broker has checked that bar. Using the close rather than the high is also the
//! conservative choice: the high's time within the bar is unknown.

use crate::event::{BookState, DataKind, MarketEvent};
use crate::order::{Side, Trailing, Trigger};
use rust_decimal::Decimal;

/// A trigger that has fired on an observation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The trigger level.
    pub level: Decimal,
    /// True when a bar opened beyond the level: the order fills at the open.
    pub gap: bool,
}

/// An armed stop order's trigger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Armed {
    /// The current trigger level.
    pub level: Decimal,
    /// The trailing offset, for trailing stops.
    pub trailing: Option<Trailing>,
    /// The best price seen (trailing stops), starting at the reference.
    pub best: Decimal,
}

impl Armed {
    /// Arms a trigger for an order on `side`; `reference` starts a trailing trigger. None when
    /// the trigger names neither a price nor a trailing offset (validation refuses that first).
    pub fn new(trigger: &Trigger, side: Side, reference: Decimal) -> Option<Armed> {
        match (trigger.price, trigger.trailing) {
            (Some(level), _) => Some(Armed { level, trailing: None, best: reference }),
            (None, Some(t)) => Some(Armed {
                level: t.level(side == Side::Sell, reference),
                trailing: Some(t),
                best: reference,
            }),
            (None, None) => None,
        }
    }

    /// Whether the observation triggers an order on `side`.
    pub fn check(&self, side: Side, event: &MarketEvent, book: Option<&BookState>) -> Option<Hit> {
        // The fast comparisons: a bar that reaches an exit's band is checked here.
        let beyond = |p: Decimal| match side {
            Side::Buy => !crate::decimal::lt(&p, &self.level),
            Side::Sell => !crate::decimal::gt(&p, &self.level),
        };
        let at = |p: Decimal| beyond(p).then_some(Hit { level: self.level, gap: false });
        match &event.kind {
            DataKind::Trade(t) => at(t.price),
            DataKind::OrderBookL1(l1) => {
                let touched = match side {
                    Side::Buy => l1.best_ask,
                    Side::Sell => l1.best_bid,
                };
                at(touched?.price)
            }
            DataKind::OrderBook(_) => {
                let b = book?;
                let touched = match side {
                    Side::Buy => b.best_ask(),
                    Side::Sell => b.best_bid(),
                };
                at(touched?.price)
            }
            DataKind::Candle(c) => {
                if beyond(c.open) {
                    return Some(Hit { level: self.level, gap: true });
                }
                let extreme = match side {
                    Side::Buy => c.high,
                    Side::Sell => c.low,
                };
                at(extreme)
            }
            DataKind::Liquidation(_) => None,
        }
    }

    /// After a check that did not trigger: a trailing trigger follows the best price.
    pub fn follow(&mut self, side: Side, event: &MarketEvent, book: Option<&BookState>) {
        let Some(trailing) = self.trailing else { return };
        let seen = match &event.kind {
            DataKind::Trade(t) => Some(t.price),
            DataKind::Candle(c) => Some(c.close),
            DataKind::OrderBookL1(l1) => match side {
                Side::Sell => l1.best_bid.map(|l| l.price),
                Side::Buy => l1.best_ask.map(|l| l.price),
            },
            DataKind::OrderBook(_) => book.and_then(|b| match side {
                Side::Sell => b.best_bid().map(|l| l.price),
                Side::Buy => b.best_ask().map(|l| l.price),
            }),
            DataKind::Liquidation(_) => None,
        };
        let Some(p) = seen else { return };
        let better = match side {
            Side::Sell => crate::decimal::gt(&p, &self.best),
            Side::Buy => crate::decimal::lt(&p, &self.best),
        };
        if better {
            self.best = p;
            self.level = trailing.level(side == Side::Sell, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Candle, Level, OrderBookL1, PublicTrade};
    use crate::instrument::{ExchangeId, InstrumentIndex};
    use crate::test_util::d;
    use crate::time::Timestamp;

    fn ev(kind: DataKind) -> MarketEvent {
        MarketEvent {
            time_exchange: Timestamp(0),
            time_received: Timestamp(0),
            exchange: ExchangeId::parse("simulated").unwrap(),
            instrument: InstrumentIndex(0),
            kind,
        }
    }

    fn bar(o: &str, h: &str, l: &str, c: &str) -> MarketEvent {
        ev(DataKind::Candle(Candle {
            close_time: Timestamp(0),
            open: d(o),
            high: d(h),
            low: d(l),
            close: d(c),
            volume: d("1000"),
            trade_count: 1,
        }))
    }

    fn trade(p: &str) -> MarketEvent {
        ev(DataKind::Trade(PublicTrade { id: "t".into(), price: d(p), amount: d("1"), side: Side::Buy }))
    }

    fn l1(bid: &str, ask: &str) -> MarketEvent {
        ev(DataKind::OrderBookL1(OrderBookL1 {
            last_update_time: Timestamp(0),
            best_bid: Some(Level { price: d(bid), amount: d("1") }),
            best_ask: Some(Level { price: d(ask), amount: d("1") }),
        }))
    }

    fn stop(p: &str) -> Armed {
        Armed::new(&Trigger { price: Some(d(p)), trailing: None }, Side::Buy, d("0")).unwrap()
    }

    #[test]
    fn bars_trigger_on_the_range_and_gap_at_the_open() {
        let s = stop("105");
        // Buy stop at 105: a bar 100..104 does not reach it; 100..106 does, inside the bar; a bar
        // opening at 107 gapped over it.
        assert_eq!(s.check(Side::Buy, &bar("100", "104", "99", "103"), None), None);
        assert_eq!(
            s.check(Side::Buy, &bar("100", "106", "99", "103"), None),
            Some(Hit { level: d("105"), gap: false })
        );
        assert_eq!(
            s.check(Side::Buy, &bar("107", "108", "106", "107"), None),
            Some(Hit { level: d("105"), gap: true })
        );
        // Sell stop at 105: the low reaches it; an open at 104 is a gap.
        assert_eq!(s.check(Side::Sell, &bar("110", "111", "105", "106"), None).map(|h| h.gap), Some(false));
        assert_eq!(s.check(Side::Sell, &bar("104", "111", "103", "106"), None).map(|h| h.gap), Some(true));
    }

    #[test]
    fn trades_and_quotes_trigger_on_the_print_and_the_touched_side() {
        let s = stop("105");
        assert!(s.check(Side::Buy, &trade("104.99"), None).is_none());
        assert!(s.check(Side::Buy, &trade("105"), None).is_some());
        assert!(s.check(Side::Sell, &trade("105"), None).is_some());
        // A buy stop looks at the ask (what it would pay), a sell stop at the bid.
        assert!(s.check(Side::Buy, &l1("104", "104.5"), None).is_none());
        assert!(s.check(Side::Buy, &l1("104", "105"), None).is_some());
        assert!(s.check(Side::Sell, &l1("105.5", "106"), None).is_none());
        assert!(s.check(Side::Sell, &l1("105", "106"), None).is_some());
    }

    #[test]
    fn a_trailing_sell_stop_follows_the_closes_after_each_check() {
        // 10 below the best close, starting from a reference of 100: level 90.
        let t = Trigger { price: None, trailing: Some(Trailing::Distance(d("10"))) };
        let mut a = Armed::new(&t, Side::Sell, d("100")).unwrap();
        assert_eq!(a.level, d("90"));
        // Close 110 raises the level to 100 for the next bar; a lower close does not lower it.
        a.follow(Side::Sell, &bar("101", "111", "100", "110"), None);
        assert_eq!(a.level, d("100"));
        a.follow(Side::Sell, &bar("109", "109", "104", "105"), None);
        assert_eq!(a.level, d("100"));
        // This bar's low 99.5 would not have reached 90 but reaches 100.
        assert!(a.check(Side::Sell, &bar("104", "106", "99.5", "101"), None).is_some());
        // Percent: 5 % below the best.
        let t = Trigger { price: None, trailing: Some(Trailing::Percent(d("5"))) };
        let mut a = Armed::new(&t, Side::Sell, d("200")).unwrap();
        assert_eq!(a.level, d("190"));
        a.follow(Side::Sell, &trade("220"), None);
        assert_eq!(a.level, d("209"));
    }
}
