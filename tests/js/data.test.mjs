// Data as users have it, through the JS API: the core detects the format, maps symbol columns to
// the config's instruments, refuses out-of-order rows naming the line (or sorts them on request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tm from '../../js/index.mjs';

const file = (name) => readFileSync(new URL(`../data/loaders/${name}`, import.meta.url), 'utf8');
const quiet = { logLevel: 'off' };
const hold = { cash: 1_000_000, commission: 0.001, strategy: { type: 'buy_and_hold' } };

test("pandas' unnamed index column is the time (backtesting.py's test files)", async () => {
  const r = await tm.backtest(hold, file('pandas_index.csv'), quiet);
  assert.equal(r.stats.market_events, 3);
  assert.equal(r.equity_curve[0].time, '2004-08-19T00:00:00Z');
});

test('Binance klines without a header are detected; the bar time is open_time', async () => {
  const r = await tm.backtest(hold, file('binance_klines.csv'), quiet);
  assert.equal(r.stats.market_events, 3);
  // open_time 1704067200000 ms = 2024-01-01T00:00:00Z, one bar an hour.
  assert.deepEqual(r.equity_curve.map((p) => p.time), ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z']);
});

test('a descending file is refused naming its line, or sorted on request', async () => {
  await assert.rejects(tm.backtest(hold, file('descending.csv'), quiet), (e) => e.code === 'DECODE' && /line 3/.test(e.message));
  const r = await tm.backtest(hold, file('descending.csv'), { ...quiet, sort: true });
  assert.equal(r.equity_curve[0].time, '2020-01-01T00:00:00Z');
  await assert.rejects(tm.backtest(hold, file('descending.csv'), { ...quiet, sort: 'yes' }), (e) => e.code === 'INVALID_ARGUMENT' && /sort/.test(e.message));
});

test("a symbol column sends each row to the config's instrument of that name", async () => {
  const spot = (base) => ({ exchange: 'binance_spot', name_exchange: `${base.toUpperCase()}USDT`, underlying: { base, quote: 'usdt' }, quote: 'underlying_quote', kind: 'spot' });
  const config = {
    instruments: [spot('btc'), spot('eth')],
    executions: [{ mocked_exchange: 'binance_spot', latency_ms: 0, fees_percent: 0,
      initial_state: { exchange: 'binance_spot', balances: [
        { asset: 'btc', balance: { total: 1, free: 1 }, time_exchange: '2024-01-01T00:00:00Z' },
        { asset: 'eth', balance: { total: 10, free: 10 }, time_exchange: '2024-01-01T00:00:00Z' }] } }],
  };
  const r = await tm.backtest(config, file('multi_symbol.csv'), { ...quiet, sort: true });
  assert.equal(r.stats.market_events, 4);
  // Each instrument is marked by its own rows: 1 BTC at 42,900 and 10 ETH at 2,350 on the last day.
  assert.equal(r.equity_curve.at(-1).equity, 42900 + 10 * 2350);
  // Without sort the second BTCUSDT row (2024-01-02) is followed by an earlier one.
  await assert.rejects(tm.backtest(config, file('multi_symbol.csv'), quiet), (e) => e.code === 'DECODE' && /line 4/.test(e.message));
  // A symbol the config does not have names its line and column.
  const unknown = file('multi_symbol.csv').replace('ethusdt', 'SOLUSDT');
  await assert.rejects(tm.backtest(config, unknown, { ...quiet, sort: true }), (e) => e.code === 'UNKNOWN_INSTRUMENT' && /line 4/.test(e.message) && /SOLUSDT/.test(e.message));
});

test('an OHLCV file without Close says so (not a trades CSV error)', async () => {
  await assert.rejects(tm.backtest(hold, 'Date,Open,High,Low\n2020-01-01,1,2,0.5\n', quiet), (e) => e.code === 'DECODE' && /missing column Close/.test(e.message));
});
