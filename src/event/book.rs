//! A level 2 book kept from snapshots and updates (bids best-first descending, asks ascending).

use super::market::{Level, OrderBook, OrderBookEvent};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Book state for one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
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
                self.bids.sort_by(|a, b| b.price.cmp(&a.price));
                self.asks.sort_by(|a, b| a.price.cmp(&b.price));
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
}
