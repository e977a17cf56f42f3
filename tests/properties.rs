//! Properties over random event streams: value is conserved per asset, no free balance goes
//! negative, the engine's balances equal the exchange's, the audit replica equals the live state,
//! and the same input gives a bit-identical audit twice.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tidemark::backtest::Simulation;
use tidemark::config::Config;
use tidemark::engine::{AuditTick, Replica};
use tidemark::event::*;
use tidemark::instrument::{ExchangeId, ExchangeIndex, InstrumentIndex};
use tidemark::order::*;
use tidemark::state::TradingState;
use tidemark::time::Timestamp;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn config(
    latency: u64,
    fee_bps: u64,
    participation: Option<u64>,
    strategy: u8,
    close_at_end: bool,
) -> Config {
    let fee = Decimal::new(fee_bps as i64, 4);
    let strategy = match strategy {
        0 => serde_json::json!({"type": "none"}),
        1 => {
            serde_json::json!({"type": "sma_cross", "fast": 2, "slow": 5, "sizing": {"equity_fraction": {"fraction": "0.5"}}})
        }
        2 => {
            serde_json::json!({"type": "market_maker", "spread_bps": 20, "quantity": "0.1", "max_inventory": "0.5"})
        }
        _ => serde_json::json!({"type": "rsi_reversion", "period": 3, "sizing": {"fixed_quantity": "0.2"}}),
    };
    let mut fill = serde_json::json!({});
    if let Some(p) = participation {
        fill["volume_participation"] = serde_json::json!(Decimal::new(p as i64, 1).to_string());
    }
    let v = serde_json::json!({
        "instruments": [
            {"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"},
            {"exchange": "binance_spot", "name_exchange": "ETHUSDT", "underlying": {"base": "eth", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"}
        ],
        "executions": [{"mocked_exchange": "binance_spot", "latency_ms": latency, "fees_percent": fee.to_string(), "maker_fees_percent": (fee / Decimal::TWO).to_string(),
            "slippage_bps": 3, "fill": fill,
            "initial_state": {"exchange": "binance_spot", "balances": [
                {"asset": "usdt", "balance": {"total": "10000", "free": "10000"}, "time_exchange": "2024-01-01T00:00:00Z"},
                {"asset": "btc", "balance": {"total": "0.5", "free": "0.5"}, "time_exchange": "2024-01-01T00:00:00Z"}
            ]}}],
        "engine": {"close_positions_at_end": close_at_end},
        "strategy": strategy
    });
    Config::from_value(v).unwrap()
}

enum Input {
    Market(StreamEvent<MarketEvent>),
    Control(EngineEvent),
}

fn stream(seed: u64, n: usize) -> Vec<Input> {
    let mut r = Rng(seed | 1);
    let mut prices = [Decimal::from(100), Decimal::from(50)];
    let ex = ExchangeId::parse("binance_spot").unwrap();
    let mut out = Vec::new();
    let mut ms = 0i64;
    for k in 0..n {
        ms += r.below(4) as i64;
        let t = Timestamp::from_millis(1_704_067_200_000 + ms);
        let i = r.below(2) as usize;
        let step = Decimal::new(r.below(201) as i64 - 100, 2);
        prices[i] = (prices[i] + step).max(Decimal::ONE);
        let p = prices[i];
        let amount = Decimal::new(1 + r.below(100) as i64, 2);
        let kind = match r.below(10) {
            0..=3 => DataKind::Trade(PublicTrade { id: k.to_string(), price: p, amount, side: Side::Buy }),
            4..=7 => DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: t,
                best_bid: Some(Level { price: p - Decimal::new(5, 2), amount }),
                best_ask: Some(Level { price: p + Decimal::new(5, 2), amount }),
            }),
            _ => DataKind::Candle(Candle {
                close_time: t,
                open: p,
                high: p + Decimal::ONE,
                low: (p - Decimal::ONE).max(Decimal::new(1, 2)),
                close: p,
                volume: amount,
                trade_count: 1,
            }),
        };
        out.push(Input::Market(StreamEvent::Item(MarketEvent {
            time_exchange: t,
            time_received: t,
            exchange: ex,
            instrument: InstrumentIndex(i),
            kind,
        })));
        if r.below(40) == 0 {
            out.push(Input::Market(StreamEvent::Reconnecting(ex)));
        }
        if r.below(6) == 0 {
            let key = |cid: u64| OrderKey {
                exchange: ExchangeIndex(0),
                instrument: InstrumentIndex(i),
                strategy: StrategyId("cmd".into()),
                cid: ClientOrderId(format!("c{cid}").into()),
            };
            let cmd = match r.below(7) {
                0..=2 => {
                    let side = if r.below(2) == 0 { Side::Buy } else { Side::Sell };
                    let kind = if r.below(2) == 0 { OrderKind::Market } else { OrderKind::Limit };
                    let tif = match r.below(5) {
                        0 => TimeInForce::ImmediateOrCancel,
                        1 => TimeInForce::FillOrKill,
                        2 => TimeInForce::GoodUntilEndOfDay,
                        3 if kind == OrderKind::Limit => TimeInForce::GoodUntilCancelled { post_only: true },
                        _ => TimeInForce::GoodUntilCancelled { post_only: false },
                    };
                    let offset = Decimal::new(r.below(200) as i64 - 100, 2);
                    let price = (p + offset).max(Decimal::ONE);
                    let qty = Decimal::new(1 + r.below(80) as i64, 2);
                    let cid = r.below(30);
                    // Stop, stop-limit and trailing orders, and brackets on buys (#12): a third of
                    // the orders carry a trigger, a third of the buys a bracket.
                    let trigger = match r.below(6) {
                        0 => Some(std::sync::Arc::new(Trigger {
                            price: Some((p + offset).max(Decimal::ONE)),
                            trailing: None,
                        })),
                        1 if kind == OrderKind::Market => Some(std::sync::Arc::new(Trigger {
                            price: None,
                            trailing: Some(Trailing::Percent(Decimal::new(1 + r.below(50) as i64, 1))),
                        })),
                        _ => None,
                    };
                    let bracket = (side == Side::Buy && r.below(3) == 0).then(|| {
                        std::sync::Arc::new(Bracket {
                            stop_loss: Some(price * Decimal::new(95, 2)),
                            take_profit: (r.below(2) == 0).then(|| price * Decimal::new(105, 2)),
                            trailing_stop: (r.below(4) == 0).then(|| Trailing::Percent(Decimal::new(2, 0))),
                        })
                    });
                    let bracket = if trigger.as_ref().and_then(|t| t.price).is_some_and(|t| {
                        t >= price * Decimal::new(105, 2) || t <= price * Decimal::new(95, 2)
                    }) {
                        None
                    } else {
                        bracket
                    };
                    Command::SendOpenRequests(OneOrMany::One(OrderRequestOpen {
                        key: key(cid),
                        state: RequestOpen {
                            side,
                            price,
                            quantity: qty,
                            kind,
                            time_in_force: tif,
                            sizing: None,
                            trigger,
                            bracket,
                        },
                    }))
                }
                3 => Command::SendCancelRequests(OneOrMany::One(OrderRequestCancel {
                    key: key(r.below(30)),
                    state: RequestCancel { id: None },
                })),
                4 => Command::CancelOrders(InstrumentFilter::None),
                5 => {
                    Command::ClosePositions(InstrumentFilter::Instruments(OneOrMany::One(InstrumentIndex(i))))
                }
                _ => {
                    let s = if r.below(2) == 0 { TradingState::Enabled } else { TradingState::Disabled };
                    out.push(Input::Control(EngineEvent::TradingStateUpdate(s)));
                    continue;
                }
            };
            out.push(Input::Control(EngineEvent::Command(cmd)));
        }
    }
    out
}

