//! Structured sequences of market data, commands, trading-state changes and injected balances run
//! through a `Simulation` on a fixed two-instrument config (btc/usdt, eth/usdt; one of 64
//! variants: latency, strategy, fill model, participation, close at end, risk limits).
//!
//! Checked after every op: no panic; every balance the engine or the exchange holds has
//! 0 <= free <= total; with zero latency both ways (nothing in flight once an op returns) the
//! engine's balances equal the exchange's; a refused op leaves the engine's serialized state and
//! sequence unchanged. At the end: a `Replica` rebuilt from the audit snapshot and the ticks
//! equals the final state; per-asset conservation to Decimal's 28 significant digits (usdt = initial + Σ quote received − quote spent
//! − fees; btc = initial + bought − sold on btc/usdt; eth = bought − sold on eth/usdt) and nothing
//! reserved when no order is left (both up to rounding) — unless a balance was injected (the engine then holds the
//! injected figures, not the exchange's).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use std::sync::OnceLock;
use tidemark::backtest::Simulation;
use tidemark::config::Config;
use tidemark::engine::{AuditTick, Replica};
use tidemark::event::*;
use tidemark::instrument::{AssetIndex, ExchangeId, ExchangeIndex, InstrumentIndex};
use tidemark::order::*;
use tidemark::state::TradingState;
use tidemark::time::Timestamp;

const START_MS: i64 = 1_704_067_200_000;
const INITIAL_USDT: i64 = 10_000;

fn config_json(variant: u8) -> serde_json::Value {
    let latency = if variant & 1 == 0 { 0 } else { 3 };
    let mock = variant & 4 != 0 && variant & 8 != 0;
    let strategy = match (variant >> 1) & 3 {
        0 | 1 => serde_json::json!({"type": "none"}),
        2 => {
            serde_json::json!({"type": "market_maker", "spread_bps": 20, "quantity": "0.1", "max_inventory": "0.5"})
        }
        _ => {
            serde_json::json!({"type": "sma_cross", "fast": 2, "slow": 4, "sizing": {"equity_fraction": {"fraction": "0.5"}}})
        }
    };
    let mut execution = serde_json::json!({
        "mocked_exchange": "binance_spot", "latency_ms": latency, "fees_percent": "0.001",
        "maker_fees_percent": "0.0005",
        "initial_state": {"exchange": "binance_spot", "balances": [
            {"asset": "usdt", "balance": {"total": INITIAL_USDT.to_string(), "free": INITIAL_USDT.to_string()}, "time_exchange": "2024-01-01T00:00:00Z"},
            {"asset": "btc", "balance": {"total": "0.5", "free": "0.5"}, "time_exchange": "2024-01-01T00:00:00Z"}
        ]}
    });
    if mock {
        execution["fill"] = serde_json::json!({"model": "barter_mock"});
    } else {
        execution["slippage_bps"] = serde_json::json!(3);
        let mut fill = serde_json::json!({});
        if variant & 8 != 0 {
            fill["volume_participation"] = serde_json::json!("0.5");
        }
        if variant & 4 != 0 {
            fill["limit_fill"] = serde_json::json!("trade_through");
        }
        execution["fill"] = fill;
    }
    let mut v = serde_json::json!({
        "instruments": [
            {"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"},
            {"exchange": "binance_spot", "name_exchange": "ETHUSDT", "underlying": {"base": "eth", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"}
        ],
        "executions": [execution],
        "engine": {"close_positions_at_end": variant & 16 != 0},
        "strategy": strategy
    });
    if variant & 32 != 0 {
        v["risk"] = serde_json::json!({"max_order_notional": "2000", "max_open_orders_per_instrument": 3,
            "max_price_deviation": "0.2", "max_drawdown": "0.3"});
    }
    v
}

fn configs() -> &'static [Config] {
    static C: OnceLock<Vec<Config>> = OnceLock::new();
    C.get_or_init(|| (0..64).map(|v| Config::from_value(config_json(v)).expect("fuzz config")).collect())
}

/// A decimal: mostly a sane value near `base`, sometimes anything a `Decimal` can hold.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Num {
    mode: u8,
    raw: u32,
    scale: u8,
    big: i64,
}

