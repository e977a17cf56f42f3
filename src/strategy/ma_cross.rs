//! Moving-average cross: enter long when the fast average crosses above the slow one, leave on the
//! cross below (backtesting.py's `crossover`: strictly below then strictly above). Shorts on the
//! cross below only when `allow_short` and the instrument is not spot.

use super::{sample_price, Sizing, Strategy, StrategyContext, Target};
use crate::event::MarketEvent;
use crate::indicator::{Cross, CrossKind};
use rust_decimal::Decimal;
use std::cmp::Ordering;

type Sma = crate::indicator::Sma<Decimal>;
type Ema = crate::indicator::Ema<Decimal>;

/// An average a cross can be computed on.
pub trait Average: Clone {
    /// A new average of length `n`.
    fn with_len(n: usize) -> Self;
    /// Adds a sample.
    fn add(&mut self, x: Decimal);
    /// How `fast` compares with `slow`, once both are ready.
    fn relation(fast: &Self, slow: &Self) -> Option<Ordering>;
}

impl Average for Sma {
    fn with_len(n: usize) -> Self {
        Sma::new(n)
    }
    fn add(&mut self, x: Decimal) {
        self.push(x)
    }
    fn relation(fast: &Self, slow: &Self) -> Option<Ordering> {
        // fast_sum / n_fast vs slow_sum / n_slow, cross-multiplied: exact, no division.
        if !(fast.ready() && slow.ready()) {
            return None;
        }
        if let (Some(f), Some(s)) = (fast.fixed_sum(), slow.fixed_sum()) {
            if let (Some(a), Some(b)) = (slow.times_len(f), fast.times_len(s)) {
                return Some(a.cmp(&b));
            }
        }
        Some(
            (fast.sum() * Decimal::from(slow.len() as u64))
                .cmp(&(slow.sum() * Decimal::from(fast.len() as u64))),
        )
    }
}

impl Average for Ema {
    fn with_len(n: usize) -> Self {
        Ema::new(n)
    }
    fn add(&mut self, x: Decimal) {
        self.push(x)
    }
    fn relation(fast: &Self, slow: &Self) -> Option<Ordering> {
        Some(fast.value()?.cmp(&slow.value()?))
    }
}

#[derive(Clone, Debug)]
struct Lane<A> {
    fast: A,
    slow: A,
    cross: Cross,
}

/// A moving-average cross strategy over any `Average`.
#[derive(Clone, Debug)]
pub struct MaCross<A: Average> {
    id: &'static str,
    fast: usize,
    slow: usize,
    sizing: Sizing,
    exits: super::ExitPercents,
    allow_short: bool,
    lanes: Vec<Option<Lane<A>>>,
}

/// SMA cross.
pub type SmaCross = MaCross<Sma>;
/// EMA cross.
pub type EmaCross = MaCross<Ema>;

impl<A: Average> MaCross<A> {
    /// A cross of `fast` over `slow` samples.
    pub fn new(id: &'static str, fast: usize, slow: usize, sizing: Sizing, allow_short: bool) -> Self {
        MaCross { id, fast, slow, sizing, exits: Default::default(), allow_short, lanes: Vec::new() }
    }

    /// The same strategy attaching these exits to each entry.
    pub fn with_exits(mut self, exits: super::ExitPercents) -> Self {
        self.exits = exits;
        self
    }
}

impl<A: Average> Strategy for MaCross<A> {
    fn id(&self) -> &str {
        self.id
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        let Some(price) = sample_price(ctx, event) else { return };
        let i = event.instrument.0;
        if self.lanes.len() <= i {
            self.lanes.resize(i + 1, None);
        }
        let (fast, slow) = (self.fast, self.slow);
        let lane = self.lanes[i].get_or_insert_with(|| Lane {
            fast: A::with_len(fast),
            slow: A::with_len(slow),
            cross: Cross::new(),
        });
        lane.fast.add(price);
        lane.slow.add(price);
        let Some(now) = A::relation(&lane.fast, &lane.slow) else { return };
        let target = match lane.cross.update(now) {
            Some(CrossKind::Over) => Target::Long,
            Some(CrossKind::Under) if self.allow_short => Target::Short,
            Some(CrossKind::Under) => Target::Flat,
            None => return,
        };
        ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
    }
}
