"""Config dataclasses: barter's files load unchanged, round-trip, and bad configs name the field."""

import json

import pytest

import tidemark
from tidemark import QuickConfig, SystemConfig
from conftest import REPO


def test_barter_system_config_loads_unchanged_and_round_trips():
    raw = json.loads((REPO / "data/barter/system_config.json").read_text())
    cfg = SystemConfig.from_dict(raw)
    assert isinstance(cfg.instruments[0], tidemark.InstrumentConfig)
    assert cfg.instruments[0].underlying.base == "btc"
    assert cfg.executions[0].initial_state.balances[0].balance.total == 10000
    assert cfg.to_dict() == raw
    assert json.loads(cfg.to_json()) == raw
    assert tidemark.parse_config(cfg) == tidemark.parse_config(raw)


def test_every_shipped_config_loads():
    for path in sorted((REPO / "data").rglob("*.json")):
        raw = json.loads(path.read_text())
        if not isinstance(raw, dict) or not ({"instruments", "system", "cash"} & set(raw)):
            continue
        cfg = tidemark.load_config(str(path))
        assert tidemark.parse_config(cfg) == tidemark.parse_config(raw), path


def test_nested_barter_form_is_read():
    raw = json.loads((REPO / "data/barter/system_config.json").read_text())
    nested = {"system": {"instruments": raw["instruments"], "executions": raw["executions"]},
              "risk_free_return": raw["risk_free_return"]}
    assert SystemConfig.from_dict(nested).to_dict() == raw


def test_quick_config():
    q = QuickConfig(cash=10_000, commission=0.002, strategy={"type": "sma_cross", "fast": 10, "slow": 20})
    assert q.to_dict() == {"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}}
    assert QuickConfig.from_json(q.to_json()) == q
    assert isinstance(tidemark.load_config({"cash": 5}), QuickConfig)
    assert tidemark.parse_config(q)


@pytest.mark.parametrize("data,field", [
    ({"instruments": []}, "executions"),
    ({"instruments": [], "executions": [], "colour": 1}, "colour"),
    ({"instruments": [{"exchange": "x"}], "executions": []}, "instruments[0].name_exchange"),
    ({"instruments": "no", "executions": []}, "instruments"),
])
def test_python_side_errors_name_the_field(data, field):
    with pytest.raises(tidemark.ConfigError) as e:
        SystemConfig.from_dict(data)
    assert e.value.field == field
    assert str(e.value).startswith(field)


def test_engine_side_errors_name_the_path():
    raw = json.loads((REPO / "data/barter/system_config.json").read_text())
    raw["instruments"][1]["kind"] = "banana"
    with pytest.raises(tidemark.ConfigError) as e:
        tidemark.parse_config(SystemConfig.from_dict(raw))
    assert e.value.field.startswith("instruments[1].kind")
    with pytest.raises(tidemark.ConfigError) as e:
        tidemark.parse_config(QuickConfig(cash="ten"))
    assert e.value.field == "cash"
    with pytest.raises(tidemark.ConfigError):
        tidemark.load_config("{not json")
    with pytest.raises(tidemark.ConfigError):
        tidemark.load_config(42)
