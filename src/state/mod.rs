//! The engine's state: balances per exchange asset, one position per instrument, the account's
//! orders, market data, connectivity and trading state. It changes only through `apply_input`
//! (validated events) and `apply_output` (what the engine decided), which is also how an audit
//! replica rebuilds it.

mod connectivity;
mod market;
mod orders;
mod position;
mod stretch;
mod valuation;

pub use connectivity::{Connectivity, ExchangeHealth, Health, StreamKind};
pub use market::{MarkSource, MarketState};
pub use orders::{OrderList, Orders};
pub use position::{entry_average, realised, Position, PositionExited};
pub use stretch::MarketStretch;
pub use valuation::{QuoteValuations, Valuation};

use crate::error::EngineError;
/// Defined with the event that sets it (`EngineEvent::TradingStateUpdate`); state holds it.
pub use crate::event::TradingState;
use crate::event::{AccountEvent, AccountEventKind, Balance, EngineEvent, MarketEvent, StreamEvent, Trade};
use crate::instrument::{AssetIndex, InstrumentIndex, Instruments};
use crate::order::{OrderRequestCancel, OrderRequestOpen, Side};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The largest running total (fill totals, a position's PnL, fees and exit value) the engine
/// keeps: 10^28, under Decimal's 7.9·10^28, so adding one more bounded fill cannot overflow; a fill
/// that would pass it is refused (`INVALID_EVENT`) before anything is applied.
pub const MAX_TOTAL: Decimal = Decimal::from_parts(268_435_456, 1_042_612_833, 542_101_086, false, 0);

/// One asset's balance as last reported by its exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct AssetState {
    /// Balance, once reported.
    pub balance: Option<Balance>,
    /// When it was reported.
    pub time_exchange: Option<Timestamp>,
}

/// Running totals of fills per instrument (from account Trade events).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct FillStats {
    /// Number of fills.
    pub fills: u64,
    /// Base quantity bought.
    pub quantity_bought: Decimal,
    /// Base quantity sold.
    pub quantity_sold: Decimal,
    /// Quote paid for buys (before fees).
    pub quote_spent: Decimal,
    /// Quote received for sells (before fees).
    pub quote_received: Decimal,
    /// Fees paid, in quote.
    pub fees: Decimal,
    /// Realised PnL of closed positions (net of fees).
    pub pnl_realised_closed: Decimal,
    /// Number of closed positions.
    pub positions_closed: u64,
}

/// Everything the engine tracks for one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct InstrumentState {
    /// Market data.
    pub market: MarketState,
    /// Open position, if any.
    pub position: Option<Position>,
    /// Live orders.
    pub orders: Orders,
    /// Fill totals.
    pub stats: FillStats,
}

impl InstrumentState {
    /// Realised PnL: closed positions plus the realised part of the open one.
    pub fn pnl_realised(&self) -> Decimal {
        self.stats.pnl_realised_closed + self.position.as_ref().map_or(Decimal::ZERO, |p| p.pnl_realised)
    }

    /// Unrealised PnL of the open position at the last mark.
    pub fn pnl_unrealised(&self) -> Decimal {
        self.position.as_ref().map_or(Decimal::ZERO, Position::pnl_unrealised)
    }

    /// Signed position size (long positive).
    pub fn position_quantity(&self) -> Decimal {
        self.position.as_ref().map_or(Decimal::ZERO, Position::quantity_signed)
    }
}

/// The whole engine state. Serialisable: it is the audit snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EngineState {
    /// Engine clock at creation.
    pub time_start: Timestamp,
    /// Engine clock: the latest event time seen (never goes back).
    pub time: Timestamp,
    /// Time of the latest market event (the backwards check compares against it).
    pub time_market: Option<Timestamp>,
    /// Trading state.
    pub trading: TradingState,
    /// Connectivity.
    pub connectivity: Connectivity,
    /// Balances by asset index.
    pub assets: Vec<AssetState>,
    /// Per instrument, by index.
    pub instruments: Vec<InstrumentState>,
}

impl EngineState {
    /// A fresh state for these instruments.
    pub fn new(instruments: &Instruments, time_start: Timestamp, trading: TradingState) -> Self {
        EngineState {
            time_start,
            time: time_start,
            time_market: None,
            trading,
            connectivity: Connectivity::new(instruments.exchanges().len()),
            assets: vec![AssetState::default(); instruments.assets().len()],
            instruments: vec![InstrumentState::default(); instruments.instruments().len()],
        }
    }

