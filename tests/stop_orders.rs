//! Stop-market, stop-limit and trailing stops per trigger source (trade, L1, bar, gap), and the
//! life of a bracket (SL hit, TP hit, both in one bar, position closed by hand, partial fills).
//! Every number is worked out by hand in the comments (fees 0, latency 0 unless said).

mod common;
use common::*;
use tidemark::event::{AccountEventKind, EngineEvent, StreamEvent};
use tidemark::order::*;

const USDT: usize = 2;
const BTC_A: usize = 0;

fn order(
    cid: &str,
    side: Side,
    kind: OrderKind,
    price: &str,
    qty: &str,
    trigger: Option<Trigger>,
    bracket: Option<Bracket>,
) -> EngineEvent {
    let mut e = open(BTC, cid, side, kind, price, qty, GTC);
    if let EngineEvent::Command(tidemark::event::Command::SendOpenRequests(
        tidemark::event::OneOrMany::One(r),
    )) = &mut e
    {
        r.state.trigger = trigger.map(std::sync::Arc::new);
        r.state.bracket = bracket.map(std::sync::Arc::new);
    }
    e
}

fn at(p: &str) -> Option<Trigger> {
    Some(Trigger { price: Some(d(p)), trailing: None })
}

fn bracket(sl: Option<&str>, tp: Option<&str>) -> Option<Bracket> {
    Some(Bracket { stop_loss: sl.map(d), take_profit: tp.map(d), trailing_stop: None })
}

