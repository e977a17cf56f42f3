"""Backtests and sweeps from Python: the same numbers as backtesting.py and the JS API, every data
form, progress, and the failure surface."""

import json
import pathlib
from decimal import Decimal

import pytest

import tidemark
from conftest import REPO
from helpers import candles, sp500_config


async def test_quick_backtest_matches_backtesting_py(sp500_csv, quick_config):
    report = await tidemark.backtest(quick_config, sp500_csv)
    assert report.stats["# Trades"] == 130
    assert report.stats["Equity Final [$]"] == pytest.approx(7402.9858544, abs=1e-6)
    p = report.portfolio
    # Money is exact Decimal: backtesting.py's float 7402.985854440014 is this value to the float's precision.
    assert p.trades == 130 and isinstance(p.equity_final, Decimal)
    assert float(p.equity_final) == pytest.approx(7402.985854440014, rel=1e-12)
    assert len(report.trades) == 130 and isinstance(report.trades[0].pnl, Decimal)
    assert sum(t.pnl for t in report.trades) == p.equity_final - 10000  # exact ledger
    assert p.commissions == sum(t.commission for t in report.trades)
    assert report.equity_curve[0].equity == 10000 and len(report.equity_curve) == 5031
    assert report.run_stats.market_events == 5031
    # The report object keeps the engine's JSON as it is.
    assert report.to_dict()["summary"]["portfolio"]["trades"] == 130
    assert json.loads(report.to_json())["backtesting_py"]["stats"]["# Trades"] == 130


async def test_same_report_as_the_js_api(sp500_csv, quick_config):
    from tidemark import _js
    js_text = await _js.api.backtestJson(json.dumps(quick_config), sp500_csv)
    report = await tidemark.backtest(tidemark.QuickConfig.from_dict(quick_config), sp500_csv)
    assert report.to_dict() == json.loads(js_text)


async def test_the_equity_curve_crossing_as_columns_is_the_engines(sp500_csv, quick_config):
    # Read first (crossing as columns), then from the report's JSON dict: the same points.
    from tidemark import _js
    report = await tidemark.backtest(quick_config, sp500_csv)
    curve = report.equity_curve
    assert [p.to_dict() for p in curve] == report.to_dict()["equity_curve"]
    assert len(curve) == 5031 and curve[0] == tidemark.EquityPoint("1999-01-04T00:00:00Z", 10000.0, 0.0, 0.0)
    assert all(isinstance(p.equity, float) and isinstance(p.drawdown_duration_secs, float) for p in curve)
    # The deepest point of the curve is the statistics' maximum drawdown (computed apart, in
    # streaming form).
    assert max(p.drawdown_pct for p in curve) == pytest.approx(-report.stats["Max. Drawdown [%]"], rel=1e-12)
    # barter's trades at millisecond times keep their fraction; one bar gives one point.
    barter = (REPO / "data/barter").as_posix()
    trades = await tidemark.backtest(pathlib.Path(barter, "system_config.json").read_text(),
                                     pathlib.Path(barter, "binance_spot_market_data_with_disconnect_events.json").read_text())
    assert [p.to_dict() for p in trades.equity_curve] == json.loads(trades.to_json())["equity_curve"]
    assert any(p.time.endswith(".175Z") for p in trades.equity_curve)
    one = await tidemark.backtest(quick_config, "time,open,high,low,close\n1500000000,1,1,1,1")
    assert [p.time for p in one.equity_curve] == ["2017-07-14T02:40:00Z"]
    # A report without the engine's columns (a live system's summary) has them built from its
    # rows; no rows give empty columns.
    plain = _js.to_js_value(report.to_dict())
    assert _js.curve_columns(plain, ["equity"], "time") == {"equity": [p.equity for p in curve], "time": [p.time for p in curve]}
    assert _js.curve_columns(_js.to_js_value({"equity_curve": []}), ["equity"], "time") == {"equity": [], "time": []}


