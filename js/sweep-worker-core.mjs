// What a sweep worker does, in Node (sweep-worker.mjs) and in browsers (sweep-worker-web.mjs):
// 'open' parses the sweep's data once into a wasm Sweep, each 'run' answers a chunk of
// combinations with its rows (every statistic when `full`, else as the sweep was opened),
// 'close' frees it. Rows travel as the JSON text `runIndices` gives, parsed by the pool. The
// grid's values are not checked one by one (`true`, the constructors' last argument): the
// calling thread's Sweep checks them, while a worker runs its lead chunk, and a combination
// with a value it would refuse is skipped, never run (`Grid::checked_before`). A config the
// worker cannot read fails its open, and each of that sweep's runs. Errors travel as plain
// {code, message, recoverable, details}: structured clone keeps an Error's message but drops
// its own properties.
//
// A sweep over a Dataset (its 'open' names the Dataset's `dataset` id) keeps the decoded data
// for the next sweep over the same Dataset, as the calling thread keeps its own: a user sweeping
// one data set grid after grid decodes it once per worker, not once per sweep. One is kept, until
// a sweep over another or 'forget' (the Dataset was freed).
import { guard } from './errors.mjs';

/** Handles the pool's messages with `wasm` (an initialised module), answering through `post`. */
export function sweepWorker(wasm, post) {
  const call = guard();
  let sweep = null;
  let kept = null; // {id, dataset}
  let ranked = false; // the open sweep's rows carry only the ranked statistics
  // The open sweep's id, on every answer: the pool drops answers to a sweep it no longer runs
  // (one it opened early and then cancelled, its check having failed in the calling thread).
  let current;
  // The open's error, if it failed: each of that sweep's runs is answered with it (an answer to
  // an open may reach the pool before it listens).
  let failed = null;
  const drop = () => {
    kept?.dataset.free();
    kept = null;
  };
  const plain = (e) => ({ code: e.code ?? 'INTERNAL', message: e.message ?? String(e), recoverable: e.recoverable ?? false, details: e.details ?? null });
  return (m) => {
    try {
      if (m.type === 'open') {
        current = m.sweep;
        failed = null;
        sweep?.free();
        sweep = null;
        if (m.dataset === undefined) {
          sweep = call(() => new wasm.Sweep(m.config, m.data, m.format, m.instrument, m.grid, m.initialBalances, m.sort, true));
        } else {
          if (kept?.id !== m.dataset) {
            drop();
            kept = { id: m.dataset, dataset: call(() => new wasm.Dataset(m.config, m.data, m.format, m.instrument, m.sort)) };
          }
          sweep = call(() => wasm.Sweep.fromDataset(m.config, kept.dataset, m.grid, m.initialBalances, true));
        }
        ranked = m.ranked === true;
      } else if (m.type === 'run') {
        if (failed) post({ type: 'error', sweep: current, error: failed });
        else post({ type: 'rows', sweep: current, chunk: m.chunk, rows: call(() => sweep.runIndices(m.indices, ranked && !m.full)) });
      } else if (m.type === 'close') {
        sweep?.free();
        sweep = null;
      } else if (m.type === 'forget') {
        if (kept?.id === m.dataset) drop();
      }
    } catch (e) {
      const error = plain(e);
      if (m.type === 'open') failed = error;
      post({ type: 'error', sweep: current, error });
    }
  };
}
