// Tidemark for Node: the engine compiled to WebAssembly, driven from an async event loop.
// Errors are `TidemarkError`s with a stable `code`; money stays in decimal strings.
import { createRequire } from 'node:module';
import { bind } from './api.mjs';

export { MAX_SWEEP_COMBINATIONS } from './api.mjs';

const wasm = createRequire(import.meta.url)('../pkg/node/tidemark.js');

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';
export const { ERROR_CODES, version, parseConfig, parseEvent, analytics, backtest, backtestJson, backtestTable, sweep, System } = bind(wasm);
