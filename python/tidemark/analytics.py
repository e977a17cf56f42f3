"""Analytics helpers on plain sequences, computed by the engine's own metrics (the JS API's
``analytics`` export: the same Rust code the summaries use).

Inputs are numbers, ``Decimal`` or decimal strings; results are ``Decimal`` (exact, as the
engine computes them), or None where the value is undefined (e.g. zero dispersion). ``period``
is the interval the inputs are measured over and ``target_interval`` the one the result is
expressed per: ``"daily"``, ``"annual252"``, ``"annual365"`` or a number of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Dict, Optional, Sequence, Union

__all__ = ["sharpe_ratio", "sortino_ratio", "calmar_ratio", "rate_of_return", "rescale_ratio",
           "profit_factor", "win_rate", "welford", "drawdowns", "trade_quality", "Drawdown", "Drawdowns"]

Number = Union[int, float, str, Decimal]
Interval = Union[str, int]


def _dec(x: Any) -> Optional[Decimal]:
    return None if x is None else Decimal(x)


def _num(x: Any, field: str) -> Union[str, int, float]:
    from .events import decimal
    return decimal(x, field)


def _call(name: str, args: Dict[str, Any]) -> Dict[str, Any]:
    from ._js import api, from_js_value, js_errors, to_js_value
    clean = {k: v for k, v in args.items() if v is not None}
    with js_errors():
        return from_js_value(getattr(api.analytics, name)(to_js_value(clean)))


def _seq(values: Optional[Sequence[Number]], field: str):
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        from .errors import InvalidArgumentError
        raise InvalidArgumentError(f"{field}: expected a sequence of numbers", details={"field": field})
    return [_num(v, f"{field}[{i}]") for i, v in enumerate(values)]


def _ratio(name: str, returns, mean, dispersion, risk_free, period, target_interval) -> Optional[Decimal]:
    r = _call(name, {"returns": _seq(returns, "returns"), "mean": None if mean is None else _num(mean, "mean"),
                     "dispersion": None if dispersion is None else _num(dispersion, "dispersion"),
                     "risk_free": _num(risk_free, "risk_free"), "period": period, "interval": target_interval})
    return _dec(r.get("value"))


def sharpe_ratio(returns: Optional[Sequence[Number]] = None, *, mean: Optional[Number] = None,
                 std_dev: Optional[Number] = None, risk_free: Number = 0, period: Interval = "daily",
                 target_interval: Optional[Interval] = None) -> Optional[Decimal]:
    """(mean − risk_free) / std_dev of ``returns`` (population std), scaled by √(target/period)."""
    return _ratio("sharpe", returns, mean, std_dev, risk_free, period, target_interval)


def sortino_ratio(returns: Optional[Sequence[Number]] = None, *, mean: Optional[Number] = None,
                  downside_dev: Optional[Number] = None, risk_free: Number = 0, period: Interval = "daily",
                  target_interval: Optional[Interval] = None) -> Optional[Decimal]:
    """(mean − risk_free) / downside deviation, scaled by √(target/period); None when undefined."""
    return _ratio("sortino", returns, mean, downside_dev, risk_free, period, target_interval)


def calmar_ratio(*, mean: Number, max_drawdown: Number, risk_free: Number = 0, period: Interval = "daily",
                 target_interval: Optional[Interval] = None) -> Optional[Decimal]:
    """(mean − risk_free) / |max_drawdown|, scaled by √(target/period)."""
    return _ratio("calmar", None, mean, max_drawdown, risk_free, period, target_interval)


def rate_of_return(returns: Optional[Sequence[Number]] = None, *, mean: Optional[Number] = None,
                   period: Interval = "daily", target_interval: Optional[Interval] = None) -> Optional[Decimal]:
    """The mean return scaled linearly from ``period`` to ``target_interval``."""
    r = _call("rateOfReturn", {"returns": _seq(returns, "returns"), "mean": None if mean is None else _num(mean, "mean"),
                               "period": period, "interval": target_interval})
    return _dec(r.get("value"))


def rescale_ratio(value: Number, *, period: Interval = "daily", target_interval: Interval = "annual252") -> Optional[Decimal]:
    """A ratio rescaled from ``period`` to ``target_interval`` (× √(target/period))."""
    return _dec(_call("rescaleRatio", {"value": _num(value, "value"), "from": period, "to": target_interval}).get("value"))


def profit_factor(pnls: Sequence[Number]) -> Optional[Decimal]:
    """Gross profit / gross loss of the PnLs; ``Decimal('Infinity')`` with no losses, None with neither."""
    v = _call("profitFactor", {"pnls": _seq(pnls, "pnls")}).get("value")
    if v is None:
        return None
    if v == "Infinite":
        return Decimal("Infinity")
    return Decimal(v["Finite"])


def win_rate(pnls: Sequence[Number]) -> Optional[Decimal]:
    """The share (0..1) of PnLs above zero; None for no PnLs."""
    return _dec(_call("winRate", {"pnls": _seq(pnls, "pnls")}).get("value"))


def welford(values: Sequence[Number]) -> Dict[str, Any]:
    """Count, sum, mean, population/sample variance and population std dev (Decimal; None if undefined)."""
    r = _call("welford", {"values": _seq(values, "values")})
    return {k: (v if k == "count" else _dec(v)) for k, v in r.items()}


def trade_quality(pnls: Sequence[Number]) -> Dict[str, Optional[float]]:
    """``{"sqn": ..., "kelly": ...}`` of trade PnLs (floats, as backtesting.py computes them)."""
    return _call("tradeQuality", {"pnls": _seq(pnls, "pnls")})


@dataclass(frozen=True)
class Drawdown:
    """A drawdown: ``value`` as a fraction below the peak, ``amount`` in money, and its span."""
    value: Optional[Decimal]
    amount: Decimal
    time_start: str
    time_end: str


@dataclass(frozen=True)
class Drawdowns:
    """The max drawdown, the mean (value, duration in ms, count) and the current unfinished one."""
    max: Optional[Drawdown]
    mean: Optional[Decimal]
    mean_duration_ms: Optional[Decimal]
    count: int
    current: Optional[Drawdown]


def _dd(d: Any) -> Optional[Drawdown]:
    if d is None:
        return None
    return Drawdown(_dec(d.get("value")), Decimal(d["amount"]), d["time_start"], d["time_end"])


def drawdowns(values: Sequence[Number], times: Optional[Sequence[Union[int, str]]] = None) -> Drawdowns:
    """Drawdowns of a value path (equity or balances); ``times`` as ms since the epoch or RFC 3339."""
    r = _call("drawdowns", {"values": _seq(values, "values"), "times": None if times is None else list(times)})
    mean = r.get("mean") or {}
    return Drawdowns(_dd(r.get("max")), _dec(mean.get("mean_drawdown")), _dec(mean.get("mean_drawdown_ms")),
                     int(mean.get("count") or 0), _dd(r.get("current")))
