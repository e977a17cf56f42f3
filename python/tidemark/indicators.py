"""The engine's indicator library over whole series (charts, analysis, notebooks): the same code
the strategies' streaming indicators run, computed in wasm, so values equal the JS API's
``indicators`` and TA-Lib's within 1e-9. Lists in, lists out (as long as the input), ``None``
while warming up.

    closes = [bar.close for bar in bars]
    tidemark.indicators.sma(closes, 10)
    tidemark.indicators.macd(closes, (12, 26, 9))     # {"macd": [...], "signal": [...], "histogram": [...]}
    tidemark.indicators.atr(highs, lows, closes, 14)
"""
from __future__ import annotations

from numbers import Real
from typing import Any, Dict, List, Optional, Sequence

from . import _js
from .errors import InvalidArgumentError

__all__ = ["sma", "ema", "wma", "rsi", "roc", "highest", "lowest", "stddev", "macd", "bollinger", "atr",
           "crossover", "crossunder"]

Series = List[Optional[float]]


def _bad(field: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"{field}: {message}", details={"field": field})


def _values(values: Any, name: str) -> List[float]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise _bad(name, "expected a sequence of numbers")
    out = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, Real):
            raise _bad(f"{name}[{i}]", f"expected a number, got {type(v).__name__}")
        out.append(float(v))
    return out


def _call(name: str, *args: Any) -> Any:
    with _js.js_errors():
        return _js.from_js_value(getattr(_js.api.indicators, name)(*[_js.to_js_value(a) for a in args]))


def _single(name: str, values: Sequence[float], period: int) -> Series:
    return _call(name, _values(values, "values"), period)


def sma(values: Sequence[float], period: int) -> Series:
    """Simple moving average (TA-Lib SMA)."""
    return _single("sma", values, period)


def ema(values: Sequence[float], period: int) -> Series:
    """Exponential moving average seeded with the SMA of the first ``period`` values (TA-Lib EMA)."""
    return _single("ema", values, period)


def wma(values: Sequence[float], period: int) -> Series:
    """Linearly weighted moving average (TA-Lib WMA)."""
    return _single("wma", values, period)


def rsi(values: Sequence[float], period: int = 14) -> Series:
    """Wilder's RSI (TA-Lib RSI; a completely flat window gives 50)."""
    return _single("rsi", values, period)


def roc(values: Sequence[float], period: int) -> Series:
    """Rate of change in percent over ``period`` values (TA-Lib ROC)."""
    return _single("roc", values, period)


def highest(values: Sequence[float], period: int) -> Series:
    """Highest value of the last ``period`` (TA-Lib MAX)."""
    return _single("highest", values, period)


def lowest(values: Sequence[float], period: int) -> Series:
    """Lowest value of the last ``period`` (TA-Lib MIN)."""
    return _single("lowest", values, period)


def stddev(values: Sequence[float], period: int, k: float = 1.0) -> Series:
    """Population standard deviation over ``period`` values, times ``k`` (TA-Lib STDDEV)."""
    return _call("stddev", _values(values, "values"), {"period": period, "k": k})


def macd(values: Sequence[float], periods: Sequence[int] = (12, 26, 9)) -> Dict[str, Series]:
    """MACD (TA-Lib MACD): ``{"macd", "signal", "histogram"}``, all None until the signal is ready."""
    return _call("macd", _values(values, "values"), list(periods))


def bollinger(values: Sequence[float], period: int = 20, k: float = 2.0) -> Dict[str, Series]:
    """Bollinger bands on an SMA middle band (TA-Lib BBANDS): ``{"upper", "middle", "lower"}``."""
    return _call("bollinger", _values(values, "values"), {"period": period, "k": k})


def atr(high: Sequence[float], low: Sequence[float], close: Sequence[float], period: int = 14) -> Series:
    """Average true range, Wilder-smoothed and seeded with an SMA (TA-Lib ATR)."""
    bars = {"high": _values(high, "high"), "low": _values(low, "low"), "close": _values(close, "close")}
    return _call("atr", bars, period)


def _optional(values: Any, name: str) -> List[Optional[float]]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise _bad(name, "expected a sequence of numbers or None")
    out: List[Optional[float]] = []
    for i, v in enumerate(values):
        if v is not None and (isinstance(v, bool) or not isinstance(v, Real)):
            raise _bad(f"{name}[{i}]", f"expected a number or None, got {type(v).__name__}")
        out.append(None if v is None else float(v))
    return out


def crossover(a: Sequence[Optional[float]], b: Sequence[Optional[float]]) -> List[bool]:
    """True where ``a`` goes from strictly below ``b`` to strictly above it (backtesting.py's rule)."""
    return _call("crossover", _optional(a, "a"), _optional(b, "b"))


def crossunder(a: Sequence[Optional[float]], b: Sequence[Optional[float]]) -> List[bool]:
    """True where ``a`` goes from strictly above ``b`` to strictly below it."""
    return _call("crossunder", _optional(a, "a"), _optional(b, "b"))

