// The Python tab's preloaded cell: backtesting.py's SmaCross written as a Python strategy with
// the averages declared (the engine computes them), on the bundled S&P 500 sample. It prints
// the same statistics as the Results view's default run (Equity Final 7402.98585444, 130 trades).
export const PYTHON_EXAMPLE = `import tidemark

class SmaCross(tidemark.Strategy):
    """Long when the fast SMA crosses above the slow one, flat when it crosses below."""
    id = "py_sma"
    indicators = {"fast": {"sma": 10}, "slow": {"sma": 20}}   # computed by the engine

    def __init__(self):
        self.prev = None

    def on_market(self, view):
        fast, slow = view.indicators["fast"], view.indicators["slow"]
        if fast is None or slow is None:
            return None
        prev, self.prev = self.prev, (fast, slow)
        if prev is None:
            return None
        if prev[0] <= prev[1] and fast > slow:
            return tidemark.target("long", {"equity_fraction": {"fraction": "1", "whole_units": True}})
        if prev[0] >= prev[1] and fast < slow:
            return tidemark.target("flat")
        return None

csv = open("data/sp500.csv").read()   # the bundled sample (data/nasdaq.csv too)
config = tidemark.QuickConfig(cash=10_000, commission=0.002)
report = await tidemark.backtest(config, csv, strategy=SmaCross())
for key in ("Return [%]", "Equity Final [$]", "Sharpe Ratio", "Max. Drawdown [%]", "# Trades", "Win Rate [%]"):
    print(f"{key:20} {report.stats[key]}")
`;
