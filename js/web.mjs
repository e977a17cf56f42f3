// Tidemark for browsers and Web Workers (module workers): the same API as the Node entry. The
// module fetches `tidemark_bg.wasm` next to pkg/web/tidemark.js when first imported.
import init, * as wasm from '../pkg/web/tidemark.js';
import { bind } from './api.mjs';

export { MAX_SWEEP_COMBINATIONS } from './api.mjs';

await init();

export { TidemarkError } from './errors.mjs';
export { hooksFor } from './strategy.mjs';
export { market, account, command, filter, decimal, time } from './events.mjs';
export const { ERROR_CODES, version, parseConfig, parseEvent, analytics, backtest, backtestJson, backtestTable, sweep, System } = bind(wasm);
