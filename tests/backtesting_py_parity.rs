//! Bar-mode fidelity: Tidemark's SMA cross (all equity in whole units, commission at entry and
//! exit, fills at the next bar's open) against backtesting.py 0.6.6's `SmaCross` on the S&P 500
//! (10/20, 0.2%) and NASDAQ (5/30, 0.1%) files. The golden file was produced by the pinned library
//! (scripts/golden/backtesting_py_sma_cross.py); this test needs no Python.

use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::loader::{CsvTarget, OhlcvCsv};

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

/// A number of the report: decimals are text, statistics numbers.
fn num(v: &serde_json::Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(a: f64, b: f64, what: &str) {
    let tol = 1e-6 * b.abs().max(1e-12);
    assert!((a - b).abs() <= tol, "{what}: tidemark {a} vs backtesting.py {b}");
}

#[test]
fn sp500_10_20() {
    parity("sp500");
}

#[test]
fn nasdaq_5_30_lower_commission() {
    parity("nasdaq");
}

/// backtesting.py's own call, `Backtest(df, SmaCross, cash=10_000, commission=.002)`, as a quick
/// config: no instruments, no executions, backtesting.py's defaults.
#[test]
fn sp500_quick_config() {
    parity_with("sp500_sma_cross", |p| {
        Config::from_json_str(&format!(
            r#"{{"cash": 10000, "commission": {}, "strategy": {{"type": "sma_cross", "fast": {}, "slow": {}}}}}"#,
            p["commission"], p["fast"], p["slow"]
        ))
        .unwrap()
    });
}

/// `finalize_trades=True` on the first 2,505 bars (a trade is open at the end): it exits at the
/// last bar's open with the exit commission charged.
#[test]
fn sp500_finalize_trades_at_the_last_open() {
    parity_with("sp500_sma_cross_finalize", |p| {
        Config::from_json_str(&format!(
            r#"{{"cash": 10000, "commission": {}, "engine": {{"close_positions_at_end": "last_open"}},
                "strategy": {{"type": "sma_cross", "fast": {}, "slow": {}}}}}"#,
            p["commission"], p["fast"], p["slow"]
        ))
        .unwrap()
    });
}

fn parity(name: &str) {
    parity_with(&format!("{name}_sma_cross"), |params| {
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root("data/sp500_sma_cross.json")).unwrap())
                .unwrap();
        v["strategy"]["fast"] = params["fast"].clone();
        v["strategy"]["slow"] = params["slow"].clone();
        v["executions"][0]["fees_percent"] =
            serde_json::json!(params["commission"].as_f64().unwrap().to_string());
        Config::from_value(v).unwrap()
    });
}

