// Data decoded once (loadData) and shared by backtests and sweeps: the same reports and rows as
// the text each time, numbers from backtesting.py 0.6.6 (tests/golden/), and every misuse a typed
// error that leaves the Dataset usable.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';
import { sp500Columns as columnsOf } from './support/sp500.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const golden = JSON.parse(read('tests/golden/sp500_sma_cross.json'));
const optimize = JSON.parse(read('tests/golden/sp500_sma_optimize.json'));
const quiet = { logLevel: 'off' };
const withStrategy = (strategy) => ({ ...config, strategy: { ...config.strategy, ...strategy } });

const sp500Columns = () => columnsOf(sp500);

test('a Dataset gives the report of the text, byte for byte, run after run, with backtesting.py\'s numbers', async () => {
  const data = await tm.loadData(config, sp500);
  assert.ok(data instanceof tm.Dataset);
  assert.equal(data.events, 5031);
  const fromText = await tm.backtestJson(config, sp500, quiet);
  assert.equal(await tm.backtestJson(config, data, quiet), fromText);
  // Another strategy over the same Dataset, then the first again: nothing carried over.
  const other = await tm.backtestJson(withStrategy({ fast: 20, slow: 60 }), data, quiet);
  assert.equal(other, await tm.backtestJson(withStrategy({ fast: 20, slow: 60 }), sp500, quiet));
  assert.notEqual(other, fromText);
  const report = await tm.backtest(config, data, quiet);
  assert.equal(report.summary.portfolio.trades, golden.stats['# Trades']);
  assert.ok(Math.abs(report.summary.portfolio.equity_final - golden.stats['Equity Final [$]']) <= 1e-6 * golden.stats['Equity Final [$]']);
  assert.equal(report.trades.length, golden.stats['# Trades']);
  assert.equal(await tm.backtestTable(config, data, quiet), await tm.backtestTable(config, sp500, quiet));
  // initialBalances still applies per run.
  const seeded = await tm.backtest(config, data, { ...quiet, initialBalances: [{ asset: 'usd', total: '20000' }] });
  assert.equal(seeded.equity_curve[0].equity, 20000);
});

test('a Dataset from columns, bytes or a stream decodes as the text does', async () => {
  const fromText = await tm.backtestJson(config, sp500, quiet);
  for (const [what, source] of [
    ['columns', sp500Columns()],
    ['bytes', new TextEncoder().encode(sp500)],
    ['a Node stream', Readable.from([sp500.slice(0, 1000), sp500.slice(1000)])],
  ]) {
    const data = await tm.loadData(config, source);
    assert.equal(await tm.backtestJson(config, data, quiet), fromText, what);
  }
  const json = await tm.loadData(config, sp500, { format: 'ohlcv-csv', instrument: 'SPX', sort: true });
  assert.equal(json.events, 5031);
});

test('sweeps over a Dataset give the rows of the text, on one thread, on workers and from columns', async () => {
  const grid = optimize.grid;
  const lt = ({ fast, slow }) => fast < slow;
  const data = await tm.loadData(config, sp500);
  const fromText = await tm.sweep(config, sp500, grid, { constraint: lt, workers: 1, rankBy: 'equity_final' });
  const one = await tm.sweep(config, data, grid, { constraint: lt, workers: 1, rankBy: 'equity_final' });
  const two = await tm.sweep(config, data, grid, { constraint: lt, workers: 2, rankBy: 'equity_final' });
  assert.equal(JSON.stringify(one), JSON.stringify(fromText));
  assert.equal(JSON.stringify(two), JSON.stringify(fromText));
  assert.equal(one[0].strategy.fast, optimize.best.fast);
  assert.equal(one[0].strategy.slow, optimize.best.slow);
  assert.ok(Math.abs(one[0].score - optimize.best['Equity Final [$]']) < 1e-6);
  // Columns: workers would need the text, so the sweep runs in this thread, with the same rows.
  const columns = await tm.loadData(config, sp500Columns());
  const small = { fast: [10, 20], slow: [60, 120] };
  assert.equal(
    JSON.stringify(await tm.sweep(config, columns, small, { workers: 2, rankBy: 'equity_final' })),
    JSON.stringify(await tm.sweep(config, sp500, small, { workers: 1, rankBy: 'equity_final' })),
  );
  // A JS strategy sweep shares it too.
  const hold = () => ({ onMarket: () => ({ target: 'long' }) });
  const js = await tm.sweep(config, data, { n: [1, 2] }, { strategy: hold, rankBy: 'equity_final' });
  assert.equal(js.length, 2);
  assert.ok(js.every((r) => r.error === null && r.stats.return_pct > 100), JSON.stringify(js[0]));
  assert.equal(JSON.stringify(js), JSON.stringify(await tm.sweep(config, sp500, { n: [1, 2] }, { strategy: hold, rankBy: 'equity_final' })));
});