    /// True when algorithmic trading is on.
    pub fn trading_enabled(&self) -> bool {
        self.trading == TradingState::Enabled
    }

    /// One instrument's state. Indices are validated on input, so this cannot fail for them.
    pub fn instrument(&self, i: InstrumentIndex) -> &InstrumentState {
        &self.instruments[i.0]
    }

    /// Balance of an asset (zero if never reported).
    pub fn balance(&self, a: AssetIndex) -> Balance {
        self.assets.get(a.0).and_then(|s| s.balance).unwrap_or_default()
    }

    /// Moves the clock forward to `t` (never back).
    pub fn advance_time(&mut self, t: Timestamp) {
        if t > self.time {
            self.time = t;
        }
    }

    /// Checks an event against the instruments and the clock without changing anything.
    pub fn validate(
        &self,
        event: &EngineEvent,
        instruments: &Instruments,
        tolerance_ns: i64,
    ) -> Result<(), EngineError> {
        match event {
            EngineEvent::Market(StreamEvent::Item(e)) => self.validate_market(e, instruments, tolerance_ns),
            other => self.validate_other(other, instruments, tolerance_ns),
        }
    }

    /// Everything but market items (the per-event case `validate` takes itself), out of line so
    /// that the per-event check stays small.
    #[inline(never)]
    fn validate_other(
        &self,
        event: &EngineEvent,
        instruments: &Instruments,
        tolerance_ns: i64,
    ) -> Result<(), EngineError> {
        match event {
            EngineEvent::Shutdown(_) | EngineEvent::TradingStateUpdate(_) => Ok(()),
            EngineEvent::Command(c) => {
                c.validate(instruments)?;
                self.validate_cids(c)
            }
            EngineEvent::Account(StreamEvent::Reconnecting(id))
            | EngineEvent::Market(StreamEvent::Reconnecting(id)) => {
                instruments.exchange_index(*id).map(|_| ()).ok_or_else(|| EngineError::UnknownExchange {
                    field: "Reconnecting".into(),
                    exchange: id.to_string(),
                })
            }
            EngineEvent::Account(StreamEvent::Item(e)) => {
                e.validate(instruments)?;
                match &e.kind {
                    AccountEventKind::Trade(t) => self.validate_totals(t),
                    _ => Ok(()),
                }
            }
            EngineEvent::Market(StreamEvent::Item(e)) => self.validate_market(e, instruments, tolerance_ns),
        }
    }

