"""The indicator library from Python: TA-Lib's values (tests/golden/indicators_sp500.json, from
scripts/golden/indicators.py) within 1e-9, warm-up as None, and typed errors naming the argument."""
import json
import math

import pytest

import tidemark
from conftest import REPO

GOLDEN = json.loads((REPO / "tests/golden/indicators_sp500.json").read_text())
CLOSE = GOLDEN["input"]["close"]
SERIES = {s["name"]: s for s in GOLDEN["series"]}


def close_enough(got, want):
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        if w is None:
            assert g is None, f"[{i}]: {g} during warm-up"
        else:
            assert g is not None and math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-9), f"[{i}]: {g} vs TA-Lib {w}"


@pytest.mark.parametrize("name,call", [
    ("sma_10", lambda: tidemark.indicators.sma(CLOSE, 10)),
    ("ema_26", lambda: tidemark.indicators.ema(CLOSE, 26)),
    ("wma_30", lambda: tidemark.indicators.wma(CLOSE, 30)),
    ("rsi_14", lambda: tidemark.indicators.rsi(CLOSE, 14)),
    ("roc_10", lambda: tidemark.indicators.roc(CLOSE, 10)),
    ("highest_20", lambda: tidemark.indicators.highest(CLOSE, 20)),
    ("lowest_20", lambda: tidemark.indicators.lowest(CLOSE, 20)),
    ("stddev_20", lambda: tidemark.indicators.stddev(CLOSE, 20)),
    ("atr_14", lambda: tidemark.indicators.atr(GOLDEN["input"]["high"], GOLDEN["input"]["low"], CLOSE, 14)),
])
def test_single_line_indicators_equal_ta_lib(name, call):
    close_enough(call(), SERIES[name]["values"][0] if isinstance(SERIES[name]["values"][0], list) else SERIES[name]["values"])


def test_multi_line_indicators_equal_ta_lib():
    m = tidemark.indicators.macd(CLOSE, (12, 26, 9))
    for k, line in enumerate(["macd", "signal", "histogram"]):
        close_enough(m[line], SERIES["macd_12_26_9"]["values"][k])
    b = tidemark.indicators.bollinger(CLOSE, 20, 2)
    for k, line in enumerate(["upper", "middle", "lower"]):
        close_enough(b[line], SERIES["bollinger_20_2"]["values"][k])


def test_crossings_follow_backtesting_py():
    # Strictly below, then strictly above (a touch in between is no cross; a gap breaks one).
    fast, slow = [1, 3, 1, None, 3, 1, 2, 3], [2] * 8
    assert tidemark.indicators.crossover(fast, slow) == [False, True, False, False, False, False, False, False]
    assert tidemark.indicators.crossunder(fast, slow) == [False, False, True, False, False, True, False, False]


@pytest.mark.parametrize("call,field", [
    (lambda: tidemark.indicators.sma("1,2,3", 2), "values"),
    (lambda: tidemark.indicators.sma([1, "2"], 2), "values[1]"),
    (lambda: tidemark.indicators.sma([1, True], 2), "values[1]"),
    (lambda: tidemark.indicators.crossover([1, "x"], [1, 2]), "a[1]"),
])
def test_bad_arguments_name_the_field(call, field):
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        call()
    assert e.value.field == field


def test_a_bad_period_is_the_engines_typed_error():
    with pytest.raises(tidemark.InvalidArgumentError):
        tidemark.indicators.sma(CLOSE, 0)
