//! Where an order can execute against one market observation.

use super::stop::Hit;
use crate::config::LimitFillRule;
use crate::event::{BookState, DataKind, Level, MarketEvent};
use crate::order::{OrderKind, Side};
use rust_decimal::Decimal;

/// Whether a fill adds or takes liquidity.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Liquidity {
    /// Resting order filled: maker fee, no slippage.
    Maker,
    /// Order crossed on arrival: taker fee, slippage.
    Taker,
}

/// A possible execution: price, the volume observed there (None: not observed), and liquidity.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    /// Price before slippage.
    pub price: Decimal,
    /// Observed volume, for participation caps.
    pub volume: Option<Decimal>,
    /// Maker or taker.
    pub liquidity: Liquidity,
}

/// The order's terms that matter for matching.
pub struct Terms {
    /// Side.
    pub side: Side,
    /// Kind.
    pub kind: OrderKind,
    /// Limit price.
    pub price: Decimal,
    /// True on the first observation after arrival (marketable orders take liquidity then).
    pub first: bool,
    /// Set when a stop triggered on this observation: on a bar it decides the price.
    pub stop: Option<Hit>,
}

fn top(book: Option<&BookState>, side: Side) -> Option<Level> {
    let b = book?;
    match side {
        Side::Buy => b.best_ask(),
        Side::Sell => b.best_bid(),
    }
}

/// `better(a, b)`: is price `a` at least as good as `b` for this side?
fn at_or_better(side: Side, a: Decimal, b: Decimal) -> bool {
    match side {
        Side::Buy => !crate::decimal::gt(&a, &b),
        Side::Sell => !crate::decimal::lt(&a, &b),
    }
}

/// Decides whether and where an order executes on this observation. `book` is the exchange's L2
/// book for the instrument after applying the event (for L2 events).
pub fn execution(
    t: &Terms,
    event: &MarketEvent,
    book: Option<&BookState>,
    rule: LimitFillRule,
) -> Option<Execution> {
    let taker = |price: Decimal, volume: Option<Decimal>| {
        Some(Execution { price, volume, liquidity: Liquidity::Taker })
    };
    // Quote-driven observations: a buy can execute at the ask, a sell at the bid.
    let quote = match &event.kind {
        DataKind::OrderBookL1(l1) => Some(match t.side {
            Side::Buy => l1.best_ask,
            Side::Sell => l1.best_bid,
        }),
        DataKind::OrderBook(_) => Some(top(book, t.side)),
        _ => None,
    };
    if let Some(level) = quote {
        let level = level?;
        return match t.kind {
            OrderKind::Market => taker(level.price, Some(level.amount)),
            OrderKind::Limit if at_or_better(t.side, level.price, t.price) => {
                if t.first {
                    taker(level.price, Some(level.amount))
                } else {
                    Some(Execution {
                        price: t.price,
                        volume: Some(level.amount),
                        liquidity: Liquidity::Maker,
                    })
                }
            }
            OrderKind::Limit => None,
        };
    }
    match &event.kind {
        DataKind::Trade(tr) => match t.kind {
            OrderKind::Market => taker(tr.price, Some(tr.amount)),
            OrderKind::Limit if t.first && at_or_better(t.side, tr.price, t.price) => {
                taker(tr.price, Some(tr.amount))
            }
            OrderKind::Limit => {
                let fills = match rule {
                    LimitFillRule::Touch => at_or_better(t.side, tr.price, t.price),
                    LimitFillRule::TradeThrough => {
                        at_or_better(t.side, tr.price, t.price) && tr.price != t.price
                    }
                };
                fills.then_some(Execution {
                    price: t.price,
                    volume: Some(tr.amount),
                    liquidity: Liquidity::Maker,
                })
            }
        },
        // A stop triggered inside the bar fills at its trigger (a stop-limit only when the
        // trigger is within its limit); one the bar gapped over fills as the bar's rules say.
        DataKind::Candle(c) if t.stop.is_some_and(|h| !h.gap) => {
            let level = t.stop.map_or(c.open, |h| h.level);
            match t.kind {
                OrderKind::Market => taker(level, Some(c.volume)),
                OrderKind::Limit if at_or_better(t.side, level, t.price) => taker(level, Some(c.volume)),
                OrderKind::Limit => None,
            }
        }
        DataKind::Candle(c) => match t.kind {
            OrderKind::Market => taker(c.open, Some(c.volume)),
            OrderKind::Limit => {
                let liquidity = if t.first { Liquidity::Taker } else { Liquidity::Maker };
                if at_or_better(t.side, c.open, t.price) {
                    // Gapped through the limit: filled at the open.
                    Some(Execution { price: c.open, volume: Some(c.volume), liquidity })
                } else {
                    let reached = match t.side {
                        Side::Buy => !crate::decimal::gt(&c.low, &t.price),
                        Side::Sell => !crate::decimal::lt(&c.high, &t.price),
                    };
                    reached.then_some(Execution {
                        price: t.price,
                        volume: Some(c.volume),
                        liquidity: Liquidity::Maker,
                    })
                }
            }
        },
        _ => None,
    }
}