    /// Refuses a fill that would take a running total past what can be represented. Each fill is
    /// bounded (price and quantity ≤ 10^12, fee ≤ 10^16) but totals are not: about 79,000 fills of
    /// 10^24 quote each would overflow Decimal. The check is a bound, not a replay: every total
    /// the fill touches grows by at most `price × quantity + |fee|` (a realised PnL by at most
    /// `quantity × max(price, entry) + |fee|`), and must stay within `MAX_TOTAL`; a position's
    /// size must stay within `MAX_BALANCE`, so marking it (size × price ≤ 10^28) cannot overflow.
    fn validate_totals(&self, t: &Trade) -> Result<(), EngineError> {
        let Some(state) = self.instruments.get(t.instrument.0) else { return Ok(()) };
        let q = t.quantity.abs();
        let fee = t.fees.fees.abs();
        let too_big = |field: &str, what: &str| {
            Err(EngineError::event(
                format!("kind.Trade.{field}"),
                format!("this fill would take {what} past the largest total the engine keeps ({MAX_TOTAL})"),
            ))
        };
        // Almost every fill is far from the bounds: the event's checks put price and quantity at
        // most 10^12 and the fee at most 10^16, so the step below is under 2·10^24, and totals
        // whose mantissas are under 10^27 (so values under 10^27) have room for it. That is
        // decided from the mantissas alone, without the Decimal arithmetic of the exact bound.
        const ROOMY: u128 = 1_000_000_000_000_000_000_000_000_000;
        const SMALL_SIZE: u128 = 9_000_000_000_000_000;
        let roomy = |d: &Decimal| d.mantissa().unsigned_abs() < ROOMY;
        let s = &state.stats;
        if roomy(&s.quote_spent)
            && roomy(&s.quote_received)
            && roomy(&s.fees)
            && roomy(&s.pnl_realised_closed)
            && state.position.as_ref().is_none_or(|p| {
                roomy(&p.pnl_realised)
                    && roomy(&p.exit_value)
                    && roomy(&p.fees_enter)
                    && roomy(&p.fees_exit)
                    && p.quantity_abs.mantissa().unsigned_abs() < SMALL_SIZE
            })
        {
            return Ok(());
        }
        let entry = state.position.as_ref().map_or(Decimal::ZERO, |p| p.price_entry_average);
        // Inputs are bounded, so these products fit (10^12 × 10^12 + 10^16).
        let step = t.price.max(entry) * q + fee;
        let room = MAX_TOTAL - step;
        let within = |total: Decimal| total.abs() <= room;
        let spent = if t.side == Side::Buy { s.quote_spent } else { s.quote_received };
        if !within(spent) {
            return too_big("quantity", "the instrument's quote traded");
        }
        if !within(s.fees) || !within(s.pnl_realised_closed) {
            return too_big("fees", "the instrument's fees or realised PnL");
        }
        if let Some(p) = &state.position {
            if !within(p.pnl_realised)
                || !within(p.exit_value)
                || !within(p.fees_enter)
                || !within(p.fees_exit)
            {
                return too_big("quantity", "the open position's PnL, fees or exit value");
            }
            let grows = t.side == p.side;
            let size = if grows { p.quantity_abs + q } else { (q - p.quantity_abs).max(Decimal::ZERO) };
            if size > crate::event::MAX_BALANCE {
                return Err(EngineError::event(
                    "kind.Trade.quantity",
                    format!(
                        "this fill would make the position {size}, past the largest accepted size {}",
                        crate::event::MAX_BALANCE
                    ),
                ));
            }
            // Closing adds the position's realised PnL to the instrument's (each ≤ 10^28: the sum fits).
            if s.pnl_realised_closed.abs() + p.pnl_realised.abs() > room {
                return too_big("quantity", "the instrument's realised PnL");
            }
        }
        Ok(())
    }

    /// Refuses opens whose client id is already used by a live order (or twice in one command):
    /// orders are tracked by client id, so a reused id would orphan the first order.
    fn validate_cids(&self, c: &crate::event::Command) -> Result<(), EngineError> {
        let crate::event::Command::SendOpenRequests(r) = c else { return Ok(()) };
        let opens = r.as_slice();
        // A set, not a scan of the earlier requests: one command may carry 100,000 opens.
        let mut seen = rustc_hash::FxHashSet::default();
        seen.reserve(opens.len());
        for (i, o) in opens.iter().enumerate() {
            let live =
                self.instruments.get(o.key.instrument.0).is_some_and(|s| s.orders.get(&o.key.cid).is_some());
            let repeated = !seen.insert((o.key.instrument, &o.key.cid));
            if live || repeated {
                return Err(EngineError::InvalidCommand {
                    field: format!("SendOpenRequests[{i}].key.cid"),
                    message: format!(
                        "client order id {} is already used by a live order",
                        crate::error::quote(&o.key.cid.0)
                    ),
                });
            }
        }
        Ok(())
    }

    /// Checks a market event: known instrument on the named exchange, sane values, time order.
    pub fn validate_market(
        &self,
        e: &MarketEvent,
        instruments: &Instruments,
        tolerance_ns: i64,
    ) -> Result<(), EngineError> {
        e.validate_values()?;
        self.validate_market_place(e, instruments, tolerance_ns)
    }

    /// `validate_market` but for the values, which the caller checked already (a data set's
    /// events, checked once when decoded, for every run over them).
    pub fn validate_market_place(
        &self,
        e: &MarketEvent,
        instruments: &Instruments,
        tolerance_ns: i64,
    ) -> Result<(), EngineError> {
        check_instrument(e, instruments)?;
        if let crate::event::DataKind::OrderBook(crate::event::OrderBookEvent::Update(update)) = &e.kind {
            // An update is checked against the book it lands on: the result must not cross.
            let empty = crate::event::BookState::default();
            let book =
                self.instruments.get(e.instrument.0).and_then(|s| s.market.book.as_ref()).unwrap_or(&empty);
            let (bid, ask) = book.top_after(update);
            crate::event::check_uncrossed(bid, ask, "Update")?;
        }
        check_time(e, self.time_market, tolerance_ns)
    }

