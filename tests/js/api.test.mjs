// Node tests of the built package (run `bash scripts/build-wasm.sh` first; scripts/test.sh does).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';
import { sp500Columns as columnsOf } from './support/sp500.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const golden = JSON.parse(read('tests/golden/sp500_sma_cross.json'));

test('version is the package version', () => {
  assert.equal(tm.version(), JSON.parse(read('package.json')).version);
  assert.match(read('Cargo.toml'), new RegExp(`^version = "${tm.version()}"`, 'm'));
});

test('error codes come from Rust and match the generated TypeScript declarations', () => {
  assert.equal(tm.ERROR_CODES.length, 13);
  const gen = read('js/types.gen.d.ts');
  const union = /export type ErrorCode = ([^;]+);/.exec(gen)[1];
  assert.deepEqual([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]), [...tm.ERROR_CODES]);
});

test('parseConfig accepts objects and JSON text, and names the path on error', () => {
  const c = tm.parseConfig(config);
  assert.equal(c.instruments.instruments[0].name_internal, 'other-spx_usd');
  assert.deepEqual(tm.parseConfig(JSON.stringify(config)), c);
  const bad = structuredClone(config);
  bad.executions[0].latency_ms = 'fast';
  assert.throws(() => tm.parseConfig(bad), (e) => {
    assert.ok(e instanceof tm.TidemarkError);
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'INVALID_CONFIG');
    assert.equal(e.details.path, 'executions[0].latency_ms');
    assert.equal(e.recoverable, true);
    return true;
  });
  assert.throws(() => tm.parseConfig('{'), (e) => e.code === 'DECODE' && e.details.location.line === 1);
});

test('backtest reproduces backtesting.py on the S&P 500, in slices with progress', async () => {
  const progress = [];
  const report = await tm.backtest(config, sp500, { sliceEvents: 1000, onProgress: (p) => progress.push(p) });
  const p = report.summary.portfolio;
  const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b), `${what}: ${a} vs ${b}`);
  close(p.equity_final, golden.stats['Equity Final [$]'], 'equity final');
  // Money is exact decimal text (backtesting.py's float, 7402.985854440014, to the float's
  // precision); the positions are all closed, so it is the quote balance to the digit.
  for (const key of ['equity_final', 'equity_peak', 'commissions']) assert.equal(typeof p[key], 'string', key);
  assert.equal(p.equity_final, report.summary.assets.other_usd.balance_end.total);
  assert.ok(Math.abs(Number(p.commissions) - golden.stats['Commissions [$]']) <= 1e-12 * golden.stats['Commissions [$]']);
  close(p.sharpe_ratio, golden.stats['Sharpe Ratio'], 'sharpe');
  // Tidemark's own fields give drawdowns as positive depths; backtesting.py's keys keep its sign.
  close(p.max_drawdown_pct, -golden.stats['Max. Drawdown [%]'], 'max drawdown');
  assert.equal(p.trades, golden.stats['# Trades']);
  assert.equal(report.summary.schema_version, 1);
  assert.equal(progress.length, 6);
  assert.deepEqual(progress.at(-1), { processed: 5031, total: 5031 });
  assert.ok(progress.every((x, i) => i === 0 || x.processed > progress[i - 1].processed));
  // Money stays decimal text.
  assert.equal(typeof report.trades[0].entry_price, 'string');
});

