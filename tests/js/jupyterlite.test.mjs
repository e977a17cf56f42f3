// The JupyterLite site (scripts/build-jupyterlite.sh) in headless Chromium: opens
// notebooks/quickstart.ipynb, runs every cell in the Pyodide kernel offline (Pyodide, the kernel's
// wheels and tidemark all served by the site) and checks no cell fails and the numbers are the
// engine's. Skipped, with the reason, when python3 or pip is missing (the site is built with them).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveWww } from '../../scripts/serve-www.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = `${root}test-output/`;
mkdirSync(shots, { recursive: true });
const pip = spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' });
const venv = spawnSync('python3', ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
const skip = pip.status !== 0 ? 'python3 with pip is needed to build the JupyterLite site (not found)' : venv.status !== 0 ? 'python3 has no venv/ensurepip module (needed to build the JupyterLite site)' : false;

test('JupyterLite: notebooks/quickstart.ipynb runs end to end offline in the Pyodide kernel', { skip, timeout: 600_000 }, async () => {
  const t0 = Date.now();
  const build = spawnSync('bash', [`${root}scripts/build-jupyterlite.sh`], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `scripts/build-jupyterlite.sh failed:\n${build.stdout}\n${build.stderr}`);
  const buildMs = Date.now() - t0;
  const server = await serveWww({ root: `${root}jupyterlite/dist/`, port: 0, csp: null });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    // Without a browser the open server would keep this file's process alive: fail, not hang.
  }).catch((e) => {
    server.close();
    throw e;
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:')) problems.push(`request off the origin: ${u}`);
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // JupyterLab's own noise (its favicon 404) is not the notebook's: only other errors count.
    page.on('console', (m) => m.type() === 'error' && !/favicon\.ico/.test(m.location()?.url ?? '') && problems.push(`console error: ${m.text()}`));
    const t1 = Date.now();
    await page.goto(`${origin}/notebooks/index.html?path=quickstart.ipynb`);
    await page.waitForFunction(() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel, null, { timeout: 120_000 });
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
    // Every code cell has run ([n], none [*]) or one failed.
    const state = () => page.evaluate(() => {
      const cells = [...document.querySelectorAll('.jp-CodeCell')];
      const prompt = (c) => c.querySelector('.jp-InputPrompt')?.textContent ?? '';
      return {
        cells: cells.length,
        done: cells.filter((c) => /\[\d+\]/.test(prompt(c))).length,
        busy: cells.filter((c) => /\[\*\]/.test(prompt(c))).length,
        errors: [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')].map((e) => e.textContent),
      };
    });
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('.jp-CodeCell')];
      const prompt = (c) => c.querySelector('.jp-InputPrompt')?.textContent ?? '';
      return document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]') || (cells.length > 0 && cells.every((c) => /\[\d+\]/.test(prompt(c))));
    }, null, { timeout: 300_000, polling: 500 }).catch(async (e) => {
      // Say where it stuck: which cells ran, what the page logged, what it looks like.
      await page.screenshot({ path: `${shots}jupyterlite-timeout.png` }).catch(() => {});
      throw new Error(`${e.message}: ${JSON.stringify(await state().catch(() => null))}; ${problems.join('; ')}`);
    });
    const s = await state();
    const runMs = Date.now() - t1;
    await page.screenshot({ path: `${shots}jupyterlite.png`, fullPage: false });
    assert.deepEqual(s.errors, [], 'no cell raised');
    assert.equal(s.done, s.cells, 'every code cell ran');
    const text = await page.evaluate(() => [...document.querySelectorAll('.jp-OutputArea-output')].map((o) => o.textContent).join('\n'));
    assert.match(text, /^engine \d+\.\d+\.\d+/m, 'the setup cell bound the engine');
    assert.match(text, /Equity Final \[\$\] 7402\.98585444/);
    assert.match(text, /130 trades|# Trades.*130|Trades\s+130/);
    console.log(JSON.stringify({ jupyterliteBuildMs: buildMs, jupyterliteOpenAndRunMs: runMs, cells: s.cells }));
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  assert.deepEqual(problems, []);
});
