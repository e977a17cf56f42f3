//! Moving-average cross: enter long when the fast average crosses above the slow one, leave on the
//! cross below (backtesting.py's `crossover`: strictly below then strictly above). Shorts on the
//! cross below only when `allow_short` and the instrument is not spot.

use super::shared::{SampleKind, Sampled, Samples, Series, SharedAverages};
use super::{gives_sample, is_sample, sample_price, Sizing, Strategy, StrategyContext, Target};
use crate::event::MarketEvent;
use crate::indicator::{Cross, CrossKind, SmaSeries, SmaSnapshot};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::rc::Rc;

type Sma = crate::indicator::Sma<Decimal>;
type Ema = crate::indicator::Ema<Decimal>;

/// An average a cross can be computed on. Its `Sampled::Point` is what comparing two averages
/// needs of one after a sample, and a sweep keeps its `Sampled::Series` once (see
/// [`SharedAverages`]) for every run that uses its length.
pub trait Average: Sampled + Clone {
    /// A new average of length `n`.
    fn with_len(n: usize) -> Self;
    /// Adds a sample.
    fn add(&mut self, x: Decimal);
    /// The average as it is now, once ready.
    fn point(&self) -> Option<Self::Point>;
    /// How `fast` compares with `slow`.
    fn relation(fast: &Self::Point, slow: &Self::Point) -> Ordering;
    /// How `fast` compares with `slow` after sample `k`; None while either warms up.
    fn relation_at(fast: &Self::Series, slow: &Self::Series, k: usize) -> Option<Ordering>;
}

impl Sampled for Sma {
    const OF: SampleKind = SampleKind::Marks;
    type Point = SmaSnapshot;
    type Series = SmaSeries;
    fn series(n: usize, samples: &Samples<'_>) -> SmaSeries {
        Sma::series(n, samples.marks, samples.fixed)
    }
}

impl Average for Sma {
    fn with_len(n: usize) -> Self {
        Sma::new(n)
    }
    fn add(&mut self, x: Decimal) {
        self.push(x)
    }
    fn point(&self) -> Option<SmaSnapshot> {
        self.snapshot()
    }
    // Always: it is the loop of a coasting run (`MaCross::coast`).
    #[inline(always)]
    fn relation_at(fast: &SmaSeries, slow: &SmaSeries, k: usize) -> Option<Ordering> {
        // As `relation`, on the sums alone where the series keep only those.
        if let (Some(f), Some(s)) = (fast.fixed_at(k), slow.fixed_at(k)) {
            if let (Some(a), Some(b)) = (slow.times_len(f), fast.times_len(s)) {
                return Some(a.cmp(&b));
            }
        }
        Some(Self::relation(&fast.at(k)?, &slow.at(k)?))
    }
    // Always: LLVM left it out of line, and the call's saves and restores were a third of it.
    #[inline(always)]
    fn relation(fast: &SmaSnapshot, slow: &SmaSnapshot) -> Ordering {
        // fast_sum / n_fast vs slow_sum / n_slow, cross-multiplied: exact, no division.
        if let (Some(f), Some(s)) = (fast.fixed_sum(), slow.fixed_sum()) {
            if let (Some(a), Some(b)) = (slow.times_len(f), fast.times_len(s)) {
                return a.cmp(&b);
            }
        }
        relation_of_decimals(fast, slow)
    }
}

/// `relation` of sums off the integer path (or too large to cross-multiply as integers): rare,
/// and out of line so that the integer path inlines into each sample.
#[cold]
#[inline(never)]
fn relation_of_decimals(fast: &SmaSnapshot, slow: &SmaSnapshot) -> Ordering {
    (fast.sum() * Decimal::from(slow.len() as u64)).cmp(&(slow.sum() * Decimal::from(fast.len() as u64)))
}

impl Sampled for Ema {
    const OF: SampleKind = SampleKind::Marks;
    type Point = Decimal;
    type Series = Vec<Option<Decimal>>;
    fn series(n: usize, samples: &Samples<'_>) -> Vec<Option<Decimal>> {
        crate::indicator::batch(Ema::new(n), samples.marks.iter().copied())
    }
}

