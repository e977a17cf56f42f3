"""Python strategies: the hooks, requests, failures with their cause, and no growth over a long run."""

import pytest

import tidemark
from tidemark import _js
from helpers import candles, sp500_config


class SmaCross(tidemark.Strategy):
    """backtesting.py's SmaCross(10, 20) in Python, all-in whole units."""
    id = "py_sma"

    def __init__(self, fast=10, slow=20):
        self.fast, self.slow, self.closes = fast, slow, []
        self.accounts = 0

    def on_market(self, v):
        self.closes.append(v.close)
        if len(self.closes) < self.slow + 1:
            return None
        f0 = sum(self.closes[-self.fast - 1:-1]) / self.fast
        s0 = sum(self.closes[-self.slow - 1:-1]) / self.slow
        f1 = sum(self.closes[-self.fast:]) / self.fast
        s1 = sum(self.closes[-self.slow:]) / self.slow
        sizing = {"equity_fraction": {"fraction": "1", "whole_units": True}}
        if f0 <= s0 and f1 > s1:
            return tidemark.target("long", sizing)
        if f0 >= s0 and f1 < s1:
            return tidemark.target("flat")
        return None

    def on_account(self, event):
        self.accounts += 1


async def test_python_sma_cross_trades(sp500_csv):
    s = SmaCross()
    report = await tidemark.backtest({"cash": 10000, "commission": 0.002}, sp500_csv, strategy=s)
    assert len(s.closes) == 5031
    assert s.accounts > 0
    assert report.portfolio.trades > 100
    assert report.run_stats.orders_sent == 2 * report.portfolio.trades + len(report.open_trades)


async def test_view_fields(sp500_csv):
    seen = []

    class Look(tidemark.Strategy):
        def on_market(self, v):
            if not seen:
                seen.append(v.to_dict())

    await tidemark.backtest({"cash": 1000}, sp500_csv, strategy=Look())
    v = seen[0]
    assert v["kind"] == "candle" and v["instrument"] == 0
    assert v["open"] == pytest.approx(1229.22998) and v["close"] == pytest.approx(1228.099976)
    assert v["position"] == 0 and v["free_quote"] == 1000


async def test_orders_and_cancels_from_hooks(sp500_csv, engine_logs):
    class Limits(tidemark.Strategy):
        n = 0

        def on_market(self, v):
            self.n += 1
            if self.n == 10:
                return [tidemark.buy("1", price=v.close * 0.5, time_in_force="GTC"), tidemark.buy(1)]
            if self.n == 20:
                return tidemark.cancel("all")

    report = await tidemark.backtest({"cash": 10000}, sp500_csv, strategy=Limits(), log_level="debug")
    assert report.run_stats.orders_sent == 2 and report.run_stats.cancels_sent >= 1
    assert "fill" in engine_logs.kinds


async def test_hook_exception_is_strategy_error_with_cause(sp500_csv):
    class Bad(tidemark.Strategy):
        def on_market(self, v):
            raise ZeroDivisionError("no bars yet")

    with pytest.raises(tidemark.StrategyError) as e:
        await tidemark.backtest({"cash": 1000}, sp500_csv, strategy=Bad())
    assert isinstance(e.value.__cause__, ZeroDivisionError)
    assert "on_market" in str(e.value) and "no bars yet" in str(e.value)
    assert e.value.recoverable is False


async def test_malformed_request_is_invalid_order(sp500_csv):
    class Bad(tidemark.Strategy):
        def on_market(self, v):
            return {"side": "buy", "quantity": "lots"}

    with pytest.raises(tidemark.InvalidOrderError) as e:
        await tidemark.backtest({"cash": 1000}, sp500_csv, strategy=Bad())
    assert "quantity" in str(e.value)


async def test_async_hook_refused(sp500_csv):
    class Async(tidemark.Strategy):
        async def on_market(self, v):
            return None

    with pytest.raises(tidemark.StrategyError) as e:
        await tidemark.backtest({"cash": 1000}, sp500_csv, strategy=Async())
    assert "synchronous" in str(e.value)


async def test_not_a_strategy():
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest({"cash": 1000}, "", strategy=object())
    assert e.value.field == "strategy"


async def test_live_strategy_and_proxies_released(sp500_csv):
    import pyodide_js  # noqa: F401  (Pyodide's JS side, for the proxy count)
    import sys

    class Count(tidemark.Strategy):
        n = 0

        def on_market(self, v):
            self.n += 1

        def on_trading_disabled(self):
            return tidemark.cancel("all")

    before = len([o for o in __import__("gc").get_objects() if type(o).__name__ == "Adapter"])
    for _ in range(3):
        s = Count()
        await tidemark.backtest({"cash": 1000}, sp500_csv, strategy=s)
        assert s.n == 5031
    system = await tidemark.System.start(sp500_config(), strategy=Count())
    system.feed_many(candles(50))
    system.set_trading_state(False)
    await system.shutdown_with_summary()
    import gc
    gc.collect()
    after = len([o for o in gc.get_objects() if type(o).__name__ == "Adapter"])
    assert after <= before, "adapters (and the proxies holding them) are released after each run"
    assert sys.getrefcount(Count) < 50


