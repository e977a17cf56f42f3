//! Every bad input is refused with a typed error naming the field, and leaves the state exactly as
//! it was (same serialised state, same sequence), in the engine and in a running simulation.

mod common;
use common::*;
use tidemark::engine::Engine;
use tidemark::event::*;
use tidemark::instrument::{AssetIndex, ExchangeId, ExchangeIndex, InstrumentIndex};
use tidemark::order::*;
use tidemark::ErrorCode;

fn engine() -> Engine {
    let c = config("0.001", 0, "1000", "1", serde_json::json!({"engine": {"time_tolerance_ms": 5}}));
    let mut e = Engine::from_config(&c, t(0));
    let StreamEvent::Item(m) = trade(BTC, 100, "100", "1") else { unreachable!() };
    e.process(EngineEvent::from(m)).unwrap();
    e
}

fn market(f: impl FnOnce(&mut MarketEvent)) -> EngineEvent {
    let StreamEvent::Item(mut m) = trade(BTC, 200, "100", "1") else { unreachable!() };
    f(&mut m);
    EngineEvent::from(m)
}

fn refused(event: EngineEvent, code: ErrorCode, text: &str) {
    let mut e = engine();
    let before = serde_json::to_string(e.state()).unwrap();
    let seq = e.sequence();
    let err = e.process(event).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert!(err.to_string().contains(text), "{err} does not mention {text}");
    assert!(err.is_recoverable());
    assert_eq!(serde_json::to_string(e.state()).unwrap(), before);
    assert_eq!(e.sequence(), seq);
}

#[test]
fn bad_market_events() {
    refused(market(|m| m.instrument = InstrumentIndex(9)), ErrorCode::UnknownInstrument, "instrument");
    refused(
        market(|m| m.exchange = ExchangeId::parse("kraken").unwrap()),
        ErrorCode::InvalidEvent,
        "exchange: instrument binancespot-btc_usdt trades on binance_spot, not kraken",
    );
    refused(
        market(|m| {
            if let DataKind::Trade(t) = &mut m.kind {
                t.price = d("-1")
            }
        }),
        ErrorCode::InvalidEvent,
        "kind.Trade.price: must be positive",
    );
    refused(
        market(|m| {
            if let DataKind::Trade(t) = &mut m.kind {
                t.price = d("0")
            }
        }),
        ErrorCode::InvalidEvent,
        "kind.Trade.price",
    );
    refused(
        market(|m| {
            if let DataKind::Trade(t) = &mut m.kind {
                t.amount = d("0")
            }
        }),
        ErrorCode::InvalidEvent,
        "kind.Trade.amount",
    );
    refused(
        market(|m| {
            if let DataKind::Trade(t) = &mut m.kind {
                t.price = d("1e20")
            }
        }),
        ErrorCode::InvalidEvent,
        "largest accepted value",
    );
    refused(market(|m| m.time_exchange = t(94)), ErrorCode::TimeBackwards, "tolerance");
    let StreamEvent::Item(l) = l1(BTC, 200, "101", "100", "1") else { unreachable!() };
    refused(EngineEvent::from(l), ErrorCode::InvalidEvent, "crossed book");
    let StreamEvent::Item(c) = candle(BTC, 200, "100", "99", "95", "98", "1") else { unreachable!() };
    refused(EngineEvent::from(c), ErrorCode::InvalidEvent, "inconsistent bar");
    refused(
        EngineEvent::Market(StreamEvent::Reconnecting(ExchangeId::parse("kraken").unwrap())),
        ErrorCode::UnknownExchange,
        "kraken",
    );
}

#[test]
fn within_tolerance_is_accepted() {
    let mut e = engine();
    e.process(market(|m| m.time_exchange = t(96))).unwrap();
}

fn account(kind: AccountEventKind) -> EngineEvent {
    EngineEvent::from(AccountEvent { exchange: ExchangeIndex(0), kind })
}

#[test]
fn bad_account_events() {
    let bal = |asset: usize, total: &str, free: &str| AssetBalance {
        asset: AssetIndex(asset),
        balance: Balance { total: d(total), free: d(free) },
        time_exchange: t(1),
    };
    refused(
        account(AccountEventKind::BalanceSnapshot(bal(7, "1", "1"))),
        ErrorCode::UnknownAsset,
        "kind.BalanceSnapshot.asset",
    );
    refused(
        account(AccountEventKind::BalanceSnapshot(bal(0, "1", "2"))),
        ErrorCode::InvalidEvent,
        "free <= total",
    );
    refused(
        EngineEvent::from(AccountEvent {
            exchange: ExchangeIndex(3),
            kind: AccountEventKind::BalanceSnapshot(bal(0, "1", "1")),
        }),
        ErrorCode::UnknownExchange,
        "exchange",
    );
    let trade = Trade {
        id: TradeId("1".into()),
        order_id: OrderId("1".into()),
        instrument: InstrumentIndex(4),
        strategy: StrategyId("s".into()),
        time_exchange: t(1),
        side: Side::Buy,
        price: d("1"),
        quantity: d("1"),
        fees: AssetFees { asset: None, fees: d("0") },
    };
    refused(
        account(AccountEventKind::Trade(trade.clone())),
        ErrorCode::UnknownInstrument,
        "kind.Trade.instrument",
    );
    refused(
        account(AccountEventKind::Trade(Trade { instrument: BTC, quantity: d("0"), ..trade })),
        ErrorCode::InvalidEvent,
        "kind.Trade.quantity",
    );
}

