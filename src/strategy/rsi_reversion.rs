//! RSI mean reversion: long when RSI falls below `oversold`, out (or short, on derivatives with
//! `allow_short`) when it rises above `overbought`.

use super::{sample_price, Sizing, Strategy, StrategyContext, Target};
use crate::event::MarketEvent;
use rust_decimal::Decimal;

type Rsi = crate::indicator::Rsi<Decimal>;

/// RSI mean reversion.
#[derive(Clone, Debug)]
pub struct RsiReversion {
    period: usize,
    oversold: Decimal,
    overbought: Decimal,
    sizing: Sizing,
    exits: super::ExitPercents,
    allow_short: bool,
    rsi: Vec<Option<Rsi>>,
}

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
            rsi: Vec::new(),
        }
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
        let Some(price) = sample_price(ctx, event) else { return };
        let i = event.instrument.0;
        if self.rsi.len() <= i {
            self.rsi.resize(i + 1, None);
        }
        let period = self.period;
        let rsi = self.rsi[i].get_or_insert_with(|| Rsi::new(period));
        rsi.push(price);
        let Some(v) = rsi.value() else { return };
        let position = ctx.position(event.instrument);
        if v < self.oversold && position <= Decimal::ZERO {
            ctx.move_to_with(event.instrument, Target::Long, &self.sizing, &self.exits);
        } else if v > self.overbought && position >= Decimal::ZERO {
            let target = if self.allow_short { Target::Short } else { Target::Flat };
            ctx.move_to_with(event.instrument, target, &self.sizing, &self.exits);
        }
    }
}