test('the report JSON is byte-identical to the native build', async (t) => {
  const exe = root + 'target/release/examples/backtest';
  if (!existsSync(exe)) return t.skip('native example not built (scripts/sample.sh builds it)');
  const native = execFileSync(exe, ['--config', root + 'data/sp500_sma_cross.json', '--data', root + 'data/ohlcv/sp500.csv', '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wasm = await tm.backtestJson(config, sp500);
  assert.equal(wasm + '\n', native);
});

test('an AbortSignal stops a backtest between slices', async () => {
  const controller = new AbortController();
  let calls = 0;
  await assert.rejects(
    tm.backtest(config, sp500, { sliceEvents: 500, signal: controller.signal, onProgress: () => { if (++calls === 2) controller.abort(); } }),
    (e) => e.name === 'AbortError',
  );
  assert.equal(calls, 2);
});

test('a backtest gives the host a turn, so reports dropped unread free their wasm memory in a loop', async () => {
  // Deterministic half: a task queued before the call runs before it resolves, even when the run
  // takes one slice (FinalizationRegistry callbacks, which free dropped reports' handles, are such
  // tasks).
  let ran = false;
  setImmediate(() => {
    ran = true;
  });
  await tm.backtest(config, sp500);
  assert.ok(ran, 'the host ran a task during the backtest');
  // The effect, in a process whose GC the script triggers: 300 runs whose reports are dropped
  // unread grow wasm memory by under 20 MB (it grew 58 MB when the handles waited for a task
  // that never came).
  const script = `
    import { readFileSync } from 'node:fs';
    import * as tm from ${JSON.stringify(new URL('../../js/index.mjs', import.meta.url).href)};
    const config = JSON.parse(readFileSync(${JSON.stringify(root + 'data/sp500_sma_cross.json')}, 'utf8'));
    const data = await tm.loadData(config, readFileSync(${JSON.stringify(root + 'data/ohlcv/sp500.csv')}, 'utf8'));
    for (let i = 0; i < 20; i++) await tm.backtest(config, data);
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
    const before = process.memoryUsage().external;
    for (let i = 0; i < 300; i++) {
      await tm.backtest(config, data);
      if (i % 20 === 19) globalThis.gc();
    }
    console.log(process.memoryUsage().external - before);`;
  const grown = Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.ok(grown < 20e6, `wasm memory grew ${(grown / 1e6).toFixed(1)} MB over 300 dropped reports`);
});

test('barter JSON text and arrays of events both work', async () => {
  const barter = read('data/barter/system_config.json');
  const items = read('data/barter/binance_spot_market_data_with_disconnect_events.json');
  const a = await tm.backtest(barter, items);
  const b = await tm.backtest(barter, JSON.parse(items));
  assert.deepEqual(a, b);
  assert.equal(a.stats.market_events, 21);
});

test('bad input is a typed error naming where', async () => {
  const bad = sp500.replace('1/5/1999,1228.099976', '1/5/1999,12x8.099976');
  await assert.rejects(tm.backtest(config, bad), (e) => e.code === 'DECODE' && e.details.location.line === 3 && e.details.location.column === 2);
  await assert.rejects(tm.backtest(config, sp500, { format: 'parquet' }), (e) => e.code === 'INVALID_ARGUMENT' && /format/.test(e.message));
  await assert.rejects(tm.backtest(config, 42), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(tm.backtest(config, sp500, { sliceEvents: 0 }), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(tm.backtest(config, sp500, { interval: 'weekly' }), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(tm.backtest(config, sp500, { instrument: 'AAPL' }), (e) => e.code === 'INVALID_ARGUMENT');
  // The module still works after refused input.
  const ok = await tm.backtest(config, sp500);
  assert.equal(ok.summary.portfolio.trades, 130);
});

test('sweep runs a grid over one data set and ranks it', async () => {
  const progress = [];
  const rows = await tm.sweep(config, sp500, { fast: [5, 10, 20], slow: [20, 30] }, { rankBy: 'return_pct', onProgress: (p) => progress.push(p.processed) });
  // (20, 20) is not a valid combination and is skipped: 5 runs. Progress counts the grid's
  // combinations, the skipped one too (as JS sweeps do): they are built one at a time.
  assert.equal(rows.length, 5);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].stats.return_pct >= rows[i].stats.return_pct);
  const tenTwenty = rows.find((r) => r.strategy.fast === 10 && r.strategy.slow === 20);
  assert.ok(Math.abs(tenTwenty.stats.equity_final - golden.stats['Equity Final [$]']) < 1e-6 * golden.stats['Equity Final [$]']);
  await assert.rejects(tm.sweep(config, sp500, { speed: [1] }), (e) => e.code === 'INVALID_ARGUMENT' && /speed/.test(e.message));
  await assert.rejects(tm.sweep(config, sp500, { fast: [5] }, { rankBy: 'luck' }), (e) => e.code === 'INVALID_ARGUMENT' && /luck/.test(e.message));
  await assert.rejects(tm.sweep(config, sp500, [1, 2]), (e) => e.code === 'INVALID_ARGUMENT');
});

test('initialBalances seeds a run per call, overriding the config', async () => {
  const r = await tm.backtest(config, sp500, { initialBalances: [{ asset: 'usd', total: '1000' }] });
  assert.equal(r.equity_curve[0].equity, 1000);
  assert.equal(r.summary.assets.other_usd.balance_end.total !== undefined, true);
  const system = await tm.System.start(config, { initialBalances: [{ exchange: 'other', asset: 'usd', total: '2500', free: '2500' }] });
  const line = sp500.split(/\r?\n/)[1].split(',');
  const t = '1999-01-04T00:00:00Z';
  system.feed({ Item: { time_exchange: t, time_received: t, exchange: 'other', instrument: 0, kind: { Candle: { close_time: t, open: line[1], high: line[2], low: line[3], close: line[4], volume: line[6], trade_count: 0 } } } });
  const usd = system.snapshot().state.assets.find((a) => a.balance && a.balance.total === '2500');
  assert.ok(usd, 'the seeded balance is the account balance');
  system.abort();
  await assert.rejects(tm.backtest(config, sp500, { initialBalances: [{ asset: 'eur', total: '1' }] }), (e) => e.code === 'INVALID_ARGUMENT' && /initialBalances/.test(e.message));
  await assert.rejects(tm.backtest(config, sp500, { initialBalances: [{ asset: 'usd' }] }), (e) => e.code === 'INVALID_ARGUMENT' && /total/.test(e.message));
  await assert.rejects(tm.System.start(config, { initialBalances: [{ exchange: 'kraken', asset: 'usd', total: '1' }] }), (e) => e.code === 'INVALID_ARGUMENT');
});

const sp500Columns = () => columnsOf(sp500);

test('columnar bars (typed arrays, one crossing per column) give the same report as the CSV', async () => {
  const fromCsv = await tm.backtestJson(config, sp500, { logLevel: 'off' });
  const fromColumns = await tm.backtestJson(config, sp500Columns(), { logLevel: 'off' });
  assert.equal(fromColumns, fromCsv);
  const c = sp500Columns();
  const plain = { time: [...c.time], open: [...c.open], high: [...c.high], low: [...c.low], close: [...c.close] };
  const report = await tm.backtest(config, plain, { logLevel: 'off' });
  assert.equal(report.summary.portfolio.trades, 130, 'plain arrays, no volume');
});

test('columnar trades and column errors', async () => {
  const cfg = structuredClone(config);
  const t0 = Date.UTC(2020, 0, 1);
  const trades = { time: [t0, t0 + 60_000, t0 + 120_000], price: [100, 101, 102.5], amount: [1, 2, 0.5], side: [1, -1, 1] };
  const report = await tm.backtest(cfg, trades, { logLevel: 'off' });
  assert.equal(report.stats.market_events, 3);
  const bad = [
    [{ ...sp500Columns(), low: new Float64Array(3) }, 'columns.low'],
    [{ ...trades, price: [100, NaN, 1] }, 'columns.price[1]'],
    [{ ...trades, side: [1, 0, 1] }, 'columns.side[1]'],
    [{ ...trades, time: [t0, Infinity, t0] }, 'columns.time[1]'],
  ];
  for (const [data, field] of bad) {
    await assert.rejects(tm.backtest(cfg, data, { logLevel: 'off' }), (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === field, field);
  }
  await assert.rejects(tm.backtest(cfg, { time: [t0] }, { logLevel: 'off' }), (e) => e.code === 'INVALID_ARGUMENT' && /columns need close/.test(e.message));
});

test('log records go to the logger passed, filtered by level', async () => {
  const captured = [];
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((l) => [l, (msg, rec) => captured.push([l, msg, rec])]));
  await tm.backtest(config, sp500, { logger, logLevel: 'info' });
  const fills = captured.filter(([, , r]) => r.message === 'fill');
  assert.equal(fills.length, 2 * 130, 'an entry and an exit fill per trade');
  const [level, msg, rec] = fills[0];
  assert.equal(level, 'info');
  assert.equal(msg, 'tidemark: fill');
  assert.equal(rec.fields.side, 'Buy');
  assert.equal(typeof rec.fields.price, 'string');
  assert.equal(captured.filter(([, , r]) => r.message === 'position closed').length, 130);
  assert.ok(!captured.some(([l]) => l === 'debug'));
  captured.length = 0;
  await tm.backtest(config, sp500, { logger, logLevel: 'debug' });
  assert.equal(captured.filter(([, , r]) => r.message === 'order sent').length, 2 * 130);
  captured.length = 0;
  await tm.backtest(config, sp500, { logger, logLevel: 'off' });
  assert.equal(captured.length, 0);
  await assert.rejects(tm.backtest(config, sp500, { logLevel: 'verbose' }), (e) => e.code === 'INVALID_ARGUMENT' && /logLevel/.test(e.message));
  await assert.rejects(tm.backtest(config, sp500, { logger: {} }), (e) => e.code === 'INVALID_ARGUMENT' && /logger/.test(e.message));
});

test('analytics helpers on plain numbers reproduce barter vectors and name bad fields', () => {
  const a = tm.analytics;
  assert.deepEqual(Object.keys(a).sort(), ['calmar', 'drawdowns', 'profitFactor', 'rateOfReturn', 'rescaleRatio', 'sharpe', 'sortino', 'tradeQuality', 'welford', 'winRate']);
  // barter-model.md §10.
  assert.equal(a.sharpe({ riskFree: '0.0015', mean: '0.0025', dispersion: '0.02' }).value, '0.05');
  assert.equal(a.rescaleRatio({ value: '0.05', from: 'daily', to: 'annual252' }).value, '0.7937253933193771771504847261');
  assert.equal(a.sortino({ riskFree: 0.001, mean: -0.002, dispersion: 0.015 }).value, '-0.2');
  assert.equal(a.calmar({ riskFree: '0.001', mean: '0.002', dispersion: '-0.015' }).value, '0.0666666666666666666666666667');
  assert.equal(a.rateOfReturn({ mean: '0.01', interval: 'annual252' }).value, '2.52');
  assert.equal(a.sharpe({ mean: 1, dispersion: 0 }).value, null, 'zero dispersion is undefined, not a sentinel');
  // Hand-computed: values 1..4 → mean 2.5, sample variance 5/3; drawdown 120 → 90 is 25%.
  const w = a.welford({ values: [1, 2, 3, 4] });
  assert.equal(w.mean, '2.5');
  assert.equal(w.population_variance, '1.25');
  assert.equal(a.drawdowns({ values: [100, 120, 90, 130], times: ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', '2024-01-04T00:00:00Z'] }).max.value, '0.25');
  assert.deepEqual(a.profitFactor({ pnls: ['10', '-5', '20'] }).value, { Finite: '6' });
  assert.equal(a.winRate({ pnls: [10, -5, 20, 0] }).value, '0.5');
  assert.ok(Math.abs(a.tradeQuality({ pnls: [10, -5, 20] }).kelly - 5 / 9) < 1e-12);
  assert.throws(() => a.sharpe({ returns: [0.01, 'x'] }), (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'returns[1]');
  assert.throws(() => a.sharpe({ returns: [], interval: 'weekly' }), (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'interval');
  assert.throws(() => a.welford({ vals: [] }), (e) => e.code === 'INVALID_ARGUMENT' && /unknown field/.test(e.message));
  assert.throws(() => a.drawdowns('{'), (e) => e.code === 'DECODE');
});

test('drawdowns are positive depths in every Tidemark field; a sweep ranks them smallest first', async () => {
  const grid = { fast: [5, 10, 20], slow: [30, 60] };
  const rows = await tm.sweep(config, sp500, grid, { rankBy: 'max_drawdown_pct' });
  const dds = rows.map((r) => r.stats.max_drawdown_pct);
  assert.ok(dds.every((d) => d > 0), `${dds}`);
  assert.deepEqual(dds, [...dds].sort((a, b) => a - b));
  // A JS strategy factory's sweep ranks the same way.
  const js = await tm.sweep(config, sp500, { n: [1, 2] }, { rankBy: 'volatility_ann_pct', strategy: ({ n }) => ({ onMarket: (v) => (v.close > v.open * (1 + 0.001 * n) ? { target: 'long' } : { target: 'flat' }) }) });
  assert.ok(js[0].stats.volatility_ann_pct <= js[1].stats.volatility_ann_pct);
  const report = await tm.backtest(config, sp500, { logLevel: 'off' });
  assert.ok(report.summary.portfolio.max_drawdown_pct > 0);
  assert.equal(report.backtesting_py.stats['Max. Drawdown [%]'], -report.summary.portfolio.max_drawdown_pct);
  assert.ok(report.equity_curve.every((p) => p.drawdown_pct >= 0));
});
