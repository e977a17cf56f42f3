// Sweeps: worker threads give the same rows as one thread, constraints, objectives, heatmaps,
// abort. Reference numbers come from backtesting.py 0.6.6
// (tests/golden/sp500_sma_optimize.json: Backtest.optimize's heatmap over the same 10 x 10 grid).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const golden = JSON.parse(read('tests/golden/sp500_sma_optimize.json'));
const grid = golden.grid;
const lt = ({ fast, slow }) => fast < slow;

test('a sweep on worker threads gives the rows of a one-thread sweep, byte for byte', async () => {
  const one = await tm.sweep(config, sp500, grid, { workers: 1, rankBy: 'equity_final' });
  const two = await tm.sweep(config, sp500, grid, { workers: 2, rankBy: 'equity_final' });
  const auto = await tm.sweep(config, sp500, grid, { rankBy: 'equity_final' });
  assert.equal(one.length, 100);
  assert.equal(JSON.stringify(two), JSON.stringify(one));
  assert.equal(JSON.stringify(auto), JSON.stringify(one));
});

test('RSI and Donchian sweeps (their indicators computed once per length) give each row its own backtest, on one thread or two', async () => {
  const strategies = [
    [{ type: 'rsi_reversion', period: 14, oversold: 30, overbought: 70 }, { period: [7, 14], oversold: [25, 35], overbought: [65, 75] }],
    [{ type: 'donchian_breakout', entry_period: 20, exit_period: 10 }, { entry_period: [10, 20, 55], exit_period: [5, 20, 40] }],
  ];
  for (const [strategy, sweepGrid] of strategies) {
    const swept = { ...config, strategy: { ...strategy, sizing: config.strategy.sizing } };
    const data = await tm.loadData(swept, sp500);
    const one = await tm.sweep(swept, data, sweepGrid, { workers: 1, rankBy: 'equity_final' });
    const two = await tm.sweep(swept, data, sweepGrid, { workers: 2, rankBy: 'equity_final' });
    assert.equal(JSON.stringify(two), JSON.stringify(one), strategy.type);
    assert.ok(new Set(one.map((r) => r.stats.trades)).size > 2, `${strategy.type}: the rows differ`);
    for (const r of one) {
      const alone = await tm.backtest({ ...swept, strategy: r.strategy }, data);
      assert.deepEqual(r.stats, alone.summary.portfolio, JSON.stringify(r.strategy));
    }
    data.free();
  }
});

test('sweep and heatmap match backtesting.py optimize on every cell of the 10 x 10 grid', async () => {
  const progress = [];
  const rows = await tm.sweep(config, sp500, grid, {
    workers: 2,
    constraint: lt,
    objective: (stats) => Number(stats.equity_final), // money is decimal text
    onProgress: (p) => progress.push(p),
  });
  assert.equal(rows.length, 100);
  const best = rows[0];
  assert.deepEqual([best.strategy.fast, best.strategy.slow], [golden.best.fast, golden.best.slow]);
  assert.ok(Math.abs(best.score - golden.best['Equity Final [$]']) < 1e-6, `${best.score}`);
  assert.deepEqual(progress.at(-1), { processed: 100, total: 100 });
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i].processed >= progress[i - 1].processed);
  const h = tm.heatmap(rows, { x: 'fast', y: 'slow' });
  assert.deepEqual(h.xs, grid.fast);
  assert.deepEqual(h.ys, grid.slow);
  for (const cell of golden.heatmap) {
    const v = h.values[h.ys.indexOf(cell.slow)][h.xs.indexOf(cell.fast)];
    assert.ok(Math.abs(v - cell['Equity Final [$]']) < 1e-6, `fast ${cell.fast} slow ${cell.slow}: ${v} vs ${cell['Equity Final [$]']}`);
  }
  // A statistic other than the score, and rankBy giving the same order as the objective here.
  const byStat = tm.heatmap(rows, { x: 'fast', y: 'slow', value: 'trades' });
  assert.ok(byStat.values.flat().every((n) => Number.isInteger(n) && n > 0));
  const ranked = await tm.sweep(config, sp500, grid, { workers: 1, rankBy: 'equity_final' });
  assert.deepEqual(ranked.map((r) => r.score), rows.map((r) => r.score));
});