    /// How many leading market items of `events` pass `validate_market_place` in turn, each
    /// against the clock the ones before it leave (as a run applying them would); stops at a
    /// book update (checked against the book it lands on) and at anything but a market item.
    pub(crate) fn placed_prefix(
        &self,
        events: &[EngineEvent],
        instruments: &Instruments,
        tolerance_ns: i64,
    ) -> usize {
        let mut clock = self.time_market;
        for (k, e) in events.iter().enumerate() {
            let EngineEvent::Market(StreamEvent::Item(m)) = e else { return k };
            let update =
                matches!(m.kind, crate::event::DataKind::OrderBook(crate::event::OrderBookEvent::Update(_)));
            if update
                || check_instrument(m, instruments).is_err()
                || check_time(m, clock, tolerance_ns).is_err()
            {
                return k;
            }
            clock = Some(clock.map_or(m.time_exchange, |c| c.max(m.time_exchange)));
        }
        events.len()
    }

    /// Applies a validated input event. Positions it closes go to `exited`.
    pub fn apply_input(
        &mut self,
        event: &EngineEvent,
        instruments: &Instruments,
        exited: &mut Vec<PositionExited>,
    ) {
        match event {
            EngineEvent::Shutdown(_) | EngineEvent::Command(_) => {}
            EngineEvent::TradingStateUpdate(s) => self.trading = *s,
            EngineEvent::Account(StreamEvent::Reconnecting(id)) => {
                if let Some(x) = instruments.exchange_index(*id) {
                    self.connectivity.set(x.0, StreamKind::Account, Health::Reconnecting);
                }
            }
            EngineEvent::Market(StreamEvent::Reconnecting(id)) => {
                if let Some(x) = instruments.exchange_index(*id) {
                    self.connectivity.set(x.0, StreamKind::Market, Health::Reconnecting);
                }
            }
            EngineEvent::Account(StreamEvent::Item(e)) => self.apply_account(e, exited),
            EngineEvent::Market(StreamEvent::Item(e)) => self.apply_market(e, instruments),
        }
    }

    /// Applies a validated market item (the per-event part of `apply_input`).
    pub(crate) fn apply_market(&mut self, e: &MarketEvent, instruments: &Instruments) {
        self.advance_market_time(e.time_exchange);
        let exchange = instruments.instruments()[e.instrument.0].exchange;
        self.connectivity.set(exchange.0, StreamKind::Market, Health::Healthy);
        let state = &mut self.instruments[e.instrument.0];
        if state.market.apply(e) {
            // The mark only when a position needs it (a quote's mid costs a decimal multiply).
            if let Some(p) = state.position.as_mut() {
                if let Some(mark) = state.market.mark() {
                    p.mark(mark);
                }
            }
        }
    }

    /// The clocks after a market event at `t`.
    #[inline]
    fn advance_market_time(&mut self, t: Timestamp) {
        self.advance_time(t);
        if self.time_market.is_none_or(|m| t > m) {
            self.time_market = Some(t);
        }
    }

    /// `apply_market` of each event of a stretch on which nothing acted: only its writers, then
    /// the clocks to its latest time (see `MarketStretch`).
    pub(crate) fn apply_market_stretch(
        &mut self,
        stretch: &MarketStretch,
        events: &[EngineEvent],
        instruments: &Instruments,
    ) {
        for e in stretch.writers(events) {
            self.apply_market(e, instruments);
        }
        if let Some(t) = stretch.latest() {
            self.advance_market_time(t);
        }
    }

    fn apply_account(&mut self, e: &AccountEvent, exited: &mut Vec<PositionExited>) {
        if let Some(t) = e.time() {
            self.advance_time(t);
        }
        self.connectivity.set(e.exchange.0, StreamKind::Account, Health::Healthy);
        match &e.kind {
            AccountEventKind::Snapshot(s) => {
                for b in &s.balances {
                    self.apply_balance(b.asset, b.balance, b.time_exchange);
                }
                for i in &s.instruments {
                    self.instruments[i.instrument.0].orders.replace_from_snapshot(&i.orders);
                }
            }
            AccountEventKind::BalanceSnapshot(b) => self.apply_balance(b.asset, b.balance, b.time_exchange),
            AccountEventKind::OrderSnapshot(o) => {
                self.instruments[o.key.instrument.0].orders.update_from_snapshot(o)
            }
            AccountEventKind::OrderCancelled(c) => {
                self.instruments[c.key.instrument.0].orders.update_from_cancel_response(c)
            }
            AccountEventKind::Trade(t) => self.apply_trade(t, exited),
        }
    }

