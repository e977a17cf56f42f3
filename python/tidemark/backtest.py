"""Backtests and sweeps: :func:`backtest` and :func:`sweep` over one call of the JS API each.

Data may be a list of events (barter stream items or bare events, e.g. from
:mod:`tidemark.events`), CSV text (OHLCV, Binance klines, trades), barter JSON / JSON lines text,
a ``pathlib.Path`` to such a file, columns (``{"time": [...ms], "open": [...], ...}``), or a pandas
DataFrame when pandas is importable (sent as CSV with its index).
"""

from __future__ import annotations

import os
from decimal import Decimal
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from . import _js
from .config import config_json
from .errors import InvalidArgumentError, StrategyError
from .logs import check_level, js_logger
from .strategy import Adapter, Strategy
from .summary import PortfolioStats, RankedStats, Report

__all__ = ["backtest", "backtest_table", "sweep", "load_data", "Dataset", "SweepRow", "Heatmap", "heatmap", "Progress"]

#: ``on_progress(processed, total)``
Progress = Callable[[int, int], Any]


def _bad(field: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"{field}: {message}", details={"field": field})


class Dataset:
    """Market data decoded once by :func:`load_data` and shared, not copied, by every
    :func:`backtest`, :func:`backtest_table` and :func:`sweep` given it, as a DataFrame is in
    backtesting.py: a run then skips decoding. Tied to the instruments of the config it was
    loaded with (another instrument set raises :class:`InvalidArgumentError` naming ``data``);
    runs given it take no ``format``, ``sort`` or ``instrument``. Every event's values are checked
    once, when it is loaded. One made from text also keeps the text's bytes, which each worker of a
    parallel sweep decodes once and keeps for later sweeps over it (until ``free()``)."""

    def __init__(self, js: Any) -> None:
        self._js = js

    @property
    def events(self) -> int:
        """Market events in the data (what one run processes)."""
        with _js.js_errors():
            return int(self._js.events)

    def free(self) -> None:
        """Frees the decoded data now (else when garbage-collected); using it after raises."""
        self._js.free()

    def __repr__(self) -> str:
        try:
            return f"<tidemark.Dataset: {self.events} events>"
        except InvalidArgumentError:
            return "<tidemark.Dataset: freed>"


async def load_data(config: Any, data: Any, *, format: Optional[str] = None, sort: Optional[bool] = None,
                    instrument: Optional[str] = None) -> Dataset:
    """Decodes ``data`` (any form :func:`backtest` takes) once into a :class:`Dataset` for the
    instruments of ``config``; ``format``, ``sort`` and ``instrument`` as :func:`backtest` takes
    them. Raises what :func:`backtest` raises on the same data."""
    if isinstance(data, Dataset):
        raise _bad("data", "already a Dataset")
    cfg = config_json(config)
    payload = _data(data)
    opts: Dict[str, Any] = {}
    for name, value, kind in (("format", format, str), ("instrument", instrument, str), ("sort", sort, bool)):
        if value is not None:
            if not isinstance(value, kind):
                raise _bad(name, f"expected {kind.__name__}, got {type(value).__name__}")
            opts[name] = value
    try:
        return Dataset(await _js.api.loadData(cfg, payload, _js.js_object(opts)))
    except _js.JsException as e:
        raise _js.convert(e) from None


