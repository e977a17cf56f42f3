// The fast paths of a single backtest keep its results: the lazily read report equals
// backtestJson's, and data given as UTF-8 bytes equals the same data as text.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const raw = createRequire(import.meta.url)('../../pkg/node/tidemark.js');

test('the report of backtest reads its large fields on first use and equals backtestJson', async () => {
  const json = JSON.parse(await tm.backtestJson(config, sp500));
  const report = await tm.backtest(config, sp500);
  const d = Object.getOwnPropertyDescriptor(report, 'equity_curve');
  assert.equal(typeof d.get, 'function', 'not read yet');
  assert.equal(report.equity_curve.length, 5031);
  assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(report, 'equity_curve').value), 'kept after the first read');
  assert.equal(JSON.stringify(report), JSON.stringify(json));
  assert.deepEqual(structuredClone(await tm.backtest(config, sp500)), json);
  const { inspect } = await import('node:util');
  assert.doesNotMatch(inspect(await tm.backtest(config, sp500), { depth: 0 }), /Getter/);
  // Assigning a field before reading it replaces it.
  const r = await tm.backtest(config, sp500);
  r.trades = [];
  assert.deepEqual(r.trades, []);
  // The summary too is read when first asked for, for the interval the run was given; a bad
  // interval is refused by backtest itself, before any field is read.
  const annual = await tm.backtest(config, sp500, { interval: 'annual252' });
  assert.equal(typeof Object.getOwnPropertyDescriptor(annual, 'summary').get, 'function');
  assert.deepEqual(annual.summary, JSON.parse(await tm.backtestJson(config, sp500, { interval: 'annual252' })).summary);
  assert.notDeepEqual(annual.summary, json.summary);
  await assert.rejects(tm.backtest(config, sp500, { interval: 'weekly' }), (e) => e.code === 'INVALID_ARGUMENT' && /interval/.test(e.message));
  const run = new raw.Backtest(config, sp500);
  run.step(1e9);
  assert.throws(() => run.reportPart('everything'), (e) => e.code === 'INVALID_ARGUMENT' && /part/.test(e.message));
  run.free();
});

test("the equity curve, built in JS from its columns, is reportJson's: fractional times, a thinned curve, one bar", async () => {
  const same = async (config, data) => {
    const report = await tm.backtest(config, data);
    const json = JSON.parse(await tm.backtestJson(config, data));
    assert.equal(JSON.stringify(report.equity_curve), JSON.stringify(json.equity_curve));
    return report.equity_curve;
  };
  // barter's trades at millisecond times: each point's time keeps its fraction.
  const barter = await same(read('data/barter/system_config.json'), read('data/barter/binance_spot_market_data_with_disconnect_events.json'));
  assert.ok(barter.some((p) => /\.\d{3}Z$/.test(p.time)), 'fractional times');
  // 30,000 bars thin to at most 10,000 points: every 4th (4 = ceil(30,000 / 9,999)), 7,500 of
  // them, and the last; drawdowns of the full curve.
  const bars = ['time,open,high,low,close'];
  for (let i = 0; i < 30_000; i++) bars.push(`${1_500_000_000 + i * 60},${100 + Math.sin(i / 50) * 10},${111},${89},${100 + Math.sin((i + 1) / 50) * 10}`);
  const thinned = await same(config, bars.join('\n'));
  assert.equal(thinned.length, 7_501);
  assert.ok(thinned.some((p) => p.drawdown_pct > 0 && p.drawdown_duration_secs > 0));
  // One bar: one point.
  assert.equal((await same(config, "time,open,high,low,close\n1500000000,1,1,1,1")).length, 1);
  // The report keeps the columns its rows were built from, for Python (`CURVE_COLUMNS`): read
  // once, before or after the rows; none once the curve was replaced unread.
  const columnsOf = Symbol.for('tidemark.equityCurveColumns');
  const r = await tm.backtest(config, sp500);
  const columns = r[columnsOf]();
  assert.equal(columns.equity.length, 5031);
  assert.deepEqual(r.equity_curve.map((p) => p.equity), [...columns.equity]);
  assert.deepEqual(r.equity_curve.map((p) => p.time), columns.time.split('\n'));
  assert.equal(r[columnsOf](), columns);
  assert.equal(Object.keys(r).includes(columnsOf), false);
  const replaced = await tm.backtest(config, sp500);
  replaced.equity_curve = [];
  assert.equal(replaced[columnsOf](), undefined);
  // The columns of a run not finished yet are refused, naming the report.
  const run = new raw.Backtest(config, sp500);
  assert.throws(() => run.equityCurveColumns(), (e) => e.code === 'INVALID_ARGUMENT' && /report: the backtest has not finished/.test(e.message));
  run.free();
});