async def test_text_table_html_and_repr(sp500_csv, quick_config):
    report = await tidemark.backtest(quick_config, sp500_csv)
    table = str(report)
    lines = table.splitlines()
    assert lines[0] == "TRADING SUMMARY (Trading Duration: ~7301 Days)"
    assert any(l.startswith("Equity Final [$]") and l.endswith("7402.985854") for l in lines)
    assert any(l.startswith("Duration") and l.endswith("7301 days 00:00:00") for l in lines)
    start = next(i for i, l in enumerate(lines) if l.startswith("Start"))
    assert lines[start + 1].startswith("End") and lines[start + 2].startswith("Duration")
    engine_table = await tidemark.backtest_table(quick_config, sp500_csv)
    for line in lines[3:35]:
        key = line[:26].rstrip()
        assert any(e.startswith(key) and e.split()[-1] == line.split()[-1] for e in engine_table.splitlines()), line
    assert "<table" in report._repr_html_() and "Equity Final [$]" in report._repr_html_()
    assert "130 trades" in repr(report)
    with pytest.raises(ImportError):
        report.to_pandas()  # no pandas in this Pyodide


async def test_every_data_form_gives_the_same_summary(sp500_csv):
    cfg = sp500_config()
    base = await tidemark.backtest(cfg, sp500_csv)
    items = candles()
    from_items = await tidemark.backtest(cfg, items)
    assert from_items.summary == base.summary
    lines = "\n".join(json.dumps(i) for i in items)
    assert (await tidemark.backtest(cfg, lines)).summary == base.summary
    assert (await tidemark.backtest(cfg, pathlib.Path("/repo/data/ohlcv/sp500.csv"))).summary == base.summary
    assert (await tidemark.backtest(cfg, sp500_csv.encode())).summary == base.summary
    assert (await tidemark.backtest(cfg, bytearray(sp500_csv.encode()))).summary == base.summary
    from datetime import datetime, timezone
    cols = {"time": [], "open": [], "high": [], "low": [], "close": [], "volume": []}
    for i in items:
        c = i["Item"]["kind"]["Candle"]
        cols["time"].append(datetime.fromisoformat(c["close_time"].replace("Z", "+00:00")).timestamp() * 1000)
        for k in ("open", "high", "low", "close", "volume"):
            cols[k].append(float(c[k]))
    from_cols = await tidemark.backtest(cfg, cols)
    assert from_cols.portfolio.trades == base.portfolio.trades


async def test_barter_json_lines(engine_logs):
    cfg = json.loads((REPO / "data/barter/system_config.json").read_text())
    files = sorted((REPO / "data/barter").glob("*.json*"))
    data_file = next(f for f in files if "config" not in f.name)
    report = await tidemark.backtest(cfg, data_file.read_text())
    assert report.run_stats.market_events > 0


async def test_progress_callback(sp500_csv, quick_config):
    seen = []
    await tidemark.backtest(quick_config, sp500_csv, on_progress=lambda done, total: seen.append((done, total)),
                            slice_events=1000)
    assert seen[-1] == (5031, 5031)
    assert len(seen) == 6 and all(a[0] < b[0] for a, b in zip(seen, seen[1:]))


async def test_sweep_builtin(sp500_csv, quick_config):
    rows = await tidemark.sweep(quick_config, sp500_csv, {"fast": [5, 10], "slow": [20, 40]}, rank_by="return_pct")
    assert len(rows) == 4
    assert [r.stats.return_pct for r in rows] == sorted((r.stats.return_pct for r in rows), reverse=True)
    ten_twenty = next(r for r in rows if r.strategy["fast"] == 10 and r.strategy["slow"] == 20)
    assert ten_twenty.stats.trades == 130


async def test_sweep_ranked_statistics_only(sp500_csv, quick_config):
    grid = {"fast": [5, 10], "slow": [20, 40]}
    full = await tidemark.sweep(quick_config, sp500_csv, grid, rank_by="sqn")
    rows = await tidemark.sweep(quick_config, sp500_csv, grid, rank_by="sqn", stats="ranked", complete=2)
    assert [r.score for r in rows] == [r.score for r in full]
    assert [type(r.stats) for r in rows] == [tidemark.PortfolioStats] * 2 + [tidemark.RankedStats] * 2
    assert rows[:2] == full[:2]
    for r, f in zip(rows[2:], full[2:]):
        # Each ranked value is the full one (money as Decimal).
        assert r.stats.to_dict() == {k: v for k, v in f.stats.to_dict().items() if k in r.stats.to_dict()}
        assert isinstance(r.stats.equity_final, Decimal)
    for bad, field in (({"stats": "some"}, "stats"), ({"complete": -1}, "complete"), ({"complete": True}, "complete")):
        with pytest.raises(tidemark.InvalidArgumentError, match=field):
            await tidemark.sweep(quick_config, sp500_csv, grid, **bad)