test('a quick config sweeps parameters it leaves out, with backtesting.py optimize\'s numbers', async () => {
  // The grid sets fast and slow in every run: the config need not name them as well.
  const quick = { cash: 10000, commission: 0.002, strategy: { type: 'sma_cross' } };
  const g = { fast: [10, 25], slow: [60, 240] };
  const rows = await tm.sweep(quick, sp500, g, { workers: 1, rankBy: 'equity_final' });
  assert.equal(rows.length, 4);
  for (const r of rows) {
    const cell = golden.heatmap.find((c) => c.fast === r.strategy.fast && c.slow === r.strategy.slow);
    assert.ok(Math.abs(r.stats.equity_final - cell['Equity Final [$]']) < 1e-6, `${r.strategy.fast}/${r.strategy.slow}`);
  }
  // A parameter the config does name keeps its place in the strategy; the grid still sets it per run.
  const named = await tm.sweep({ ...quick, strategy: { type: 'sma_cross', slow: 999 } }, sp500, g, { workers: 1, rankBy: 'equity_final' });
  assert.equal(JSON.stringify(named), JSON.stringify(rows));
  // A parameter neither the config nor the grid gives takes the strategy's default (slow 20).
  const [one] = await tm.sweep(quick, sp500, { fast: [10] }, { workers: 1, rankBy: 'equity_final' });
  assert.deepEqual([one.strategy.fast, one.strategy.slow], [10, 20]);
  assert.ok(Math.abs(one.stats.equity_final - 7402.99) < 0.01, `${one.stats.equity_final}`);
  assert.equal(tm.MAX_SWEEP_COMBINATIONS, 100000);
});

