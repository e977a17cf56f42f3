//! barter's own config and market data files load unchanged and run; the S&P 500 file loads.

use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::event::{EngineEvent, StreamEvent};
use tidemark::loader::{parse_barter_json, CsvTarget, OhlcvCsv};
use tidemark::ErrorCode;

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{}/data/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn both_barter_configs_load_identically() {
    let a = Config::from_json_str(&read("barter/system_config.json")).unwrap();
    let b = Config::from_json_str(&read("barter/backtest_config.json")).unwrap();
    assert_eq!(a.instruments, b.instruments);
    assert_eq!(a.risk_free_return.to_string(), "0.05");
    let names: Vec<_> = a.instruments.instruments().iter().map(|i| i.name_internal.clone()).collect();
    assert_eq!(names, ["binancespot-btc_usdt", "binancespot-eth_usdt", "binancespot-sol_usdt"]);
    assert_eq!(a.executions[0].latency_ms, 100);
}

#[test]
fn barter_market_data_runs_with_disconnects() {
    let config = Config::from_json_str(&read("barter/system_config.json")).unwrap();
    let items =
        parse_barter_json(&read("barter/binance_spot_market_data_with_disconnect_events.json")).unwrap();
    assert_eq!(items.len(), 24);
    assert_eq!(items.iter().filter(|i| matches!(i, StreamEvent::Reconnecting(_))).count(), 3);
    let mut disconnects = 0;
    let report = run(&config, items.into_iter().map(Ok), &mut |t| {
        if matches!(t.event.as_ref(), EngineEvent::Market(StreamEvent::Reconnecting(_))) {
            disconnects += 1;
        }
    })
    .unwrap();
    assert_eq!(disconnects, 3);
    assert_eq!(report.stats.market_events, 21);
    // Balances came from the exchange's opening snapshot: usdt 10000, btc 0.1.
    let usdt = config.instruments.find_asset(config.instruments.exchanges()[0], "usdt").unwrap();
    assert_eq!(report.state.balance(usdt).total.to_string(), "10000");
    assert!(report.state.instruments[0].market.mark().is_some());
}

#[test]
fn sp500_loads_and_a_bad_row_names_line_and_column() {
    let config = Config::from_json_str(&read("barter/system_config.json")).unwrap();
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.exchanges()[0],
    };
    let text = read("ohlcv/sp500.csv");
    let rows: Vec<_> = OhlcvCsv::new(text.as_bytes(), target).collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 5031);
    let bad = text.replacen("1/5/1999,1228.099976", "1/5/1999,12x8.099976", 1);
    let e = OhlcvCsv::new(bad.as_bytes(), target).collect::<Result<Vec<_>, _>>().unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(e.to_string().starts_with("DECODE: ohlcv-csv line 3 column 2 (Open)"), "{e}");
}

#[test]
fn sma_cross_trades_sp500_in_whole_units() {
    let mut v: serde_json::Value = serde_json::from_str(&read("barter/system_config.json")).unwrap();
    v["strategy"] = serde_json::json!({"type": "sma_cross", "fast": 10, "slow": 20, "sizing": {"equity_fraction": {"fraction": "1", "whole_units": true}}});
    v["executions"][0]["latency_ms"] = serde_json::json!(0);
    v["executions"][0]["fees_percent"] = serde_json::json!(0.002);
    let config = Config::from_value(v).unwrap();
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.exchanges()[0],
    };
    let text = read("ohlcv/sp500.csv");
    let report = run(&config, OhlcvCsv::new(text.as_bytes(), target), &mut |_| {}).unwrap();
    // Every order was affordable: sized at fill time from the free balance.
    assert_eq!(report.stats.orders_sent, report.stats.fills);
    assert!(report.positions_exited.len() > 30, "{}", report.positions_exited.len());
    for p in &report.positions_exited {
        assert_eq!(p.quantity_abs_max.fract(), rust_decimal::Decimal::ZERO);
    }
    assert!(report.state.balance(tidemark::instrument::AssetIndex(3)).free >= rust_decimal::Decimal::ZERO);
}
