//! What the engine knows of each instrument's market: top of book, last trade, last bar, L2 book,
//! and the mark price positions are valued at.

use crate::event::{mid, BookState, DataKind, Level, MarketEvent};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which observation the mark price comes from: the latest one that carried a price.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub enum MarkSource {
    /// No price yet.
    #[default]
    None,
    /// The last public trade.
    Trade,
    /// The last bar's close.
    Close,
    /// The mid of the best bid and ask.
    Mid,
}

/// Market data of one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct MarketState {
    /// Best bid.
    pub best_bid: Option<Level>,
    /// Best ask.
    pub best_ask: Option<Level>,
    /// Last public trade price.
    pub last_trade_price: Option<Decimal>,
    /// Last bar close.
    pub last_close: Option<Decimal>,
    /// Where the mark comes from.
    pub mark_source: MarkSource,
    /// Time of the last market event applied.
    pub time: Option<Timestamp>,
    /// Level 2 book, once any L2 event arrived.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub book: Option<BookState>,
}

impl MarketState {
    /// The mark price: the latest of trade price, bar close, or top-of-book mid. Computed on
    /// demand, so quotes cost nothing when nothing is valued.
    pub fn mark(&self) -> Option<Decimal> {
        match self.mark_source {
            MarkSource::None => None,
            MarkSource::Trade => self.last_trade_price,
            MarkSource::Close => self.last_close,
            MarkSource::Mid => Some(mid(self.best_bid?.price, self.best_ask?.price)),
        }
    }

    /// Whether there is a mark (`mark()` is Some), without computing a mid.
    #[inline]
    pub fn has_mark(&self) -> bool {
        match self.mark_source {
            MarkSource::None => false,
            MarkSource::Trade => self.last_trade_price.is_some(),
            MarkSource::Close => self.last_close.is_some(),
            MarkSource::Mid => self.best_bid.is_some() && self.best_ask.is_some(),
        }
    }

    /// Applies a (validated) market event; true when the mark may have changed.
    pub fn apply(&mut self, e: &MarketEvent) -> bool {
        self.time = Some(e.time_exchange);
        let source = match &e.kind {
            DataKind::Trade(t) => {
                self.last_trade_price = Some(t.price);
                MarkSource::Trade
            }
            DataKind::OrderBookL1(l1) => {
                self.best_bid = l1.best_bid;
                self.best_ask = l1.best_ask;
                if l1.best_bid.is_none() || l1.best_ask.is_none() {
                    return false;
                }
                MarkSource::Mid
            }
            DataKind::OrderBook(ev) => {
                let book = self.book.get_or_insert_with(BookState::default);
                book.apply(ev);
                self.best_bid = book.best_bid();
                self.best_ask = book.best_ask();
                if self.best_bid.is_none() || self.best_ask.is_none() {
                    return false;
                }
                MarkSource::Mid
            }
            DataKind::Candle(c) => {
                self.last_close = Some(c.close);
                MarkSource::Close
            }
            DataKind::Liquidation(_) => return false,
        };
        self.mark_source = source;
        true
    }
}
