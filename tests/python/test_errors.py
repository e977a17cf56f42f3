"""Every engine error code has one exception class, raised with code, recoverable and details."""

import pytest

import tidemark
from tidemark import errors
from helpers import candles, sp500_config


def test_one_class_per_engine_error_code():
    codes = tidemark.error_codes()
    assert sorted(errors.ERROR_CLASSES) == sorted(codes)
    classes = list(errors.ERROR_CLASSES.values())
    assert len(set(classes)) == len(classes)
    for code, cls in errors.ERROR_CLASSES.items():
        assert issubclass(cls, tidemark.TidemarkError)
        assert cls.code == code
        assert cls.__doc__ and cls.__doc__.startswith(code)
        assert getattr(tidemark, cls.__name__) is cls


@pytest.mark.parametrize("code", sorted(errors.ERROR_CLASSES))
def test_each_code_maps_to_its_class(code):
    import json
    e = errors.from_info(json.dumps({"name": "TidemarkError", "code": code, "message": f"{code}: x: bad",
                                     "recoverable": code not in ("ENGINE_SHUTDOWN", "STRATEGY", "INTERNAL"),
                                     "details": {"path": "x"}}))
    assert type(e) is errors.ERROR_CLASSES[code]
    assert e.code == code and e.details == {"path": "x"} and e.field == "x"
    with pytest.raises(tidemark.TidemarkError):
        raise e


def test_builtin_bases():
    assert issubclass(tidemark.ConfigError, ValueError)
    assert issubclass(tidemark.DecodeError, ValueError)
    assert issubclass(tidemark.InvalidArgumentError, ValueError)
    assert issubclass(tidemark.InvalidArgumentError, TypeError)
    assert issubclass(tidemark.UnknownInstrumentError, LookupError)
    assert issubclass(tidemark.EngineShutdownError, RuntimeError)
    assert issubclass(tidemark.StrategyError, RuntimeError)


def test_a_non_tidemark_js_error_is_internal():
    import json
    e = errors.from_info(json.dumps({"name": "TypeError", "message": "x is undefined"}))
    assert type(e) is tidemark.InternalError and "TypeError" in str(e)


async def test_engine_errors_arrive_typed():
    cfg = sp500_config()
    with pytest.raises(tidemark.ConfigError) as bad_config:
        tidemark.parse_config({**cfg, "executions": [{**cfg["executions"][0], "fees_percent": "lots"}]})
    assert bad_config.value.field == "executions[0].fees_percent"
    assert bad_config.value.recoverable is True

    with pytest.raises(tidemark.DecodeError) as bad_event:
        tidemark.parse_event("market", {"time_exchange": "2024-01-01T00:00:00Z"})
    assert bad_event.value.code == "DECODE"

    system = await tidemark.System.start(cfg)
    system.feed_many(candles(30))
    with pytest.raises(tidemark.TimeBackwardsError):
        system.feed(candles(1)[0])
    with pytest.raises(tidemark.UnknownInstrumentError):
        system.feed(tidemark.market.item(tidemark.market.trade(
            time="2030-01-01T00:00:00Z", exchange="other", instrument=7, price=1, amount=1, side="buy")))
    system.abort()
    with pytest.raises(tidemark.EngineShutdownError) as shut:
        system.snapshot()
    assert shut.value.recoverable is False