test('misused Datasets are typed errors naming the argument, and the Dataset still works after', async () => {
  const data = await tm.loadData(config, sp500);
  const expected = await tm.backtestJson(config, sp500, quiet);
  const invalid = (field, pattern) => (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_ARGUMENT' && e.details.field === field && pattern.test(e.message);
  // Another instrument set: every event would name the wrong instrument.
  const other = structuredClone(config);
  other.instruments[0].name_exchange = 'NDX';
  other.instruments[0].underlying = { base: 'ndx', quote: 'usd' };
  await assert.rejects(tm.backtest(other, data, quiet), invalid('data', /loaded for the instruments \[.*\] and this config has/));
  await assert.rejects(tm.sweep(other, data, { fast: [5] }, quiet), invalid('data', /loaded for the instruments/));
  // The reading was fixed by loadData.
  for (const name of ['format', 'sort', 'instrument']) {
    const value = name === 'sort' ? true : 'ohlcv-csv';
    await assert.rejects(tm.backtest(config, data, { [name]: value }), invalid(name, /decoded by loadData/));
    await assert.rejects(tm.sweep(config, data, { fast: [5] }, { [name]: value }), invalid(name, /decoded by loadData/));
  }
  await assert.rejects(tm.loadData(config, data), invalid('data', /already a Dataset/));
  assert.throws(() => new tm.Dataset(), (e) => e.code === 'INVALID_ARGUMENT' && /made by loadData/.test(e.message));
  assert.equal(await tm.backtestJson(config, data, quiet), expected, 'unchanged by the refusals');
  // Freed: refused by name, twice over; another Dataset is unaffected.
  const spare = await tm.loadData(config, sp500);
  data.free();
  data.free();
  await assert.rejects(tm.backtest(config, data, quiet), invalid('data', /was freed/));
  await assert.rejects(tm.sweep(config, data, { fast: [5] }, quiet), invalid('data', /was freed/));
  assert.throws(() => data.events, invalid('data', /was freed/));
  assert.equal(await tm.backtestJson(config, spare, quiet), expected);
});

test('loadData refuses what backtest refuses, with the same error', async () => {
  const bad = sp500.replace('1455.219971', 'abc');
  const errorOf = (p) => p.then(() => assert.fail('resolved'), (e) => e);
  const [viaBacktest, viaLoad] = [await errorOf(tm.backtest(config, bad, quiet)), await errorOf(tm.loadData(config, bad))];
  assert.equal(viaLoad.code, viaBacktest.code);
  assert.equal(viaLoad.message, viaBacktest.message);
  assert.deepEqual(viaLoad.details, viaBacktest.details);
  const invalid = (field) => (e) => e.code === 'INVALID_ARGUMENT' && (e.details?.field === field || e.message.startsWith(`${field}:`));
  await assert.rejects(tm.loadData(config, sp500, { format: 5 }), invalid('format'));
  await assert.rejects(tm.loadData(config, sp500, { format: 'xml' }), invalid('format'));
  await assert.rejects(tm.loadData(config, sp500, { instrument: 'NOPE' }), invalid('instrument'));
  await assert.rejects(tm.loadData(config, sp500, 'fast'), (e) => e.code === 'INVALID_ARGUMENT' && /options: expected an object/.test(e.message));
  await assert.rejects(tm.loadData(config, 42), invalid('data'));
  await assert.rejects(tm.loadData({ ...config, instruments: 'x' }, sp500), (e) => e.code === 'INVALID_CONFIG');
  await assert.rejects(tm.loadData(config, { time: [0], close: [1] }), invalid('data.open'));
});
