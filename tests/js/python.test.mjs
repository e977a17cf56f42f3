// The Python package's tests: pytest on tests/python/ inside Pyodide under Node (tests/python/run.mjs,
// with JSPI for the async tests), after fetching the pinned pytest wheels into vendor/wheels/ when
// they are missing. Fails on any pytest failure and prints pytest's output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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
