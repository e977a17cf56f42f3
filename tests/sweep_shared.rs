//! A sweep shares work between its runs (averages computed once per length, events checked by
//! the first run only); every run's report must still be the one a backtest of that combination
//! alone gives, to the byte. A run collecting only the ranked statistics (no equity curve) gives
//! each of them with the full statistics' bits.

mod common;
use common::*;
use tidemark::backtest::{grid, run, sweep, CheckedEvents, SweepRuns};
use tidemark::config::{Config, SummaryInterval};
use tidemark::event::EngineEvent;
use tidemark::event::{MarketEvent, StreamEvent};
use tidemark::loader::{load_text, CsvTarget, LoadOptions};
use tidemark::statistic::ranked::RankedStats;

thread_local! {
    /// Runs `same_as_alone` saw end with a position open or closed by the run's end.
    static OPEN_AT_END: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn sp500(strategy: serde_json::Value) -> (Config, Vec<StreamEvent<MarketEvent>>) {
    sp500_with(strategy, |_| {})
}

/// `sp500` with the config's JSON edited first.
fn sp500_with(
    strategy: serde_json::Value,
    edit: impl FnOnce(&mut serde_json::Value),
) -> (Config, Vec<StreamEvent<MarketEvent>>) {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/data/sp500_sma_cross.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["strategy"] = strategy;
    edit(&mut v);
    let config = Config::from_value(v).unwrap();
    let csv = std::fs::read_to_string(format!("{root}/data/ohlcv/sp500.csv")).unwrap();
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.instruments()[0].exchange_id,
    };
    let events = load_text(&csv, target, &LoadOptions::default()).unwrap();
    (config, events)
}

/// Each sweep result's report JSON against a run of that combination on its own.
fn same_as_alone(
    config: &Config,
    events: &[StreamEvent<MarketEvent>],
    params: &[(String, Vec<serde_json::Value>)],
) {
    let strategies = grid(&config.strategy, params).unwrap();
    let results = sweep(config, events, &strategies, |_, _| {});
    assert_eq!(results.len(), strategies.len());
    let mut traded = std::collections::BTreeSet::new();
    let json = |r: &tidemark::backtest::BacktestReport| {
        serde_json::to_string(&r.to_json(SummaryInterval::Daily)).unwrap()
    };
    // The ranked runs share one `SweepRuns`, as a sweep's do: the first checks the events as it
    // goes, the later ones coast through whole stretches (`Checked::Everything`).
    let engine_events: Vec<EngineEvent> = events.iter().cloned().map(EngineEvent::Market).collect();
    let ranked_runs = SweepRuns::new(config);
    // And over a data set's checked events (values checked once when loaded), as `sweep` over a
    // Dataset runs: the first run checks the rest as it coasts.
    let checked = CheckedEvents::new(engine_events.clone()).unwrap();
    let checked_runs = SweepRuns::over_checked(config, &checked);
    // And a later sweep over the same data set, reading the averages the first one computed.
    let later_runs = SweepRuns::over_checked(config, &checked);
    let mut open_at_end = 0;
    for r in &results {
        let mut alone = config.clone();
        alone.strategy = r.strategy.clone();
        let expected = run(&alone, events.iter().cloned().map(Ok), &mut |_| {}).unwrap();
        let got = r.report.as_ref().unwrap();
        traded.extend(got.positions_exited.iter().map(|p| p.instrument.0));
        assert_eq!(json(got), json(&expected), "{:?}", r.strategy);
        // What the report JSON leaves out: the whole final state and the counters.
        let state = |r: &tidemark::backtest::BacktestReport| serde_json::to_string(&r.state).unwrap();
        assert_eq!(state(got), state(&expected), "{:?}", r.strategy);
        assert_eq!(got.stats, expected.stats, "{:?}", r.strategy);
        assert_eq!(got.time_end, expected.time_end);
        ranked_as_full(&ranked_runs, &alone, &engine_events, got);
        ranked_as_full(&checked_runs, &alone, &checked, got);
        ranked_as_full(&later_runs, &alone, &checked, got);
        // Open at the end unless closed there (then the last exit is at the last event).
        let last = engine_events.iter().rev().find_map(|e| match e {
            EngineEvent::Market(StreamEvent::Item(m)) => Some(m.time_exchange),
            _ => None,
        });
        let closed_at_end = got.positions_exited.last().is_some_and(|p| Some(p.time_exit) == last);
        open_at_end +=
            usize::from(got.state.instruments.iter().any(|s| s.position.is_some()) || closed_at_end);
    }
    OPEN_AT_END.with(|n| n.set(n.get() + open_at_end));
    // Each instrument traded in some run, so its series decided something.
    let instruments: std::collections::BTreeSet<usize> = events
        .iter()
        .filter_map(|e| if let StreamEvent::Item(m) = e { Some(m.instrument.0) } else { None })
        .collect();
    assert_eq!(traded, instruments);
}

