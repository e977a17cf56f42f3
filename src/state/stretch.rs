//! A stretch of market events on which nothing acts, reduced to the events whose writes to a view
//! of the market survive it. The engine's market state and a simulated exchange's view of the
//! market keep, per instrument, fields each of which is written by events of fixed kinds alone
//! (a bar writes the close, a trade the last trade price, a quote the top of book, each the time),
//! so a field ends the stretch as its last writer left it, and applying only the last event of
//! each kind of each instrument, in their order, leaves every such field as applying them all
//! would. Books accumulate their deltas: a stretch with one is not reduced.

use crate::event::{DataKind, EngineEvent, MarketEvent, StreamEvent};
use crate::instrument::InstrumentIndex;
use crate::time::Timestamp;

/// A stretch of market items reduced (see the module's doc); kept to reduce the next one into,
/// so a run reducing many allocates once.
#[derive(Clone, Debug, Default)]
pub struct MarketStretch {
    /// Indices of the events whose writes survive the stretch, in stream order.
    writers: Vec<usize>,
    /// (instrument, kind) of the writers.
    seen: Vec<(InstrumentIndex, u8)>,
    /// The latest exchange time in the stretch (the clocks move to it: events may come a little
    /// out of time order, within the engine's tolerance, so it need not be a writer's).
    latest: Option<Timestamp>,
}

/// The kinds whose events write the same fields: a two-sided quote also sets where the mark
/// comes from, a one-sided one does not. None for a book delta, which accumulates.
fn writes(kind: &DataKind) -> Option<u8> {
    match kind {
        DataKind::Trade(_) => Some(0),
        DataKind::Candle(_) => Some(1),
        DataKind::OrderBookL1(q) if q.best_bid.is_some() && q.best_ask.is_some() => Some(2),
        DataKind::OrderBookL1(_) => Some(3),
        DataKind::Liquidation(_) => Some(4),
        DataKind::OrderBook(_) => None,
    }
}

fn item(e: &EngineEvent) -> Option<&MarketEvent> {
    match e {
        EngineEvent::Market(StreamEvent::Item(m)) => Some(m),
        _ => None,
    }
}

impl MarketStretch {
    /// Reduces `events` (market items; anything else is not part of the stretch), replacing the
    /// stretch held.
    pub fn reduce(&mut self, events: &[EngineEvent]) {
        self.writers.clear();
        self.seen.clear();
        self.latest = events.iter().filter_map(item).map(|m| m.time_exchange).max();
        for (k, m) in events.iter().enumerate().rev().filter_map(|(k, e)| Some((k, item(e)?))) {
            let Some(kind) = writes(&m.kind) else {
                self.writers = (0..events.len()).collect();
                return;
            };
            if !self.seen.contains(&(m.instrument, kind)) {
                self.seen.push((m.instrument, kind));
                self.writers.push(k);
            }
        }
        self.writers.reverse();
    }

