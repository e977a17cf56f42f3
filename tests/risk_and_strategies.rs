//! Risk knobs (each refusal names the knob and the numbers, the kill switch stops trading), the
//! built-in strategies on hand-made data, sweeps, and the audit trail of a backtest.

mod common;
use common::*;
use rust_decimal::Decimal;
use tidemark::backtest::{grid, run, sweep};
use tidemark::config::Config;
use tidemark::engine::{Engine, Output, Replica};
use tidemark::event::*;
use tidemark::order::*;
use tidemark::state::TradingState;
use tidemark::strategy::{OrderIntent, Strategy, StrategyConfig, StrategyContext};

/// Submits a scripted list of intents on the next market event.
struct Scripted(Vec<OrderIntent>);
impl Strategy for Scripted {
    fn id(&self) -> &str {
        "scripted"
    }
    fn on_market_event(&mut self, ctx: &mut StrategyContext<'_>, _: &MarketEvent) {
        for i in self.0.drain(..) {
            ctx.submit(i);
        }
    }
}

fn buy(kind: OrderKind, price: &str, qty: &str) -> OrderIntent {
    OrderIntent::Open {
        instrument: BTC,
        side: Side::Buy,
        kind,
        price: d(price),
        quantity: d(qty),
        time_in_force: GTC,
        sizing: None,
        trigger: None,
        bracket: None,
    }
}

