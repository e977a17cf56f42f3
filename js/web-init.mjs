// Tidemark for browsers and Web Workers, with the wasm given by the caller: for bundlers (Vite,
// esbuild, webpack) and pages that serve `tidemark_bg.wasm` somewhere else. `tidemark/web` is this
// with the wasm fetched next to the glue.
import initWasm, * as wasm from '../pkg/web/tidemark.js';
import { bind } from './api.mjs';
import { bindIndicators } from './indicators.mjs';
import { webPool } from './pool-web.mjs';

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { heatmap } from './heatmap.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';

let api;

// The smallest module using 128-bit SIMD (wasm-feature-detect's probe): the engine's module needs
// it, and an engine without it fails to compile with a message that does not say why.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

// The wasm compiled here, not by the glue, so parallel sweeps can hand the same module to their
// workers (no second download or compile). Sources as `init` takes them.
async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error("this browser's WebAssembly has no 128-bit SIMD, which Tidemark needs (Chrome and Edge 91, Firefox 89, Safari 16.4 and later have it)");
  }
  let s = source ?? new URL('../pkg/web/tidemark_bg.wasm', import.meta.url);
  if (typeof s === 'string' || s instanceof URL) s = fetch(s);
  s = await s;
  if (typeof Response === 'function' && s instanceof Response) {
    if (!s.ok) throw new Error(`failed to fetch the wasm: ${s.status} ${s.statusText} fetching '${s.url}'`);
    // Streaming compile needs the wasm MIME type; otherwise the bytes are read first.
    if (typeof WebAssembly.compileStreaming === 'function' && s.headers.get('content-type') === 'application/wasm') {
      return WebAssembly.compileStreaming(s);
    }
    return WebAssembly.compile(await s.arrayBuffer());
  }
  return WebAssembly.compile(s);
}

/**
 * Instantiates the engine once and returns the API (`backtest`, `System`, ...). `source`: a URL
 * (or its text), a `Response` (or a promise of one), the wasm bytes (`ArrayBuffer`, typed array)
 * or a compiled `WebAssembly.Module`; left out, `tidemark_bg.wasm` is fetched next to the glue
 * (pkg/web/). `options.sweepWorker`: the URL of `js/sweep-worker-web.mjs` as your server or
 * bundler serves it, for sweeps on this thread and a Web Worker per other core (`tidemark/web`
 * passes it; without it sweeps run in this thread alone). Later calls return the same API whatever they pass: one module
 * per realm.
 */
export async function init(source, options = {}) {
  if (!api) {
    const module = await compile(source);
    await initWasm({ module_or_path: module });
    const pool = options.sweepWorker ? webPool(options.sweepWorker, () => module) : undefined;
    api = { ...bind(wasm, { pool }), indicators: bindIndicators(wasm) };
  }
  return api;
}
