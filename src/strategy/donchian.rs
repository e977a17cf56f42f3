//! Donchian breakout: long when a bar closes above the highest high of the previous
//! `entry_period` bars; out when it closes below the lowest low of the previous `exit_period` bars.

use super::shared::{Bar, SampleKind, Sampled, Samples, Series, SharedAverages};
use super::{bar_of, Sizing, Strategy, StrategyContext, Target};
use crate::event::MarketEvent;
use crate::indicator::Indicator;
use rust_decimal::Decimal;
use std::rc::Rc;

type Highest = crate::indicator::Highest<Decimal>;
type Lowest = crate::indicator::Lowest<Decimal>;

/// Whether `close` is above the entry channel (the highest high of the bars before it).
#[inline]
fn above(entry: &Highest, close: Decimal) -> bool {
    entry.value().is_some_and(|u| crate::decimal::gt(&close, &u))
}

/// Whether `close` is below the exit channel (the lowest low of the bars before it).
#[inline]
fn below(exit: &Lowest, close: Decimal) -> bool {
    exit.value().is_some_and(|l| crate::decimal::lt(&close, &l))
}

/// Whether each of `bars` breaks out of `window` by `breaks` (a run's own test, `above` or
/// `below`, so a shared series decides as a run of its own does), read before the bar `joins`
/// the window: the series a sweep computes once per period, for every run with that period.
fn breakouts<W: Indicator<Input = Decimal>>(
    mut window: W,
    bars: &[Bar],
    joins: fn(&Bar) -> Decimal,
    breaks: fn(&W, Decimal) -> bool,
) -> Vec<bool> {
    let each = |bar: &Bar| {
        let out = breaks(&window, bar.2);
        window.update(joins(bar));
        out
    };
    bars.iter().map(each).collect()
}

/// The entry channel's breakouts: whether each bar closes above the highest high of the `n`
/// before it.
#[derive(Debug)]
pub struct BreaksAbove;

impl Sampled for BreaksAbove {
    const OF: SampleKind = SampleKind::Bars;
    type Point = bool;
    type Series = Vec<bool>;
    fn series(n: usize, samples: &Samples<'_>) -> Vec<bool> {
        breakouts(Highest::new(n), samples.bars, |b| b.0, above)
    }
}

/// The exit channel's breakouts: whether each bar closes below the lowest low of the `n` before
/// it.
#[derive(Debug)]
pub struct BreaksBelow;

impl Sampled for BreaksBelow {
    const OF: SampleKind = SampleKind::Bars;
    type Point = bool;
    type Series = Vec<bool>;
    fn series(n: usize, samples: &Samples<'_>) -> Vec<bool> {
        breakouts(Lowest::new(n), samples.bars, |b| b.1, below)
    }
}

/// One instrument's channels: its own (the highest high of the entry period, the lowest low of
/// the exit period), or the breakouts a sweep computed once and the next bar's index in them.
#[derive(Clone, Debug)]
enum Lane {
    Own { entry: Highest, exit: Lowest },
    Shared { above: Series<BreaksAbove>, below: Series<BreaksBelow>, next: usize },
}

/// Donchian channel breakout.
#[derive(Clone, Debug)]
pub struct DonchianBreakout {
    entry_period: usize,
    exit_period: usize,
    sizing: Sizing,
    exits: super::ExitPercents,
    allow_short: bool,
    lanes: Vec<Option<Lane>>,
    shared: Option<Rc<SharedAverages>>,
}

impl DonchianBreakout {
    /// With its parameters.
    pub fn new(entry_period: usize, exit_period: usize, sizing: Sizing, allow_short: bool) -> Self {
        DonchianBreakout {
            entry_period,
            exit_period,
            sizing,
            exits: Default::default(),
            allow_short,
            lanes: Vec::new(),
            shared: None,
        }
    }

    /// The same strategy attaching these exits to each entry.
    pub fn with_exits(mut self, exits: super::ExitPercents) -> Self {
        self.exits = exits;
        self
    }

    /// The same strategy reading its breakouts from `shared` (a sweep's), where it holds them.
    pub fn sharing(mut self, shared: Option<Rc<SharedAverages>>) -> Self {
        self.shared = shared;
        self
    }
}

