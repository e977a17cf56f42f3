//! Strategies: the trait (barter's hooks), the context they act through, and the built-ins.
//! Hooks are called whatever the trading state, so indicators keep up; orders a hook asks for
//! while trading is disabled are dropped by the engine.

mod buy_and_hold;
mod config;
mod donchian;
pub mod host;
pub mod indicator;
mod ma_cross;
mod market_maker;
mod rsi_reversion;
pub mod shared;
mod sizing;

pub use buy_and_hold::BuyAndHold;
pub use config::StrategyConfig;
pub use donchian::DonchianBreakout;
pub use ma_cross::{EmaCross, MaCross, SmaCross};
pub use market_maker::MarketMaker;
pub use rsi_reversion::RsiReversion;
pub use sizing::{floor_to as sizing_floor, quantity_for, Sizing};

use crate::event::{AccountEvent, DataKind, EngineEvent, InstrumentFilter, MarketEvent, StreamEvent};
use crate::instrument::{ExchangeId, InstrumentIndex, Instruments};
use crate::order::{
    ActiveOrderState, Bracket, ClientOrderId, FillSizing, OrderKind, Side, TimeInForce, Trigger,
};
use crate::state::{EngineState, QuoteValuations};
use rust_decimal::Decimal;

/// Fee rates of an exchange (fractions of notional).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct FeeRates {
    /// Resting (maker) fills.
    pub maker: Decimal,
    /// Taking (taker) fills.
    pub taker: Decimal,
}

/// An order a strategy asks for; the engine adds the key (exchange, strategy id, client id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderIntent {
    /// Open an order.
    Open {
        /// Instrument.
        instrument: InstrumentIndex,
        /// Side.
        side: Side,
        /// Market or limit.
        kind: OrderKind,
        /// Limit price (reference price for market orders).
        price: Decimal,
        /// Quantity.
        quantity: Decimal,
        /// Time in force.
        time_in_force: TimeInForce,
        /// Size at fill time instead (market buys).
        sizing: Option<FillSizing>,
        /// Stop trigger (stop-market, stop-limit, trailing stop).
        trigger: Option<Trigger>,
        /// Exits to place once it fills.
        bracket: Option<Bracket>,
    },
    /// Cancel an order of ours.
    Cancel {
        /// Instrument.
        instrument: InstrumentIndex,
        /// Its client id.
        cid: ClientOrderId,
    },
}

/// Exits a built-in strategy attaches to each long entry, in percent of the entry's reference
/// price (the mark when the signal came: the bar's close). backtesting.py's
/// `buy(sl=close * (1 - p / 100), tp=close * (1 + q / 100))`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ExitPercents {
    stop_loss: Option<Decimal>,
    take_profit: Option<Decimal>,
    trailing_stop: Option<Decimal>,
    /// `1 - stop_loss / 100` and `1 + take_profit / 100`, worked out once: a decimal division
    /// per entry was a twentieth of what a bracket on every entry adds to a run.
    factors: (Option<Decimal>, Option<Decimal>),
}

impl ExitPercents {
    /// Stop-loss and trailing stop in percent below the reference (the trailing one's from the
    /// best close since the entry), take-profit in percent above it; `validate` checks them.
    pub fn new(
        stop_loss: Option<Decimal>,
        take_profit: Option<Decimal>,
        trailing_stop: Option<Decimal>,
    ) -> Self {
        let pct = |p: Decimal| p.checked_div(Decimal::ONE_HUNDRED);
        let factors = (
            stop_loss.and_then(pct).and_then(|p| Decimal::ONE.checked_sub(p)),
            take_profit.and_then(pct).and_then(|p| Decimal::ONE.checked_add(p)),
        );
        ExitPercents { stop_loss, take_profit, trailing_stop, factors }
    }

    /// Stop-loss, percent below the reference.
    pub fn stop_loss(&self) -> Option<Decimal> {
        self.stop_loss
    }