impl Num {
    fn price(self, base: i64) -> Decimal {
        match self.mode % 16 {
            0..=12 => Decimal::new(base * 100 + (self.raw % 2001) as i64 - 1000, 2).max(Decimal::new(1, 2)),
            13 => Decimal::new((self.raw % 1_000_000) as i64, (self.scale % 8) as u32),
            _ => Decimal::new(self.big, (self.scale % 29) as u32),
        }
    }

    fn qty(self) -> Decimal {
        match self.mode % 16 {
            0..=12 => Decimal::new(1 + (self.raw % 100) as i64, 2),
            13 => Decimal::new((self.raw % 1_000_000) as i64, (self.scale % 8) as u32),
            14 => Decimal::ZERO,
            _ => Decimal::new(self.big, (self.scale % 29) as u32),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    Trade {
        inst: bool,
        dt: i8,
        price: Num,
        amount: Num,
        buy: bool,
    },
    L1 {
        inst: bool,
        dt: i8,
        bid: Num,
        spread: u8,
        amount: Num,
        sides: u8,
    },
    Candle {
        inst: bool,
        dt: i8,
        open: Num,
        high: u8,
        low: u8,
        close: u8,
        volume: Num,
        raw: Option<(Num, Num)>,
    },
    L2 {
        inst: bool,
        dt: i8,
        snapshot: bool,
        bids: Vec<(u8, Num)>,
        asks: Vec<(u8, Num)>,
    },
    Reconnect,
    Open {
        inst: bool,
        cid: u8,
        buy: bool,
        market: bool,
        tif: u8,
        price: Num,
        qty: Num,
        /// Stop, trailing and bracket conditions (none half the time).
        cond: u8,
        level: Num,
        other: Num,
    },
    Cancel {
        inst: bool,
        cid: u8,
    },
    CancelAll {
        filter: u8,
    },
    Close {
        filter: u8,
    },
    Trading(bool),
    Balance {
        asset: u8,
        total: Num,
        free: Num,
        dt: i8,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    variant: u8,
    ops: Vec<Op>,
}

fn filter(f: u8) -> InstrumentFilter {
    match f % 4 {
        0 => InstrumentFilter::None,
        1 => InstrumentFilter::Instruments(OneOrMany::One(InstrumentIndex((f as usize >> 2) % 3))),
        2 => InstrumentFilter::Exchanges(OneOrMany::One(ExchangeIndex((f as usize >> 2) % 2))),
        _ => InstrumentFilter::Instruments(OneOrMany::Many(vec![InstrumentIndex(0), InstrumentIndex(1)])),
    }
}

enum Action {
    Feed(StreamEvent<MarketEvent>),
    Control(EngineEvent),
}

/// Keeps a tick for the replica check; with `show`, prints its account event.
fn keep(ticks: &mut Vec<AuditTick<'static>>, t: &AuditTick, show: bool) {
    if let (true, EngineEvent::Account(a)) = (show, t.event.as_ref()) {
        eprintln!("  account {}", serde_json::to_string(a).unwrap());
    }
    ticks.push(t.to_owned_tick());
}

fn check_balance(b: &Balance, what: &str) {
    assert!(b.free >= Decimal::ZERO && b.free <= b.total, "{what} balance out of bounds: {b:?}");
}

fuzz_target!(|input: Input| {
    // `FUZZ_SHOW=1 fuzz/target/.../engine CRASH_FILE` prints what a crashing input does.
    let show = std::env::var_os("FUZZ_SHOW").is_some();
    if show {
        eprintln!("variant {}", input.variant % 64);
    }
    let variant = input.variant % 64;
    let config = &configs()[variant as usize];
    let zero_latency = variant & 1 == 0;
    let ex = ExchangeId::parse("binance_spot").unwrap();
    let start = Timestamp::from_millis(START_MS);
    let mut sim = Simulation::new(config, start).unwrap();
    let snapshot = sim.snapshot();
    let mut ticks: Vec<AuditTick<'static>> = Vec::new();
    // Starts the simulation (the account snapshot is delivered) with an event that changes nothing.
    sim.control(EngineEvent::TradingStateUpdate(TradingState::Enabled), &mut |t| {
        ticks.push(t.to_owned_tick())
    })
    .unwrap();
    let mut ms = 0i64;
    let mut injected = false;

    for op in input.ops.into_iter().take(64) {
        let base = |inst: bool| if inst { 50 } else { 100 };
        let idx = |inst: bool| InstrumentIndex(inst as usize);
        let mut at = |dt: i8| {
            let t = ms + dt as i64;
            if dt >= 0 {
                ms = t;
            }
            Timestamp::from_millis(START_MS + t)
        };
        let market = |inst: bool, t: Timestamp, kind: DataKind| {
            Action::Feed(StreamEvent::Item(MarketEvent {
                time_exchange: t,
                time_received: t,
                exchange: ex,
                instrument: idx(inst),
                kind,
            }))
        };
        let action = match op {
            Op::Trade { inst, dt, price, amount, buy } => {
                let t = at(dt);
                let side = if buy { Side::Buy } else { Side::Sell };
                market(
                    inst,
                    t,
                    DataKind::Trade(PublicTrade {
                        id: ms.to_string(),
                        price: price.price(base(inst)),
                        amount: amount.qty(),
                        side,
                    }),
                )
            }
            Op::L1 { inst, dt, bid, spread, amount, sides } => {
                let t = at(dt);
                let b = bid.price(base(inst));
                let a = b + Decimal::new(spread as i64, 2);
                let lvl = |p| Level { price: p, amount: amount.qty() };
                market(
                    inst,
                    t,
                    DataKind::OrderBookL1(OrderBookL1 {
                        last_update_time: t,
                        best_bid: (sides & 1 == 0).then(|| lvl(b)),
                        best_ask: (sides & 2 == 0).then(|| lvl(a)),
                    }),
                )
            }
            Op::Candle { inst, dt, open, high, low, close, volume, raw } => {
                let t = at(dt);
                let o = open.price(base(inst));
                let cent = Decimal::new(1, 2);
                let (h, l) = match raw {
                    Some((h, l)) => (h.price(base(inst)), l.price(base(inst))),
                    None => (o + Decimal::from(high % 8), (o - Decimal::from(low % 8)).max(cent)),
                };
                let c = (l + (h - l) * Decimal::new((close % 101) as i64, 2)).max(cent);
                market(
                    inst,
                    t,
                    DataKind::Candle(Candle {
                        close_time: t,
                        open: o,
                        high: h,
                        low: l,
                        close: c,
                        volume: volume.qty(),
                        trade_count: 1,
                    }),
                )
            }
            Op::L2 { inst, dt, snapshot, bids, asks } => {
                let t = at(dt);
                let p0 = Decimal::from(base(inst));
                let levels = |v: Vec<(u8, Num)>, sign: i64| Levels {
                    levels: v
                        .into_iter()
                        .take(6)
                        .map(|(off, a)| Level {
                            price: p0 + Decimal::new(sign * (1 + off as i64), 2),
                            amount: a.qty(),
                        })
                        .collect(),
                };
                let book = OrderBook {
                    sequence: ms as u64,
                    time_engine: None,
                    bids: levels(bids, -1),
                    asks: levels(asks, 1),
                };
                let kind =
                    if snapshot { OrderBookEvent::Snapshot(book) } else { OrderBookEvent::Update(book) };
                market(inst, t, DataKind::OrderBook(kind))
            }
            Op::Reconnect => Action::Feed(StreamEvent::Reconnecting(ex)),
            Op::Open { inst, cid, buy, market, tif, price, qty, cond, level, other } => {
                let b = base(inst);
                let percent = |n: Num| Decimal::new(1 + i64::from(n.raw % 2000), 2);
                let trigger = match cond % 8 {
                    4 => Some(Trigger { price: Some(level.price(b)), trailing: None }),
                    5 => Some(Trigger { price: None, trailing: Some(Trailing::Percent(percent(level))) }),
                    6 => Some(Trigger { price: None, trailing: Some(Trailing::Distance(level.qty())) }),
                    _ => None,
                };
                let bracket = match cond % 8 {
                    3 | 7 => Some(Bracket {
                        stop_loss: Some(level.price(b)),
                        take_profit: Some(other.price(b)),
                        trailing_stop: (cond & 8 != 0).then(|| Trailing::Percent(percent(other))),
                    }),
                    _ => None,
                };
                let kind = if market { OrderKind::Market } else { OrderKind::Limit };
                let time_in_force = match tif % 5 {
                    0 => TimeInForce::ImmediateOrCancel,
                    1 => TimeInForce::FillOrKill,
                    2 => TimeInForce::GoodUntilEndOfDay,
                    3 => TimeInForce::GoodUntilCancelled { post_only: true },
                    _ => TimeInForce::GoodUntilCancelled { post_only: false },
                };
                Action::Control(EngineEvent::Command(Command::SendOpenRequests(OneOrMany::One(
                    OrderRequestOpen {
                        key: OrderKey {
                            exchange: ExchangeIndex(0),
                            instrument: idx(inst),
                            strategy: StrategyId("fuzz".into()),
                            cid: ClientOrderId(format!("c{}", cid % 16).into()),
                        },
                        state: RequestOpen {
                            side: if buy { Side::Buy } else { Side::Sell },
                            price: price.price(base(inst)),
                            quantity: qty.qty(),
                            kind,
                            time_in_force,
                            sizing: None,
                            trigger: trigger.map(std::sync::Arc::new),
                            bracket: bracket.map(std::sync::Arc::new),
                        },
                    },
                ))))
            }
            Op::Cancel { inst, cid } => Action::Control(EngineEvent::Command(Command::SendCancelRequests(
                OneOrMany::One(OrderRequestCancel {
                    key: OrderKey {
                        exchange: ExchangeIndex(0),
                        instrument: idx(inst),
                        strategy: StrategyId("fuzz".into()),
                        cid: ClientOrderId(format!("c{}", cid % 16).into()),
                    },
                    state: RequestCancel { id: None },
                }),
            ))),
            Op::CancelAll { filter: f } => {
                Action::Control(EngineEvent::Command(Command::CancelOrders(filter(f))))
            }
            Op::Close { filter: f } => {
                Action::Control(EngineEvent::Command(Command::ClosePositions(filter(f))))
            }
            Op::Trading(on) => Action::Control(EngineEvent::TradingStateUpdate(if on {
                TradingState::Enabled
            } else {
                TradingState::Disabled
            })),
            Op::Balance { asset, total, free, dt } => {
                let t = at(dt);
                Action::Control(EngineEvent::from(AccountEvent {
                    exchange: ExchangeIndex(0),
                    kind: AccountEventKind::BalanceSnapshot(AssetBalance {
                        asset: AssetIndex((asset % 4) as usize),
                        balance: Balance { total: total.qty(), free: free.qty() },
                        time_exchange: t,
                    }),
                }))
            }
        };

        let before_state = sim.engine().state().clone();
        let before_sequence = sim.engine().sequence();
        let is_balance = matches!(&action, Action::Control(EngineEvent::Account(_)));
        let sink = &mut |t: &AuditTick| keep(&mut ticks, t, show);
        if show {
            match &action {
                Action::Feed(m) => eprintln!("feed {}", serde_json::to_string(m).unwrap()),
                Action::Control(c) => eprintln!("control {}", serde_json::to_string(c).unwrap()),
            }
        }
        let result = match action {
            Action::Feed(m) => sim.feed(m, sink),
            Action::Control(c) => sim.control(c, sink),
        };
        match result {
            Ok(()) => injected |= is_balance,
            Err(e) => {
                assert!(e.is_recoverable(), "an input was refused as unrecoverable: {e}");
                assert_eq!(sim.engine().sequence(), before_sequence, "a refused input was processed: {e}");
                assert_eq!(
                    serde_json::to_string(sim.engine().state()).unwrap(),
                    serde_json::to_string(&before_state).unwrap(),
                    "a refused input changed the state: {e}"
                );
            }
        }

        let state = sim.engine().state();
        for a in &state.assets {
            if let Some(b) = &a.balance {
                check_balance(b, "engine");
            }
        }
        let exchange = sim.exchange(ExchangeIndex(0)).unwrap();
        for b in &exchange.balances() {
            check_balance(b, "exchange");
        }
        if zero_latency && !injected {
            for (i, b) in exchange.balances().iter().enumerate() {
                let engine = state.assets[i].balance.unwrap_or_default();
                assert_eq!(
                    engine, *b,
                    "asset {i}: the engine's balance differs from the exchange's with nothing in flight"
                );
            }
        }
    }

    let sink = &mut |t: &AuditTick| keep(&mut ticks, t, show);
    let report = sim.finish(start, sink).expect("finish");
    let st = &report.state;

    let mut replica = Replica::new(config.instruments.clone(), snapshot);
    for t in &ticks {
        replica.apply(t).unwrap();
    }
    assert_eq!(replica.state(), st, "the replica differs from the live state");

    for a in &st.assets {
        if let Some(b) = &a.balance {
            check_balance(b, "final engine");
        }
    }
    if !injected {
        let total = |name: &str| {
            let a = config.instruments.find_asset(ex, name).unwrap();
            st.assets[a.0].balance.unwrap_or_default().total
        };
        let flows: Decimal =
            st.instruments.iter().map(|s| s.stats.quote_received - s.stats.quote_spent - s.stats.fees).sum();
        // Exact up to Decimal's 28 significant digits: amounts with many decimals (a quantity of
        // 82.43112759162532965 at 50.37) are rounded where they are multiplied and summed, and the
        // sums of gross flows are rounded at their own magnitude: 4.6e11 bought and sold around a
        // fill of 1.08e-5 (23 decimals) keeps 16 of those decimals in `quantity_bought` while the
        // balance, back at zero before that fill, keeps all 23 (found by the long run).
        let conserved = |name: &str, expected: Decimal, gross: Decimal| {
            let got = total(name);
            let diff = (got - expected).abs();
            assert!(
                diff <= Decimal::new(1, 20) * (Decimal::ONE + expected.abs() + gross),
                "{name} not conserved: {got} vs {expected}"
            );
        };
        let gross_quote: Decimal =
            st.instruments.iter().map(|s| s.stats.quote_received + s.stats.quote_spent + s.stats.fees).sum();
        conserved("usdt", Decimal::from(INITIAL_USDT) + flows, gross_quote);
        let (b0, b1) = (&st.instruments[0].stats, &st.instruments[1].stats);
        conserved(
            "btc",
            Decimal::new(5, 1) + b0.quantity_bought - b0.quantity_sold,
            b0.quantity_bought + b0.quantity_sold,
        );
        conserved("eth", b1.quantity_bought - b1.quantity_sold, b1.quantity_bought + b1.quantity_sold);
        if st.instruments.iter().all(|s| s.orders.is_empty()) {
            for a in &st.assets {
                if let Some(b) = &a.balance {
                    // Exactly: the exchange sets free from total once no order holds the asset
                    // (free and total are rounded apart, so a released reservation alone may
                    // leave them a last digit apart).
                    assert_eq!(b.free, b.total, "reserved with no order left: {b:?}");
                }
            }
        }
    }
});