fn refusal(
    risk: serde_json::Value,
    intents: Vec<OrderIntent>,
) -> Vec<(String, Option<Decimal>, Option<Decimal>)> {
    let c = config("0", 0, "100000", "0", serde_json::json!({ "risk": risk }));
    let mut e = Engine::from_config(&c, t(0)).with_strategy(Box::new(Scripted(intents)));
    let StreamEvent::Item(m) = trade(BTC, 1, "100", "1") else { unreachable!() };
    let tick = e.process(EngineEvent::from(m)).unwrap();
    tick.outputs
        .iter()
        .filter_map(|o| match o {
            Output::OrdersRefused(r) => Some(
                r.opens
                    .iter()
                    .map(|x| (x.reason.check.clone(), x.reason.limit, x.reason.value))
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn each_knob_refuses_with_its_numbers() {
    let some = |s: &str| Some(d(s));
    assert_eq!(
        refusal(serde_json::json!({"max_order_quantity": "2"}), vec![buy(OrderKind::Market, "100", "3")]),
        vec![("max_order_quantity".into(), some("2"), some("3"))]
    );
    assert_eq!(
        refusal(serde_json::json!({"max_order_notional": "250"}), vec![buy(OrderKind::Limit, "100", "3")]),
        vec![("max_order_notional".into(), some("250"), some("300"))]
    );
    assert_eq!(
        refusal(serde_json::json!({"max_price_deviation": "0.05"}), vec![buy(OrderKind::Limit, "90", "1")]),
        vec![("max_price_deviation".into(), some("0.05"), some("0.1"))]
    );
    // Two approved orders count toward the third: projected position 1 + 1 + 1 = 3 × 100 > 250.
    let three = vec![
        buy(OrderKind::Limit, "100", "1"),
        buy(OrderKind::Limit, "100", "1"),
        buy(OrderKind::Limit, "100", "1"),
    ];
    assert_eq!(
        refusal(serde_json::json!({"max_position_notional": "250"}), three.clone()),
        vec![("max_position_notional".into(), some("250"), some("300"))]
    );
    assert_eq!(
        refusal(serde_json::json!({"max_open_orders_per_instrument": 2}), three),
        vec![("max_open_orders_per_instrument".into(), some("2"), some("3"))]
    );
    assert_eq!(
        refusal(serde_json::json!({"max_gross_exposure": "150"}), vec![buy(OrderKind::Limit, "100", "2")]),
        vec![("max_gross_exposure".into(), some("150"), some("200"))]
    );
    let sell = OrderIntent::Open {
        instrument: BTC,
        side: Side::Sell,
        kind: OrderKind::Market,
        price: d("100"),
        quantity: d("1"),
        time_in_force: GTC,
        sizing: None,
        trigger: None,
        bracket: None,
    };
    assert_eq!(
        refusal(serde_json::json!({"long_only": true}), vec![sell]),
        vec![("long_only".into(), some("0"), some("-1"))]
    );
    assert!(refusal(
        serde_json::json!({"max_order_quantity": "5"}),
        vec![buy(OrderKind::Market, "100", "3")]
    )
    .is_empty());
}

#[test]
fn commands_bypass_risk() {
    let c = config("0", 0, "100000", "0", serde_json::json!({ "risk": {"max_order_quantity": "1"} }));
    let mut e = Engine::from_config(&c, t(0));
    let tick = e.process(open(BTC, "big", Side::Buy, OrderKind::Limit, "100", "50", GTC)).unwrap();
    assert!(matches!(&tick.outputs[0], Output::OrdersSent(s) if s.opens.len() == 1));
}

#[test]
fn drawdown_kill_switch_turns_trading_off() {
    // Long 50 BTC at 100 from 10000 usdt: equity 10000 → at 80, 5000 + 50×80 = 9000 (10% down).
    let c = config(
        "0",
        0,
        "10000",
        "0",
        serde_json::json!({ "risk": {"max_drawdown": "0.08"},
        "strategy": {"type": "buy_and_hold", "sizing": {"fixed_quantity": "50"}} }),
    );
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "100"));
    h.feed(trade(BTC, 1, "100", "100"));
    h.feed(trade(BTC, 2, "95", "1"));
    assert_eq!(h.sim.engine().state().trading, TradingState::Enabled);
    h.feed(trade(BTC, 3, "80", "1"));
    assert_eq!(h.sim.engine().state().trading, TradingState::Disabled);
    let reason = h.ticks.iter().flat_map(|t| &t.outputs).find_map(|o| match o {
        Output::TradingStateChanged { current: TradingState::Disabled, reason, .. } => Some(reason.clone()),
        _ => None,
    });
    let reason = reason.unwrap();
    assert!(reason.starts_with("max_drawdown: equity 9000 is 0.1 below its peak 10000"), "{reason}");
}

/// A risk manager of the caller's: `kill_switch` alone, relying on `has_kill_switch`'s default.
struct StopAtPrice(Decimal);

impl tidemark::risk::RiskManager for StopAtPrice {
    fn check_open(
        &mut self,
        _: &tidemark::risk::RiskContext<'_>,
        _: &tidemark::order::OrderRequestOpen,
    ) -> Result<(), tidemark::risk::RiskRefusal> {
        Ok(())
    }

    fn kill_switch(&mut self, ctx: &tidemark::risk::RiskContext<'_>) -> Option<String> {
        let mark = ctx.state.instruments[BTC.0].market.mark()?;
        (mark <= self.0).then(|| format!("mark {mark}"))
    }
}

#[test]
fn a_custom_kill_switch_is_asked_after_every_event() {
    // The engine skips the call only for managers that say they have no kill switch (approve-all,
    // knobs without max_drawdown); one that implements kill_switch is asked without saying so.
    let c = config("0", 0, "10000", "0", serde_json::json!({}));
    let mut e = Engine::from_config(&c, t(0)).with_risk(Box::new(StopAtPrice(d("90"))));
    e.process(EngineEvent::Market(trade(BTC, 0, "100", "1"))).unwrap();
    assert_eq!(e.state().trading, TradingState::Enabled);
    let tick = e.process(EngineEvent::Market(trade(BTC, 1, "90", "1"))).unwrap();
    assert_eq!(e.state().trading, TradingState::Disabled);
    assert!(
        matches!(&tick.outputs[..], [Output::TradingStateChanged { reason, .. }] if reason == "mark 90"),
        "{:?}",
        tick.outputs
    );
    assert!(!tidemark::risk::RiskManager::has_kill_switch(&tidemark::risk::ApproveAll));
}

fn candles(closes: &[&str]) -> Vec<StreamEvent<MarketEvent>> {
    closes.iter().enumerate().map(|(i, c)| candle(BTC, i as i64 * 86_400_000, c, c, c, c, "1000")).collect()
}

fn backtest(
    strategy: serde_json::Value,
    data: Vec<StreamEvent<MarketEvent>>,
) -> tidemark::backtest::BacktestReport {
    let c = config("0", 0, "10000", "0", serde_json::json!({ "strategy": strategy }));
    run(&c, data.into_iter().map(Ok), &mut |_| {}).unwrap()
}

fn entries(r: &tidemark::backtest::BacktestReport) -> Vec<(Decimal, Decimal)> {
    r.positions_exited.iter().map(|p| (p.price_entry_average, p.quantity_abs_max)).collect()
}

#[test]
fn sma_cross_enters_on_the_cross_above_and_exits_on_the_cross_below() {
    // fast 2, slow 3. Closes 10 9 8 9 12 13 9 6: fast/slow (×6 to compare sums·lengths):
    // bar 3: fast 8.5 < slow 8.67; bar 4: 10.5 > 9.67 → cross above → buy, filled at bar 5's open 13.
    // bar 6: 11 < 11.33 → cross below → sell at bar 7's open 6.
    let r = backtest(
        serde_json::json!({"type": "sma_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "1"}}),
        candles(&["10", "9", "8", "9", "12", "13", "9", "6"]),
    );
    assert_eq!(entries(&r), vec![(d("13"), d("1"))]);
    assert_eq!(r.positions_exited[0].pnl_realised, d("-7"));
}

#[test]
fn ema_cross_trades_on_its_own_averages() {
    // fast 2 (α 2/3), slow 3 (α 1/2), SMA-seeded. Closes 10 10 10 13 7 7:
    // bar 2: fast 10, slow 10 (equal); bar 3: fast 12, slow 11.5; bar 4: fast 8.67 < slow 9.25.
    // Equal at bar 2 means bar 3 is not a cross (strictly below first); no trade at all.
    let r = backtest(
        serde_json::json!({"type": "ema_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "1"}}),
        candles(&["10", "10", "10", "13", "7", "7"]),
    );
    assert!(r.positions_exited.is_empty() && r.state.instruments[0].position.is_none());
    // Closes 10 9 8 12 13 7 7: bar 2 fast 8.33 < slow 9; bar 3 fast 10.78 > slow 10.5 → buy at 13; bar 5 fast 8.93 < slow 8.75? no:
    // fast = 10.78 + 2/3(13−10.78) = 12.26, slow 11.75; bar 5: fast 8.75, slow 9.375 → cross below → sell at 7.
    let r = backtest(
        serde_json::json!({"type": "ema_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "1"}}),
        candles(&["10", "9", "8", "12", "13", "7", "7"]),
    );
    assert_eq!(entries(&r), vec![(d("13"), d("1"))]);
    assert_eq!(r.positions_exited[0].pnl_realised, d("-6"));
}

#[test]
fn rsi_reversion_buys_oversold_and_sells_overbought() {
    // period 2: closes 10 9 8 → RSI 0 (< 30) → buy at the next open 8; 8 → 12: gains → RSI > 70 → sell at 13.
    let r = backtest(
        serde_json::json!({"type": "rsi_reversion", "period": 2, "sizing": {"fixed_quantity": "2"}}),
        candles(&["10", "9", "8", "8", "12", "13", "13"]),
    );
    assert_eq!(entries(&r), vec![(d("8"), d("2"))]);
    assert_eq!(r.positions_exited[0].pnl_realised, d("10"));
}

#[test]
fn donchian_breaks_out_and_exits_below_the_exit_channel() {
    // entry 3, exit 2: bars 10 11 10 | 12 (> 11: buy at 13) 13 | 9 (< min(12,13) lows): sell at 8.
    let r = backtest(
        serde_json::json!({"type": "donchian_breakout", "entry_period": 3, "exit_period": 2, "sizing": {"fixed_quantity": "1"}}),
        candles(&["10", "11", "10", "12", "13", "9", "8"]),
    );
    assert_eq!(entries(&r), vec![(d("13"), d("1"))]);
    assert_eq!(r.positions_exited[0].pnl_realised, d("-5"));
}

#[test]
fn buy_and_hold_buys_once_with_all_equity_in_whole_units() {
    let r = backtest(
        serde_json::json!({"type": "buy_and_hold", "sizing": {"equity_fraction": {"fraction": "1", "whole_units": true}}}),
        candles(&["30", "33", "40"]),
    );
    let p = r.state.instruments[0].position.as_ref().unwrap();
    // 10000 / 33 (the fill at the next open) = 303.03 → 303 units.
    assert_eq!((p.price_entry_average, p.quantity_abs), (d("33"), d("303")));
    assert_eq!(r.state.balance(tidemark::instrument::AssetIndex(2)).total, d("10000") - d("9999"));
    // Marked to market at the last close: 303 × (40 − 33) = 2121.
    assert_eq!(p.pnl_unrealised(), d("2121"));
}

#[test]
fn market_maker_quotes_both_sides_within_inventory() {
    let c = config(
        "0",
        0,
        "10000",
        "1",
        serde_json::json!({ "strategy": {"type": "market_maker", "spread_bps": 20, "quantity": "0.5", "max_inventory": "0.5"} }),
    );
    let mut h = Harness::new(&c);
    h.feed(l1(BTC, 0, "99.9", "100.1", "5"));
    let quotes: Vec<_> = h.ticks.iter().flat_map(|t| t.sent()).flat_map(|s| s.opens.clone()).collect();
    // Mid 100, half-spread 10 bps: bid 99.9, ask 100.1, post-only.
    let prices: Vec<_> = quotes.iter().map(|o| (o.state.side, o.state.price)).collect();
    assert_eq!(prices, vec![(Side::Buy, d("99.9")), (Side::Sell, d("100.1"))]);
    assert!(quotes
        .iter()
        .all(|o| o.state.time_in_force == TimeInForce::GoodUntilCancelled { post_only: true }));
    // A trade through the bid fills it (maker); inventory 0.5 = max: no new bid, the ask stays.
    h.feed(trade(BTC, 1, "99.8", "5"));
    h.feed(l1(BTC, 2, "99.9", "100.1", "5"));
    let st = &h.sim.engine().state().instruments[0];
    assert_eq!(st.position_quantity(), d("0.5"));
    assert!(st.orders.0.iter().all(|o| o.side == Side::Sell));
}

#[test]
fn sweep_runs_a_grid_over_shared_data() {
    let c = config(
        "0",
        0,
        "10000",
        "0",
        serde_json::json!({ "strategy": {"type": "sma_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "1"}} }),
    );
    let data = candles(&["10", "9", "8", "9", "12", "13", "9", "6"]);
    let strategies = grid(
        &c.strategy,
        &[("fast".into(), vec![1.into(), 2.into(), 3.into()]), ("slow".into(), vec![3.into(), 4.into()])],
    )
    .unwrap();
    // (3, 3) is invalid (fast must be below slow) and is skipped.
    assert_eq!(strategies.len(), 5);
    let mut calls = 0;
    let results = sweep(&c, &data, &strategies, |done, total| {
        calls += 1;
        assert_eq!(total, 5);
        assert_eq!(done, calls);
    });
    assert!(results.iter().all(|r| r.report.is_ok()));
    let same = results
        .iter()
        .find(|r| matches!(r.strategy, StrategyConfig::SmaCross { fast: 2, slow: 3, .. }))
        .unwrap();
    assert_eq!(same.report.as_ref().unwrap().positions_exited[0].pnl_realised, d("-7"));
    let e = grid(&c.strategy, &[("speed".into(), vec![1.into()])]).unwrap_err();
    assert_eq!(e.to_string(), "INVALID_ARGUMENT: grid.speed: strategy sma_cross has no parameter \"speed\"");
}

#[test]
fn backtest_audit_trail_rebuilds_the_final_state() {
    let mut c: Config = config(
        "0.001",
        1,
        "10000",
        "0",
        serde_json::json!({ "engine": {"audit": true},
        "strategy": {"type": "sma_cross", "fast": 2, "slow": 3, "sizing": {"fixed_quantity": "1"}} }),
    );
    let data = candles(&["10", "9", "8", "9", "12", "13", "9", "6"]);
    let r = run(&c, data.clone().into_iter().map(Ok), &mut |_| {}).unwrap();
    let trail = r.audit.as_ref().unwrap();
    let mut replica = Replica::new(c.instruments.clone(), trail.snapshot.clone());
    for t in &trail.ticks {
        replica.apply(t).unwrap();
    }
    assert_eq!(replica.state(), &r.state);
    c.engine.audit = false;
    assert!(run(&c, data.into_iter().map(Ok), &mut |_| {}).unwrap().audit.is_none());
}

#[test]
fn close_positions_at_end_exits_at_the_last_price() {
    let c = config(
        "0.001",
        5,
        "10000",
        "0",
        serde_json::json!({ "engine": {"close_positions_at_end": true},
        "strategy": {"type": "buy_and_hold", "sizing": {"fixed_quantity": "2"}} }),
    );
    let data = candles(&["30", "33", "40"]);
    let r = run(&c, data.into_iter().map(Ok), &mut |_| {}).unwrap();
    assert!(r.state.instruments[0].position.is_none());
    let p = &r.positions_exited[0];
    // Bought 2 at the second bar's open 33, sold 2 at the last close 40 after the run ended.
    assert_eq!((p.price_entry_average, p.price_exit_average), (d("33"), d("40")));
    assert_eq!(p.pnl_realised, d("14") - d("0.066") - d("0.08"));
    assert!(r.trades.iter().all(|t| !t.open));
}
