//! A simulated spot exchange on virtual time. Requests arrive at a virtual time; orders execute
//! against the market events observed after arrival; every response is an account event stamped
//! with the exchange time, which the backtest delivers to the engine after the response latency.
//! Accounting is real spot accounting: a buy credits the base and debits quote plus fee, a sell
//! debits the base and credits quote less fee; open orders reserve what they may spend.

mod contingent;
mod fill;
mod reach;
mod stop;

pub use fill::{Execution, Liquidity};

use crate::config::{ExecutionConfig, IndexedInitialOrder};
use crate::event::{
    AccountEvent, AccountEventKind, AccountSnapshot, AssetBalance, AssetFees, Balance, BookState, DataKind,
    InstrumentAccountSnapshot, Level, MarketEvent, Trade,
};
use crate::instrument::{AssetIndex, ExchangeIndex, InstrumentIndex, Instruments};
use crate::order::{
    ActiveOrderState, ApiError, Cancelled, ExecutionRequest, FillSizing, InactiveOrderState, Open, Order,
    OrderError, OrderId, OrderKind, OrderRequestCancel, OrderRequestOpen, OrderResponseCancel, OrderState,
    Side, TimeInForce, TradeId,
};
use crate::strategy::FeeRates;
use crate::time::Timestamp;
use fill::Terms;
use rust_decimal::Decimal;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
struct SimOrder {
    order: Order<()>,
    id: OrderId,
    arrival: Timestamp,
    filled: Decimal,
    /// Amount still reserved: quote for buys, base for sells.
    reserved: Decimal,
    observed: bool,
    sizing: Option<FillSizing>,
    /// The trigger of a stop order until it fires.
    armed: Option<stop::Armed>,
    /// Taken off the book by a one-cancels-other sibling or a closed position during this
    /// observation; swept out (and reported cancelled) once the observation is matched.
    dead: bool,
    /// An exit placed during this observation that is matched against it too (backtesting.py
    /// checks a market entry's SL/TP on its entry bar).
    fresh: bool,
}

impl SimOrder {
    fn remaining(&self) -> Decimal {
        self.order.quantity - self.filled
    }

    fn open_state(&self, time: Timestamp) -> Open {
        Open { id: self.id.clone(), time_exchange: time, filled_quantity: self.filled }
    }
}

/// One simulated exchange.
#[derive(Clone, Debug)]
pub struct SimulatedExchange {
    exchange: ExchangeIndex,
    instruments: Instruments,
    config: ExecutionConfig,
    fees: FeeRates,
    /// Per asset: everything held. Free is never stored: it is derived (see `balance`), so it
    /// cannot drift from the total less what the orders reserve.
    totals: Vec<Decimal>,
    /// Per asset: the sum of what the orders on the books reserve from it (a buy its quote, a sell
    /// its base).
    reserved: Vec<Decimal>,
    /// Per asset: how many orders on the books reserve from it. The sum over no order is zero, so
    /// `reserved` restarts there: additions rounded to Decimal's 28 digits (a reservation beside a
    /// much larger one) would otherwise leave a last-digit residue for good.
    holders: Vec<u32>,
    /// Per asset: what the config's balances hold in use (`total - free`) beyond what its starting
    /// orders reserve; nothing releases it.
    set_aside: Vec<Decimal>,
    /// Live orders per instrument, oldest first. A deque: cancelling every order (oldest first)
    /// removes from the front in O(1) where a Vec shifted all the rest each time.
    orders: Vec<VecDeque<SimOrder>>,
    /// Client ids of `orders`, per instrument: the duplicate check per new order is O(1) (a scan
    /// made a batch of 100,000 orders quadratic). Membership only, so iteration order is moot.
    cids: Vec<rustc_hash::FxHashSet<crate::order::ClientOrderId>>,
    books: Vec<Option<BookState>>,
    top: Vec<(Option<Level>, Option<Level>)>,
    last: Vec<LastSeen>,
    /// The open of each instrument's last bar, for closing at it when a run ends.
    last_bar_open: Vec<Option<Decimal>>,
    next_order_id: u64,
    next_trade_id: u64,
    outbox: Vec<(Timestamp, AccountEvent)>,
    /// The latest time the exchange has seen (a request's arrival or a market event). What it
    /// emits is stamped no earlier: a market event may be older than an order that arrived before
    /// it (the stream's first event, or within `time_tolerance_ms`), and the engine ignores a
    /// balance stamped before the one it holds.
    clock: Timestamp,
    /// Bracket work an observation left to do once all its orders are matched.
    followup: contingent::Followup,
    /// Per instrument: the prices its resting orders cannot reach (observations there skip the
    /// walk over its book).
    reach: Vec<reach::Reach>,
    /// The risk knobs re-applied when a stop triggers (none when no such knob is set).
    trigger_limits: Option<crate::risk::RiskConfig>,
}

/// Which price fills the market orders still pending when a run ends.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SettleAt {
    /// The last trade price, bar close or quote mid.
    LastPrice,
    /// The last bar's open (backtesting.py's `finalize_trades=True`); the last price without bars.
    LastBarOpen,
}

/// What the last observation of an instrument was, priced only when needed (end-of-run settling).
#[derive(Copy, Clone, Debug)]
enum LastSeen {
    Nothing,
    Price(Decimal),
    Top,
}

