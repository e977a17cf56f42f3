"""Produces the golden files in tests/golden/ with backtesting.py 0.6.6.

    python3 -m venv /tmp/btvenv && /tmp/btvenv/bin/pip install backtesting==0.6.6
    /tmp/btvenv/bin/python scripts/golden/backtesting_py_sma_cross.py                      # sp500, 10/20
    /tmp/btvenv/bin/python scripts/golden/backtesting_py_sma_cross.py nasdaq 5 30 0.001   # nasdaq, 5/30
    /tmp/btvenv/bin/python scripts/golden/backtesting_py_sma_cross.py sp500 10 20 0.002 --finalize 2505
        # finalize_trades=True on the first 2,505 bars (a trade is open at the end) -> sp500_sma_cross_finalize.json

SmaCross(n1, n2) with position.close() on the down-cross, cash 10,000, commission as given, on
data/ohlcv/<name>.csv. The Rust tests compare Tidemark's bar mode against these files.
"""
import sys
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
FINALIZE_ROWS = None
if "--finalize" in sys.argv:
    at = sys.argv.index("--finalize")
    FINALIZE_ROWS = int(sys.argv[at + 1])
    del sys.argv[at : at + 2]
NAME = sys.argv[1] if len(sys.argv) > 1 else "sp500"
N1, N2 = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (10, 20)
COMMISSION = float(sys.argv[4]) if len(sys.argv) > 4 else 0.002
df = pd.read_csv(ROOT / f"data/ohlcv/{NAME}.csv", parse_dates=["Date"], date_format="%m/%d/%Y", index_col="Date")
df = df[["Open", "High", "Low", "Close", "Volume"]]
if FINALIZE_ROWS:
    df = df.iloc[:FINALIZE_ROWS]


class SmaCross(Strategy):
    n1 = N1
    n2 = N2

    def init(self):
        self.sma1 = self.I(SMA, self.data.Close, self.n1)
        self.sma2 = self.I(SMA, self.data.Close, self.n2)

    def next(self):
        if crossover(self.sma1, self.sma2):
            self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()


stats = Backtest(df, SmaCross, cash=10_000, commission=COMMISSION, finalize_trades=bool(FINALIZE_ROWS)).run()


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
    "params": {"data": NAME, "fast": N1, "slow": N2, "commission": COMMISSION, "rows": FINALIZE_ROWS, "finalize_trades": bool(FINALIZE_ROWS)},
    "stats": {k: plain(v) for k, v in stats.items() if not k.startswith("_")},
    "trades": [
        {k: plain(v) for k, v in row.items() if k in ("Size", "EntryBar", "ExitBar", "EntryPrice", "ExitPrice", "PnL", "Commission", "ReturnPct", "EntryTime", "ExitTime", "Duration")}
        for _, row in stats["_trades"].iterrows()
    ],
    "equity_final": plain(stats["_equity_curve"]["Equity"].iloc[-1]),
    "equity": [plain(x) for x in stats["_equity_curve"]["Equity"].tolist()],
}
(ROOT / f"tests/golden/{NAME}_sma_cross{'_finalize' if FINALIZE_ROWS else ''}.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out["stats"], indent=1))
print(len(out["trades"]), "trades")