/// The combination's ranked-only run against its full statistics: every ranked field the same
/// value (JSON: decimal text for money, f64 written shortest-exact), none of the rest.
fn ranked_as_full(
    runs: &SweepRuns,
    config: &Config,
    events: &[EngineEvent],
    full: &tidemark::backtest::BacktestReport,
) {
    let report = runs.run(config, events, true).unwrap();
    assert!(report.portfolio.is_none());
    assert_eq!(report.stats, full.stats, "{:?}", config.strategy);
    assert_eq!(serde_json::to_string(&report.state).unwrap(), serde_json::to_string(&full.state).unwrap());
    let ranked = serde_json::to_value(report.ranked.as_ref().unwrap()).unwrap();
    let all = serde_json::to_value(full.portfolio.as_ref().unwrap()).unwrap();
    let keys: std::collections::BTreeSet<&str> =
        ranked.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, RankedStats::NAMES.into_iter().collect());
    for key in RankedStats::NAMES {
        assert_eq!(ranked[key], all[key], "{key} of {:?}", config.strategy);
    }
    // No trade list (its bars were not placed) and no series: their statistics are all there is.
    assert!(report.trades.is_empty() && report.equity.is_empty());
    let trades = all["trades"].as_u64().unwrap();
    assert!(trades == 0 || ranked["sqn"].is_number() || trades == 1, "{ranked}");
}

fn values(v: &[u64]) -> Vec<serde_json::Value> {
    v.iter().map(|&x| x.into()).collect()
}

#[test]
fn sma_and_ema_crosses_read_shared_averages_and_report_as_alone() {
    for kind in ["sma_cross", "ema_cross"] {
        let (config, events) = sp500(serde_json::json!({"type": kind, "fast": 10, "slow": 20}));
        // Lengths shared by several runs (10 and 20 appear as fast and as slow), with shorts and
        // a bracket swept too.
        let params = [
            ("fast".to_string(), values(&[5, 10, 20])),
            ("slow".to_string(), values(&[10, 20, 60])),
            ("allow_short".to_string(), vec![false.into(), true.into()]),
        ];
        same_as_alone(&config, &events, &params);
        let (config, events) = sp500(
            serde_json::json!({"type": kind, "fast": 10, "slow": 20, "stop_loss": 5, "take_profit": 10}),
        );
        same_as_alone(&config, &events, &params[..2]);
    }
}

#[test]
fn rsi_reversion_reads_shared_series_and_reports_as_alone() {
    let rsi = serde_json::json!({"type": "rsi_reversion", "period": 14, "oversold": 30, "overbought": 70});
    let (config, events) = sp500(rsi.clone());
    // Lengths shared by the runs of several thresholds; 7 crosses the thresholds often, 14 less.
    let params = [
        ("period".to_string(), values(&[7, 14])),
        ("oversold".to_string(), values(&[25, 35])),
        ("overbought".to_string(), values(&[65, 75])),
    ];
    same_as_alone(&config, &events, &params);
    let mut bracketed = rsi;
    bracketed["stop_loss"] = 5.into();
    bracketed["take_profit"] = 10.into();
    let (config, events) = sp500(bracketed);
    same_as_alone(&config, &events, &params[..2]);
}