fn rejected(e: ApiError) -> OrderError {
    OrderError::Rejected(e)
}

impl SimulatedExchange {
    /// An exchange seeded from its config's initial state.
    pub fn new(
        exchange: ExchangeIndex,
        instruments: &Instruments,
        config: &ExecutionConfig,
        initial_orders: &[IndexedInitialOrder],
    ) -> Self {
        let mut balances = vec![Balance::default(); instruments.assets().len()];
        let id = instruments.exchanges()[exchange.0];
        for b in &config.initial_state.balances {
            if let Some(a) = instruments.find_asset(id, &b.asset) {
                balances[a.0] = b.balance;
            }
        }
        let mut ex = SimulatedExchange {
            exchange,
            instruments: instruments.clone(),
            config: config.clone(),
            fees: FeeRates { maker: config.maker_fee(), taker: config.taker_fee() },
            set_aside: balances.iter().map(|b| b.total - b.free).collect(),
            reserved: vec![Decimal::ZERO; balances.len()],
            holders: vec![0; balances.len()],
            totals: balances.iter().map(|b| b.total).collect(),
            orders: vec![VecDeque::new(); instruments.instruments().len()],
            cids: vec![Default::default(); instruments.instruments().len()],
            books: vec![None; instruments.instruments().len()],
            top: vec![(None, None); instruments.instruments().len()],
            last: vec![LastSeen::Nothing; instruments.instruments().len()],
            last_bar_open: vec![None; instruments.instruments().len()],
            next_order_id: 0,
            next_trade_id: 0,
            outbox: Vec::new(),
            clock: Timestamp(i64::MIN),
            followup: Default::default(),
            reach: vec![reach::Reach::Stale; instruments.instruments().len()],
            trigger_limits: None,
        };
        for o in initial_orders {
            let (id, time, filled) = match &o.state {
                OrderState::Active(ActiveOrderState::Open(open)) => {
                    (open.id.clone(), open.time_exchange, open.filled_quantity)
                }
                _ => continue,
            };
            let remaining = o.quantity - filled;
            // The config's free balance already excludes what these orders hold.
            let reserved = match (o.side, o.kind) {
                (Side::Buy, OrderKind::Market) => Decimal::ZERO,
                (Side::Buy, OrderKind::Limit) => o.price * remaining * (Decimal::ONE + ex.max_fee()),
                (Side::Sell, _) => remaining,
            };
            // A stop order starts armed (its trigger, or a trailing one from its price).
            let armed = o.trigger.as_ref().and_then(|t| stop::Armed::new(t, o.side, o.price));
            let inst = &ex.instruments.instruments()[o.key.instrument.0];
            let asset = if o.side == Side::Buy { inst.quote_asset() } else { inst.base_asset() };
            ex.hold(asset, reserved);
            // Validated against `total - free`, so never below zero but for rounding.
            ex.set_aside[asset.0] = (ex.set_aside[asset.0] - reserved).max(Decimal::ZERO);
            ex.cids[o.key.instrument.0].insert(o.key.cid.clone());
            ex.orders[o.key.instrument.0].push_back(SimOrder {
                order: o.with_state(()),
                id,
                arrival: time,
                filled,
                reserved,
                observed: true,
                sizing: None,
                armed,
                dead: false,
                fresh: false,
            });
        }
        ex
    }

    /// Applies the risk knobs that depend on price to stop orders when they trigger (see the
    /// `risk` module doc): a refused trigger ends its order as `OpenFailed(Rejected(RiskRefused))`.
    pub fn with_risk(mut self, risk: &crate::risk::RiskConfig) -> Self {
        self.trigger_limits = risk.checks_triggers().then(|| risk.clone());
        self
    }

    /// Exchange index.
    pub fn exchange(&self) -> ExchangeIndex {
        self.exchange
    }

    /// Balances by asset index (only this exchange's assets are non-zero).
    pub fn balances(&self) -> Vec<Balance> {
        (0..self.totals.len()).map(|a| self.balance(AssetIndex(a))).collect()
    }

    /// One asset's balance: free is the total less what orders reserve and what the config set
    /// aside. Both bounds are for rounding to Decimal's 28 digits: a sum of reservations of very
    /// different sizes may end a last digit below zero while orders still hold it, and a total
    /// a last digit below the reservations (see the sell cap in `match_order`).
    fn balance(&self, a: AssetIndex) -> Balance {
        let total = self.totals[a.0];
        if self.reserved[a.0].is_zero() && self.set_aside[a.0].is_zero() {
            // Nothing in use (most calls): total − 0 is the total, to the digit, without the
            // three decimal operations (2 % of a daily backtest in wasm).
            return Balance { total, free: total.max(Decimal::ZERO) };
        }
        let in_use = (self.reserved[a.0] + self.set_aside[a.0]).max(Decimal::ZERO);
        Balance { total, free: (total - in_use).max(Decimal::ZERO) }
    }

    /// The id of the next order the exchange takes: its count so far.
    fn next_id(&mut self) -> OrderId {
        self.next_order_id += 1;
        OrderId(itoa::Buffer::new().format(self.next_order_id - 1).into())
    }

