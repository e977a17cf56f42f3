"""The live System from Python: lifecycle equal to a backtest, commands, account injection,
trading state, snapshot, the audit stream, shutdown and abort."""

import asyncio

import pytest

import tidemark
from tidemark import account, command, filter
from helpers import candles, sp500_config


async def test_live_lifecycle_equals_backtest_summary():
    cfg = sp500_config()
    items = candles()
    system = await tidemark.System.start(cfg)
    seen = []

    async def read():
        async for tick in system.audit():
            seen.append(tick["sequence"])

    reader = asyncio.ensure_future(read())
    for i in range(0, len(items), 500):
        system.feed_many(items[i:i + 500], ticks=False)
        await asyncio.sleep(0)
    live = await system.shutdown_with_summary(interval="daily")
    await reader
    batch = await tidemark.backtest(cfg, items)
    assert live.summary == batch.summary
    assert live.summary.to_dict() == batch.summary.to_dict()
    assert live.portfolio.trades == 130
    assert len(seen) > 5031 and all(b == a + 1 for a, b in zip(seen, seen[1:]))
    with pytest.raises(tidemark.EngineShutdownError):
        system.feed(items[0])


async def test_feed_from_sync_and_async_iterables():
    cfg = sp500_config()

    async def source():
        for item in candles(300):
            yield item

    system = await tidemark.System.start(cfg)
    assert await system.feed_from(source(), batch_size=64) == 300
    assert await system.feed_from(iter(candles(320)[300:]), batch_size=7) == 20
    snap = system.snapshot()
    assert snap["state"]["instruments"][0]["market"]["last_close"] == candles(320)[319]["Item"]["kind"]["Candle"]["close"]
    await system.shutdown_with_summary("annual252")


async def test_commands_round_trip_through_the_engine():
    system = await tidemark.System.start(sp500_config())
    system.feed_many(candles(60))
    cancelled = system.cancel_orders(filter.instruments(0))
    assert cancelled[0]["event"] == {"Command": command.cancel_orders(filter.instruments(0))}
    assert cancelled[0]["outputs"] == []
    closed = system.close_positions()
    assert closed[0]["event"] == {"Command": {"ClosePositions": "None"}}
    opened = system.open_requests({"exchange": 0, "instrument": 0, "cid": "manual-1", "side": "buy",
                                   "price": "1500", "quantity": "1", "type": "limit", "time_in_force": "GTC"})
    assert opened[0]["event"] == {"Command": command.open_requests({
        "exchange": 0, "instrument": 0, "cid": "manual-1", "side": "buy", "price": "1500", "quantity": "1",
        "type": "limit", "time_in_force": "GTC"})}
    assert opened[0]["outputs"], "the open request is sent"
    system.cancel_requests({"exchange": 0, "instrument": 0, "cid": "manual-1"})
    off = system.set_trading_state(False)
    assert "TradingStateUpdate" in str(off[0]["event"])
    system.set_trading_state(True)
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        system.set_trading_state("on")
    assert e.value.field == "enabled"
    report = await system.shutdown_with_summary()
    assert report.summary.schema_version >= 1


async def test_account_injection():
    cfg = sp500_config()
    system = await tidemark.System.start(cfg)
    system.feed_many(candles(5))
    t = candles(5)[-1]["Item"]["time_exchange"]
    ticks = system.feed_account(account.balance(exchange=0, asset=1, total="12345", time=t))
    assert ticks and ticks[0]["event"]["Account"]["Item"]["kind"]["BalanceSnapshot"]["balance"]["total"] == "12345"
    state = system.snapshot()["state"]
    assert "12345" in str(state)
    with pytest.raises(tidemark.TidemarkError):
        system.feed_account(account.balance(exchange=9, asset=1, total="1", time=t))
    system.abort()


async def test_abort_and_context_manager():
    async with await tidemark.System.start(sp500_config()) as system:
        system.feed_many(candles(3))
    with pytest.raises(tidemark.EngineShutdownError):
        system.feed_many(candles(1))


async def test_bad_events_are_typed_and_change_nothing():
    system = await tidemark.System.start(sp500_config())
    system.feed_many(candles(10))
    before = system.snapshot()
    with pytest.raises(tidemark.DecodeError):
        system.feed({"Item": {"time_exchange": "2000-01-01T00:00:00Z", "kind": {"Candle": {}}}})
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        system.feed([candles(1)[0]])
    assert e.value.field == "item"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        system.feed_many(candles(1)[0])
    assert e.value.field == "items"
    with pytest.raises(tidemark.TidemarkError):
        system.command({"Launch": "rockets"})
    assert system.snapshot() == before
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await system.shutdown_with_summary(interval=7)
    assert e.value.field == "interval"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await system.feed_from(iter(candles(1)), batch_size=0)
    assert e.value.field == "batch_size"
    system.abort()


async def test_start_options_are_checked():
    for kwargs, field in [({"audit": "yes"}, "audit"), ({"audit_buffer": 0}, "audit_buffer"), ({"log_level": "loud"}, "log_level")]:
        with pytest.raises(tidemark.InvalidArgumentError) as e:
            await tidemark.System.start(sp500_config(), **kwargs)
        assert e.value.field == field
    with pytest.raises(tidemark.ConfigError):
        await tidemark.System.start({"instruments": [], "executions": [], "engine": {"trading_state": "Maybe"}})