impl Strategy for DonchianBreakout {
    fn id(&self) -> &str {
        "donchian_breakout"
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        let Some((high, low, close)) = bar_of(event) else { return };
        let i = event.instrument.0;
        if self.lanes.len() <= i {
            self.lanes.resize(i + 1, None);
        }
        let (n_in, n_out, shared) = (self.entry_period, self.exit_period, &self.shared);
        let lane = self.lanes[i].get_or_insert_with(|| {
            let series = shared
                .as_ref()
                .and_then(|s| Some((s.series::<BreaksAbove>(i, n_in)?, s.series::<BreaksBelow>(i, n_out)?)));
            match series {
                Some((above, below)) => Lane::Shared { above, below, next: 0 },
                None => Lane::Own { entry: Highest::new(n_in), exit: Lowest::new(n_out) },
            }
        });
        // Each channel is read before the bar joins it.
        let (up, down) = match lane {
            Lane::Own { entry, exit } => {
                let breaks = (above(entry, close), below(exit, close));
                entry.push(high);
                exit.push(low);
                breaks
            }
            Lane::Shared { above, below, next } => {
                // The series have a point for each bar of this instrument, in order.
                let k = *next;
                debug_assert!(k < above.len() && k < below.len(), "bar {k} past the shared series");
                *next += 1;
                (above.get(k).copied().unwrap_or(false), below.get(k).copied().unwrap_or(false))
            }
        };
        let position = ctx.position(event.instrument);
        if up && position <= Decimal::ZERO {
            ctx.move_to_with(event.instrument, Target::Long, &self.sizing, &self.exits);
        } else if down && position >= Decimal::ZERO {
            let target = if self.allow_short { Target::Short } else { Target::Flat };
            ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
        }
    }

