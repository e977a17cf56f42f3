// Tidemark for Node: the engine compiled to WebAssembly, driven from an async event loop.
// Errors are `TidemarkError`s with a stable `code`; money stays in decimal strings.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wasm = require('../pkg/node/tidemark.js');

/** Stable error codes, from the Rust core. */
export const ERROR_CODES = Object.freeze(wasm.errorCodes());

/** Every error this package throws. `code` is one of ERROR_CODES. */
export class TidemarkError extends Error {
  constructor(code, message, { recoverable = true, details = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TidemarkError';
    this.code = code;
    this.recoverable = recoverable;
    this.details = details;
  }
}

// A trap (Rust panic) leaves the instance in an unknown state: refuse every later call.
let poisoned = null;

function call(fn) {
  if (poisoned) {
    throw new TidemarkError('INTERNAL', `the engine module trapped earlier (${poisoned}) and cannot be used; reload it`, { recoverable: false });
  }
  try {
    return fn();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      poisoned = e.message;
      throw new TidemarkError('INTERNAL', `the engine trapped: ${e.message}`, { recoverable: false, cause: e });
    }
    if (e && e.name === 'TidemarkError' && typeof e.code === 'string' && !(e instanceof TidemarkError)) {
      throw new TidemarkError(e.code, e.message, { recoverable: e.recoverable, details: e.details });
    }
    throw e;
  }
}

/** The package version. */
export function version() {
  return call(() => wasm.version());
}

/** Validates a config (object or JSON text); returns it normalised. Throws INVALID_CONFIG naming the path. */
export function parseConfig(config) {
  return call(() => wasm.parseConfig(config));
}

function guessFormat(data) {
  const head = data.trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'barter-json';
  const header = head.slice(0, head.indexOf('\n') >>> 0).toLowerCase();
  return header.includes('open') && header.includes('close') ? 'ohlcv-csv' : 'trades-csv';
}

// A macrotask, so the host can paint, handle input or run timers between slices (a resolved
// promise would only be a microtask).
const yieldToHost = () => new Promise((resolve) => setImmediate(resolve));

// Text data, or an array of barter stream items (crossing once as JSON text).
function textData(data) {
  if (Array.isArray(data)) return JSON.stringify(data);
  if (typeof data !== 'string') {
    throw new TidemarkError('INVALID_ARGUMENT', 'data: expected text (barter JSON or CSV) or an array of events');
  }
  return data;
}

// Runs a backtest to the end in slices, yielding to the host between them, then reads the result.
async function runToEnd(config, data, options, read) {
  const { instrument, sliceEvents = 20_000, onProgress, signal, initialBalances } = options;
  const text = textData(data);
  if (!Number.isInteger(sliceEvents) || sliceEvents < 1) {
    throw new TidemarkError('INVALID_ARGUMENT', `sliceEvents: expected a positive integer, got ${sliceEvents}`);
  }
  signal?.throwIfAborted();
  const format = options.format ?? guessFormat(text);
  const run = call(() => new wasm.Backtest(config, text, format, instrument, initialBalances));
  try {
    for (;;) {
      signal?.throwIfAborted();
      const done = call(() => run.step(sliceEvents));
      onProgress?.({ processed: run.processed, total: run.total });
      if (done) break;
      await yieldToHost();
    }
    return call(() => read(run));
  } finally {
    run.free();
  }
}

/**
 * Runs a backtest to the end in slices, yielding to the host between them.
 * `data`: barter JSON text (array or JSON lines), OHLCV or trades CSV text, or an array of
 * barter stream items. Options: `format`, `instrument` (CSV rows), `interval`
 * ('daily' | 'annual252' | 'annual365'), `sliceEvents` (default 20,000), `onProgress({processed,
 * total})`, `signal` (AbortSignal; rejects with its reason), `initialBalances` ([{exchange?,
 * asset, total, free?}], replacing the config's starting balances).
 */
export async function backtest(config, data, options = {}) {
  return runToEnd(config, data, options, (run) => run.report(options.interval));
}

/** The same as `backtest`, returning the report as JSON text: byte-identical to the native build's. */
export async function backtestJson(config, data, options = {}) {
  return runToEnd(config, data, options, (run) => run.reportJson(options.interval));
}

/** The same as `backtest`, returning the summary as a text table (terminals, notebooks). */
export async function backtestTable(config, data, options = {}) {
  return runToEnd(config, data, options, (run) => run.reportTable(options.interval));
}

