// The package as a newcomer meets it: `npm pack`, install the tarball into an empty folder on a
// machine without Rust, then the quick backtest from ESM, CommonJS, a bundler build, the CLI and
// TypeScript, all against the installed copy (not this checkout).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, delimiter } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
let dir;
let app;
let files;
// PATH without cargo/rustc: the installed package must need neither.
const env = {
  ...process.env,
  PATH: process.env.PATH.split(delimiter).filter((p) => !existsSync(join(p, 'cargo')) && !existsSync(join(p, 'rustc'))).join(delimiter),
};
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: app, env, encoding: 'utf8', ...opts });

const QUICK = `import { readFileSync } from 'node:fs';
import { backtest } from 'tidemark';
const csv = readFileSync('sp500.csv', 'utf8');
const report = await backtest({ cash: 10_000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } }, csv);
console.log(JSON.stringify(report.summary.portfolio));
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidemark-pack-'));
  // --ignore-scripts: pkg/ was built by this test run; prepack (the build) is checked below.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  const [info] = JSON.parse(out);
  app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  copyFileSync(join(root, 'data/ohlcv/sp500.csv'), join(app, 'sp500.csv'));
  const r = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, info.filename)]);
  assert.equal(r.status, 0, r.stderr);
  files = info.files.map((f) => f.path);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball holds both wasm builds, the JS, the types, LICENSE and README, and no sources', () => {
  for (const f of ['pkg/node/tidemark_bg.wasm', 'pkg/web/tidemark_bg.wasm', 'pkg/index.cjs', 'js/index.mjs', 'js/web.mjs', 'js/web-init.mjs', 'js/index.d.ts', 'js/types.gen.d.ts', 'bin/tidemark.mjs', 'LICENSE', 'README.md', 'package.json']) {
    assert.ok(files.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('tests/') || f.startsWith('target/')));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.scripts.prepack, 'bash scripts/build-wasm.sh', 'a git or tarball install from a clone builds the wasm first');
  assert.ok(pkg.repository && pkg.keywords.length && pkg.sideEffects === false && pkg.exports['./package.json']);
});

test('the six-line quick backtest runs from ESM, as backtesting.py gives it', () => {
  writeFileSync(join(app, 'quick.mjs'), QUICK);
  assert.ok(QUICK.trim().split('\n').length <= 6);
  const r = run('node', ['quick.mjs']);
  assert.equal(r.status, 0, r.stderr);
  const stats = JSON.parse(r.stdout);
  // backtesting.py 0.6.6, Backtest(sp500, SmaCross(10, 20), cash=10_000, commission=.002): 130
  // trades, final equity 7402.99 (tests/golden/sp500_sma_cross.json).
  assert.equal(stats.trades, 130);
  assert.ok(Math.abs(stats.equity_final - 7402.99) < 0.01, `${stats.equity_final}`);
});

test('require() works (a CommonJS script) and gives the ESM result', () => {
  writeFileSync(join(app, 'quick.cjs'), `const { readFileSync } = require('node:fs');
const tm = require('tidemark');
tm.backtest({ cash: 10000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } }, readFileSync('sp500.csv', 'utf8'))
  .then((r) => console.log(JSON.stringify(r.summary.portfolio)));
`);
  const cjs = run('node', ['quick.cjs']);
  assert.equal(cjs.status, 0, cjs.stderr);
  const esm = run('node', ['quick.mjs']);
  assert.equal(cjs.stdout, esm.stdout);
  assert.equal(JSON.parse(run('node', ['-p', "JSON.stringify(require('tidemark/package.json').name)"]).stdout), 'tidemark');
});

test('npx tidemark runs the installed CLI: the one-line backtest and a full config', () => {
  const one = run('npx', ['--no-install', 'tidemark', 'backtest', '--data', 'sp500.csv', '--strategy', 'sma_cross', '--param', 'fast=10', '--param', 'slow=20', '--cash', '10000', '--commission', '0.002', '--format', 'json']);
  assert.equal(one.status, 0, one.stderr);
  const stats = JSON.parse(one.stdout).backtesting_py.stats;
  assert.equal(stats['# Trades'], 130);
  assert.ok(Math.abs(stats['Equity Final [$]'] - 7402.985854440014) < 1e-6);
  writeFileSync(join(app, 'config.json'), readFileSync(join(root, 'data/sp500_sma_cross.json')));
  const r = run('npx', ['--no-install', 'tidemark', 'backtest', '--config', 'config.json', '--data', 'sp500.csv', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).summary.portfolio.trades, 130);
});

test('a bundler build (esbuild) with the wasm given as bytes and as a compiled module', async () => {
  writeFileSync(join(app, 'entry.mjs'), `import { init } from 'tidemark/web/init';