struct Outcome {
    ticks: Vec<AuditTick<'static>>,
    snapshot: tidemark::engine::AuditSnapshot,
    state: tidemark::state::EngineState,
    exchange: Vec<Balance>,
}

fn simulate(config: &Config, inputs: &[Input]) -> Outcome {
    let start = Timestamp::from_millis(1_704_067_200_000);
    let mut sim = Simulation::new(config, start).unwrap();
    let snapshot = sim.snapshot();
    let mut ticks = Vec::new();
    for inp in inputs {
        let sink = &mut |t: &AuditTick| ticks.push(t.to_owned_tick());
        match inp {
            Input::Market(m) => sim.feed(m.clone(), sink).unwrap(),
            Input::Control(c) => {
                // Random commands may reuse a live client id: refused, nothing changes.
                if let Err(e) = sim.control(c.clone(), sink) {
                    assert_eq!(e.code(), tidemark::ErrorCode::InvalidCommand, "{e}");
                }
            }
        }
    }
    for b in sim.exchange(ExchangeIndex(0)).unwrap().balances() {
        assert!(b.free >= Decimal::ZERO && b.free <= b.total, "exchange balance {b:?}");
    }
    let sink = &mut |t: &AuditTick| ticks.push(t.to_owned_tick());
    let report = sim_finish(sim, start, sink);
    Outcome { ticks, snapshot, state: report.0, exchange: report.1 }
}