#[test]
fn donchian_breakouts_coast_between_the_channels_and_report_as_alone() {
    let donchian = serde_json::json!({"type": "donchian_breakout", "entry_period": 20, "exit_period": 10});
    let (config, events) = sp500(donchian.clone());
    let params =
        [("entry_period".to_string(), values(&[10, 55])), ("exit_period".to_string(), values(&[5, 20]))];
    same_as_alone(&config, &events, &params);
    let mut bracketed = donchian;
    bracketed["stop_loss"] = 5.into();
    bracketed["take_profit"] = 10.into();
    let (config, events) = sp500(bracketed);
    same_as_alone(&config, &events, &params);
}

#[test]
fn runs_that_close_at_the_end_or_wait_for_fills_report_as_alone() {
    // Cut where some runs hold a position through their last bars, which pass with no cross:
    // the close at the end fills at what the exchange saw of them (the last close, or the last
    // bar's open). A latency keeps each order in flight past its bar.
    // A kill switch (a drawdown limit checked after every event) stops trading part way.
    let modes = [
        (serde_json::json!(true), 0, None),
        (serde_json::json!("last_open"), 0, None),
        (serde_json::json!(false), 1, Some(0.2)),
    ];
    for (close, latency, max_drawdown) in modes {
        let (config, events) =
            sp500_with(serde_json::json!({"type": "sma_cross", "fast": 10, "slow": 20}), |v| {
                v["engine"]["close_positions_at_end"] = close;
                v["executions"][0]["latency_ms"] = latency.into();
                if let Some(limit) = max_drawdown {
                    v["risk"] = serde_json::json!({"max_drawdown": limit});
                }
            });
        let params = [("fast".to_string(), values(&[5, 30])), ("slow".to_string(), values(&[40, 150]))];
        for cut in [3_000, 4_600] {
            same_as_alone(&config, &events[..cut], &params);
        }
    }
    assert!(OPEN_AT_END.with(|n| n.get()) >= 6, "{}", OPEN_AT_END.with(|n| n.get()));
}

