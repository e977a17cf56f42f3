"""Configs as dataclasses: barter's ``SystemConfig`` (with Tidemark's extensions) and the quick
``{cash, commission, strategy}`` config.

``SystemConfig.from_dict`` reads barter's files unchanged (flat, or nested under ``system``);
``to_dict``/``to_json`` write them back (fields left at None are left out). The engine validates
the values: :func:`parse_config` returns its normalised form, or raises :class:`ConfigError`
naming the JSON path. Field names and required keys are checked against the shipped JSON Schema
(``schema/config.schema.json``) by ``tests/python/test_schema.py``.

Decimals (prices, cash, fees) may be given as ``str``, ``int``, ``float`` or ``Decimal``; they are
kept as given and written as JSON numbers (``Decimal`` as a string, exactly).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, Optional, Union

from .errors import ConfigError

__all__ = [
    "DecimalLike", "Underlying", "InstrumentConfig", "Balance", "InitialBalance", "InitialState",
    "FillModel", "ExecutionConfig", "EngineOptions", "RiskConfig", "SystemConfig", "QuickConfig",
    "Config", "load_config", "config_json", "parse_config",
]

#: A decimal as the config takes it.
DecimalLike = Union[str, int, float, Decimal]


class _Model:
    """from_dict / to_dict / JSON for the config dataclasses."""

    #: field name → dataclass of a nested object
    _nested: ClassVar[Dict[str, type]] = {}
    #: field name → dataclass of each element of a nested list
    _lists: ClassVar[Dict[str, type]] = {}

    @classmethod
    def from_dict(cls, data: Any, path: str = ""):
        """Builds the dataclass from a dict; unknown or missing keys raise ConfigError naming the path."""
        where = path or "config"
        if isinstance(data, cls):
            return data
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: expected an object, got {type(data).__name__}", details={"path": path})
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for key in data:
            if key not in fields:
                raise ConfigError(f"{_join(path, key)}: unknown field (expected one of {', '.join(fields)})",
                                  details={"path": _join(path, key)})
        kwargs = {}
        for name, f in fields.items():
            p = _join(path, name)
            if name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:  # type: ignore[misc]
                    raise ConfigError(f"{p}: missing field", details={"path": p})
                continue
            v = data[name]
            if name in cls._nested and v is not None:
                v = cls._nested[name].from_dict(v, p)
            elif name in cls._lists and v is not None:
                if not isinstance(v, list):
                    raise ConfigError(f"{p}: expected a list, got {type(v).__name__}", details={"path": p})
                v = [cls._lists[name].from_dict(x, f"{p}[{i}]") for i, x in enumerate(v)]
            kwargs[name] = v
        return cls(**kwargs)

    def to_dict(self) -> Dict[str, Any]:
        """A plain dict (JSON types); fields left at None are left out."""
        out: Dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if v is None:
                continue
            out[f.name] = _plain(v)
        return out

    def to_json(self, indent: Optional[int] = None) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), indent=indent, default=str)

    @classmethod
    def from_json(cls, text: str):
        """Builds the dataclass from JSON text (a bad JSON is a ConfigError)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"config: not JSON: {e}", details={"path": ""}) from None
        return cls.from_dict(data)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _plain(v: Any) -> Any:
    if isinstance(v, _Model):
        return v.to_dict()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


@dataclass
class Underlying(_Model):
    """An instrument's base and quote asset names."""
    base: str
    quote: str


@dataclass
class InstrumentConfig(_Model):
    """barter's ``InstrumentConfig``: venue, symbol, underlying, quote side, kind, optional spec."""
    exchange: str
    name_exchange: str
    underlying: Underlying
    quote: str
    kind: Any
    spec: Optional[Dict[str, Any]] = None
    _nested: ClassVar[Dict[str, type]] = {"underlying": Underlying}


@dataclass
class Balance(_Model):
    """An asset balance: ``total`` and the ``free`` part not reserved by open orders."""
    total: DecimalLike
    free: DecimalLike


@dataclass
class InitialBalance(_Model):
    """A starting balance of one asset."""
    asset: str
    balance: Balance
    time_exchange: str
    _nested: ClassVar[Dict[str, type]] = {"balance": Balance}


@dataclass
class InitialState(_Model):
    """A simulated exchange's balances and orders at the start."""
    exchange: str
    balances: List[InitialBalance]
    instruments: Optional[List[Dict[str, Any]]] = None
    _lists: ClassVar[Dict[str, type]] = {"balances": InitialBalance}


@dataclass
class FillModel(_Model):
    """Extension: fill model (``simulated`` or ``barter_mock``), limit rule, volume cap."""
    model: Optional[str] = None
    limit_fill: Optional[str] = None
    volume_participation: Optional[DecimalLike] = None


@dataclass
class ExecutionConfig(_Model):
    """One simulated exchange (barter's ``MockExecutionConfig`` plus fees, latency, slippage, fills)."""
    mocked_exchange: str
    latency_ms: int
    fees_percent: DecimalLike
    initial_state: InitialState
    maker_fees_percent: Optional[DecimalLike] = None
    taker_fees_percent: Optional[DecimalLike] = None
    response_latency_ms: Optional[int] = None
    slippage_bps: Optional[DecimalLike] = None
    fill: Optional[FillModel] = None
    _nested: ClassVar[Dict[str, type]] = {"initial_state": InitialState, "fill": FillModel}


