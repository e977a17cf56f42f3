// The live system as users meet it: the README's example run as a script, the audit stream's
// buffering rule, log messages and their coalescing, and barter's recorded stream items.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const config = JSON.parse(read('data/sp500_sma_cross.json'));

// The S&P 500 CSV as barter market stream items (candles), as a venue adapter would produce.
function candles(limit = Infinity) {
  const [, ...rows] = read('data/ohlcv/sp500.csv').trim().split(/\r?\n/);
  return rows.slice(0, limit).map((line) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const [m, d, y] = date.split('/').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d)).toISOString().replace('.000Z', 'Z');
    return { Item: { time_exchange: t, time_received: t, exchange: 'other', instrument: 0, kind: { Candle: { close_time: t, open, high, low, close, volume, trade_count: 0 } } } };
  });
}

// A logger keeping what it is given.
function capture() {
  const seen = [];
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((l) => [l, (message, record) => seen.push({ level: l, message, record })]));
  return { seen, logger };
}

// Buys more than the risk limit allows on every bar: one refusal per bar.
const greedy = { id: 'greedy', onMarket: () => ({ side: 'buy', quantity: '100' }) };
const limited = { ...config, risk: { max_order_notional: '5000' } };

test('a refused order says what and why in its message; fields stay structured', async () => {
  const { seen, logger } = capture();
  const sys = await tm.System.start(limited, { strategy: greedy, logger });
  sys.feed(candles(1));
  assert.equal(seen.length, 1);
  const [{ level, message, record }] = seen;
  assert.equal(level, 'warn');
  const close = candles(1)[0].Item.kind.Candle.close;
  assert.equal(message, `tidemark: order refused: SPX buy 100 @ ${close}: max_order_notional: notional ${(close * 100).toFixed(6)} exceeds 5000`);
  assert.equal(record.message, message.slice('tidemark: '.length));
  assert.equal(record.kind, 'order refused');
  assert.equal(record.count, 1);
  assert.equal(record.fields.check, 'max_order_notional');
  assert.equal(record.fields.instrument, 0);
  assert.doesNotMatch(message, /\[Object\]|\{/);
  sys.abort();
});

test('the same refusal on every bar is one line with a count per engine call', async () => {
  const items = candles();
  const { seen, logger } = capture();
  const sys = await tm.System.start(limited, { strategy: greedy, logger });
  sys.feed(items);
  assert.equal(seen.length, 1, seen.slice(0, 3).map((s) => s.message).join('\n'));
  assert.equal(seen[0].record.count, items.length);
  assert.match(seen[0].message, new RegExp(`^tidemark: order refused: SPX buy 100 @ .*exceeds 5000 \\(×${items.length}\\)$`));
  // The window is one call: each later call logs its own.
  sys.feed(candles(items.length + 1).slice(items.length));
  sys.abort();
  // A backtest coalesces per slice (sliceEvents).
  seen.length = 0;
  await tm.backtest(limited, read('data/ohlcv/sp500.csv'), { strategy: greedy, logger, sliceEvents: 1000 });
  assert.equal(seen.length, Math.ceil(items.length / 1000));
  assert.deepEqual(seen.map((s) => s.record.count), [1000, 1000, 1000, 1000, 1000, items.length - 5000]);
});

test('feed takes barter\'s recorded {"Item":{"Ok":...}} items: the summary a backtest of the file gives', async () => {
  const barter = JSON.parse(read('data/barter/system_config.json'));
  const items = JSON.parse(read('data/barter/binance_spot_market_data_with_disconnect_events.json'));
  assert.ok('Ok' in items[0].Item);
  // Sends an order, so the comparison covers the strategy's view too (the file spans 22 ms,
  // less than the exchange's 100 ms latency: nothing fills).
  const strategy = () => ({
    id: 'probe',
    n: 0,
    onMarket() {
      this.n++;
      return this.n === 2 ? { side: 'buy', quantity: '0.01' } : undefined;
    },
  });
  const quiet = { logLevel: 'off' };
  const batch = await tm.backtest(barter, items, { ...quiet, strategy: strategy() });
  assert.equal(batch.stats.orders_sent, 1);
  assert.equal(batch.stats.market_events, 21);
  // One array (one crossing), and item by item.
  const a = await tm.System.start(barter, { ...quiet, strategy: strategy() });
  a.feed(items);
  const ra = a.shutdownWithSummary();
  assert.deepEqual(ra.summary, batch.summary);
  assert.deepEqual(ra.stats, batch.stats);
  const b = await tm.System.start(barter, { ...quiet, strategy: strategy() });
  for (const item of items) b.feed(item);
  const rb = b.shutdownWithSummary();
  assert.deepEqual(rb.summary, batch.summary);
  assert.deepEqual(rb.stats, batch.stats);
  // A bad Ok-wrapped item names its index and field, as other items do.
  const c = await tm.System.start(barter, quiet);
  const bad = structuredClone(items[0]);
  bad.Item.Ok.time_exchange = 'yesterday';
  assert.throws(() => c.feed([items[0], bad]), (e) => e.code === 'DECODE' && e.details.location.path === 'market[1]');
  assert.throws(() => c.feed({ Item: { Err: 'socket closed' } }), (e) => e.code === 'DECODE');
  c.abort();
});