async def test_sweep_python_strategy(sp500_csv):
    class Hold(tidemark.Strategy):
        def __init__(self, after):
            self.after, self.n = after, 0

        def on_market(self, v):
            self.n += 1
            if self.n == self.after:
                return tidemark.target("long")

    rows = await tidemark.sweep({"cash": 10000}, sp500_csv, {"after": [1, 100, 7000]},
                                strategy=lambda p: None if p["after"] > 5031 else Hold(p["after"]))
    assert [r.strategy["after"] for r in rows] and len(rows) == 2
    assert all(r.error is None for r in rows)


async def test_load_data_once_for_many_runs(sp500_csv, quick_config):
    data = await tidemark.load_data(quick_config, sp500_csv)
    assert isinstance(data, tidemark.Dataset) and data.events == 5031 and "5031 events" in repr(data)
    report = await tidemark.backtest(quick_config, data)
    assert report.to_dict() == (await tidemark.backtest(quick_config, sp500_csv)).to_dict()
    assert report.stats["# Trades"] == 130  # backtesting.py's count
    assert await tidemark.backtest_table(quick_config, data) == await tidemark.backtest_table(quick_config, sp500_csv)
    grid = {"fast": [5, 10], "slow": [20, 40]}
    assert await tidemark.sweep(quick_config, data, grid) == await tidemark.sweep(quick_config, sp500_csv, grid)
    # Columns and paths load too.
    from_path = await tidemark.load_data(quick_config, REPO / "data/ohlcv/sp500.csv", format="ohlcv-csv")
    assert (await tidemark.backtest(quick_config, from_path)).to_dict() == report.to_dict()


async def test_load_data_misuse_is_typed_and_leaves_the_dataset_usable(sp500_csv, quick_config):
    data = await tidemark.load_data(quick_config, sp500_csv)
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest(quick_config, data, format="ohlcv-csv")
    assert e.value.field == "format"
    other = sp500_config()
    other["instruments"][0]["name_exchange"] = "NDX"
    other["instruments"][0]["underlying"] = {"base": "ndx", "quote": "usd"}
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest(other, data)
    assert e.value.field == "data" and "loaded for the instruments" in str(e.value)
    for kw, field in (({"format": 5}, "format"), ({"sort": "yes"}, "sort"), ({"instrument": "NOPE"}, "instrument")):
        with pytest.raises(tidemark.InvalidArgumentError) as e:
            await tidemark.load_data(quick_config, sp500_csv, **kw)
        assert e.value.field == field
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.load_data(quick_config, data)
    assert e.value.field == "data"
    with pytest.raises(tidemark.DecodeError):
        await tidemark.load_data(quick_config, sp500_csv.replace("1228.099976", "12x8", 1))
    assert (await tidemark.backtest(quick_config, data)).stats["# Trades"] == 130
    data.free()
    assert repr(data) == "<tidemark.Dataset: freed>"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest(quick_config, data)
    assert e.value.field == "data" and "freed" in str(e.value)


@pytest.mark.parametrize("data,cls,field", [
    (42, tidemark.InvalidArgumentError, "data"),
    ({"open": [1]}, tidemark.InvalidArgumentError, "data"),
    ({"time": [1, 2], "close": ["a", 1]}, tidemark.InvalidArgumentError, "data.close"),
    ([{"Item": object()}], tidemark.InvalidArgumentError, "data"),
])
async def test_bad_data_names_the_field(data, cls, field):
    with pytest.raises(cls) as e:
        await tidemark.backtest({"cash": 1000}, data)
    assert e.value.field == field


async def test_bad_csv_names_line_and_column(sp500_csv):
    broken = sp500_csv.replace("1228.099976", "12x8", 1)
    with pytest.raises(tidemark.DecodeError) as e:
        await tidemark.backtest({"cash": 1000}, broken)
    assert "line" in str(e.value)