    fn apply_balance(&mut self, asset: AssetIndex, balance: Balance, time: Timestamp) {
        let s = &mut self.assets[asset.0];
        if s.time_exchange.is_none_or(|t| time >= t) {
            s.balance = Some(balance);
            s.time_exchange = Some(time);
        }
    }

    fn apply_trade(&mut self, t: &Trade, exited: &mut Vec<PositionExited>) {
        let state = &mut self.instruments[t.instrument.0];
        let q = t.quantity.abs();
        let stats = &mut state.stats;
        stats.fills += 1;
        stats.fees += t.fees.fees;
        match t.side {
            Side::Buy => {
                stats.quantity_bought += q;
                stats.quote_spent += t.price * q;
            }
            Side::Sell => {
                stats.quantity_sold += q;
                stats.quote_received += t.price * q;
            }
        }
        let (next, closed) = match state.position.take() {
            None => (Some(Position::from_trade(t)), None),
            Some(p) => p.update_from_trade(t),
        };
        state.position = next;
        if let (Some(p), Some(mark)) = (state.position.as_mut(), state.market.mark()) {
            p.mark(mark);
        }
        if let Some(x) = closed {
            stats.pnl_realised_closed += x.pnl_realised;
            stats.positions_closed += 1;
            exited.push(x);
        }
    }

    /// Records requests the engine sent as in flight.
    pub fn record_sent(&mut self, opens: &[OrderRequestOpen], cancels: &[OrderRequestCancel]) {
        for o in opens {
            self.instruments[o.key.instrument.0].orders.record_open_in_flight(o);
        }
        for c in cancels {
            self.instruments[c.key.instrument.0].orders.record_cancel_in_flight(c);
        }
    }

    /// Portfolio value in the asset named `quote` (ASCII letters in either case), summed across exchanges:
    /// balances of that asset, plus other assets valued at the mark of an instrument quoting them
    /// in it. Assets with no such instrument or no mark yet are left out.
    pub fn equity(&self, instruments: &Instruments, quote: &str) -> Decimal {
        self.valuation(instruments, quote).0
    }

    /// `equity`, and whether it is complete: false while a held asset that an instrument values
    /// in `quote` has no mark yet (its value is missing from the sum, not zero). Where one
    /// valuation asset is used again and again, build its [`Valuation`] once and call `value`.
    pub fn valuation(&self, instruments: &Instruments, quote: &str) -> (Decimal, bool) {
        self.value(&Valuation::new(instruments, quote))
    }

    /// Σ |position| × mark over instruments (gross exposure, in each instrument's quote).
    pub fn gross_exposure(&self) -> Decimal {
        self.instruments
            .iter()
            .filter_map(|s| Some(s.position.as_ref()?.quantity_abs.saturating_mul(s.market.mark()?)))
            .fold(Decimal::ZERO, Decimal::saturating_add)
    }
}

/// The event's instrument exists and is on the event's exchange.
#[inline]
fn check_instrument(e: &MarketEvent, instruments: &Instruments) -> Result<(), EngineError> {
    let instrument = instruments.instrument(e.instrument, "instrument")?;
    if instrument.exchange_id != e.exchange {
        return Err(wrong_exchange(instrument, e.exchange));
    }
    Ok(())
}

/// The event is no older than the market clock `last` allows.
#[inline]
fn check_time(e: &MarketEvent, last: Option<Timestamp>, tolerance_ns: i64) -> Result<(), EngineError> {
    match last {
        Some(last) if e.time_exchange.0 < last.0.saturating_sub(tolerance_ns) => {
            Err(EngineError::TimeBackwards { at: None, time: e.time_exchange, clock: last, tolerance_ns })
        }
        _ => Ok(()),
    }
}

#[cold]
#[inline(never)]
fn wrong_exchange(
    instrument: &crate::instrument::Instrument,
    exchange: crate::instrument::ExchangeId,
) -> EngineError {
    EngineError::event(
        "exchange",
        format!(
            "instrument {} trades on {}, not {}",
            instrument.name_internal, instrument.exchange_id, exchange
        ),
    )
}
