"""Produces tests/golden/sp500_sma_optimize.json with backtesting.py 0.6.6: the heatmap of
`Backtest.optimize` over the issue's 10 x 10 grid (fast 5..50 step 5, slow 60..240 step 20) for
SmaCross on the S&P 500 file, cash 10,000, commission 0.2%, maximising the final equity.

    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install backtesting==0.6.6
    /tmp/benchvenv/bin/python scripts/golden/backtesting_py_optimize.py

The Node test tests/js/sweep.test.mjs checks Tidemark's sweep and heatmap against every cell.
"""
import json
import pathlib

import backtesting
import pandas as pd
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
from backtesting.test import SMA

assert backtesting.__version__ == "0.6.6", backtesting.__version__
ROOT = pathlib.Path(__file__).resolve().parents[2]
df = pd.read_csv(ROOT / "data/ohlcv/sp500.csv", parse_dates=["Date"], date_format="%m/%d/%Y", index_col="Date")
df = df[["Open", "High", "Low", "Close", "Volume"]]


class SmaCross(Strategy):
    fast = 10
    slow = 20

    def init(self):
        self.sma1 = self.I(SMA, self.data.Close, self.fast)
        self.sma2 = self.I(SMA, self.data.Close, self.slow)

    def next(self):
        if crossover(self.sma1, self.sma2):
            self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()


bt = Backtest(df, SmaCross, cash=10_000, commission=0.002)
FAST = list(range(5, 51, 5))
SLOW = list(range(60, 241, 20))
stats, heat = bt.optimize(
    fast=FAST,
    slow=SLOW,
    constraint=lambda p: p.fast < p.slow,
    maximize="Equity Final [$]",
    return_heatmap=True,
)
out = {
    "source": "backtesting.py 0.6.6 Backtest.optimize(return_heatmap=True), scripts/golden/backtesting_py_optimize.py",
    "grid": {"fast": FAST, "slow": SLOW},
    "maximize": "Equity Final [$]",
    "best": {"fast": int(stats._strategy.fast), "slow": int(stats._strategy.slow), "Equity Final [$]": float(stats["Equity Final [$]"])},
    "heatmap": [{"fast": int(f), "slow": int(s), "Equity Final [$]": float(v)} for (f, s), v in heat.items()],
}
(ROOT / "tests/golden/sp500_sma_optimize.json").write_text(json.dumps(out, indent=1) + "\n")
print(out["best"], len(out["heatmap"]))
