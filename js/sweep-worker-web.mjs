// A module Web Worker of a parallel sweep (pool-web.mjs): instantiates the page's compiled wasm
// module (sent with the first 'open'), then works as sweep-worker-core.mjs says.
import init, * as wasm from '../pkg/web/tidemark.js';
import { sweepWorker } from './sweep-worker-core.mjs';

const handle = sweepWorker(wasm, (m) => self.postMessage(m));
let ready = null;
self.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'open' && !ready) ready = init({ module_or_path: m.module });
  if (ready) await ready;
  handle(m);
};