    /// The writers of `events` (those last reduced), in stream order.
    pub fn writers<'a>(&'a self, events: &'a [EngineEvent]) -> impl Iterator<Item = &'a MarketEvent> + 'a {
        self.writers.iter().filter_map(|&k| events.get(k).and_then(item))
    }

    /// The latest exchange time of the stretch (None when it had no market item).
    pub fn latest(&self) -> Option<Timestamp> {
        self.latest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Candle, Level, Liquidation, OrderBookEvent, OrderBookL1, PublicTrade};
    use crate::order::Side;
    use crate::state::{EngineState, MarketState};
    use crate::test_util::d;

    fn event(instrument: usize, time: i64, kind: DataKind) -> EngineEvent {
        EngineEvent::Market(StreamEvent::Item(MarketEvent {
            time_exchange: Timestamp(time),
            time_received: Timestamp(time),
            exchange: crate::instrument::ExchangeId::parse("simulated").unwrap(),
            instrument: InstrumentIndex(instrument),
            kind,
        }))
    }

    /// Every kind but books, with prices from `r`.
    fn kind(r: u64) -> DataKind {
        let p = d(&(90 + r % 20).to_string());
        let level = |x| Some(Level { price: x, amount: d("1") });
        match r % 6 {
            0 => {
                DataKind::Trade(PublicTrade { id: String::new(), price: p, amount: d("1"), side: Side::Buy })
            }
            1 => DataKind::Candle(Candle {
                close_time: Timestamp(0),
                open: p,
                high: p,
                low: p,
                close: p,
                volume: d("1"),
                trade_count: 0,
            }),
            2 => DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: Timestamp(0),
                best_bid: level(p),
                best_ask: level(p + d("1")),
            }),
            3 => DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: Timestamp(0),
                best_bid: level(p),
                best_ask: None,
            }),
            4 => DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: Timestamp(0),
                best_bid: None,
                best_ask: level(p),
            }),
            _ => DataKind::Liquidation(Liquidation {
                side: Side::Sell,
                price: p,
                quantity: d("1"),
                time: Timestamp(0),
            }),
        }
    }

    fn apply<'a>(markets: &mut [MarketState], events: impl IntoIterator<Item = &'a MarketEvent>) {
        for e in events {
            markets[e.instrument.0].apply(e);
        }
    }

    fn items(events: &[EngineEvent]) -> Vec<&MarketEvent> {
        events
            .iter()
            .map(|e| match e {
                EngineEvent::Market(StreamEvent::Item(m)) => m,
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn the_writers_leave_each_market_as_the_whole_stretch_does() {
        let mut next = crate::test_util::lcg(11);
        let instruments = crate::instrument::Instruments::new(&[
            crate::test_util::spot("binance_spot", "btc", "usdt"),
            crate::test_util::spot("binance_spot", "eth", "btc"),
        ])
        .unwrap();
        let state = || EngineState::new(&instruments, Timestamp(-100), crate::state::TradingState::Enabled);
        let mut reduced = 0;
        for round in 0..400 {
            // A prefix applied both ways, then a stretch of up to 12 events on two instruments,
            // times mostly rising with some a little back.
            let events: Vec<EngineEvent> = (0..4 + next() % 12)
                .map(|k| event((next() % 2) as usize, k as i64 * 10 - (next() % 3) as i64 * 7, kind(next())))
                .collect();
            let cut = (next() % 4) as usize;
            let (mut all, mut some) = (vec![MarketState::default(); 2], vec![MarketState::default(); 2]);
            apply(&mut all, items(&events));
            apply(&mut some, items(&events[..cut]));
            let mut stretch = MarketStretch::default();
            stretch.reduce(&events[cut..]);
            let writers: Vec<&MarketEvent> = stretch.writers(&events[cut..]).collect();
            apply(&mut some, writers.iter().copied());
            assert_eq!(all, some, "round {round}");
            // And the engine's state: clocks, marks, connectivity.
            let (mut whole, mut reduced_state) = (state(), state());
            for m in items(&events) {
                whole.apply_market(m, &instruments);
            }
            for m in items(&events[..cut]) {
                reduced_state.apply_market(m, &instruments);
            }
            reduced_state.apply_market_stretch(&stretch, &events[cut..], &instruments);
            let json = |s: &EngineState| serde_json::to_string(s).unwrap();
            assert_eq!(json(&whole), json(&reduced_state), "round {round}");
            assert_eq!(stretch.latest(), items(&events[cut..]).iter().map(|m| m.time_exchange).max());
            reduced += events.len() - cut - writers.len();
        }
        assert!(reduced > 1000, "{reduced}");
    }

    #[test]
    fn a_book_delta_keeps_every_event() {
        let book = DataKind::OrderBook(OrderBookEvent::Snapshot(Default::default()));
        let events = [event(0, 1, kind(0)), event(0, 2, book), event(0, 3, kind(0))];
        let mut stretch = MarketStretch::default();
        stretch.reduce(&events);
        assert_eq!(stretch.writers(&events).count(), 3);
        stretch.reduce(&events[2..]);
        assert_eq!(stretch.writers(&events[2..]).count(), 1);
        stretch.reduce(&[]);
        assert_eq!((stretch.latest(), stretch.writers(&[]).count()), (None, 0));
    }
}
