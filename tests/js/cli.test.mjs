// The `tidemark` command: output formats and exit codes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args) => spawnSync(process.execPath, [root + 'bin/tidemark.mjs', ...args], { cwd: root, encoding: 'utf8' });
const base = ['--config', 'data/sp500_sma_cross.json', '--data', 'data/ohlcv/sp500.csv'];

test('backtest prints a table, or JSON, or writes --out', () => {
  const table = cli('backtest', ...base);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /Instrument TearSheets/);
  assert.match(table.stdout, /# Trades\s+130/);
  const json = cli('backtest', ...base, '--format', 'json', '--interval', 'annual365');
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.summary.interval_label, 'Annual(365)');
  const out = mkdtempSync(tmpdir() + '/tm-') + '/r.json';
  assert.equal(cli('backtest', ...base, '--format', 'json', '--out', out).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), JSON.parse(cli('backtest', ...base, '--format', 'json').stdout));
});

test('--strategy and --param override the config', () => {
  const r = cli('backtest', ...base, '--param', 'fast=10', '--param', 'slow=40', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).summary.portfolio.trades, 73);
  const bh = cli('backtest', ...base, '--strategy', 'buy_and_hold', '--format', 'json');
  assert.equal(JSON.parse(bh.stdout).summary.portfolio.trades, 0);
});

test('sweep ranks a grid', () => {
  const r = cli('sweep', ...base, '--grid', 'fast=5,10', '--grid', 'slow=20,40', '--rank-by', 'return_pct', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  assert.equal(rows.length, 4);
  assert.deepEqual([rows[0].strategy.fast, rows[0].strategy.slow], [10, 40]);
  // Two threads (this one and a worker thread) give the same rows, byte for byte.
  const two = cli('sweep', ...base, '--grid', 'fast=5,10', '--grid', 'slow=20,40', '--rank-by', 'return_pct', '--format', 'json', '--workers', '2');
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stdout, r.stdout);
});

test('bad input exits 2 with the error code', () => {
  for (const [args, code] of [
    [['backtest', '--config', 'data/sp500_sma_cross.json'], 'INVALID_ARGUMENT'],
    [['backtest', ...base, '--param', 'fast=30'], 'INVALID_CONFIG'],
    [['backtest', ...base, '--interval', 'hourly'], 'INVALID_ARGUMENT'],
    [['backtest', '--config', 'data/ohlcv/sp500.csv', '--data', 'data/ohlcv/sp500.csv'], 'DECODE'],
    [['frobnicate'], 'INVALID_ARGUMENT'],
    [['backtest', '--colour', 'red'], 'INVALID_ARGUMENT'],
    [['sweep', ...base], 'INVALID_ARGUMENT'],
  ]) {
    const r = cli(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, new RegExp(`^error ${code}: `), args.join(' '));
    assert.doesNotMatch(r.stderr, new RegExp(`${code}: ${code}`), 'the code once');
  }
});

test('--strategy FILE.mjs runs a JS strategy module with the --param values', () => {
  const r = cli('backtest', ...base, '--strategy', 'examples/js/sma_cross.mjs', '--param', 'fast=10', '--param', 'slow=20', '--format', 'json', '--log-level', 'off');
  assert.equal(r.status, 0, r.stderr);
  const golden = JSON.parse(readFileSync(root + 'tests/golden/sp500_sma_cross.json', 'utf8'));
  const p = JSON.parse(r.stdout).summary.portfolio;
  assert.equal(p.trades, golden.stats['# Trades']);
  assert.ok(Math.abs(p.equity_final - golden.stats['Equity Final [$]']) < 1e-6);
  const missing = cli('backtest', ...base, '--strategy', 'examples/js/nope.mjs');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^error INVALID_ARGUMENT: --strategy examples\/js\/nope.mjs/);
  const badLevel = cli('backtest', ...base, '--log-level', 'loud');
  assert.equal(badLevel.status, 2);
  assert.match(badLevel.stderr, /error INVALID_ARGUMENT: logLevel/);
});

