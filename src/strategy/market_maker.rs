//! An L1 market maker: one post-only bid and one post-only ask around the mid, `spread_bps` apart,
//! kept within an inventory limit and re-quoted when the target moves more than `requote_bps`.

use super::{any_in_flight, OrderIntent, Strategy, StrategyContext};
use crate::event::{DataKind, MarketEvent};
use crate::order::{OrderKind, Side, TimeInForce};
use rust_decimal::{Decimal, RoundingStrategy};

/// Market maker parameters.
#[derive(Clone, Debug)]
pub struct MarketMaker {
    spread_bps: Decimal,
    quantity: Decimal,
    max_inventory: Decimal,
    requote_bps: Decimal,
}

impl MarketMaker {
    /// With its parameters; `requote_bps` defaults to a quarter of the spread.
    pub fn new(
        spread_bps: Decimal,
        quantity: Decimal,
        max_inventory: Decimal,
        requote_bps: Option<Decimal>,
    ) -> Self {
        let requote_bps = requote_bps.unwrap_or(spread_bps / Decimal::from(4));
        MarketMaker { spread_bps, quantity, max_inventory, requote_bps }
    }
}

/// Rounds to the tick; where `price / tick` does not fit (a tick of 10^-28), to the tick's decimal
/// places instead.
fn to_tick(price: Decimal, tick: Option<Decimal>, strategy: RoundingStrategy) -> Decimal {
    match tick {
        Some(t) if !t.is_zero() => price
            .checked_div(t)
            .and_then(|n| n.round_dp_with_strategy(0, strategy).checked_mul(t))
            .unwrap_or_else(|| price.round_dp_with_strategy(t.scale(), strategy)),
        _ => price.round_dp_with_strategy(8, strategy),
    }
}

impl Strategy for MarketMaker {
    fn id(&self) -> &str {
        "market_maker"
    }

    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, event: &MarketEvent) {
        if !matches!(event.kind, DataKind::OrderBookL1(_) | DataKind::OrderBook(_)) {
            return;
        }
        let index = event.instrument;
        if any_in_flight(ctx.state, index) {
            return;
        }
        let state = &ctx.state.instruments[index.0];
        let (Some(bid), Some(ask)) = (state.market.best_bid, state.market.best_ask) else { return };
        let inst = &ctx.instruments.instruments()[index.0];
        let tick = inst.spec.as_ref().map(|s| s.price.tick_size);
        let mid = (bid.price + ask.price) / Decimal::TWO;
        let half = mid * self.spread_bps / Decimal::from(20_000);
        let targets = [
            (Side::Buy, to_tick(mid - half, tick, RoundingStrategy::ToNegativeInfinity)),
            (Side::Sell, to_tick(mid + half, tick, RoundingStrategy::ToPositiveInfinity)),
        ];
        let inventory = state.position_quantity();
        let base_free = ctx.state.balance(inst.base_asset()).free;
        let quote_free = ctx.state.balance(inst.quote_asset()).free;
        let mut intents = Vec::new();
        for (side, target) in targets {
            let allowed = match side {
                Side::Buy => {
                    inventory + self.quantity <= self.max_inventory && quote_free >= target * self.quantity
                }
                Side::Sell => {
                    inventory - self.quantity >= -self.max_inventory
                        && (!inst.kind.is_spot() || base_free >= self.quantity)
                }
            };
            let existing = state.orders.0.iter().find(|o| o.side == side && &*o.key.strategy.0 == self.id());
            match existing {
                Some(o) => {
                    // A target rounded to zero cannot be divided by: treat it as drifted.
                    let drift = (o.price - target)
                        .abs()
                        .checked_div(target)
                        .and_then(|r| r.checked_mul(Decimal::from(10_000)))
                        .unwrap_or(Decimal::MAX);
                    if !allowed || drift > self.requote_bps {
                        intents.push(OrderIntent::Cancel { instrument: index, cid: o.key.cid.clone() });
                    }
                }
                None if allowed && target > Decimal::ZERO => intents.push(OrderIntent::Open {
                    instrument: index,
                    side,
                    kind: OrderKind::Limit,
                    price: target,
                    quantity: self.quantity,
                    time_in_force: TimeInForce::GoodUntilCancelled { post_only: true },
                    sizing: None,
                    trigger: None,
                    bracket: None,
                }),
                None => {}
            }
        }
        for i in intents {
            ctx.submit(i);
        }
    }
}
