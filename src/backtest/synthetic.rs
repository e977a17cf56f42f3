//! A deterministic synthetic market stream for benchmarks: trade and L1 events round-robin over the
//! first three instruments, 1 ms apart, a seeded random walk per instrument (half trades, half L1).
//! Native and wasm benchmarks use this same generator, so they measure identical events.

use crate::event::{DataKind, Level, MarketEvent, OrderBookL1, PublicTrade, StreamEvent};
use crate::instrument::{ExchangeId, InstrumentIndex};
use crate::order::Side;
use crate::time::Timestamp;
use crate::EngineError;
use rust_decimal::Decimal;

/// The generator (an iterator of `n` events).
#[derive(Clone, Debug)]
pub struct Synthetic {
    n: usize,
    k: usize,
    seed: u64,
    prices: [i64; 3],
    exchange: ExchangeId,
    instruments: usize,
}

impl Synthetic {
    /// `n` events on `exchange` over min(3, `instruments`) instruments.
    pub fn new(n: usize, exchange: ExchangeId, instruments: usize) -> Self {
        Synthetic {
            n,
            k: 0,
            seed: 0x9E37_79B9_7F4A_7C15,
            prices: [9_696_251, 330_000, 19_000],
            exchange,
            instruments: instruments.clamp(1, 3),
        }
    }
}

impl Iterator for Synthetic {
    type Item = Result<StreamEvent<MarketEvent>, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.k >= self.n {
            return None;
        }
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        let i = self.k % self.instruments;
        let step = (self.seed % 21) as i64 - 10;
        self.prices[i] = (self.prices[i] + step).max(100);
        let price = Decimal::new(self.prices[i], 2);
        let t = Timestamp::from_millis(1_735_689_600_000 + self.k as i64);
        let amount = Decimal::new(1 + (self.seed >> 32) as i64 % 1000, 3);
        let kind = if (self.k / self.instruments) % 2 == 0 {
            DataKind::Trade(PublicTrade {
                id: String::new(),
                price,
                amount,
                side: if self.seed & 1 == 0 { Side::Buy } else { Side::Sell },
            })
        } else {
            let half = Decimal::new(1, 2);
            DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: t,
                best_bid: Some(Level { price: price - half, amount }),
                best_ask: Some(Level { price: price + half, amount }),
            })
        };
        self.k += 1;
        Some(Ok(StreamEvent::Item(MarketEvent {
            time_exchange: t,
            time_received: t,
            exchange: self.exchange,
            instrument: InstrumentIndex(i),
            kind,
        })))
    }
}
