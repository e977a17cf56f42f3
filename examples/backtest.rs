//! Runs a backtest from the command line and prints what happened.
//!
//! `cargo run --release --example backtest -- --config data/barter/system_config.json \
//!     --data data/ohlcv/sp500.csv [--instrument BTCUSDT] [--strategy '{"type":"sma_cross","fast":10,"slow":20}']`
//!
//! Data format by extension: `.csv` is OHLCV (or trades, with `--trades`), anything else is barter
//! JSON (array or JSON lines). `--interval daily|annual252|annual365` picks the summary interval,
//! `--format json` prints the summary, trades and equity curve as JSON. Exit code 2 on bad input,
//! with the error code and message.

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
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .map_err(|e| EngineError::InvalidArgument { field: p.to_string(), message: e.to_string() })
    };
    let config_path = arg(args, "--config").ok_or_else(|| EngineError::InvalidArgument {
        field: "--config".into(),
        message: "is required".into(),
    })?;
    let data_path = arg(args, "--data").ok_or_else(|| EngineError::InvalidArgument {
        field: "--data".into(),
        message: "is required".into(),
    })?;
    let mut value: serde_json::Value = serde_json::from_str(&read(&config_path)?)
        .map_err(|e| EngineError::InvalidArgument { field: config_path.clone(), message: e.to_string() })?;
    if let Some(s) = arg(args, "--strategy") {
        value["strategy"] = serde_json::from_str(&s).map_err(|e| EngineError::InvalidArgument {
            field: "--strategy".into(),
            message: e.to_string(),
        })?;
    }
    let config = Config::from_value(value)?;
    let instrument = match arg(args, "--instrument") {
        Some(name) => {
            config.instruments.find_instrument(&name).ok_or_else(|| EngineError::InvalidArgument {
                field: "--instrument".into(),
                message: format!("no instrument {name}"),
            })?
        }
        None => tidemark::instrument::InstrumentIndex(0),
    };
    let target =
        CsvTarget { instrument, exchange: config.instruments.instruments()[instrument.0].exchange_id };
    let file = std::fs::File::open(&data_path)
        .map_err(|e| EngineError::InvalidArgument { field: data_path.clone(), message: e.to_string() })?;
    let reader = BufReader::new(file);
    let started = std::time::Instant::now();
    let report = if data_path.ends_with(".csv") {
        if args.iter().any(|a| a == "--trades") {
            run(&config, TradesCsv::new(reader, target), &mut |_| {})?
        } else {
            run(&config, OhlcvCsv::new(reader, target), &mut |_| {})?
        }
    } else if read(&data_path)?.trim_start().starts_with('[') {
        run(
            &config,
            tidemark::loader::parse_barter_json(&read(&data_path)?)?.into_iter().map(Ok),
            &mut |_| {},
        )?
    } else {
        run(&config, BarterJsonLines::new(reader), &mut |_| {})?
    };
    let elapsed = started.elapsed();
    let interval = match arg(args, "--interval") {
        None => config.engine.summary_interval.clone(),
        Some(name) => tidemark::config::SummaryInterval::from_name(&name)?,
    };
    let summary = report.summary(interval);
    if arg(args, "--format").as_deref() == Some("json") {
        let out = report.to_json(summary.interval.clone());
        println!(
            "{}",
            serde_json::to_string_pretty(&out)
                .map_err(|e| EngineError::Internal { message: e.to_string() })?
        );
        return Ok(());
    }
    let s = &report.stats;
    println!("Tidemark backtest: {} on {}", config.strategy.name(), data_path);
    println!(
        "{} market events in {:.1} ms ({:.0} events/s); orders {}, fills {}, refused {}\n",
        s.market_events,
        elapsed.as_secs_f64() * 1e3,
        s.market_events as f64 / elapsed.as_secs_f64(),
        s.orders_sent,
        s.fills,
        s.orders_refused
    );
    print!("{}", tidemark::statistic::table::render(&summary));
    Ok(())
}
