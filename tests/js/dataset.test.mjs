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
import wasm from '../../pkg/node/tidemark.js';
import { sweepWorker } from '../../js/sweep-worker-core.mjs';
import { bind } from '../../js/api.mjs';
import { makePool } from '../../js/pool.mjs';

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

test('a sweep worker keeps a Dataset decoded for the next sweep over it, until told it was freed', () => {
  const replies = [];
  const handle = sweepWorker(wasm, (m) => replies.push(m));
  const bytes = new TextEncoder().encode(sp500);
  const grid = { fast: [10], slow: [20] };
  const open = (data) => {
    replies.length = 0;
    handle({ type: 'open', config: JSON.stringify(config), data, grid, dataset: 7 });
    return replies[0]; // an open is answered only when it fails
  };
  const rows = () => {
    replies.length = 0;
    handle({ type: 'run', chunk: 0, indices: [0] });
    return JSON.parse(replies[0].rows); // rows cross threads as JSON text
  };
  assert.equal(open(bytes), undefined);
  const first = rows();
  assert.equal(first[0].stats.trades, 130);
  handle({ type: 'close' });
  // The same Dataset again: its bytes are not decoded again (these could not be).
  const garbage = new TextEncoder().encode('not, a, csv\n');
  assert.equal(open(garbage), undefined);
  assert.equal(JSON.stringify(rows()), JSON.stringify(first));
  handle({ type: 'close' });
  // Another Dataset's forgetting leaves it; its own frees it, and the next open decodes.
  handle({ type: 'forget', dataset: 8 });
  assert.equal(open(garbage), undefined);
  handle({ type: 'forget', dataset: 7 });
  const failed = open(garbage);
  assert.equal(failed.type, 'error');
  assert.equal(failed.error.code, 'DECODE', failed.error.message);
  // And an open naming no Dataset decodes its data every time.
  replies.length = 0;
  handle({ type: 'open', config: JSON.stringify(config), data: garbage, grid });
  assert.equal(replies[0].type, 'error');
});

test('a worker\'s Sweep: a grid taken as checked skips what the check refuses', () => {
  const data = new wasm.Dataset(JSON.stringify(config), new TextEncoder().encode(sp500), 'csv', undefined, undefined);
  const grid = { fast: [10, 'ten', 0, 30], slow: [20, 40] };
  try {
    // The calling thread's check refuses the grid, naming the value's parameter.
    assert.throws(() => wasm.Sweep.fromDataset(JSON.stringify(config), data, grid, undefined), (e) => e.code === 'INVALID_ARGUMENT' && /grid\.fast/.test(e.message));
    // A worker's, told it was checked, builds; what the check refuses never runs (fast 30 ≥ slow 20 neither).
    const sweep = wasm.Sweep.fromDataset(JSON.stringify(config), data, grid, undefined, true);
    const indices = [...Array(sweep.total).keys()];
    for (const ranked of [true, false]) {
      const rows = JSON.parse(sweep.runIndices(indices, ranked));
      assert.deepEqual(
        rows.map((r) => [r.strategy.fast, r.strategy.slow]),
        [
          [10, 20],
          [10, 40],
          [30, 40],
        ],
      );
    }
    assert.equal(JSON.parse(sweep.runIndices([0], true))[0].stats.trades, 130);
    sweep.free();
  } finally {
    data.free();
  }
});

test('freeing a Dataset made from text tells the sweep pool, which forwards it to its workers', async () => {
  const forgotten = [];
  const api = bind(wasm, { pool: { cores: () => 2, run: () => assert.fail('no sweep here'), forget: (id) => forgotten.push(id) } });
  const a = await api.loadData(config, sp500);
  const b = await api.loadData(config, sp500);
  b.free();
  a.free();
  a.free();
  assert.equal(forgotten.length, 2, 'once each');
  assert.notEqual(forgotten[0], forgotten[1], 'each Dataset has its own id');
  // One from columns never reaches a worker: nothing to tell.
  (await api.loadData(config, columnsOf(sp500))).free();
  assert.equal(forgotten.length, 2);
  // The pool posts it to every worker it has started.
  const posted = [];
  const pool = makePool({ cores: () => 2, spawn: () => ({ post: (m) => posted.push(m), listen: () => () => {}, onIdleFailure() {}, terminate() {} }) });
  pool.forget(3);
  assert.deepEqual(posted, [], 'no workers yet');
  pool.run({}, [[0], [1]], 2, {});
  posted.length = 0;
  pool.forget(3);
  assert.deepEqual(posted, [{ type: 'forget', dataset: 3 }, { type: 'forget', dataset: 3 }]);
});

test('barter JSON with a bad value is refused by loadData as a run over it refuses it; one out of time order fails its runs', async () => {
  const barter = JSON.parse(read('data/barter/system_config.json'));
  const items = JSON.parse(read('data/barter/binance_spot_market_data_with_disconnect_events.json'));
  const bad = structuredClone(items);
  const k = bad.findIndex((x, i) => i > 3 && x.Item?.Ok?.kind?.Trade);
  bad[k].Item.Ok.kind.Trade.price = -1;
  const text = JSON.stringify(bad);
  const byRun = await tm.backtestJson(barter, text, quiet).then(() => assert.fail('the run accepted it'), (e) => e);
  const byLoad = await tm.loadData(barter, text).then(() => assert.fail('loadData accepted it'), (e) => e);
  assert.equal(byLoad.code, 'INVALID_EVENT');
  assert.equal(byLoad.message, byRun.message);
  assert.match(byLoad.message, new RegExp(`events\\[${k}\\]`));
  assert.equal(JSON.stringify(byLoad.details), JSON.stringify(byRun.details));
  // Time order is the run's to check (it depends on the config's tolerance): a Dataset's run
  // still fails where the text's does.
  const late = structuredClone(items);
  const j = late.findIndex((x, i) => i > 10 && x.Item?.Ok);
  late[j].Item.Ok.time_exchange = '2024-12-20T18:00:00Z';
  const lateText = JSON.stringify(late);
  const fromText = await tm.backtestJson(barter, lateText, quiet).then(() => assert.fail('accepted'), (e) => e);
  const data = await tm.loadData(barter, lateText);
  const fromData = await tm.backtestJson(barter, data, quiet).then(() => assert.fail('accepted'), (e) => e);
  assert.equal(fromData.code, 'TIME_BACKWARDS');
  assert.equal(fromData.message, fromText.message);
  // And the good data still runs from a Dataset as from the text.
  const good = JSON.stringify(items);
  assert.equal(await tm.backtestJson(barter, await tm.loadData(barter, good), quiet), await tm.backtestJson(barter, good, quiet));
});