test('--strategy sma_cross alone runs backtesting.py\'s SmaCross lengths, 10 and 20', () => {
  const quick = ['--data', 'data/ohlcv/sp500.csv', '--cash', '10000', '--commission', '0.002', '--strategy', 'sma_cross'];
  const r = cli('backtest', ...quick, '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  // backtesting.py 0.6.6, SmaCross(10, 20) on these bars: 130 trades, final equity 7402.99.
  assert.equal(report.summary.portfolio.trades, 130);
  assert.ok(Math.abs(report.backtesting_py.stats['Equity Final [$]'] - 7402.99) < 0.01);
});

test('sweep on the quick config needs no --param for what --grid sweeps', () => {
  const quick = ['--data', 'data/ohlcv/sp500.csv', '--cash', '10000', '--commission', '0.002', '--strategy', 'sma_cross'];
  const r = cli('sweep', ...quick, '--grid', 'fast=10,25', '--grid', 'slow=60,240', '--rank-by', 'equity_final', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  // backtesting.py 0.6.6 optimize's best cell of this grid (tests/golden/sp500_sma_optimize.json).
  assert.deepEqual([rows[0].strategy.fast, rows[0].strategy.slow], [25, 240]);
  assert.ok(Math.abs(rows[0].stats.equity_final - 30751.13) < 0.01, `${rows[0].stats.equity_final}`);
});

test('sweep --strategy FILE.mjs sweeps a JS strategy factory like the built-in one', () => {
  const args = ['--grid', 'fast=5,10', '--grid', 'slow=20,40', '--rank-by', 'return_pct', '--format', 'json'];
  const js = cli('sweep', ...base, '--strategy', 'examples/js/sma_cross.mjs', ...args);
  const builtIn = cli('sweep', ...base, ...args);
  assert.equal(js.status, 0, js.stderr);
  const strip = (rows) => rows.map((r) => [r.strategy.fast, r.strategy.slow, r.stats.trades, r.stats.return_pct.toFixed(9)]);
  assert.deepEqual(strip(JSON.parse(js.stdout)), strip(JSON.parse(builtIn.stdout)));
  const table = cli('sweep', ...base, '--grid', 'fast=5,10', '--rank-by', 'return_pct');
  assert.equal(table.stdout.split('\n')[0], 'fast\treturn_pct\tmax_drawdown_pct\ttrades');
});

test("the one-line backtest: backtesting.py's Backtest(df, SmaCross, cash=10_000, commission=.002) without a config file", () => {
  const r = cli('backtest', '--data', root + 'data/ohlcv/sp500.csv', '--strategy', 'sma_cross', '--param', 'fast=10', '--param', 'slow=20', '--cash', '10000', '--commission', '0.002', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const stats = JSON.parse(r.stdout).backtesting_py.stats;
  const golden = JSON.parse(readFileSync(root + 'tests/golden/sp500_sma_cross.json', 'utf8'));
  for (const key of ['# Trades', 'Equity Final [$]', 'Return [%]', 'Sharpe Ratio', 'Max. Drawdown [%]']) {
    assert.ok(Math.abs(stats[key] - golden.stats[key]) <= 1e-6 * Math.abs(golden.stats[key]), `${key}: ${stats[key]} vs ${golden.stats[key]}`);
  }
  const both = cli('backtest', '--config', root + 'data/sp500_sma_cross.json', '--data', root + 'data/ohlcv/sp500.csv', '--cash', '5');
  assert.equal(both.status, 2);
  assert.match(both.stderr, /^error INVALID_ARGUMENT: --cash makes a config of its own/);
  const neither = cli('backtest', '--data', root + 'data/ohlcv/sp500.csv');
  assert.equal(neither.status, 2);
  assert.match(neither.stderr, /--config FILE is required, or --cash N/);
});

// `script` (util-linux) runs the command on a pseudo-terminal, where the CLI shows progress.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
test('progress shows on a terminal only, by bytes while a streamed file is read, then events of the total', { skip: !hasScript && 'script (util-linux) is not installed' }, () => {
  const command = [process.execPath, root + 'bin/tidemark.mjs', 'backtest', ...base].map((a) => `'${a}'`).join(' ');
  const tty = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stdout);
  // While streaming the count of events is not known yet (it used to print "5031/undefined"):
  // the whole 400 KB file is one chunk, so the bar is full by bytes; then the known total.
  assert.match(tty.stdout, /\rbacktest \[#{30}\] 5031 events\rbacktest \[#{30}\] 5031\/5031\r?\n/);
  assert.doesNotMatch(tty.stdout, /undefined/);
  const piped = cli('backtest', ...base);
  assert.equal(piped.status, 0, piped.stderr);
  assert.doesNotMatch(piped.stderr, /backtest \[/);
});
