"""Produces tests/golden/indicators_*.json: every indicator of src/indicator/ computed by TA-Lib.

    python3 -m venv /tmp/tavenv && /tmp/tavenv/bin/pip install TA-Lib numpy   # TA-Lib 0.8.2 wheels bundle the C library
    /tmp/tavenv/bin/python scripts/golden/indicators.py

Inputs: data/ohlcv/sp500.csv (all 5,031 bars) and the first 1,000 bars of data/ohlcv/nasdaq.csv.
Each file holds the input columns (as Python's repr, which round-trips) and one series per
indicator, warm-up included: TA-Lib's NaN lookback becomes null. TA-Lib runs with its defaults
(unstable periods 0, default compatibility: EMAs seeded with the SMA of their first samples).
tests/indicators_golden.rs (Rust, every value within 1e-9) and tests/js/indicators.test.mjs (the
JS batch functions) compare against these files. Which TA-Lib function and which seeding each
indicator follows is documented in its Rust file.
"""
import csv
import json
import math
import pathlib

import numpy as np
import talib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/golden"

# (name, declaration as the Rust spec parser and the JS API take it, TA-Lib call, output names)
CASES = [
    ("sma_10", {"sma": 10}, lambda h, l, c: talib.SMA(c, 10)),
    ("sma_50", {"sma": 50}, lambda h, l, c: talib.SMA(c, 50)),
    ("ema_12", {"ema": 12}, lambda h, l, c: talib.EMA(c, 12)),
    ("ema_26", {"ema": 26}, lambda h, l, c: talib.EMA(c, 26)),
    ("wma_10", {"wma": 10}, lambda h, l, c: talib.WMA(c, 10)),
    ("wma_30", {"wma": 30}, lambda h, l, c: talib.WMA(c, 30)),
    ("rsi_14", {"rsi": 14}, lambda h, l, c: talib.RSI(c, 14)),
    ("rsi_2", {"rsi": 2}, lambda h, l, c: talib.RSI(c, 2)),
    ("macd_12_26_9", {"macd": [12, 26, 9]}, lambda h, l, c: talib.MACD(c, 12, 26, 9)),
    ("macd_5_35_5", {"macd": [5, 35, 5]}, lambda h, l, c: talib.MACD(c, 5, 35, 5)),
    ("bollinger_20_2", {"bollinger": {"period": 20, "k": 2}}, lambda h, l, c: talib.BBANDS(c, 20, 2, 2, 0)),
    ("bollinger_10_1.5", {"bollinger": {"period": 10, "k": 1.5}}, lambda h, l, c: talib.BBANDS(c, 10, 1.5, 1.5, 0)),
    ("atr_14", {"atr": 14}, lambda h, l, c: talib.ATR(h, l, c, 14)),
    ("atr_5", {"atr": 5}, lambda h, l, c: talib.ATR(h, l, c, 5)),
    ("stddev_20", {"stddev": 20}, lambda h, l, c: talib.STDDEV(c, 20, 1)),
    ("stddev_5_2", {"stddev": {"period": 5, "k": 2}}, lambda h, l, c: talib.STDDEV(c, 5, 2)),
    ("highest_20", {"highest": 20}, lambda h, l, c: talib.MAX(c, 20)),
    ("lowest_20", {"lowest": 20}, lambda h, l, c: talib.MIN(c, 20)),
    ("highest_high_55", {"highest": 55, "source": "high"}, lambda h, l, c: talib.MAX(h, 55)),
    ("lowest_low_20", {"lowest": 20, "source": "low"}, lambda h, l, c: talib.MIN(l, 20)),
    ("roc_10", {"roc": 10}, lambda h, l, c: talib.ROC(c, 10)),
    ("roc_1", {"roc": 1}, lambda h, l, c: talib.ROC(c, 1)),
]
TA_VERSION = talib.__ta_version__.decode() if isinstance(talib.__ta_version__, bytes) else talib.__ta_version__
OUTPUTS = {"macd": ["macd", "signal", "histogram"], "bollinger": ["upper", "middle", "lower"]}


def column(xs):
    return [None if math.isnan(x) else float(x) for x in xs]


def golden(name, rows):
    # The csv module and float(): exact (correctly rounded), as Rust's parse; pandas' default
    # float parser can be an ulp off.
    with open(ROOT / f"data/ohlcv/{name}.csv", newline="") as f:
        table = list(csv.DictReader(f))
    if rows:
        table = table[:rows]
    h, l, c = (np.array([float(r[k]) for r in table], dtype=np.float64) for k in ("High", "Low", "Close"))
    series = []
    for sname, decl, fn in CASES:
        kind = next(k for k in decl if k != "source")
        out = fn(h, l, c)
        lines = out if isinstance(out, tuple) else (out,)
        series.append({
            "name": sname,
            "indicator": decl,
            "outputs": OUTPUTS.get(kind, ["value"]),
            "values": [column(x) for x in lines],
        })
    doc = {
        "generator": "scripts/golden/indicators.py",
        "reference": f"TA-Lib C {TA_VERSION} (Python TA-Lib {talib.__version__})",
        "data": f"data/ohlcv/{name}.csv" + (f", first {rows} rows" if rows else ""),
        "rows": len(table),
        "input": {"high": column(h), "low": column(l), "close": column(c)},
        "series": series,
    }
    path = OUT / f"indicators_{name}.json"
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(path.relative_to(ROOT), len(table), "rows,", len(series), "series")


golden("sp500", None)
golden("nasdaq", 1000)
