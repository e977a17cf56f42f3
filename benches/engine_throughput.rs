//! Engine throughput on 1,000,000 synthetic trade + L1 events over 3 instruments (half trades, half
//! L1, 1 ms apart): with no orders, and with the SMA cross strategy trading. Also peak RSS for 1M
//! and 10M streamed events (each measured in a fresh child process).
//!
//! `cargo bench --bench engine_throughput` prints the figures; nothing here asserts a time.

use std::time::Instant;
use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::instrument::ExchangeId;

fn config(strategy: serde_json::Value) -> Config {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/barter/system_config.json"))
            .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // As barter's bench: balances large enough that no order is refused.
    for b in v["executions"][0]["initial_state"]["balances"].as_array_mut().unwrap() {
        b["balance"] = serde_json::json!({"total": "99999999999999", "free": "99999999999999"});
    }
    v["strategy"] = strategy;
    Config::from_value(v).unwrap()
}

/// The benchmark stream: `n` synthetic trade+L1 events over 3 instruments on binance_spot.
fn synthetic(n: usize) -> tidemark::backtest::synthetic::Synthetic {
    tidemark::backtest::synthetic::Synthetic::new(n, ExchangeId::parse("binance_spot").unwrap(), 3)
}

fn sma() -> serde_json::Value {
    serde_json::json!({"type": "sma_cross", "fast": 20, "slow": 60, "sizing": {"fixed_quantity": "0.01"}})
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn timed(label: &str, config: &Config, n: usize, repeats: usize) -> f64 {
    let mut best = f64::MAX;
    let mut report = None;
    for _ in 0..repeats {
        let events: Vec<_> = synthetic(n).collect();
        let start = Instant::now();
        let r = run(config, events, &mut |_| {}).unwrap();
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        report = Some(r);
    }
    let r = report.unwrap();
    let rate = n as f64 / best;
    println!(
        "{label:<34} {n:>9} events  {:>8.1} ms  {:>12.0} events/s   orders {:>6}  fills {:>6}  positions closed {:>6}",
        best * 1e3,
        rate,
        r.stats.orders_sent,
        r.stats.fills,
        r.positions_exited.len()
    );
    rate
}

/// Issue #3's budget: recording the equity curve and generating the summary for 1,000,000 events
/// and about 10,000 trades should add under 5% to the backtest's time.
fn summary_overhead() {
    let trading = serde_json::json!({"type": "sma_cross", "fast": 18, "slow": 60, "sizing": {"fixed_quantity": "0.01"}});
    let mut with = config(trading.clone());
    with.executions[0].latency_ms = 0;
    let mut without = with.clone();
    without.engine.equity_sample_ms = u64::MAX / 2_000_000; // one point for the whole run
    let mut best = [f64::MAX; 3];
    let mut trades = 0;
    for _ in 0..5 {
        for (k, c) in [&with, &without].into_iter().enumerate() {
            let events: Vec<_> = synthetic(1_000_000).collect();
            let start = Instant::now();
            let r = run(c, events, &mut |_| {}).unwrap();
            best[k] = best[k].min(start.elapsed().as_secs_f64());
            if k == 0 {
                let start = Instant::now();
                let s = r.summary(tidemark::config::SummaryInterval::Daily);
                let curve = r.equity_curve(10_000);
                std::hint::black_box((&s, &curve));
                best[2] = best[2].min(start.elapsed().as_secs_f64());
                trades = r.trades.len();
            }
        }
    }
    let added = (best[0] - best[1]).max(0.0) + best[2];
    println!(
        "summary overhead: {trades} trades; run {:.1} ms with the equity curve, {:.1} ms without; summary {:.2} ms; added {:.1}% (budget 5%)",
        best[0] * 1e3,
        best[1] * 1e3,
        best[2] * 1e3,
        added / best[1] * 100.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--rss") {
        // Child mode: stream N events (never stored) through the SMA strategy, print peak RSS.
        let n: usize = args[pos + 1].parse().unwrap();
        let strategy = if args.get(pos + 2).map(String::as_str) == Some("none") {
            serde_json::json!({"type": "none"})
        } else {
            sma()
        };
        let r = run(&config(strategy), synthetic(n), &mut |_| {}).unwrap();
        println!("{} {} {}", n, peak_rss_kib(), r.stats.fills);
        return;
    }
    if let Some(pos) = args.iter().position(|a| a == "--only") {
        // Profiling mode: one timed configuration, e.g. `--only none` or `--only sma`.
        let c =
            if args[pos + 1] == "sma" { config(sma()) } else { config(serde_json::json!({"type": "none"})) };
        let n = args.get(pos + 2).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
        timed(&args[pos + 1], &c, n, if n == 1_000_000 { 5 } else { 1 });
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench binaries without `--bench`: only check it builds.
        println!("engine_throughput: run with `cargo bench --bench engine_throughput`");
        return;
    }
    let n = 1_000_000;
    println!("Tidemark engine throughput (native, single thread; best of 7; data generated before timing)");
    let a = timed("no orders (default strategy)", &config(serde_json::json!({"type": "none"})), n, 7);
    let b = timed("sma_cross 20/60, fixed 0.01", &config(sma()), n, 7);
    println!(
        "targets: >= 10,000,000 events/s without orders ({}), >= 6,000,000 with the strategy ({})",
        if a >= 1e7 { "met" } else { "NOT met" },
        if b >= 6e6 { "met" } else { "NOT met" }
    );
    println!("barter 0.14 native on this machine class (issue figure): ~2.9M events/s no orders, ~2.1M with a strategy");
    summary_overhead();
    let exe = std::env::current_exe().unwrap();
    for strategy in ["none", "sma_cross"] {
        for m in [1_000_000usize, 10_000_000] {
            let out =
                std::process::Command::new(&exe).args(["--rss", &m.to_string(), strategy]).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let parts: Vec<&str> = text.split_whitespace().collect();
            if parts.len() == 3 {
                println!("peak RSS streaming {:>9} events, {strategy:<9}: {:>7} KiB ({} fills; closed positions are kept for the trade list)", parts[0], parts[1], parts[2]);
            } else {
                println!("peak RSS run for {m} failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
}
