//! Hand-computed fills for each order type and time in force, partial fills, rejections, and the
//! engine test vector from barter (fees 10%: buy 1 BTC at 10,000, sell at 20,000 → PnL 7,000).

mod common;
use common::*;
use tidemark::engine::Output;
use tidemark::order::*;

const USDT: usize = 2;
const BTC_A: usize = 0;
const ETH_A: usize = 1;

fn exited(h: &Harness) -> Vec<tidemark::state::PositionExited> {
    h.ticks
        .iter()
        .flat_map(|t| t.outputs.iter())
        .filter_map(|o| match o {
            Output::PositionExited(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn barter_engine_vector_btc_7000_and_ethbtc() {
    // barter-model.md §10: fees 10%; BTC 10k → 20k, qty 1 → realised 7000; ETH/BTC 0.1 → 0.05 → −0.065.
    let c = config("0.1", 100, "100000", "10", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "9000", "5"));
    h.control(open(BTC, "b1", Side::Buy, OrderKind::Market, "9000", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 50, "9500", "5")); // the request has not arrived yet (latency 100 ms)
    h.feed(trade(BTC, 150, "10000", "5")); // arrives at 100, fills here at 10,000
    h.feed(trade(BTC, 400, "20000", "5"));
    h.control(open(BTC, "s1", Side::Sell, OrderKind::Market, "20000", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 600, "20000", "5"));
    h.feed(trade(ETHBTC, 700, "0.1", "5"));
    h.control(open(ETHBTC, "b2", Side::Buy, OrderKind::Market, "0.1", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(ETHBTC, 900, "0.1", "5"));
    h.feed(trade(ETHBTC, 1100, "0.05", "5"));
    h.control(open(ETHBTC, "s2", Side::Sell, OrderKind::Market, "0.05", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(ETHBTC, 1300, "0.05", "5"));
    h.feed(trade(ETHBTC, 1500, "0.05", "5"));
    let x = exited(&h);
    assert_eq!(x.len(), 2);
    assert_eq!(x[0].pnl_realised, d("7000"));
    assert_eq!(x[1].pnl_realised, d("-0.065"));
    let fills = h.fills();
    assert_eq!(fills[0].price, d("10000"));
    assert_eq!(fills[0].time_exchange, t(150));
    // Real spot accounting: usdt 100000 − 10000 − 1000 + 20000 − 2000 = 107000.
    assert_eq!(h.balance(USDT).total, d("107000"));
    // btc 10 + 1 − 1 − 0.1 − 0.01 + 0.05 − 0.005 = 9.935.
    assert_eq!(h.balance(BTC_A).total, d("9.935"));
    assert_eq!(h.balance(ETH_A).total, d("0"));
    // The engine only learnt of the fill after the response latency: 150 + 100.
    let tick = h.ticks.iter().find(|tk| matches!(tk.event.as_ref(), tidemark::event::EngineEvent::Account(tidemark::event::StreamEvent::Item(a)) if matches!(a.kind, tidemark::event::AccountEventKind::Trade(_)))).unwrap();
    assert_eq!(tick.time, t(250));
}

#[test]
fn market_buy_fills_at_ask_with_slippage_and_taker_fee() {
    let c = config(
        "0.001",
        0,
        "10000",
        "0",
        serde_json::json!({"execution": {"slippage_bps": 10, "taker_fees_percent": 0.002, "maker_fees_percent": 0.0005}}),
    );
    let mut h = Harness::new(&c);
    h.feed(l1(BTC, 0, "99", "100", "5"));
    h.control(open(BTC, "m", Side::Buy, OrderKind::Market, "100", "2", TimeInForce::ImmediateOrCancel));
    h.feed(l1(BTC, 1, "101", "102", "5"));
    let f = &h.fills()[0];
    // 102 × (1 + 10 bps) = 102.102; fee 2 × 102.102 × 0.002 = 0.408408.
    assert_eq!((f.price, f.quantity, f.fees.fees), (d("102.102"), d("2"), d("0.408408")));
    assert_eq!(h.balance(USDT).total, d("10000") - d("204.204") - d("0.408408"));
    assert_eq!(h.balance(BTC_A).total, d("2"));
}

#[test]
fn resting_limit_fills_at_limit_as_maker() {
    let c =
        config("0.001", 0, "10000", "0", serde_json::json!({"execution": {"maker_fees_percent": 0.0005}}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "l", Side::Buy, OrderKind::Limit, "95", "1", GTC));
    h.feed(trade(BTC, 1, "97", "1")); // above the limit: rests
                                      // Reserved 95 × 1 × (1 + max fee 0.001) = 95.095 of the free usdt.
    assert_eq!(h.balance(USDT).free, d("9904.905"));
    h.feed(trade(BTC, 2, "94", "1")); // trades through: fills at 95
    let f = &h.fills()[0];
    assert_eq!((f.price, f.fees.fees), (d("95"), d("0.0475")));
    assert_eq!(h.balance(USDT), tidemark::event::Balance { total: d("9904.9525"), free: d("9904.9525") });
    assert!(h.sim.engine().state().instruments[0].orders.is_empty());
}

#[test]
fn marketable_limit_takes_the_better_price() {
    let c = config("0.001", 0, "10000", "0", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "l", Side::Buy, OrderKind::Limit, "105", "1", GTC));
    h.feed(trade(BTC, 1, "101", "1"));
    assert_eq!(h.fills()[0].price, d("101"));
}

#[test]
fn post_only_that_would_cross_is_rejected() {
    let c = config("0.001", 0, "10000", "0", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(l1(BTC, 0, "99", "100", "1"));
    h.control(open(
        BTC,
        "p",
        Side::Buy,
        OrderKind::Limit,
        "100",
        "1",
        TimeInForce::GoodUntilCancelled { post_only: true },
    ));
    h.feed(l1(BTC, 1, "99", "100", "1"));
    assert_eq!(
        h.final_states("p"),
        vec![OrderState::Inactive(InactiveOrderState::OpenFailed(OrderError::Rejected(
            ApiError::PostOnlyWouldCross
        )))]
    );
    assert!(h.fills().is_empty());
    assert_eq!(h.balance(USDT).free, d("10000"));
}

#[test]
fn ioc_and_fok() {
    let c = config(
        "0",
        0,
        "10000",
        "0",
        serde_json::json!({"execution": {"fill": {"volume_participation": 0.5}}}),
    );
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    // IOC not marketable: expires, nothing filled.
    h.control(open(BTC, "i1", Side::Buy, OrderKind::Limit, "90", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 1, "100", "1"));
    assert_eq!(h.final_states("i1"), vec![OrderState::Inactive(InactiveOrderState::Expired)]);
    // IOC marketable, 50% of a 1.0 print available: fills 0.5, the rest expires.
    h.control(open(BTC, "i2", Side::Buy, OrderKind::Limit, "101", "2", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 2, "100", "1"));
    assert_eq!(h.fills()[0].quantity, d("0.5"));
    assert_eq!(h.final_states("i2"), vec![OrderState::Inactive(InactiveOrderState::Expired)]);
    // FOK needing 2 with 0.5 available: refused whole.
    h.control(open(BTC, "f", Side::Buy, OrderKind::Market, "100", "2", TimeInForce::FillOrKill));
    h.feed(trade(BTC, 3, "100", "1"));
    assert_eq!(
        h.final_states("f"),
        vec![OrderState::Inactive(InactiveOrderState::OpenFailed(OrderError::Rejected(
            ApiError::FillOrKillUnfillable
        )))]
    );
    assert_eq!(h.fills().len(), 1);
    // Reservations are all released.
    assert_eq!(h.balance(USDT).free, h.balance(USDT).total);
}

#[test]
fn a_liquidation_is_no_observation_for_orders() {
    // A liquidation print between the orders' arrival and the next trade: an order's first
    // observation, which decides whether it took liquidity on arrival, is that trade. Before,
    // the liquidation was: the market order (IOC) expired unfilled at it, and the marketable
    // limit filled at the next trade as if it had rested (a maker at its limit, 101).
    use tidemark::event::{DataKind, Liquidation, MarketEvent, StreamEvent};
    let liquidation = |ms: i64, price: &str| {
        let StreamEvent::Item(mut m) = trade(BTC, ms, price, "1") else { unreachable!() };
        let print = Liquidation { side: Side::Sell, price: d(price), quantity: d("9"), time: t(ms) };
        m.kind = DataKind::Liquidation(print);
        StreamEvent::<MarketEvent>::Item(m)
    };
    let c = config("0", 0, "10000", "1", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "5"));
    let gtc = TimeInForce::GoodUntilCancelled { post_only: false };
    h.control(open(BTC, "m", Side::Buy, OrderKind::Market, "100", "1", TimeInForce::ImmediateOrCancel));
    h.control(open(BTC, "l", Side::Buy, OrderKind::Limit, "101", "1", gtc));
    h.control(open(BTC, "g", Side::Buy, OrderKind::Limit, "90", "1", TimeInForce::GoodUntilEndOfDay));
    h.feed(liquidation(1, "90"));
    assert!(h.fills().is_empty());
    assert!(h.final_states("m").is_empty(), "{:?}", h.final_states("m"));
    h.feed(trade(BTC, 2, "100", "5"));
    let fills: Vec<_> = h.fills().iter().map(|f| (f.price, f.time_exchange)).collect();
    assert_eq!(fills, [(d("100"), t(2)), (d("100"), t(2))]);
    assert_eq!(h.final_states("m"), vec![OrderState::Inactive(InactiveOrderState::FullyFilled)]);
    assert_eq!(h.final_states("l").last().unwrap(), &OrderState::Inactive(InactiveOrderState::FullyFilled));
    // The limit at 90 still rests (a liquidation at its price fills nothing), until a
    // liquidation on the next UTC day ends its day: that one it does observe.
    assert!(matches!(h.final_states("g")[..], [OrderState::Active(_)]), "{:?}", h.final_states("g"));
    h.feed(liquidation(86_400_000, "89"));
    assert_eq!(h.final_states("g").last().unwrap(), &OrderState::Inactive(InactiveOrderState::Expired));
    assert_eq!(h.fills().len(), 2);
}

#[test]
fn partial_fills_limited_by_volume() {
    let c =
        config("0", 0, "10000", "0", serde_json::json!({"execution": {"fill": {"volume_participation": 1}}}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "l", Side::Buy, OrderKind::Limit, "99", "1", GTC));
    for (ms, amt) in [(1, "0.3"), (2, "0.3"), (3, "0.3"), (4, "0.3")] {
        h.feed(trade(BTC, ms, "98", amt));
    }
    let q: Vec<_> = h.fills().iter().map(|f| f.quantity).collect();
    assert_eq!(q, vec![d("0.3"), d("0.3"), d("0.3"), d("0.1")]);
    let states = h.final_states("l");
    assert_eq!(states.last().unwrap(), &OrderState::Inactive(InactiveOrderState::FullyFilled));
    assert!(
        matches!(&states[2], OrderState::Active(ActiveOrderState::Open(o)) if o.filled_quantity == d("0.6"))
    );
    // The first observation after arrival is marketable (98 <= 99): a taker fill at 98; afterwards
    // the order rests and fills at its limit, 99. Cost 0.3×98 + 0.7×99 = 98.7.
    let p: Vec<_> = h.fills().iter().map(|f| f.price).collect();
    assert_eq!(p, vec![d("98"), d("99"), d("99"), d("99")]);
    assert_eq!(h.balance(BTC_A).total, d("1"));
    assert_eq!(h.balance(USDT), tidemark::event::Balance { total: d("9901.3"), free: d("9901.3") });
}

#[test]
fn good_until_end_of_day_expires_at_midnight_utc() {
    let c = config("0", 0, "10000", "0", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "g", Side::Buy, OrderKind::Limit, "90", "1", TimeInForce::GoodUntilEndOfDay));
    h.feed(trade(BTC, 86_400_000, "89", "1")); // t(0) is 2023-11-14T22:13:20Z: this is the next UTC day
    assert!(h.fills().is_empty());
    assert_eq!(h.final_states("g").last().unwrap(), &OrderState::Inactive(InactiveOrderState::Expired));
}

#[test]
fn rejections_are_typed_and_release_nothing() {
    let c = config("0.001", 0, "100", "0", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "big", Side::Buy, OrderKind::Limit, "100", "5", GTC));
    h.control(open(BTC, "sell", Side::Sell, OrderKind::Market, "100", "1", TimeInForce::ImmediateOrCancel));
    h.control(open(BTC, "mkt", Side::Buy, OrderKind::Market, "100", "5", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 1, "100", "1"));
    let reason = |cid: &str| match h.final_states(cid).last().unwrap() {
        OrderState::Inactive(InactiveOrderState::OpenFailed(OrderError::Rejected(e))) => e.clone(),
        other => panic!("{other:?}"),
    };
    assert!(matches!(reason("big"), ApiError::BalanceInsufficient(a, _) if a.0 == USDT));
    assert!(matches!(reason("sell"), ApiError::BalanceInsufficient(a, _) if a.0 == BTC_A));
    assert!(matches!(reason("mkt"), ApiError::BalanceInsufficient(a, _) if a.0 == USDT));
    assert_eq!(h.balance(USDT), tidemark::event::Balance { total: d("100"), free: d("100") });
    assert!(h.sim.engine().state().instruments[0].orders.is_empty());
}

#[test]
fn cancel_releases_the_reservation_and_unknown_cancel_fails() {
    let c = config("0", 0, "1000", "0", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    h.control(open(BTC, "l", Side::Buy, OrderKind::Limit, "90", "2", GTC));
    h.feed(trade(BTC, 1, "100", "1"));
    assert_eq!(h.balance(USDT).free, d("820"));
    h.control(cancel(BTC, "l"));
    h.control(cancel(BTC, "ghost"));
    h.feed(trade(BTC, 2, "80", "1"));
    assert!(h.fills().is_empty());
    assert_eq!(h.balance(USDT).free, d("1000"));
    assert!(h.sim.engine().state().instruments[0].orders.is_empty());
    let cancelled: Vec<_> = h
        .ticks
        .iter()
        .filter_map(|tk| match tk.event.as_ref() {
            tidemark::event::EngineEvent::Account(tidemark::event::StreamEvent::Item(a)) => match &a.kind {
                tidemark::event::AccountEventKind::OrderCancelled(r) => {
                    Some((r.key.cid.0.to_string(), r.state.is_ok()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(cancelled, vec![("l".to_string(), true), ("ghost".to_string(), false)]);
}

#[test]
fn candles_fill_market_at_next_open_and_limits_at_limit_or_gap_open() {
    let c = config("0.002", 0, "10000", "0", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(candle(BTC, 0, "100", "105", "95", "102", "1000"));
    h.control(open(BTC, "m", Side::Buy, OrderKind::Market, "102", "10", TimeInForce::ImmediateOrCancel));
    h.control(open(BTC, "l1", Side::Buy, OrderKind::Limit, "98", "1", GTC));
    h.control(open(BTC, "l2", Side::Buy, OrderKind::Limit, "90", "1", GTC));
    h.feed(candle(BTC, 86_400_000, "103", "104", "97", "99", "1000"));
    // Market at the next open 103; l1 rests (open 103 > 98) and fills at 98 within the bar (low 97).
    let f = h.fills();
    assert_eq!((f[0].price, f[0].fees.fees), (d("103"), d("2.06")));
    assert_eq!(f[1].price, d("98"));
    // l2 at 90: the next bar gaps down, opening at 85 → filled at the open.
    h.feed(candle(BTC, 2 * 86_400_000, "85", "88", "80", "86", "1000"));
    assert_eq!(h.fills()[2].price, d("85"));
}

/// `fill.model = "barter_mock"`: barter 0.14's MockExchange fills every accepted market order in
/// full at its own request price when it arrives, whatever the market shows; barter's engine
/// vector (fees 10%, buy 1 BTC at 10,000, sell at 20,000) gives PnL 7,000 exactly.
#[test]
fn barter_mock_fills_at_the_request_price_on_arrival() {
    let c = config(
        "0.1",
        100,
        "100000",
        "10",
        serde_json::json!({"execution": {"fill": {"model": "barter_mock"}}}),
    );
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "9000", "5"));
    h.control(open(BTC, "b1", Side::Buy, OrderKind::Market, "10000", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 150, "9500", "5")); // arrives at 100 and fills there at 10,000, not at this print
    h.control(open(BTC, "s1", Side::Sell, OrderKind::Market, "20000", "1", TimeInForce::ImmediateOrCancel));
    h.feed(trade(BTC, 600, "19000", "5"));
    let fills = h.fills();
    assert_eq!(fills.len(), 2);
    assert_eq!((fills[0].price, fills[0].time_exchange), (d("10000"), t(100)));
    assert_eq!((fills[1].price, fills[1].fees.fees), (d("20000"), d("2000")));
    let pnl: Vec<_> = exited(&h).iter().map(|p| p.pnl_realised).collect();
    assert_eq!(pnl, vec![d("7000")]);
    // usdt: 100,000 − 10,000 − 1,000 + 20,000 − 2,000
    assert_eq!(h.balance(USDT).total, d("107000"));

    // barter's mock takes market orders only.
    h.control(open(BTC, "l1", Side::Buy, OrderKind::Limit, "100", "1", GTC));
    h.feed(trade(BTC, 900, "19000", "5"));
    assert!(matches!(
        h.final_states("l1").last(),
        Some(OrderState::Inactive(InactiveOrderState::OpenFailed(OrderError::Rejected(ApiError::OrderRejected(m)))))
            if m.contains("Limit")
    ));
}

#[test]
fn barter_mock_refuses_options_it_would_ignore() {
    for extra in [
        serde_json::json!({"slippage_bps": 2}),
        serde_json::json!({"fill": {"model": "barter_mock", "volume_participation": 0.5}}),
    ] {
        let mut v: serde_json::Value = serde_json::json!({
            "instruments": [{"exchange": "binance_spot", "name_exchange": "BTCUSDT", "underlying": {"base": "btc", "quote": "usdt"}, "quote": "underlying_quote", "kind": "spot"}],
            "executions": [{"mocked_exchange": "binance_spot", "latency_ms": 0, "fees_percent": 0.001, "fill": {"model": "barter_mock"},
                "initial_state": {"exchange": "binance_spot", "balances": []}}]
        });
        for (k, x) in extra.as_object().unwrap() {
            v["executions"][0][k] = x.clone();
        }
        match tidemark::config::Config::from_value(v) {
            Err(tidemark::EngineError::InvalidConfig { path, .. }) => {
                assert_eq!(path, "executions[0].fill.model")
            }
            other => panic!("{other:?}"),
        }
    }
}

/// Found by the engine fuzz target's long run: a limit buy of a tiny quantity (6.2e-14) filled in
/// full released `reserved × qty / remaining`, whose product (3.8e-25) is below Decimal's 28
/// decimal places and lost its digits; the release came out 1.13e-16 above the reservation, the
/// free balance was clamped to total, and the order's negative rest was then taken off free at
/// FullyFilled, leaving 1.13e-16 USDT reserved with no order live. A full fill now releases the
/// whole reservation, and a partial one never more than what is reserved.
#[test]
fn a_tiny_limit_buy_filled_in_full_leaves_nothing_reserved() {
    let c = config(
        "0.001",
        0,
        "10000",
        "0",
        serde_json::json!({"execution": {"taker_fees_percent": 0.001, "maker_fees_percent": 0.0005}}),
    );
    let mut h = Harness::new(&c);
    h.feed(l1(BTC, 0, "97", "98", "5"));
    let post_only = TimeInForce::GoodUntilCancelled { post_only: true };
    h.control(open(
        BTC,
        "tiny",
        Side::Buy,
        OrderKind::Limit,
        "97.70",
        "0.000000000000062136621424440",
        post_only,
    ));
    h.feed(trade(BTC, 1, "94.75", "8"));
    let f = &h.fills()[0];
    // Maker fill at the limit: notional 6.2136621424440e-14 × 97.70 = 6.07074791316778800e-12,
    // fee 0.05 % of it.
    assert_eq!((f.price, f.quantity), (d("97.70"), d("0.000000000000062136621424440")));
    assert_eq!(f.fees.fees, d("0.0000000000000030353739565839"));
    let usdt = h.balance(USDT);
    assert_eq!(usdt.free, usdt.total, "nothing stays reserved once the order is filled");
    // 10000 − (notional + fee) = 9999.99999999999392621671287562810, to 28 digits.
    assert_eq!(usdt.total, d("9999.999999999993926216712876"));
}

#[test]
fn a_sell_never_takes_more_base_than_is_held_when_rounding_left_its_reservation_short() {
    // Found by the engine fuzzer. Free and total are rounded apart to Decimal's 28 digits: with
    // 41,616,067.138220489595 BTC, reserving 0.0000000009187201950233231231 for a resting sell
    // leaves free = 41616067.1382204886762798049766768769 exactly, which rounds to
    // 41616067.138220488676279804977, 2.3231e-22 more. Selling all of that free leaves a total of
    // 41616067.138220489595 − 41616067.138220488676279804977 = 0.000000000918720195023, short of
    // the resting sell's 0.0000000009187201950233231231 by 3.231231e-22: filling it in full took
    // the total to −3.231231e-22, which the engine refused (the run failed as INTERNAL).
    let c = config("0", 0, "10000", "41616067.138220489595", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "100", "1"));
    let gtc = TimeInForce::GoodUntilCancelled { post_only: false };
    h.control(open(BTC, "rest", Side::Sell, OrderKind::Limit, "1000", "0.0000000009187201950233231231", gtc));
    assert_eq!(h.balance(BTC_A).free, d("41616067.138220488676279804977"));
    let ioc = TimeInForce::ImmediateOrCancel;
    h.control(open(BTC, "all", Side::Sell, OrderKind::Market, "100", "41616067.138220488676279804977", ioc));
    h.feed(trade(BTC, 1, "100", "100000000"));
    assert_eq!(h.balance(BTC_A).total, d("0.000000000918720195023"));
    // The resting sell's limit is reached: it sells what is held, not its whole reservation.
    h.feed(trade(BTC, 2, "1001", "1"));
    let last = h.fills().last().unwrap().clone();
    assert_eq!(last.quantity, d("0.000000000918720195023"));
    let btc = h.balance(BTC_A);
    assert_eq!((btc.total, btc.free), (d("0"), d("0")));
}

#[test]
fn once_no_order_holds_an_asset_its_free_balance_is_its_total_to_the_last_digit() {
    // Found by the engine fuzzer (a 1e-18 residue after 8.2 M runs); this is the same mechanism,
    // worked by hand. Free and total are rounded apart to Decimal's 96-bit mantissa: with
    // 41,616,067.138220489595 BTC, a resting sell of 0.0000000000000013289605635609 leaves free
    // at 21 decimals. Buying 10^10 BTC moves both past 10^10, where only 18 decimals fit, and each
    // rounds on its own: total to 10041616067.138220489595, free to a last digit that is not
    // total − reservation. Selling the 10^10 again and cancelling the resting sell then left free
    // at 41616067.138220489594999999961 against a total of 41616067.138220489595: 3.9e-20 of
    // BTC that no order held and nothing could spend.
    let c = config("0", 0, "100000000000", "41616067.138220489595", serde_json::json!({}));
    let mut h = Harness::new(&c);
    h.feed(trade(BTC, 0, "1", "1"));
    let gtc = TimeInForce::GoodUntilCancelled { post_only: false };
    h.control(open(BTC, "rest", Side::Sell, OrderKind::Limit, "1000", "0.0000000000000013289605635609", gtc));
    let ioc = TimeInForce::ImmediateOrCancel;
    h.control(open(BTC, "buy", Side::Buy, OrderKind::Market, "1", "10000000000", ioc));
    h.feed(trade(BTC, 1, "1", "100000000000"));
    assert_eq!(h.balance(BTC_A).total, d("10041616067.138220489595"));
    h.control(open(BTC, "sell", Side::Sell, OrderKind::Market, "1", "10000000000", ioc));
    h.feed(trade(BTC, 2, "1", "100000000000"));
    h.control(cancel(BTC, "rest"));
    let btc = h.balance(BTC_A);
    assert_eq!(btc.total, d("41616067.138220489595"));
    assert_eq!(btc.free, btc.total);
}
