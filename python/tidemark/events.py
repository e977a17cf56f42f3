"""Constructors for every market event, account event and command, in barter's JSON (mirroring
``js/events.mjs``; the shapes :func:`parse_event` returns unchanged).

Decimals are written as strings: pass ``str`` or ``Decimal`` for exact values; ``int`` and
``float`` are taken by their shortest form (0.1 stays ``"0.1"``). Times take a ``datetime``
(naive ones are UTC), ms since the epoch, or RFC 3339 text. Bad arguments raise
:class:`InvalidArgumentError` naming the field.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .errors import InvalidArgumentError

__all__ = ["decimal", "time", "market", "account", "command", "filter", "parse_event",
           "DecimalLike", "TimeLike"]

DecimalLike = Union[str, int, float, Decimal]
TimeLike = Union[datetime, int, float, str]

_DEC = re.compile(r"^-?(\d+\.?\d*|\.\d+)$")
_RFC = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$")


def _bad(field: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"{field}: {message}", details={"field": field})


def decimal(x: Any, field: str = "value") -> str:
    """A decimal as barter's JSON writes it (a string)."""
    if isinstance(x, str) and _DEC.match(x.strip()):
        return x.strip()
    if isinstance(x, bool):
        raise _bad(field, f"expected a decimal string or a finite number, got {x!r}")
    if isinstance(x, int):
        return str(x)
    if isinstance(x, Decimal) and x.is_finite():
        s = format(x, "f")
        return s
    if isinstance(x, float) and x == x and x not in (float("inf"), float("-inf")):
        s = repr(x)
        if s.endswith(".0"):
            s = s[:-2]
        if "e" in s or "E" in s:
            s = format(Decimal(repr(x)), "f")
            if "." in s:
                s = s.rstrip("0").rstrip(".")
        return s
    raise _bad(field, f"expected a decimal string or a finite number, got {x!r}")


def time(t: Any, field: str = "time") -> str:
    """A time as the engine writes it: UTC RFC 3339 with 0, 3, 6 or 9 fractional digits."""
    if isinstance(t, datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=timezone.utc)
        t = t.astimezone(timezone.utc)
        text = t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{t.microsecond:06d}" if t.microsecond else "") + "Z"
    elif isinstance(t, (int, float)) and not isinstance(t, bool) and t == t and abs(t) < 1e16:
        ms = int(t)  # whole milliseconds, as JS's Date keeps them
        d = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
        text = d.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"
    elif isinstance(t, str):
        text = t
        try:
            datetime.fromisoformat(t.replace("Z", "+00:00"))
        except ValueError:
            raise _bad(field, f"{t!r} is not a date-time") from None
    else:
        raise _bad(field, f"expected a datetime, ms since the epoch, or RFC 3339 text, got {t!r}")
    m = _RFC.match(text)
    if not m:
        return text  # offsets etc.: the engine parses them and writes UTC
    digits = (m.group(2) or "").ljust(9, "0")
    if set(digits) == {"0"}:
        frac = ""
    elif digits.endswith("000000"):
        frac = digits[:3]
    elif digits.endswith("000"):
        frac = digits[:6]
    else:
        frac = digits
    return f"{m.group(1)}.{frac}Z" if frac else f"{m.group(1)}Z"


_SIDES = {"buy": "Buy", "sell": "Sell", "Buy": "Buy", "Sell": "Sell"}


def _side(s: Any, field: str = "side") -> str:
    v = _SIDES.get(s) if isinstance(s, str) else None
    if not v:
        raise _bad(field, f"expected 'buy' or 'sell', got {s!r}")
    return v


def _index(i: Any, field: str) -> int:
    if isinstance(i, bool) or not isinstance(i, int) or i < 0:
        raise _bad(field, f"expected an index (a non-negative integer), got {i!r}")
    return i


def _market_event(t: Any, time_received: Any, exchange: Any, instrument: Any, kind: Dict[str, Any]) -> Dict[str, Any]:
    if not isinstance(exchange, str):
        raise _bad("exchange", f"expected an exchange id such as 'binance_spot', got {exchange!r}")
    te = time(t, "time")
    return {"time_exchange": te, "time_received": te if time_received is None else time(time_received, "time_received"),
            "exchange": exchange, "instrument": _index(instrument, "instrument"), "kind": kind}


def _level(price: Any, amount: Any, field: str) -> Optional[Dict[str, str]]:
    if price is None:
        return None
    return {"price": decimal(price, field), "amount": decimal(0 if amount is None else amount, f"{field}_amount")}


