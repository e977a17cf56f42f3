//! Where a single backtest's time goes, natively: the S&P 500 daily file (5,031 bars) with the
//! README's SMA 10/20 config: config, parse, run, report JSON value, JSON text. Diagnostic figures
//! for `npm run bench` (the wasm side is measured there); nothing here asserts a time.

use std::time::Instant;
use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::loader::{load_text, CsvTarget, LoadOptions};

fn best<T>(repeats: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best * 1e3, out.unwrap())
}

/// `npm run bench`'s sweep grid: fast 5, 10 .. 50 and slow 60, 80 .. 240.
fn sweep_grid() -> Vec<(String, Vec<serde_json::Value>)> {
    let values = |from: u64, step: u64| (0..10).map(|i| serde_json::json!(from + i * step)).collect();
    vec![("fast".into(), values(5, 5)), ("slow".into(), values(60, 20))]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") && std::env::var("SINGLE_RUN_PHASE").is_err() {
        // `cargo test --all-targets` runs bench binaries without `--bench`: only check it builds.
        println!("single_run: run with `cargo bench --bench single_run`");
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let csv = std::fs::read_to_string(format!("{root}/data/ohlcv/sp500.csv")).unwrap();
    let cfg_text = std::fs::read_to_string(format!("{root}/data/sp500_sma_cross.json")).unwrap();
    // `SINGLE_RUN_PHASE=parse|run|dataset|bracket|dataset-bracket|report|sweep|sweep-ranked` repeats one phase
    // 1,000 times (or `SINGLE_RUN_REPEAT` times) and stops there: for a profiler.
    let phase = std::env::var("SINGLE_RUN_PHASE").unwrap_or_default();
    let repeat = std::env::var("SINGLE_RUN_REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(1000);
    let n = if phase.is_empty() { 30 } else { 1 };
    let (t_cfg, config) = best(n, || Config::from_json_str(&cfg_text).unwrap());
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.instruments()[0].exchange_id,
    };
    let (t_parse, events) = best(n, || load_text(&csv, target, &LoadOptions::default()).unwrap());
    let (t_run, report) = best(n, || run(&config, events.iter().cloned().map(Ok), &mut |_| {}).unwrap());
    let iv = config.engine.summary_interval.clone();
    // The same run with a bracket (SL 5 %, TP 10 %) on every entry: what exits cost (#12's
    // budget: at most 10 % more).
    let mut bracketed: serde_json::Value = serde_json::from_str(&cfg_text).unwrap();
    bracketed["strategy"]["stop_loss"] = serde_json::json!(5);
    bracketed["strategy"]["take_profit"] = serde_json::json!(10);
    let bracketed = Config::from_value(bracketed).unwrap();
    match phase.as_str() {
        "" => {}
        "parse" => return drop(best(repeat, || load_text(&csv, target, &LoadOptions::default()).unwrap())),
        "run" => {
            return drop(best(repeat, || run(&config, events.iter().cloned().map(Ok), &mut |_| {}).unwrap()))
        }
        "bracket" => {
            return drop(best(repeat, || {
                run(&bracketed, events.iter().cloned().map(Ok), &mut |_| {}).unwrap()
            }))
        }
        "report" => return drop(best(repeat, || serde_json::to_string(&report.json(iv.clone())).unwrap())),
        // A run over a data set loaded once (`loadData`): its values checked when loaded.
        "dataset" | "dataset-bracket" => {
            let loaded = tidemark::backtest::CheckedEvents::new(
                events.iter().cloned().map(tidemark::event::EngineEvent::Market).collect(),
            )
            .unwrap();
            let c = if phase == "dataset" { &config } else { &bracketed };
            return drop(best(repeat, || tidemark::backtest::run_checked(c, &loaded, &mut |_| {}).unwrap()));
        }
        // The bench's 10 × 10 grid (fast 5..50, slow 60..240): a run per combination.
        "sweep" => {
            let grid = tidemark::backtest::grid(&config.strategy, &sweep_grid()).unwrap();
            let (t, _) = best(repeat, || tidemark::backtest::sweep(&config, &events, &grid, |_, _| {}));
            return println!("sweep: {} runs in {t:.3} ms", grid.len());
        }
        // The same grid collecting only the ranked statistics (`stats: 'ranked'`): no equity curve.
        "sweep-ranked" => {
            let grid = tidemark::backtest::grid(&config.strategy, &sweep_grid()).unwrap();
            let events: Vec<_> = events.iter().cloned().map(tidemark::event::EngineEvent::Market).collect();
            let runs = tidemark::backtest::SweepRuns::new(&config);
            let (t, _) = best(repeat, || {
                grid.iter()
                    .map(|s| {
                        let mut c = config.clone();
                        c.strategy = s.clone();
                        runs.run(&c, &events, true).unwrap()
                    })
                    .count()
            });
            return println!("ranked sweep: {} runs in {t:.3} ms", grid.len());
        }
        other => panic!("SINGLE_RUN_PHASE={other}: expected parse, run, dataset, bracket, dataset-bracket, report, sweep or sweep-ranked"),
    }
    let (t_json, value) = best(n, || report.to_json(iv.clone()));
    let (t_text, text) = best(n, || serde_json::to_string_pretty(&value).unwrap());
    let (t_direct, _) = best(n, || serde_json::to_string(&report.json(iv.clone())).unwrap());
    // Alternating blocks of 30 runs of each, medians of all 300: a best-of minimum rewards
    // whichever side had one lucky run (it swung between +6 % and +19 %), and alternating single
    // runs measures each config with the branch predictor and caches trained on the other
    // (+15 % where blocks of the same code gave +3 %). Blocks keep each side warm, and their
    // alternation spreads the machine's drift over both.
    let (mut plain, mut with) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        for _ in 0..30 {
            plain.push(best(1, || run(&config, events.iter().cloned().map(Ok), &mut |_| {}).unwrap()).0);
        }
        for _ in 0..30 {
            with.push(best(1, || run(&bracketed, events.iter().cloned().map(Ok), &mut |_| {}).unwrap()).0);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (plain, with) = (median(&mut plain), median(&mut with));
    println!(
        "bracket on every entry: run {plain:.3} ms without, {with:.3} ms with, medians of 300 runs each in \
         alternating blocks of 30 ({:+.1} %; budget +10 %)",
        (with / plain - 1.0) * 100.0
    );
    let counts = |c: &Config| {
        let s = run(c, events.iter().cloned().map(Ok), &mut |_| {}).unwrap().stats;
        format!("{} account events, {} orders, {} fills", s.account_events, s.orders_sent, s.fills)
    };
    println!("  without: {}; with: {}", counts(&config), counts(&bracketed));
    println!(
        "native single run (S&P 500, {} bars): config {t_cfg:.3} ms, parse {t_parse:.3} ms, run {t_run:.3} ms, \
         report value {t_json:.3} ms, pretty text {t_text:.3} ms ({} bytes), compact direct {t_direct:.3} ms",
        events.len(),
        text.len()
    );
}
