"""Event and command constructors: equal to the JS constructors' output, round-trip through the
engine unchanged, and bad arguments name the field."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from js import Object
from pyodide.ffi import to_js

import tidemark
from tidemark import _js, account, command, filter, market

AT = dict(time=datetime(2024, 12, 20, 19, 5, 18, 175000, tzinfo=timezone.utc), exchange="binance_spot", instrument=0)
KEY = dict(exchange=0, instrument=1, strategy="manual", cid="c-1")

MARKETS = {
    "trade": market.trade(**AT, id="42", price="96962.51", amount=0.00006, side="buy"),
    "l1": market.l1(**AT, bid="100.5", bid_amount="2", ask=100.75, ask_amount=1),
    "l1_one_sided": market.l1(**AT, bid="100.5", bid_amount="2"),
    "candle": market.candle(**{**AT, "time": "1999-01-04T00:00:00.000Z"}, open="1229.22998", high=1248.810059,
                            low="1219.099976", close=Decimal("1228.099976"), volume=877000000, trade_count=3),
    "liquidation": market.liquidation(**AT, side="sell", price="95000", quantity="0.5"),
    "snapshot": market.order_book(**AT, sequence=7, bids=[("100", "1"), (99.5, 2)], asks=[("101", "3")]),
    "update": market.order_book(**AT, sequence=8, update=True, time_engine=AT["time"], bids=[], asks=[("101", "0")]),
}
ACCOUNTS = {
    "balance": account.balance(exchange=0, asset=1, total="1000.5", free="900", time=AT["time"]),
    "fill": account.trade(exchange=0, instrument=1, id="t1", order_id="o1", time=AT["time"], side="sell",
                          price="101.25", quantity="0.1", fees="0.01", fees_asset=1),
    "open": account.order_open(**KEY, side="buy", price="100", quantity="1", type="limit", time_in_force="post_only",
                               id="o1", time=AT["time"], filled="0.25"),
    "cancelled": account.order_cancelled(**KEY, id="o1", time=AT["time"]),
}
COMMANDS = {
    "open": command.open_requests({**KEY, "side": "buy", "price": "100", "quantity": "1", "type": "limit", "time_in_force": "FOK"}),
    "open_many": command.open_requests([{**KEY, "side": "buy", "price": 100, "quantity": 1},
                                        {**KEY, "cid": "c-2", "side": "sell", "price": "101", "quantity": "1",
                                         "type": "limit", "time_in_force": "DAY"}]),
    "cancel": command.cancel_requests({**KEY, "id": "o1"}),
    "cancel_no_id": command.cancel_requests([KEY]),
    "close_all": command.close_positions(),
    "close_exchange": command.close_positions(filter.exchanges(0)),
    "close_instruments": command.close_positions(filter.instruments(0, 2)),
    "cancel_underlying": command.cancel_orders(filter.underlyings((0, 1))),
    "cancel_all": command.cancel_orders(),
}


def test_every_constructor_round_trips_through_the_engine():
    for name, e in MARKETS.items():
        assert tidemark.parse_event("market", e) == e, name
        assert tidemark.parse_event("market", market.item(e)) == market.item(e), name
    assert tidemark.parse_event("market", market.reconnecting("binance_spot")) == {"Reconnecting": "binance_spot"}
    for name, e in ACCOUNTS.items():
        assert tidemark.parse_event("account", e) == e, name
        assert tidemark.parse_event("account", account.item(e)) == account.item(e), name
    for name, c in COMMANDS.items():
        assert tidemark.parse_event("command", c) == c, name


def js(name, args):
    obj = getattr(_js.api, name.split(".")[0])
    fn = getattr(obj, name.split(".")[1])
    return _js.from_js_value(fn(to_js(args, dict_converter=Object.fromEntries)))


def test_same_json_as_the_js_constructors():
    ms = 1734721518175
    at = {"time": ms, "exchange": "binance_spot", "instrument": 0}
    assert js("market.trade", {**at, "id": "42", "price": "96962.51", "amount": 0.00006, "side": "buy"}) == MARKETS["trade"]
    assert js("market.l1", {**at, "bid": "100.5", "bidAmount": "2", "ask": 100.75, "askAmount": 1}) == MARKETS["l1"]
    assert js("market.liquidation", {**at, "side": "sell", "price": "95000", "quantity": "0.5"}) == MARKETS["liquidation"]
    assert js("account.orderOpen", {**KEY, "side": "buy", "price": "100", "quantity": "1", "type": "limit",
                                    "timeInForce": "postOnly", "id": "o1", "time": ms, "filled": "0.25"}) == ACCOUNTS["open"]
    assert js("account.trade", {"exchange": 0, "instrument": 1, "id": "t1", "orderId": "o1", "time": ms, "side": "sell",
                                "price": "101.25", "quantity": "0.1", "fees": "0.01", "feesAsset": 1}) == ACCOUNTS["fill"]
    assert market.trade(**{**AT, "time": ms}, id="42", price="96962.51", amount=0.00006, side="buy") == MARKETS["trade"]


def test_decimals_and_times():
    assert MARKETS["trade"]["time_exchange"] == "2024-12-20T19:05:18.175Z"
    assert MARKETS["candle"]["time_exchange"] == "1999-01-04T00:00:00Z"
    assert tidemark.decimal(1e-7) == "0.0000001"
    assert tidemark.decimal(0.1 + 0.2) == "0.30000000000000004"
    assert tidemark.decimal(12) == "12"
    assert tidemark.decimal(Decimal("1.50")) == "1.50"
    assert tidemark.decimal(1e21) == "1000000000000000000000"
    assert tidemark.time("2024-01-01T00:00:00.120000Z") == "2024-01-01T00:00:00.120Z"
    assert tidemark.time("2024-01-01T00:00:00.000001500Z") == "2024-01-01T00:00:00.000001500Z"
    assert tidemark.time(datetime(2024, 1, 1)) == "2024-01-01T00:00:00Z"


@pytest.mark.parametrize("make,field", [
    (lambda: market.trade(**AT, price="abc", amount=1, side="buy"), "price"),
    (lambda: market.trade(**AT, price=float("nan"), amount=1, side="buy"), "price"),
    (lambda: market.trade(**AT, price=1, amount=1, side="long"), "side"),
    (lambda: market.trade(**{**AT, "time": "yesterday"}, price=1, amount=1, side="buy"), "time"),
    (lambda: market.trade(**{**AT, "exchange": 3}, price=1, amount=1, side="buy"), "exchange"),
    (lambda: market.candle(**{**AT, "instrument": -1}, open=1, high=1, low=1, close=1), "instrument"),
    (lambda: command.open_requests({**KEY, "side": "buy", "price": 1, "quantity": 1, "type": "stop"}), "type"),
    (lambda: command.open_requests({**KEY, "side": "buy", "price": 1, "quantity": 1, "time_in_force": "GTX"}), "time_in_force"),
    (lambda: account.balance(exchange=0, asset=1.5, total=1, time=0), "asset"),
    (lambda: market.order_book(**AT, bids=[("1",)]), "bids[0]"),
    (lambda: tidemark.parse_event("orders", {}), "kind"),
])
def test_bad_arguments_name_the_field(make, field):
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        make()
    assert e.value.field == field
    assert str(e.value).startswith(field + ":")
