//! Buy once per instrument at the first price seen, then hold.

use super::{sample_price, Sizing, Strategy, StrategyContext, Target};
use crate::event::MarketEvent;

/// Buy-and-hold.
#[derive(Clone, Debug, Default)]
pub struct BuyAndHold {
    sizing: Sizing,
    exits: super::ExitPercents,
    bought: Vec<bool>,
}

impl BuyAndHold {
    /// With an entry size.
    pub fn new(sizing: Sizing) -> Self {
        BuyAndHold { sizing, exits: Default::default(), bought: Vec::new() }
    }

    /// The same strategy attaching these exits to each entry.
    pub fn with_exits(mut self, exits: super::ExitPercents) -> Self {
        self.exits = exits;
        self
    }
}

impl Strategy for BuyAndHold {
    fn id(&self) -> &str {
        "buy_and_hold"
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        let i = event.instrument.0;
        if self.bought.len() <= i {
            self.bought.resize(i + 1, false);
        }
        if self.bought[i] || sample_price(ctx, event).is_none() || !ctx.state.trading_enabled() {
            return;
        }
        self.bought[i] = true;
        ctx.move_to_with(event.instrument, Target::Long, &self.sizing, &self.exits);
    }
}
