// A worker of a parallel sweep (js/pool-node.mjs): one wasm instance that parses the sweep's data
// once ('open'), runs the chunks of combinations it is handed ('run') and answers each with its
// rows, until 'close'. Errors travel as plain {code, message, recoverable, details}: structured
// clone keeps an Error's message but drops its own properties.
import { parentPort } from 'node:worker_threads';
import wasm from '../pkg/node/tidemark.js';
import { guard } from './errors.mjs';

const call = guard();
let sweep = null;

const plain = (e) => ({ code: e.code ?? 'INTERNAL', message: e.message ?? String(e), recoverable: e.recoverable ?? false, details: e.details ?? null });

parentPort.on('message', (m) => {
  try {
    if (m.type === 'open') {
      sweep?.free();
      sweep = null;
      sweep = call(() => new wasm.Sweep(m.config, m.data, m.format, m.instrument, m.grid, m.initialBalances, m.sort));
      parentPort.postMessage({ type: 'opened' });
    } else if (m.type === 'run') {
      parentPort.postMessage({ type: 'rows', chunk: m.chunk, rows: call(() => sweep.runIndices(m.indices)) });
    } else if (m.type === 'close') {
      sweep?.free();
      sweep = null;
    }
  } catch (e) {
    parentPort.postMessage({ type: 'error', error: plain(e) });
  }
});
