"""Produces tests/golden/sp500_sma_cross.json with backtesting.py 0.6.6.

    python3 -m venv /tmp/btvenv && /tmp/btvenv/bin/pip install backtesting==0.6.6
    /tmp/btvenv/bin/python scripts/golden/backtesting_py_sma_cross.py

SmaCross(10, 20) with position.close() on the down-cross, cash 10,000, commission 0.002, on
data/ohlcv/sp500.csv. The Rust test compares Tidemark's bar mode against this file.
"""
import json
import math
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
    n1 = 10
    n2 = 20

    def init(self):
        self.sma1 = self.I(SMA, self.data.Close, self.n1)
        self.sma2 = self.I(SMA, self.data.Close, self.n2)

    def next(self):
        if crossover(self.sma1, self.sma2):
            self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()


stats = Backtest(df, SmaCross, cash=10_000, commission=0.002).run()


def plain(v):
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, pd.Timedelta):
        return v.total_seconds()
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


out = {
    "generator": "backtesting.py " + backtesting.__version__ + ", pandas " + pd.__version__,
    "stats": {k: plain(v) for k, v in stats.items() if not k.startswith("_")},
    "trades": [
        {k: plain(v) for k, v in row.items() if k in ("Size", "EntryBar", "ExitBar", "EntryPrice", "ExitPrice", "PnL", "Commission", "ReturnPct", "EntryTime", "ExitTime", "Duration")}
        for _, row in stats["_trades"].iterrows()
    ],
    "equity_final": plain(stats["_equity_curve"]["Equity"].iloc[-1]),
    "equity": [plain(x) for x in stats["_equity_curve"]["Equity"].tolist()],
}
(ROOT / "tests/golden/sp500_sma_cross.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out["stats"], indent=1))
print(len(out["trades"]), "trades")
