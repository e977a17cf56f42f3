// The live system as users meet it: the README's example run as a script, the audit stream's
// buffering rule, log messages and their coalescing, and barter's recorded stream items.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

test('the default logger, console, prints one plain line per record', async () => {
  const lines = [];
  const warn = console.warn;
  console.warn = (...args) => lines.push(args);
  try {
    const sys = await tm.System.start(limited, { strategy: greedy });
    sys.feed(candles(3));
    sys.abort();
  } finally {
    console.warn = warn;
  }
  assert.equal(lines.length, 1);
  assert.equal(lines[0].length, 1, 'the message alone, no record object after it');
  assert.match(lines[0][0], /^tidemark: order refused: SPX buy 100 @ .*: max_order_notional: .* \(×3\)$/);
});

test('the same refusal on every bar is one line with a count per engine call', async () => {
  const items = candles();
  const { seen, logger } = capture();
  const sys = await tm.System.start(limited, { strategy: greedy, logger });
  const ticks = sys.feed(items.slice(0, -1));
  const n = items.length - 1;
  const refused = ticks.filter((t) => t.outputs.some((o) => 'OrdersRefused' in o));
  assert.equal(refused.length, n, 'one refusal per bar');
  assert.equal(seen.length, 1, seen.slice(0, 3).map((s) => s.message).join('\n'));
  assert.equal(seen[0].record.count, n);
  assert.equal(seen[0].record.sequence, refused[0].sequence, 'the first refusal stands for them');
  assert.match(seen[0].message, new RegExp(`^tidemark: order refused: SPX buy 100 @ .*exceeds 5000 \\(×${n}\\)$`));
  // The window is one call: the next call logs its own.
  sys.feed(items.slice(-1));
  assert.equal(seen.length, 2);
  assert.equal(seen[1].record.count, 1);
  assert.doesNotMatch(seen[1].message, /×/);
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

test('the README\'s live example, run top to bottom as a script, completes', async () => {
  const readme = read('README.md');
  const from = readme.indexOf('**Live systems.**');
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(from))[1];
  assert.match(block, /for await \(const tick of sys\.audit\(\)\)/);
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-live-'));
  const script = join(dir, 'readme_live.mjs');
  // What the README takes as given: a config, a strategy, items, an adapter and a journal.
  const prelude = `
import * as tm from ${JSON.stringify(pathToFileURL(join(root, 'js/index.mjs')).href)};
import { readFileSync } from 'node:fs';
const config = JSON.parse(readFileSync(${JSON.stringify(join(root, 'data/sp500_sma_cross.json'))}, 'utf8'));
const all = JSON.parse(${JSON.stringify(JSON.stringify(candles()))});
const items = all.slice(0, 3000);
async function* adapter() { for (const item of all.slice(3000)) { await null; yield item; } }
const webSocketAdapter = adapter();
const strategy = { id: 'readme', onMarket: (v) => (v.close > v.open ? { target: 'long', sizing: { fixed_quantity: '1' } } : { target: 'flat' }) };
const journal = { ticks: [], write(t) { this.ticks.push(t.sequence); } };
`;
  const epilogue = `
const gaps = journal.ticks.filter((s, i) => i > 0 && s !== journal.ticks[i - 1] + 1).length;
const first = journal.ticks[0];
console.log(JSON.stringify({ ticks: journal.ticks.length, first, gaps, trades: report.summary.portfolio.trades }));
`;
  writeFileSync(script, prelude + block + epilogue);
  try {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ''}: ${run.stderr}`);
    const out = JSON.parse(run.stdout.trim().split('\n').pop());
    assert.ok(out.ticks > candles().length, `every tick from the first: ${out.ticks}`);
    assert.equal(out.gaps, 0);
    assert.equal(out.first, 1, 'from the first tick (sequence 0 is the engine\'s start)');
    assert.ok(out.trades > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Drains what a reader has been given so far (a macrotask lets every resolved next() run).
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('ticks before the first audit(): kept from start with audit: true, else not kept', async () => {
  const items = candles(40);
  const kept = await tm.System.start(config, { audit: true });
  const early = kept.feed(items.slice(0, 20));
  assert.equal(kept.auditQueued, early.length);
  const seen = [];
  const reading = (async () => {
    for await (const t of kept.audit()) seen.push(t.sequence);
  })();
  kept.feed(items.slice(20));
  kept.shutdownWithSummary();
  await reading;
  assert.equal(seen[0], early[0].sequence, 'from the very first tick');
  assert.ok(seen.every((s, i) => i === 0 || s === seen[i - 1] + 1));
  assert.ok(seen.length >= 40);

  const plain = await tm.System.start(config);
  plain.feed(items.slice(0, 20));
  assert.equal(plain.auditQueued, 0, 'nothing kept before anyone reads');
  const later = [];
  const it = plain.audit();
  const produced = plain.feed(items.slice(20));
  plain.abort();
  for await (const t of it) later.push(t.sequence);
  assert.deepEqual(later, produced.map((t) => t.sequence), 'only the ticks after audit()');
});

test('a reader that breaks out frees the queue: 200k more candles keep nothing', async () => {
  const sys = await tm.System.start({ ...config, strategy: undefined }, { audit: true, logLevel: 'off' });
  const first = candles(10);
  sys.feed(first);
  for await (const t of sys.audit()) {
    if (t.sequence >= 2) break;
  }
  assert.equal(sys.auditQueued, 0, 'break freed what was kept');
  // 200,000 synthetic hourly bars after the last real one (daily ones would pass 2262, the
  // engine's last representable time).
  const t0 = Date.parse(first[9].Item.time_exchange);
  const bar = (i) => {
    const t = new Date(t0 + (i + 1) * 3_600_000).toISOString().replace('.000Z', 'Z');
    return { Item: { time_exchange: t, time_received: t, exchange: 'other', instrument: 0, kind: { Candle: { close_time: t, open: 100, high: 101, low: 99, close: 100, volume: 1, trade_count: 0 } } } };
  };
  for (let i = 0; i < 200_000; i += 10_000) {
    sys.feed(Array.from({ length: 10_000 }, (_, k) => bar(i + k)));
    assert.equal(sys.auditQueued, 0);
  }
  // A new reader starts afresh.
  const it = sys.audit();
  const [next] = sys.feed(bar(200_000));
  assert.equal(sys.auditQueued, 1);
  assert.equal((await it.next()).value.sequence, next.sequence);
  sys.abort();
  assert.deepEqual(await it.next(), { value: undefined, done: true });
});

test('unread ticks are bounded: the oldest are dropped and counted', async () => {
  const items = candles(3000);
  const sys = await tm.System.start({ ...config, strategy: undefined }, { audit: true, auditBuffer: 1000, logLevel: 'off' });
  const ticks = sys.feed(items);
  assert.ok(ticks.length >= 3000);
  assert.equal(sys.auditQueued, 1000);
  const it = sys.audit();
  assert.equal(it.dropped, ticks.length - 1000);
  const { value } = await it.next();
  assert.equal(value.sequence, ticks[ticks.length - 1000].sequence, 'the newest 1000 kept');
  await it.return();
  assert.equal(it.dropped, ticks.length - 1000, 'still readable after the reader ended');
  assert.equal(sys.auditQueued, 0);
  for (const [options, what] of [[{ auditBuffer: 0 }, 'auditBuffer'], [{ auditBuffer: 1.5 }, 'auditBuffer'], [{ audit: 'yes' }, 'audit']]) {
    await assert.rejects(tm.System.start(config, options), (e) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith(what), what);
  }
  sys.abort();
});

test('the audit stream ends at shutdown and at abort, also while a reader waits; one reader at a time', async () => {
  for (const end of ['shutdownWithSummary', 'abort']) {
    const sys = await tm.System.start(config, { logLevel: 'off' });
    let done = false;
    const seen = [];
    const reading = (async () => {
      for await (const t of sys.audit()) seen.push(t);
      done = true;
    })();
    assert.throws(() => sys.audit(), (e) => e.code === 'INVALID_ARGUMENT' && /already being read/.test(e.message));
    sys.feed(candles(5));
    await settle();
    assert.equal(done, false, 'waiting for more');
    sys[end]();
    await reading;
    assert.equal(done, true, end);
    assert.ok(seen.length >= 5);
    if (end === 'shutdownWithSummary') {
      // The shutdown's own ticks (here a position closed at the end, then the shutdown) come too.
      assert.deepEqual(seen.at(-1).event, { Shutdown: null });
      assert.ok(seen.every((t, i) => i === 0 || t.sequence === seen[i - 1].sequence + 1), 'no gap before the end');
    }
    const after = sys.audit();
    assert.deepEqual(await after.next(), { value: undefined, done: true }, `audit() after ${end}`);
  }
});
