"""Engine log records reach Python's logging; the engine_logs fixture prints them for a failing test."""

import logging

import pytest

import tidemark
from helpers import candles, sp500_config


async def test_refusals_reach_logging(engine_logs, caplog):
    class Greedy(tidemark.Strategy):
        id = "greedy"

        def on_market(self, v):
            return tidemark.buy("100")

    cfg = {**sp500_config(), "risk": {"max_order_notional": "5000"}}
    cfg.pop("strategy")
    system = await tidemark.System.start(cfg, strategy=Greedy())
    with caplog.at_level(logging.WARNING, logger="tidemark"):
        system.feed(candles(1)[0])
    system.abort()
    assert engine_logs.kinds == ["order refused"]
    record = engine_logs.records[0]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("order refused: SPX buy 100 @ 1228.099976: max_order_notional")
    assert record.tidemark["fields"]["check"] == "max_order_notional"
    assert caplog.records and caplog.records[0].name == "tidemark"


async def test_log_level_off_sends_nothing(engine_logs, sp500_csv):
    await tidemark.backtest({"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}},
                            sp500_csv, log_level="off")
    assert engine_logs.records == []
    await tidemark.backtest({"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}},
                            sp500_csv, log_level="info")
    assert "fill" in engine_logs.kinds


def test_a_failing_test_shows_the_engine_log(pytester):
    pytester.makeconftest(open("/repo/tests/python/conftest.py").read())
    pytester.makepyfile(test_inner='''
import logging
def test_fails(engine_logs):
    logging.getLogger("tidemark").warning("order refused: X", extra={"tidemark": {"kind": "order refused", "fields": {"check": "c"}}})
    assert False
''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*engine log (tidemark)*", "*WARNING order refused: X*"])
