"""Exceptions: :class:`TidemarkError` and one subclass per engine error code.

The codes come from the Rust core (``ERROR_CODES`` of the JS API); ``tests/python/test_errors.py``
checks that every code has exactly one class here. Each class also derives from the built-in
exception a Python caller would expect (``ValueError`` for bad input, ``LookupError`` for unknown
names, ``RuntimeError`` for a stopped engine), so ``except ValueError`` works too.
"""

from __future__ import annotations

import json
from typing import Any, Optional

__all__ = [
    "TidemarkError", "ConfigError", "DecodeError", "InvalidEventError", "UnknownInstrumentError",
    "UnknownExchangeError", "UnknownAssetError", "TimeBackwardsError", "InvalidOrderError",
    "InvalidCommandError", "InvalidArgumentError", "EngineShutdownError", "StrategyError",
    "InternalError", "ERROR_CLASSES", "error_class",
]


class TidemarkError(Exception):
    """Every error the engine or this package raises.

    Attributes:
        code: the engine's stable error code (``"INVALID_CONFIG"``, ...).
        recoverable: False when the engine cannot go on (shut down, a failed strategy hook, an
            internal fault).
        details: the structured fields of the Rust error (``path``, ``field``, ``line``...), or None.
        applied: ``System.feed_from``: how many items were applied before the error.
    """

    code: str = ""

    def __init__(self, message: str, *, code: Optional[str] = None, recoverable: bool = True,
                 details: Any = None, applied: Optional[int] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.recoverable = recoverable
        self.details = details
        self.applied = applied

    @property
    def field(self) -> Optional[str]:
        """The config path, argument or field the error names, when it names one."""
        d = self.details
        if isinstance(d, dict):
            for k in ("path", "field", "argument"):
                if isinstance(d.get(k), str):
                    return d[k]
        # INVALID_ARGUMENT messages start with the argument's name: "data.close[3]: expected ..."
        head = self.message.split(": ", 2)
        if len(head) >= 2 and head[0] == self.code:
            head = head[1:]
        if len(head) >= 2 and " " not in head[0]:
            return head[0]
        return None

    def __reduce__(self):  # picklable like other exceptions
        return (_rebuild, (type(self).__name__, self.message, self.recoverable, self.details, self.applied))


def _rebuild(name, message, recoverable, details, applied):
    cls = globals()[name]
    return cls(message, recoverable=recoverable, details=details, applied=applied)


class ConfigError(TidemarkError, ValueError):
    """INVALID_CONFIG: the config is invalid; ``field`` is its JSON path (``executions[0].fees_percent``)."""
    code = "INVALID_CONFIG"


class DecodeError(TidemarkError, ValueError):
    """DECODE: data or an event could not be decoded; ``details`` has the line and column."""
    code = "DECODE"


class InvalidEventError(TidemarkError, ValueError):
    """INVALID_EVENT: an event is well-formed but not acceptable (e.g. a negative price)."""
    code = "INVALID_EVENT"


class UnknownInstrumentError(TidemarkError, LookupError):
    """UNKNOWN_INSTRUMENT: no such instrument in the config."""
    code = "UNKNOWN_INSTRUMENT"


class UnknownExchangeError(TidemarkError, LookupError):
    """UNKNOWN_EXCHANGE: no such exchange in the config."""
    code = "UNKNOWN_EXCHANGE"


class UnknownAssetError(TidemarkError, LookupError):
    """UNKNOWN_ASSET: no such asset in the config."""
    code = "UNKNOWN_ASSET"


class TimeBackwardsError(TidemarkError, ValueError):
    """TIME_BACKWARDS: an event is older than the engine's clock allows."""
    code = "TIME_BACKWARDS"


class InvalidOrderError(TidemarkError, ValueError):
    """INVALID_ORDER: a malformed order request (from a strategy hook or a command)."""
    code = "INVALID_ORDER"


class InvalidCommandError(TidemarkError, ValueError):
    """INVALID_COMMAND: a command the engine refuses."""
    code = "INVALID_COMMAND"


class InvalidArgumentError(TidemarkError, ValueError, TypeError):
    """INVALID_ARGUMENT: an argument of the wrong type or value; ``field`` names it."""
    code = "INVALID_ARGUMENT"


class EngineShutdownError(TidemarkError, RuntimeError):
    """ENGINE_SHUTDOWN: the system was shut down or aborted."""
    code = "ENGINE_SHUTDOWN"


class StrategyError(TidemarkError, RuntimeError):
    """STRATEGY: a strategy hook failed; ``__cause__`` is the Python exception it raised."""
    code = "STRATEGY"


class InternalError(TidemarkError, RuntimeError):
    """INTERNAL: the engine module failed and cannot be used any more."""
    code = "INTERNAL"


#: Error code → exception class.
ERROR_CLASSES = {c.code: c for c in (
    ConfigError, DecodeError, InvalidEventError, UnknownInstrumentError, UnknownExchangeError,
    UnknownAssetError, TimeBackwardsError, InvalidOrderError, InvalidCommandError,
    InvalidArgumentError, EngineShutdownError, StrategyError, InternalError)}


def error_class(code: str) -> type:
    """The exception class of an engine error code (``TidemarkError`` for an unknown one)."""
    return ERROR_CLASSES.get(code, TidemarkError)


def from_info(info_json: str) -> TidemarkError:
    """Builds the typed exception from the JS error's fields (JSON from the bridge)."""
    info = json.loads(info_json)
    code = info.get("code") if isinstance(info.get("code"), str) else None
    message = info.get("message") or ""
    if info.get("name") != "TidemarkError" or code is None:
        code = "INTERNAL"
        message = f"{info.get('name') or 'Error'}: {message}"
    cls = error_class(code)
    rec = info.get("recoverable")
    return cls(message, code=code, recoverable=True if rec is None else bool(rec),
               details=info.get("details"), applied=info.get("applied"))
