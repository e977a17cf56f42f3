// The scheduler of parallel sweeps, the same over Node's worker_threads (pool-node.mjs) and
// browsers' Web Workers (pool-web.mjs): workers start on the first parallel sweep and are kept
// for later ones; each parses the sweep's data once ('open'), then takes chunks of combinations
// ('run') until none is left; the rows come back in chunk order, so the result does not depend
// on which worker ran what. `spare` work (full runs of the best rows so far, which the sweep's
// tail otherwise runs alone) goes out once before the last chunks, and to a worker left with
// nothing to do while others finish. A sweep may be opened ahead of its run (`open`, with each
// worker's first chunk), while the caller still checks it, and cancelled if the check fails;
// every answer names its sweep, so one to a cancelled sweep is dropped. The calling thread may
// run chunks too (`local`), as one more member of the team. An aborted or failed sweep
// terminates the workers (the next starts fresh ones). Messages are js/sweep-worker-core.mjs's.
import { TidemarkError } from './errors.mjs';
import { yieldToHost } from './yield.mjs';

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
  // Whether a sweep runs or is opened; those started meanwhile wait their turn here, in order.
  let busy = false;
  const waiting = [];
  let sweeps = 0; // the last sweep's id
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
     * arguments) on `n` threads (`n` workers, or this thread and `n - 1` workers: see `local`);
     * resolves to the chunks' rows in chunk order. `onChunk(c, rows)` sees each chunk's rows as
     * they come; `spare()` is asked for work once when some rows are back and at most an eighth
     * of the runs is left to hand out, and when a thread of the team has no chunk left: indices
     * to run with every statistic (or none), whose rows go to `onSpare(rows)`; the
     * sweep resolves once those in flight are back too. Sweeps run one after another: one
     * started while another runs waits for it (the workers hold one open sweep each). `opened`:
     * what `open(task, n - 1, chunks)` (with `local`, else `open(task, n, chunks)`) returned for
     * these same arguments, whose workers it holds (the run then starts at once, from the chunks
     * dealt with the opens). `local(indices, full)`: the calling thread as one of the `n`, beside
     * `n - 1` workers: it returns the rows of `indices` run here (every statistic when `full`),
     * and is called with one at a time, between yields to the host.
     */
    run(task, chunks, n, hooks = {}, opened = null) {
      const { signal } = hooks;
      const aborted = () => signal.reason ?? new Error('aborted');
      if (signal?.aborted) {
        if (opened) cancel(opened);
        return Promise.reject(aborted());
      }
      return new Promise((resolve, reject) => {
        const start = () => {
          signal?.removeEventListener?.('abort', onAbort);
          busy = true;
          let running;
          try {
            running = runNow(task, chunks, n, hooks, release, opened);
          } catch (e) {
            // Workers could not be started or sent the open: this sweep fails as a failed chunk
            // fails it (the workers are let go), and the next still gets its turn.
            stop();
            reject(e);
            release();
            return;
          }
          running.then(resolve, reject);
        };
        // Aborted while waiting its turn: rejected at once, and never started.
        const onAbort = () => {
          waiting.splice(waiting.indexOf(start), 1);
          reject(aborted());
        };
        // An opened sweep holds the workers already: it runs at once.
        if (!busy || opened) return start();
        waiting.push(start);
        signal?.addEventListener?.('abort', onAbort, { once: true });
      });
    },
    /**
     * Opens a sweep (`task`) on `n` workers ahead of its run, while the caller still checks it,
     * each worker's first chunk of `chunks` (those `run` will be given) behind its open: the
     * workers wake, decode and compute meanwhile (their first run started 0.25 ms later when
     * opened with the run, and 0.3 ms later still when their chunks waited for the check).
     * Returns what `run(..., opened)` or `cancel(opened)` takes, or null when another sweep has
     * the workers (the run then opens it in its turn). A chunk dealt with an open runs even if
     * the sweep is cancelled: make the first chunks small.
     */
    open(task, n, chunks = []) {
      if (busy) return null;
      busy = true;
      try {
        return openOn(task, n, chunks);
      } catch {
        // The run will open it again, in its turn, and fail with the reason.
        stop();
        release();
        return null;
      }
    },
    /**
     * Lets go of an opened sweep that will not run (its check failed): the next has its turn.
     * The chunks dealt with its opens still run (a worker reads its messages one at a time), and
     * their rows are dropped.
     */
    cancel,
  };

  // Posts `task`'s open to `n` workers under a new sweep id, each followed by its first chunk
  // (chunk i to worker i): `{id, team, dealt}`, dealt the number of chunks posted.
  function openOn(task, n, chunks) {
    grow(n);
    const team = workers.slice(0, n);
    const id = ++sweeps;
    const extra = openExtra();
    let dealt = 0;
    for (const w of team) {
      // A worker keeping the task's Dataset decoded needs only its id.
      const kept = task.dataset !== undefined && keeps.get(w) === task.dataset;
      w.post({ type: 'open', sweep: id, ...task, ...(kept ? { data: undefined } : {}), ...extra });
      if (task.dataset !== undefined) keeps.set(w, task.dataset);
      if (dealt < chunks.length) {
        w.post({ type: 'run', chunk: dealt, indices: chunks[dealt] });
        dealt++;
      }
    }
    return { id, team, dealt };
  }

  function cancel(opened) {
    try {
      for (const w of opened.team) w.post({ type: 'close' });
    } finally {
      release();
    }
  }

  // The sweep that ended hands the workers to the next waiting, if any (synchronously: a sweep
  // started right after another settled opens at once).
  function release() {
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  }

  // One sweep on the workers (`run`, in its turn; `opened` if `open` posted its opens); calls
  // `release()` once it has settled.
  function runNow(task, chunks, n, { signal, onChunk, spare, onSpare, local }, release, opened) {
    const { id, team: started, dealt } = opened ?? openOn(task, local ? n - 1 : n, chunks);
    // This thread last: the workers opened take the opens' chunks (`dealt`), in team order.
    const team = local ? [...started, caller(id, local)] : started;
    return new Promise((resolve, reject) => {
      const results = new Array(chunks.length);
      const unlisten = [];
      let next = dealt;
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
        } else {
          for (const w of team) w.post({ type: 'close' });
          resolve(results);
        }
        release();
      };
      const onAbort = () => finish(signal.reason ?? new Error('aborted'));
      signal?.addEventListener?.('abort', onAbort, { once: true });
      const inFlight = new Map(team.map((w, i) => [w, i < dealt ? 1 : 0]));
      const runs = (cs) => cs.reduce((sum, c) => sum + c.length, 0);
      let left = runs(chunks.slice(dealt)); // runs not handed out yet
      // Spare work is handed out once as one more chunk, at the first feed after some rows are
      // back with at most an eighth of the runs left to hand out: the best row so far is
      // usually the sweep's best, and its full run (about four ranked runs of an SMA cross) then
      // evens out among the last small chunks instead of running alone on one worker after
      // all of them.
      const tail = runs(chunks) / 8;
      let early = false;
      const postSpare = (w) => {
        const indices = spare?.();
        if (!indices?.length) return false;
        w.post({ type: 'run', chunk: -1, indices, full: true });
        spares++;
        inFlight.set(w, inFlight.get(w) + 1);
        return true;
      };
      const feed = (w) => {
        if (!early && done > 0 && left <= tail) {
          early = true;
          if (postSpare(w)) return;
        }
        if (next < chunks.length) {
          w.post({ type: 'run', chunk: next, indices: chunks[next] });
          left -= chunks[next].length;
          next++;
          inFlight.set(w, inFlight.get(w) + 1);
          return;
        }
        // Nothing left to hand out: an idle worker takes spare work.
        if (inFlight.get(w) === 0 && done < chunks.length) postSpare(w);
      };
      const settle = () => {
        if (done === chunks.length && spares === 0) finish();
      };
      // What throws while the sweep is being set up (posting to a worker) fails it like a
      // failed chunk, and lets the next sweep have its turn.
      try {
        for (const w of team) {
          const onMessage = (m) => {
            if (m.sweep !== id) return; // an answer to a sweep cancelled before it ran
            // What throws here (the caller's onChunk, e.g. its progress callback) fails the sweep
            // as it would fail a one-thread sweep: uncaught, it would leave the sweep, and every
            // one waiting its turn behind it, unsettled.
            try {
              if (m.type === 'rows') {
                inFlight.set(w, inFlight.get(w) - 1);
                if (m.chunk === -1) {
                  spares--;
                  onSpare?.(m.parsed ?? JSON.parse(m.rows));
                } else {
                  results[m.chunk] = m.parsed ?? JSON.parse(m.rows);
                  done++;
                  onChunk?.(m.chunk, results[m.chunk]);
                }
                settle();
                if (!settled) feed(w);
              } else if (m.type === 'thrown') {
                // This thread's run threw: what `local` threw (an error, whatever it is).
                finish(m.error ?? new TidemarkError('INTERNAL', `a run in this thread threw ${m.error}`, { recoverable: false }));
              } else if (m.type === 'error') {
                finish(new TidemarkError(m.error.code, m.error.message, { recoverable: m.error.recoverable, details: m.error.details }));
              }
            } catch (e) {
              finish(e);
            }
          };
          const onFailure = (what) => finish(new TidemarkError('INTERNAL', `a sweep worker ${what}`, { recoverable: false }));
          unlisten.push(w.listen(onMessage, onFailure));
          // One that failed since its open left the pool (and will never answer).
          if (!w.local && !workers.includes(w)) onFailure('exited');
        }
        // Two chunks queued behind each 'open' at once, dealt in turn (the first chunks are the
        // largest; the first of each went with the open): a worker never idles for a round
        // trip. This thread has no round trip to hide: one at a time. If an open fails, its
        // error settles the sweep before any of their rows count.
        // A worker that left the pool since its open failed the sweep above: nothing to deal.
        if (settled) return;
        for (const w of [...team, ...team]) if (inFlight.get(w) < (w.local ? 1 : 2)) feed(w);
        if (chunks.length === 0) finish();
      } catch (e) {
        finish(e);
      }
    });
  }

  // The calling thread as a member of sweep `id`'s team, answering as a worker does (the rows
  // already parsed): it runs a chunk one combination per turn of the event loop, so that the
  // workers' answers are read, and the workers fed, between two of its runs rather than after a
  // whole chunk (a chunk of 16 runs took 5 ms, in which a worker finished its queue and idled).
  // Once the sweep has settled (its listener gone, or told 'close') it runs nothing more: the
  // caller frees what `local` runs on.
  function caller(id, local) {
    const queue = [];
    let onMessage = null;
    let closed = false;
    let running = false;
    const drain = async () => {
      running = true;
      try {
        while (queue.length > 0 && !closed) {
          const m = queue[0];
          const rows = [];
          for (const k of m.indices) {
            await yieldToHost();
            if (closed) return; // the sweep settled meanwhile
            rows.push(...local([k], m.full === true));
          }
          queue.shift();
          onMessage?.({ type: 'rows', sweep: id, chunk: m.chunk, parsed: rows });
        }
      } catch (error) {
        queue.length = 0;
        onMessage?.({ type: 'thrown', sweep: id, error });
      } finally {
        running = false;
      }
    };
    return {
      local: true,
      post(m) {
        if (m.type === 'close') closed = true;
        if (m.type !== 'run' || closed) return; // nothing to open: the caller's own Sweep runs
        queue.push(m);
        if (!running) drain();
      },
      listen(f) {
        onMessage = f;
        return () => {
          onMessage = null;
          closed = true;
          queue.length = 0;
        };
      },
    };
  }
}