async def test_disconnect_close_positions_and_account_hooks():
    import json
    from conftest import REPO
    cfg = json.loads((REPO / "data/barter/system_config.json").read_text())
    items = json.loads((REPO / "data/barter/binance_spot_market_data_with_disconnect_events.json").read_text())

    class Hooks(tidemark.Strategy):
        id = "hooks"

        def __init__(self):
            self.disconnects, self.filters, self.accounts, self.markets = [], [], [], 0

        def on_market(self, v):
            self.markets += 1
            if self.markets == 1:
                return tidemark.buy("0.001", instrument=v.instrument)

        def on_disconnect(self, exchange):
            self.disconnects.append(exchange)

        def on_account(self, event):
            self.accounts.append(event)

        def close_positions(self, instrument_filter):
            self.filters.append(instrument_filter)
            return None  # the default: market orders

    s = Hooks()
    system = await tidemark.System.start(cfg, strategy=s)
    system.feed_many(items, ticks=False)
    assert s.disconnects == ["binance_spot"] * sum(1 for i in items if "Reconnecting" in i)
    assert s.disconnects and s.markets > 0
    assert s.accounts and "Snapshot" in s.accounts[0]["kind"], "the account snapshot reached on_account"
    system.close_positions(tidemark.filter.exchanges(0))
    assert s.filters == [{"Exchanges": {"One": 0}}]
    await system.shutdown_with_summary()


async def test_audit_reader_break_stops_keeping_ticks():
    system = await tidemark.System.start(sp500_config(), audit=True)
    system.feed_many(candles(20), ticks=False)
    assert system.audit_queued > 0
    got = []
    async for tick in system.audit():
        got.append(tick)
        if len(got) == 5:
            break
    import asyncio
    await asyncio.sleep(0)
    assert system.audit_queued == 0
    system.feed_many(candles(40)[20:], ticks=False)
    assert system.audit_queued == 0, "no reader: nothing kept"
    system.abort()


async def test_no_growth_over_repeated_python_strategy_runs(sp500_csv):
    import gc
    import pyodide_js

    class Trade(tidemark.Strategy):
        def __init__(self):
            self.n = 0

        def on_market(self, v):
            self.n += 1
            if self.n % 50 == 0:
                return tidemark.target("long" if v.position == 0 else "flat")

    def measure():
        gc.collect()
        return pyodide_js._module.HEAP8.length, len(gc.get_objects())

    for _ in range(2):  # warm up (caches, interned strings)
        await tidemark.backtest({"cash": 10000}, sp500_csv, strategy=Trade(), log_level="off")
    heap0, objects0 = measure()
    for _ in range(5):
        report = await tidemark.backtest({"cash": 10000}, sp500_csv, strategy=Trade(), log_level="off")
        assert report.run_stats.orders_sent > 90
    del report
    heap1, objects1 = measure()
    assert heap1 == heap0, "the Python heap did not grow over 25,000 more hook calls"
    assert objects1 - objects0 < 10, (objects0, objects1)
    assert not [o for o in gc.get_objects() if type(o).__name__ == "Adapter"], "adapters released"


async def test_declared_indicators_give_backtesting_pys_sma_cross(sp500_csv, quick_config):
    # The engine computes the SMAs; the strategy only compares them (backtesting.py's SmaCross:
    # 130 trades, Equity Final 7402.9858544 in tests/golden/sp500_sma_cross.json).
    class Cross(tidemark.Strategy):
        indicators = {"fast": {"sma": 10}, "slow": {"sma": 20}}

        def __init__(self):
            self.before = 0
            self.warm = []

        def on_market(self, v):
            fast, slow = v.indicators["fast"], v.indicators["slow"]
            if slow is None:
                self.warm.append(fast)
                return None
            now = (fast > slow) - (fast < slow)
            before, self.before = self.before, now
            if before < 0 < now:
                return tidemark.target("long", {"equity_fraction": {"fraction": "1", "whole_units": True}})
            if before > 0 > now:
                return tidemark.target("flat")
            return None

    s = Cross()
    report = await tidemark.backtest({"cash": 10_000, "commission": 0.002}, sp500_csv, strategy=s)
    assert report.portfolio.trades == 130
    assert float(report.stats["Equity Final [$]"]) == pytest.approx(7402.9858544, abs=1e-6)
    assert {t.tag for t in report.trades} == {"py"}   # the strategy's id (default "py")
    # Warm-up: the 10-bar SMA is None for 9 bars, then a number while the 20-bar one warms up.
    assert s.warm[:9] == [None] * 9 and all(isinstance(x, float) for x in s.warm[9:19])


async def test_a_bad_indicator_declaration_names_it(sp500_csv):
    class Bad(tidemark.Strategy):
        indicators = {"fast": {"sma": 0}}

        def on_market(self, v):
            return None

    with pytest.raises(tidemark.InvalidArgumentError, match=r"strategy\.indicators\.fast"):
        await tidemark.backtest({"cash": 10_000}, sp500_csv, strategy=Bad())

    class NotADict(tidemark.Strategy):
        indicators = [("fast", 10)]

        def on_market(self, v):
            return None

    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest({"cash": 10_000}, sp500_csv, strategy=NotADict())
    assert e.value.field == "strategy.indicators"