def _levels(pairs: Optional[Iterable[Sequence[Any]]], field: str) -> Dict[str, List[Dict[str, str]]]:
    out = []
    for i, pair in enumerate(pairs or []):
        try:
            p, a = pair
        except (TypeError, ValueError):
            raise _bad(f"{field}[{i}]", "expected a (price, amount) pair") from None
        out.append({"price": decimal(p, f"{field}[{i}][0]"), "amount": decimal(a, f"{field}[{i}][1]")})
    return {"levels": out}


class market:
    """Market events (``MarketEvent``); :meth:`item` and :meth:`reconnecting` make stream items."""

    @staticmethod
    def trade(*, time: TimeLike, exchange: str, instrument: int, price: DecimalLike, amount: DecimalLike,
              side: str, id: Any = "", time_received: Optional[TimeLike] = None) -> Dict[str, Any]:
        """A public trade."""
        return _market_event(time, time_received, exchange, instrument, {"Trade": {
            "id": str(id), "price": decimal(price, "price"), "amount": decimal(amount, "amount"), "side": _side(side)}})

    @staticmethod
    def l1(*, time: TimeLike, exchange: str, instrument: int, bid: Optional[DecimalLike] = None,
           bid_amount: Optional[DecimalLike] = None, ask: Optional[DecimalLike] = None,
           ask_amount: Optional[DecimalLike] = None, last_update_time: Optional[TimeLike] = None,
           time_received: Optional[TimeLike] = None) -> Dict[str, Any]:
        """Best bid and ask (either may be absent)."""
        return _market_event(time, time_received, exchange, instrument, {"OrderBookL1": {
            "last_update_time": _time(last_update_time if last_update_time is not None else time, "last_update_time"),
            "best_bid": _level(bid, bid_amount, "bid"), "best_ask": _level(ask, ask_amount, "ask")}})

    @staticmethod
    def candle(*, time: TimeLike, exchange: str, instrument: int, open: DecimalLike, high: DecimalLike,
               low: DecimalLike, close: DecimalLike, volume: DecimalLike = 0, trade_count: int = 0,
               time_received: Optional[TimeLike] = None) -> Dict[str, Any]:
        """A bar; ``time`` is its close time."""
        return _market_event(time, time_received, exchange, instrument, {"Candle": {
            "close_time": _time(time), "open": decimal(open, "open"), "high": decimal(high, "high"),
            "low": decimal(low, "low"), "close": decimal(close, "close"), "volume": decimal(volume, "volume"),
            "trade_count": _index(trade_count, "trade_count")}})

    @staticmethod
    def liquidation(*, time: TimeLike, exchange: str, instrument: int, side: str, price: DecimalLike,
                    quantity: DecimalLike, time_received: Optional[TimeLike] = None) -> Dict[str, Any]:
        """A liquidation."""
        return _market_event(time, time_received, exchange, instrument, {"Liquidation": {
            "side": _side(side), "price": decimal(price, "price"), "quantity": decimal(quantity, "quantity"),
            "time": _time(time)}})

    @staticmethod
    def order_book(*, time: TimeLike, exchange: str, instrument: int,
                   bids: Optional[Iterable[Tuple[DecimalLike, DecimalLike]]] = None,
                   asks: Optional[Iterable[Tuple[DecimalLike, DecimalLike]]] = None, sequence: int = 0,
                   update: bool = False, time_engine: Optional[TimeLike] = None,
                   time_received: Optional[TimeLike] = None) -> Dict[str, Any]:
        """An L2 book snapshot (or ``update=True``): ``bids``/``asks`` as (price, amount) pairs."""
        return _market_event(time, time_received, exchange, instrument, {"OrderBook": {
            ("Update" if update else "Snapshot"): {
                "sequence": _index(sequence, "sequence"),
                "time_engine": None if time_engine is None else _time(time_engine, "time_engine"),
                "bids": _levels(bids, "bids"), "asks": _levels(asks, "asks")}}})

    @staticmethod
    def item(event: Dict[str, Any]) -> Dict[str, Any]:
        """A market stream item around an event."""
        return {"Item": event}

    @staticmethod
    def reconnecting(exchange: str) -> Dict[str, Any]:
        """The market stream of an exchange is reconnecting."""
        return {"Reconnecting": exchange}


_time = time

_TIF = {
    "GTC": {"GoodUntilCancelled": {"post_only": False}},
    "post_only": {"GoodUntilCancelled": {"post_only": True}},
    "postOnly": {"GoodUntilCancelled": {"post_only": True}},
    "IOC": "ImmediateOrCancel",
    "FOK": "FillOrKill",
    "DAY": "GoodUntilEndOfDay",
}


def _tif(name: Optional[str], kind: str) -> Any:
    key = name if name is not None else ("GTC" if kind == "Limit" else "IOC")
    t = _TIF.get(key) if isinstance(key, str) else None
    if t is None:
        raise _bad("time_in_force", f"expected one of GTC, post_only, IOC, FOK, DAY, got {name!r}")
    return {k: dict(v) for k, v in t.items()} if isinstance(t, dict) else t


