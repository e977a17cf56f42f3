// The playground's live replay reads data sets with the engine's own loaders
// (www/src/replay.mjs): every format the backtest takes replays, each market event once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tm from '../../js/index.mjs';
import { replayItems } from '../../www/src/replay.mjs';

const root = new URL('../../', import.meta.url);
const SP500 = readFileSync(new URL('data/ohlcv/sp500.csv', root), 'utf8');
const config = { cash: 10_000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } };

// OHLCV with a header, Binance klines (no header, ms times) and trades CSV.
const klines = SP500.split('\n').slice(1, 301).filter(Boolean).map((l) => {
  const [date, o, h, lo, c, , v] = l.split(',');
  const [m, d, y] = date.split('/').map(Number);
  const t = Date.UTC(y, m - 1, d);
  return [t, o, h, lo, c, v || '0', t + 86_399_999, '0', '0', '0', '0', '0'].join(',');
}).join('\n');
const trades = ['time,price,amount', ...Array.from({ length: 200 }, (_, i) => `${1_600_000_000 + i * 60},${(100 + Math.sin(i / 7) * 5).toFixed(2)},${(1 + (i % 3)).toFixed(1)}`)].join('\n');

for (const [name, data] of [['OHLCV CSV', SP500], ['Binance klines', klines], ['trades CSV', trades]]) {
  test(`replay: ${name} through the engine's loader, each market event once, fed to a live System`, async () => {
    const report = await tm.backtest(config, data, { logLevel: 'off' });
    const exchanges = tm.parseConfig(config).instruments.instruments.map((i) => i.exchange_id);
    const items = await replayItems(tm, config, data, exchanges);
    assert.equal(items.length, report.stats.market_events);
    const sys = await tm.System.start(config, { logLevel: 'off' });
    sys.feed(items);
    const summary = sys.shutdownWithSummary();
    // The replay trades as the backtest does: the same closed trades.
    assert.equal(summary.summary.portfolio.trades, report.summary.portfolio.trades);
  });
}

test('replay: barter JSON goes to the System as it is', async () => {
  const data = readFileSync(new URL('data/barter/binance_spot_market_data_with_disconnect_events.json', root), 'utf8');
  const items = await replayItems(tm, {}, data, []);
  assert.deepEqual(items, JSON.parse(data));
});
