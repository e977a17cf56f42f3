// Tidemark for browsers and Web Workers (module workers): the same API as the Node entry. The
// module fetches `tidemark_bg.wasm` next to pkg/web/tidemark.js when first imported; to give the
// wasm yourself (bundlers, another URL, bytes), use `tidemark/web/init`.
import { init } from './web-init.mjs';

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { heatmap } from './heatmap.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';
export const { MAX_SWEEP_COMBINATIONS, RANKED_STATISTICS, ERROR_CODES, version, parseConfig, parseEvent, analytics, loadData, Dataset, backtest, backtestJson, backtestTable, sweep, System, indicators } = await init(undefined, {
  // Parallel sweeps: module Workers running js/sweep-worker-web.mjs, next to this file.
  sweepWorker: new URL('./sweep-worker-web.mjs', import.meta.url),
});
