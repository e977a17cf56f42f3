//! Streaming technical indicators: one `push` per sample, O(1) each (the rolling extremes are
//! amortised O(1) through a monotonic deque), `None` until warmed up, and batch forms over slices
//! (for charts and analysis) that run the same streaming code, so both agree to the bit.
//!
//! **Numbers.** Every indicator is generic over [`Value`], implemented for `f64` and for
//! `rust_decimal::Decimal`:
//! - `f64` is what hosts (JS, charts) and the golden tests use. Only the basic IEEE-754 operations
//!   are used (`+ - * /` and `sqrt`, all correctly rounded by the standard, natively and in wasm,
//!   with no fused multiply-add and no libm call), so a native and a wasm build give the same bits.
//!   Running sums (SMA, the means of the others) are kept as TA-Lib 0.6's C loops keep them; the
//!   weighted and squared sums (WMA, deviation) are rebuilt from the window every `n` samples, so
//!   their rounding drift cannot grow over a long series (amortised O(1)). Measured against TA-Lib
//!   0.8 on the S&P 500 and NASDAQ files: at most 1.5e-10 apart (Bollinger, stddev), 4.5e-13 for
//!   the averages, exactly equal for highest/lowest.
//! - `Decimal` is what the built-in strategies use: their decisions (a cross, a threshold, a
//!   breakout) compare exact decimal prices, as they did before this library existed, so their
//!   trades do not depend on float rounding (the backtesting.py parity tests pin them).
//!
//! Every indicator documents its reference (TA-Lib 0.6 C code, via the `TA-Lib` Python package) and
//! how it is seeded; `tests/indicators_golden.rs` checks the `f64` forms against TA-Lib's output
//! (`scripts/golden/indicators.py`) within 1e-9, warm-up included.

mod atr;
mod bollinger;
mod cross;
mod ema;
mod extreme;
mod macd;
mod roc;
mod rsi;
mod sma;
pub mod spec;
mod stddev;
mod value;
mod wma;

pub use atr::{atr, true_range, Atr, Bar};
pub use bollinger::{bollinger, Bands, Bollinger};
pub use cross::{crossover, crossover_series, crossunder, crossunder_series, Cross, CrossKind};
pub use ema::{ema, Ema};
pub use extreme::{highest, lowest, Extremes, Highest, Lowest};
pub use macd::{macd, Macd, MacdValue};
pub use roc::{roc, Roc};
pub use rsi::{rsi, Rsi};
pub use sma::{sma, Sma, SmaSeries, SmaSnapshot};
pub use stddev::{stddev, StdDev};
pub(crate) use value::to_fixed;
pub use value::{Accumulator, Value};
pub use wma::{wma, Wma};

/// The longest window an indicator takes: one window's samples are held in memory, and a length
/// comes from user input (configs, JS), so it is capped (the strategies' own limit is the same).
pub const MAX_PERIOD: usize = 1_000_000;

/// Samples a window reserves up front; longer windows grow as samples arrive, so a length alone
/// never allocates more than the data it has seen.
pub(crate) const PREALLOC: usize = 4096;

/// A streaming indicator: samples in, the current value out once warmed up.
pub trait Indicator {
    /// One sample (a price, or a bar for the range-based ones).
    type Input;
    /// The value (a number, or a struct for the multi-line ones).
    type Output;
    /// Adds a sample and returns the value after it (None during warm-up).
    fn update(&mut self, input: Self::Input) -> Option<Self::Output>;
    /// The current value (None during warm-up).
    fn value(&self) -> Option<Self::Output>;
}

/// Runs `indicator` over `inputs`, one value per input (None during warm-up): the batch form of
/// every indicator, so batch and streaming results are the same computation.
pub fn batch<I: Indicator>(
    mut indicator: I,
    inputs: impl IntoIterator<Item = I::Input>,
) -> Vec<Option<I::Output>> {
    inputs.into_iter().map(|x| indicator.update(x)).collect()
}

/// A length as given, at least 1 and at most `MAX_PERIOD` (a period of 0 means 1, as TA-Lib
/// refuses it; callers that take user input check the range first and say so).
pub(crate) fn period(n: usize) -> usize {
    n.clamp(1, MAX_PERIOD)
}

/// A ring of the last `n` samples: the trailing value of a rolling sum.
#[derive(Clone, Debug)]
pub(crate) struct Window<V> {
    n: usize,
    items: Vec<V>,
    /// The oldest sample once full.
    head: usize,
}

impl<V: Copy> Window<V> {
    pub(crate) fn new(n: usize) -> Self {
        Window { n, items: Vec::with_capacity(n.min(PREALLOC)), head: 0 }
    }

    /// Adds `x`; returns the sample it pushed out once full.
    #[inline]
    pub(crate) fn push(&mut self, x: V) -> Option<V> {
        if self.items.len() < self.n {
            self.items.push(x);
            return None;
        }
        let oldest = std::mem::replace(&mut self.items[self.head], x);
        self.head = if self.head + 1 == self.n { 0 } else { self.head + 1 };
        Some(oldest)
    }

    pub(crate) fn full(&self) -> bool {
        self.items.len() == self.n
    }

    /// True right after every `n`-th push once full (the ring wrapped): when a running sum is
    /// rebuilt from the window, so its rounding drift never spans more than `n` updates while the
    /// cost stays O(1) amortised.
    #[inline]
    pub(crate) fn wrapped(&self) -> bool {
        self.head == 0 && self.full()
    }

    pub(crate) fn count(&self) -> usize {
        self.items.len()
    }

    /// The samples, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = V> + '_ {
        let (newer, older) = self.items.split_at(self.head);
        older.iter().chain(newer).copied()
    }
}

#[cfg(test)]
pub(crate) mod test_data {
    /// A fixed pseudo-random walk (a linear congruential generator: no dependency, same every run).
    pub fn walk(n: usize) -> Vec<f64> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut x = 100.0;
        (0..n)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let step = ((state >> 33) % 2001) as f64 / 1000.0 - 1.0;
                x += step;
                x
            })
            .collect()
    }
}