/**
 * Runs one backtest per combination of `grid` (e.g. `{fast: [5, 10], slow: [20, 30]}`) over the
 * same data, parsed once. Options as `backtest`, plus `rankBy` (a snake_case portfolio statistic,
 * default 'sharpe_ratio'). Resolves to `[{strategy, stats, error}]`, best first.
 */
export async function sweep(config, data, grid, options = {}) {
  const { instrument, rankBy = 'sharpe_ratio', onProgress, signal } = options;
  data = textData(data);
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) {
    throw new TidemarkError('INVALID_ARGUMENT', 'grid: expected an object of parameter arrays, e.g. {fast: [5, 10]}');
  }
  signal?.throwIfAborted();
  const format = options.format ?? guessFormat(data);
  const run = call(() => new wasm.Sweep(config, data, format, instrument, grid, options.initialBalances));
  try {
    for (;;) {
      signal?.throwIfAborted();
      const done = call(() => run.step(1));
      onProgress?.({ processed: run.processed, total: run.total });
      if (done) break;
      await yieldToHost();
    }
    return call(() => run.results(rankBy));
  } finally {
    run.free();
  }
}

/**
 * A live (or paper) trading system: feed market events one by one, in batches, or from an async
 * iterable (e.g. a WebSocket adapter); inject account events from a venue; send commands; read
 * the audit stream; end with `shutdownWithSummary`. Audit ticks are handed out only after the
 * engine call returned, so listeners never re-enter the engine.
 */
export class System {
  #inner;
  #auditing = false;
  #queue = [];
  #waiters = [];
  #closed = false;

  constructor(inner) {
    this.#inner = inner;
  }

  /**
   * Starts a system. Options: `timeStart` (RFC 3339; default: the first market event's time),
   * `initialBalances` ([{exchange?, asset, total, free?}], replacing the config's starting balances).
   */
  static async start(config, { timeStart, initialBalances } = {}) {
    return new System(call(() => wasm.System.start(config, timeStart, initialBalances)));
  }

  #publish(ticks) {
    if (this.#auditing) {
      for (const t of ticks) {
        const w = this.#waiters.shift();
        if (w) w({ value: t, done: false });
        else this.#queue.push(t);
      }
    }
    return ticks;
  }

  #close() {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
  }

  /** Feeds one market item or an array of them (one boundary crossing per array); returns the ticks. */
  feed(items) {
    return this.#publish(call(() => (Array.isArray(items) ? this.#inner.feedMarketBatch(items) : this.#inner.feedMarket(items))));
  }

  /** Feeds an (async) iterable of market items in batches, yielding to the host between batches. */
  async feedFrom(source, { batchSize = 1000, signal } = {}) {
    let batch = [];
    for await (const item of source) {
      signal?.throwIfAborted();
      batch.push(item);
      if (batch.length >= batchSize) {
        this.feed(batch);
        batch = [];
        await yieldToHost();
      }
    }
    if (batch.length) this.feed(batch);
  }

  /** Injects an account event from a venue (barter's AccountEvent JSON). */
  feedAccount(event) {
    return this.#publish(call(() => this.#inner.feedAccount(event)));
  }

  /** Sends a command in barter's JSON, e.g. `{ClosePositions: 'None'}`. */
  command(command) {
    return this.#publish(call(() => this.#inner.command(command)));
  }

  /** Turns algorithmic trading on (true) or off (false). */
  setTradingState(enabled) {
    return this.#publish(call(() => this.#inner.setTradingState(Boolean(enabled))));
  }

  /** The current engine state (sequence and state). */
  snapshot() {
    return call(() => this.#inner.snapshot());
  }

  /** The audit stream from now on, as an async iterator; it ends when the system shuts down. */
  audit() {
    this.#auditing = true;
    const next = () => {
      if (this.#queue.length) return Promise.resolve({ value: this.#queue.shift(), done: false });
      if (this.#closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => this.#waiters.push(resolve));
    };
    return { [Symbol.asyncIterator]: () => ({ next, return: async () => ({ value: undefined, done: true }) }) };
  }

  /** Ends the system and returns the report (summary for `interval`, trades, equity curve). */
  shutdownWithSummary(interval) {
    const report = call(() => this.#inner.shutdownWithSummary(interval));
    this.#close();
    return report;
  }

  /** Stops at once without a summary; every later call fails. */
  abort() {
    this.#close();
    this.#inner.free();
    this.#inner = { __proto__: null };
  }
}
