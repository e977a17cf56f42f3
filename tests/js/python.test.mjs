// The Python package's tests: pytest on tests/python/ inside Pyodide under Node (tests/python/run.mjs,
// with JSPI for the async tests), after fetching the pinned pytest wheels into vendor/wheels/ when
// they are missing. Fails on any pytest failure and prints pytest's output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('pytest in Pyodide: tests/python/', { timeout: 300_000 }, () => {
  const wheels = join(repo, 'vendor/wheels');
  if (!existsSync(wheels) || !readdirSync(wheels).some((f) => f.startsWith('pytest-'))) {
    const fetch = spawnSync('bash', [join(repo, 'scripts/fetch-wheels.sh')], { encoding: 'utf8' });
    assert.equal(fetch.status, 0, `scripts/fetch-wheels.sh failed:\n${fetch.stdout}\n${fetch.stderr}`);
  }
  const run = spawnSync(process.execPath, ['--experimental-wasm-stack-switching', join(repo, 'tests/python/run.mjs'), '-q', '-rfE'], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout}\n${run.stderr}`;
  console.log(output);
  assert.equal(run.status, 0, `pytest failed (status ${run.status}):\n${output}`);
  assert.match(run.stdout, /\d+ passed/);
  assert.doesNotMatch(run.stdout, /\d+ (failed|error)/);
});

// The wheel, built once per run (scripts/build-wheel.sh; its venv is cached between runs).
let built;
const buildWheel = () => {
  built ??= spawnSync('bash', [join(repo, 'scripts/build-wheel.sh')], { cwd: repo, encoding: 'utf8' });
  return built;
};

const cli = (...args) => spawnSync(process.execPath, [join(repo, 'bin/tidemark.mjs'), ...args], { cwd: repo, encoding: 'utf8' });

test('tidemark python SCRIPT.py runs a script with tidemark importable', { timeout: 120_000 }, () => {
  const r = cli('python', 'examples/python/quickstart.py');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Equity Final \[\$\]: 7402\.98585444 # Trades: 130/);
  assert.match(r.stdout, /^TRADING SUMMARY/m);
});

test('tidemark python: argv, exit status, tracebacks, a missing script', { timeout: 120_000 }, async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'tm-py-'));
  writeFileSync(join(dir, 'argv.py'), 'import sys\nprint(sys.argv[1:])\nraise SystemExit(3)\n');
  writeFileSync(join(dir, 'bad.py'), 'import tidemark\ntidemark.parse_config({"cash": "x"})\n');
  const argv = cli('python', join(dir, 'argv.py'), 'a', '--b');
  assert.equal(argv.status, 3, argv.stderr);
  assert.equal(argv.stdout.trim(), "['a', '--b']");
  const bad = cli('python', join(dir, 'bad.py'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /tidemark\.errors\.ConfigError: INVALID_CONFIG: cash:/);
  const missing = cli('python', join(dir, 'nope.py'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^error INVALID_ARGUMENT: python .*nope\.py: cannot read it/);
  assert.equal(cli('python').status, 2);
});

test('the wheel (scripts/build-wheel.sh) installs in Pyodide and binds to the JS API', { timeout: 300_000 }, async () => {
  const build = buildWheel();
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
  const wheelPath = join(repo, build.stdout.trim().split('\n').pop());
  const { loadTidemarkPython } = await import('../../js/pyodide.mjs');
  // bytes here; a path (below) and URLs work too
  const py = await loadTidemarkPython({ wheel: new Uint8Array(readFileSync(wheelPath)) });
  py.globals.set('CSV', readFileSync(join(repo, 'data/ohlcv/sp500.csv'), 'utf8'));
  const out = await py.runPythonAsync(`
import tidemark
r = await tidemark.backtest({"cash": 10000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}}, CSV)
(tidemark.__file__, r.stats["# Trades"], r.stats["Equity Final [$]"])
`);
  const [file, trades, equity] = out.toJs();
  assert.match(file, /site-packages\/tidemark\/__init__\.py$/);
  assert.equal(trades, 130);
  assert.ok(Math.abs(equity - 7402.9858544) < 1e-6);
  const again = await loadTidemarkPython({ wheel: wheelPath });
  assert.equal(again.runPython('import tidemark; tidemark.__version__'), '0.1.0');
});

test('in headless Chromium: Pyodide in a page, tidemark from the wheel, bound to js/web.mjs', { timeout: 300_000 }, async (t) => {
  if (!existsSync(process.env.CHROMIUM ?? '/usr/bin/chromium')) {
    t.skip('no chromium (scripts/test.sh installs it)');
    return;
  }
  const build = buildWheel();
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
  const wheel = build.stdout.trim().split('\n').pop();
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize } = await import('node:path');
  const { chromium } = await import('playwright-core');
  const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.csv': 'text/csv' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(repo, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/tests/browser/python.html?wheel=/${wheel}`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120_000 });
    const r = await page.evaluate(() => window.__result);
    assert.equal(r.failure, undefined, r.failure);
    assert.deepEqual(errors, []);
    assert.equal(r.trades, 130);
    assert.ok(Math.abs(r.equity - 7402.9858544) < 1e-6);
    assert.equal(r.hook_calls, 5031);
    assert.match(r.file, /site-packages\/tidemark\/__init__\.py$/);
    assert.equal(r.version, JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
  } finally {
    await browser.close();
    server.close();
  }
});
