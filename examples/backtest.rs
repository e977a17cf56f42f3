//! Runs a backtest from the command line and prints what happened.
//!
//! `cargo run --release --example backtest -- --config data/barter/system_config.json \
//!     --data data/ohlcv/sp500.csv [--instrument BTCUSDT] [--strategy '{"type":"sma_cross","fast":10,"slow":20}']`
//!
//! Data format by extension: `.csv` is OHLCV (or trades, with `--trades`), anything else is barter
//! JSON (array or JSON lines). `--interval daily|annual252|annual365` picks the summary interval,
//! `--format json` prints the summary, trades and equity curve as JSON. Exit code 2 on bad input,
//! with the error code and message; 1 when the output cannot be written; 0, quietly, when the
//! reader of a pipe closed it (`| head`).

use std::io::{BufReader, Write};
use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::loader::{BarterJsonLines, CsvTarget, OhlcvCsv, TradesCsv};
use tidemark::EngineError;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// Why the example stopped: bad input (status 2) or its output could not be written.
enum Failure {
    Engine(EngineError),
    Output(std::io::Error),
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        Failure::Engine(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Output(e)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match main_inner(&args) {
        Ok(()) => {}
        Err(Failure::Engine(e)) => {
            eprintln!("error {}: {e}", e.code().as_str());
            std::process::exit(2);
        }
        // `println!` panics here; the reader having seen enough is no error.
        Err(Failure::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(Failure::Output(e)) => {
            eprintln!("error INTERNAL: cannot write the output: {e}");
            std::process::exit(1);
        }
    }
}

fn main_inner(args: &[String]) -> Result<(), Failure> {
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
    let mut out = std::io::stdout().lock();
    if arg(args, "--format").as_deref() == Some("json") {
        let json = report.to_json(summary.interval.clone());
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json)
                .map_err(|e| EngineError::Internal { message: e.to_string() })?
        )?;
        out.flush()?;
        return Ok(());
    }
    let s = &report.stats;
    writeln!(out, "Tidemark backtest: {} on {}", config.strategy.name(), data_path)?;
    writeln!(
        out,
        "{} market events in {:.1} ms ({:.0} events/s); orders {}, fills {}, refused {}\n",
        s.market_events,
        elapsed.as_secs_f64() * 1e3,
        s.market_events as f64 / elapsed.as_secs_f64(),
        s.orders_sent,
        s.fills,
        s.orders_refused
    )?;
    write!(out, "{}", tidemark::statistic::table::render(&summary))?;
    out.flush()?;
    Ok(())
}
