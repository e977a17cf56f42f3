import type * as api from './index.js';
export { TidemarkError, hooksFor, heatmap, market, account, command, filter, decimal, time } from './index.js';
/** What `init` resolves to: the API of `tidemark` bound to the instantiated module. */
export interface Tidemark {
  MAX_SWEEP_COMBINATIONS: typeof api.MAX_SWEEP_COMBINATIONS;
  RANKED_STATISTICS: typeof api.RANKED_STATISTICS;
  ERROR_CODES: typeof api.ERROR_CODES;
  version: typeof api.version;
  parseConfig: typeof api.parseConfig;
  parseEvent: typeof api.parseEvent;
  analytics: typeof api.analytics;
  backtest: typeof api.backtest;
  backtestJson: typeof api.backtestJson;
  backtestTable: typeof api.backtestTable;
  sweep: typeof api.sweep;
  System: typeof api.System;
  indicators: typeof api.indicators;
}
/** Where the wasm comes from: a URL, a Response, the bytes, or a compiled module. */
export type WasmSource = string | URL | Response | Promise<Response> | BufferSource | WebAssembly.Module;
/**
 * Instantiates the engine once and returns the API. Left out, `source` is `tidemark_bg.wasm` next to
 * the glue (pkg/web/). Later calls return the same API.
 */
/** Options of `init`. */
export interface InitOptions {
  /** The URL of `js/sweep-worker-web.mjs` as served, for sweeps on this thread and a Web Worker per other core (default: sweeps run in this thread alone). */
  sweepWorker?: string | URL;
}
export declare function init(source?: WasmSource, options?: InitOptions): Promise<Tidemark>;