impl Average for Ema {
    fn with_len(n: usize) -> Self {
        Ema::new(n)
    }
    fn add(&mut self, x: Decimal) {
        self.push(x)
    }
    fn point(&self) -> Option<Decimal> {
        self.value()
    }
    fn relation(fast: &Decimal, slow: &Decimal) -> Ordering {
        fast.cmp(slow)
    }
    fn relation_at(fast: &Vec<Option<Decimal>>, slow: &Vec<Option<Decimal>>, k: usize) -> Option<Ordering> {
        Some(fast.get(k).copied().flatten()?.cmp(&slow.get(k).copied().flatten()?))
    }
}

/// One instrument's two averages: its own, or series a sweep computed once.
#[derive(Clone, Debug)]
enum Averages<A: Average> {
    Own { fast: A, slow: A },
    Shared { fast: Series<A>, slow: Series<A>, next: usize },
}

#[derive(Clone, Debug)]
struct Lane<A: Average> {
    averages: Averages<A>,
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
    shared: Option<Rc<SharedAverages>>,
}

/// SMA cross.
pub type SmaCross = MaCross<Sma>;
/// EMA cross.
pub type EmaCross = MaCross<Ema>;

impl<A: Average> MaCross<A> {
    /// A cross of `fast` over `slow` samples.
    pub fn new(id: &'static str, fast: usize, slow: usize, sizing: Sizing, allow_short: bool) -> Self {
        MaCross {
            id,
            fast,
            slow,
            sizing,
            exits: Default::default(),
            allow_short,
            lanes: Vec::new(),
            shared: None,
        }
    }

    /// The same strategy reading its averages from `shared` (a sweep's), where it holds them.
    pub fn sharing(mut self, shared: Option<Rc<SharedAverages>>) -> Self {
        self.shared = shared;
        self
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
        let i = event.instrument.0;
        if self.lanes.len() <= i {
            self.lanes.resize(i + 1, None);
        }
        let (fast, slow, shared) = (self.fast, self.slow, &self.shared);
        let lane = self.lanes[i].get_or_insert_with(|| {
            let series =
                shared.as_ref().and_then(|s| Some((s.series::<A>(i, fast)?, s.series::<A>(i, slow)?)));
            let averages = match series {
                Some((fast, slow)) => Averages::Shared { fast, slow, next: 0 },
                None => Averages::Own { fast: A::with_len(fast), slow: A::with_len(slow) },
            };
            Lane { averages, cross: Cross::new() }
        });
        let now = match &mut lane.averages {
            Averages::Own { fast, slow } => {
                let Some(price) = sample_price(ctx, event) else { return };
                fast.add(price);
                slow.add(price);
                let (Some(f), Some(s)) = (fast.point(), slow.point()) else { return };
                A::relation(&f, &s)
            }
            Averages::Shared { fast, slow, next } => {
                // The series has a point for each sample of this instrument, in order (the
                // sample's price is in it already: only whether this event is one matters).
                if !is_sample(ctx, event) {
                    return;
                }
                let Some(now) = shared_relation::<A>(fast, slow, next) else { return };
                now
            }
        };
        let target = match lane.cross.update(now) {
            Some(CrossKind::Over) => Target::Long,
            Some(CrossKind::Under) if self.allow_short => Target::Short,
            Some(CrossKind::Under) => Target::Flat,
            None => return,
        };
        ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
    }

    /// Coasts where the averages are shared and the event completes no cross: the series' next
    /// point is read, so no sample is added and nothing needs undoing when a cross stops it.
    /// Always inlined into `coast_through`, whose loop it is: out of line, its saves and
    /// restores were a third of it.
    #[inline(always)]
    fn coast(&mut self, event: &MarketEvent) -> bool {
        let Some(Some(lane)) = self.lanes.get_mut(event.instrument.0) else { return false };
        let Averages::Shared { fast, slow, next } = &mut lane.averages else { return false };
        if !gives_sample(&event.kind) {
            return true;
        }
        let k = *next;
        let Some(now) = shared_relation::<A>(fast, slow, next) else { return true };
        let mut cross = lane.cross;
        if cross.update(now).is_some() {
            *next = k;
            return false;
        }
        lane.cross = cross;
        true
    }
}

/// How the shared series' points at `next` compare, moving `next` on; None while either warms up.
#[inline(always)]
fn shared_relation<A: Average>(fast: &Series<A>, slow: &Series<A>, next: &mut usize) -> Option<Ordering> {
    let k = *next;
    *next += 1;
    A::relation_at(fast, slow, k)
}
