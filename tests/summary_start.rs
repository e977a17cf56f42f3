//! Starting equity is taken once every held asset has a price (issue #9 §4): with BTC and ETH
//! held and ETH's first print after BTC's, the first point must not count ETH as worth nothing.

use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::event::{DataKind, MarketEvent, PublicTrade, StreamEvent};
use tidemark::instrument::{ExchangeId, InstrumentIndex};
use tidemark::order::Side;
use tidemark::time::Timestamp;

fn trade(i: usize, day: i64, price: &str) -> StreamEvent<MarketEvent> {
    let t = Timestamp(day * 86_400_000_000_000);
    StreamEvent::Item(MarketEvent {
        time_exchange: t,
        time_received: t,
        exchange: ExchangeId::parse("binance_spot").unwrap(),
        instrument: InstrumentIndex(i),
        kind: DataKind::Trade(PublicTrade {
            id: day.to_string(),
            price: price.parse().unwrap(),
            amount: "1".parse().unwrap(),
            side: Side::Buy,
        }),
    })
}

#[test]
fn starting_equity_waits_for_every_held_asset_to_have_a_price() {
    let spot = |base: &str| serde_json::json!({"exchange": "binance_spot", "name_exchange": format!("{}USDT", base.to_uppercase()), "underlying": {"base": base, "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"});
    let balance = |asset: &str, total: u32| serde_json::json!({"asset": asset, "balance": {"total": total, "free": total}, "time_exchange": "1970-01-01T00:00:00Z"});
    let config = Config::from_value(serde_json::json!({
        "instruments": [spot("btc"), spot("eth")],
        "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 0, "fees_percent": 0,
            "initial_state": {"exchange": "binance_spot", "balances": [balance("usdt", 1000), balance("btc", 1), balance("eth", 10)]}}],
        "engine": {"equity_sample_ms": 86_400_000}
    }))
    .unwrap();
    // Day 1 BTC 100 (ETH unpriced), day 2 ETH 10, day 3 BTC 110.
    let r = run(&config, [trade(0, 1, "100"), trade(1, 2, "10"), trade(0, 3, "110")].map(Ok), &mut |_| {})
        .unwrap();
    let equity: Vec<f64> = r.equity.iter().map(|p| p.equity).collect();
    // 1000 + 1 × 100 + 10 × 10 = 1200 on day 2; 1000 + 1 × 110 + 10 × 10 = 1210 on day 3.
    assert_eq!(equity, vec![1200.0, 1210.0]);
    let p = r.portfolio.unwrap();
    assert!((p.return_pct - (1210.0 / 1200.0 - 1.0) * 100.0).abs() < 1e-9, "{}", p.return_pct);
}

#[test]
fn an_asset_never_priced_does_not_empty_the_curve() {
    let spot = |base: &str| serde_json::json!({"exchange": "binance_spot", "name_exchange": format!("{}USDT", base.to_uppercase()), "underlying": {"base": base, "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"});
    let config = Config::from_value(serde_json::json!({
        "instruments": [spot("btc"), spot("eth")],
        "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 0, "fees_percent": 0,
            "initial_state": {"exchange": "binance_spot", "balances": [
                {"asset": "usdt", "balance": {"total": 1000, "free": 1000}, "time_exchange": "1970-01-01T00:00:00Z"},
                {"asset": "eth", "balance": {"total": 10, "free": 10}, "time_exchange": "1970-01-01T00:00:00Z"}]}}],
        "engine": {"equity_sample_ms": 86_400_000}
    }))
    .unwrap();
    let r = run(&config, [trade(0, 1, "100"), trade(0, 2, "110")].map(Ok), &mut |_| {}).unwrap();
    assert_eq!(r.equity.iter().map(|p| p.equity).collect::<Vec<_>>(), vec![1000.0, 1000.0]);
}

/// The valuation plan: the valuation asset named in any case, an asset valued at its
/// instrument's mark once it has one (incomplete before), and an asset no instrument quotes in
/// the valuation asset left out. Hand-worked: 1000 usdt + 1 btc × 100 (+ 10 eth × 10 later);
/// 5 sol are quoted only in btc.
#[test]
fn equity_is_valued_by_a_plan_built_once() {
    use tidemark::backtest::Simulation;
    use tidemark::event::EngineEvent;
    use tidemark::state::Valuation;
    let pair = |base: &str, quote: &str| serde_json::json!({"exchange": "binance_spot", "name_exchange": format!("{}{}", base.to_uppercase(), quote.to_uppercase()), "underlying": {"base": base, "quote": quote}, "quote": "underlying_quote", "kind": "spot"});
    let balance = |asset: &str, total: u32| serde_json::json!({"asset": asset, "balance": {"total": total, "free": total}, "time_exchange": "1970-01-01T00:00:00Z"});
    let config = Config::from_value(serde_json::json!({
        "instruments": [pair("btc", "usdt"), pair("eth", "usdt"), pair("sol", "btc")],
        "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 0, "fees_percent": 0,
            "initial_state": {"exchange": "binance_spot", "balances": [balance("usdt", 1000), balance("btc", 1), balance("eth", 10), balance("sol", 5)]}}]
    }))
    .unwrap();
    let mut sim = Simulation::new(&config, Timestamp(0)).unwrap();
    let plan = Valuation::new(sim.engine().instruments(), "USDT");
    let value = |sim: &Simulation| sim.engine().state().value(&plan);
    sim.feed_event(&EngineEvent::Market(trade(0, 1, "100")), &mut |_| {}).unwrap();
    assert_eq!(value(&sim), ("1100".parse().unwrap(), false), "eth still unpriced");
    sim.feed_event(&EngineEvent::Market(trade(1, 2, "10")), &mut |_| {}).unwrap();
    assert_eq!(value(&sim), ("1200".parse().unwrap(), true), "sol is left out: nothing quotes it in usdt");
    let state = sim.engine().state();
    assert_eq!(state.valuation(sim.engine().instruments(), "usdt"), value(&sim));
}
