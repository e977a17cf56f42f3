//! Donchian breakout: long when a bar closes above the highest high of the previous
//! `entry_period` bars; out when it closes below the lowest low of the previous `exit_period` bars.

use super::{Sizing, Strategy, StrategyContext, Target};
use crate::event::{DataKind, MarketEvent};
use rust_decimal::Decimal;

type Extremes = crate::indicator::Extremes<Decimal>;

#[derive(Clone, Debug)]
struct Channels {
    entry: Extremes,
    exit: Extremes,
}

impl Channels {
    /// Whether `close` breaks out (above the entry channel's highest high, below the exit
    /// channel's lowest low), read before the bar joins them.
    fn breaks(&self, close: Decimal) -> (bool, bool) {
        let upper = self.entry.value().map(|v| v.0);
        let lower = self.exit.value().map(|v| v.1);
        (
            upper.is_some_and(|u| crate::decimal::gt(&close, &u)),
            lower.is_some_and(|l| crate::decimal::lt(&close, &l)),
        )
    }

    fn push(&mut self, high: Decimal, low: Decimal) {
        self.entry.push(high, low);
        self.exit.push(high, low);
    }
}

/// The high, low and close an event gives the channels: a bar's, a trade's price or a two-sided
/// quote's mid as all three; None for other events (the strategy ignores them).
fn prices(event: &MarketEvent) -> Option<(Decimal, Decimal, Decimal)> {
    match &event.kind {
        DataKind::Candle(c) => Some((c.high, c.low, c.close)),
        DataKind::Trade(t) => Some((t.price, t.price, t.price)),
        DataKind::OrderBookL1(l1) => l1.mid_price().map(|m| (m, m, m)),
        _ => None,
    }
}

/// Donchian channel breakout.
#[derive(Clone, Debug)]
pub struct DonchianBreakout {
    entry_period: usize,
    exit_period: usize,
    sizing: Sizing,
    exits: super::ExitPercents,
    allow_short: bool,
    channels: Vec<Option<Channels>>,
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
            channels: Vec::new(),
        }
    }

    /// The same strategy attaching these exits to each entry.
    pub fn with_exits(mut self, exits: super::ExitPercents) -> Self {
        self.exits = exits;
        self
    }
}

impl Strategy for DonchianBreakout {
    fn id(&self) -> &str {
        "donchian_breakout"
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        let Some((high, low, close)) = prices(event) else { return };
        let i = event.instrument.0;
        if self.channels.len() <= i {
            self.channels.resize(i + 1, None);
        }
        let (n_in, n_out) = (self.entry_period, self.exit_period);
        let ch = self.channels[i]
            .get_or_insert_with(|| Channels { entry: Extremes::new(n_in), exit: Extremes::new(n_out) });
        let (above, below) = ch.breaks(close);
        ch.push(high, low);
        let position = ctx.position(event.instrument);
        if above && position <= Decimal::ZERO {
            ctx.move_to_with(event.instrument, Target::Long, &self.sizing, &self.exits);
        } else if below && position >= Decimal::ZERO {
            let target = if self.allow_short { Target::Short } else { Target::Flat };
            ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
        }
    }

    /// Coasts on an event that breaks neither channel, whatever the position: the channels are
    /// read before the bar joins them, so the bar joins them here only once that is known, and
    /// an event that breaks out is left whole for `on_market_event` (nothing needs undoing).
    #[inline(always)]
    fn coast(&mut self, event: &MarketEvent) -> bool {
        let Some((high, low, close)) = prices(event) else { return true };
        // Channels are made by the first event of their instrument, in `on_market_event`.
        let Some(Some(ch)) = self.channels.get_mut(event.instrument.0) else { return false };
        if ch.breaks(close) != (false, false) {
            return false;
        }
        ch.push(high, low);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EngineEvent, StreamEvent};
    use crate::test_util::{candles, d};

    #[test]
    fn coasting_takes_a_bar_into_the_channels_only_when_it_breaks_neither() {
        let events = candles(&["10", "12", "11", "13", "9"]);
        let market = |k: usize| match &events[k] {
            EngineEvent::Market(StreamEvent::Item(m)) => m.clone(),
            _ => unreachable!(),
        };
        let mut s = DonchianBreakout::new(2, 2, Sizing::FixedQuantity(d("1")), false);
        // No channels before the instrument's first event: that one is `on_market_event`'s.
        assert!(!s.coast(&market(0)));
        s.channels = vec![Some(Channels { entry: Extremes::new(2), exit: Extremes::new(2) })];
        let channel = |s: &DonchianBreakout| s.channels[0].as_ref().unwrap().entry.value();
        // Warming up (no channel yet), then 11 inside [10, 12]: each joins the channels.
        assert!(s.coast(&market(0)) && s.coast(&market(1)));
        assert_eq!(channel(&s), Some((d("12"), d("10"))));
        assert!(s.coast(&market(2)));
        assert_eq!(channel(&s), Some((d("12"), d("11"))));
        // 13 above the highest high of the last two: left whole, the channels as they were
        // (asked twice, the same answer).
        assert!(!s.coast(&market(3)) && !s.coast(&market(3)));
        assert_eq!(channel(&s), Some((d("12"), d("11"))));
        // 9 below the lowest low: the same.
        assert!(!s.coast(&market(4)));
        assert_eq!(channel(&s), Some((d("12"), d("11"))));
        // A close at the highest high does not break out (strictly above, as `on_market_event`).
        let at_high = candles(&["12"]);
        let EngineEvent::Market(StreamEvent::Item(m)) = &at_high[0] else { unreachable!() };
        assert!(s.coast(m));
        assert_eq!(channel(&s), Some((d("12"), d("11"))));
    }
}
