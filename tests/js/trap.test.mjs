// A trap (a Rust panic: `unreachable` in wasm) must never reach the user as a bare RuntimeError,
// and the instance, whose memory may be half-updated, must refuse every later call. Its own file:
// node --test runs each file in a fresh process, so the poisoned instance stays here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { bind } from '../../js/api.mjs';

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
