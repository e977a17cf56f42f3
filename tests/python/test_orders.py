"""Stop, trailing and bracket orders from Python: the built-in strategies' stop_loss /
take_profit parameters against backtesting.py 0.6.6 (tests/golden/*_sma_bracket.json), a Python
strategy's stop entry with a bracket worked out by hand, the command constructor, and the typed
errors naming each field."""

import json

import pytest

import tidemark
from conftest import REPO


def _csv(bars):
    rows = ["Date,Open,High,Low,Close,Volume"]
    rows += [f"2024-01-{i + 1:02d},{o},{h},{lo},{c},1000" for i, (o, h, lo, c) in enumerate(bars)]
    return "\n".join(rows)


class Once(tidemark.Strategy):
    """Sends one request on the first bar."""
    id = "once"

    def __init__(self, request):
        self.request, self.sent = request, False

    def on_market(self, v):
        if self.sent:
            return None
        self.sent = True
        return self.request


def _trades(report):
    return [(float(t.entry_price), float(t.exit_price), float(t.size)) for t in report.trades]


@pytest.mark.parametrize("name", ["sp500", "nasdaq"])
async def test_builtin_bracket_matches_backtesting_py(name):
    golden = json.loads((REPO / f"tests/golden/{name}_sma_bracket.json").read_text())
    config = {"cash": 10000, "commission": 0.002,
              "strategy": {"type": "sma_cross", "fast": 10, "slow": 20, "stop_loss": 5, "take_profit": 10}}
    report = await tidemark.backtest(config, (REPO / f"data/ohlcv/{name}.csv").read_text(), log_level="off")
    assert report.stats["# Trades"] == golden["stats"]["# Trades"]
    for key in ("Equity Final [$]", "Return [%]", "Win Rate [%]", "Sharpe Ratio"):
        assert report.stats[key] == pytest.approx(golden["stats"][key], rel=1e-6, abs=1e-9), key
    # Each trade carries its bracket's prices: backtesting.py's SL and TP columns.
    assert len(report.trades) == len(golden["trades"])
    for t, g in zip(report.trades, golden["trades"]):
        assert float(t.stop_loss) == pytest.approx(g["SL"], rel=1e-9)
        assert float(t.take_profit) == pytest.approx(g["TP"], rel=1e-9)


async def test_stop_entry_with_a_bracket_from_a_python_strategy():
    # Bar 1 reaches the stop (high 106): entry at 105; bar 2 reaches the take-profit: exit at 115.
    request = tidemark.buy(2, stop=105, stop_loss=100, take_profit=115)
    bars = [(100, 101, 99, 100), (102, 106, 101, 104), (104, 116, 103, 115), (115, 116, 114, 115)]
    report = await tidemark.backtest({"cash": 10000}, _csv(bars), strategy=Once(request), log_level="off")
    assert _trades(report) == [(105.0, 115.0, 2.0)]
    assert (report.trades[0].stop_loss, report.trades[0].take_profit) == (100, 115)
    # A gap below the stop-loss exits at the open (98), not at the stop-loss.
    bars = [(100, 101, 99, 100), (107, 108, 106, 107), (98, 99, 97, 98), (98, 99, 97, 98)]
    report = await tidemark.backtest({"cash": 10000}, _csv(bars), strategy=Once(request), log_level="off")
    assert _trades(report) == [(107.0, 98.0, 2.0)]


@pytest.mark.parametrize("request_, field", [
    (dict(stop=0), "stop"),
    (dict(stop_loss=120, take_profit=130), "stopLoss"),
    (dict(trailing={"percent": 150}), "trailing"),
])
async def test_bad_conditions_are_invalid_order_naming_the_field(request_, field):
    bars = [(100, 101, 99, 100), (100, 101, 99, 100)]
    with pytest.raises(tidemark.InvalidOrderError) as e:
        await tidemark.backtest({"cash": 10000}, _csv(bars), strategy=Once(tidemark.buy(1, **request_)), log_level="off")
    assert field in str(e.value)


def test_unknown_condition_is_a_type_error():
    with pytest.raises(TypeError, match="stop_los"):
        tidemark.buy(1, stop_los=90)


def test_open_requests_carry_trigger_and_bracket():
    c = tidemark.command.open_requests({"exchange": 0, "instrument": 0, "strategy": "manual", "cid": "a", "side": "buy",
                                        "type": "limit", "price": 101, "quantity": 1, "stop": 100,
                                        "stop_loss": 95, "take_profit": 110})
    state = c["SendOpenRequests"]["One"]["state"]
    assert state["trigger"] == {"price": "100"}
    assert state["bracket"] == {"stop_loss": "95", "take_profit": "110"}
