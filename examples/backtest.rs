//! Runs a backtest from the command line and prints what happened.
//!
//! `cargo run --release --example backtest -- --config data/barter/system_config.json \
//!     --data data/ohlcv/sp500.csv [--instrument BTCUSDT] [--strategy '{"type":"sma_cross","fast":10,"slow":20}']`
//!
//! Data format by extension: `.csv` is OHLCV (or trades, with `--trades`), anything else is barter
//! JSON (array or JSON lines). Exit code 2 on bad input, with the error code and message.

use std::io::BufReader;
use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::loader::{BarterJsonLines, CsvTarget, OhlcvCsv, TradesCsv};
use tidemark::EngineError;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Err(e) = main_inner(&args) {
        eprintln!("error {}: {e}", e.code().as_str());
        std::process::exit(2);
    }
}

fn main_inner(args: &[String]) -> Result<(), EngineError> {
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| EngineError::InvalidArgument { field: p.to_string(), message: e.to_string() });
    let config_path = arg(args, "--config").ok_or_else(|| EngineError::InvalidArgument { field: "--config".into(), message: "is required".into() })?;
    let data_path = arg(args, "--data").ok_or_else(|| EngineError::InvalidArgument { field: "--data".into(), message: "is required".into() })?;
    let mut value: serde_json::Value = serde_json::from_str(&read(&config_path)?).map_err(|e| EngineError::InvalidArgument { field: config_path.clone(), message: e.to_string() })?;
    if let Some(s) = arg(args, "--strategy") {
        value["strategy"] = serde_json::from_str(&s).map_err(|e| EngineError::InvalidArgument { field: "--strategy".into(), message: e.to_string() })?;
    }
    let config = Config::from_value(value)?;
    let instrument = match arg(args, "--instrument") {
        Some(name) => config.instruments.find_instrument(&name).ok_or_else(|| EngineError::InvalidArgument { field: "--instrument".into(), message: format!("no instrument {name}") })?,
        None => tidemark::instrument::InstrumentIndex(0),
    };
    let target = CsvTarget { instrument, exchange: config.instruments.instruments()[instrument.0].exchange_id };
    let file = std::fs::File::open(&data_path).map_err(|e| EngineError::InvalidArgument { field: data_path.clone(), message: e.to_string() })?;
    let reader = BufReader::new(file);
    let started = std::time::Instant::now();
    let report = if data_path.ends_with(".csv") {
        if args.iter().any(|a| a == "--trades") {
            run(&config, TradesCsv::new(reader, target), &mut |_| {})?
        } else {
            run(&config, OhlcvCsv::new(reader, target), &mut |_| {})?
        }
    } else if read(&data_path)?.trim_start().starts_with('[') {
        run(&config, tidemark::loader::parse_barter_json(&read(&data_path)?)?.into_iter().map(Ok), &mut |_| {})?
    } else {
        run(&config, BarterJsonLines::new(reader), &mut |_| {})?
    };
    let elapsed = started.elapsed();
    let s = &report.stats;
    println!("Tidemark backtest: {} on {}", config.strategy.name(), data_path);
    println!("  period          {} .. {}", report.time_start, report.time_end);
    println!("  market events   {} ({:.1} ms, {:.0} events/s)", s.market_events, elapsed.as_secs_f64() * 1e3, s.market_events as f64 / elapsed.as_secs_f64());
    println!("  orders sent     {}   fills {}   refused {}   positions closed {}", s.orders_sent, s.fills, s.orders_refused, report.positions_exited.len());
    let wins = report.positions_exited.iter().filter(|p| p.pnl_realised > rust_decimal::Decimal::ZERO).count();
    println!("  winning trades  {wins} of {}", report.positions_exited.len());
    let valuation = config.valuation_asset();
    println!("  equity          {} {}", report.state.equity(&config.instruments, &valuation).round_dp(8), valuation);
    println!("  {:<24} {:>18} {:>18} {:>14} {:>14}", "instrument", "realised PnL", "unrealised PnL", "position", "fees");
    for (i, inst) in config.instruments.instruments().iter().enumerate() {
        let st = &report.state.instruments[i];
        println!(
            "  {:<24} {:>18} {:>18} {:>14} {:>14}",
            inst.name_internal,
            st.pnl_realised().round_dp(8),
            st.pnl_unrealised().round_dp(8),
            st.position_quantity().round_dp(8),
            st.stats.fees.round_dp(8)
        );
    }
    println!("  {:<24} {:>18} {:>18}", "asset", "total", "free");
    for (i, a) in config.instruments.assets().iter().enumerate() {
        let b = report.state.balance(tidemark::instrument::AssetIndex(i));
        println!("  {:<24} {:>18} {:>18}", format!("{}_{}", a.exchange_id, a.name), b.total.round_dp(8), b.free.round_dp(8));
    }
    Ok(())
}