fn sim_finish(
    sim: Simulation,
    start: Timestamp,
    sink: &mut dyn FnMut(&AuditTick),
) -> (tidemark::state::EngineState, Vec<Balance>) {
    // Read the exchange balances through the final account events the engine received.
    let report = sim.finish(start, sink).unwrap();
    let balances = report.state.assets.iter().map(|a| a.balance.unwrap_or_default()).collect();
    (report.state, balances)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn conservation_replica_and_determinism(seed in any::<u64>(), n in 20usize..220, latency in 0u64..4, fee_bps in 0u64..30,
                                            participation in prop::option::of(1u64..11), strategy in 0u8..4, close in any::<bool>()) {
        let config = config(latency, fee_bps, participation, strategy, close);
        let inputs = stream(seed, n);
        let a = simulate(&config, &inputs);

        // No free balance ever negative (checked on every tick of the engine's view).
        let mut replica = Replica::new(config.instruments.clone(), a.snapshot.clone());
        for t in &a.ticks {
            replica.apply(t).unwrap();
            for s in &replica.state().assets {
                if let Some(b) = s.balance {
                    prop_assert!(b.free >= Decimal::ZERO && b.free <= b.total, "balance {:?} at tick {}", b, t.sequence);
                }
            }
        }
        // The replica equals the live state.
        prop_assert_eq!(replica.state(), &a.state);

        // Value conservation per asset (everything delivered at the end): quote moves only by fills
        // and fees; base moves only by bought − sold.
        let st = &a.state;
        let usdt = config.instruments.find_asset(ExchangeId::parse("binance_spot").unwrap(), "usdt").unwrap();
        let btc = config.instruments.find_asset(ExchangeId::parse("binance_spot").unwrap(), "btc").unwrap();
        let eth = config.instruments.find_asset(ExchangeId::parse("binance_spot").unwrap(), "eth").unwrap();
        let flows: Decimal = st.instruments.iter().map(|s| s.stats.quote_received - s.stats.quote_spent - s.stats.fees).sum();
        prop_assert_eq!(a.exchange[usdt.0].total, Decimal::from(10_000) + flows);
        let (b0, b1) = (&st.instruments[0].stats, &st.instruments[1].stats);
        prop_assert_eq!(a.exchange[btc.0].total, Decimal::new(5, 1) + b0.quantity_bought - b0.quantity_sold);
        prop_assert_eq!(a.exchange[eth.0].total, b1.quantity_bought - b1.quantity_sold);
        // Balances + fees = initial + realised PnL, for every instrument whose position is flat.
        for s in &st.instruments {
            if s.position.is_none() && s.stats.quantity_bought == s.stats.quantity_sold {
                // Equal up to Decimal's 28 significant digits: the weighted-average entry price and the
                // pro-rata fee split of a flip are divisions, rounded there (barter's model too).
                let cash = s.stats.quote_received - s.stats.quote_spent - s.stats.fees;
                let diff = (cash - s.stats.pnl_realised_closed).abs();
                prop_assert!(diff <= Decimal::new(1, 20) * (Decimal::ONE + cash.abs()), "cash {} vs realised {}", cash, s.stats.pnl_realised_closed);
            }
        }
        // Nothing left reserved once every order is done.
        if st.instruments.iter().all(|s| s.orders.is_empty()) {
            for b in &a.exchange {
                prop_assert_eq!(b.free, b.total);
            }
        }

        // Same input, bit-identical audit.
        let b = simulate(&config, &inputs);
        prop_assert_eq!(serde_json::to_string(&a.ticks).unwrap(), serde_json::to_string(&b.ticks).unwrap());
    }
}
