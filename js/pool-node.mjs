// Parallel sweeps in Node: the pool (pool.mjs) over worker_threads running js/sweep-worker.mjs,
// one wasm instance each. Workers are unref'd: they never keep the process alive.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { makePool } from './pool.mjs';

/** The pool for `bind(wasm, {pool})`: `workerUrl` is js/sweep-worker.mjs. */
export function nodePool(workerUrl) {
  return makePool({
    cores: () => availableParallelism(),
    spawn() {
      const w = new Worker(workerUrl);
      w.unref();
      return {
        post: (m) => w.postMessage(m),
        listen(onMessage, onFailure) {
          const error = (e) => onFailure(`failed: ${e?.message ?? e}`);
          const exit = (code) => onFailure(`exited (code ${code})`);
          w.on('message', onMessage);
          w.on('error', error);
          w.on('exit', exit);
          return () => {
            w.off('message', onMessage);
            w.off('error', error);
            w.off('exit', exit);
          };
        },
        onIdleFailure(f) {
          w.on('error', f);
          w.on('exit', f);
        },
        terminate: () => w.terminate(),
      };
    },
  });
}
