"""Shared test data: the S&P 500 file as barter candle stream items, and the example config."""

import json

from conftest import REPO

import tidemark


def sp500_config():
    return json.loads((REPO / "data/sp500_sma_cross.json").read_text())


def candles(limit=None):
    rows = (REPO / "data/ohlcv/sp500.csv").read_text().strip().splitlines()[1:]
    out = []
    for line in rows[:limit]:
        date, open_, high, low, close, _adj, volume = line.split(",")
        m, d, y = (int(x) for x in date.split("/"))
        t = f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z"
        out.append(tidemark.market.item(tidemark.market.candle(
            time=t, exchange="other", instrument=0, open=open_, high=high, low=low, close=close, volume=volume)))
    return out
