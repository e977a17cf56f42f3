"""Engine log records → Python's :mod:`logging` (logger ``"tidemark"``).

Each record (fills, refusals, rejections, trading state, disconnects; ``debug`` adds every order
sent) is logged with its plain-text message; the structured record rides on the log record as
``record.tidemark`` (``kind``, ``fields``, ``count``, ``time``, ``sequence``).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Optional

__all__ = ["LOGGER_NAME", "logger", "LEVELS", "check_level"]

LOGGER_NAME = "tidemark"
#: The engine's logger.
logger = logging.getLogger(LOGGER_NAME)

#: Engine level names → logging levels.
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
_ALIASES = {"warning": "warn", "critical": "error"}


def check_level(level: Any) -> str:
    """The engine's name of a level (``"debug"``, ``"info"``, ``"warn"``, ``"error"``, ``"off"``)."""
    if isinstance(level, int) and not isinstance(level, bool):
        for name, value in sorted(LEVELS.items(), key=lambda kv: kv[1]):
            if level <= value:
                return name
        return "error"
    if isinstance(level, str):
        name = _ALIASES.get(level.lower(), level.lower())
        if name in LEVELS or name == "off":
            return name
    from .errors import InvalidArgumentError
    raise InvalidArgumentError(f"log_level: expected one of debug, info, warn, error, off (or a logging level), got {level!r}",
                               details={"field": "log_level"})


def sink(level: str, record_json: str) -> None:
    """Called by the JS bridge with each record."""
    record = json.loads(record_json)
    logger.log(LEVELS.get(level, logging.WARNING), "%s", record.get("message", ""), extra={"tidemark": record})


_js_logger: Any = None


def js_logger(level: Optional[str]) -> Any:
    """The JS logger object for the API's ``logger`` option (None when logging is off). One for
    the process: ``sink`` is a module function that lives as long as the module, so its proxy is
    made once instead of being made and destroyed around every call."""
    global _js_logger
    if level == "off":
        return None
    if _js_logger is None:
        from ._js import bridge, create_proxy
        _js_logger = bridge.logger(create_proxy(sink))
    return _js_logger
