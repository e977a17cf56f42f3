// What a sweep worker does, in Node (sweep-worker.mjs) and in browsers (sweep-worker-web.mjs):
// 'open' parses the sweep's data once into a wasm Sweep, each 'run' answers a chunk of
// combinations with its rows, 'close' frees it. Errors travel as plain {code, message,
// recoverable, details}: structured clone keeps an Error's message but drops its own properties.
import { guard } from './errors.mjs';

/** Handles the pool's messages with `wasm` (an initialised module), answering through `post`. */
export function sweepWorker(wasm, post) {
  const call = guard();
  let sweep = null;
  const plain = (e) => ({ code: e.code ?? 'INTERNAL', message: e.message ?? String(e), recoverable: e.recoverable ?? false, details: e.details ?? null });
  return (m) => {
    try {
      if (m.type === 'open') {
        sweep?.free();
        sweep = null;
        sweep = call(() => new wasm.Sweep(m.config, m.data, m.format, m.instrument, m.grid, m.initialBalances, m.sort));
        post({ type: 'opened' });
      } else if (m.type === 'run') {
        post({ type: 'rows', chunk: m.chunk, rows: call(() => sweep.runIndices(m.indices)) });
      } else if (m.type === 'close') {
        sweep?.free();
        sweep = null;
      }
    } catch (e) {
      post({ type: 'error', error: plain(e) });
    }
  };
}
