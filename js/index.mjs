// Tidemark for Node: the engine compiled to WebAssembly, driven from an async event loop.
// Errors are `TidemarkError`s with a stable `code`; money stays in decimal strings.
// pkg/node is CommonJS: its exports object is the default import. scripts/build-wasm.sh bundles this
// file into pkg/index.cjs for `require('tidemark')`, keeping this import as a require of the same file.
import wasm from '../pkg/node/tidemark.js';
import { bind } from './api.mjs';
import { nodePool } from './pool-node.mjs';
import { bindIndicators } from './indicators.mjs';

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { heatmap } from './heatmap.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';
export const { MAX_SWEEP_COMBINATIONS, RANKED_STATISTICS, ERROR_CODES, version, parseConfig, parseEvent, analytics, loadData, Dataset, backtest, backtestJson, backtestTable, sweep, System } = bind(wasm, {
  // Parallel sweeps: worker threads running js/sweep-worker.mjs. The path is from this folder's
  // parent, so it resolves the same from js/index.mjs and from its CommonJS bundle in pkg/.
  pool: nodePool(new URL('../js/sweep-worker.mjs', import.meta.url)),
});
/** The indicator library over whole series (charts, analysis): `indicators.sma(values, 10)`, ... */
export const indicators = bindIndicators(wasm);