def _data(data: Any) -> Any:
    """The data as what the JS API takes: text, or a JS columns object."""
    if isinstance(data, Dataset):
        return data._js
    if isinstance(data, _js.JsProxy):  # a JS value already (text, items, or typed-array columns)
        return data
    # Text crosses as UTF-8 bytes (the engine reads bytes; see `_js.js_bytes`).
    if isinstance(data, os.PathLike):
        with open(data, "rb") as f:
            return _js.js_bytes(f.read())
    if isinstance(data, str):
        return _js.js_bytes(data.encode("utf-8"))
    if isinstance(data, (bytes, bytearray)):
        return _js.js_bytes(bytes(data))
    to_csv = getattr(data, "to_csv", None)
    if callable(to_csv) and hasattr(data, "columns"):  # a pandas DataFrame
        return _js.js_bytes(to_csv().encode("utf-8"))
    if isinstance(data, Mapping):
        if "time" not in data:
            raise _bad("data", "columns need a 'time' column (ms since the epoch)")
        cols = {}
        for k, v in data.items():
            try:
                cols[k] = [float(x) for x in v]
            except (TypeError, ValueError):
                raise _bad(f"data.{k}", "expected a sequence of numbers") from None
        return _js.to_js_value(cols)
    if isinstance(data, (list, tuple)):
        try:
            return _js.dumps(list(data))
        except (TypeError, ValueError) as e:
            raise _bad("data", f"the events are not JSON-serialisable: {e}") from None
    raise _bad("data", f"expected events, CSV or JSON text, a path, columns or a DataFrame, got {type(data).__name__}")


def _balances(initial_balances: Any) -> Any:
    if initial_balances is None:
        return None
    if not isinstance(initial_balances, (list, tuple)):
        raise _bad("initial_balances", "expected a list of {exchange?, asset, total, free?}")
    return _js.to_js_value(list(initial_balances))


def _options(px: _js.proxies, *, strategy: Any = None, interval: Optional[str] = None, format: Optional[str] = None,
             sort: Optional[bool] = None, instrument: Optional[str] = None, initial_balances: Any = None,
             on_progress: Optional[Progress] = None, log_level: Any = "warn", slice_events: Optional[int] = None,
             rank_by: Optional[str] = None) -> Any:
    level = check_level(log_level)
    opts: Dict[str, Any] = {"logLevel": level}
    logger = js_logger(level)
    if logger is not None:
        opts["logger"] = logger
    for name, value, kind in (("interval", interval, str), ("format", format, str), ("instrument", instrument, str),
                              ("rankBy", rank_by, str), ("sort", sort, bool), ("sliceEvents", slice_events, int)):
        if value is None:
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            field = {"rankBy": "rank_by", "sliceEvents": "slice_events"}.get(name, name)
            raise _bad(field, f"expected {kind.__name__}, got {type(value).__name__}")
        opts[name] = value
    if initial_balances is not None:
        opts["initialBalances"] = _balances(initial_balances)
    if on_progress is not None:
        if not callable(on_progress):
            raise _bad("on_progress", "expected a callable (processed, total)")
        opts["onProgress"] = _js.bridge.progress(px(on_progress))
    if strategy is not None:
        opts["strategy"] = strategy
    return _js.js_object(opts)


async def _run(method: str, config: Any, data: Any, strategy: Optional[Strategy], **kw: Any) -> Any:
    cfg = config_json(config)
    payload = _data(data)
    adapter = None if strategy is None else Adapter(strategy)
    with _js.proxies() as px:
        js_strategy = None if adapter is None else adapter.js(px)
        opts = _options(px, strategy=js_strategy, **kw)
        try:
            return await getattr(_js.api, method)(cfg, payload, opts)
        except _js.JsException as e:
            err = _js.convert(e)
            raise err from (adapter.error if adapter and isinstance(err, StrategyError) else None)


async def backtest(config: Any, data: Any, *, strategy: Optional[Strategy] = None, interval: Optional[str] = None,
                   format: Optional[str] = None, sort: Optional[bool] = None, instrument: Optional[str] = None,
                   initial_balances: Optional[Sequence[Dict[str, Any]]] = None, on_progress: Optional[Progress] = None,
                   log_level: Any = "warn", slice_events: Optional[int] = None) -> Report:
    """Runs a backtest to the end and returns its :class:`Report`.

    Args:
        config: a :class:`SystemConfig`/:class:`QuickConfig`, a dict, JSON text or a path.
        data: events, CSV/JSON text, a path, columns, a DataFrame (see the module docs) or a
            :class:`Dataset` from :func:`load_data` (decoded once for many runs).
        strategy: a Python :class:`Strategy` (else the config's built-in one).
        interval: summary interval (``"daily"``, ``"annual252"``, ``"annual365"``).
        format: ``"barter-json"``, ``"ohlcv-csv"``, ``"trades-csv"`` (default: detected).
        sort: sort rows by time instead of refusing out-of-order rows.
        instrument: the instrument rows without a symbol column belong to.
        initial_balances: ``[{"exchange"?, "asset", "total", "free"?}]`` replacing the config's.
        on_progress: ``on_progress(processed, total)`` after each slice.
        log_level: lowest engine log level sent to :mod:`logging` (default ``"warn"``; ``"off"``).
        slice_events: events per slice between yields to the host (default 20,000).
    """
    report = await _run("backtest", config, data, strategy, interval=interval, format=format, sort=sort,
                      instrument=instrument, initial_balances=initial_balances, on_progress=on_progress,
                      log_level=log_level, slice_events=slice_events)
    return Report(report)


