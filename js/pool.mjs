// The scheduler of parallel sweeps, the same over Node's worker_threads (pool-node.mjs) and
// browsers' Web Workers (pool-web.mjs): workers start on the first parallel sweep and are kept
// for later ones; each parses the sweep's data once ('open'), then takes chunks of combinations
// ('run') until none is left; the rows come back in chunk order, so the result does not depend
// on which worker ran what. An aborted or failed sweep terminates the workers (the next starts
// fresh ones). Messages are js/sweep-worker-core.mjs's.
import { TidemarkError } from './errors.mjs';

/**
 * A pool over `spawn()`, which starts one worker and returns `{post(message), listen(onMessage,
 * onFailure) -> stop listening, onIdleFailure(f), terminate()}`; `cores()` sizes 'auto'.
 * `openExtra()` adds fields to each 'open' message (the browser's compiled wasm module).
 */
export function makePool({ spawn, cores, openExtra = () => ({}) }) {
  let workers = [];
  const drop = (w) => {
    workers = workers.filter((x) => x !== w);
  };
  const grow = (n) => {
    while (workers.length < n) {
      const w = spawn();
      // A worker that fails while idle leaves the pool; the next sweep starts another.
      w.onIdleFailure(() => drop(w));
      workers.push(w);
    }
  };
  const stop = () => {
    for (const w of workers) w.terminate();
    workers = [];
  };

  return {
    cores,
    /** Tells the workers that Dataset `id` was freed: those keeping its events free them. */
    forget(id) {
      for (const w of workers) w.post({ type: 'forget', dataset: id });
    },
    /**
     * Runs `chunks` (arrays of combination indices) of one sweep (`task`: the Sweep constructor's
     * arguments) on `n` workers; resolves to the chunks' rows in chunk order.
     */
    run(task, chunks, n, { signal, onChunk }) {
      grow(n);
      const team = workers.slice(0, n);
      return new Promise((resolve, reject) => {
        const results = new Array(chunks.length);
        const unlisten = [];
        let next = 0;
        let done = 0;
        let settled = false;
        const finish = (error) => {
          if (settled) return;
          settled = true;
          for (const u of unlisten) u();
          signal?.removeEventListener?.('abort', onAbort);
          if (error) {
            stop();
            reject(error);
            return;
          }
          for (const w of team) w.post({ type: 'close' });
          resolve(results);
        };
        const onAbort = () => finish(signal.reason ?? new Error('aborted'));
        signal?.addEventListener?.('abort', onAbort, { once: true });
        const feed = (w) => {
          if (next < chunks.length) {
            w.post({ type: 'run', chunk: next, indices: chunks[next] });
            next++;
          }
        };
        const extra = openExtra();
        for (const w of team) {
          const onMessage = (m) => {
            // Two chunks in flight per worker: the next waits in its queue while this thread
            // takes the last one's rows, so a worker never idles for the round trip (a chunk of
            // ranked runs takes only a few ms).
            if (m.type === 'opened') {
              feed(w);
              feed(w);
            } else if (m.type === 'rows') {
              results[m.chunk] = m.rows;
              done++;
              onChunk?.(m.chunk);
              if (done === chunks.length) finish();
              else feed(w);
            } else if (m.type === 'error') {
              finish(new TidemarkError(m.error.code, m.error.message, { recoverable: m.error.recoverable, details: m.error.details }));
            }
          };
          const onFailure = (what) => finish(new TidemarkError('INTERNAL', `a sweep worker ${what}`, { recoverable: false }));
          unlisten.push(w.listen(onMessage, onFailure));
          w.post({ type: 'open', ...task, ...extra });
        }
        if (chunks.length === 0) finish();
      });
    },
  };
}
