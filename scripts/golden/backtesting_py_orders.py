"""Golden files for stop, limit and bracket orders, produced with backtesting.py 0.6.6.

    ./.bench-venv/bin/python scripts/golden/backtesting_py_orders.py     # every file below

On the S&P 500 and NASDAQ daily files (data/ohlcv/<name>.csv), cash 10,000, commission 0.2 %,
all-equity whole-unit entries (buy() without size), long only:

- sma_bracket:    SmaCross(10, 20) whose buy() carries sl = Close × 0.95 and tp = Close × 1.10
                  (position.close() on the down-cross, as in backtesting_py_sma_cross.py)
- stop_breakout:  each bar, cancel the pending entry; when flat, buy(stop=H) with H the highest
                  high of the last 20 bars (this one included), sl = H × 0.97, tp = H × 1.06
- limit_pullback: each bar, cancel the pending entry; when flat and Close > Close 20 bars back,
                  buy(limit=L) with L = Close × 0.98, sl = L × 0.95, tp = L × 1.05

Writes tests/golden/<name>_<strategy>.json (the shape of backtesting_py_sma_cross.py's files);
tests/backtesting_py_orders.rs replays the same strategies through Tidemark and compares.
"""
import json
import math
import pathlib
import warnings

import backtesting
import pandas as pd
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
from backtesting.test import SMA

assert backtesting.__version__ == "0.6.6", backtesting.__version__
warnings.filterwarnings("ignore")  # "contingent SL/TP order would execute in the same bar" etc.

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMMISSION = 0.002


class SmaBracket(Strategy):
    n1, n2, sl_pct, tp_pct = 10, 20, 5, 10

    def init(self):
        self.sma1 = self.I(SMA, self.data.Close, self.n1)
        self.sma2 = self.I(SMA, self.data.Close, self.n2)

    def next(self):
        c = self.data.Close[-1]
        if crossover(self.sma1, self.sma2):
            self.buy(sl=c * (1 - self.sl_pct / 100), tp=c * (1 + self.tp_pct / 100))
        elif crossover(self.sma2, self.sma1):
            self.position.close()


class StopBreakout(Strategy):
    n, sl_pct, tp_pct = 20, 3, 6

    def init(self):
        pass

    def next(self):
        for o in list(self.orders):
            if not o.is_contingent:
                o.cancel()
        if len(self.data) < self.n or self.position:
            return
        hi = max(self.data.High[-self.n:])
        self.buy(stop=hi, sl=hi * (1 - self.sl_pct / 100), tp=hi * (1 + self.tp_pct / 100))


class LimitPullback(Strategy):
    n, dip, sl_pct, tp_pct = 20, 2, 5, 5

    def init(self):
        pass

    def next(self):
        for o in list(self.orders):
            if not o.is_contingent:
                o.cancel()
        if len(self.data) <= self.n or self.position:
            return
        if self.data.Close[-1] > self.data.Close[-1 - self.n]:
            limit = self.data.Close[-1] * (1 - self.dip / 100)
            self.buy(limit=limit, sl=limit * (1 - self.sl_pct / 100), tp=limit * (1 + self.tp_pct / 100))


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


STRATEGIES = {"sma_bracket": SmaBracket, "stop_breakout": StopBreakout, "limit_pullback": LimitPullback}
KEYS = ("Size", "EntryBar", "ExitBar", "EntryPrice", "ExitPrice", "SL", "TP", "PnL", "Commission", "ReturnPct",
        "EntryTime", "ExitTime", "Duration")

for name in ("sp500", "nasdaq"):
    df = pd.read_csv(ROOT / f"data/ohlcv/{name}.csv", parse_dates=["Date"], date_format="%m/%d/%Y", index_col="Date")
    df = df[["Open", "High", "Low", "Close", "Volume"]]
    for label, cls in STRATEGIES.items():
        stats = Backtest(df, cls, cash=10_000, commission=COMMISSION).run()
        params = {k: getattr(cls, k) for k in ("n1", "n2", "n", "dip", "sl_pct", "tp_pct") if hasattr(cls, k)}
        out = {
            "generator": "backtesting.py " + backtesting.__version__ + ", pandas " + pd.__version__,
            "params": {"data": name, "strategy": label, "commission": COMMISSION, **params},
            "stats": {k: plain(v) for k, v in stats.items() if not k.startswith("_")},
            "trades": [{k: plain(v) for k, v in row.items() if k in KEYS} for _, row in stats["_trades"].iterrows()],
            "equity_final": plain(stats["_equity_curve"]["Equity"].iloc[-1]),
            "equity": [plain(x) for x in stats["_equity_curve"]["Equity"].tolist()],
        }
        (ROOT / f"tests/golden/{name}_{label}.json").write_text(json.dumps(out, indent=1) + "\n")
        print(name, label, len(out["trades"]), "trades, equity final", out["equity_final"])
