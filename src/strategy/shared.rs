//! Indicators a sweep computes once and every run reads: a grid of SMA crosses over 10 fast and 10
//! slow lengths rolls 20 averages once, not 200 over its 100 runs, a grid of RSI thresholds
//! computes each RSI length once, and a grid of Donchian periods each channel's breakouts once.
//! The series are built from the samples a strategy sees (each instrument's mark after each
//! trade, bar or two-sided quote: see [`sample_of`]; or the high, low and close each of those
//! gives: see [`bar_of`]), which depend on the market events alone, so a run reading them
//! decides exactly as one computing its own.

use super::{bar_of, sample_of};
use crate::event::{EngineEvent, StreamEvent};
use crate::state::MarketState;
use rust_decimal::Decimal;
use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// An indicator of the strategy's samples whose value after each sample a sweep computes once
/// for every run that uses its length (`SharedAverages::series`).
pub trait Sampled: 'static {
    /// What the samples are: marks, or bars (the strategy's `StrategyConfig::shared_samples`).
    const OF: SampleKind;
    /// What the series holds of the indicator after one sample (the bound on a series' memory
    /// counts one of these a sample).
    type Point: Copy + std::fmt::Debug + 'static;
    /// The points after each sample.
    type Series: std::fmt::Debug + 'static;
    /// The point after each of one instrument's samples from a new indicator of length `n`.
    fn series(n: usize, samples: &Samples<'_>) -> Self::Series;
}

/// What a strategy's shared series are computed from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SampleKind {
    /// The instrument's mark after each sample (`sample_of`): the averages and the RSI.
    Marks,
    /// The high, low and close of each event that gives them (`bar_of`): the Donchian channels.
    Bars,
}

/// A bar's (high, low, close): what `bar_of` gives of a bar, a trade or a two-sided quote.
pub type Bar = (Decimal, Decimal, Decimal);

/// One instrument's samples, of the kind the sweep took (the other kind is empty).
#[derive(Debug)]
pub struct Samples<'a> {
    /// The mark after each sample.
    pub marks: &'a [Decimal],
    /// Each mark's fixed-point value, for an indicator that can roll those instead.
    pub fixed: &'a [Option<i64>],
    /// Each event's bar.
    pub bars: &'a [Bar],
}

/// One indicator's points after each sample of one instrument (`Sampled::Series`).
pub type Series<A> = Rc<<A as Sampled>::Series>;

/// The most memory the shared series of one sweep take; past it, runs roll their own averages
/// (a sweep over a million bars keeps a few lengths, not every one).
pub const SHARED_BYTES: usize = 64 << 20;

/// (kind of average, instrument, length) and its series (a `Series` of that kind).
type Computed = (TypeId, usize, usize, Rc<dyn Any>);

/// The samples of one data set and the averages computed over them so far.
#[derive(Debug)]
pub struct SharedAverages {
    /// What the samples are: series of the other kind are not computed here.
    kind: SampleKind,
    /// Per instrument, the strategy's samples in order (`SampleKind::Marks`).
    samples: Vec<Vec<Decimal>>,
    /// Per instrument, each sample's fixed-point value (`Samples::fixed`).
    fixed: Vec<Vec<Option<i64>>>,
    /// Per instrument, each event's bar in order (`SampleKind::Bars`).
    bars: Vec<Vec<Bar>>,
    /// The series computed so far.
    series: RefCell<Vec<Computed>>,
    /// Bytes the samples and series take.
    bytes: Cell<usize>,
}

