"""The binding to the JS API object (registered by ``js/pyodide.mjs`` as ``_tidemark_js``).

Everything crosses as JSON text or plain numbers: a Python structure becomes one JS value in one
crossing (``to_js_value``), a JS result comes back as JSON (``from_js_value``), and an equity
curve as columns (``curve_columns``). JS errors become the typed :mod:`tidemark.errors`
exceptions.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Dict, Iterator, List

from .errors import InternalError, from_info

try:  # Pyodide
    import _tidemark_bridge as bridge  # type: ignore[import-not-found]
    import _tidemark_js as api  # type: ignore[import-not-found]
    from pyodide.ffi import JsException, JsProxy, create_proxy, to_js  # type: ignore[import-not-found]
except ImportError as e:  # pragma: no cover - outside Pyodide
    raise ImportError(
        "tidemark runs inside Pyodide with the engine's JS API registered: load it with "
        "`loadTidemarkPython()` from 'tidemark/pyodide' (or `npx tidemark python SCRIPT.py`)") from e

__all__ = ["api", "bridge", "create_proxy", "dumps", "js_bytes", "to_js_value", "from_js_value", "curve_columns", "js_errors", "proxies"]


def _default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)
    to_dict = getattr(o, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not JSON-serialisable")


def dumps(value: Any) -> str:
    """JSON text of a Python value (Decimals as strings, dataclasses through ``to_dict``)."""
    return json.dumps(value, default=_default, separators=(",", ":"), allow_nan=False)


def to_js_value(value: Any) -> Any:
    """A Python structure as a JS value, in one crossing."""
    return bridge.parse(dumps(value))


def js_bytes(data: bytes) -> Any:
    """Bytes as a JS ``Uint8Array`` (one copy). Text data crosses this way as UTF-8: cheaper than
    a Python ``str`` becoming a JS string that the JS API then encodes to UTF-8 again."""
    return to_js(data)


def js_object(fields: Dict[str, Any]) -> Any:
    """A JS object of these fields: plain values cross as one JSON value, JS values (proxies,
    functions, JS objects) are set on it as they are. (Not ``to_js(..., dict_converter=
    Object.fromEntries)``: ``from js import Object`` breaks when the working directory has a
    ``js/`` folder, which then shadows Pyodide's ``js`` module.)"""
    plain = {k: v for k, v in fields.items() if isinstance(v, (str, int, float, bool, list, dict)) or v is None}
    obj = to_js_value(plain)
    for k, v in fields.items():
        if k not in plain:
            setattr(obj, k, v)
    return obj


def from_js_value(value: Any) -> Any:
    """A JS value as a Python structure (dicts, lists, str, int/float, None)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if type(value).__name__ == "JsNull":
        return None
    text = bridge.stringify(value)
    return None if text is None else json.loads(text)


def curve_columns(report: Any, numbers: List[str], text: str) -> Dict[str, list]:
    """A JS report's equity curve as Python columns (``bridge.curveColumns``): a list of floats
    for each name of ``numbers``, each crossing as one buffer, and the strings under ``text``
    (the times), not a JSON text of every point."""
    columns = bridge.curveColumns(report)
    out: Dict[str, list] = {name: getattr(columns, name).to_py().tolist() for name in numbers}
    joined = getattr(columns, text)
    out[text] = joined.split("\n") if joined else []
    return out


def convert(e: BaseException) -> BaseException:
    """A JS exception as the typed Python exception; anything else unchanged."""
    if isinstance(e, JsException):
        js = getattr(e, "js_error", e)
        try:
            return from_info(bridge.errorInfo(js))
        except Exception:  # pragma: no cover - an unreadable error
            return InternalError(str(e), recoverable=False)
    return e


@contextmanager
def js_errors() -> Iterator[None]:
    """Re-raises JS exceptions inside the block as typed :class:`TidemarkError` subclasses."""
    try:
        yield
    except JsException as e:
        raise convert(e) from None


class proxies:
    """Keeps the Python callables handed to JS alive for a call, and destroys them after it."""

    def __init__(self) -> None:
        self._made: list = []

    def __call__(self, fn: Any) -> Any:
        p = create_proxy(fn)
        self._made.append(p)
        return p

    def destroy(self) -> None:
        for p in self._made:
            try:
                p.destroy()
            except Exception:  # already destroyed
                pass
        self._made.clear()

    def __enter__(self) -> "proxies":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.destroy()