#[test]
fn two_instruments_on_trades_and_quotes_each_read_their_own_series() {
    // Each strategy trades 0.1 of either instrument from 100,000 USDT and 10 BTC.
    let trading = |strategy: serde_json::Value| {
        let mut strategy = strategy;
        strategy["sizing"] = serde_json::json!({"fixed_quantity": "0.1"});
        config("0.1", 0, "100000", "10", serde_json::json!({ "strategy": strategy }))
    };
    let c = trading(serde_json::json!({"type": "sma_cross", "fast": 2, "slow": 3}));
    // BTC on trades, ETH/BTC on quotes (a one-sided quote is no sample), interleaved.
    let mut events = Vec::new();
    let btc = ["100", "99", "98", "101", "104", "103", "97", "95", "99", "103", "106", "100"];
    let eth = [
        "0.050", "0.049", "0.048", "0.051", "0.054", "0.050", "0.047", "0.049", "0.052", "0.055", "0.050",
        "0.046",
    ];
    for (k, (b, e)) in btc.iter().zip(eth).enumerate() {
        let ms = 10 * k as i64;
        events.push(trade(BTC, ms, b, "1"));
        let ask = (d(e) + d("0.002")).to_string();
        events.push(l1(ETHBTC, ms + 1, e, &ask, "5"));
        if k % 3 == 0 {
            if let StreamEvent::Item(mut one_sided) = l1(ETHBTC, ms + 2, e, &ask, "5") {
                if let tidemark::event::DataKind::OrderBookL1(q) = &mut one_sided.kind {
                    q.best_ask = None;
                }
                events.push(StreamEvent::Item(one_sided));
            }
        }
    }
    let params = [("fast".to_string(), values(&[1, 2])), ("slow".to_string(), values(&[3, 4]))];
    same_as_alone(&c, &events, &params);
    // RSI reversion reads each instrument's series the same way.
    let rsi =
        trading(serde_json::json!({"type": "rsi_reversion", "period": 2, "oversold": 30, "overbought": 70}));
    let thresholds = [("period".to_string(), values(&[2, 3])), ("oversold".to_string(), values(&[20, 40]))];
    same_as_alone(&rsi, &events, &thresholds);
    // And a Donchian breakout its channels (a one-sided quote gives them nothing).
    let donchian =
        trading(serde_json::json!({"type": "donchian_breakout", "entry_period": 2, "exit_period": 2}));
    let periods =
        [("entry_period".to_string(), values(&[1, 2])), ("exit_period".to_string(), values(&[1, 3]))];
    same_as_alone(&donchian, &events, &periods);
    // Within a time tolerance, each quote a little older than the trade before it: the clocks
    // keep the newest time, not the last event's. A reconnect ends a stretch.
    let tolerant = config(
        "0.1",
        0,
        "100000",
        "10",
        serde_json::json!({
            "strategy": {"type": "sma_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "0.1"}},
            // A point a ms: the ranked runs' first point is final early, so they coast through
            // whole stretches (the default window, 1 s, is longer than these 110 ms).
            "engine": {"trading_state": "Enabled", "time_tolerance_ms": 5, "equity_sample_ms": 1},
        }),
    );
    let mut shifted = events.clone();
    for e in shifted.iter_mut() {
        if let StreamEvent::Item(q) = e {
            if q.instrument == ETHBTC {
                q.time_exchange = tidemark::time::Timestamp(q.time_exchange.0 - 3_000_000);
            }
        }
    }
    let exchange = tidemark::instrument::ExchangeId::parse("binance_spot").unwrap();
    shifted.insert(shifted.len() / 2, StreamEvent::Reconnecting(exchange));
    // The last trade older than the one before it: the run ends at the newest time.
    shifted.push(trade(BTC, 10 * 11 - 2, "100", "1"));
    same_as_alone(&tolerant, &shifted, &params);
}

#[test]
fn l2_books_and_liquidations_between_the_samples_report_as_alone() {
    // BTC on trades with liquidations between them; ETH/BTC on two-sided quotes, its order book
    // (snapshots and updates, a level removed) between them: the books move no sample but are
    // what the simulated exchange fills against, and every kind of event passes through the
    // runs' coasting stretches.
    use tidemark::event::{DataKind, Level, Levels, Liquidation, OrderBook, OrderBookEvent};
    use tidemark::order::Side;
    let at = |i, ms: i64, kind| {
        StreamEvent::Item(MarketEvent {
            time_exchange: t(ms),
            time_received: t(ms),
            exchange: tidemark::instrument::ExchangeId::parse("binance_spot").unwrap(),
            instrument: i,
            kind,
        })
    };
    let levels = |l: &[(&str, &str)]| Levels {
        levels: l.iter().map(|(p, a)| Level { price: d(p), amount: d(a) }).collect(),
    };
    let book = |k: usize, bid: &str, ask: &str| {
        let (bids, asks) = if k % 3 == 1 {
            // An update: the deep bid's amount changed, the deep ask removed.
            (levels(&[("0.040", "1")]), levels(&[("0.070", "0")]))
        } else {
            (levels(&[(bid, "4"), ("0.040", "2")]), levels(&[(ask, "4"), ("0.070", "2")]))
        };
        let sides = OrderBook { sequence: k as u64, time_engine: None, bids, asks };
        DataKind::OrderBook(if k % 3 == 1 {
            OrderBookEvent::Update(sides)
        } else {
            OrderBookEvent::Snapshot(sides)
        })
    };
    let btc = ["100", "99", "98", "101", "104", "103", "97", "95", "99", "103", "106", "100"];
    let eth = [
        "0.050", "0.049", "0.048", "0.051", "0.054", "0.050", "0.047", "0.049", "0.052", "0.055", "0.050",
        "0.046",
    ];
    let mut events = Vec::new();
    for (k, (b, e)) in btc.iter().zip(eth).enumerate() {
        let ms = 10 * k as i64;
        let ask = (d(e) + d("0.002")).to_string();
        events.push(at(ETHBTC, ms, book(k, e, &ask)));
        events.push(trade(BTC, ms + 1, b, "1"));
        let side = if k % 2 == 0 { Side::Buy } else { Side::Sell };
        let liquidation = Liquidation { side, price: d(b), quantity: d("3"), time: t(ms + 2) };
        events.push(at(BTC, ms + 2, DataKind::Liquidation(liquidation)));
        events.push(l1(ETHBTC, ms + 3, e, &ask, "5"));
    }
    let trading = |strategy: serde_json::Value| {
        let mut strategy = strategy;
        strategy["sizing"] = serde_json::json!({"fixed_quantity": "0.1"});
        config("0.1", 0, "100000", "10", serde_json::json!({ "strategy": strategy }))
    };
    let sma = trading(serde_json::json!({"type": "sma_cross", "fast": 2, "slow": 3}));
    same_as_alone(
        &sma,
        &events,
        &[("fast".to_string(), values(&[1, 2])), ("slow".to_string(), values(&[3, 4]))],
    );
    let rsi =
        trading(serde_json::json!({"type": "rsi_reversion", "period": 2, "oversold": 30, "overbought": 70}));
    same_as_alone(
        &rsi,
        &events,
        &[("period".to_string(), values(&[2, 3])), ("oversold".to_string(), values(&[20, 40]))],
    );
    let donchian =
        trading(serde_json::json!({"type": "donchian_breakout", "entry_period": 2, "exit_period": 2}));
    let periods =
        [("entry_period".to_string(), values(&[1, 2])), ("exit_period".to_string(), values(&[1, 3]))];
    same_as_alone(&donchian, &events, &periods);
}

#[test]
fn a_bad_event_fails_every_run_not_only_the_first() {
    let c = config(
        "0",
        0,
        "10000",
        "0",
        serde_json::json!({ "strategy": {"type": "sma_cross", "fast": 1, "slow": 2, "sizing": {"fixed_quantity": "1"}} }),
    );
    let mut events = vec![trade(BTC, 0, "10", "1"), trade(BTC, 1, "11", "1"), trade(BTC, 2, "12", "1")];
    events.push(trade(BTC, 3, "-1", "1"));
    let strategies = grid(&c.strategy, &[("slow".into(), values(&[2, 3, 4]))]).unwrap();
    let results = sweep(&c, &events, &strategies, |_, _| {});
    assert_eq!(results.len(), 3);
    for r in results {
        let e = r.report.unwrap_err();
        assert_eq!(e.code().as_str(), "INVALID_EVENT", "{e}");
        assert!(e.to_string().contains("events[3]"), "{e}");
    }
    // Values fine, but one event older than the clock allows, well into a stretch the ranked runs
    // over checked events coast through: each run stops there with the error a backtest gives.
    let mut late: Vec<EngineEvent> =
        (0..40).map(|k| EngineEvent::Market(trade(BTC, 1000 * k, &format!("{}", 10 + k % 7), "1"))).collect();
    late.insert(30, EngineEvent::Market(trade(BTC, 500, "12", "1")));
    let expected = tidemark::backtest::run_events(&c, &late, &mut |_| {}).unwrap_err();
    assert_eq!(expected.code().as_str(), "TIME_BACKWARDS", "{expected}");
    let checked = CheckedEvents::new(late).unwrap();
    let runs = SweepRuns::over_checked(&c, &checked);
    for slow in [2, 3, 4] {
        let mut one = c.clone();
        one.strategy = grid(&c.strategy, &[("slow".into(), values(&[slow]))]).unwrap().remove(0);
        let e = runs.run(&one, &checked, true).unwrap_err();
        assert_eq!(e.to_string(), expected.to_string());
    }
}
