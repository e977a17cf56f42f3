import tidemark

async def test_backtest_sp500_matches_backtesting_py(sp500_csv, quick_config):
    report = await tidemark.backtest(quick_config, sp500_csv)
    assert report.stats["# Trades"] == 130
    assert abs(report.stats["Equity Final [$]"] - 7402.9858544) < 1e-6
