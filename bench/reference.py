"""The reference side of `npm run bench`: backtesting.py 0.6.6 and vectorbt on the same S&P 500
bars and the same strategy as Tidemark's rows (SMA cross, cash 10,000, commission 0.2%, all-in
whole units at the next bar's open). Prints one JSON object: seconds per single run (best of
several), runs/s of the 10 x 10 sweep, and each tool's own result (trades, final equity) so the
bench shows the runs agree. bench/compare.mjs runs it with the venv it makes (.bench-venv/).
"""
import itertools
import json
import pathlib
import sys
import time
import warnings

warnings.filterwarnings("ignore")
ROOT = pathlib.Path(__file__).resolve().parents[1]
import pandas as pd  # noqa: E402

df = pd.read_csv(ROOT / "data/ohlcv/sp500.csv", parse_dates=["Date"], date_format="%m/%d/%Y", index_col="Date")
df = df[["Open", "High", "Low", "Close", "Volume"]]
FAST = list(range(5, 51, 5))
SLOW = list(range(60, 241, 20))
out = {}


def best_of(f, n):
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        v = f()
        best = min(best, time.perf_counter() - t)
    return best, v


try:
    import backtesting
    from backtesting import Backtest, Strategy
    from backtesting.lib import crossover
    from backtesting.test import SMA

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
    secs, stats = best_of(lambda: bt.run(), 5)
    t = time.perf_counter()
    bt.optimize(fast=FAST, slow=SLOW, constraint=lambda p: p.fast < p.slow, maximize="Equity Final [$]")
    sweep_secs = time.perf_counter() - t
    out["backtesting_py"] = {
        "version": backtesting.__version__,
        "single_s": secs,
        "trades": int(stats["# Trades"]),
        "equity_final": float(stats["Equity Final [$]"]),
        "sweep_runs": len(FAST) * len(SLOW),
        "sweep_s": sweep_secs,
    }
except ImportError as e:
    out["backtesting_py"] = {"error": str(e)}

try:
    import numpy as np
    import vectorbt as vbt

    close, open_ = df["Close"], df["Open"]

    def vbt_run(pairs):
        fast = np.asarray(vbt.MA.run(close, window=[f for f, _ in pairs]).ma.values).reshape(len(close), -1)
        slow = np.asarray(vbt.MA.run(close, window=[s for _, s in pairs]).ma.values).reshape(len(close), -1)
        above = np.nan_to_num(fast - slow, nan=0.0) > 0
        valid = ~np.isnan(fast) & ~np.isnan(slow)
        prev_valid = np.vstack([np.zeros((1, above.shape[1]), bool), valid[:-1]])
        prev_above = np.vstack([np.zeros((1, above.shape[1]), bool), above[:-1]])
        below = np.nan_to_num(fast - slow, nan=0.0) < 0
        prev_below = np.vstack([np.zeros((1, above.shape[1]), bool), below[:-1]])
        entries = above & prev_below & valid & prev_valid
        exits = below & prev_above & valid & prev_valid
        # Orders at the next bar's open, as backtesting.py: signals shifted one bar, filled at Open.
        entries = np.vstack([np.zeros((1, above.shape[1]), bool), entries[:-1]])
        exits = np.vstack([np.zeros((1, above.shape[1]), bool), exits[:-1]])
        cols = pd.Index(range(len(pairs)))
        return vbt.Portfolio.from_signals(
            pd.DataFrame(np.repeat(close.values[:, None], len(pairs), 1), index=df.index, columns=cols),
            pd.DataFrame(entries, index=df.index, columns=cols),
            pd.DataFrame(exits, index=df.index, columns=cols),
            price=pd.DataFrame(np.repeat(open_.values[:, None], len(pairs), 1), index=df.index, columns=cols),
            init_cash=10_000,
            fees=0.002,
            size=np.inf,
            size_granularity=1,
            freq="1D",
        )

    vbt_run([(10, 20)])  # numba compiles on the first call: not timed
    secs, pf = best_of(lambda: vbt_run([(10, 20)]), 5)
    pairs = [(f, s) for f, s in itertools.product(FAST, SLOW) if f < s]
    vbt_run(pairs)
    sweep_secs, _ = best_of(lambda: vbt_run(pairs), 3)
    out["vectorbt"] = {
        "version": vbt.__version__,
        "single_s": secs,
        "trades": int(pf.trades.count().iloc[0]),
        "equity_final": float(pf.final_value().iloc[0]),
        "sweep_runs": len(pairs),
        "sweep_s": sweep_secs,
    }
except ImportError as e:
    out["vectorbt"] = {"error": str(e)}

json.dump(out, sys.stdout)
