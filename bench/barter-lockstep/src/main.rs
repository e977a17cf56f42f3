//! Runs barter 0.14's Engine with its MockExchange over a barter market stream, in lockstep: after a
//! market event that made the strategy send orders, the mock's responses and fills (after its
//! latency, in tokio's paused virtual time) are fed to the engine before the next market event.
//! Prints the PnL, fees and fill count as JSON (and every fill as JSON lines with `--fills FILE`).
//!
//! Strategy (the same in bench/barter-lockstep.mjs for Tidemark): per instrument, count market
//! events (`Item`s: trades, L1, ...); on every N-th one, if a trade of that instrument was seen,
//! send a market IOC order of quantity Q at the last trade price, alternating buy, sell, buy, ...
//!
//! `--mode async` (current-thread runtime) or `async-mt` (multi-thread) instead runs barter's own
//! `backtest::backtest` (Stream feed, real latency sleeps, fills arriving whenever the wall clock
//! lets them, those still in flight at the end dropped), for reference: not deterministic.
//!
//! Usage: barter-lockstep --config CONFIG.json --data STREAM.json[l] --n N --qty Q
//!        [--mode lockstep|async|async-mt] [--fills FILLS.jsonl]

use barter::{
    backtest::{market_data::MarketDataInMemory, BacktestArgsConstant, BacktestArgsDynamic},
    engine::{
        clock::HistoricalClock,
        execution_tx::MultiExchangeTxMap,
        state::{
            builder::EngineStateBuilder,
            global::DefaultGlobalData,
            instrument::{data::InstrumentDataState, filter::InstrumentFilter},
            order::in_flight_recorder::InFlightRequestRecorder,
            trading::TradingState,
            EngineState,
        },
        Engine, Processor,
    },
    execution::builder::{ExecutionBuild, ExecutionBuilder},
    risk::DefaultRiskManager,
    statistic::time::Daily,
    strategy::{
        algo::AlgoStrategy,
        close_positions::{close_open_positions_with_market_orders, ClosePositionsStrategy},
        on_disconnect::OnDisconnectStrategy,
        on_trading_disabled::OnTradingDisabled,
    },
    system::config::{ExecutionConfig, SystemConfig},
    EngineEvent,
};
use barter_data::{
    event::{DataKind, MarketEvent},
    streams::consumer::MarketStreamEvent,
};
use barter_execution::{
    order::{
        id::{ClientOrderId, StrategyId},
        request::{OrderRequestCancel, OrderRequestOpen, RequestOpen},
        OrderKey, OrderKind, TimeInForce,
    },
    AccountEvent, AccountEventKind,
};
use barter_instrument::{
    asset::AssetIndex,
    exchange::{ExchangeId, ExchangeIndex},
    index::IndexedInstruments,
    instrument::InstrumentIndex,
    Side,
};
use rust_decimal::{prelude::FromPrimitive, Decimal};
use serde_json::{json, Value};
use smol_str::SmolStr;
use std::{
    io::{BufRead, BufReader, Write},
    str::FromStr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

type State = EngineState<DefaultGlobalData, Data>;
type Risk = DefaultRiskManager<State>;

/// Per-instrument strategy data: the event count, the last trade price, and the order due.
#[derive(Debug, Clone)]
struct Data {
    n: u64,
    qty: Decimal,
    events: u64,
    last_trade: Option<f64>,
    /// (side, price) of the order to send after this event, cleared once it is sent.
    due: Option<(Side, Decimal)>,
    orders: u64,
    sent: Arc<AtomicU64>,
}

impl InstrumentDataState for Data {
    type MarketEventKind = DataKind;
    fn price(&self) -> Option<Decimal> {
        self.last_trade.and_then(Decimal::from_f64)
    }
}

impl Processor<&MarketEvent<InstrumentIndex, DataKind>> for Data {
    type Audit = ();
    fn process(&mut self, event: &MarketEvent<InstrumentIndex, DataKind>) {
        self.events += 1;
        if let DataKind::Trade(t) = &event.kind {
            self.last_trade = Some(t.price);
        }
        if self.events % self.n == 0 {
            if let Some(p) = self.last_trade {
                let side = if self.orders % 2 == 0 { Side::Buy } else { Side::Sell };
                // What barter's own strategies do (benches/backtest): the f64 price as a Decimal.
                self.due = Some((side, Decimal::from_f64(p).expect("finite price")));
            }
        }
    }
}

impl Processor<&AccountEvent> for Data {
    type Audit = ();
    fn process(&mut self, _: &AccountEvent) {}
}

impl InFlightRequestRecorder for Data {
    fn record_in_flight_cancel(&mut self, _: &OrderRequestCancel<ExchangeIndex, InstrumentIndex>) {}
    fn record_in_flight_open(&mut self, _: &OrderRequestOpen<ExchangeIndex, InstrumentIndex>) {
        self.due = None;
        self.orders += 1;
        self.sent.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Debug, Clone)]
struct Strat {
    id: StrategyId,
}

impl AlgoStrategy for Strat {
    type State = State;
    fn generate_algo_orders(
        &self,
        state: &State,
    ) -> (
        impl IntoIterator<Item = OrderRequestCancel<ExchangeIndex, InstrumentIndex>>,
        impl IntoIterator<Item = OrderRequestOpen<ExchangeIndex, InstrumentIndex>>,
    ) {
        let opens = state.instruments.instruments(&InstrumentFilter::None).filter_map(|s| {
            let (side, price) = s.data.due?;
            Some(OrderRequestOpen {
                key: OrderKey {
                    exchange: s.instrument.exchange,
                    instrument: s.key,
                    strategy: self.id.clone(),
                    cid: ClientOrderId::new(format!("{}-{}", s.key.index(), s.data.orders)),
                },
                state: RequestOpen {
                    side,
                    price,
                    quantity: s.data.qty,
                    kind: OrderKind::Market,
                    time_in_force: TimeInForce::ImmediateOrCancel,
                },
            })
        });
        (std::iter::empty(), opens)
    }
}

impl ClosePositionsStrategy for Strat {
    type State = State;
    fn close_positions_requests<'a>(
        &'a self,
        state: &'a State,
        filter: &'a InstrumentFilter,
    ) -> (
        impl IntoIterator<Item = OrderRequestCancel<ExchangeIndex, InstrumentIndex>> + 'a,
        impl IntoIterator<Item = OrderRequestOpen<ExchangeIndex, InstrumentIndex>> + 'a,
    )
    where
        ExchangeIndex: 'a,
        AssetIndex: 'a,
        InstrumentIndex: 'a,
    {
        close_open_positions_with_market_orders(&self.id, state, filter, |_| ClientOrderId::random())
    }
}