    /// Coasts on an event that breaks neither channel, whatever the position: the channels are
    /// read before the bar joins them, so the bar joins them (or the shared series' index moves
    /// past it) here only once that is known, and an event that breaks out is left whole for
    /// `on_market_event` (nothing needs undoing).
    #[inline(always)]
    fn coast(&mut self, event: &MarketEvent) -> bool {
        let Some((high, low, close)) = bar_of(event) else { return true };
        // Lanes are made by the first event of their instrument, in `on_market_event`.
        let Some(Some(lane)) = self.lanes.get_mut(event.instrument.0) else { return false };
        match lane {
            Lane::Own { entry, exit } => {
                if above(entry, close) || below(exit, close) {
                    return false;
                }
                entry.push(high);
                exit.push(low);
            }
            Lane::Shared { above, below, next } => {
                if above.get(*next).copied().unwrap_or(false) || below.get(*next).copied().unwrap_or(false) {
                    return false;
                }
                *next += 1;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{DataKind, EngineEvent, StreamEvent};
    use crate::test_util::{candles, d};

    /// Bars closing at `closes`, each with a high one above and a low one below.
    fn bars(closes: &[&str]) -> Vec<EngineEvent> {
        let mut events = candles(closes);
        for e in &mut events {
            if let EngineEvent::Market(StreamEvent::Item(m)) = e {
                if let DataKind::Candle(c) = &mut m.kind {
                    (c.high, c.low) = (c.close + Decimal::ONE, c.close - Decimal::ONE);
                }
            }
        }
        events
    }

    fn market(events: &[EngineEvent], k: usize) -> MarketEvent {
        match &events[k] {
            EngineEvent::Market(StreamEvent::Item(m)) => m.clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn coasting_takes_a_bar_into_the_channels_only_when_it_breaks_neither() {
        let events = candles(&["10", "12", "11", "13", "9"]);
        let market = |k: usize| market(&events, k);
        let mut s = DonchianBreakout::new(2, 2, Sizing::FixedQuantity(d("1")), false);
        // No channels before the instrument's first event: that one is `on_market_event`'s.
        assert!(!s.coast(&market(0)));
        s.lanes = vec![Some(Lane::Own { entry: Highest::new(2), exit: Lowest::new(2) })];
        let channel = |s: &DonchianBreakout| match &s.lanes[0] {
            Some(Lane::Own { entry, exit }) => (entry.value(), exit.value()),
            _ => unreachable!(),
        };
        // Warming up (no channel yet), then 11 inside [10, 12]: each joins the channels.
        assert!(s.coast(&market(0)) && s.coast(&market(1)));
        assert_eq!(channel(&s), (Some(d("12")), Some(d("10"))));
        assert!(s.coast(&market(2)));
        assert_eq!(channel(&s), (Some(d("12")), Some(d("11"))));
        // 13 above the highest high of the last two: left whole, the channels as they were
        // (asked twice, the same answer).
        assert!(!s.coast(&market(3)) && !s.coast(&market(3)));
        assert_eq!(channel(&s), (Some(d("12")), Some(d("11"))));
        // 9 below the lowest low: the same.
        assert!(!s.coast(&market(4)));
        assert_eq!(channel(&s), (Some(d("12")), Some(d("11"))));
        // A close at the highest high does not break out (strictly above, as `on_market_event`).
        let at_high = candles(&["12"]);
        let EngineEvent::Market(StreamEvent::Item(m)) = &at_high[0] else { unreachable!() };
        assert!(s.coast(m));
        assert_eq!(channel(&s), (Some(d("12")), Some(d("11"))));
    }

    #[test]
    fn shared_breakouts_are_the_channels_and_coast_between_them() {
        // Closes 10, 12, 11, 13, 9; highs one above (11, 13, 12, 14, 10), lows one below (9, 11,
        // 10, 12, 8). Above the highest high of the one bar before: 12 > 11 and 13 > 12. Below
        // the lowest low of the two before: 9 < min(10, 12); 11 and 13 are not.
        let events = bars(&["10", "12", "11", "13", "9"]);
        let shared = Rc::new(SharedAverages::new(1, SampleKind::Bars, &events).unwrap());
        let up = shared.series::<BreaksAbove>(0, 1).unwrap();
        let down = shared.series::<BreaksBelow>(0, 2).unwrap();
        assert_eq!(*up, [false, true, false, true, false]);
        assert_eq!(*down, [false, false, false, false, true]);
        assert!(Rc::ptr_eq(&up, &shared.series::<BreaksAbove>(0, 1).unwrap()), "computed once");
        // Marks are not bars, nor bars marks: each kind's series come from its own samples.
        let marks = SharedAverages::new(1, SampleKind::Marks, &events).unwrap();
        assert!(marks.series::<BreaksAbove>(0, 1).is_none());
        assert!(shared.series::<crate::indicator::Sma<Decimal>>(0, 1).is_none());
        let mut s = DonchianBreakout::new(1, 2, Sizing::FixedQuantity(d("1")), false).sharing(Some(shared));
        s.lanes = vec![Some(Lane::Shared { above: up.clone(), below: down.clone(), next: 0 })];
        let next = |s: &DonchianBreakout| match &s.lanes[0] {
            Some(Lane::Shared { next, .. }) => *next,
            _ => unreachable!(),
        };
        let market = |k: usize| market(&events, k);
        // The first bar breaks nothing; the second breaks out above: left to `on_market_event`,
        // the index where it was (asked twice, the same answer).
        assert!(s.coast(&market(0)));
        assert!(!s.coast(&market(1)) && !s.coast(&market(1)));
        assert_eq!(next(&s), 1);
        // Once `on_market_event` took it, 11 coasts; 13 breaks out; 9 breaks below.
        s.lanes = vec![Some(Lane::Shared { above: up.clone(), below: down.clone(), next: 2 })];
        assert!(s.coast(&market(2)) && !s.coast(&market(3)));
        assert_eq!(next(&s), 3);
        s.lanes = vec![Some(Lane::Shared { above: up, below: down, next: 4 })];
        assert!(!s.coast(&market(4)));
        // An event that gives no bar (a one-sided quote) coasts and moves no index.
        let mut quote = market(0);
        quote.kind = DataKind::OrderBookL1(crate::event::OrderBookL1 {
            last_update_time: quote.time_exchange,
            best_bid: None,
            best_ask: None,
        });
        assert!(s.coast(&quote));
        assert_eq!(next(&s), 4);
    }
}
