#![allow(dead_code)]
//! Helpers shared by the integration tests.

use rust_decimal::Decimal;
use tidemark::backtest::Simulation;
use tidemark::config::Config;
use tidemark::engine::AuditTick;
use tidemark::event::*;
use tidemark::instrument::{ExchangeId, InstrumentIndex};
use tidemark::order::*;
use tidemark::time::Timestamp;

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn t(ms: i64) -> Timestamp {
    Timestamp::from_millis(1_700_000_000_000 + ms)
}

/// One spot instrument btc/usdt on binance_spot plus optionally eth/btc; fees, latency, extras.
pub fn config(fees: &str, latency: u64, usdt: &str, btc: &str, extra: serde_json::Value) -> Config {
    let mut v = serde_json::json!({
        "instruments": [
            {"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"},
            {"exchange": "binance_spot", "name_exchange": "ETHBTC", "underlying": {"base": "eth", "quote": "btc"}, "quote": "underlying_quote", "kind": "spot"}
        ],
        "executions": [{"mocked_exchange": "binance_spot", "latency_ms": latency, "fees_percent": fees,
            "initial_state": {"exchange": "binance_spot", "balances": [
                {"asset": "usdt", "balance": {"total": usdt, "free": usdt}, "time_exchange": "2023-01-01T00:00:00Z"},
                {"asset": "btc", "balance": {"total": btc, "free": btc}, "time_exchange": "2023-01-01T00:00:00Z"}
            ], "instruments": []}}],
        "engine": {"trading_state": "Enabled"}
    });
    if let serde_json::Value::Object(m) = extra {
        for (k, val) in m {
            if k == "execution" {
                for (k2, v2) in val.as_object().unwrap() {
                    v["executions"][0][k2] = v2.clone();
                }
            } else {
                v[k] = val;
            }
        }
    }
    Config::from_value(v).unwrap()
}

pub const BTC: InstrumentIndex = InstrumentIndex(0);
pub const ETHBTC: InstrumentIndex = InstrumentIndex(1);

pub fn trade(i: InstrumentIndex, ms: i64, price: &str, amount: &str) -> StreamEvent<MarketEvent> {
    StreamEvent::Item(MarketEvent {
        time_exchange: t(ms),
        time_received: t(ms),
        exchange: ExchangeId::parse("binance_spot").unwrap(),
        instrument: i,
        kind: DataKind::Trade(PublicTrade {
            id: ms.to_string(),
            price: d(price),
            amount: d(amount),
            side: Side::Buy,
        }),
    })
}

pub fn l1(i: InstrumentIndex, ms: i64, bid: &str, ask: &str, amount: &str) -> StreamEvent<MarketEvent> {
    StreamEvent::Item(MarketEvent {
        time_exchange: t(ms),
        time_received: t(ms),
        exchange: ExchangeId::parse("binance_spot").unwrap(),
        instrument: i,
        kind: DataKind::OrderBookL1(OrderBookL1 {
            last_update_time: t(ms),
            best_bid: Some(Level { price: d(bid), amount: d(amount) }),
            best_ask: Some(Level { price: d(ask), amount: d(amount) }),
        }),
    })
}

pub fn candle(
    i: InstrumentIndex,
    ms: i64,
    o: &str,
    h: &str,
    l: &str,
    c: &str,
    v: &str,
) -> StreamEvent<MarketEvent> {
    StreamEvent::Item(MarketEvent {
        time_exchange: t(ms),
        time_received: t(ms),
        exchange: ExchangeId::parse("binance_spot").unwrap(),
        instrument: i,
        kind: DataKind::Candle(Candle {
            close_time: t(ms),
            open: d(o),
            high: d(h),
            low: d(l),
            close: d(c),
            volume: d(v),
            trade_count: 0,
        }),
    })
}

pub fn open(
    i: InstrumentIndex,
    cid: &str,
    side: Side,
    kind: OrderKind,
    price: &str,
    qty: &str,
    tif: TimeInForce,
) -> EngineEvent {
    EngineEvent::Command(Command::SendOpenRequests(OneOrMany::One(OrderRequestOpen {
        key: OrderKey {
            exchange: tidemark::instrument::ExchangeIndex(0),
            instrument: i,
            strategy: StrategyId("manual".into()),
            cid: ClientOrderId(cid.into()),
        },
        state: RequestOpen {
            side,
            price: d(price),
            quantity: d(qty),
            kind,
            time_in_force: tif,
            sizing: None,
            trigger: None,
            bracket: None,
        },
    })))
}

pub fn cancel(i: InstrumentIndex, cid: &str) -> EngineEvent {
    EngineEvent::Command(Command::SendCancelRequests(OneOrMany::One(OrderRequestCancel {
        key: OrderKey {
            exchange: tidemark::instrument::ExchangeIndex(0),
            instrument: i,
            strategy: StrategyId("manual".into()),
            cid: ClientOrderId(cid.into()),
        },
        state: RequestCancel { id: None },
    })))
}

pub const GTC: TimeInForce = TimeInForce::GoodUntilCancelled { post_only: false };

/// A simulation that records every tick.
pub struct Harness {
    pub sim: Simulation,
    pub ticks: Vec<AuditTick<'static>>,
}

impl Harness {
    pub fn new(config: &Config) -> Self {
        Harness { sim: Simulation::new(config, t(0)).unwrap(), ticks: Vec::new() }
    }

    pub fn feed(&mut self, e: StreamEvent<MarketEvent>) {
        let ticks = &mut self.ticks;
        self.sim.feed(e, &mut |tk| ticks.push(tk.to_owned_tick())).unwrap();
    }

    pub fn control(&mut self, e: EngineEvent) {
        let ticks = &mut self.ticks;
        self.sim.control(e, &mut |tk| ticks.push(tk.to_owned_tick())).unwrap();
    }

    pub fn fills(&self) -> Vec<Trade> {
        self.ticks
            .iter()
            .filter_map(|tk| match tk.event.as_ref() {
                EngineEvent::Account(StreamEvent::Item(AccountEvent {
                    kind: AccountEventKind::Trade(t),
                    ..
                })) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn final_states(&self, cid: &str) -> Vec<OrderState> {
        self.ticks
            .iter()
            .filter_map(|tk| match tk.event.as_ref() {
                EngineEvent::Account(StreamEvent::Item(AccountEvent {
                    kind: AccountEventKind::OrderSnapshot(o),
                    ..
                })) if &*o.key.cid.0 == cid => Some(o.state.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn balance(&self, asset: usize) -> Balance {
        self.sim.engine().state().balance(tidemark::instrument::AssetIndex(asset))
    }
}
