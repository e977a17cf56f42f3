// Parallel sweeps in browsers: the pool (pool.mjs) over module Web Workers running
// js/sweep-worker-web.mjs. Each gets the page's compiled wasm module with the sweep (a
// WebAssembly.Module crosses to a worker without a second download or compile).

import { makePool } from './pool.mjs';

/** The pool for `bind(wasm, {pool})`: `workerUrl` is js/sweep-worker-web.mjs; `module()` the compiled wasm. */
export function webPool(workerUrl, module) {
  return makePool({
    cores: () => globalThis.navigator?.hardwareConcurrency || 1,
    openExtra: () => ({ module: module() }),
    spawn() {
      const w = new Worker(workerUrl, { type: 'module' });
      let idle = () => {};
      let active = null;
      w.onmessage = (e) => active?.onMessage(e.data);
      w.onerror = (e) => {
        e.preventDefault?.();
        if (active) active.onFailure(`failed: ${e.message ?? 'an error in the worker'}`);
        else idle();
      };
      w.onmessageerror = () => active?.onFailure('sent a message that could not be read');
      return {
        post: (m) => w.postMessage(m),
        listen(onMessage, onFailure) {
          active = { onMessage, onFailure };
          return () => {
            active = null;
          };
        },
        onIdleFailure(f) {
          idle = f;
        },
        terminate: () => w.terminate(),
      };
    },
  });
}