async def backtest_table(config: Any, data: Any, *, strategy: Optional[Strategy] = None, **kw: Any) -> str:
    """The same as :func:`backtest`, returning the engine's own text table (summary and tear sheets)."""
    return str(await _run("backtestTable", config, data, strategy, **kw))


@dataclass(frozen=True)
class SweepRow:
    """One combination: the strategy config (or the factory's params), its statistics or error,
    and ``score``: what it was ranked by (the ``rank_by`` statistic or the objective's value;
    None ranks last). ``stats`` is :class:`RankedStats` on the rows of a ``stats="ranked"`` sweep
    past its ``complete`` best."""
    strategy: Dict[str, Any]
    stats: Optional[Union[PortfolioStats, RankedStats]]
    error: Optional[str]
    score: Optional[float] = None


async def sweep(config: Any, data: Any, grid: Mapping[str, Sequence[Any]], *,
                strategy: Optional[Callable[[Dict[str, Any]], Optional[Strategy]]] = None,
                rank_by: str = "sharpe_ratio", format: Optional[str] = None, sort: Optional[bool] = None,
                instrument: Optional[str] = None, initial_balances: Optional[Sequence[Dict[str, Any]]] = None,
                on_progress: Optional[Progress] = None, log_level: Any = "warn",
                constraint: Optional[Callable[[Dict[str, Any]], bool]] = None,
                objective: Optional[Callable[[PortfolioStats, Dict[str, Any]], float]] = None,
                workers: Any = "auto", stats: str = "all", complete: int = 1) -> List[SweepRow]:
    """One backtest per combination of ``grid`` (``{"fast": [5, 10], "slow": [20, 40]}``) over the
    same data; rows best first by ``rank_by`` (a snake_case portfolio statistic), or by
    ``objective(stats, params)`` (a number to maximise, like backtesting.py's ``maximize``
    callable). ``constraint(params)`` falsy skips a combination (``lambda p: p["fast"] <
    p["slow"]``). ``workers``: threads, ``"auto"`` (one per core for large grids: this one and
    worker threads), a number, or 1; the rows are the same whatever the split. ``heatmap(rows, "fast", "slow")``
    turns the rows into a table.

    ``stats="ranked"``: when ``rank_by`` is one of :func:`ranked_statistics` (``equity_final``,
    ``return_pct``, ``sqn``, the trade statistics...) and there is no ``objective``, each run
    collects only those (:class:`RankedStats`; no equity curve, about twice as fast) and the best
    ``complete`` rows (default 1) are run again for every statistic; otherwise every row has every
    statistic, as with the default ``"all"``.

    Without ``strategy`` the grid sweeps the config's built-in strategy; with ``strategy``, a
    factory ``params -> Strategy | None`` (None skips the combination), one backtest each.
    """
    if constraint is not None and not callable(constraint):
        raise _bad("constraint", "expected a callable params -> bool")
    if objective is not None and not callable(objective):
        raise _bad("objective", "expected a callable (stats, params) -> number")
    if stats not in ("all", "ranked"):
        raise _bad("stats", f"expected 'all' or 'ranked', got {stats!r}")
    if isinstance(complete, bool) or not isinstance(complete, int) or complete < 0:
        raise _bad("complete", f"expected a whole number of rows (0 or more), got {complete!r}")
    if workers != "auto" and (isinstance(workers, bool) or not isinstance(workers, int)):
        raise _bad("workers", f"expected 'auto' or a whole number, got {workers!r}")
    if not isinstance(grid, Mapping) or not grid:
        raise _bad("grid", "expected a dict of parameter lists, e.g. {'fast': [5, 10]}")
    for k, v in grid.items():
        if isinstance(v, (str, bytes)) or not isinstance(v, Sequence) or not v:
            raise _bad(f"grid.{k}", "expected a non-empty list of values")
    if strategy is not None and not callable(strategy):
        raise _bad("strategy", "a sweep takes a factory: params -> Strategy")
    cfg = config_json(config)
    payload = _data(data)
    adapters: List[Adapter] = []
    with _js.proxies() as px:
        factory = None
        if strategy is not None:
            def make(params: Any) -> Any:
                s = strategy(_js.from_js_value(params))
                if s is None:
                    return None
                a = Adapter(s)
                adapters.append(a)
                return a.js(px)
            factory = px(make)
        opts = _options(px, format=format, sort=sort, instrument=instrument, initial_balances=initial_balances,
                        on_progress=on_progress, log_level=log_level, rank_by=rank_by, strategy=factory)
        opts.workers = workers
        opts.stats = stats
        opts.complete = complete
        if constraint is not None:
            opts.constraint = px(lambda params: bool(constraint(_js.from_js_value(params))))
        if objective is not None:
            def score(stats: Any, params: Any) -> Any:
                v = objective(PortfolioStats.from_dict(_js.from_js_value(stats)), _js.from_js_value(params))
                # Decimal and int scores are numbers too; anything else reaches the engine's check.
                return float(v) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else v
            opts.objective = px(score)
        try:
            rows = await _js.api.sweep(cfg, payload, _js.to_js_value({k: list(v) for k, v in grid.items()}), opts)
        except _js.JsException as e:
            err = _js.convert(e)
            cause = next((a.error for a in adapters if a.error is not None), None)
            raise err from cause
        rows = _js.from_js_value(rows)
    return [SweepRow(r["strategy"], _stats(r.get("stats")), r.get("error"), r.get("score")) for r in rows]


