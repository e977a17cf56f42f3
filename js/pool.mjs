// The scheduler of parallel sweeps, the same over Node's worker_threads (pool-node.mjs) and
// browsers' Web Workers (pool-web.mjs): workers start on the first parallel sweep and are kept
// for later ones; each parses the sweep's data once ('open'), then takes chunks of combinations
// ('run') until none is left; the rows come back in chunk order, so the result does not depend
// on which worker ran what. A worker left with nothing to do while others finish may be given
// `spare` work (full runs of the best rows so far: the sweep's tail otherwise runs them alone).
// An aborted or failed sweep terminates the workers (the next starts fresh ones). Messages are
// js/sweep-worker-core.mjs's.
import { TidemarkError } from './errors.mjs';

/**
 * A pool over `spawn()`, which starts one worker and returns `{post(message), listen(onMessage,
 * onFailure) -> stop listening, onIdleFailure(f), terminate()}`; `cores()` sizes 'auto'.
 * `openExtra()` adds fields to each 'open' message (the browser's compiled wasm module).
 */
export function makePool({ spawn, cores, openExtra = () => ({}) }) {
  let workers = [];
  // The Dataset id each worker keeps decoded (sweep-worker-core.mjs keeps the last one opened):
  // its 'open' then carries no data bytes to copy.
  const keeps = new Map();
  const drop = (w) => {
    workers = workers.filter((x) => x !== w);
    keeps.delete(w);
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
    keeps.clear();
  };

  return {
    cores,
    /** Tells the workers that Dataset `id` was freed: those keeping its events free them. */
    forget(id) {
      for (const w of workers) {
        w.post({ type: 'forget', dataset: id });
        if (keeps.get(w) === id) keeps.delete(w);
      }
    },
    /**
     * Runs `chunks` (arrays of combination indices) of one sweep (`task`: the Sweep constructor's
     * arguments) on `n` workers; resolves to the chunks' rows in chunk order. `onChunk(c, rows)`
     * sees each chunk's rows as they come; `spare()` is asked for work when a worker has no chunk
     * left: indices to run with every statistic (or none), whose rows go to `onSpare(rows)`; the
     * sweep resolves once those in flight are back too.
     */
    run(task, chunks, n, { signal, onChunk, spare, onSpare }) {
      grow(n);
      const team = workers.slice(0, n);
      return new Promise((resolve, reject) => {
        const results = new Array(chunks.length);
        const unlisten = [];
        let next = 0;
        let done = 0;
        let spares = 0; // spare runs in flight
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
        const inFlight = new Map(team.map((w) => [w, 0]));
        const feed = (w) => {
          if (next < chunks.length) {
            w.post({ type: 'run', chunk: next, indices: chunks[next] });
            next++;
            inFlight.set(w, inFlight.get(w) + 1);
            return;
          }
          // Nothing left to hand out: an idle worker takes spare work.
          const indices = inFlight.get(w) === 0 && done < chunks.length ? spare?.() : undefined;
          if (indices?.length) {
            w.post({ type: 'run', chunk: -1, indices, full: true });
            spares++;
            inFlight.set(w, 1);
          }
        };
        const settle = () => {
          if (done === chunks.length && spares === 0) finish();
        };
        const extra = openExtra();
        for (const w of team) {
          const onMessage = (m) => {
            if (m.type === 'rows') {
              inFlight.set(w, inFlight.get(w) - 1);
              if (m.chunk === -1) {
                spares--;
                onSpare?.(m.rows);
              } else {
                results[m.chunk] = m.rows;
                done++;
                onChunk?.(m.chunk, m.rows);
              }
              settle();
              if (!settled) feed(w);
            } else if (m.type === 'error') {
              finish(new TidemarkError(m.error.code, m.error.message, { recoverable: m.error.recoverable, details: m.error.details }));
            }
          };
          const onFailure = (what) => finish(new TidemarkError('INTERNAL', `a sweep worker ${what}`, { recoverable: false }));
          unlisten.push(w.listen(onMessage, onFailure));
          // A worker keeping the task's Dataset decoded needs only its id.
          const kept = task.dataset !== undefined && keeps.get(w) === task.dataset;
          w.post({ type: 'open', ...task, ...(kept ? { data: undefined } : {}), ...extra });
          if (task.dataset !== undefined) keeps.set(w, task.dataset);
          // Two chunks queued behind the 'open' at once: a worker never idles for a round trip
          // (a chunk of ranked runs takes only a few ms). If the open fails, its error settles
          // the sweep before any of their rows would count.
          feed(w);
          feed(w);
        }
        if (chunks.length === 0) finish();
      });
    },
  };
}
