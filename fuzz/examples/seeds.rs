//! Writes seed inputs for the `events` target: one JSON file per event shape the engine takes.
//! `cargo run --example seeds -- DIR` (from fuzz/).

use rust_decimal::Decimal;
use tidemark::event::*;
use tidemark::instrument::{AssetIndex, ExchangeId, ExchangeIndex, InstrumentIndex, Underlying};
use tidemark::order::*;
use tidemark::state::TradingState;
use tidemark::time::Timestamp;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn main() {
    let dir = std::env::args().nth(1).expect("output directory");
    std::fs::create_dir_all(&dir).unwrap();
    let t = Timestamp::from_millis(1_700_000_000_000);
    let ex = ExchangeId::parse("binance_spot").unwrap();
    let market = |kind: DataKind| MarketEvent {
        time_exchange: t,
        time_received: t,
        exchange: ex,
        instrument: InstrumentIndex(0),
        kind,
    };
    let lvl = |p: &str, a: &str| Level { price: d(p), amount: d(a) };
    let key = |cid: &str| OrderKey {
        exchange: ExchangeIndex(0),
        instrument: InstrumentIndex(0),
        strategy: StrategyId("s".into()),
        cid: ClientOrderId(cid.into()),
    };
    let open = |cid: &str, side, kind, tif| OrderRequestOpen {
        key: key(cid),
        state: RequestOpen {
            side,
            price: d("100"),
            quantity: d("0.5"),
            kind,
            time_in_force: tif,
            sizing: None,
            trigger: None,
            bracket: None,
        },
    };
    let book = OrderBook {
        sequence: 1,
        time_engine: None,
        bids: Levels { levels: vec![lvl("99", "1"), lvl("98", "2")] },
        asks: Levels { levels: vec![lvl("101", "1")] },
    };
    let events: Vec<EngineEvent> = vec![
        market(DataKind::Trade(PublicTrade {
            id: "1".into(),
            price: d("100"),
            amount: d("1"),
            side: Side::Buy,
        }))
        .into(),
        market(DataKind::OrderBookL1(OrderBookL1 {
            last_update_time: t,
            best_bid: Some(lvl("99", "1")),
            best_ask: Some(lvl("101", "1")),
        }))
        .into(),
        market(DataKind::OrderBook(OrderBookEvent::Snapshot(book.clone()))).into(),
        market(DataKind::OrderBook(OrderBookEvent::Update(book))).into(),
        market(DataKind::Candle(Candle {
            close_time: t,
            open: d("100"),
            high: d("102"),
            low: d("99"),
            close: d("101"),
            volume: d("10"),
            trade_count: 3,
        }))
        .into(),
        EngineEvent::Market(StreamEvent::Reconnecting(ex)),
        EngineEvent::Account(StreamEvent::Reconnecting(ex)),
        AccountEvent {
            exchange: ExchangeIndex(0),
            kind: AccountEventKind::BalanceSnapshot(AssetBalance {
                asset: AssetIndex(0),
                balance: Balance { total: d("10"), free: d("5") },
                time_exchange: t,
            }),
        }
        .into(),
        Command::SendOpenRequests(OneOrMany::One(open(
            "a",
            Side::Buy,
            OrderKind::Limit,
            TimeInForce::GoodUntilCancelled { post_only: true },
        )))
        .into(),
        Command::SendOpenRequests(OneOrMany::Many(vec![
            open("b", Side::Sell, OrderKind::Market, TimeInForce::ImmediateOrCancel),
            open("c", Side::Buy, OrderKind::Limit, TimeInForce::FillOrKill),
            open("e", Side::Buy, OrderKind::Limit, TimeInForce::GoodUntilEndOfDay),
        ]))
        .into(),
        Command::SendCancelRequests(OneOrMany::One(OrderRequestCancel {
            key: key("a"),
            state: RequestCancel { id: None },
        }))
        .into(),
        Command::CancelOrders(InstrumentFilter::None).into(),
        Command::ClosePositions(InstrumentFilter::Instruments(OneOrMany::One(InstrumentIndex(1)))).into(),
        Command::CancelOrders(InstrumentFilter::Exchanges(OneOrMany::One(ExchangeIndex(0)))).into(),
        Command::ClosePositions(InstrumentFilter::Underlyings(OneOrMany::One(Underlying {
            base: AssetIndex(1),
            quote: AssetIndex(0),
        })))
        .into(),
        EngineEvent::TradingStateUpdate(TradingState::Disabled),
        EngineEvent::Shutdown(Shutdown),
    ];
    for (i, e) in events.iter().enumerate() {
        std::fs::write(format!("{dir}/engine_event_{i:02}.json"), serde_json::to_string(e).unwrap()).unwrap();
        // The inner value alone too (MarketEvent, AccountEvent, Command).
        let inner = match e {
            EngineEvent::Market(StreamEvent::Item(m)) => serde_json::to_string(m).unwrap(),
            EngineEvent::Account(StreamEvent::Item(a)) => serde_json::to_string(a).unwrap(),
            EngineEvent::Command(c) => serde_json::to_string(c).unwrap(),
            _ => continue,
        };
        std::fs::write(format!("{dir}/inner_{i:02}.json"), inner).unwrap();
    }
}
