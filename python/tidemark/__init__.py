"""Tidemark for Python (Pyodide): the deterministic event-driven trading engine, compiled to
WebAssembly, driven from Python through the same JS API the Node and browser entries build.

Quick start (inside Pyodide, e.g. ``npx tidemark python script.py``)::

    import tidemark
    report = await tidemark.backtest(
        {"cash": 10_000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}},
        open("sp500.csv").read())
    print(report)                      # the statistics table
    report.portfolio.equity_final      # Decimal("7402.985854440")
"""

__version__ = "0.1.0"

from . import analytics, indicators  # noqa: E402
from .analytics import (calmar_ratio, drawdowns, profit_factor, rate_of_return, sharpe_ratio,  # noqa: E402
                        sortino_ratio, win_rate)
from .backtest import Dataset, Heatmap, SweepRow, backtest, backtest_table, heatmap, load_data, sweep  # noqa: E402
from .config import (Balance, EngineOptions, ExecutionConfig, FillModel, InitialBalance,  # noqa: E402
                     InitialState, InstrumentConfig, QuickConfig, RiskConfig, SystemConfig, Underlying,
                     load_config, parse_config)
from .errors import *  # noqa: E402,F401,F403
from .errors import ERROR_CLASSES, TidemarkError  # noqa: E402
from .events import account, command, decimal, filter, market, parse_event, time  # noqa: E402
from .strategy import MarketView, Strategy, buy, cancel, sell, target  # noqa: E402
from .summary import EquityPoint, PortfolioStats, RankedStats, Report, RunStats, Trade, TradingSummary  # noqa: E402
from .system import System  # noqa: E402


def engine_version() -> str:
    """The engine's version (the wasm module's); equals ``__version__``."""
    from ._js import api
    return str(api.version())


def ranked_statistics() -> list:
    """What ``sweep(stats="ranked")`` can rank by without each run's equity curve (the JS API's
    ``RANKED_STATISTICS``): the fields of :class:`RankedStats`."""
    from ._js import api
    return list(api.RANKED_STATISTICS.to_py())


def error_codes() -> list:
    """The engine's error codes (the JS API's ``ERROR_CODES``)."""
    from ._js import api
    return list(api.ERROR_CODES.to_py())


__all__ = [
    "__version__", "engine_version", "error_codes", "ranked_statistics", "backtest", "backtest_table", "load_data", "Dataset", "sweep", "SweepRow", "heatmap",
    "Heatmap", "indicators", "System",
    "Strategy", "MarketView", "buy", "sell", "target", "cancel", "market", "account", "command", "filter",
    "parse_event", "decimal", "time", "SystemConfig", "QuickConfig", "InstrumentConfig", "Underlying",
    "ExecutionConfig", "InitialState", "InitialBalance", "Balance", "FillModel", "EngineOptions", "RiskConfig",
    "load_config", "parse_config", "Report", "TradingSummary", "PortfolioStats", "RankedStats", "Trade", "EquityPoint",
    "RunStats", "analytics", "sharpe_ratio", "sortino_ratio", "calmar_ratio", "rate_of_return", "profit_factor",
    "win_rate", "drawdowns", "TidemarkError", "ERROR_CLASSES",
]
