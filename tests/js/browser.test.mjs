// The web build in real headless Chromium: a page and a module Worker load js/web.mjs over HTTP,
// run the same backtest, and must give the Node build's report byte for byte; the page keeps
// painting frames between slices. Needs Debian's chromium (scripts/test.sh installs it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.csv': 'text/csv' };

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(root + path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('page and Worker give the Node report byte for byte, and the page keeps painting', async () => {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    // Without a browser the open server would keep this file's process alive: fail, not hang.
  }).catch((e) => {
    server.close();
    throw e;
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/tests/browser/page.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 });
    const r = await page.evaluate(() => window.__result);
    assert.equal(r.failure, undefined, r.failure);
    assert.deepEqual(errors, []);
    const config = JSON.parse(readFileSync(root + 'data/sp500_sma_cross.json', 'utf8'));
    const expected = await tm.backtestJson(config, readFileSync(root + 'data/ohlcv/sp500.csv', 'utf8'), { logLevel: 'off' });
    assert.equal(r.version, tm.version());
    assert.equal(r.page, expected, 'page report == Node report');
    assert.equal(r.worker.failure, undefined, r.worker.failure);
    assert.equal(r.worker.json, expected, 'Worker report == Node report');
    assert.equal(r.worker.progress, 6);
    assert.equal(r.progress, Math.ceil(5031 / 250));
    // 60 frames/s while four backtests run in 250-event slices: at least a quarter of the frames due
    // (with scheduler.yield Chromium painted 2 of 18).
    const due = Math.floor(r.backtestMs / (1000 / 60));
    assert.ok(r.framesDuringBacktest >= Math.max(3, due / 4), `${r.framesDuringBacktest} frames painted in ${r.backtestMs.toFixed(0)} ms`);
    assert.ok(r.jsStrategyTrades > 100);
    // Parallel sweep from a page: two Workers (the page's own thread runs none of it), the same
    // rows as one thread and as Node.
    assert.equal(r.sweepWorkers, r.sweepOne);
    const grid = { fast: [5, 10, 15, 20], slow: [60, 80, 100] };
    const node = await tm.sweep(config, readFileSync(root + 'data/ohlcv/sp500.csv', 'utf8'), grid, { workers: 1, rankBy: 'return_pct' });
    assert.equal(r.sweepWorkers, JSON.stringify(node));
    assert.equal(r.sweepProgress, 12);
    assert.equal(r.heatmapCells, 12);
    assert.equal(workers.filter((u) => u.endsWith('/js/sweep-worker-web.mjs')).length, 2, workers.join(', '));
    assert.deepEqual(r.error, { isError: true, isTidemark: true, code: 'INVALID_CONFIG', path: 'instruments' });
  } finally {
    await browser.close();
    server.close();
  }
});
