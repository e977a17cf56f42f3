//! Risk knobs applied when a stop triggers (`risk` module doc): the notional and price-band knobs
//! are checked again at the trigger's price; a refused trigger ends the order as
//! `OpenFailed(Rejected(RiskRefused))` and nothing fills. Numbers worked out by hand (fees 0,
//! latency 0).

mod common;
use common::*;
use tidemark::event::{Command, EngineEvent, OneOrMany};
use tidemark::order::*;

const USDT: usize = 2;
const BTC_A: usize = 0;

fn stop(cid: &str, side: Side, kind: OrderKind, price: &str, qty: &str, trigger: Trigger) -> EngineEvent {
    stop_with(cid, side, kind, price, qty, trigger, None)
}

fn stop_with(
    cid: &str,
    side: Side,
    kind: OrderKind,
    price: &str,
    qty: &str,
    trigger: Trigger,
    bracket: Option<Bracket>,
) -> EngineEvent {
    let mut e = open(BTC, cid, side, kind, price, qty, GTC);
    if let EngineEvent::Command(Command::SendOpenRequests(OneOrMany::One(r))) = &mut e {
        r.state.trigger = Some(std::sync::Arc::new(trigger));
        r.state.bracket = bracket.map(std::sync::Arc::new);
    }
    e
}

fn at(p: &str) -> Trigger {
    Trigger { price: Some(d(p)), trailing: None }
}

fn harness(btc: &str, risk: serde_json::Value) -> Harness {
    Harness::new(&config("0", 0, "10000", btc, serde_json::json!({ "risk": risk })))
}

/// The refusal an order ended with, if it was refused at its trigger.
fn refusal(h: &Harness, cid: &str) -> Option<RiskRefusal> {
    h.final_states(cid).into_iter().find_map(|s| match s {
        OrderState::Inactive(InactiveOrderState::OpenFailed(OrderError::Rejected(
            ApiError::RiskRefused(r),
        ))) => Some(r),
        _ => None,
    })
}

#[test]
fn a_stop_whose_notional_at_the_trigger_exceeds_max_order_notional_is_refused() {
    // Buy stop 10 @ trigger 105 with max_order_notional 1000: 10 × 105 = 1050 > 1000. (Sent while
    // the market was at 100 its notional looked like 1000: only the trigger knows.)
    let mut h = harness("0", serde_json::json!({"max_order_notional": "1000"}));
    h.feed(candle(BTC, 0, "100", "100", "99", "100", "10"));
    h.control(stop("s", Side::Buy, OrderKind::Market, "100", "10", at("105")));
    h.feed(candle(BTC, 1, "100", "106", "99", "103", "10")); // high 106 reaches 105
    let r = refusal(&h, "s").expect("refused at its trigger");
    assert_eq!(r.check, "max_order_notional");
    assert_eq!((r.limit, r.value), (Some(d("1000")), Some(d("1050"))));
    assert!(h.fills().is_empty());
    assert_eq!(h.balance(USDT).total, d("10000"));
    assert_eq!(h.sim.engine().state().instruments[0].orders.len(), 0, "gone from the book");
    // It never fills later either.
    h.feed(candle(BTC, 2, "110", "120", "109", "115", "10"));
    assert!(h.fills().is_empty());
}

#[test]
fn a_stop_within_max_order_notional_at_the_trigger_fills() {
    // Buy stop 10 @ trigger 95: 10 × 95 = 950 ≤ 1000, fills at the trigger: 10000 − 950 = 9050.
    let mut h = harness("0", serde_json::json!({"max_order_notional": "1000"}));
    h.control(stop("s", Side::Buy, OrderKind::Market, "95", "10", at("95")));
    h.feed(candle(BTC, 0, "94", "96", "93", "95", "10"));
    assert_eq!(refusal(&h, "s"), None);
    let fills = h.fills();
    assert_eq!(fills.len(), 1);
    assert_eq!((fills[0].price, fills[0].quantity), (d("95"), d("10")));
    assert_eq!(h.balance(USDT).total, d("9050"));
    assert_eq!(h.balance(BTC_A).total, d("10"));
}

