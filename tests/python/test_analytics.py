"""Analytics helpers pinned to independent numbers: barter's test vectors
(/work/shared/reference/barter-model.md §10) and hand calculations."""

import math
from decimal import Decimal

import pytest

import tidemark
from tidemark import analytics

D = Decimal


def test_sharpe_barter_vectors():
    assert tidemark.sharpe_ratio(mean="0.0025", std_dev="0.02", risk_free="0.0015") == D("0.05")
    assert tidemark.sharpe_ratio(mean="0.0025", std_dev="0.02", risk_free="0.0015",
                                 target_interval="annual252") == D("0.7937253933193771771504847261")
    # A custom 2 h period scaled to itself: unchanged.
    assert tidemark.sharpe_ratio(mean="0.0025", std_dev="0.02", risk_free="0.0015", period=7200,
                                 target_interval=7200) == D("0.05")


def test_sharpe_of_returns_by_hand():
    returns = [0.1, -0.05, 0.2]
    mean = sum(returns) / 3
    std = math.sqrt(sum((r - mean) ** 2 for r in returns) / 3)  # population
    value = tidemark.sharpe_ratio(returns, risk_free=0.05)
    assert float(value) == pytest.approx((mean - 0.05) / std, rel=1e-12)
    assert tidemark.sharpe_ratio([0.01, 0.01]) is None  # zero dispersion: undefined


def test_sortino_and_calmar_barter_vectors():
    assert tidemark.sortino_ratio(mean="-0.002", downside_dev="0.015", risk_free="0.001") == D("-0.2")
    assert tidemark.sortino_ratio(mean="0.0025", downside_dev="0.02", risk_free="0.0015", period=7200,
                                  target_interval=28800) == D("0.1")
    assert tidemark.calmar_ratio(mean="0.002", max_drawdown="-0.015", risk_free="0.001") == D("0.0666666666666666666666666667")


def test_rate_of_return_barter_vectors():
    assert tidemark.rate_of_return(mean="0.01", target_interval="annual252") == D("2.52")
    assert tidemark.rate_of_return(mean="-0.01", target_interval="annual252") == D("-2.52")
    assert tidemark.rate_of_return(mean="0.01", period=7200, target_interval=28800) == D("0.04")
    assert tidemark.rate_of_return([0.01, 0.03], target_interval="daily") == D("0.02")


def test_profit_factor_and_win_rate():
    assert tidemark.profit_factor([10, -5]) == D("2")
    assert tidemark.profit_factor(["10.5555", "-5.2345"]) == D("2.016524978507975928933040405")
    assert tidemark.profit_factor([1]) == D("Infinity")
    assert tidemark.profit_factor([]) is None
    assert tidemark.win_rate([1, 2, 3, 4, 5, 6, -1, -2, -3, -4]) == D("0.6")
    assert tidemark.win_rate([]) is None


def test_drawdowns_barter_generator_vector():
    day = 86_400_000
    values = [100, 110, 99, 88, 95, 115, 115, 114.99999, 200]
    dd = tidemark.drawdowns(values, times=[i * day for i in range(9)])
    assert dd.max.value == D("0.2")
    assert dd.max.time_start == "1970-01-02T00:00:00Z" and dd.max.time_end == "1970-01-06T00:00:00Z"
    assert dd.max.amount == D("22")
    assert dd.count == 2
    assert dd.mean == (D("0.2") + D("0.0000000869565217391304347826")) / 2
    assert dd.current is None


def test_welford_and_trade_quality_by_hand():
    w = analytics.welford([2, 4, 4, 4, 5, 5, 7, 9])
    assert w["count"] == 8 and w["mean"] == D("5") and w["population_variance"] == D("4")
    assert w["population_std_dev"] == D("2")
    pnls = [10.0, -5.0, 20.0, -2.5]
    q = analytics.trade_quality(pnls)
    mean = sum(pnls) / 4
    std = math.sqrt(sum((p - mean) ** 2 for p in pnls) / 3)  # sample, as backtesting.py
    assert q["sqn"] == pytest.approx(math.sqrt(4) * mean / std, rel=1e-12)


def test_bad_input_names_the_field():
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        tidemark.sharpe_ratio([0.1, "x"])
    assert e.value.field == "returns[1]"
    with pytest.raises(tidemark.InvalidArgumentError) as e:
        tidemark.win_rate("123")
    assert e.value.field == "pnls"
