"""The quick start: backtesting.py's SmaCross on the S&P 500 file, from Python.

Run it with `npx tidemark python examples/python/quickstart.py` from the repository root.
"""

import sys

import tidemark

path = sys.argv[1] if len(sys.argv) > 1 else "data/ohlcv/sp500.csv"
config = tidemark.QuickConfig(cash=10_000, commission=0.002,
                              strategy={"type": "sma_cross", "fast": 10, "slow": 20})
report = await tidemark.backtest(config, open(path).read())  # noqa: F704 (top-level await in Pyodide)
print(report)
print("Equity Final [$]:", report.stats["Equity Final [$]"], "# Trades:", report.stats["# Trades"])
