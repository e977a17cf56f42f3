// Tidemark for Node: the engine compiled to WebAssembly, driven from an async event loop.
// Errors are `TidemarkError`s with a stable `code`; money stays in decimal strings.
// pkg/node is CommonJS: its exports object is the default import. scripts/build-wasm.sh bundles this
// file into pkg/index.cjs for `require('tidemark')`, keeping this import as a require of the same file.
import wasm from '../pkg/node/tidemark.js';
import { bind } from './api.mjs';
import { bindIndicators } from './indicators.mjs';

export { MAX_SWEEP_COMBINATIONS } from './api.mjs';

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';
export const { ERROR_CODES, version, parseConfig, parseEvent, analytics, backtest, backtestJson, backtestTable, sweep, System } = bind(wasm);
/** The indicator library over whole series (charts, analysis): `indicators.sma(values, 10)`, ... */
export const indicators = bindIndicators(wasm);
