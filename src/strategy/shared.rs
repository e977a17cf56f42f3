//! Indicators a sweep computes once and every run reads: a grid of SMA crosses over 10 fast and 10
//! slow lengths rolls 20 averages once, not 200 over its 100 runs, and a grid of RSI thresholds
//! computes each RSI length once. The series are built from the samples a strategy sees (each
//! instrument's mark after each trade, bar or two-sided quote: see [`sample_of`]), which depend
//! on the market events alone, so a run reading them decides exactly as one computing its own.

use super::sample_of;
use crate::event::{EngineEvent, StreamEvent};
use crate::state::MarketState;
use rust_decimal::Decimal;
use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// An indicator of the strategy's samples whose value after each sample a sweep computes once
/// for every run that uses its length (`SharedAverages::series`).
pub trait Sampled: 'static {
    /// What the series holds of the indicator after one sample (the bound on a series' memory
    /// counts one of these a sample).
    type Point: Copy + std::fmt::Debug + 'static;
    /// The points after each sample.
    type Series: std::fmt::Debug + 'static;
    /// The point after each of `samples` from a new indicator of length `n` (`fixed`: each
    /// sample's fixed-point value, for an indicator that can roll those instead).
    fn series(n: usize, samples: &[Decimal], fixed: &[Option<i64>]) -> Self::Series;
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
    /// Per instrument, the strategy's samples in order.
    samples: Vec<Vec<Decimal>>,
    /// Per instrument, each sample's fixed-point value (`Sampled::series`).
    fixed: Vec<Vec<Option<i64>>>,
    /// The series computed so far.
    series: RefCell<Vec<Computed>>,
    /// Bytes the samples and series take.
    bytes: Cell<usize>,
}

impl SharedAverages {
    /// The samples of `events` for `instruments` instruments, or None when they alone would
    /// take more than [`SHARED_BYTES`].
    pub fn new(instruments: usize, events: &[EngineEvent]) -> Option<Self> {
        let each = std::mem::size_of::<Decimal>() + std::mem::size_of::<Option<i64>>();
        let bytes = events.len().saturating_mul(each);
        if bytes > SHARED_BYTES {
            return None;
        }
        let mut markets = vec![MarketState::default(); instruments];
        let mut samples = vec![Vec::new(); instruments];
        for e in events {
            let EngineEvent::Market(StreamEvent::Item(m)) = e else { continue };
            let (Some(market), Some(out)) =
                (markets.get_mut(m.instrument.0), samples.get_mut(m.instrument.0))
            else {
                continue; // the engine refuses it: no run gets past it
            };
            market.apply(m);
            out.extend(sample_of(market, m));
        }
        let fixed =
            samples.iter().map(|xs| xs.iter().map(|&x| crate::indicator::to_fixed(x)).collect()).collect();
        Some(SharedAverages { samples, fixed, series: RefCell::new(Vec::new()), bytes: Cell::new(bytes) })
    }

    /// The series of indicator `A` of length `n` over `instrument`'s samples, computed on first
    /// use; None when it would pass [`SHARED_BYTES`].
    pub fn series<A: Sampled>(&self, instrument: usize, n: usize) -> Option<Series<A>> {
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
        let samples = self.samples.get(instrument)?;
        // At most a point a sample (the SMA's sums alone take less).
        let bytes = self.bytes.get() + samples.len() * std::mem::size_of::<Option<A::Point>>();
        if bytes > SHARED_BYTES {
            return None;
        }
        let fixed = self.fixed.get(instrument).map_or(&[][..], Vec::as_slice);
        let points: Series<A> = Rc::new(A::series(n, samples, fixed));
        self.bytes.set(bytes);
        self.series.borrow_mut().push((kind, instrument, n, points.clone()));
        Some(points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{Ema, Sma};
    use crate::test_util::{candles, d};

    #[test]
    fn a_series_is_the_average_after_each_sample_and_is_computed_once() {
        let shared = SharedAverages::new(1, &candles(&["1", "2", "3", "4"])).unwrap();
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
        let shared = SharedAverages::new(1, &events).unwrap();
        shared.bytes.set(SHARED_BYTES - 1);
        assert!(shared.series::<Sma<Decimal>>(0, 2).is_none());
    }
}