export async function main(source, csv) {
  const tm = await init(source);
  const r = await tm.backtest({ cash: 10000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } }, csv);
  return r.summary.portfolio.trades;
}
`);
  const esbuild = join(root, 'node_modules/.bin/esbuild');
  const b = run(esbuild, ['entry.mjs', '--bundle', '--format=esm', '--platform=browser', '--outfile=dist/bundle.mjs', '--log-level=warning']);
  assert.equal(b.status, 0, b.stderr);
  const bytes = readFileSync(join(app, 'node_modules/tidemark/pkg/web/tidemark_bg.wasm'));
  const csv = readFileSync(join(app, 'sp500.csv'), 'utf8');
  const { main } = await import(join(app, 'dist/bundle.mjs'));
  assert.equal(await main(bytes, csv), 130);
  // Same realm, same instance: a later init gets the API already built.
  assert.equal(await main(await WebAssembly.compile(bytes), csv), 130);
});

test('TypeScript compiles real usage against the installed declarations (lib ES2022, no @types/node) and refuses a config with typos', () => {
  writeFileSync(join(app, 'use.ts'), `import { backtest, TidemarkError, type BacktestReport } from 'tidemark';
declare const csv: string;
const r: Promise<BacktestReport> = backtest({ cash: 10_000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } }, csv);
void r;
const e = new TidemarkError('DECODE', 'x');
void e.code;
`);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: [], skipLibCheck: false },
    files: ['use.ts'],
  }));
  const r = run(join(root, 'node_modules/.bin/tsc'), ['-p', '.']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // The same call with a config full of typos does not compile, and tsc names each one.
  writeFileSync(join(app, 'use.ts'), `import { backtest } from 'tidemark';
declare const csv: string;
void backtest({ cash: 10_000, comission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } }, csv);
void backtest({ cash: 10_000, strategy: { type: 'sma_cros', fast: 10, slow: 20 } }, csv);
void backtest({ cash: 10_000, engine: { close_positions_at_end: 'yes' } }, csv);
`);
  const typos = run(join(root, 'node_modules/.bin/tsc'), ['-p', '.']);
  assert.notEqual(typos.status, 0);
  assert.match(typos.stdout, /comission/);
  assert.match(typos.stdout, /sma_cros/);
  assert.match(typos.stdout, /"yes"/);
});

test('tidemark/pyodide: the Python package ships in the tarball and runs from the installed copy', () => {
  for (const f of ['js/pyodide.mjs', 'js/pyodide.d.ts', 'python/tidemark/__init__.py', 'python/tidemark/backtest.py', 'python/pyproject.toml', 'python/README.md']) {
    assert.ok(files.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(!files.some((f) => f.includes('__pycache__') || f.startsWith('tests/python') || f.startsWith('vendor/')));
  // pyodide is an optional peer dependency: the app brings it (here: this checkout's copy).
  const i = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(root, 'node_modules/pyodide')]);
  assert.equal(i.status, 0, i.stderr);
  writeFileSync(join(app, 'quick.py'), `import tidemark
r = await tidemark.backtest({"cash": 10_000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}}, open("sp500.csv").read())
print(r.stats["# Trades"], tidemark.__file__)
`);
  const r = run('npx', ['--no-install', 'tidemark', 'python', 'quick.py']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^130 .*\/tidemark\/__init__\.py$/m);
});