async def test_bytes_that_are_not_utf8_are_a_typed_error():
    # A lone 0xFF byte in row 3's Close, at byte 69 (header 25 bytes + row 2, 23 + "2020-01-02,1,2,0.5,1.",
    # 21): the engine reads the bytes and names the offset (before, Python's own UnicodeDecodeError
    # escaped untyped).
    data = b"Date,Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,1.\xff\n"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest({"cash": 1000}, data)
    assert e.value.field == "data" and "byte 69" in str(e.value), str(e.value)


async def test_bad_options_name_the_option(sp500_csv, quick_config):
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest(quick_config, sp500_csv, interval=7)
    assert e.value.field == "interval"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest(quick_config, sp500_csv, log_level="loud")
    assert e.value.field == "log_level"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.backtest(quick_config, sp500_csv, on_progress=3)
    assert e.value.field == "on_progress"
    with pytest.raises(tidemark.ConfigError) as e:
        await tidemark.backtest({**quick_config, "commission": "much"}, sp500_csv)
    assert e.value.field == "commission"


async def test_a_dataframe_is_sent_as_csv(sp500_csv, quick_config):
    # pandas is not in this Pyodide: an object with DataFrame's to_csv/columns stands in for one,
    # written as pandas writes a frame read with index_col=0 (the index first, named).
    class FakeFrame:
        columns = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]

        def to_csv(self):
            return sp500_csv

    report = await tidemark.backtest(quick_config, FakeFrame())
    assert report.stats["# Trades"] == 130


async def test_sweep_objective_constraint_workers_and_heatmap_match_backtesting_py(sp500_csv, quick_config):
    # backtesting.py 0.6.6 optimize(return_heatmap=True) over the same grid
    # (tests/golden/sp500_sma_optimize.json, scripts/golden/backtesting_py_optimize.py).
    golden = json.loads((REPO / "tests/golden/sp500_sma_optimize.json").read_text())
    seen = []
    rows = await tidemark.sweep(quick_config, sp500_csv, golden["grid"], workers=2,
                                constraint=lambda p: p["fast"] < p["slow"],
                                objective=lambda stats, params: stats.equity_final,
                                on_progress=lambda done, total: seen.append((done, total)))
    assert len(rows) == 100 and seen[-1] == (100, 100)
    best = rows[0]
    assert (best.strategy["fast"], best.strategy["slow"]) == (golden["best"]["fast"], golden["best"]["slow"])
    assert best.score == pytest.approx(golden["best"]["Equity Final [$]"], abs=1e-6)
    h = tidemark.heatmap(rows, "fast", "slow")
    assert (h.xs, h.ys) == (golden["grid"]["fast"], golden["grid"]["slow"])
    for cell in golden["heatmap"]:
        assert h.values[h.ys.index(cell["slow"])][h.xs.index(cell["fast"])] == pytest.approx(cell["Equity Final [$]"], abs=1e-6)
    one = await tidemark.sweep(quick_config, sp500_csv, golden["grid"], workers=1,
                               objective=lambda stats, params: stats.equity_final)
    assert [(r.strategy, r.score) for r in one] == [(r.strategy, r.score) for r in rows]


@pytest.mark.parametrize("kw,field", [
    ({"workers": "many"}, "workers"),
    ({"workers": True}, "workers"),
    ({"constraint": 3}, "constraint"),
    ({"objective": "sharpe"}, "objective"),
])
async def test_bad_sweep_options_name_the_field(sp500_csv, quick_config, kw, field):
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        await tidemark.sweep(quick_config, sp500_csv, {"fast": [5, 10]}, **kw)
    assert e.value.field == field


async def test_a_failing_objective_or_heatmap_axis_is_a_typed_error(sp500_csv, quick_config):
    def boom(stats, params):
        raise ValueError("no score")
    with pytest.raises(tidemark.InvalidArgumentError, match="objective"):
        await tidemark.sweep(quick_config, sp500_csv, {"fast": [5, 10], "slow": [60]}, objective=boom)
    rows = await tidemark.sweep(quick_config, sp500_csv, {"fast": [5, 10], "slow": [60]})
    with pytest.raises(tidemark.InvalidArgumentError, match="strategy"):
        tidemark.heatmap(rows, "fast", "speed")
    with pytest.raises(tidemark.InvalidArgumentError):
        tidemark.heatmap(["row"], "fast", "slow")
