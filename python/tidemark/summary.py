"""Backtest and live-system reports as rich objects.

:class:`Report` wraps the engine's report (``schema/report.schema.json``): the
:class:`TradingSummary` with its :class:`PortfolioStats`, closed and open :class:`Trade`\\ s, the
:class:`EquityPoint` curve, :class:`RunStats` counters and backtesting.py's view. Ledger amounts
(prices, sizes, PnL, fees, final and peak equity) are ``Decimal``, as the report's decimal text;
statistics are floats (None where undefined). ``str(report)`` is the text table, ``_repr_html_`` an HTML table for notebooks,
``to_pandas()`` DataFrames when pandas is importable.
"""

from __future__ import annotations

import dataclasses
import html
import json
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Any, ClassVar, Dict, FrozenSet, List, Optional, Tuple

__all__ = ["PortfolioStats", "Trade", "EquityPoint", "RunStats", "TradingSummary", "Report"]


class _Row:
    _decimals: ClassVar[FrozenSet[str]] = frozenset()

    @classmethod
    def _fields(cls) -> Tuple[str, ...]:
        """The fields' names, in order."""
        names = cls.__dict__.get("_names")
        if names is None:
            names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
            cls._names = names  # type: ignore[attr-defined]
        return names

    @classmethod
    def from_dict(cls, d: Dict[str, Any]):
        """Builds the row from the report's dict (decimal strings become Decimal)."""
        dec = cls._decimals
        get = d.get
        return cls(*[Decimal(v) if n in dec and isinstance(v := get(n), str) else get(n) for n in cls._fields()])

    def to_dict(self) -> Dict[str, Any]:
        """The report's dict (Decimal back to strings)."""
        return {f.name: (str(v) if isinstance(v := getattr(self, f.name), Decimal) else v)
                for f in dataclasses.fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class PortfolioStats(_Row):
    """Portfolio statistics with backtesting.py 0.6.6's definitions (``*_pct`` are percents).
    Money (``equity_final``, ``equity_peak``, ``commissions``) is exact ``Decimal``; ratios,
    percents and durations are floats."""
    _decimals: ClassVar[FrozenSet[str]] = frozenset({"equity_final", "equity_peak", "commissions"})
    start: str
    end: str
    duration_secs: int
    exposure_time_pct: float
    equity_final: Decimal
    equity_peak: Decimal
    commissions: Decimal
    return_pct: float
    buy_and_hold_return_pct: Optional[float]
    return_ann_pct: Optional[float]
    volatility_ann_pct: Optional[float]
    cagr_pct: Optional[float]
    sharpe_ratio: Optional[float]
    sortino_ratio: Optional[float]
    calmar_ratio: Optional[float]
    alpha_pct: Optional[float]
    beta: Optional[float]
    max_drawdown_pct: float
    avg_drawdown_pct: Optional[float]
    max_drawdown_duration_secs: Optional[float]
    avg_drawdown_duration_secs: Optional[float]
    trades: int
    win_rate_pct: Optional[float]
    best_trade_pct: Optional[float]
    worst_trade_pct: Optional[float]
    avg_trade_pct: Optional[float]
    max_trade_duration_secs: Optional[float]
    avg_trade_duration_secs: Optional[float]
    profit_factor: Optional[float]
    expectancy_pct: Optional[float]
    sqn: Optional[float]
    kelly_criterion: Optional[float]
    periods_per_year: float


@dataclass(frozen=True)
class RankedStats(_Row):
    """The statistics a run gives without its equity curve (what ``sweep(stats="ranked")`` rows
    carry), each equal to the same :class:`PortfolioStats` field to the bit."""
    _decimals: ClassVar[FrozenSet[str]] = frozenset({"equity_final", "commissions"})
    start: str
    end: str
    duration_secs: int
    equity_final: Decimal
    commissions: Decimal
    return_pct: float
    cagr_pct: Optional[float]
    trades: int
    win_rate_pct: Optional[float]
    best_trade_pct: Optional[float]
    worst_trade_pct: Optional[float]
    avg_trade_pct: Optional[float]
    max_trade_duration_secs: Optional[float]
    avg_trade_duration_secs: Optional[float]
    profit_factor: Optional[float]
    expectancy_pct: Optional[float]
    sqn: Optional[float]
    kelly_criterion: Optional[float]


@dataclass(frozen=True)
class Trade(_Row):
    """A closed (or still open) trade; money and sizes are Decimal, ``return_pct`` a percent;
    ``stop_loss`` / ``take_profit`` the prices of its entry's bracket (None without one)."""
    instrument: str
    side: str
    size: Decimal
    entry_bar: int
    exit_bar: int
    entry_price: Decimal
    exit_price: Optional[Decimal]
    pnl: Decimal
    commission: Decimal
    return_pct: Optional[Decimal]
    stop_loss: Optional[Decimal]
    take_profit: Optional[Decimal]
    entry_time: str
    exit_time: Optional[str]
    duration_secs: int
    open: bool
    tag: str
    _decimals: ClassVar[FrozenSet[str]] = frozenset({"size", "entry_price", "exit_price", "pnl", "commission", "return_pct",
                                                     "stop_loss", "take_profit"})


@dataclass(frozen=True)
class EquityPoint(_Row):
    """One point of the equity curve (drawdown as a percent below the peak)."""
    time: str
    equity: float
    drawdown_pct: float
    drawdown_duration_secs: float


@dataclass(frozen=True)
class RunStats(_Row):
    """Counters of the run."""
    market_events: int
    account_events: int
    orders_sent: int
    cancels_sent: int
    orders_refused: int
    fills: int


@dataclass(frozen=True)
class TradingSummary(_Row):
    """barter's ``TradingSummary`` shape: tear sheets per instrument and asset (as dicts), and the
    portfolio statistics."""
    schema_version: int
    time_engine_start: str
    time_engine_end: str
    trading_duration_secs: int
    interval: Any
    interval_label: str
    risk_free_return: Decimal
    instruments: Dict[str, Any]
    assets: Dict[str, Any]
    portfolio: Optional[PortfolioStats]
    _decimals: ClassVar[FrozenSet[str]] = frozenset({"risk_free_return"})

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "TradingSummary":
        s = super().from_dict(d)
        p = d.get("portfolio")
        return dataclasses.replace(s, portfolio=None if p is None else PortfolioStats.from_dict(p))

    def to_dict(self) -> Dict[str, Any]:
        out = super().to_dict()
        out["portfolio"] = None if self.portfolio is None else self.portfolio.to_dict()
        return out


def _duration(secs: Any) -> str:
    if secs is None:
        return "NaN"
    secs = int(round(float(secs)))
    days, rest = divmod(secs, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{days} days {h:02d}:{m:02d}:{s:02d}"


_DURATIONS = {"Duration", "Max. Drawdown Duration", "Avg. Drawdown Duration", "Max. Trade Duration", "Avg. Trade Duration"}


def _cell(key: str, v: Any) -> str:
    if key in _DURATIONS:
        return _duration(v)
    if v is None:
        return "NaN"
    if isinstance(v, bool) or isinstance(v, str):
        return str(v)
    if isinstance(v, int):
        return str(v)
    return f"{v:.6f}"


#: backtesting.py's order of its statistics.
STATS_ORDER = ("Start", "End", "Duration", "Exposure Time [%]", "Equity Final [$]", "Equity Peak [$]", "Commissions [$]",
               "Return [%]", "Buy & Hold Return [%]", "Return (Ann.) [%]", "Volatility (Ann.) [%]", "CAGR [%]",
               "Sharpe Ratio", "Sortino Ratio", "Calmar Ratio", "Alpha [%]", "Beta", "Max. Drawdown [%]",
               "Avg. Drawdown [%]", "Max. Drawdown Duration", "Avg. Drawdown Duration", "# Trades", "Win Rate [%]",
               "Best Trade [%]", "Worst Trade [%]", "Avg. Trade [%]", "Max. Trade Duration", "Avg. Trade Duration",
               "Profit Factor", "Expectancy [%]", "SQN", "Kelly Criterion")


def _ordered(stats: Dict[str, Any]):
    known = [(k, stats[k]) for k in STATS_ORDER if k in stats]
    return known + [(k, v) for k, v in stats.items() if k not in STATS_ORDER]


class Report:
    """A backtest or live-system report.

    Attributes: ``summary`` (:class:`TradingSummary`), ``trades`` and ``open_trades``
    (:class:`Trade` lists), ``equity_curve`` (:class:`EquityPoint` list), ``run_stats``
    (:class:`RunStats`), ``backtesting_py`` (``{"stats": {...}, "trades": [...]}`` under
    backtesting.py's own keys). Built from the engine's report dict, or from the JS report object,
    in which case each part crosses into Python when first read (a backtest's equity curve is not
    copied unless it is used).
    """

    def __init__(self, data: Any) -> None:
        self._data: Optional[Dict[str, Any]] = data if isinstance(data, dict) else None
        self._js = None if isinstance(data, dict) else data

    @cached_property
    def summary(self) -> TradingSummary:
        """The trading summary (portfolio statistics and tear sheets), built on first use: a
        caller reading only ``stats`` never pays for the tear sheets' Decimals."""
        return TradingSummary.from_dict(self._part("summary"))

    def _part(self, name: str) -> Any:
        if self._data is not None:
            return self._data.get(name)
        from ._js import from_js_value
        return from_js_value(getattr(self._js, name))

    @cached_property
    def trades(self) -> List[Trade]:
        """Closed trades."""
        return [Trade.from_dict(t) for t in self._part("trades") or []]

    @cached_property
    def open_trades(self) -> List[Trade]:
        """Trades still open at the end (marked to the last price)."""
        return [Trade.from_dict(t) for t in self._part("open_trades") or []]

    @cached_property
    def equity_curve(self) -> List[EquityPoint]:
        """The equity curve (one point per bar, or per sampling window)."""
        if self._data is not None:
            return [EquityPoint.from_dict(p) for p in self._data.get("equity_curve") or []]
        # As columns: the S&P 500's 5,031 points in 8 ms, where their JSON text and a dict per
        # point took 23 ms (most of what is left: a dataclass per point).
        from ._js import curve_columns
        columns = curve_columns(self._js, [n for n in EquityPoint._fields() if n != "time"], "time")
        return list(map(EquityPoint, *(columns[n] for n in EquityPoint._fields())))

    @cached_property
    def run_stats(self) -> RunStats:
        """Counters of the run (events, orders, fills)."""
        return RunStats.from_dict(self._part("stats") or {})

    @cached_property
    def backtesting_py(self) -> Dict[str, Any]:
        """backtesting.py's view: ``{"stats": {...}, "trades": [...]}`` under its own keys."""
        return self._part("backtesting_py") or {"stats": {}, "trades": []}

    @property
    def portfolio(self) -> Optional[PortfolioStats]:
        """The portfolio statistics (``summary.portfolio``)."""
        return self.summary.portfolio

    @cached_property
    def stats(self) -> Dict[str, Any]:
        """backtesting.py's statistics under its own keys (``"Equity Final [$]"``, ``"# Trades"``...)."""
        if self._data is None and "backtesting_py" not in self.__dict__:
            from ._js import from_js_value
            return from_js_value(self._js.backtesting_py.stats) or {}
        return self.backtesting_py.get("stats", {})

    def to_dict(self) -> Dict[str, Any]:
        """The report as the engine wrote it (JSON types)."""
        if self._data is None:
            from ._js import from_js_value
            self._data = from_js_value(self._js)
            self._js = None
        return self._data

    def to_json(self, indent: Optional[int] = None) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), indent=indent)

    def table(self) -> str:
        """The statistics as a text table (backtesting.py's keys, the engine table's layout)."""
        p = self.summary
        days = p.trading_duration_secs // 86400
        lines = [f"TRADING SUMMARY (Trading Duration: ~{days} Days)", "",
                 "Portfolio: the equity curve, every asset valued in the valuation asset (backtesting.py's statistics)"]
        for k, v in _ordered(self.stats):
            lines.append(f"{k:<26}{_cell(k, v):>24}")
        if self.trades or self.open_trades:
            lines += ["", f"Trades: {len(self.trades)} closed, {len(self.open_trades)} open"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        p = self.portfolio
        if p is None:
            return f"<Report {len(self.trades)} trades>"
        return f"<Report {p.start}..{p.end}: {p.trades} trades, equity {p.equity_final:.2f}, return {p.return_pct:.2f}%>"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_cell(k, v))}</td></tr>"
                       for k, v in _ordered(self.stats))
        return f"<table class='tidemark-report'><caption>Tidemark report</caption>{rows}</table>"

    def to_pandas(self) -> Dict[str, Any]:
        """``{"stats": Series, "equity_curve": DataFrame, "trades": DataFrame}`` (needs pandas)."""
        try:
            import pandas as pd  # type: ignore[import-not-found]
        except ImportError as e:
            raise ImportError("to_pandas() needs pandas (not installed in this interpreter)") from e
        eq = pd.DataFrame([p.to_dict() for p in self.equity_curve])
        if not eq.empty:
            eq["time"] = pd.to_datetime(eq["time"])
            eq = eq.set_index("time")
        return {"stats": pd.Series(self.stats), "equity_curve": eq,
                "trades": pd.DataFrame([t.to_dict() for t in self.trades])}
