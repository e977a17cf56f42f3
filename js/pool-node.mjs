// Parallel sweeps in Node: a pool of worker_threads, one wasm instance each (js/sweep-worker.mjs).
// Workers start on the first parallel sweep and are kept for later ones (unref'd: they never keep
// the process alive); an aborted sweep terminates them and the next sweep starts fresh ones.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { TidemarkError } from './errors.mjs';

/** The pool for `bind(wasm, {pool})`: `workerUrl` is js/sweep-worker.mjs. */
export function nodePool(workerUrl) {
  let workers = [];

  // A worker that fails or exits while idle leaves the pool (the next sweep starts another);
  // these listeners stay for the worker's life, so an idle failure is never an unhandled 'error'.
  const drop = (w) => {
    workers = workers.filter((x) => x !== w);
  };
  const grow = (n) => {
    while (workers.length < n) {
      const w = new Worker(workerUrl);
      w.unref();
      w.on('error', () => drop(w));
      w.on('exit', () => drop(w));
      workers.push(w);
    }
  };
  const stop = () => {
    for (const w of workers) w.terminate();
    workers = [];
  };

  return {
    /** Cores available to this process. */
    cores: () => availableParallelism(),
    /**
     * Runs `chunks` (arrays of combination indices) of one sweep on `n` workers, each chunk on
     * whichever worker is free; resolves to the chunks' rows in chunk order, so the result does
     * not depend on which worker ran what.
     */
    run(task, chunks, n, { signal, onChunk }) {
      grow(n);
      const team = workers.slice(0, n);
      return new Promise((resolve, reject) => {
        const results = new Array(chunks.length);
        let next = 0;
        let done = 0;
        let settled = false;
        const listeners = [];
        const listen = (w, event, f) => {
          w.on(event, f);
          listeners.push([w, event, f]);
        };
        const cleanup = () => {
          for (const [w, event, f] of listeners) w.off(event, f);
          signal?.removeEventListener?.('abort', onAbort);
        };
        const finish = (error) => {
          if (settled) return;
          settled = true;
          cleanup();
          if (error) {
            stop();
            reject(error);
            return;
          }
          for (const w of team) w.postMessage({ type: 'close' });
          resolve(results);
        };
        const onAbort = () => finish(signal.reason ?? new Error('aborted'));
        signal?.addEventListener?.('abort', onAbort, { once: true });
        const feed = (w) => {
          if (next < chunks.length) {
            w.postMessage({ type: 'run', chunk: next, indices: chunks[next] });
            next++;
          }
        };
        for (const w of team) {
          listen(w, 'message', (m) => {
            if (m.type === 'opened') feed(w);
            else if (m.type === 'rows') {
              results[m.chunk] = m.rows;
              done++;
              onChunk?.(m.chunk);
              if (done === chunks.length) finish();
              else feed(w);
            } else if (m.type === 'error') {
              finish(new TidemarkError(m.error.code, m.error.message, { recoverable: m.error.recoverable, details: m.error.details }));
            }
          });
          listen(w, 'error', (e) => finish(new TidemarkError('INTERNAL', `a sweep worker failed: ${e?.message ?? e}`, { recoverable: false, cause: e })));
          listen(w, 'exit', (code) => finish(new TidemarkError('INTERNAL', `a sweep worker exited (code ${code})`, { recoverable: false })));
          w.postMessage({ type: 'open', ...task });
        }
        if (chunks.length === 0) finish();
      });
    },
  };
}
