//! RSI mean reversion: long when RSI falls below `oversold`, out (or short, on derivatives with
//! `allow_short`) when it rises above `overbought`.

use super::shared::{SampleKind, Sampled, Samples, Series, SharedAverages};
use super::{gives_sample, is_sample, sample_price, Sizing, Strategy, StrategyContext, Target};
use crate::event::MarketEvent;
use rust_decimal::Decimal;
use std::rc::Rc;

type Rsi = crate::indicator::Rsi<Decimal>;

impl Sampled for Rsi {
    const OF: SampleKind = SampleKind::Marks;
    type Point = Decimal;
    type Series = Vec<Option<Decimal>>;
    fn series(n: usize, samples: &Samples<'_>) -> Vec<Option<Decimal>> {
        crate::indicator::batch(Rsi::new(n), samples.marks.iter().copied())
    }
}

/// One instrument's RSI: its own, or the series a sweep computed once and the next sample's
/// index in it.
#[derive(Clone, Debug)]
enum Lane {
    Own(Rsi),
    Shared { series: Series<Rsi>, next: usize },
}

/// RSI mean reversion.
#[derive(Clone, Debug)]
pub struct RsiReversion {
    period: usize,
    oversold: Decimal,
    overbought: Decimal,
    sizing: Sizing,
    exits: super::ExitPercents,
    allow_short: bool,
    lanes: Vec<Option<Lane>>,
    shared: Option<Rc<SharedAverages>>,
    /// RSI values strictly between these are between the thresholds by far more than an
    /// estimate's error (`Rsi::estimate`, within 1e-9): the thresholds 1e-6 inside.
    clear: (f64, f64),
}

/// How far inside the thresholds an estimated RSI must be to be taken as between them.
const CLEAR_MARGIN: f64 = 1e-6;

impl RsiReversion {
    /// With its parameters.
    pub fn new(
        period: usize,
        oversold: Decimal,
        overbought: Decimal,
        sizing: Sizing,
        allow_short: bool,
    ) -> Self {
        RsiReversion {
            period,
            oversold,
            overbought,
            sizing,
            exits: Default::default(),
            allow_short,
            lanes: Vec::new(),
            shared: None,
            clear: (
                crate::decimal::to_f64(&oversold) + CLEAR_MARGIN,
                crate::decimal::to_f64(&overbought) - CLEAR_MARGIN,
            ),
        }
    }

    /// The same strategy reading its RSI from `shared` (a sweep's), where it holds it.
    pub fn sharing(mut self, shared: Option<Rc<SharedAverages>>) -> Self {
        self.shared = shared;
        self
    }

    /// Whether RSI `v` is past a threshold (`on_market_event`'s two cases): it may move a
    /// position, so the event is not coasted through.
    fn signals(v: Decimal, oversold: Decimal, overbought: Decimal) -> bool {
        v < oversold || v > overbought
    }

    /// The same strategy attaching these exits to each entry.
    pub fn with_exits(mut self, exits: super::ExitPercents) -> Self {
        self.exits = exits;
        self
    }
}

impl Strategy for RsiReversion {
    fn id(&self) -> &str {
        "rsi_reversion"
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        let i = event.instrument.0;
        if self.lanes.len() <= i {
            self.lanes.resize(i + 1, None);
        }
        let (period, shared) = (self.period, &self.shared);
        let lane = self.lanes[i].get_or_insert_with(|| {
            match shared.as_ref().and_then(|s| s.series::<Rsi>(i, period)) {
                Some(series) => Lane::Shared { series, next: 0 },
                None => Lane::Own(Rsi::new(period)),
            }
        });
        let v = match lane {
            Lane::Own(rsi) => {
                let Some(price) = sample_price(ctx, event) else { return };
                rsi.push(price);
                // Far between the thresholds (most samples), nothing can move: knowing that
                // needs no exact value, whose two decimal divisions took 15 % of a run (the
                // S&P 500 in wasm: 4.85 → 4.1 ms).
                let (lo, hi) = self.clear;
                if rsi.estimate().is_some_and(|e| e > lo && e < hi) {
                    return;
                }
                rsi.value()
            }
            Lane::Shared { series, next } => {
                // The series has a point for each sample of this instrument, in order.
                if !is_sample(ctx, event) {
                    return;
                }
                let k = *next;
                *next += 1;
                series.get(k).copied().flatten()
            }
        };
        let Some(v) = v else { return };
        let position = ctx.position(event.instrument);
        if v < self.oversold && position <= Decimal::ZERO {
            ctx.move_to_with(event.instrument, Target::Long, &self.sizing, &self.exits);
        } else if v > self.overbought && position >= Decimal::ZERO {
            let target = if self.allow_short { Target::Short } else { Target::Flat };
            ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
        }
    }