fn parity_with(golden: &str, config: impl Fn(&serde_json::Value) -> Config) {
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root(&format!("tests/golden/{golden}.json"))).unwrap())
            .unwrap();
    let name = golden["params"]["data"].as_str().unwrap();
    let config = config(&golden["params"]);
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.exchanges()[0],
    };
    let mut text = std::fs::read_to_string(root(&format!("data/ohlcv/{name}.csv"))).unwrap();
    if let Some(rows) = golden["params"]["rows"].as_u64() {
        // The header and the first `rows` bars, as the golden run's DataFrame.
        text = text.lines().take(rows as usize + 1).map(|l| format!("{l}\n")).collect();
    }
    let report = run(&config, OhlcvCsv::new(text.as_bytes(), target), &mut |_| {}).unwrap();

    // Same trades, read from the report's backtesting.py section (its keys and units).
    let json = report.to_json(tidemark::config::SummaryInterval::Daily);
    let bt = &json["backtesting_py"];
    let trades = bt["trades"].as_array().unwrap();
    let gt = golden["trades"].as_array().unwrap();
    assert_eq!(trades.len(), gt.len());
    assert_eq!(json["trades"].as_array().unwrap().len(), gt.len(), "closed trades apart from open ones");
    for (i, (t, g)) in trades.iter().zip(gt).enumerate() {
        for key in ["Size", "EntryBar", "ExitBar", "Duration"] {
            assert_eq!(num(&t[key]), g[key].as_f64().unwrap(), "trade {i} {key}");
        }
        for key in ["EntryPrice", "ExitPrice", "PnL", "Commission", "ReturnPct"] {
            close(num(&t[key]), g[key].as_f64().unwrap(), &format!("trade {i} {key}"));
        }
        assert_eq!(t["EntryTime"].as_str().unwrap().trim_end_matches('Z'), g["EntryTime"].as_str().unwrap());
        // No bracket, no SL / TP (backtesting.py's columns are NaN then).
        assert!(t["SL"].is_null() && t["TP"].is_null(), "trade {i}: {t}");
        // The report's own trade list says percent where its name says so.
        close(num(&json["trades"][i]["return_pct"]), 100.0 * g["ReturnPct"].as_f64().unwrap(), "return_pct");
    }
    // A trade still open at the end is listed as open and left out of the statistics, as
    // backtesting.py leaves it out of `_trades` (finalize_trades=False).
    let open = report.trades.iter().filter(|t| t.open).count();
    assert!(open <= 1);
    assert_eq!(json["open_trades"].as_array().unwrap().len(), open);

    // Same equity curve, bar by bar.
    let ge = golden["equity"].as_array().unwrap();
    assert_eq!(report.equity.len(), ge.len());
    for (i, (p, g)) in report.equity.iter().zip(ge).enumerate() {
        close(p.equity, g.as_f64().unwrap(), &format!("equity at bar {i}"));
    }

    // Every statistic within 1e-6 relative.
    let stats = bt["stats"].as_object().unwrap();
    let gs = golden["stats"].as_object().unwrap();
    for (key, value) in stats {
        let g = &gs[key];
        match (value, g) {
            (serde_json::Value::String(a), serde_json::Value::String(b)) => {
                assert_eq!(a.trim_end_matches('Z'), b, "{key}")
            }
            (a, b) if a.is_number() && b.is_number() => close(a.as_f64().unwrap(), b.as_f64().unwrap(), key),
            (a, b) => panic!("{key}: tidemark {a} vs backtesting.py {b}"),
        }
    }
    assert_eq!(stats.len(), gs.len(), "same set of keys");
}

/// Money in the report is exact decimal text: the portfolio's final and peak equity and
/// commissions are strings, equal to backtesting.py's floats to the float's own precision, and
/// the commissions are exactly the sum of the trade rows' (text) commissions.
#[test]
fn portfolio_money_is_exact_decimal_text() {
    use rust_decimal::Decimal;
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root("tests/golden/sp500_sma_cross.json")).unwrap())
            .unwrap();
    let config =
        Config::from_json_str(&std::fs::read_to_string(root("data/sp500_sma_cross.json")).unwrap()).unwrap();
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.exchanges()[0],
    };
    let text = std::fs::read_to_string(root("data/ohlcv/sp500.csv")).unwrap();
    let report = run(&config, OhlcvCsv::new(text.as_bytes(), target), &mut |_| {}).unwrap();
    let json = report.to_json(tidemark::config::SummaryInterval::Daily);
    let p = &json["summary"]["portfolio"];
    let gs = &golden["stats"];
    for (key, bt_key) in [
        ("equity_final", "Equity Final [$]"),
        ("equity_peak", "Equity Peak [$]"),
        ("commissions", "Commissions [$]"),
    ] {
        let text = p[key].as_str().unwrap_or_else(|| panic!("{key} is not decimal text: {}", p[key]));
        let g = gs[bt_key].as_f64().unwrap();
        let v: f64 = text.parse().unwrap();
        assert!((v - g).abs() <= 1e-12 * g.abs(), "{key}: {text} vs backtesting.py {g}");
    }
    let fees: Decimal = json["trades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["commission"].as_str().unwrap().parse::<Decimal>().unwrap())
        .sum();
    assert_eq!(p["commissions"].as_str().unwrap().parse::<Decimal>().unwrap(), fees);
    // Every position is closed at the end, so the final equity is the quote balance, to the digit.
    let usd = &json["summary"]["assets"]["other_usd"]["balance_end"]["total"];
    assert_eq!(p["equity_final"], *usd);
}