/// Prices of the fills, in order.
fn prices(h: &Harness) -> Vec<(String, rust_decimal::Decimal, rust_decimal::Decimal)> {
    let ids: std::collections::HashMap<String, String> = h
        .ticks
        .iter()
        .filter_map(|tk| match tk.event.as_ref() {
            EngineEvent::Account(StreamEvent::Item(a)) => match &a.kind {
                AccountEventKind::OrderSnapshot(o) => match &o.state {
                    OrderState::Active(ActiveOrderState::Open(open)) => {
                        Some((open.id.0.to_string(), o.key.cid.0.to_string()))
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .collect();
    // Market orders are not acknowledged (they fill at once): their fills say "market".
    h.fills()
        .iter()
        .map(|f| (ids.get(&*f.order_id.0).cloned().unwrap_or_else(|| "market".into()), f.price, f.quantity))
        .collect()
}

/// Client ids the exchange reported cancelled (OCO and closed-position cancels).
fn cancelled(h: &Harness) -> Vec<String> {
    h.ticks
        .iter()
        .filter_map(|tk| match tk.event.as_ref() {
            EngineEvent::Account(StreamEvent::Item(a)) => match &a.kind {
                AccountEventKind::OrderCancelled(c) if c.state.is_ok() => Some(c.key.cid.0.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn live(h: &Harness) -> usize {
    h.sim.engine().state().instruments[0].orders.len()
}

fn p(cid: &str, price: &str, qty: &str) -> (String, rust_decimal::Decimal, rust_decimal::Decimal) {
    (cid.into(), d(price), d(qty))
}

fn harness(btc: &str) -> Harness {
    Harness::new(&config("0", 0, "10000", btc, serde_json::json!({})))
}

#[test]
fn stop_market_buy_triggered_by_a_trade_print_fills_on_it() {
    let mut h = harness("0");
    h.feed(trade(BTC, 0, "100", "5"));
    h.control(order("s", Side::Buy, OrderKind::Market, "105", "1", at("105"), None));
    h.feed(trade(BTC, 1, "104.99", "5")); // below the trigger: armed
    assert!(h.fills().is_empty());
    assert_eq!(live(&h), 1, "acknowledged and resting while armed");
    h.feed(trade(BTC, 2, "106", "5")); // at or above 105: triggers, fills on this print
    assert_eq!(prices(&h), [p("s", "106", "1")]);
    assert_eq!(h.balance(USDT).total, d("9894"));
    assert_eq!(live(&h), 0);
}

#[test]
fn stop_market_sell_triggered_by_the_bid() {
    let mut h = harness("1");
    h.feed(l1(BTC, 0, "99", "100", "5"));
    h.control(order("s", Side::Sell, OrderKind::Market, "95", "1", at("95"), None));
    h.feed(l1(BTC, 1, "95.5", "96", "5")); // bid above the trigger: armed
    assert!(h.fills().is_empty());
    h.feed(l1(BTC, 2, "95", "96", "5")); // bid touches 95: sells at the bid
    assert_eq!(prices(&h), [p("s", "95", "1")]);
    assert_eq!(h.balance(BTC_A).total, d("0"));
}

#[test]
fn stop_market_on_bars_fills_at_the_trigger_or_at_a_gapped_open() {
    let mut h = harness("0");
    h.control(order("a", Side::Buy, OrderKind::Market, "105", "1", at("105"), None));
    h.feed(candle(BTC, 0, "100", "104", "99", "103", "10")); // high 104 < 105
    h.feed(candle(BTC, 1, "100", "106", "99", "103", "10")); // reaches 105 inside: fills at 105
    h.control(order("b", Side::Buy, OrderKind::Market, "105", "1", at("105"), None));
    h.feed(candle(BTC, 2, "107", "108", "106", "107", "10")); // opened above 105: fills at the open
    assert_eq!(prices(&h), [p("a", "105", "1"), p("b", "107", "1")]);
    // 10000 - 105 - 107
    assert_eq!(h.balance(USDT).total, d("9788"));
}

#[test]
fn stop_limit_waits_when_its_limit_is_below_the_trigger_inside_a_bar() {
    let mut h = harness("0");
    // Buy stop 105, limit 104: triggered inside the first bar, but 104 may have traded before
    // 105 did, so it rests as a limit and fills on the next bar that reaches 104, at 104.
    h.control(order("sl", Side::Buy, OrderKind::Limit, "104", "1", at("105"), None));
    h.feed(candle(BTC, 0, "100", "106", "99", "103", "10"));
    assert!(h.fills().is_empty());
    h.feed(candle(BTC, 1, "104.5", "105", "103", "104", "10"));
    // Stop-limit with the limit above the trigger: fills at the trigger (105 ≤ 106).
    h.control(order("sl2", Side::Buy, OrderKind::Limit, "106", "1", at("105"), None));
    h.feed(candle(BTC, 2, "103", "105.5", "102", "105", "10"));
    // Gapped: opens at 107 above both trigger 106 and limit 106.5 → limit rule on this bar:
    // the open is beyond the limit, the low 106 reaches it → 106.5.
    h.control(order("sl3", Side::Buy, OrderKind::Limit, "106.5", "1", at("106"), None));
    h.feed(candle(BTC, 3, "107", "108", "106", "107", "10"));
    assert_eq!(prices(&h), [p("sl", "104", "1"), p("sl2", "105", "1"), p("sl3", "106.5", "1")]);
}

#[test]
fn a_trailing_stop_follows_the_closes_and_triggers_on_the_low() {
    let mut h = harness("1");
    // Sell 1, trailing 5 from the reference 100: level 95.
    let t = Some(Trigger { price: None, trailing: Some(Trailing::Distance(d("5"))) });
    h.control(order("tr", Side::Sell, OrderKind::Market, "100", "1", t, None));
    h.feed(candle(BTC, 0, "100", "111", "96", "110", "10")); // low 96 > 95; close 110 → level 105
    assert!(h.fills().is_empty());
    h.feed(candle(BTC, 1, "109", "109", "106", "107", "10")); // low 106 > 105; 107 < 110 keeps 105
    assert!(h.fills().is_empty());
    h.feed(candle(BTC, 2, "108", "108", "104", "104", "10")); // low 104 reaches 105: fills at 105
    assert_eq!(prices(&h), [p("tr", "105", "1")]);
    // Percent: 10 % below the best trade print (starting at 200): 200 → 180; print 250 → 225.
    let mut h = harness("1");
    let t = Some(Trigger { price: None, trailing: Some(Trailing::Percent(d("10"))) });
    h.feed(trade(BTC, 0, "200", "5"));
    h.control(order("tp", Side::Sell, OrderKind::Market, "200", "1", t, None));
    h.feed(trade(BTC, 1, "250", "5"));
    h.feed(trade(BTC, 2, "226", "5"));
    assert!(h.fills().is_empty());
    h.feed(trade(BTC, 3, "224", "5"));
    assert_eq!(prices(&h), [p("tp", "224", "1")]);
}

/// A market buy of 1 with SL 95 and TP 110, filled at the first bar's open of 100.
fn bracketed() -> Harness {
    let mut h = harness("0");
    h.control(order("e", Side::Buy, OrderKind::Market, "100", "1", None, bracket(Some("95"), Some("110"))));
    h.feed(candle(BTC, 0, "100", "101", "99", "100", "10"));
    assert_eq!(prices(&h), [p("market", "100", "1")]);
    // The two exits are live (and known to the engine), marked as exits of "e".
    let state = h.sim.engine().state();
    let exits: Vec<_> = state.instruments[0]
        .orders
        .0
        .iter()
        .map(|o| (o.key.cid.0.to_string(), o.exit_of.as_ref().map(|x| x.exit)))
        .collect();
    // (The engine lists orders as first seen; the exchange matches the SL first.)
    assert_eq!(
        exits,
        [("e/tp".to_string(), Some(ExitKind::TakeProfit)), ("e/sl".to_string(), Some(ExitKind::StopLoss))]
    );
    h
}

#[test]
fn bracket_stop_loss_hit_cancels_the_take_profit() {
    let mut h = bracketed();
    h.feed(candle(BTC, 1, "99", "100", "94", "96", "10"));
    assert_eq!(prices(&h), [p("market", "100", "1"), p("e/sl", "95", "1")]);
    assert_eq!(cancelled(&h), ["e/tp"]);
    assert_eq!(live(&h), 0);
    assert_eq!(h.balance(USDT).total, d("9995")); // 10000 - 100 + 95
    assert_eq!(h.balance(BTC_A).total, d("0"));
}

#[test]
fn bracket_take_profit_hit_cancels_the_stop_loss() {
    let mut h = bracketed();
    h.feed(candle(BTC, 1, "101", "111", "100", "108", "10"));
    assert_eq!(prices(&h), [p("market", "100", "1"), p("e/tp", "110", "1")]);
    assert_eq!(cancelled(&h), ["e/sl"]);
    assert_eq!(h.balance(USDT).total, d("10010"));
}

#[test]
fn both_exits_in_one_bar_the_stop_loss_wins_as_in_backtesting_py() {
    let mut h = bracketed();
    h.feed(candle(BTC, 1, "100", "111", "94", "100", "10"));
    assert_eq!(prices(&h), [p("market", "100", "1"), p("e/sl", "95", "1")]);
    assert_eq!(cancelled(&h), ["e/tp"]);
}

#[test]
fn a_stop_loss_gapped_through_fills_at_the_open() {
    let mut h = bracketed();
    h.feed(candle(BTC, 1, "93", "94", "90", "92", "10"));
    assert_eq!(prices(&h), [p("market", "100", "1"), p("e/sl", "93", "1")]);
}

#[test]
fn closing_the_position_by_hand_cancels_both_exits() {
    let mut h = bracketed();
    h.control(open(BTC, "x", Side::Sell, OrderKind::Market, "100", "1", TimeInForce::ImmediateOrCancel));
    // The market sell goes first at the open (102) even though the bar also reaches the TP.
    h.feed(candle(BTC, 1, "102", "111", "101", "105", "10"));
    assert_eq!(prices(&h), [p("market", "100", "1"), p("market", "102", "1")]);
    assert_eq!(cancelled(&h), ["e/sl", "e/tp"]);
    assert_eq!(live(&h), 0);
}

#[test]
fn exits_follow_partial_fills_of_the_entry() {
    // Fills capped at half the bar's volume of 1: the GTC market entry of 1 fills 0.5 per bar.
    let mut h = Harness::new(&config(
        "0",
        0,
        "10000",
        "0",
        serde_json::json!({"execution": {"fill": {"volume_participation": 0.5}}}),
    ));
    h.control(order("e", Side::Buy, OrderKind::Market, "100", "1", None, bracket(Some("95"), Some("110"))));
    h.feed(candle(BTC, 0, "100", "101", "99", "100", "1"));
    let qty = |h: &Harness, cid: &str| {
        h.sim.engine().state().instruments[0].orders.get(&ClientOrderId(cid.into())).map(|o| o.quantity)
    };
    assert_eq!(qty(&h, "e/sl"), Some(d("0.5")));
    h.feed(candle(BTC, 1, "100", "101", "99", "100", "1"));
    assert_eq!(qty(&h, "e/sl"), Some(d("1")));
    assert_eq!(qty(&h, "e/tp"), Some(d("1")));
    // SL hit with the volume cap: 0.5 sells, the TP shrinks to 0.5; then the rest.
    h.feed(candle(BTC, 2, "99", "100", "94", "96", "1"));
    assert_eq!(qty(&h, "e/tp"), Some(d("0.5")));
    h.feed(candle(BTC, 3, "96", "97", "94", "96", "1"));
    assert_eq!(
        prices(&h),
        // (Triggered on bar 2, the rest of the SL is a market order: bar 3's open, 96.)
        [p("e", "100", "0.5"), p("e", "100", "0.5"), p("e/sl", "95", "0.5"), p("e/sl", "96", "0.5")]
    );
    assert_eq!(cancelled(&h), ["e/tp"]);
    assert_eq!(h.balance(BTC_A).total, d("0"));
    // 10000 - 100 + 47.5 + 48
    assert_eq!(h.balance(USDT).total, d("9995.5"));
}

#[test]
fn a_stop_entry_with_a_bracket_waits_a_bar_for_its_exits() {
    // backtesting.py: a stop entry's SL/TP are not matched on the bar that filled it, except the
    // TP when the bar reached it and not the SL. Here the bar reaches the SL (low 94): no exit.
    let mut h = harness("0");
    h.control(order(
        "e",
        Side::Buy,
        OrderKind::Market,
        "100",
        "1",
        at("100"),
        bracket(Some("95"), Some("110")),
    ));
    h.feed(candle(BTC, 0, "98", "101", "94", "99", "10"));
    assert_eq!(prices(&h), [p("e", "100", "1")]);
    h.feed(candle(BTC, 1, "99", "111", "98", "110", "10"));
    assert_eq!(prices(&h), [p("e", "100", "1"), p("e/tp", "110", "1")]);
    // The unambiguous case: TP reached, SL not: it exits on the entry bar.
    let mut h = harness("0");
    h.control(order(
        "e",
        Side::Buy,
        OrderKind::Market,
        "100",
        "1",
        at("100"),
        bracket(Some("95"), Some("110")),
    ));
    h.feed(candle(BTC, 0, "98", "111", "97", "99", "10"));
    assert_eq!(prices(&h), [p("e", "100", "1"), p("e/tp", "110", "1")]);
}

/// A config whose exchange starts with `orders` resting on BTCUSDT (balances: 10,000 usdt free;
/// 1 btc, all of it held by the starting orders).
fn starting(orders: serde_json::Value) -> Harness {
    let state = serde_json::json!({"exchange": "binance_spot", "balances": [
        {"asset": "usdt", "balance": {"total": "10000", "free": "10000"}, "time_exchange": "2023-01-01T00:00:00Z"},
        {"asset": "btc", "balance": {"total": "1", "free": "0"}, "time_exchange": "2023-01-01T00:00:00Z"}
    ], "instruments": [{"instrument": "BTCUSDT", "orders": orders}]});
    Harness::new(&config("0", 0, "0", "0", serde_json::json!({"execution": {"initial_state": state}})))
}

fn starting_order(
    cid: &str,
    side: &str,
    kind: &str,
    price: &str,
    extra: serde_json::Value,
) -> serde_json::Value {
    let mut o = serde_json::json!({"key": {"exchange": "binance_spot", "instrument": "BTCUSDT", "strategy": "s", "cid": cid},
        "side": side, "price": price, "quantity": "1", "kind": kind,
        "time_in_force": {"GoodUntilCancelled": {"post_only": false}},
        "state": {"Active": {"Open": {"id": cid, "time_exchange": "2023-01-01T00:00:00Z", "filled_quantity": "0"}}}});
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    o
}

#[test]
fn starting_orders_from_the_config_can_be_stops_with_brackets() {
    // A stop-market sell of the 1 btc at 95, and a stop-market buy at 105 whose bracket takes
    // profit at 110 (a stop buy holds nothing while armed).
    let mut h = starting(serde_json::json!([
        starting_order("stop", "Sell", "Market", "95", serde_json::json!({"trigger": {"price": "95"}})),
        starting_order(
            "entry",
            "Buy",
            "Market",
            "105",
            serde_json::json!({"trigger": {"price": "105"}, "bracket": {"take_profit": "110"}})
        ),
    ]));
    h.feed(candle(BTC, 0, "100", "101", "96", "99", "10")); // neither reached
    assert!(h.fills().is_empty());
    let orders = &h.sim.engine().state().instruments[0].orders;
    assert_eq!(orders.len(), 2, "both rest, armed");
    assert!(orders.0.iter().all(|o| o.trigger.is_some()), "the engine's state shows the triggers");
    // Low 94 reaches the sell stop (fills at 95); high 106 the buy stop (fills at 105).
    h.feed(candle(BTC, 1, "98", "106", "94", "104", "10"));
    assert_eq!(prices(&h), [p("stop", "95", "1"), p("entry", "105", "1")]);
    // The bar reached 106 < 110: the take-profit rests, and fills on the next bar at 110.
    h.feed(candle(BTC, 2, "108", "111", "107", "110", "10"));
    assert_eq!(prices(&h)[2], p("entry/tp", "110", "1"));
    // 10000 + 95 − 105 + 110
    assert_eq!(h.balance(USDT).total, d("10100"));
    assert_eq!(h.balance(BTC_A).total, d("0"));
}