    /// Coasts where the RSI is shared and the event's sample leaves it between the thresholds
    /// (or warming up): nothing can move then, whatever the position. A sample past a threshold
    /// is left for `on_market_event` (the series' index is not moved, so nothing needs undoing).
    #[inline(always)]
    fn coast(&mut self, event: &MarketEvent) -> bool {
        let (oversold, overbought) = (self.oversold, self.overbought);
        let Some(Some(Lane::Shared { series, next })) = self.lanes.get_mut(event.instrument.0) else {
            return false;
        };
        if !gives_sample(&event.kind) {
            return true;
        }
        if series.get(*next).copied().flatten().is_some_and(|v| Self::signals(v, oversold, overbought)) {
            return false;
        }
        *next += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EngineEvent, StreamEvent};
    use crate::test_util::{candles, d};

    #[test]
    fn a_shared_rsi_is_the_rsi_after_each_sample_and_coasts_between_the_thresholds() {
        let events = candles(&["1", "2", "3", "2", "1", "1"]);
        let shared = Rc::new(SharedAverages::new(1, SampleKind::Marks, &events).unwrap());
        // RSI(2) by hand (Wilder, seeded with simple averages): gains 1, 1 then losses 1, 1, then
        // no change: 100, then 0.5/0.5 → 50, then 0.25/0.75 → 25, then 0.125/0.375 → 25 (in
        // decimals, 100 − 100 / 1.33… is 25 to 27 places).
        let series = shared.series::<Rsi>(0, 2).unwrap();
        assert_eq!(series[..4], [None, None, Some(d("100")), Some(d("50"))]);
        for v in &series[4..] {
            assert!((v.unwrap() - d("25")).abs() < d("1e-26"), "{v:?}");
        }
        assert_eq!(series.len(), 6);
        let sizing = Sizing::FixedQuantity(d("1"));
        let mut s = RsiReversion::new(2, d("30"), d("70"), sizing, false).sharing(Some(shared));
        s.lanes = vec![Some(Lane::Shared { series, next: 0 })];
        let next = |s: &RsiReversion| match &s.lanes[0] {
            Some(Lane::Shared { next, .. }) => *next,
            _ => unreachable!(),
        };
        let market = |k: usize| match &events[k] {
            EngineEvent::Market(StreamEvent::Item(m)) => m.clone(),
            _ => unreachable!(),
        };
        // Warming up: nothing can move.
        assert!(s.coast(&market(0)) && s.coast(&market(1)));
        assert_eq!(next(&s), 2);
        // 100 is past overbought: left to `on_market_event`, the index where it was (again).
        assert!(!s.coast(&market(2)) && !s.coast(&market(2)));
        assert_eq!(next(&s), 2);
        // 50, between the thresholds, once the 100 was taken; then 25, past oversold.
        s.lanes = vec![Some(Lane::Shared { series: shared_series(&s), next: 3 })];
        assert!(s.coast(&market(3)));
        assert!(!s.coast(&market(4)));
        assert_eq!(next(&s), 4);
        // An RSI of its own never coasts: its sample would have to be taken back.
        let mut own = RsiReversion::new(2, d("30"), d("70"), Sizing::FixedQuantity(d("1")), false);
        own.lanes = vec![Some(Lane::Own(Rsi::new(2)))];
        assert!(!own.coast(&market(3)));
    }

    #[test]
    fn a_sweep_run_reads_the_shared_rsi_and_coasts_until_it_passes_a_threshold() {
        use crate::config::Config;
        use crate::engine::Engine;
        use crate::state::MarketStretch;
        // RSI(2) of 10, 11, 10, 11, 10: warming up twice, then 50, 75, 37.5 (by hand, as above).
        let config = Config::from_json_str(
            r#"{"cash": 10000, "strategy": {"type": "rsi_reversion", "period": 2, "oversold": 50, "overbought": 80}}"#,
        )
        .unwrap();
        let mut events = candles(&["10", "11", "10", "11", "10"]);
        for e in &mut events {
            if let EngineEvent::Market(StreamEvent::Item(m)) = e {
                m.exchange = config.instruments.instruments()[0].exchange_id;
            }
        }
        let shared = Rc::new(SharedAverages::new(1, SampleKind::Marks, &events).unwrap());
        let coasted = |sharing: Option<&Rc<SharedAverages>>| {
            let start = crate::backtest::first_time(&events);
            let strategy = config.strategy.build_sharing(sharing);
            let mut engine = Engine::from_config(&config, start).with_strategy(strategy);
            engine.process(events[0].clone()).unwrap();
            engine.coast_through(&events[1..], &mut MarketStretch::default())
        };
        // A warming sample, 50 (at oversold: not past it) and 75 coast; 37.5 stops the stretch.
        assert_eq!(coasted(Some(&shared)), 3);
        // A run of its own RSI never coasts.
        assert_eq!(coasted(None), 0);
    }

    fn shared_series(s: &RsiReversion) -> Series<Rsi> {
        match &s.lanes[0] {
            Some(Lane::Shared { series, .. }) => series.clone(),
            _ => unreachable!(),
        }
    }
}
