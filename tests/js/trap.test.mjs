// A trap (a Rust panic: `unreachable` in wasm) must never reach the user as a bare RuntimeError,
// and the instance, whose memory may be half-updated, must refuse every later call. Its own file:
// node --test runs each file in a fresh process, so the poisoned instance stays here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { bind } from '../../js/api.mjs';
import { guard } from '../../js/errors.mjs';

test('a trap poisons the instance: INTERNAL, not recoverable, and every later call refuses', () => {
  const wasm = createRequire(import.meta.url)('../../pkg/node/tidemark.js');
  const tm = bind(wasm);
  assert.equal(typeof tm.version(), 'string');
  // Reach the trap through the same guard the API uses.
  const trapping = bind({ ...wasm, version: () => wasm.__trapForTests() });
  assert.throws(() => trapping.version(), (e) => {
    assert.equal(e.name, 'TidemarkError');
    assert.equal(e.code, 'INTERNAL');
    assert.equal(e.recoverable, false);
    assert.ok(e.cause instanceof WebAssembly.RuntimeError);
    return true;
  });
  assert.throws(() => trapping.parseConfig('{}'), (e) => e.code === 'INTERNAL' && /trapped earlier/.test(e.message));
});

test('an exception that unwound through wasm poisons the instance too (a stack overflow, a getter)', () => {
  const wasm = createRequire(import.meta.url)('../../pkg/node/tidemark.js');
  const overflowing = bind({ ...wasm, version: () => { throw new RangeError('Maximum call stack size exceeded'); } });
  assert.throws(() => overflowing.version(), (e) => e.code === 'INTERNAL' && e.recoverable === false && e.cause instanceof RangeError && /unwound/.test(e.message));
  // The next call is INTERNAL, never a raw RuntimeError from a half-updated instance.
  assert.throws(() => overflowing.parseConfig('{}'), (e) => e.name === 'TidemarkError' && e.code === 'INTERNAL' && /earlier/.test(e.message));
  // A real one: the raw binding reads a strategy's `id` from inside wasm.
  const config = readFileSync(new URL('../../data/sp500_sma_cross.json', import.meta.url), 'utf8');
  const csv = readFileSync(new URL('../../data/ohlcv/sp500.csv', import.meta.url), 'utf8').split('\n').slice(0, 20).join('\n');
  const call = guard();
  const run = call(() => new wasm.Backtest(config, csv, 'ohlcv-csv', undefined, undefined));
  run.setStrategy({ get id() { throw new Error('id getter'); }, defined: 0, market() {} });
  assert.throws(() => call(() => run.step(10)), (e) => e.code === 'INTERNAL' && /id getter/.test(e.message));
  assert.throws(() => call(() => wasm.version()), (e) => e.code === 'INTERNAL' && /earlier/.test(e.message));
});

test('free() after a trap in step() never hides the trap', async () => {
  const wasm = createRequire(import.meta.url)('../../pkg/node/tidemark.js');
  // What a trap inside step() leaves: the handle still borrowed, so free() throws.
  const handle = {
    processed: 0,
    total: 1,
    setLogLevel() {},
    takeLogs: () => [],
    step() { throw new WebAssembly.RuntimeError('memory access out of bounds'); },
    free() { throw new Error('attempted to take ownership of Rust value while it was borrowed'); },
  };
  const tm = bind({ ...wasm, Backtest: function Backtest() { return handle; } });
  await assert.rejects(tm.backtest('{}', 'a,b\n1,2', { logLevel: 'off' }), (e) => e.code === 'INTERNAL' && /memory access out of bounds/.test(e.message));
});