impl<Clock> OnDisconnectStrategy<Clock, State, MultiExchangeTxMap, Risk> for Strat {
    type OnDisconnect = ();
    fn on_disconnect(_: &mut Engine<Clock, State, MultiExchangeTxMap, Self, Risk>, _: ExchangeId) {}
}

impl<Clock> OnTradingDisabled<Clock, State, MultiExchangeTxMap, Risk> for Strat {
    type OnTradingDisabled = ();
    fn on_trading_disabled(_: &mut Engine<Clock, State, MultiExchangeTxMap, Self, Risk>) {}
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// Stream items as the engine takes them: `{"Item":{...}}`, `{"Item":{"Ok":{...}}}` (the raw
/// stream; `Err` items are skipped) or `{"Reconnecting":"..."}`; a JSON array or JSON lines.
fn read_events(path: &str) -> Vec<MarketStreamEvent<InstrumentIndex, DataKind>> {
    let parse = |mut v: Value| -> Option<MarketStreamEvent<InstrumentIndex, DataKind>> {
        if let Some(item) = v.get_mut("Item") {
            if let Some(ok) = item.get_mut("Ok") {
                let ok = ok.take();
                *item = ok;
            } else if item.get("Err").is_some() {
                return None;
            }
        }
        Some(serde_json::from_value(v).expect("a barter MarketStreamEvent"))
    };
    let file = std::fs::File::open(path).expect("data file");
    let mut r = BufReader::new(file);
    let first = r.fill_buf().expect("read").iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let all: Vec<Value> = serde_json::from_reader(r).expect("a JSON array");
        all.into_iter().filter_map(parse).collect()
    } else {
        r.lines()
            .map(|l| l.expect("read"))
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| parse(serde_json::from_str::<Value>(&l).expect("a JSON line")))
            .collect()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let config_path = arg(&args, "--config").expect("--config");
    let data_path = arg(&args, "--data").expect("--data");
    let n: u64 = arg(&args, "--n").expect("--n").parse().expect("N");
    let qty = Decimal::from_str(&arg(&args, "--qty").expect("--qty")).expect("Q");
    let mode = arg(&args, "--mode").unwrap_or_else(|| "lockstep".into());
    let fills_path = arg(&args, "--fills");

    let config: Value = serde_json::from_str(&std::fs::read_to_string(&config_path).unwrap()).unwrap();
    // barter's system_config.json shape, or backtest_config.json's {"system": {...}}.
    let system = config.get("system").cloned().unwrap_or(config);
    let SystemConfig { instruments, executions } = serde_json::from_value(system).expect("SystemConfig");
    let instruments = IndexedInstruments::new(instruments);
    let latency_ms = executions.iter().map(|ExecutionConfig::Mock(m)| m.latency_ms).max().unwrap_or(0);

    let t_read = Instant::now();
    let events = read_events(&data_path);
    let read_s = t_read.elapsed().as_secs_f64();
    let n_events = events.len();
    let time_first = events
        .iter()
        .find_map(|e| match e {
            MarketStreamEvent::Item(e) => Some(e.time_exchange),
            _ => None,
        })
        .expect("a market event");

    let sent = Arc::new(AtomicU64::new(0));
    let state: State = EngineStateBuilder::new(&instruments, DefaultGlobalData::default(), |_| Data {
        n,
        qty,
        events: 0,
        last_trade: None,
        due: None,
        orders: 0,
        sent: Arc::clone(&sent),
    })
    .time_engine_start(time_first)
    .trading_state(TradingState::Enabled)
    .build();
    let strategy = Strat { id: StrategyId::new("lockstep") };

