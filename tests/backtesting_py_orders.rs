//! Stop, limit and bracket orders against backtesting.py 0.6.6 (golden files from
//! scripts/golden/backtesting_py_orders.py; this test needs no Python). Each strategy below is the
//! Rust twin of the Python one of the same name, on the S&P 500 and NASDAQ daily files, cash
//! 10,000, commission 0.2 %, all-equity whole-unit entries: same trades, same per-bar equity and
//! every statistic within 1e-6 (relative).

use rust_decimal::Decimal;
use std::collections::VecDeque;
use tidemark::backtest::Simulation;
use tidemark::config::Config;
use tidemark::engine::Engine;
use tidemark::event::{DataKind, EngineEvent, MarketEvent};
use tidemark::loader::{CsvTarget, OhlcvCsv};
use tidemark::order::{Bracket, FillSizing, OrderKind, Side, TimeInForce, Trigger};
use tidemark::strategy::{OrderIntent, Strategy, StrategyContext};

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn dec(x: &str) -> Decimal {
    x.parse().unwrap()
}

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Relative deviation, recorded so the test can print the largest per golden.
fn close(a: f64, b: f64, what: &str, worst: &mut f64) {
    let dev = (a - b).abs() / b.abs().max(1e-12);
    *worst = worst.max(dev);
    assert!(dev <= 1e-6, "{what}: tidemark {a} vs backtesting.py {b}");
}

fn all_in() -> Option<FillSizing> {
    Some(FillSizing { fraction: Decimal::ONE, increment: Some(Decimal::ONE) })
}

/// Cancels our pending entries (not the exits the exchange holds), as the Python strategies'
/// `for o in self.orders: if not o.is_contingent: o.cancel()`.
fn cancel_entries(ctx: &mut StrategyContext<'_>, e: &MarketEvent) {
    let cids: Vec<_> = ctx.state.instruments[e.instrument.0]
        .orders
        .0
        .iter()
        .filter(|o| o.exit_of.is_none())
        .map(|o| o.key.cid.clone())
        .collect();
    for cid in cids {
        ctx.cancel(e.instrument, cid);
    }
}

/// `StopBreakout`: when flat, a buy stop at the highest high of the last `n` bars.
struct StopBreakout {
    n: usize,
    highs: VecDeque<Decimal>,
}

impl Strategy for StopBreakout {
    fn id(&self) -> &str {
        "stop_breakout"
    }
    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, e: &MarketEvent) {
        let DataKind::Candle(c) = &e.kind else { return };
        self.highs.push_back(c.high);
        if self.highs.len() > self.n {
            self.highs.pop_front();
        }
        cancel_entries(ctx, e);
        if self.highs.len() < self.n || !ctx.position(e.instrument).is_zero() {
            return;
        }
        let hi = self.highs.iter().copied().fold(Decimal::MIN, Decimal::max);
        ctx.submit(OrderIntent::Open {
            instrument: e.instrument,
            side: Side::Buy,
            kind: OrderKind::Market,
            price: hi,
            quantity: Decimal::ONE,
            time_in_force: TimeInForce::GoodUntilCancelled { post_only: false },
            sizing: all_in(),
            trigger: Some(Trigger { price: Some(hi), trailing: None }),
            bracket: Some(Bracket {
                stop_loss: Some(hi * dec("0.97")),
                take_profit: Some(hi * dec("1.06")),
                trailing_stop: None,
            }),
        });
    }
}

/// `LimitPullback`: when flat and the close is above the close `n` bars back, a buy limit 2 %
/// below the close.
struct LimitPullback {
    n: usize,
    closes: VecDeque<Decimal>,
}

impl Strategy for LimitPullback {
    fn id(&self) -> &str {
        "limit_pullback"
    }
    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, e: &MarketEvent) {
        let DataKind::Candle(c) = &e.kind else { return };
        self.closes.push_back(c.close);
        if self.closes.len() > self.n + 1 {
            self.closes.pop_front();
        }
        cancel_entries(ctx, e);
        if self.closes.len() <= self.n || !ctx.position(e.instrument).is_zero() {
            return;
        }
        if c.close <= self.closes[0] {
            return;
        }
        let limit = c.close * dec("0.98");
        ctx.submit(OrderIntent::Open {
            instrument: e.instrument,
            side: Side::Buy,
            kind: OrderKind::Limit,
            price: limit,
            quantity: Decimal::ONE,
            time_in_force: TimeInForce::GoodUntilCancelled { post_only: false },
            sizing: all_in(),
            trigger: None,
            bracket: Some(Bracket {
                stop_loss: Some(limit * dec("0.95")),
                take_profit: Some(limit * dec("1.05")),
                trailing_stop: None,
            }),
        });
    }
}

fn config(strategy: serde_json::Value) -> Config {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root("data/sp500_sma_cross.json")).unwrap()).unwrap();
    v["strategy"] = strategy;
    Config::from_value(v).unwrap()
}

