//! Coasting: a run nobody observes tick by tick (a sweep's: no sink, no audit trail) takes the
//! market events on which nothing can happen the short way. Nothing can happen on an event when
//! no delivery waits, no simulated exchange holds an order or owes a response, and the strategy
//! takes the event without acting (`Strategy::coast`): the event then only moves the clocks, the
//! views of the market, the counters and the equity points, and those move here as `feed_event`
//! moves them, for the same report to the byte (`tests/sweep_shared.rs` holds every sweep run to
//! the report of the same backtest run alone).

use super::{with_event_index, BacktestReport, Checked, Simulation};
use crate::engine::AuditTick;
use crate::error::EngineError;
use crate::event::{EngineEvent, StreamEvent};
use crate::time::Timestamp;

/// How many events past a run's position `coast_through` checks at a time (`Checked::Values`).
const PLACED_AHEAD: usize = 4096;

impl Simulation {
    /// Takes the leading events of `all[at..]` on which nothing can happen (see the module's doc);
    /// how many, none when it cannot tell (`feed_event` then takes the first). Whole stretches
    /// when each equity point needs only its time (`SummaryCollector::counts_times_only`) and the
    /// events passed every check in an earlier run, or their values did and the rest of the
    /// checks pass here (`Engine::placed_prefix`): the views of the market then take only the
    /// stretch's writers (`MarketStretch`). Otherwise one event at most, checked first.
    fn coast_through(&mut self, all: &[EngineEvent], at: usize) -> usize {
        let events = all.get(at..).unwrap_or_default();
        let Some(first @ EngineEvent::Market(StreamEvent::Item(e))) = events.first() else { return 0 };
        if !self.started
            || self.audit.is_some()
            || !self.scheduler.is_empty()
            || !self.exchanges.iter().flatten().all(|x| x.is_idle())
        {
            return 0;
        }
        let times_only = self.collector.counts_times_only();
        let events = match self.checked {
            Checked::Everything if times_only => events,
            Checked::Values if times_only => {
                // Checked ahead once, not again for each stretch (a run is many stretches); in
                // slices, so that a run of book updates (each checked as it is fed) does not
                // check the rest of the events after each.
                if self.placed_to <= at {
                    let ahead = events.get(..PLACED_AHEAD).unwrap_or(events);
                    self.placed_to = at + self.engine.placed_prefix(ahead);
                }
                &events[..self.placed_to - at]
            }
            _ if self.check(first).is_ok() => &events[..1],
            _ => return 0,
        };
        let before = self.engine.state().time;
        let taken = self.engine.coast_through(events, &mut self.stretch);
        let events = &events[..taken];
        for m in self.stretch.writers(events) {
            let x = super::instrument_exchange(&self.engine, m).0;
            if let Some(ex) = self.exchanges.get_mut(x).and_then(Option::as_mut) {
                ex.on_market(m);
            }
        }
        self.stats.market_events += taken as u64;
        if times_only {
            self.collector.observe_market_times(events, before);
        } else if taken > 0 {
            let state = self.engine.state();
            self.collector.observe_market(state.time, e, state);
        }
        taken
    }
}

/// `run_in` for a run nobody observes tick by tick: what can coast does.
pub(super) fn run_unobserved(
    mut sim: Simulation,
    start: Timestamp,
    events: &[EngineEvent],
) -> Result<BacktestReport, EngineError> {
    let sink = &mut |_: &AuditTick| {};
    let mut n = 0;
    while let Some(event) = events.get(n) {
        let taken = sim.coast_through(events, n);
        if taken == 0 {
            sim.feed_event(event, sink).map_err(|e| with_event_index(e, n))?;
        }
        n += taken.max(1);
    }
    sim.finish(start, sink)
}