#[test]
fn a_stop_limit_is_valued_at_its_limit_and_banded_around_the_trigger() {
    // Buy stop 10 @ 100, limit 101: notional 10 × 101 = 1010 > 1000 (the limit, not the trigger).
    let mut h = harness("0", serde_json::json!({"max_order_notional": "1000"}));
    h.control(stop("sl", Side::Buy, OrderKind::Limit, "101", "10", at("100")));
    h.feed(candle(BTC, 0, "99", "102", "98", "101", "10"));
    let r = refusal(&h, "sl").expect("refused");
    assert_eq!((r.check.as_str(), r.value), ("max_order_notional", Some(d("1010"))));
    // A limit reserves its quote while armed: all of it is back.
    assert_eq!(h.balance(USDT).free, d("10000"));
    // max_price_deviation 0.01: limit 102 is |102 − 100| / 100 = 0.02 from the trigger: refused;
    // limit 100.5 is 0.005 away: fills at the trigger 100 (limit above it, inside the bar).
    let mut h = harness("0", serde_json::json!({"max_price_deviation": "0.01"}));
    h.control(stop("far", Side::Buy, OrderKind::Limit, "102", "1", at("100")));
    h.control(stop("near", Side::Buy, OrderKind::Limit, "100.5", "1", at("100")));
    h.feed(candle(BTC, 0, "99", "103", "98", "101", "10"));
    let r = refusal(&h, "far").expect("refused");
    assert_eq!(
        (r.check.as_str(), r.limit, r.value),
        ("max_price_deviation", Some(d("0.01")), Some(d("0.02")))
    );
    assert_eq!(refusal(&h, "near"), None);
    let fills = h.fills();
    assert_eq!(fills.len(), 1);
    assert_eq!(fills[0].price, d("100"));
}

#[test]
fn a_trailing_stop_is_checked_where_it_has_trailed_to_but_a_brackets_exit_is_not() {
    // Sell 10 trailing 5 below the best close from the reference 90: level 85; the first bar
    // closes at 110 → level 105; the second bar's low 104 reaches it: 10 × 105 = 1050 > 1000.
    let trail = Trigger { price: None, trailing: Some(Trailing::Distance(d("5"))) };
    let mut h = harness("10", serde_json::json!({"max_order_notional": "1000"}));
    h.control(stop("tr", Side::Sell, OrderKind::Market, "90", "10", trail));
    h.feed(candle(BTC, 0, "90", "111", "88", "110", "10"));
    h.feed(candle(BTC, 1, "108", "109", "104", "106", "10"));
    let r = refusal(&h, "tr").expect("refused");
    assert_eq!(r.value, Some(d("1050")));
    assert!(h.fills().is_empty());
    // The same trailing stop as the exit of a bracketed buy of 10 filled at 90 (900 ≤ 1000): it
    // only closes the position the checked entry opened, so it fills at 105: 10000 − 900 + 1050.
    let mut h = harness("0", serde_json::json!({"max_order_notional": "1000"}));
    let bracket =
        Bracket { stop_loss: None, take_profit: None, trailing_stop: Some(Trailing::Distance(d("5"))) };
    let mut entry = open(BTC, "e", Side::Buy, OrderKind::Market, "90", "10", GTC);
    if let EngineEvent::Command(Command::SendOpenRequests(OneOrMany::One(r))) = &mut entry {
        r.state.bracket = Some(std::sync::Arc::new(bracket));
    }
    h.control(entry);
    h.feed(candle(BTC, 0, "90", "111", "88", "110", "10"));
    h.feed(candle(BTC, 1, "108", "109", "104", "106", "10"));
    assert_eq!(refusal(&h, "e/trail"), None);
    let prices: Vec<_> = h.fills().iter().map(|f| f.price).collect();
    assert_eq!(prices, [d("90"), d("105")]);
    assert_eq!(h.balance(USDT).total, d("10150"));
}

#[test]
fn without_price_knobs_nothing_is_checked_at_the_trigger() {
    // Only a quantity cap (checked when sent, and a trigger does not change the quantity): the
    // 1050 stop fills.
    let mut h = harness("0", serde_json::json!({"max_order_quantity": "100"}));
    h.control(stop_with("s", Side::Buy, OrderKind::Market, "100", "10", at("105"), None));
    h.feed(candle(BTC, 0, "100", "106", "99", "103", "10"));
    assert_eq!(h.fills().len(), 1);
    assert_eq!(h.balance(USDT).total, d("8950"));
}
