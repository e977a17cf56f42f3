"""Live (or paper) trading systems: :class:`System` over the JS API's ``System``.

Feed market events as they come (one at a time or a batch per call), inject account events from
a venue, send commands, read the audit stream, and end with the same :class:`Report` a backtest
of the same events gives::

    system = await System.start(config, strategy=MyStrategy(), audit=True)
    system.feed_many(events)
    system.close_positions()
    report = await system.shutdown_with_summary(interval="daily")
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Iterable, List, Optional, Sequence

from . import _js
from .config import config_json
from .errors import InvalidArgumentError, StrategyError
from .events import command as _command
from .logs import check_level, js_logger
from .strategy import Adapter, Strategy
from .summary import Report

__all__ = ["System", "AuditReader"]


class System:
    """A running system. Create it with ``await System.start(...)``."""

    def __init__(self, inner: Any, proxies: _js.proxies, adapter: Optional[Adapter]) -> None:
        self._inner = inner
        self._proxies = proxies
        self._adapter = adapter
        self._closed = False

    @classmethod
    async def start(cls, config: Any, *, strategy: Optional[Strategy] = None, time_start: Optional[str] = None,
                    initial_balances: Optional[Sequence[Dict[str, Any]]] = None, audit: bool = False,
                    audit_buffer: Optional[int] = None, log_level: Any = "warn") -> "System":
        """Starts a system.

        Args:
            config: a config dataclass, dict, JSON text or path.
            strategy: a Python :class:`Strategy` (else the config's built-in one).
            time_start: RFC 3339 start time (default: the first market event's time).
            initial_balances: ``[{"exchange"?, "asset", "total", "free"?}]`` replacing the config's.
            audit: keep audit ticks from the start for the first :meth:`audit` reader.
            audit_buffer: most unread audit ticks kept (default 100,000; the oldest are dropped).
            log_level: lowest engine log level sent to :mod:`logging` (default ``"warn"``).
        """
        if not isinstance(audit, bool):
            raise InvalidArgumentError(f"audit: expected True or False, got {audit!r}", details={"field": "audit"})
        if audit_buffer is not None and (isinstance(audit_buffer, bool) or not isinstance(audit_buffer, int) or audit_buffer < 1):
            raise InvalidArgumentError(f"audit_buffer: expected a positive integer, got {audit_buffer!r}",
                                       details={"field": "audit_buffer"})
        if time_start is not None and not isinstance(time_start, str):
            from .events import time as _time
            time_start = _time(time_start, "time_start")
        level = check_level(log_level)
        cfg = config_json(config)
        adapter = None if strategy is None else Adapter(strategy)
        px = _js.proxies()
        try:
            opts: Dict[str, Any] = {"logLevel": level, "audit": audit}
            logger = js_logger(level)
            if logger is not None:
                opts["logger"] = logger
            if time_start is not None:
                opts["timeStart"] = time_start
            if audit_buffer is not None:
                opts["auditBuffer"] = audit_buffer
            if initial_balances is not None:
                opts["initialBalances"] = _js.to_js_value(list(initial_balances))
            if adapter is not None:
                opts["strategy"] = adapter.js(px)
            with _js.js_errors():
                inner = await _js.api.System.start(cfg, _js.js_object(opts))
        except BaseException:
            px.destroy()
            raise
        return cls(inner, px, adapter)

    def _call(self, what: str, *args: Any, ticks: bool = True) -> Any:
        try:
            r = getattr(self._inner, what)(*args)
        except _js.JsException as e:
            err = _js.convert(e)
            raise err from (self._adapter.error if self._adapter and isinstance(err, StrategyError) else None)
        return _js.from_js_value(r) if ticks else None

    def feed(self, item: Dict[str, Any], *, ticks: bool = True) -> List[Dict[str, Any]]:
        """Feeds one market item (a barter stream item or a bare event, or its JSON text); returns
        its audit ticks (``ticks=False``: none, and nothing is copied back)."""
        if not isinstance(item, (dict, str)):
            raise InvalidArgumentError("item: expected an event dict (use feed_many for a list)", details={"field": "item"})
        return self._call("feed", item if isinstance(item, str) else _js.to_js_value(item), ticks=ticks)

    def feed_many(self, items: Iterable[Dict[str, Any]], *, ticks: bool = True) -> List[Dict[str, Any]]:
        """Feeds market items in one crossing; returns their audit ticks (``ticks=False``: none)."""
        if isinstance(items, (dict, str, bytes)):
            raise InvalidArgumentError("items: expected a list of events (use feed for one)", details={"field": "items"})
        return self._call("feed", _js.to_js_value(list(items)), ticks=ticks)

    async def feed_from(self, source: Any, *, batch_size: int = 1000) -> int:
        """Feeds an iterable or async iterable of market items in batches, yielding to the host
        between batches; returns how many items were applied."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise InvalidArgumentError(f"batch_size: expected a positive integer, got {batch_size!r}",
                                       details={"field": "batch_size"})
        applied = 0
        batch: List[Any] = []

        async def flush() -> None:
            nonlocal applied, batch
            if batch:
                items, batch = batch, []
                try:
                    self.feed_many(items, ticks=False)
                except Exception as e:
                    if getattr(e, "applied", None) is None and hasattr(e, "applied"):
                        e.applied = applied  # type: ignore[attr-defined]
                    raise
                applied += len(items)
                await asyncio.sleep(0)

        if hasattr(source, "__aiter__"):
            async for item in source:
                batch.append(item)
                if len(batch) >= batch_size:
                    await flush()
        elif hasattr(source, "__iter__") and not isinstance(source, (str, bytes, dict)):
            for item in source:
                batch.append(item)
                if len(batch) >= batch_size:
                    await flush()
        else:
            raise InvalidArgumentError("source: expected an iterable or async iterable of market items",
                                       details={"field": "source"})
        await flush()
        return applied

    def feed_account(self, event: Dict[str, Any]) -> List[Dict[str, Any]]:
        """Injects an account event from a venue (see :mod:`tidemark.events` ``account``)."""
        return self._call("feedAccount", _js.to_js_value(event))

    def command(self, command: Dict[str, Any]) -> List[Dict[str, Any]]:
        """Sends a command (barter's JSON; see :mod:`tidemark.events` ``command``)."""
        return self._call("command", _js.to_js_value(command))

    def open_requests(self, orders: Any) -> List[Dict[str, Any]]:
        """Opens orders: a dict or a list (``exchange, instrument, cid, side, price, quantity, type?, time_in_force?``)."""
        return self.command(_command.open_requests(orders))

    def cancel_requests(self, orders: Any) -> List[Dict[str, Any]]:
        """Cancels orders by key (``exchange, instrument, cid, id?``)."""
        return self.command(_command.cancel_requests(orders))

    def close_positions(self, instrument_filter: Any = "None") -> List[Dict[str, Any]]:
        """Closes the positions of the filtered instruments (default all)."""
        return self.command(_command.close_positions(instrument_filter))

    def cancel_orders(self, instrument_filter: Any = "None") -> List[Dict[str, Any]]:
        """Cancels the orders of the filtered instruments (default all)."""
        return self.command(_command.cancel_orders(instrument_filter))

    def set_trading_state(self, enabled: bool) -> List[Dict[str, Any]]:
        """Turns algorithmic trading on (True) or off (False)."""
        if not isinstance(enabled, bool):
            raise InvalidArgumentError(f"enabled: expected True or False, got {enabled!r}", details={"field": "enabled"})
        return self._call("setTradingState", enabled)

    def snapshot(self) -> Dict[str, Any]:
        """The engine state: ``{"sequence": n, "state": {...}}``."""
        return self._call("snapshot")

    @property
    def audit_queued(self) -> int:
        """Audit ticks kept and not yet read."""
        return int(self._inner.auditQueued)

    def audit(self) -> "AuditReader":
        """The audit stream: ``async for tick in system.audit()``; it ends when the system shuts
        down. Read it alongside feeding (in its own task). Leaving the loop early (``break``)
        stops keeping ticks once the reader is dropped or closed (``await reader.aclose()``, or
        ``async with system.audit() as ticks:``). One reader at a time."""
        with _js.js_errors():
            return AuditReader(self._inner.audit())

    async def shutdown_with_summary(self, interval: Optional[str] = None) -> Report:
        """Ends the system and returns its :class:`Report` (summary for ``interval``)."""
        if interval is not None and not isinstance(interval, str):
            raise InvalidArgumentError(f"interval: expected a string, got {type(interval).__name__}",
                                       details={"field": "interval"})
        try:
            js_report = self._inner.shutdownWithSummary(interval)
        except _js.JsException as e:
            err = _js.convert(e)
            raise err from (self._adapter.error if self._adapter and isinstance(err, StrategyError) else None)
        report = Report(js_report)
        self._release()
        await asyncio.sleep(0)  # let an audit reader see the end
        return report

    def abort(self) -> None:
        """Stops at once, without a summary; later calls raise EngineShutdownError."""
        self._call("abort", ticks=False)
        self._release()

    def _release(self) -> None:
        # The JS strategy and logger are not called any more: free their Python proxies.
        if not self._closed:
            self._closed = True
            self._proxies.destroy()

    async def __aenter__(self) -> "System":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if not self._closed:
            self.abort()


class AuditReader:
    """An audit stream reader: an async iterator of ticks (dicts), and an async context manager.

    ``dropped`` counts ticks dropped unread because ``audit_buffer`` was full.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._closed = False

    def __aiter__(self) -> "AuditReader":
        return self

    async def __anext__(self) -> Dict[str, Any]:
        if self._closed:
            raise StopAsyncIteration
        text = await _js.bridge.next(self._reader)
        if text is None:
            self._closed = True
            raise StopAsyncIteration
        return json.loads(text)

    @property
    def dropped(self) -> int:
        """Ticks dropped unread (the buffer was full) since ticks were kept for this reader."""
        return int(self._reader.dropped)

    def close(self) -> None:
        """Stops reading: the system keeps no more ticks for this reader and frees the kept ones."""
        if not self._closed:
            self._closed = True
            try:
                getattr(self._reader, "return")()  # synchronous on the JS side
            except Exception:
                pass

    async def aclose(self) -> None:
        """The same as :meth:`close` (for ``contextlib.aclosing`` and symmetry with generators)."""
        self.close()

    async def __aenter__(self) -> "AuditReader":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        # Python's `break` out of `async for` does not tell the iterator (JS's does): dropping
        # the reader is the signal.
        self.close()