def _kind(k: Any) -> str:
    v = {"market": "Market", "limit": "Limit", "Market": "Market", "Limit": "Limit"}.get(k) if isinstance(k, str) else None
    if not v:
        raise _bad("type", f"expected 'market' or 'limit', got {k!r}")
    return v


def _key(exchange: Any, instrument: Any, strategy: Any, cid: Any) -> Dict[str, Any]:
    return {"exchange": _index(exchange, "exchange"), "instrument": _index(instrument, "instrument"),
            "strategy": str("manual" if strategy is None else strategy), "cid": str(cid)}


class account:
    """Account events (``AccountEvent``) as a venue reports them; ``exchange`` is the exchange index."""

    @staticmethod
    def balance(*, exchange: int, asset: int, total: DecimalLike, time: TimeLike,
                free: Optional[DecimalLike] = None) -> Dict[str, Any]:
        """A balance: ``free`` defaults to ``total``."""
        return {"exchange": _index(exchange, "exchange"), "kind": {"BalanceSnapshot": {
            "asset": _index(asset, "asset"),
            "balance": {"total": decimal(total, "total"), "free": decimal(total if free is None else free, "free")},
            "time_exchange": _time(time)}}}

    @staticmethod
    def trade(*, exchange: int, instrument: int, id: Any, order_id: Any, time: TimeLike, side: str,
              price: DecimalLike, quantity: DecimalLike, fees: DecimalLike = 0, fees_asset: Optional[int] = None,
              strategy: str = "manual") -> Dict[str, Any]:
        """A fill of one of our orders; ``fees`` in ``fees_asset`` (default the quote)."""
        return {"exchange": _index(exchange, "exchange"), "kind": {"Trade": {
            "id": str(id), "order_id": str(order_id), "instrument": _index(instrument, "instrument"),
            "strategy": str(strategy), "time_exchange": _time(time), "side": _side(side),
            "price": decimal(price, "price"), "quantity": decimal(quantity, "quantity"),
            "fees": {"asset": None if fees_asset is None else _index(fees_asset, "fees_asset"),
                     "fees": decimal(fees, "fees")}}}}

    @staticmethod
    def order_open(*, exchange: int, instrument: int, cid: Any, side: str, price: DecimalLike,
                   quantity: DecimalLike, id: Any, time: TimeLike, type: str = "market",
                   time_in_force: Optional[str] = None, filled: DecimalLike = 0,
                   strategy: str = "manual") -> Dict[str, Any]:
        """An order as the venue holds it, open with ``id`` and ``filled`` (default 0)."""
        kind = _kind(type)
        return {"exchange": _index(exchange, "exchange"), "kind": {"OrderSnapshot": {
            "key": _key(exchange, instrument, strategy, cid), "side": _side(side),
            "price": decimal(price, "price"), "quantity": decimal(quantity, "quantity"), "kind": kind,
            "time_in_force": _tif(time_in_force, kind),
            "state": {"Active": {"Open": {"id": str(id), "time_exchange": _time(time),
                                          "filled_quantity": decimal(filled, "filled")}}}}}}

    @staticmethod
    def order_cancelled(*, exchange: int, instrument: int, cid: Any, id: Any, time: TimeLike,
                        strategy: str = "manual") -> Dict[str, Any]:
        """A cancel confirmed by the venue."""
        return {"exchange": _index(exchange, "exchange"), "kind": {"OrderCancelled": {
            "key": _key(exchange, instrument, strategy, cid),
            "state": {"Ok": {"id": str(id), "time_exchange": _time(time)}}}}}

    @staticmethod
    def item(event: Dict[str, Any]) -> Dict[str, Any]:
        """An account stream item around an event."""
        return {"Item": event}

    @staticmethod
    def reconnecting(exchange: str) -> Dict[str, Any]:
        """The account stream of an exchange is reconnecting."""
        return {"Reconnecting": exchange}


def _one_or_many(xs: Sequence[Any], make: Any) -> Dict[str, Any]:
    if len(xs) == 1:
        return {"One": make(xs[0])}
    return {"Many": [make(x) for x in xs]}


class filter:
    """Instrument filters for :meth:`command.close_positions` and :meth:`command.cancel_orders`."""

    @staticmethod
    def none() -> str:
        """Every instrument."""
        return "None"

    @staticmethod
    def exchanges(*indices: int) -> Dict[str, Any]:
        """Instruments of these exchanges (indices)."""
        return {"Exchanges": _one_or_many(indices, lambda e: _index(e, "exchanges"))}

    @staticmethod
    def instruments(*indices: int) -> Dict[str, Any]:
        """These instruments (indices)."""
        return {"Instruments": _one_or_many(indices, lambda i: _index(i, "instruments"))}

    @staticmethod
    def underlyings(*pairs: Tuple[int, int]) -> Dict[str, Any]:
        """Instruments with these (base, quote) asset indices."""
        def make(p: Any) -> Dict[str, int]:
            if isinstance(p, dict):
                b, q = p.get("base"), p.get("quote")
            else:
                b, q = p
            return {"base": _index(b, "base"), "quote": _index(q, "quote")}
        return {"Underlyings": _one_or_many(pairs, make)}