@dataclass
class EngineOptions(_Model):
    """Engine options (all optional): trading state, audit, time tolerance, closing at the end, ..."""
    trading_state: Optional[str] = None
    audit: Optional[bool] = None
    time_tolerance_ms: Optional[int] = None
    close_positions_at_end: Optional[Union[bool, str]] = None
    summary_interval: Optional[Union[str, Dict[str, int]]] = None
    valuation_asset: Optional[str] = None
    benchmark_instrument: Optional[str] = None
    equity_sample_ms: Optional[int] = None


@dataclass
class RiskConfig(_Model):
    """Risk knobs (all optional); money in the instrument's quote asset, fractions as 0.05 = 5 %."""
    max_order_notional: Optional[DecimalLike] = None
    max_order_quantity: Optional[DecimalLike] = None
    max_position_notional: Optional[DecimalLike] = None
    max_gross_exposure: Optional[DecimalLike] = None
    max_open_orders_per_instrument: Optional[int] = None
    max_price_deviation: Optional[DecimalLike] = None
    long_only: Optional[bool] = None
    max_drawdown: Optional[DecimalLike] = None


@dataclass
class SystemConfig(_Model):
    """barter's ``SystemConfig`` with Tidemark's extensions (``engine``, ``risk``, ``strategy``).

    ``strategy`` is a built-in strategy as a dict: ``{"type": "sma_cross", "fast": 10, "slow": 20}``.
    """
    instruments: List[InstrumentConfig]
    executions: List[ExecutionConfig]
    engine: Optional[EngineOptions] = None
    risk: Optional[RiskConfig] = None
    risk_free_return: Optional[DecimalLike] = None
    strategy: Optional[Dict[str, Any]] = None
    _lists: ClassVar[Dict[str, type]] = {"instruments": InstrumentConfig, "executions": ExecutionConfig}
    _nested: ClassVar[Dict[str, type]] = {"engine": EngineOptions, "risk": RiskConfig}

    @classmethod
    def from_dict(cls, data: Any, path: str = ""):
        """Also reads barter's nested form (``{"system": {instruments, executions}, ...}``)."""
        if isinstance(data, dict) and "system" in data:
            rest = {k: v for k, v in data.items() if k != "system"}
            system = data["system"]
            if not isinstance(system, dict):
                raise ConfigError("system: expected an object", details={"path": "system"})
            unknown = set(system) - {"instruments", "executions"}
            if unknown:
                k = sorted(unknown)[0]
                raise ConfigError(f"system.{k}: unknown field", details={"path": f"system.{k}"})
            missing = {"instruments", "executions"} - set(system)
            if missing:
                k = sorted(missing)[0]
                raise ConfigError(f"system.{k}: missing field", details={"path": f"system.{k}"})
            return super().from_dict({**system, **rest}, path)
        return super().from_dict(data, path)


@dataclass
class QuickConfig(_Model):
    """The quick config: ``cash`` in ``quote`` (default ``usd``), ``commission`` as a fraction of
    notional, a built-in ``strategy`` dict, on one instrument named ``symbol`` (default ``ASSET``)."""
    cash: DecimalLike
    commission: Optional[DecimalLike] = None
    strategy: Optional[Dict[str, Any]] = None
    symbol: Optional[str] = None
    quote: Optional[str] = None
    risk_free_return: Optional[DecimalLike] = None
    engine: Optional[EngineOptions] = None
    risk: Optional[RiskConfig] = None
    _nested: ClassVar[Dict[str, type]] = {"engine": EngineOptions, "risk": RiskConfig}


#: Any config the engine takes.
Config = Union[SystemConfig, QuickConfig]


def load_config(source: Any) -> Config:
    """A config from a dict, JSON text, a path to a JSON file, or a config dataclass."""
    if isinstance(source, (SystemConfig, QuickConfig)):
        return source
    if isinstance(source, str):
        text = source
        if not source.lstrip().startswith("{"):
            try:
                with open(source, encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                raise ConfigError(f"config: cannot read {source!r}: {e}", details={"path": ""}) from None
        try:
            source = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"config: not JSON: {e}", details={"path": ""}) from None
    if not isinstance(source, dict):
        raise ConfigError(f"config: expected a dict, JSON text or a config dataclass, got {type(source).__name__}",
                          details={"path": ""})
    if "cash" in source:
        return QuickConfig.from_dict(source)
    return SystemConfig.from_dict(source)


def config_json(config: Any) -> str:
    """The JSON text handed to the engine (dicts and JSON text pass through as they are)."""
    if isinstance(config, _Model):
        return config.to_json()
    if isinstance(config, dict):
        return json.dumps(_plain(config), default=str)
    if isinstance(config, str):
        if config.lstrip().startswith("{"):
            return config
        return load_config(config).to_json()
    raise ConfigError(f"config: expected a dict, JSON text, a path or a config dataclass, got {type(config).__name__}",
                      details={"path": ""})


def parse_config(config: Any) -> Dict[str, Any]:
    """Validates a config in the engine and returns its normalised form (ConfigError naming the path)."""
    from ._js import api, from_js_value, js_errors
    with js_errors():
        return from_js_value(api.parseConfig(config_json(config)))
