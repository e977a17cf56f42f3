//! What the engine knows of each instrument's market: top of book, last trade, last bar, L2 book,
//! and the mark price positions are valued at.

use crate::event::{BookState, DataKind, Level, MarketEvent};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Market data of one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MarketState {
    /// Best bid.
    pub best_bid: Option<Level>,
    /// Best ask.
    pub best_ask: Option<Level>,
    /// Last public trade price.
    pub last_trade_price: Option<Decimal>,
    /// Last bar close.
    pub last_close: Option<Decimal>,
    /// Mark price: the latest of trade price, bar close, or top-of-book mid.
    pub mark: Option<Decimal>,
    /// Time of the last market event applied.
    pub time: Option<Timestamp>,
    /// Level 2 book, once any L2 event arrived.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub book: Option<BookState>,
}

impl MarketState {
    /// Applies a (validated) market event and returns the new mark price if it changed.
    pub fn apply(&mut self, e: &MarketEvent) -> Option<Decimal> {
        self.time = Some(e.time_exchange);
        let mark = match &e.kind {
            DataKind::Trade(t) => {
                self.last_trade_price = Some(t.price);
                Some(t.price)
            }
            DataKind::OrderBookL1(l1) => {
                self.best_bid = l1.best_bid;
                self.best_ask = l1.best_ask;
                l1.mid_price()
            }
            DataKind::OrderBook(ev) => {
                let book = self.book.get_or_insert_with(BookState::default);
                book.apply(ev);
                self.best_bid = book.best_bid();
                self.best_ask = book.best_ask();
                match (self.best_bid, self.best_ask) {
                    (Some(b), Some(a)) => Some(crate::event::mid(b.price, a.price)),
                    _ => None,
                }
            }
            DataKind::Candle(c) => {
                self.last_close = Some(c.close);
                Some(c.close)
            }
            DataKind::Liquidation(_) => None,
        };
        if mark.is_some() {
            self.mark = mark;
        }
        mark
    }
}
