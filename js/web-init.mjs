// Tidemark for browsers and Web Workers, with the wasm given by the caller: for bundlers (Vite,
// esbuild, webpack) and pages that serve `tidemark_bg.wasm` somewhere else. `tidemark/web` is this
// with the wasm fetched next to the glue.
import initWasm, * as wasm from '../pkg/web/tidemark.js';
import { bind } from './api.mjs';
import { bindIndicators } from './indicators.mjs';

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { heatmap } from './heatmap.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';

let api;

/**
 * Instantiates the engine once and returns the API (`backtest`, `System`, ...). `source`: a URL
 * (or its text), a `Response` (or a promise of one), the wasm bytes (`ArrayBuffer`, typed array)
 * or a compiled `WebAssembly.Module`; left out, `tidemark_bg.wasm` is fetched next to the glue
 * (pkg/web/). Later calls return the same API whatever they pass: one module per realm.
 */
export async function init(source) {
  if (!api) {
    await initWasm(source === undefined ? undefined : { module_or_path: source });
    api = { ...bind(wasm), indicators: bindIndicators(wasm) };
  }
  return api;
}
