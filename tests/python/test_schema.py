"""The Python dataclasses against the JSON Schemas generated from Rust (schema/*.json): field names
and required keys, so Python, TypeScript and Rust cannot drift."""

import dataclasses
import json

import pytest

import tidemark
from tidemark import config, summary
from conftest import REPO

CONFIG = json.loads((REPO / "schema/config.schema.json").read_text())["$defs"]
REPORT_SCHEMA = json.loads((REPO / "schema/report.schema.json").read_text())
REPORT = REPORT_SCHEMA["$defs"]

PAIRS = [
    (config.SystemConfig, CONFIG["BarterConfig"]),
    (config.QuickConfig, CONFIG["QuickConfig"]),
    (config.InstrumentConfig, CONFIG["InstrumentConfig"]),
    (config.Underlying, CONFIG["Underlying"]),
    (config.ExecutionConfig, CONFIG["ExecutionConfig"]),
    (config.InitialState, CONFIG["InitialState"]),
    (config.InitialBalance, CONFIG["InitialBalance"]),
    (config.Balance, CONFIG["Balance"]),
    (config.FillModel, CONFIG["FillModel"]),
    (config.EngineOptions, CONFIG["EngineOptions"]),
    (config.RiskConfig, CONFIG["RiskConfig"]),
    (summary.PortfolioStats, REPORT["PortfolioStats"]),
    (summary.Trade, REPORT["TradeRecord"]),
    (summary.EquityPoint, REPORT["EquityCurvePoint"]),
    (summary.RunStats, REPORT["RunStats"]),
    (summary.TradingSummary, REPORT["TradingSummary"]),
]


def required_fields(cls):
    return {f.name for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


@pytest.mark.parametrize("cls,schema", PAIRS, ids=[c.__name__ for c, _ in PAIRS])
def test_fields_match_the_schema(cls, schema):
    fields = {f.name for f in dataclasses.fields(cls)}
    assert fields == set(schema["properties"])
    if cls.__module__.endswith("config"):
        # Config: a field is required in Python exactly when the schema requires it.
        assert required_fields(cls) == set(schema.get("required", []))
    else:
        # Report rows: every required key is a field.
        assert set(schema.get("required", [])) <= fields


def test_ranked_stats_are_the_engines_and_typed_as_the_full_ones():
    # The engine's list (Rust's RankedStats::NAMES through the JS API), each field typed as the
    # same PortfolioStats field (the schema's).
    ranked = {f.name: f.type for f in dataclasses.fields(summary.RankedStats)}
    assert list(ranked) == tidemark.ranked_statistics()
    full = {f.name: f.type for f in dataclasses.fields(summary.PortfolioStats)}
    assert {k: full[k] for k in ranked} == ranked
    assert summary.RankedStats._decimals == summary.PortfolioStats._decimals & set(ranked)


def test_report_keeps_every_top_level_key():
    assert set(REPORT_SCHEMA["required"]) == {"summary", "trades", "open_trades", "equity_curve", "stats", "backtesting_py"}


def test_decimal_fields_are_the_schemas_decimal_strings():
    trade = REPORT["TradeRecord"]["properties"]
    types = lambda v: v.get("type") if isinstance(v.get("type"), list) else [v.get("type")]  # noqa: E731
    decimals = {k for k, v in trade.items() if "string" in types(v) and "pattern" in v}
    assert decimals == set(summary.Trade._decimals)


@pytest.mark.parametrize("cls,schema", PAIRS[11:], ids=[c.__name__ for c, _ in PAIRS[11:]])
def test_nullable_report_fields_are_optional(cls, schema):
    for f in dataclasses.fields(cls):
        prop = schema["properties"][f.name]
        t = prop.get("type")
        nullable = (isinstance(t, list) and "null" in t) or any(x.get("type") == "null" for x in prop.get("anyOf", []))
        assert nullable == str(f.type).startswith("Optional"), f.name
