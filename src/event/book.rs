//! A level 2 book kept from snapshots and updates (bids best-first descending, asks ascending).

use super::market::{Level, OrderBook, OrderBookEvent};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Book state for one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct BookState {
    /// Last applied venue sequence.
    pub sequence: u64,
    /// Bids, highest first.
    pub bids: Vec<Level>,
    /// Asks, lowest first.
    pub asks: Vec<Level>,
}

impl BookState {
    /// Applies a snapshot (replace) or update (upsert; amount 0 removes).
    pub fn apply(&mut self, event: &OrderBookEvent) {
        match event {
            OrderBookEvent::Snapshot(book) => {
                self.sequence = book.sequence;
                self.bids = book.bids.levels.clone();
                self.asks = book.asks.levels.clone();
                self.bids.sort_by_key(|l| std::cmp::Reverse(l.price));
                self.asks.sort_by_key(|a| a.price);
            }
            OrderBookEvent::Update(OrderBook { sequence, bids, asks, .. }) => {
                self.sequence = *sequence;
                for l in &bids.levels {
                    upsert(&mut self.bids, *l, true);
                }
                for l in &asks.levels {
                    upsert(&mut self.asks, *l, false);
                }
            }
        }
    }

    /// Best bid.
    pub fn best_bid(&self) -> Option<Level> {
        self.bids.first().copied()
    }

    /// Best ask.
    pub fn best_ask(&self) -> Option<Level> {
        self.asks.first().copied()
    }

    /// The best bid and ask prices this book would have after `update`, without applying it (so
    /// a crossed result can be refused before anything changes).
    pub fn top_after(&self, update: &OrderBook) -> (Option<Decimal>, Option<Decimal>) {
        (side_top(&self.bids, &update.bids.levels, true), side_top(&self.asks, &update.asks.levels, false))
    }
}

/// The best price of one side after upserting `changes` (amount 0 removes a level).
fn side_top(levels: &[Level], changes: &[Level], descending: bool) -> Option<Decimal> {
    let better = |a: Decimal, b: Decimal| if descending { a > b } else { a < b };
    // The last change to a price wins, as `upsert` applies them in order.
    let last_change = |p: Decimal| changes.iter().rev().find(|c| c.price == p);
    let kept =
        levels.iter().find(|l| last_change(l.price).is_none_or(|c| !c.amount.is_zero())).map(|l| l.price);
    changes
        .iter()
        .filter(|c| !c.amount.is_zero() && last_change(c.price).is_some_and(|l| !l.amount.is_zero()))
        .map(|c| c.price)
        .fold(kept, |best, p| match best {
            Some(b) if !better(p, b) => Some(b),
            _ => Some(p),
        })
}

fn upsert(levels: &mut Vec<Level>, level: Level, descending: bool) {
    let found = levels.binary_search_by(|l| {
        if descending {
            level.price.cmp(&l.price)
        } else {
            l.price.cmp(&level.price)
        }
    });
    match (found, level.amount == Decimal::ZERO) {
        (Ok(i), true) => {
            levels.remove(i);
        }
        (Ok(i), false) => levels[i].amount = level.amount,
        (Err(_), true) => {}
        (Err(i), false) => levels.insert(i, level),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::market::Levels;
    use crate::test_util::d;

    fn lv(p: &str, a: &str) -> Level {
        Level { price: d(p), amount: d(a) }
    }

    #[test]
    fn snapshot_then_updates_keep_order() {
        let mut b = BookState::default();
        b.apply(&OrderBookEvent::Snapshot(OrderBook {
            sequence: 1,
            time_engine: None,
            bids: Levels { levels: vec![lv("99", "1"), lv("100", "2")] },
            asks: Levels { levels: vec![lv("102", "1"), lv("101", "3")] },
        }));
        assert_eq!(b.best_bid(), Some(lv("100", "2")));
        assert_eq!(b.best_ask(), Some(lv("101", "3")));
        b.apply(&OrderBookEvent::Update(OrderBook {
            sequence: 2,
            time_engine: None,
            bids: Levels { levels: vec![lv("100", "0"), lv("99.5", "4")] },
            asks: Levels { levels: vec![lv("101", "1.5"), lv("100.5", "0")] },
        }));
        assert_eq!(b.bids, vec![lv("99.5", "4"), lv("99", "1")]);
        assert_eq!(b.asks, vec![lv("101", "1.5"), lv("102", "1")]);
        assert_eq!(b.sequence, 2);
    }

    #[test]
    fn top_after_an_update_matches_applying_it() {
        let mut b = BookState::default();
        b.apply(&OrderBookEvent::Snapshot(OrderBook {
            sequence: 1,
            time_engine: None,
            bids: Levels { levels: vec![lv("100", "2"), lv("99", "1")] },
            asks: Levels { levels: vec![lv("101", "3"), lv("102", "1")] },
        }));
        let update = OrderBook {
            sequence: 2,
            time_engine: None,
            bids: Levels { levels: vec![lv("100", "0"), lv("99.5", "4")] },
            asks: Levels { levels: vec![lv("101", "0"), lv("100.7", "1"), lv("100.7", "0")] },
        };
        // Bids: 100 removed, 99.5 added: 99.5. Asks: 101 removed, 100.7 added then removed: 102.
        assert_eq!(b.top_after(&update), (Some(d("99.5")), Some(d("102"))));
        b.apply(&OrderBookEvent::Update(update));
        assert_eq!(
            (b.best_bid().map(|l| l.price), b.best_ask().map(|l| l.price)),
            (Some(d("99.5")), Some(d("102")))
        );
    }
}
