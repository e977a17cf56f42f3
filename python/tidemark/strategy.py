"""Strategies written in Python: a class with the same hooks as JS strategies (``js/strategy.mjs``).

The engine calls :meth:`Strategy.on_market` once per market event with one reused
:class:`MarketView` (numbers only; copy what you keep). A hook returns None, one request or a
list of requests (dicts, or :func:`buy` / :func:`sell` / :func:`target` / :func:`cancel`).
A hook that raises ends a backtest with :class:`StrategyError` whose ``__cause__`` is the Python
exception. Each event crosses from JS to Python once, as plain numbers; requests cross back as
JSON only when a hook returns some.
"""

from __future__ import annotations

import inspect
import json
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Union

__all__ = ["Strategy", "MarketView", "Request", "buy", "sell", "target", "cancel"]

Request = Dict[str, Any]


class MarketView:
    """What a strategy sees per market event (rewritten each call: copy what you keep).

    ``kind`` is ``'trade' | 'l1' | 'candle' | 'liquidation' | 'book'``; ``time`` is the exchange
    time in ms since the epoch; ``price`` the engine's mark after the event; ``position`` the
    signed position (long positive); NaN where a field does not apply. ``indicators``: the
    current values of the indicators the strategy declares (``{"fast": 101.5, "m": {"macd": ...,
    "signal": ..., "histogram": ...}}``, None per indicator while it warms up), or None.
    """

    __slots__ = ("kind", "instrument", "time", "price", "amount", "side", "bid", "bid_amount", "ask",
                 "ask_amount", "open", "high", "low", "close", "volume", "position", "entry_price",
                 "live_orders", "free_quote", "indicators")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, float("nan"))
        self.kind = "trade"
        self.indicators: Optional[Dict[str, Any]] = None

    def to_dict(self) -> Dict[str, Any]:
        """A copy as a dict."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return f"MarketView({self.to_dict()!r})"


class Strategy:
    """Base class of Python strategies: override :meth:`on_market`, optionally the other hooks.

    ``id`` (letters, digits, ``_.:-``) tags the strategy's orders; default ``"py"``.
    ``indicators`` declares indicators the engine computes in wasm for every market event, as JS
    strategies do (``{"fast": {"sma": 10}, "rsi": {"rsi": 14}, "m": {"macd": [12, 26, 9]}}``;
    kinds and ``source`` as in the JS API); their values arrive in ``view.indicators``.
    """

    id: str = "py"
    indicators: Optional[Dict[str, Any]] = None

    def on_market(self, view: MarketView) -> Union[None, Request, List[Request]]:
        """Called once per market event; return None, a request or a list of requests."""
        return None

    def on_account(self, event: Dict[str, Any]) -> Union[None, Request, List[Request]]:
        """Called with each account event (fills, order snapshots, balances; barter's JSON)."""
        return None

    def on_trading_disabled(self) -> Union[None, Request, List[Request]]:
        """Called when trading is turned off."""
        return None

    def on_disconnect(self, exchange: str) -> Union[None, Request, List[Request]]:
        """Called when an exchange's stream disconnects."""
        return None

    def close_positions(self, instrument_filter: Any) -> Union[None, Request, List[Request]]:
        """Return None to close with market orders (the default), or the requests that close."""
        return None


def _dec(x: Any) -> Any:
    return str(x) if isinstance(x, Decimal) else x


def buy(quantity: Any, price: Any = None, *, type: Optional[str] = None, time_in_force: Optional[str] = None,
        post_only: Optional[bool] = None, instrument: Any = None, **conditions: Any) -> Request:
    """A buy request: market by default, limit when ``price`` is given.

    Conditions (keyword arguments, as backtesting.py's ``buy(stop=, sl=, tp=)``): ``stop`` (a
    trigger price: a stop-market, or a stop-limit with ``price``), ``trailing`` (``{"percent": x}``
    or ``{"distance": x}``: a trailing stop), and exits placed once the buy fills, one cancelling
    the other: ``stop_loss`` and ``take_profit`` (prices) and ``trailing_stop`` (percent).
    """
    return _order("buy", quantity, price, type, time_in_force, post_only, instrument, conditions)


def sell(quantity: Any, price: Any = None, *, type: Optional[str] = None, time_in_force: Optional[str] = None,
         post_only: Optional[bool] = None, instrument: Any = None, **conditions: Any) -> Request:
    """A sell request: market by default, limit when ``price`` is given; ``stop`` and ``trailing``
    as for :func:`buy` (a stop-loss of a long position)."""
    return _order("sell", quantity, price, type, time_in_force, post_only, instrument, conditions)


_CONDITIONS = ("stop", "trailing", "stop_loss", "take_profit", "trailing_stop")


def _order(side: str, quantity: Any, price: Any, type: Optional[str], tif: Optional[str], post_only: Optional[bool],
           instrument: Any, conditions: Optional[Dict[str, Any]] = None) -> Request:
    r: Request = {"side": side, "quantity": _dec(quantity)}
    for name, value in (conditions or {}).items():
        if name not in _CONDITIONS:
            raise TypeError(f"{side}() got an unexpected keyword argument {name!r} (conditions: {', '.join(_CONDITIONS)})")
        if value is not None:
            r[name] = dict(value) if name == "trailing" and isinstance(value, Mapping) else _dec(value)
    if price is not None:
        r["price"] = _dec(price)
        r["type"] = type or "limit"
    elif type is not None:
        r["type"] = type
    if tif is not None:
        r["time_in_force"] = tif
    if post_only is not None:
        r["post_only"] = post_only
    if instrument is not None:
        r["instrument"] = instrument
    return r


def target(position: str, sizing: Optional[Dict[str, Any]] = None, *, instrument: Any = None) -> Request:
    """A target position: ``'long' | 'flat' | 'short'``, sized by ``sizing`` (default: the config's)."""
    r: Request = {"target": position}
    if sizing is not None:
        r["sizing"] = sizing
    if instrument is not None:
        r["instrument"] = instrument
    return r


def cancel(cid: str = "all", *, instrument: Any = None) -> Request:
    """Cancel one order by client id, or ``'all'``."""
    r: Request = {"cancel": cid}
    if instrument is not None:
        r["instrument"] = instrument
    return r


_KEYS = {"time_in_force": "timeInForce", "post_only": "postOnly", "stop_loss": "stopLoss",
         "take_profit": "takeProfit", "trailing_stop": "trailingStop"}


def _js_request(r: Any) -> Any:
    if isinstance(r, dict):
        return {_KEYS.get(k, k): _dec(v) if not isinstance(v, dict) else {kk: _dec(vv) for kk, vv in v.items()}
                for k, v in r.items()}
    return r


def _encode(result: Any, hook: str) -> Optional[str]:
    if result is None:
        return None
    if inspect.isawaitable(result):
        if hasattr(result, "close"):
            result.close()
        return f"!{hook}: hooks must be synchronous (it returned an awaitable: an async def?); return the requests themselves"
    if isinstance(result, (list, tuple)):
        payload: Any = [_js_request(r) for r in result]
    else:
        payload = _js_request(result)
    try:
        return json.dumps(payload, default=str)
    except (TypeError, ValueError) as e:
        return f"!{hook}: the returned requests are not plain data: {e}"


class Adapter:
    """Calls a :class:`Strategy`'s hooks for the JS bridge; keeps the first exception a hook raised."""

    def __init__(self, strategy: Strategy) -> None:
        if not callable(getattr(strategy, "on_market", None)):
            from .errors import InvalidArgumentError
            raise InvalidArgumentError("strategy: expected a Strategy (an object with on_market(view))",
                                       details={"field": "strategy"})
        self.strategy = strategy
        self.error: Optional[BaseException] = None
        self.view = MarketView()
        self.id = str(getattr(strategy, "id", "py") or "py")
        self.calls = 0
        self._on_market = strategy.on_market

    def _fail(self, e: BaseException, hook: str) -> str:
        if self.error is None:
            self.error = e
        return f"!{hook}: {type(e).__name__}: {e}"

    def market(self, kind, instrument, time, price, amount, side, bid, bid_amount, ask, ask_amount,
               open, high, low, close, volume, position, entry_price, live_orders, free_quote, indicators=None):
        v = self.view
        if indicators is not None:
            v.indicators = json.loads(indicators)
        v.kind = kind
        v.instrument = instrument
        v.time = time
        v.price = price
        v.amount = amount
        v.side = side
        v.bid = bid
        v.bid_amount = bid_amount
        v.ask = ask
        v.ask_amount = ask_amount
        v.open = open
        v.high = high
        v.low = low
        v.close = close
        v.volume = volume
        v.position = position
        v.entry_price = entry_price
        v.live_orders = live_orders
        v.free_quote = free_quote
        try:
            r = self._on_market(v)
        except Exception as e:
            return self._fail(e, "on_market")
        if r is None:
            return None
        return _encode(r, "on_market")

    def _hook(self, name: str, *args: Any) -> Optional[str]:
        try:
            return _encode(getattr(self.strategy, name)(*args), name)
        except Exception as e:
            return self._fail(e, name)

    def account(self, event_json: str) -> Optional[str]:
        return self._hook("on_account", json.loads(event_json))

    def trading_disabled(self) -> Optional[str]:
        return self._hook("on_trading_disabled")

    def disconnect(self, exchange: str) -> Optional[str]:
        return self._hook("on_disconnect", exchange)

    def close_positions(self, filter_json: str) -> Optional[str]:
        return self._hook("close_positions", json.loads(filter_json))

    def overridden(self, name: str) -> bool:
        """Whether the strategy defines a hook (so the engine skips calls to the others)."""
        own = getattr(type(self.strategy), name, None)
        return own is not None and own is not getattr(Strategy, name, None)

    def js(self, make_proxy: Any) -> Any:
        """The JS strategy object (through the bridge); proxies are made with ``make_proxy``."""
        from ._js import bridge
        opt = lambda name, fn: make_proxy(fn) if self.overridden(name) else None  # noqa: E731
        declared = getattr(self.strategy, "indicators", None)
        if declared is not None and not isinstance(declared, dict):
            from .errors import InvalidArgumentError
            raise InvalidArgumentError("strategy.indicators: expected a dict of name: indicator, e.g. {'fast': {'sma': 10}}",
                                       details={"field": "strategy.indicators"})
        return bridge.strategy(self.id, make_proxy(self.market), opt("on_account", self.account),
                               opt("on_trading_disabled", self.trading_disabled),
                               opt("on_disconnect", self.disconnect), opt("close_positions", self.close_positions),
                               None if declared is None else json.dumps(declared))

    def reraise(self, e: BaseException) -> BaseException:
        """The error to raise for an engine error: STRATEGY errors get the hook's exception as cause."""
        from .errors import StrategyError
        if isinstance(e, StrategyError) and self.error is not None:
            e.__cause__ = self.error
        return e