    /// One more order on the books reserves `amount` of asset `a` (an exit reserves nothing
    /// until it fills, but still counts as a holder).
    fn hold(&mut self, a: AssetIndex, amount: Decimal) {
        self.holders[a.0] += 1;
        self.reserved[a.0] += amount;
    }

    /// Latency for requests to arrive, in ms.
    pub fn latency_ms(&self) -> u64 {
        self.config.latency_ms
    }

    /// Latency for responses to return, in ms.
    pub fn response_latency_ms(&self) -> u64 {
        self.config.response_latency()
    }

    /// Live orders on the exchange.
    pub fn open_orders(&self) -> usize {
        self.orders.iter().map(VecDeque::len).sum()
    }

    fn max_fee(&self) -> Decimal {
        self.fees.maker.max(self.fees.taker).max(Decimal::ZERO)
    }

    /// The account snapshot the account stream starts with.
    pub fn snapshot(&self, time: Timestamp) -> AccountEvent {
        let id = self.instruments.exchanges()[self.exchange.0];
        let balances = self
            .instruments
            .assets()
            .iter()
            .enumerate()
            .filter(|(_, a)| a.exchange_id == id)
            .map(|(i, _)| AssetBalance {
                asset: AssetIndex(i),
                balance: self.balance(AssetIndex(i)),
                time_exchange: time,
            })
            .collect();
        let instruments = self
            .instruments
            .instruments()
            .iter()
            .enumerate()
            .filter(|(_, inst)| inst.exchange == self.exchange)
            .map(|(i, _)| InstrumentAccountSnapshot {
                instrument: InstrumentIndex(i),
                orders: self.orders[i]
                    .iter()
                    .map(|o| {
                        o.order
                            .with_state(OrderState::Active(ActiveOrderState::Open(o.open_state(o.arrival))))
                    })
                    .collect(),
            })
            .collect();
        AccountEvent {
            exchange: self.exchange,
            kind: AccountEventKind::Snapshot(AccountSnapshot {
                exchange: self.exchange,
                balances,
                instruments,
            }),
        }
    }

    /// True when a market event can change nothing here but what the exchange last saw of the
    /// market (`on_market` returns before matching): no order rests and no response waits.
    pub fn is_idle(&self) -> bool {
        self.outbox.is_empty() && self.orders.iter().all(VecDeque::is_empty)
    }

    /// True when responses wait in the outbox.
    pub fn has_responses(&self) -> bool {
        !self.outbox.is_empty()
    }