fn run(
    golden: &serde_json::Value,
    config: &Config,
    strategy: Option<Box<dyn Strategy>>,
) -> tidemark::backtest::BacktestReport {
    let name = golden["params"]["data"].as_str().unwrap();
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.exchanges()[0],
    };
    let text = std::fs::read_to_string(root(&format!("data/ohlcv/{name}.csv"))).unwrap();
    let items: Vec<_> = OhlcvCsv::new(text.as_bytes(), target).map(Result::unwrap).collect();
    let start = match &items[0] {
        tidemark::event::StreamEvent::Item(e) => e.time_exchange,
        _ => unreachable!(),
    };
    let mut engine = Engine::from_config(config, start);
    if let Some(s) = strategy {
        engine = engine.with_strategy(s);
    }
    let mut sim = Simulation::with_engine(config, engine).unwrap();
    for item in items {
        sim.feed_event(&EngineEvent::Market(item), &mut |_| {}).unwrap();
    }
    sim.finish(start, &mut |_| {}).unwrap()
}

/// Compares a run with its golden file; returns the largest relative deviation seen.
fn compare(golden_name: &str, config: &Config, strategy: Option<Box<dyn Strategy>>) -> f64 {
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root(&format!("tests/golden/{golden_name}.json"))).unwrap(),
    )
    .unwrap();
    let report = run(&golden, config, strategy);
    let mut worst = 0.0f64;
    let json = report.to_json(tidemark::config::SummaryInterval::Daily);
    let bt = &json["backtesting_py"];
    let trades = bt["trades"].as_array().unwrap();
    let gt = golden["trades"].as_array().unwrap();
    for (i, (t, g)) in trades.iter().zip(gt).enumerate() {
        for key in ["Size", "EntryBar", "ExitBar", "Duration"] {
            assert_eq!(num(&t[key]), g[key].as_f64().unwrap(), "{golden_name}: trade {i} {key}: {t} vs {g}");
        }
        for key in ["EntryPrice", "ExitPrice", "PnL", "Commission", "ReturnPct"] {
            close(
                num(&t[key]),
                g[key].as_f64().unwrap(),
                &format!("{golden_name}: trade {i} {key}"),
                &mut worst,
            );
        }
        // The bracket's prices (every golden here has them on every trade).
        for key in ["SL", "TP"] {
            let want = g[key].as_f64().unwrap_or_else(|| panic!("{golden_name}: trade {i} has no {key}"));
            assert!(!t[key].is_null(), "{golden_name}: trade {i} {key}: null, backtesting.py {want}");
            close(num(&t[key]), want, &format!("{golden_name}: trade {i} {key}"), &mut worst);
        }
    }
    assert_eq!(trades.len(), gt.len(), "{golden_name}: trades");
    let ge = golden["equity"].as_array().unwrap();
    assert_eq!(report.equity.len(), ge.len());
    for (i, (p, g)) in report.equity.iter().zip(ge).enumerate() {
        close(p.equity, g.as_f64().unwrap(), &format!("{golden_name}: equity at bar {i}"), &mut worst);
    }
    let stats = bt["stats"].as_object().unwrap();
    let gs = golden["stats"].as_object().unwrap();
    for (key, value) in stats {
        match (value, &gs[key]) {
            (serde_json::Value::String(a), serde_json::Value::String(b)) => {
                assert_eq!(a.trim_end_matches('Z'), b, "{golden_name}: {key}")
            }
            (a, b) if a.is_number() && b.is_number() => {
                close(a.as_f64().unwrap(), b.as_f64().unwrap(), &format!("{golden_name}: {key}"), &mut worst)
            }
            (serde_json::Value::Null, serde_json::Value::Null) => {}
            (a, b) => panic!("{golden_name}: {key}: tidemark {a} vs backtesting.py {b}"),
        }
    }
    assert_eq!(stats.len(), gs.len(), "same set of keys");
    println!("{golden_name}: {} trades, max relative deviation {worst:e}", gt.len());
    worst
}

fn sma_bracket(name: &str) {
    // The built-in SMA cross with its stop_loss / take_profit parameters (percent of the close).
    let c = config(serde_json::json!({"type": "sma_cross", "fast": 10, "slow": 20,
        "sizing": {"equity_fraction": {"fraction": "1", "whole_units": true}},
        "stop_loss": 5, "take_profit": 10}));
    compare(&format!("{name}_sma_bracket"), &c, None);
}

#[test]
fn sp500_sma_cross_with_a_bracket() {
    sma_bracket("sp500");
}

#[test]
fn nasdaq_sma_cross_with_a_bracket() {
    sma_bracket("nasdaq");
}

#[test]
fn sp500_stop_entry_breakout() {
    let c = config(serde_json::json!({"type": "none"}));
    compare("sp500_stop_breakout", &c, Some(Box::new(StopBreakout { n: 20, highs: VecDeque::new() })));
}

#[test]
fn nasdaq_stop_entry_breakout() {
    let c = config(serde_json::json!({"type": "none"}));
    compare("nasdaq_stop_breakout", &c, Some(Box::new(StopBreakout { n: 20, highs: VecDeque::new() })));
}

#[test]
fn sp500_limit_entry_pullback() {
    let c = config(serde_json::json!({"type": "none"}));
    compare("sp500_limit_pullback", &c, Some(Box::new(LimitPullback { n: 20, closes: VecDeque::new() })));
}

#[test]
fn nasdaq_limit_entry_pullback() {
    let c = config(serde_json::json!({"type": "none"}));
    compare("nasdaq_limit_pullback", &c, Some(Box::new(LimitPullback { n: 20, closes: VecDeque::new() })));
}