    let rt = if mode == "async-mt" {
        tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(mode == "lockstep")
            .build()
            .unwrap()
    };
    let t0 = Instant::now();
    let mut fills: Vec<Value> = Vec::new();
    let (state, summary, start_time) = if mode == "lockstep" {
        rt.block_on(async {
            let clock = HistoricalClock::new(time_first);
            let mut builder = ExecutionBuilder::new(&instruments);
            for ExecutionConfig::Mock(m) in executions.clone() {
                builder = builder.add_mock(m, clock.clone()).expect("mock");
            }
            let ExecutionBuild { execution_tx_map, account_channel, futures } = builder.build();
            let _handles = futures.init().await.expect("execution init");
            let mut rx = account_channel.rx.rx;
            let mut engine = Engine::new(clock, state, execution_tx_map, strategy, Risk::default());
            let settle = Duration::from_millis(2 * latency_ms + 50);
            let mut handled = 0u64;
            // Lets every spawned mock/manager task run (virtual time jumps past the latency), then
            // feeds the engine whatever account events came, until no order is left unanswered.
            macro_rules! drain {
                () => {{
                    loop {
                        tokio::time::sleep(settle).await;
                        let mut any = false;
                        while let Ok(ev) = rx.try_recv() {
                            any = true;
                            if let barter::execution::AccountStreamEvent::Item(AccountEvent { kind: AccountEventKind::Trade(t), .. }) = &ev {
                                fills.push(json!({
                                    "instrument": t.instrument.index(), "side": format!("{:?}", t.side),
                                    "price": t.price, "quantity": t.quantity, "fee": t.fees.fees,
                                    "cid": t.order_id.0.as_str(),
                                }));
                            }
                            engine.process(EngineEvent::Account(ev));
                        }
                        let s = sent.load(Ordering::Relaxed);
                        let busy = engine.state.instruments.instruments(&InstrumentFilter::None).any(|i| i.orders.0.len() > 0);
                        if !any && !busy && handled == s {
                            break;
                        }
                        handled = s;
                    }
                }};
            }
            drain!(); // the account snapshot
            for e in events {
                engine.process(EngineEvent::Market(e));
                if sent.load(Ordering::Relaxed) != handled {
                    drain!();
                }
            }
            let summary = engine.trading_summary_generator(Decimal::ZERO).generate(Daily);
            let start = engine.meta.time_start;
            (Some(engine.state), summary, start)
        })
    } else {
        let summary = rt.block_on(async {
            let constant = Arc::new(BacktestArgsConstant {
                instruments,
                executions,
                market_data: MarketDataInMemory::new(Arc::new(events)),
                summary_interval: Daily,
                engine_state: state,
            });
            let dynamic = BacktestArgsDynamic {
                id: SmolStr::new("async"),
                risk_free_return: Decimal::ZERO,
                strategy,
                risk: Risk::default(),
            };
            barter::backtest::backtest(constant, dynamic).await.expect("backtest").trading_summary
        });
        (None, summary, time_first)
    };
    let run_s = t0.elapsed().as_secs_f64();
    let lockstep = state.is_some();
    let _ = start_time;

    let mut per = serde_json::Map::new();
    let mut total = Decimal::ZERO;
    let mut total_open = Decimal::ZERO;
    let mut fees = Decimal::ZERO;
    for (name, ts) in &summary.instruments {
        total += ts.pnl;
        per.insert(name.to_string(), json!({"pnl": ts.pnl}));
    }
    for s in state.iter().flat_map(|st| st.instruments.instruments(&InstrumentFilter::None)) {
        let e = per.entry(s.instrument.name_internal.to_string()).or_insert(json!({}));
        e["orders"] = json!(s.data.orders);
        e["events"] = json!(s.data.events);
        if let Some(p) = &s.position.current {
            total_open += p.pnl_realised;
            e["open_position"] = json!({"side": format!("{:?}", p.side), "quantity": p.quantity_abs,
                "entry": p.price_entry_average, "pnl_realised": p.pnl_realised, "pnl_unrealised": p.pnl_unrealised});
        }
    }
    for f in &fills {
        fees += Decimal::from_str(f["fee"].as_str().unwrap()).unwrap();
    }
    if let Some(p) = fills_path {
        let mut w = std::io::BufWriter::new(std::fs::File::create(p).unwrap());
        for f in &fills {
            writeln!(w, "{f}").unwrap();
        }
    }
    let out = json!({
        "engine": "barter 0.14.0", "mode": mode, "n": n, "qty": qty,
        "events": n_events, "orders": sent.load(Ordering::Relaxed),
        // barter's backtest() (async modes) hands back only the summary: fills and fees unknown.
        "fills": if lockstep { json!(fills.len()) } else { Value::Null },
        "fees": if lockstep { json!(fees) } else { Value::Null },
        "pnl_total": total, "pnl_open_realised": if lockstep { json!(total_open) } else { Value::Null }, "instruments": per,
        "read_s": read_s, "run_s": run_s, "events_per_s": n_events as f64 / run_s,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