    /// Responses produced so far, each with its exchange time, in order.
    pub fn drain_outbox(&mut self) -> std::vec::Drain<'_, (Timestamp, AccountEvent)> {
        self.outbox.drain(..)
    }

    fn emit(&mut self, time: Timestamp, kind: AccountEventKind) {
        self.outbox.push((time, AccountEvent { exchange: self.exchange, kind }));
    }

    fn emit_balance(&mut self, time: Timestamp, asset: AssetIndex) {
        let balance = self.balance(asset);
        self.emit(
            time,
            AccountEventKind::BalanceSnapshot(AssetBalance { asset, balance, time_exchange: time }),
        );
    }

    fn emit_order(&mut self, time: Timestamp, order: &Order<()>, state: OrderState) {
        self.emit(time, AccountEventKind::OrderSnapshot(order.with_state(state)));
    }

    /// A request reaches the exchange at `time`.
    pub fn receive(&mut self, time: Timestamp, request: ExecutionRequest) {
        let time = time.max(self.clock);
        self.clock = time;
        let i = match &request {
            ExecutionRequest::Open(o) => o.key.instrument.0,
            ExecutionRequest::Cancel(c) => c.key.instrument.0,
        };
        if let Some(r) = self.reach.get_mut(i) {
            *r = reach::Reach::Stale;
        }
        match request {
            ExecutionRequest::Open(o) => self.open(time, o),
            ExecutionRequest::Cancel(c) => self.cancel(time, c),
        }
    }

    fn open(&mut self, time: Timestamp, req: OrderRequestOpen) {
        let order = Order {
            key: req.key.clone(),
            side: req.state.side,
            price: req.state.price,
            quantity: req.state.quantity,
            kind: req.state.kind,
            time_in_force: req.state.time_in_force,
            trigger: req.state.trigger.clone(),
            bracket: req.state.bracket.clone().filter(|b| !b.is_empty()),
            exit_of: None,
            state: (),
        };
        if let Err(e) = self.check_open(&req) {
            self.emit_order(time, &order, OrderState::Inactive(InactiveOrderState::OpenFailed(e)));
            return;
        }
        let barter_mock = self.config.fill.model == crate::config::FillKind::BarterMock;
        if barter_mock && req.state.kind != OrderKind::Market {
            let e = rejected(ApiError::OrderRejected(format!(
                "MockExchange does not supported OrderKind: {:?}",
                req.state.kind
            )));
            self.emit_order(time, &order, OrderState::Inactive(InactiveOrderState::OpenFailed(e)));
            return;
        }
        // The mock fills at the request price: a market order priced 0 would print a fill at 0,
        // which no account event may carry.
        if barter_mock && req.state.price <= Decimal::ZERO {
            let e = rejected(ApiError::OrderRejected(
                "MockExchange fills a market order at its request price, which must be positive".into(),
            ));
            self.emit_order(time, &order, OrderState::Inactive(InactiveOrderState::OpenFailed(e)));
            return;
        }
        let inst = &self.instruments.instruments()[req.key.instrument.0];
        let (base, quote) = (inst.base_asset(), inst.quote_asset());
        let s = &req.state;
        // Reserve what the order may spend.
        let (asset, reserve) = match (s.side, s.kind) {
            // A sized buy is paid from the free balance at fill time, as a market buy is.
            (Side::Buy, OrderKind::Limit) if s.sizing.is_some() => (quote, Decimal::ZERO),
            (Side::Buy, OrderKind::Limit) => (quote, s.price * s.quantity * (Decimal::ONE + self.max_fee())),
            (Side::Buy, OrderKind::Market) => (quote, Decimal::ZERO),
            (Side::Sell, _) => (base, s.quantity),
        };
        let free = self.balance(asset).free;
        if reserve > free {
            let msg = format!("Available Balance: {free}, Required Balance inc. fees: {reserve}");
            self.emit_order(
                time,
                &order,
                OrderState::Inactive(InactiveOrderState::OpenFailed(rejected(
                    ApiError::BalanceInsufficient(asset, msg),
                ))),
            );
            return;
        }
        // With a known top of book, a limit order that does not cross it rests from arrival (maker);
        // an IOC/FOK one that does not cross it expires at once. Without one (trades or bars
        // only), the first observation after arrival decides.
        let (bid, ask) = self.top[req.key.instrument.0];
        let crosses = match s.side {
            Side::Buy => ask.map(|a| a.price <= s.price),
            Side::Sell => bid.map(|b| b.price >= s.price),
        };
        let armed = s.trigger.as_ref().and_then(|t| stop::Armed::new(t, s.side, s.price));
        let rests = s.kind == OrderKind::Limit && crosses == Some(false) && armed.is_none();
        if rests && matches!(s.time_in_force, TimeInForce::ImmediateOrCancel | TimeInForce::FillOrKill) {
            let end = if s.time_in_force == TimeInForce::FillOrKill {
                InactiveOrderState::OpenFailed(rejected(ApiError::FillOrKillUnfillable))
            } else {
                InactiveOrderState::Expired
            };
            self.emit_order(time, &order, OrderState::Inactive(end));
            return;
        }
        let id = self.next_id();
        let sim = SimOrder {
            order,
            id,
            arrival: time,
            filled: Decimal::ZERO,
            reserved: reserve,
            observed: rests,
            sizing: req.state.sizing.clone(),
            armed,
            dead: false,
            fresh: false,
        };
        self.hold(asset, reserve);
        if !reserve.is_zero() {
            self.emit_balance(time, asset);
        }
        // Resting orders are acknowledged at once: limits that rest, and stop orders waiting
        // for their trigger (whatever their time in force, which applies once triggered).
        if sim.armed.is_some()
            || s.kind == OrderKind::Limit
                && matches!(
                    s.time_in_force,
                    TimeInForce::GoodUntilCancelled { .. } | TimeInForce::GoodUntilEndOfDay
                )
        {
            let open = sim.open_state(time);
            self.emit_order(time, &sim.order, OrderState::Active(ActiveOrderState::Open(open)));
        }
        let i = req.key.instrument.0;
        self.cids[i].insert(sim.order.key.cid.clone());
        // A market order goes ahead of the exits of bracketed entries: it fills at the next
        // observation's first price, before any stop inside it can trigger (backtesting.py puts
        // `trade.close()` orders at the front of its queue, ahead of SL/TP).
        let front = sim.order.kind == OrderKind::Market
            && sim.armed.is_none()
            && self.orders[i].iter().any(|o| o.order.exit_of.is_some());
        if front {
            self.orders[i].push_front(sim);
        } else {
            self.orders[i].push_back(sim);
        }
        if barter_mock {
            // barter's mock: the whole quantity at the request price, now.
            let k = if front { 0 } else { self.orders[i].len() - 1 };
            let print = self.unlimited_print(i, time, req.state.price, "barter_mock");
            self.match_order(i, k, &print, time);
            self.after_observation(i, &print, time);
        }
    }

    fn check_open(&self, req: &OrderRequestOpen) -> Result<(), OrderError> {
        let Some(inst) = self.instruments.instruments().get(req.key.instrument.0) else {
            return Err(rejected(ApiError::InstrumentInvalid));
        };
        if inst.exchange != self.exchange || req.key.exchange != self.exchange {
            return Err(rejected(ApiError::InstrumentInvalid));
        }
        if !inst.kind.is_spot() {
            return Err(rejected(ApiError::InstrumentKindUnsupported));
        }
        let s = &req.state;
        if s.quantity <= Decimal::ZERO {
            return Err(rejected(ApiError::QuantityInvalid(format!(
                "quantity {} must be positive",
                s.quantity
            ))));
        }
        if s.kind == OrderKind::Limit && s.price <= Decimal::ZERO {
            return Err(rejected(ApiError::PriceInvalid(format!(
                "limit price {} must be positive",
                s.price
            ))));
        }
        if s.kind == OrderKind::Market
            && matches!(s.time_in_force, TimeInForce::GoodUntilCancelled { post_only: true })
        {
            return Err(rejected(ApiError::OrderRejected("a market order cannot be post-only".into())));
        }
        if self.cids[req.key.instrument.0].contains(&req.key.cid) {
            return Err(rejected(ApiError::DuplicateClientOrderId));
        }
        if let Some(sizing) = &s.sizing {
            if s.side != Side::Buy || sizing.fraction <= Decimal::ZERO || sizing.fraction > Decimal::ONE {
                return Err(rejected(ApiError::OrderRejected(
                    "fill-time sizing needs a market buy and a fraction in (0, 1]".into(),
                )));
            }
        }
        if let Some(spec) = &inst.spec {
            if s.kind == OrderKind::Limit {
                if s.price < spec.price.min {
                    return Err(rejected(ApiError::PriceInvalid(format!(
                        "price {} is below the minimum {}",
                        s.price, spec.price.min
                    ))));
                }
                if !spec.price.tick_size.is_zero() && !(s.price % spec.price.tick_size).is_zero() {
                    return Err(rejected(ApiError::PriceInvalid(format!(
                        "price {} is not a multiple of the tick size {}",
                        s.price, spec.price.tick_size
                    ))));
                }
            }
            if s.sizing.is_none() {
                if s.quantity < spec.quantity.min {
                    return Err(rejected(ApiError::QuantityInvalid(format!(
                        "quantity {} is below the minimum {}",
                        s.quantity, spec.quantity.min
                    ))));
                }
                if !spec.quantity.increment.is_zero() && !(s.quantity % spec.quantity.increment).is_zero() {
                    return Err(rejected(ApiError::QuantityInvalid(format!(
                        "quantity {} is not a multiple of {}",
                        s.quantity, spec.quantity.increment
                    ))));
                }
                if s.kind == OrderKind::Limit && s.price * s.quantity < spec.notional.min {
                    return Err(rejected(ApiError::QuantityInvalid(format!(
                        "notional {} is below the minimum {}",
                        s.price * s.quantity,
                        spec.notional.min
                    ))));
                }
            }
        }
        if s.kind == OrderKind::Limit
            && s.trigger.is_none()
            && matches!(s.time_in_force, TimeInForce::GoodUntilCancelled { post_only: true })
        {
            let (bid, ask) = self.top[req.key.instrument.0];
            let crosses = match s.side {
                Side::Buy => ask.map(|a| a.price <= s.price),
                Side::Sell => bid.map(|b| b.price >= s.price),
            };
            if crosses == Some(true) {
                return Err(rejected(ApiError::PostOnlyWouldCross));
            }
        }
        Ok(())
    }

    fn cancel(&mut self, time: Timestamp, req: OrderRequestCancel) {
        let i = req.key.instrument.0;
        let found = self.orders.get(i).and_then(|os| {
            os.iter().position(|o| {
                o.order.key.cid == req.key.cid || req.state.id.as_ref().is_some_and(|id| *id == o.id)
            })
        });
        let Some(pos) = found else {
            self.emit(
                time,
                AccountEventKind::OrderCancelled(OrderResponseCancel {
                    key: req.key,
                    state: Err(rejected(ApiError::OrderNotFound)),
                }),
            );
            return;
        };
        if let Some(o) = self.orders[i].remove(pos) {
            self.cancelled(time, i, &o);
        }
    }

    fn reserved_asset(&self, o: &SimOrder) -> AssetIndex {
        let inst = &self.instruments.instruments()[o.order.key.instrument.0];
        match o.order.side {
            Side::Buy => inst.quote_asset(),
            Side::Sell => inst.base_asset(),
        }
    }

    /// An order just removed from instrument `i`'s book as cancelled (by request, or as the other
    /// half of a one-cancels-other pair): its client id forgotten, its reservation released and
    /// the cancellation reported.
    fn cancelled(&mut self, time: Timestamp, i: usize, o: &SimOrder) {
        self.cids[i].remove(&o.order.key.cid);
        self.release(time, o);
        self.emit(
            time,
            AccountEventKind::OrderCancelled(OrderResponseCancel {
                key: o.order.key.clone(),
                state: Ok(Cancelled { id: o.id.clone(), time_exchange: time }),
            }),
        );
    }

    /// Releases what order `o`, just taken off the books, still reserves.
    fn release(&mut self, time: Timestamp, o: &SimOrder) {
        let asset = self.reserved_asset(o);
        let holders = &mut self.holders[asset.0];
        *holders = holders.saturating_sub(1);
        // An order that reserved nothing, leaving others holding the asset, changes no balance
        // (an exit cancelled with its sibling: the common case, so no balance is worked out).
        if o.reserved.is_zero() && *holders > 0 {
            return;
        }
        let before = self.balance(asset).free;
        let holders = self.holders[asset.0];
        self.reserved[asset.0] =
            if holders == 0 { Decimal::ZERO } else { self.reserved[asset.0] - o.reserved };
        if o.reserved.is_zero() && self.balance(asset).free == before {
            return;
        }
        self.emit_balance(time, asset);
    }

    /// Observes a (validated) market event: matches this instrument's orders against it.
    pub fn on_market(&mut self, event: &MarketEvent) {
        let i = event.instrument.0;
        if self.instruments.instruments().get(i).is_none_or(|inst| inst.exchange != self.exchange) {
            return;
        }
        if let DataKind::OrderBook(ev) = &event.kind {
            self.books[i].get_or_insert_with(BookState::default).apply(ev);
        }
        match &event.kind {
            // Top of book, for post-only checks on later arrivals.
            DataKind::OrderBookL1(l1) => self.top[i] = (l1.best_bid, l1.best_ask),
            DataKind::OrderBook(_) => {
                let b = self.books[i].as_ref();
                self.top[i] = (b.and_then(BookState::best_bid), b.and_then(BookState::best_ask));
            }
            _ => {}
        }
        match &event.kind {
            DataKind::Trade(t) => self.last[i] = LastSeen::Price(t.price),
            DataKind::Candle(c) => {
                self.last[i] = LastSeen::Price(c.close);
                self.last_bar_open[i] = Some(c.open);
            }
            DataKind::OrderBookL1(_) | DataKind::OrderBook(_) => self.last[i] = LastSeen::Top,
            DataKind::Liquidation(_) => {}
        }
        if self.orders[i].is_empty() {
            return;
        }
        let time = event.time_exchange.max(self.clock);
        self.clock = time;
        if matches!(event.kind, DataKind::Candle(_) | DataKind::Trade(_)) {
            if self.reach[i] == reach::Reach::Stale {
                self.reach[i] = reach::Reach::of(&self.orders[i]);
            }
            if self.reach[i].misses(event) {
                return;
            }
        }
        // The walk may change the book.
        self.reach[i] = reach::Reach::Stale;
        // A liquidation prints no price an order could take or rest at (its trades come as
        // trades): no order observes it (`match_order` only ends the day's orders at it), so an
        // order's first observation, which decides whether it took liquidity on arrival, is the
        // next trade, quote or bar. An immediate-or-cancel order arriving just before one was
        // expired by it, unfilled.
        let observed = !matches!(event.kind, DataKind::Liquidation(_));
        let mut k = 0;
        while k < self.orders[i].len() {
            if self.orders[i][k].dead {
                k += 1;
                continue;
            }
            let keep = self.match_order(i, k, event, time);
            if keep {
                self.orders[i][k].observed |= observed;
                k += 1;
            }
        }
        if self.followup.pending() {
            self.after_observation(i, event, time);
        }
    }

    /// Matches order `k` of instrument `i`; returns false when it left the book.
    fn match_order(&mut self, i: usize, k: usize, event: &MarketEvent, time: Timestamp) -> bool {
        let o = &self.orders[i][k];
        if o.order.time_in_force == TimeInForce::GoodUntilEndOfDay && time.utc_day() > o.arrival.utc_day() {
            return self.finish(i, k, time, InactiveOrderState::Expired);
        }
        if matches!(event.kind, DataKind::Liquidation(_)) {
            return true;
        }
        let mut hit = None;
        if let Some(armed) = &o.armed {
            let book = self.books[i].as_ref();
            match armed.check(o.order.side, event, book) {
                None => {
                    let side = o.order.side;
                    if let Some(a) = self.orders[i][k].armed.as_mut() {
                        a.follow(side, event, book);
                    }
                    return true;
                }
                Some(h) => {
                    if let Err(refusal) = self.check_trigger(&self.orders[i][k], h) {
                        let end = InactiveOrderState::OpenFailed(rejected(ApiError::RiskRefused(refusal)));
                        return self.finish(i, k, time, end);
                    }
                    hit = Some(h);
                    self.trigger(i, k, time);
                }
            }
        }
        let o = &self.orders[i][k];
        let terms = Terms {
            side: o.order.side,
            kind: o.order.kind,
            price: o.order.price,
            first: !o.observed || hit.is_some(),
            stop: hit,
        };
        let tif = o.order.time_in_force;
        let exec = fill::execution(&terms, event, self.books[i].as_ref(), self.config.fill.limit_fill);
        let immediate = matches!(tif, TimeInForce::ImmediateOrCancel | TimeInForce::FillOrKill);
        let Some(exec) = exec else {
            if terms.first && immediate {
                let end = if tif == TimeInForce::FillOrKill {
                    InactiveOrderState::OpenFailed(rejected(ApiError::FillOrKillUnfillable))
                } else {
                    InactiveOrderState::Expired
                };
                return self.finish(i, k, time, end);
            }
            return true;
        };
        let mut exec = exec;
        if exec.liquidity == Liquidity::Taker
            && matches!(tif, TimeInForce::GoodUntilCancelled { post_only: true })
        {
            // A bar opening through the price, or a quote crossing it, means it would have taken
            // liquidity. A trade print at or through it means it was hit while resting: a maker fill.
            if !matches!(event.kind, DataKind::Trade(_)) {
                return self.finish(
                    i,
                    k,
                    time,
                    InactiveOrderState::OpenFailed(rejected(ApiError::PostOnlyWouldCross)),
                );
            }
            exec = Execution { price: terms.price, volume: exec.volume, liquidity: Liquidity::Maker };
        }
        let bps = Decimal::from(10_000);
        let price = match (exec.liquidity, terms.side) {
            (Liquidity::Maker, _) => exec.price,
            (Liquidity::Taker, Side::Buy) => {
                let p = exec.price * (Decimal::ONE + self.config.slippage_bps / bps);
                if terms.kind == OrderKind::Limit {
                    p.min(terms.price)
                } else {
                    p
                }
            }
            (Liquidity::Taker, Side::Sell) => {
                let p = exec.price * (Decimal::ONE - self.config.slippage_bps / bps);
                if terms.kind == OrderKind::Limit {
                    p.max(terms.price)
                } else {
                    p
                }
            }
        };
        let fee_rate = if exec.liquidity == Liquidity::Maker { self.fees.maker } else { self.fees.taker };
        let inst = &self.instruments.instruments()[i];
        let (base, quote) = (inst.base_asset(), inst.quote_asset());
        let o = &self.orders[i][k];
        let mut qty = o.remaining();
        if let (Some(sizing), true) = (&o.sizing, o.filled.is_zero()) {
            let free = self.balance(quote).free;
            let budget = free * sizing.fraction;
            let unit = price.checked_mul(Decimal::ONE + fee_rate.max(Decimal::ZERO)).unwrap_or(Decimal::MAX);
            // Clamped to the largest order quantity (see `quantity_for`): never an overflow.
            qty = crate::strategy::quantity_for(budget, unit, sizing.increment);
            if qty <= Decimal::ZERO {
                let msg =
                    format!("Available Balance: {free}, Required Balance inc. fees: more than {budget}");
                return self.finish(
                    i,
                    k,
                    time,
                    InactiveOrderState::OpenFailed(rejected(ApiError::BalanceInsufficient(quote, msg))),
                );
            }
            self.orders[i][k].order.quantity = qty;
        }
        if let (Some(part), Some(volume)) = (self.config.fill.volume_participation, exec.volume) {
            qty = qty.min(volume * part);
        }
        let o = &self.orders[i][k];
        if tif == TimeInForce::FillOrKill && qty < o.remaining() {
            return self.finish(
                i,
                k,
                time,
                InactiveOrderState::OpenFailed(rejected(ApiError::FillOrKillUnfillable)),
            );
        }
        if qty <= Decimal::ZERO {
            return !(terms.first && immediate) || self.finish(i, k, time, InactiveOrderState::Expired);
        }
        if self.orders[i][k].order.exit_of.is_some() {
            // An exit holds nothing until it fills; it takes its base now, first from the free
            // balance, then from the strategy's other sells of the instrument (they were closing
            // the same position: backtesting.py matches SL/TP before them).
            qty = self.reserve_exit(i, k, qty, base, time);
            if qty <= Decimal::ZERO {
                self.orders[i][k].dead = true;
                self.followup.sweep();
                return true;
            }
        }
        if terms.side == Side::Sell {
            // A sell's base was reserved when it arrived, but a total is rounded to Decimal's 28
            // digits: a buy that takes a balance of many decimals past 28 digits drops its last
            // ones, so the total can end a few units of its last digit short of the reservation.
            // The fill takes no more than is held, so no balance goes below zero; the rest of the
            // order waits, as any unfilled part does.
            let held = self.totals[base.0].max(Decimal::ZERO);
            if qty > held {
                qty = held;
                if qty.is_zero() {
                    let msg =
                        format!("Available Balance: 0, Required Balance: {}", self.orders[i][k].remaining());
                    let end = if self.orders[i][k].filled.is_zero() {
                        InactiveOrderState::OpenFailed(rejected(ApiError::BalanceInsufficient(base, msg)))
                    } else {
                        InactiveOrderState::Expired
                    };
                    return self.finish(i, k, time, end);
                }
            }
        }
        let notional = price * qty;
        let fee = notional * fee_rate;
        // The asset the fill credits must stay within the largest accepted balance: the engine
        // refuses balances past it, and totals past it would overflow (a 10^12 × 10^12 sell
        // credits 10^24; about 79,000 of them overflow Decimal). Refused before anything moves.
        let (credited, credit) = match terms.side {
            Side::Buy => (base, qty),
            Side::Sell => (quote, notional - fee),
        };
        let after = self.totals[credited.0].checked_add(credit);
        if after.is_none_or(|a| a > crate::event::MAX_BALANCE) {
            let name = &self.instruments.assets()[credited.0].name;
            let msg = format!(
                "the fill would take the {name} balance past the largest accepted balance {}",
                crate::event::MAX_BALANCE
            );
            let o = &self.orders[i][k];
            let end = if o.filled.is_zero() {
                InactiveOrderState::OpenFailed(rejected(ApiError::OrderRejected(msg)))
            } else {
                InactiveOrderState::Expired
            };
            return self.finish(i, k, time, end);
        }
        let o = &self.orders[i][k];
        match terms.side {
            Side::Buy => {
                // The reservation's share for `qty`: the ratio first, because reserved × qty of
                // tiny amounts falls below Decimal's 28 decimal places and loses its digits; all
                // of it on the last fill, and never more than is reserved.
                let release = if qty >= o.remaining() {
                    o.reserved
                } else {
                    (o.reserved * (qty / o.remaining())).min(o.reserved)
                };
                let cost = notional + fee;
                let available = self.balance(quote).free + release;
                if cost > available {
                    let msg = format!("Available Balance: {available}, Required Balance inc. fees: {cost}");
                    let end = if o.filled.is_zero() {
                        InactiveOrderState::OpenFailed(rejected(ApiError::BalanceInsufficient(quote, msg)))
                    } else {
                        InactiveOrderState::Expired
                    };
                    return self.finish(i, k, time, end);
                }
                self.orders[i][k].reserved -= release;
                self.reserved[quote.0] -= release;
                self.totals[quote.0] -= cost;
                self.totals[base.0] += qty;
            }
            Side::Sell => {
                self.orders[i][k].reserved -= qty;
                self.reserved[base.0] -= qty;
                self.totals[base.0] -= qty;
                self.totals[quote.0] += notional - fee;
            }
        }
        self.orders[i][k].filled += qty;
        // Both legs in one event, so no tick ever sees the quote paid but the base not received.
        let balances = [quote, base]
            .map(|a| AssetBalance { asset: a, balance: self.balance(a), time_exchange: time })
            .to_vec();
        self.emit(
            time,
            AccountEventKind::Snapshot(AccountSnapshot {
                exchange: self.exchange,
                balances,
                instruments: Vec::new(),
            }),
        );
        let o = &self.orders[i][k];
        let trade = Trade {
            id: TradeId(self.next_trade_id.to_string()),
            order_id: o.id.clone(),
            instrument: InstrumentIndex(i),
            strategy: o.order.key.strategy.clone(),
            time_exchange: time,
            side: terms.side,
            price,
            quantity: qty,
            fees: AssetFees { asset: Some(quote), fees: fee },
        };
        self.next_trade_id += 1;
        self.emit(time, AccountEventKind::Trade(trade));
        self.after_fill(i, k, qty, price, event, hit);
        let o = &self.orders[i][k];
        if o.remaining().is_zero() {
            return self.finish(i, k, time, InactiveOrderState::FullyFilled);
        }
        if immediate {
            return self.finish(i, k, time, InactiveOrderState::Expired);
        }
        let (order, open) = (o.order.clone(), o.open_state(time));
        self.emit_order(time, &order, OrderState::Active(ActiveOrderState::Open(open)));
        true
    }

    /// The risk knobs applied when order `o`'s trigger fires (a bracket's exits are exempt: they
    /// only reduce the position their checked entry opened).
    fn check_trigger(&self, o: &SimOrder, hit: stop::Hit) -> Result<(), crate::risk::RiskRefusal> {
        let Some(limits) = &self.trigger_limits else { return Ok(()) };
        if o.order.exit_of.is_some() {
            return Ok(());
        }
        limits.check_trigger(&crate::risk::Triggered {
            kind: o.order.kind,
            price: o.order.price,
            quantity: o.remaining(),
            trigger: hit.level,
        })
    }

    /// Removes order `k`, releases what it still reserves, and reports its final state.
    fn finish(&mut self, i: usize, k: usize, time: Timestamp, end: InactiveOrderState) -> bool {
        let Some(o) = self.orders[i].remove(k) else { return false };
        self.cids[i].remove(&o.order.key.cid);
        self.release(time, &o);
        self.emit_order(time, &o.order, OrderState::Inactive(end));
        false
    }

    /// A trade print of unlimited size at `price`: what fills a market order in full there when no
    /// market data decides (barter's mock, the end of a run).
    fn unlimited_print(&self, i: usize, time: Timestamp, price: Decimal, id: &str) -> MarketEvent {
        MarketEvent {
            time_exchange: time,
            time_received: time,
            exchange: self.instruments.instruments()[i].exchange_id,
            instrument: InstrumentIndex(i),
            kind: DataKind::Trade(crate::event::PublicTrade {
                id: id.into(),
                price,
                amount: Decimal::MAX,
                side: Side::Buy,
            }),
        }
    }

    /// At the end of a run: fills pending market orders at each instrument's last price, or its
    /// last bar's open (there is no later observation to fill them at).
    pub fn settle_market_orders(&mut self, time: Timestamp, at: SettleAt) {
        for i in 0..self.orders.len() {
            self.reach[i] = reach::Reach::Stale;
            let price = match (at, self.last_bar_open[i], self.last[i]) {
                (SettleAt::LastBarOpen, Some(open), _) => open,
                (_, _, LastSeen::Price(p)) => p,
                (_, _, LastSeen::Top) => match self.top[i] {
                    (Some(b), Some(a)) => crate::event::mid(b.price, a.price),
                    _ => continue,
                },
                (_, _, LastSeen::Nothing) => continue,
            };
            let mut k = 0;
            let settle = self.unlimited_print(i, time, price, "settlement");
            while k < self.orders[i].len() {
                let o = &self.orders[i][k];
                // Armed stops have not triggered: nothing settles them.
                if o.order.kind != OrderKind::Market || o.armed.is_some() || o.dead {
                    k += 1;
                    continue;
                }
                self.orders[i][k].observed = false;
                if self.match_order(i, k, &settle, time) {
                    k += 1;
                }
            }
            if self.followup.pending() {
                self.after_observation(i, &settle, time);
            }
        }
    }
}