impl SharedAverages {
    /// The samples of `kind` of `events` for `instruments` instruments, or None when they alone
    /// would take more than [`SHARED_BYTES`].
    pub fn new(instruments: usize, kind: SampleKind, events: &[EngineEvent]) -> Option<Self> {
        let each = match kind {
            SampleKind::Marks => std::mem::size_of::<Decimal>() + std::mem::size_of::<Option<i64>>(),
            SampleKind::Bars => std::mem::size_of::<Bar>(),
        };
        let bytes = events.len().saturating_mul(each);
        if bytes > SHARED_BYTES {
            return None;
        }
        let items = events.iter().filter_map(|e| match e {
            // One the engine refuses (no such instrument) no run gets past.
            EngineEvent::Market(StreamEvent::Item(m)) if m.instrument.0 < instruments => Some(m),
            _ => None,
        });
        let mut samples = vec![Vec::new(); instruments];
        let mut bars = vec![Vec::new(); instruments];
        match kind {
            SampleKind::Marks => {
                let mut markets = vec![MarketState::default(); instruments];
                for m in items {
                    let market = &mut markets[m.instrument.0];
                    market.apply(m);
                    samples[m.instrument.0].extend(sample_of(market, m));
                }
            }
            SampleKind::Bars => items.for_each(|m| bars[m.instrument.0].extend(bar_of(m))),
        }
        let fixed =
            samples.iter().map(|xs| xs.iter().map(|&x| crate::indicator::to_fixed(x)).collect()).collect();
        Some(SharedAverages {
            kind,
            samples,
            fixed,
            bars,
            series: RefCell::new(Vec::new()),
            bytes: Cell::new(bytes),
        })
    }

    /// The series of indicator `A` of length `n` over `instrument`'s samples, computed on first
    /// use; None when it would pass [`SHARED_BYTES`], or when these are not `A`'s kind of samples.
    pub fn series<A: Sampled>(&self, instrument: usize, n: usize) -> Option<Series<A>> {
        if A::OF != self.kind {
            return None;
        }
        let kind = TypeId::of::<A>();
        let known = self
            .series
            .borrow()
            .iter()
            .find(|(k, i, len, _)| (*k, *i, *len) == (kind, instrument, n))
            .map(|s| s.3.clone());
        if let Some(any) = known {
            return any.downcast::<A::Series>().ok();
        }
        let samples = Samples {
            marks: self.samples.get(instrument)?,
            fixed: self.fixed.get(instrument)?,
            bars: self.bars.get(instrument)?,
        };
        // At most a point a sample (the SMA's sums alone take less).
        let count = samples.marks.len().max(samples.bars.len());
        let bytes = self.bytes.get() + count * std::mem::size_of::<Option<A::Point>>();
        if bytes > SHARED_BYTES {
            return None;
        }
        let points: Series<A> = Rc::new(A::series(n, &samples));
        self.bytes.set(bytes);
        self.series.borrow_mut().push((kind, instrument, n, points.clone()));
        Some(points)
    }
}

#[cfg(test)]
impl SharedAverages {
    /// How many series were computed so far.
    pub(crate) fn computed(&self) -> usize {
        self.series.borrow().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{Ema, Sma};
    use crate::test_util::{candles, d};

    #[test]
    fn a_series_is_the_average_after_each_sample_and_is_computed_once() {
        let shared = SharedAverages::new(1, SampleKind::Marks, &candles(&["1", "2", "3", "4"])).unwrap();
        let sma = shared.series::<Sma<Decimal>>(0, 3).unwrap();
        let sums: Vec<_> = (0..sma.len()).map(|k| sma.at(k).map(|p| p.sum())).collect();
        assert_eq!(sums, vec![None, None, Some(d("6")), Some(d("9"))]);
        assert!(Rc::ptr_eq(&sma, &shared.series::<Sma<Decimal>>(0, 3).unwrap()));
        // Another kind of average of the same length is its own series: EMA(3) seeds at 2, then
        // 2 + 0.5 × (4 − 2).
        let ema = shared.series::<Ema<Decimal>>(0, 3).unwrap();
        assert_eq!(*ema, vec![None, None, Some(d("2")), Some(d("3"))]);
        assert!(shared.series::<Sma<Decimal>>(1, 3).is_none(), "no such instrument");
    }

    #[test]
    fn past_the_memory_bound_runs_roll_their_own() {
        let events = candles(&["1"; 4]);
        let shared = SharedAverages::new(1, SampleKind::Marks, &events).unwrap();
        shared.bytes.set(SHARED_BYTES - 1);
        assert!(shared.series::<Sma<Decimal>>(0, 2).is_none());
    }
}
