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
        let (high, low, close): (Decimal, Decimal, Decimal) = match &event.kind {
            DataKind::Candle(c) => (c.high, c.low, c.close),
            DataKind::Trade(t) => (t.price, t.price, t.price),
            DataKind::OrderBookL1(l1) => match l1.mid_price() {
                Some(m) => (m, m, m),
                None => return,
            },
            _ => return,
        };
        let i = event.instrument.0;
        if self.channels.len() <= i {
            self.channels.resize(i + 1, None);
        }
        let (n_in, n_out) = (self.entry_period, self.exit_period);
        let ch = self.channels[i]
            .get_or_insert_with(|| Channels { entry: Extremes::new(n_in), exit: Extremes::new(n_out) });
        let upper = ch.entry.value().map(|v| v.0);
        let lower = ch.exit.value().map(|v| v.1);
        ch.entry.push(high, low);
        ch.exit.push(high, low);
        let position = ctx.position(event.instrument);
        if upper.is_some_and(|u| close > u) && position <= Decimal::ZERO {
            ctx.move_to_with(event.instrument, Target::Long, &self.sizing, &self.exits);
        } else if lower.is_some_and(|l| close < l) && position >= Decimal::ZERO {
            let target = if self.allow_short { Target::Short } else { Target::Flat };
            ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
        }
    }
}