test('data as UTF-8 bytes gives the report of the same text; bad bytes name data', async () => {
  const text = await tm.backtestJson(config, sp500);
  const bytes = new TextEncoder().encode(sp500);
  assert.equal(await tm.backtestJson(config, bytes), text);
  assert.equal(await tm.backtestJson(config, bytes.buffer), text);
  const rows = await tm.sweep(config, bytes, { fast: [5, 10], slow: [60] }, { workers: 2 });
  assert.deepEqual(rows, await tm.sweep(config, sp500, { fast: [5, 10], slow: [60] }, { workers: 1 }));
  const broken = Uint8Array.from([...new TextEncoder().encode('Date,Open,High,Low,Close\n1/4/1999,1,'), 0xff, 0xfe]);
  await assert.rejects(tm.backtest(config, broken), (e) => e.code === 'INVALID_ARGUMENT' && /data: not UTF-8 text: invalid bytes at byte 36/.test(e.message));
  assert.throws(() => new raw.Backtest(config, 42), (e) => e.code === 'INVALID_ARGUMENT' && /data: expected a string or UTF-8 bytes, got a number/.test(e.message));
  await assert.rejects(tm.backtest(config, new Float64Array(3)), (e) => e.code === 'INVALID_ARGUMENT' && /data/.test(e.message));
});

test("a JS strategy's trades carry its id as their tag; the built-in's carry its name", async () => {
  const smaCross = (await import('../../examples/js/sma_cross.mjs')).default;
  const quick = { cash: 10_000, commission: 0.002 };
  const js = await tm.backtest(quick, sp500, { strategy: smaCross({ fast: 10, slow: 20 }) });
  assert.equal(js.trades.length, 130);
  assert.deepEqual([...new Set(js.trades.map((t) => t.tag))], ['js-sma']);
  const anonymous = await tm.backtest(quick, sp500, { strategy: { onMarket: (v) => (v.close > v.open ? { target: 'long' } : { target: 'flat' }) } });
  assert.deepEqual([...new Set(anonymous.trades.map((t) => t.tag))], ['js']);
  const builtIn = await tm.backtest(config, sp500);
  assert.deepEqual([...new Set(builtIn.trades.map((t) => t.tag))], ['sma_cross']);
});

test('a run over its own events stops at a bad one and stays there; stepped in slices it reports as in one go', () => {
  const barter = JSON.parse(read('data/barter/system_config.json'));
  const items = JSON.parse(read('data/barter/binance_spot_market_data_with_disconnect_events.json'));
  const late = structuredClone(items);
  const j = late.findIndex((x, i) => i > 10 && x.Item?.Ok);
  late[j].Item.Ok.time_exchange = '2024-12-20T18:00:00Z';
  // The event that fails stays the next one: stepping again fails on it again, nothing skipped.
  const run = new raw.Backtest(barter, JSON.stringify(late));
  const first = (() => {
    try {
      run.step(1e9);
    } catch (e) {
      return e;
    }
    assert.fail('the run accepted events out of time order');
  })();
  assert.equal(first.code, 'TIME_BACKWARDS');
  const at = run.processed;
  assert.ok(at > 0 && at < run.total, `stopped at ${at} of ${run.total}`);
  for (const size of [1, 1e9]) {
    assert.throws(() => run.step(size), (e) => e.code === first.code && e.message === first.message);
    assert.equal(run.processed, at);
  }
  run.free();
  // In slices of 1, 7 and all at once, the same report.
  const text = JSON.stringify(items);
  const reports = [1, 7, 1e9].map((size) => {
    const r = new raw.Backtest(barter, text);
    while (!r.step(size));
    const out = r.reportJson();
    r.free();
    return out;
  });
  assert.equal(reports[0], reports[2]);
  assert.equal(reports[1], reports[2]);
});