    /// Take-profit, percent above the reference.
    pub fn take_profit(&self) -> Option<Decimal> {
        self.take_profit
    }

    /// Trailing stop, percent below the best close since the entry.
    pub fn trailing_stop(&self) -> Option<Decimal> {
        self.trailing_stop
    }

    /// The bracket for an entry at `price`; none without exits.
    pub fn bracket(&self, price: Decimal) -> Option<Bracket> {
        if self.stop_loss.is_none() && self.take_profit.is_none() && self.trailing_stop.is_none() {
            return None;
        }
        Some(Bracket {
            stop_loss: self.factors.0.map(|f| price * f),
            take_profit: self.factors.1.map(|f| price * f),
            trailing_stop: self.trailing_stop.map(crate::order::Trailing::Percent),
        })
    }

    /// Checks the percents (paths `strategy.stop_loss`, ...).
    pub fn validate(&self) -> Result<(), crate::error::EngineError> {
        let hundred = Decimal::ONE_HUNDRED;
        for (v, name, below_100) in [
            (self.stop_loss, "stop_loss", true),
            (self.take_profit, "take_profit", false),
            (self.trailing_stop, "trailing_stop", true),
        ] {
            let Some(v) = v else { continue };
            let max = if below_100 { hundred } else { Decimal::from(1_000_000) };
            if v <= Decimal::ZERO || v >= max {
                return Err(crate::error::EngineError::config(
                    format!("strategy.{name}"),
                    format!("a percent in (0, {max}), got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// What a strategy sees and acts through.
pub struct StrategyContext<'a> {
    /// Engine state after the event was applied.
    pub state: &'a EngineState,
    /// Instruments.
    pub instruments: &'a Instruments,
    /// Fee rates by exchange index.
    pub fees: &'a [FeeRates],
    pub(crate) quote_values: &'a QuoteValuations,
    pub(crate) intents: &'a mut Vec<OrderIntent>,
}

/// Where a signal strategy wants an instrument's position to be.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Long by the sizing.
    Long,
    /// No position.
    Flat,
    /// Short by the sizing (derivatives only: spot cannot be shorted).
    Short,
}

impl StrategyContext<'_> {
    /// Asks for an order.
    pub fn submit(&mut self, intent: OrderIntent) {
        self.intents.push(intent);
    }

    /// Asks for a market order at the current mark (the mark is the reference price).
    pub fn market_order(&mut self, instrument: InstrumentIndex, side: Side, quantity: Decimal) {
        let price = self.mark(instrument).unwrap_or_default();
        self.submit(OrderIntent::Open {
            instrument,
            side,
            kind: OrderKind::Market,
            price,
            quantity,
            time_in_force: TimeInForce::ImmediateOrCancel,
            sizing: None,
            trigger: None,
            bracket: None,
        });
    }

    /// Asks to cancel one of our orders.
    pub fn cancel(&mut self, instrument: InstrumentIndex, cid: ClientOrderId) {
        self.submit(OrderIntent::Cancel { instrument, cid });
    }

    /// The mark price of an instrument.
    pub fn mark(&self, instrument: InstrumentIndex) -> Option<Decimal> {
        self.state.instruments[instrument.0].market.mark()
    }

    /// Signed position (long positive).
    pub fn position(&self, instrument: InstrumentIndex) -> Decimal {
        self.state.instruments[instrument.0].position_quantity()
    }

    /// True when the instrument has live orders (in flight, open, or being cancelled), not
    /// counting the exits the exchange holds for a bracketed entry (they wait for the position).
    pub fn has_live_orders(&self, instrument: InstrumentIndex) -> bool {
        let orders = &self.state.instruments[instrument.0].orders;
        !orders.is_empty() && orders.0.iter().any(|o| o.exit_of.is_none())
    }

    /// Portfolio value in `instrument`'s quote asset: `EngineState::equity` in that asset's name.
    pub fn quote_equity(&self, instrument: InstrumentIndex) -> Decimal {
        match self.quote_values.of(instrument) {
            Some(plan) => self.state.value(plan).0,
            None => Decimal::ZERO,
        }
    }

    /// Fee rates of the exchange `instrument` trades on.
    pub fn fee_rates(&self, instrument: InstrumentIndex) -> FeeRates {
        let ex = self.instruments.instruments()[instrument.0].exchange;
        self.fees.get(ex.0).copied().unwrap_or_default()
    }

    /// Moves an instrument's position toward `target` with market orders. Does nothing while the
    /// instrument has live orders, so a signal is acted on once.
    pub fn move_to(&mut self, instrument: InstrumentIndex, target: Target, sizing: &Sizing) {
        self.move_to_with(instrument, target, sizing, &ExitPercents::default());
    }

    /// `move_to`, attaching `exits` to a long entry (a bracket priced from the current mark).
    pub fn move_to_with(
        &mut self,
        instrument: InstrumentIndex,
        target: Target,
        sizing: &Sizing,
        exits: &ExitPercents,
    ) {
        if self.has_live_orders(instrument) {
            return;
        }
        let Some(price) = self.mark(instrument) else { return };
        let current = self.position(instrument);
        let spot = self.instruments.instruments()[instrument.0].kind.is_spot();
        let target = if target == Target::Short && spot { Target::Flat } else { target };
        match target {
            Target::Long if current <= Decimal::ZERO => {
                let close = -current;
                if close > Decimal::ZERO {
                    self.market_order(instrument, Side::Buy, close);
                    return; // enter on the next signal once flat, sized from the new equity
                }
                if let Some((qty, fill_sizing)) = sizing.entry(self, instrument, price) {
                    self.submit(OrderIntent::Open {
                        instrument,
                        side: Side::Buy,
                        kind: OrderKind::Market,
                        price,
                        quantity: qty,
                        time_in_force: TimeInForce::ImmediateOrCancel,
                        sizing: fill_sizing,
                        trigger: None,
                        bracket: exits.bracket(price),
                    });
                }
            }
            Target::Short if current >= Decimal::ZERO => {
                if current > Decimal::ZERO {
                    self.market_order(instrument, Side::Sell, current);
                    return;
                }
                if let Some((qty, _)) = sizing.entry(self, instrument, price) {
                    self.market_order(instrument, Side::Sell, qty);
                }
            }
            Target::Flat if !current.is_zero() => {
                let side = if current > Decimal::ZERO { Side::Sell } else { Side::Buy };
                self.market_order(instrument, side, current.abs());
            }
            _ => {}
        }
    }
}

/// A trading strategy: barter's hooks. All have defaults, so a strategy implements what it needs.
pub trait Strategy {
    /// Strategy id used in order keys.
    fn id(&self) -> &str;

    /// After a market event was applied to the state.
    fn on_market_event(&mut self, _ctx: &mut StrategyContext<'_>, _event: &MarketEvent) {}

    /// After an account event was applied to the state.
    fn on_account_event(&mut self, _ctx: &mut StrategyContext<'_>, _event: &AccountEvent) {}

    /// On a `ClosePositions` command (bypasses risk and the trading state).
    fn close_positions(&mut self, ctx: &mut StrategyContext<'_>, filter: &InstrumentFilter) {
        close_positions_with_market_orders(ctx, filter);
    }

    /// When a market or account stream of an exchange disconnects.
    fn on_disconnect(&mut self, _ctx: &mut StrategyContext<'_>, _exchange: ExchangeId) {}

    /// When trading turns from enabled to disabled.
    fn on_trading_disabled(&mut self, _ctx: &mut StrategyContext<'_>) {}

    /// Takes a market event, not yet applied, on which this strategy can tell from the event and
    /// its own state alone that `on_market_event` would ask for nothing: moves its own state on
    /// as that call would and returns true. Otherwise returns false, having changed nothing, and
    /// the engine makes the call. A backtest nobody observes tick by tick, with nothing in
    /// flight, then spares the event the engine's per-event work (`Engine::coast_through`). The
    /// default never coasts.
    fn coast(&mut self, _event: &MarketEvent) -> bool {
        false
    }

    /// `coast` over the leading events of `events` while it takes them (market items only);
    /// how many it took.
    fn coast_through(&mut self, events: &[EngineEvent]) -> usize {
        events
            .iter()
            .take_while(|e| matches!(e, EngineEvent::Market(StreamEvent::Item(m)) if self.coast(m)))
            .count()
    }
}

/// barter's default close: one market IOC order per filtered instrument with a position and a
/// price, on the opposite side, for the whole size. No cancels.
pub fn close_positions_with_market_orders(ctx: &mut StrategyContext<'_>, filter: &InstrumentFilter) {
    for (i, inst) in ctx.instruments.instruments().iter().enumerate() {
        let index = InstrumentIndex(i);
        if !filter.matches(index, inst) {
            continue;
        }
        let Some(p) = ctx.state.instruments[i].position.as_ref() else { continue };
        if ctx.mark(index).is_none() {
            continue;
        }
        let (side, qty) = (p.side.opposite(), p.quantity_abs);
        ctx.market_order(index, side, qty);
    }
}

/// A strategy that never trades (barter's `DefaultStrategy`).
#[derive(Debug, Default, Clone)]
pub struct NoStrategy;

impl Strategy for NoStrategy {
    fn id(&self) -> &str {
        "default"
    }

    fn coast(&mut self, _event: &MarketEvent) -> bool {
        true
    }
}

/// The price a signal strategy samples from an event: trade price, bar close, or L1 mid (the
/// mark the engine just set from it, so the mid is not computed twice).
pub fn sample_price(ctx: &StrategyContext<'_>, event: &MarketEvent) -> Option<Decimal> {
    sample_of(&ctx.state.instruments[event.instrument.0].market, event)
}

/// Whether `event` gives a sample (`sample_price` is Some), without computing its price.
#[inline]
pub fn is_sample(ctx: &StrategyContext<'_>, event: &MarketEvent) -> bool {
    is_sample_of(&ctx.state.instruments[event.instrument.0].market, event)
}

/// `is_sample` from the instrument's market state after `event` (`sample_of` is Some).
#[inline]
pub fn is_sample_of(market: &crate::state::MarketState, event: &MarketEvent) -> bool {
    gives_sample(&event.kind) && market.has_mark()
}

/// Whether an event of this kind is sampled (then at the mark it set): trades, bars and
/// two-sided quotes. Each of them sets a mark, so this is `is_sample` of the event from the event
/// alone (what `Strategy::coast` has before the event is applied).
#[inline]
pub fn gives_sample(kind: &DataKind) -> bool {
    match kind {
        DataKind::Trade(_) | DataKind::Candle(_) => true,
        DataKind::OrderBookL1(l1) => l1.best_bid.is_some() && l1.best_ask.is_some(),
        _ => false,
    }
}

/// The high, low and close `event` gives a channel strategy (`DonchianBreakout`): a bar's, a
/// trade's price or a two-sided quote's mid as all three; None for other events.
#[inline]
pub fn bar_of(event: &MarketEvent) -> Option<shared::Bar> {
    match &event.kind {
        DataKind::Candle(c) => Some((c.high, c.low, c.close)),
        DataKind::Trade(t) => Some((t.price, t.price, t.price)),
        DataKind::OrderBookL1(l1) => l1.mid_price().map(|m| (m, m, m)),
        _ => None,
    }
}

/// `sample_price` from the instrument's market state after `event`.
#[inline]
pub fn sample_of(market: &crate::state::MarketState, event: &MarketEvent) -> Option<Decimal> {
    if gives_sample(&event.kind) {
        market.mark()
    } else {
        None
    }
}

/// True when a live order of ours is in flight (sent, or cancel sent), so we wait.
pub fn any_in_flight(state: &EngineState, instrument: InstrumentIndex) -> bool {
    state.instruments[instrument.0]
        .orders
        .0
        .iter()
        .any(|o| matches!(o.state, ActiveOrderState::OpenInFlight | ActiveOrderState::CancelInFlight { .. }))
}

#[cfg(test)]
mod tests {
    use super::ExitPercents;
    use crate::test_util::d;

    #[test]
    fn is_sample_is_sample_of_some() {
        use crate::event::{Candle, DataKind, Level, Liquidation, MarketEvent, OrderBookL1, PublicTrade};
        use crate::order::Side;
        use crate::time::Timestamp;
        let level = |p: &str| Some(Level { price: d(p), amount: d("1") });
        let l1 = |bid, ask| {
            DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: Timestamp(0),
                best_bid: bid,
                best_ask: ask,
            })
        };
        let kinds = [
            l1(level("9"), None),
            l1(None, None),
            DataKind::Liquidation(Liquidation {
                side: Side::Buy,
                price: d("5"),
                quantity: d("1"),
                time: Timestamp(0),
            }),
            l1(level("9"), level("11")),
            l1(None, level("11")),
            DataKind::Trade(PublicTrade {
                id: String::new(),
                price: d("10"),
                amount: d("1"),
                side: Side::Sell,
            }),
            l1(level("9"), None),
            DataKind::Candle(Candle {
                close_time: Timestamp(0),
                open: d("1"),
                high: d("2"),
                low: d("1"),
                close: d("2"),
                volume: d("1"),
                trade_count: 0,
            }),
            DataKind::Liquidation(Liquidation {
                side: Side::Sell,
                price: d("5"),
                quantity: d("1"),
                time: Timestamp(0),
            }),
        ];
        // In every order from a fresh state: each event's answer from the state it leaves.
        let mut seen = [0, 0];
        for start in 0..kinds.len() {
            let mut market = crate::state::MarketState::default();
            for kind in kinds.iter().cycle().skip(start).take(kinds.len()) {
                let e = MarketEvent {
                    time_exchange: Timestamp(0),
                    time_received: Timestamp(0),
                    exchange: crate::instrument::ExchangeId::parse("simulated").unwrap(),
                    instrument: crate::instrument::InstrumentIndex(0),
                    kind: kind.clone(),
                };
                market.apply(&e);
                let sample = super::sample_of(&market, &e).is_some();
                assert_eq!(super::is_sample_of(&market, &e), sample, "{kind:?} after {start}");
                assert_eq!(super::gives_sample(&e.kind), sample, "{kind:?} after {start}");
                assert_eq!(market.has_mark(), market.mark().is_some());
                seen[usize::from(sample)] += 1;
            }
        }
        assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
    }

    #[test]
    fn a_bracket_is_priced_from_the_reference_as_backtesting_py_does() {
        // S&P 500's first close, SL 5 %, TP 10 %: 1228.099976 × 0.95 and × 1.10, by hand. The
        // text keeps the product's scale (6 + 2 decimals), as it did when the factor was worked
        // out per entry.
        let exits = ExitPercents::new(Some(d("5")), Some(d("10")), Some(d("2.5")));
        let b = exits.bracket(d("1228.099976")).unwrap();
        assert_eq!(b.stop_loss.unwrap().to_string(), "1166.69497720");
        assert_eq!(b.take_profit.unwrap().to_string(), "1350.90997360");
        assert_eq!(b.trailing_stop, Some(crate::order::Trailing::Percent(d("2.5"))));
        // One side only, and none at all.
        let b = ExitPercents::new(None, Some(d("0.5")), None).bracket(d("200")).unwrap();
        assert_eq!((b.stop_loss, b.take_profit), (None, Some(d("201"))));
        assert!(ExitPercents::default().bracket(d("200")).is_none());
        assert_eq!(exits.stop_loss(), Some(d("5")));
    }
}