def _stats(d: Optional[Dict[str, Any]]) -> Optional[Union[PortfolioStats, RankedStats]]:
    # Every statistic, or only the ranked ones (a row of a stats="ranked" sweep).
    if d is None:
        return None
    return PortfolioStats.from_dict(d) if "periods_per_year" in d else RankedStats.from_dict(d)


@dataclass
class Heatmap:
    """A sweep as a table over two parameters: ``values[j][i]`` is the value at ``xs[i]``,
    ``ys[j]`` (None where no combination ran or it has none)."""
    x: str
    y: str
    xs: List[Any]
    ys: List[Any]
    values: List[List[Optional[float]]]

    def to_pandas(self) -> Any:
        """The table as a DataFrame (rows ``y``, columns ``x``); needs pandas."""
        import pandas as pd  # type: ignore[import-not-found]
        return pd.DataFrame(self.values, index=pd.Index(self.ys, name=self.y), columns=pd.Index(self.xs, name=self.x))


def heatmap(rows: Sequence[SweepRow], x: str, y: str, value: str = "score") -> Heatmap:
    """The rows of :func:`sweep` as a table over parameters ``x`` and ``y`` of ``value``
    (``"score"``, what the sweep ranked by, or a statistic such as ``"return_pct"``); with more
    parameters each cell holds the best-ranked row's value (the engine's ``heatmap``)."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise _bad("rows", "expected the list sweep() returned")
    plain = []
    for i, r in enumerate(rows):
        if not isinstance(r, SweepRow):
            raise _bad(f"rows[{i}]", f"expected a SweepRow, got {type(r).__name__}")
        plain.append({"strategy": r.strategy, "stats": None if r.stats is None else r.stats.to_dict(), "score": r.score})
    with _js.js_errors():
        h = _js.from_js_value(_js.api.heatmap(_js.to_js_value(plain), _js.to_js_value({"x": x, "y": y, "value": value})))
    return Heatmap(h["x"], h["y"], h["xs"], h["ys"], h["values"])