#[test]
fn bad_commands() {
    let bad_qty = open(BTC, "x", Side::Buy, OrderKind::Limit, "100", "0", GTC);
    refused(bad_qty, ErrorCode::InvalidCommand, "SendOpenRequests[0].state.quantity");
    let bad_price = open(BTC, "x", Side::Buy, OrderKind::Limit, "0", "1", GTC);
    refused(bad_price, ErrorCode::InvalidCommand, "SendOpenRequests[0].state.price");
    let post_market = open(
        BTC,
        "x",
        Side::Buy,
        OrderKind::Market,
        "0",
        "1",
        TimeInForce::GoodUntilCancelled { post_only: true },
    );
    refused(post_market, ErrorCode::InvalidCommand, "post-only");
    refused(
        open(InstrumentIndex(8), "x", Side::Buy, OrderKind::Market, "0", "1", GTC),
        ErrorCode::UnknownInstrument,
        "SendOpenRequests[0].key.instrument",
    );
    refused(
        cancel(InstrumentIndex(8), "x"),
        ErrorCode::UnknownInstrument,
        "SendCancelRequests[0].key.instrument",
    );
    refused(
        EngineEvent::Command(Command::ClosePositions(InstrumentFilter::Exchanges(OneOrMany::One(
            ExchangeIndex(5),
        )))),
        ErrorCode::UnknownExchange,
        "ClosePositions.Exchanges[0]",
    );
    // A client id in use by a live order.
    let mut e = engine();
    e.process(open(BTC, "dup", Side::Buy, OrderKind::Limit, "90", "1", GTC)).unwrap();
    let before = serde_json::to_string(e.state()).unwrap();
    let err = e.process(open(BTC, "dup", Side::Buy, OrderKind::Limit, "91", "1", GTC)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidCommand);
    assert_eq!(serde_json::to_string(e.state()).unwrap(), before);
}

#[test]
fn shut_down_engine_refuses_everything() {
    let mut e = engine();
    e.process(EngineEvent::Shutdown(Shutdown)).unwrap();
    let err = e.process(market(|_| {})).unwrap_err();
    assert_eq!(err.code(), ErrorCode::EngineShutdown);
    assert!(!err.is_recoverable());
}

#[test]
fn simulation_refuses_without_touching_the_exchange() {
    let c = config("0.001", 0, "1000", "1", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "l", Side::Buy, OrderKind::Limit, "99", "1", GTC));
    let balances = h.sim.exchange(ExchangeIndex(0)).unwrap().balances().to_vec();
    let state = serde_json::to_string(h.sim.engine().state()).unwrap();
    let bad = trade(BTC, 5, "-98", "1"); // would fill the resting order if the exchange saw it
    let err = h.sim.feed(bad, &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidEvent);
    assert_eq!(h.sim.exchange(ExchangeIndex(0)).unwrap().balances(), &balances[..]);
    assert_eq!(h.sim.exchange(ExchangeIndex(0)).unwrap().open_orders(), 1);
    assert_eq!(serde_json::to_string(h.sim.engine().state()).unwrap(), state);
    h.feed(trade(BTC, 6, "98", "1")); // and carries on
    assert_eq!(h.fills().len(), 1);
}

#[test]
fn simulation_feed_takes_market_events_only() {
    let c = config("0.001", 0, "1000", "1", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    let state = serde_json::to_string(h.sim.engine().state()).unwrap();
    let err = h
        .sim
        .feed_event(&EngineEvent::TradingStateUpdate(tidemark::state::TradingState::Disabled), &mut |_| {})
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    assert!(err.to_string().contains("feed takes market events"), "{err}");
    assert_eq!(serde_json::to_string(h.sim.engine().state()).unwrap(), state);
}

#[test]
fn backtest_errors_name_the_event_index() {
    let c = config("0.001", 0, "1000", "1", serde_json::json!({}));
    let items =
        vec![trade(BTC, 0, "100", "1"), trade(BTC, 1, "100", "1"), trade(InstrumentIndex(7), 2, "100", "1")];
    let err = tidemark::backtest::run(&c, items.into_iter().map(Ok), &mut |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "UNKNOWN_INSTRUMENT: events[2].instrument: unknown instrument 7 (there are 2)"
    );
}