def _orders(orders: Any) -> List[Dict[str, Any]]:
    if isinstance(orders, dict):
        return [orders]
    if isinstance(orders, (list, tuple)) and all(isinstance(o, dict) for o in orders):
        return list(orders)
    raise _bad("orders", "expected an order dict or a list of them")


class command:
    """Commands (``Command``); they bypass risk. Orders are dicts with snake_case keys:
    ``exchange, instrument, cid, side, price, quantity, type?, time_in_force?, strategy?``, and
    the conditions ``stop?, trailing?, stop_loss?, take_profit?, trailing_stop?`` (see
    :func:`tidemark.buy`)."""

    @staticmethod
    def open_requests(orders: Union[Dict[str, Any], Sequence[Dict[str, Any]]]) -> Dict[str, Any]:
        """Open orders (one dict or a list)."""
        def make(o: Dict[str, Any]) -> Dict[str, Any]:
            kind = _kind(o.get("type", "market"))
            state: Dict[str, Any] = {"side": _side(o.get("side")), "price": decimal(o.get("price"), "price"),
                                     "quantity": decimal(o.get("quantity"), "quantity"), "kind": kind,
                                     "time_in_force": _tif(o.get("time_in_force"), kind)}
            # Stop, trailing and bracket fields, as tidemark.command.openRequests in JS.
            trigger: Dict[str, Any] = {}
            if o.get("stop") is not None:
                trigger["price"] = decimal(o["stop"], "stop")
            if o.get("trailing") is not None:
                t = o["trailing"]
                if not isinstance(t, dict) or len(t) != 1 or next(iter(t)) not in ("percent", "distance"):
                    raise _bad("trailing", "expected {'percent': x} or {'distance': x}")
                k, v = next(iter(t.items()))
                trigger["trailing"] = {k.capitalize(): decimal(v, "trailing." + k)}
            if trigger:
                state["trigger"] = trigger
            bracket: Dict[str, Any] = {}
            for name, field in (("stop_loss", "stop_loss"), ("take_profit", "take_profit")):
                if o.get(name) is not None:
                    bracket[field] = decimal(o[name], name)
            if o.get("trailing_stop") is not None:
                bracket["trailing_stop"] = {"Percent": decimal(o["trailing_stop"], "trailing_stop")}
            if bracket:
                state["bracket"] = bracket
            return {"key": _key(o.get("exchange"), o.get("instrument"), o.get("strategy"), o.get("cid")),
                    "state": state}
        xs = _orders(orders)
        return {"SendOpenRequests": {"One": make(xs[0])} if isinstance(orders, dict) else {"Many": [make(o) for o in xs]}}

    @staticmethod
    def cancel_requests(orders: Union[Dict[str, Any], Sequence[Dict[str, Any]]]) -> Dict[str, Any]:
        """Cancel orders by key: ``exchange, instrument, cid, strategy?, id?`` (one dict or a list)."""
        def make(o: Dict[str, Any]) -> Dict[str, Any]:
            return {"key": _key(o.get("exchange"), o.get("instrument"), o.get("strategy"), o.get("cid")),
                    "state": {"id": None if o.get("id") is None else str(o["id"])}}
        xs = _orders(orders)
        return {"SendCancelRequests": {"One": make(xs[0])} if isinstance(orders, dict) else {"Many": [make(o) for o in xs]}}

    @staticmethod
    def close_positions(instrument_filter: Any = "None") -> Dict[str, Any]:
        """Close positions of the filtered instruments (default all)."""
        return {"ClosePositions": instrument_filter}

    @staticmethod
    def cancel_orders(instrument_filter: Any = "None") -> Dict[str, Any]:
        """Cancel the orders of the filtered instruments (default all)."""
        return {"CancelOrders": instrument_filter}


def parse_event(kind: str, value: Any) -> Any:
    """What the engine decodes: ``kind`` is ``"market"``, ``"account"`` or ``"command"``;
    raises :class:`DecodeError` naming line and column for a bad event."""
    from ._js import api, dumps, from_js_value, js_errors
    if kind not in ("market", "account", "command"):
        raise _bad("kind", f"expected 'market', 'account' or 'command', got {kind!r}")
    text = value if isinstance(value, str) else dumps(value)
    with js_errors():
        return from_js_value(api.parseEvent(kind, text))