test("stats: 'ranked' rows carry the ranked statistics, each the full value; the best rows every statistic", async () => {
  const all = await tm.sweep(config, sp500, grid, { workers: 1, rankBy: 'equity_final', constraint: lt });
  const names = [...tm.RANKED_STATISTICS].sort();
  assert.ok(names.includes('equity_final') && names.includes('sqn') && !names.includes('sharpe_ratio'), names.join());
  for (const [workers, complete] of [[1, undefined], [2, undefined], [1, 3], [2, 3], [2, 0]]) {
    const rows = await tm.sweep(config, sp500, grid, { workers, rankBy: 'equity_final', constraint: lt, stats: 'ranked', complete });
    const full = complete ?? 1;
    assert.equal(rows.length, all.length);
    for (const [i, r] of rows.entries()) {
      assert.deepEqual([r.strategy, r.score, r.error], [all[i].strategy, all[i].score, all[i].error], `row ${i}`);
      if (i < full) {
        assert.deepEqual(r.stats, all[i].stats, `row ${i} is complete`);
        continue;
      }
      assert.deepEqual(Object.keys(r.stats).sort(), names, `row ${i}`);
      for (const k of names) assert.deepEqual(r.stats[k], all[i].stats[k], `row ${i} ${k}`);
    }
    // backtesting.py optimize's numbers, from the ranked rows alone.
    const h = tm.heatmap(rows, { x: 'fast', y: 'slow', value: 'equity_final' });
    for (const cell of golden.heatmap) {
      const v = h.values[h.ys.indexOf(cell.slow)][h.xs.indexOf(cell.fast)];
      assert.ok(Math.abs(v - cell['Equity Final [$]']) < 1e-6, `fast ${cell.fast} slow ${cell.slow}: ${v}`);
    }
  }
  // A trade statistic ranks the same way; one that needs the curve, or an objective, gets every
  // statistic on every row, as 'all' does.
  const g = { fast: [5, 10], slow: [20, 60] };
  const sqn = await tm.sweep(config, sp500, g, { workers: 1, rankBy: 'sqn', stats: 'ranked', complete: 0 });
  assert.deepEqual(sqn.map((r) => r.score), (await tm.sweep(config, sp500, g, { workers: 1, rankBy: 'sqn' })).map((r) => r.score));
  assert.ok(sqn.every((r) => !('sharpe_ratio' in r.stats)));
  for (const options of [{ rankBy: 'sharpe_ratio' }, { objective: (s) => s.sharpe_ratio ?? Number.NaN }]) {
    const ranked = await tm.sweep(config, sp500, g, { workers: 1, stats: 'ranked', complete: 0, ...options });
    assert.equal(JSON.stringify(ranked), JSON.stringify(await tm.sweep(config, sp500, g, { workers: 1, ...options })));
  }
  // The TypeScript declaration names the same fields.
  const pick = /export type RankedStats = Pick<PortfolioStats, ([^>]*)>/.exec(read('js/index.d.ts'))[1];
  assert.deepEqual(pick.split('|').map((k) => k.trim().replace(/'/g, '')).sort(), names);
});

test('a constraint skips combinations; progress still counts the whole grid', async () => {
  const g = { fast: [5, 10, 20], slow: [10, 20, 30] };
  for (const workers of [1, 2]) {
    const progress = [];
    const rows = await tm.sweep(config, sp500, g, { workers, rankBy: 'return_pct', constraint: ({ fast, slow }) => slow - fast >= 10, onProgress: (p) => progress.push(p) });
    assert.deepEqual(rows.map((r) => `${r.strategy.fast}/${r.strategy.slow}`).sort(), ['10/20', '10/30', '20/30', '5/20', '5/30']);
    assert.deepEqual(progress.at(-1), { processed: 9, total: 9 });
  }
  // With more than two parameters a heatmap cell holds the best-ranked row's value.
  const rows = await tm.sweep(config, sp500, { fast: [5, 10], slow: [30, 60] }, { workers: 1, rankBy: 'return_pct' });
  const h = tm.heatmap(rows, { x: 'fast', y: 'slow', value: 'return_pct' });
  assert.equal(h.values[0][0], rows.find((r) => r.strategy.fast === 5 && r.strategy.slow === 30).stats.return_pct);
  // A JS strategy sweep takes the constraint and the objective too.
  const js = await tm.sweep(config, sp500.split('\n').slice(0, 400).join('\n'), { n: [1, 2, 3] }, {
    strategy: ({ n }) => ({ onMarket: (v) => (v.close > v.open * (1 + 0.001 * n) ? { target: 'long' } : { target: 'flat' }) }),
    constraint: ({ n }) => n !== 2,
    objective: (_s, p) => -p.n,
  });
  assert.deepEqual(js.map((r) => [r.strategy.n, r.score]), [[1, -1], [3, -3]]);
});

test('aborting a parallel sweep rejects with the reason and the next sweep works', async () => {
  const controller = new AbortController();
  const started = tm.sweep(config, sp500, grid, { workers: 2, signal: controller.signal, onProgress: (p) => p.processed > 0 && controller.abort(new Error('enough')) });
  await assert.rejects(started, /enough/);
  const rows = await tm.sweep(config, sp500, { fast: [5, 10], slow: [60, 80] }, { workers: 2 });
  assert.equal(rows.length, 4);
});

test('bad sweep options and heatmap arguments are typed errors naming the option', async () => {
  const g = { fast: [5, 10], slow: [60] };
  const bad = [
    [{ workers: 0 }, /workers/],
    [{ workers: 1.5 }, /workers/],
    [{ workers: 'all' }, /workers/],
    [{ constraint: true }, /constraint: expected a function/],
    [{ objective: 'sharpe' }, /objective: expected a function/],
    [{ constraint: () => { throw new Error('nope'); } }, /constraint\(\{"fast":5,"slow":60\}\) threw: nope/],
    [{ objective: () => 'high' }, /objective\(stats, \{"fast":5,"slow":60\}\): expected a number, got string/],
    [{ objective: () => { throw new Error('bad'); } }, /objective\(stats, .*threw: bad/],
    [{ stats: 'some' }, /stats: expected 'all' or 'ranked', got "some"/],
    [{ stats: null }, /stats: expected 'all' or 'ranked', got null/],
    [{ stats: 'ranked', complete: -1 }, /complete: expected a whole number of rows \(0 or more\), got -1/],
    [{ stats: 'ranked', complete: 1.5 }, /complete: .* got 1\.5/],
    [{ stats: 'ranked', complete: '2' }, /complete: .* got string/],
  ];
  for (const [options, message] of bad) {
    await assert.rejects(tm.sweep(config, sp500, g, options), (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_ARGUMENT' && message.test(e.message), JSON.stringify(options));
  }
  // An objective's NaN ranks last instead of failing.
  const rows = await tm.sweep(config, sp500, g, { objective: (_s, p) => (p.fast === 5 ? Number.NaN : 1) });
  assert.deepEqual(rows.map((r) => [r.strategy.fast, r.score]), [[10, 1], [5, null]]);
  for (const [args, message] of [
    [[null, { x: 'fast', y: 'slow' }], /rows/],
    [[rows, { x: 'fast' }], /y: expected/],
    [[rows, { x: 'fast', y: 'fast' }], /two different/],
    [[rows, { x: 'fast', y: 'speed' }], /rows\[0\]\.strategy/],
  ]) {
    assert.throws(() => tm.heatmap(...args), (e) => e.code === 'INVALID_ARGUMENT' && message.test(e.message));
  }
  // A bad config fails in this thread, before any worker starts, as a one-thread sweep does.
  await assert.rejects(tm.sweep({ ...config, strategy: { type: 'sma_cross', fast: 5, slow: 60, sizing: 3 } }, sp500, g, { workers: 2 }), (e) => e.code === 'INVALID_CONFIG');
});
