//! Arbitrary bytes through every loader (format detection, OHLCV CSV, trades CSV, barter JSON;
//! sorted or not; with and without a symbol map): Ok or Err, never a panic. What loads is fed to
//! a backtest (sorted, with symbols), which accepts or refuses each event, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tidemark::config::Config;
use tidemark::event::{MarketEvent, StreamEvent};
use tidemark::instrument::{ExchangeId, InstrumentIndex};
use tidemark::loader::{
    detect_format, load_text, parse_barter_json, BarterJsonLines, CsvTarget, LoadOptions, OhlcvCsv,
    SymbolMap, TradesCsv,
};
use tidemark::EngineError;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        Config::from_json_str(
            r#"{
            "instruments": [
                {"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"},
                {"exchange": "binance_spot", "name_exchange": "ETHBTC", "underlying": {"base": "eth", "quote": "btc"}, "quote": "underlying_quote", "kind": "spot"}
            ],
            "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 0, "fees_percent": "0.001",
                "initial_state": {"exchange": "binance_spot", "balances": [
                    {"asset": "usdt", "balance": {"total": "10000", "free": "10000"}, "time_exchange": "2023-01-01T00:00:00Z"},
                    {"asset": "btc", "balance": {"total": "1", "free": "1"}, "time_exchange": "2023-01-01T00:00:00Z"}
                ], "instruments": []}}],
            "strategy": {"type": "sma_cross", "fast": 2, "slow": 3, "sizing": {"equity_fraction": {"fraction": "0.5"}}}
        }"#,
        )
        .expect("fuzz config")
    })
}

/// Up to 64 loaded events through a backtest: each is accepted or refused.
fn run(events: Result<Vec<StreamEvent<MarketEvent>>, EngineError>) {
    if let Ok(events) = events {
        let items = events.into_iter().take(64).map(Ok);
        let _ = tidemark::backtest::run(config(), items, &mut |_| {});
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let target =
        CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("binance_spot").unwrap() };
    let _ = detect_format(text);
    for sort in [false, true] {
        for symbols in [false, true] {
            let options = LoadOptions {
                sort,
                symbols: symbols.then(|| SymbolMap::from_instruments(&config().instruments)),
            };
            // One backtest per input (the most permissive load): a backtest costs far more than a load.
            let loaded = load_text(text, target, &options);
            if sort && symbols {
                run(loaded);
            }
            // The loaders directly, on the raw bytes (not necessarily UTF-8).
            let _ = OhlcvCsv::with_options(data, target, options.clone()).take(256).count();
            let _ = TradesCsv::with_options(data, target, options).take(256).count();
        }
    }
    let _ = parse_barter_json(text);
    let _ = BarterJsonLines::new(data).take(256).count();
});
