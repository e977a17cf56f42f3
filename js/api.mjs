// The API over one wasm instance, the same in Node, browser pages and Web Workers: the entries
// (index.mjs for Node, web.mjs for browsers) load the module and bind it here.
import { TidemarkError, guard } from './errors.mjs';
import { hooksFor } from './strategy.mjs';

// A macrotask, so the host can paint, handle input or run timers between slices (a resolved
// promise would only be a microtask). Not scheduler.yield(): Chromium runs its continuations
// ahead of rendering (tests/js/browser.test.mjs saw 2 frames painted in 300 ms with it, 11 with a
// MessageChannel).
const yieldToHost = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

function guessFormat(data) {
  const head = data.trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'barter-json';
  const header = head.slice(0, head.indexOf('\n') >>> 0).toLowerCase();
  return header.includes('open') && header.includes('close') ? 'ohlcv-csv' : 'trades-csv';
}

// Columnar data: {time, open, high, low, close, volume?} bars or {time, price, amount, side?} trades.
function isColumnar(data) {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'time' in data;
}

// Text data, or an array of barter stream items (crossing once as JSON text).
function textData(data) {
  if (Array.isArray(data)) return JSON.stringify(data);
  if (typeof data !== 'string') {
    throw new TidemarkError('INVALID_ARGUMENT', 'data: expected text (barter JSON or CSV), an array of events, or columns {time, open, high, low, close} / {time, price, amount}');
  }
  return data;
}

// Where log records go: `logger[level](message, record)` after each engine call. The level name
// is checked by the core (setLogLevel); the logger's shape here.
function logSink(options, call) {
  const level = options.logLevel ?? 'warn';
  const logger = options.logger ?? console;
  if (level !== 'off' && ['debug', 'info', 'warn', 'error'].some((l) => typeof logger[l] !== 'function')) {
    throw new TidemarkError('INVALID_ARGUMENT', 'logger: expected an object with debug, info, warn and error methods');
  }
  return {
    level,
    // Hands the records an engine call left in `handle` to the logger. After a failed call a
    // failure to read them (a poisoned module) must not hide the error being thrown.
    flush(handle, afterError) {
      if (level === 'off') return;
      let records;
      try {
        records = call(() => handle.takeLogs());
      } catch (e) {
        if (afterError) return;
        throw e;
      }
      for (const r of records) logger[r.level](`tidemark: ${r.message}`, r);
    },
  };
}

/** Binds the API to an initialised wasm-bindgen module. */
export function bind(wasm) {
  const call = guard();

  /** Stable error codes, from the Rust core. */
  const ERROR_CODES = Object.freeze(wasm.errorCodes());

  /** The package version. */
  const version = () => call(() => wasm.version());

  /** Validates a config (object or JSON text); returns it normalised. Throws INVALID_CONFIG naming the path. */
  const parseConfig = (config) => call(() => wasm.parseConfig(config));

  /**
   * Decodes a `market` or `account` event (bare or a stream item) or a `command`, returning the
   * canonical form the engine sees. Throws DECODE naming the line and column.
   */
  const parseEvent = (kind, value) => call(() => wasm.parseEvent(kind, value));

  const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  // camelCase argument names (riskFree) become the core's snake_case ones (risk_free).
  const snakeKeys = (args) => (args !== null && typeof args === 'object' && !Array.isArray(args) ? Object.fromEntries(Object.entries(args).map(([k, v]) => [snake(k), v])) : args);
  /**
   * Analytics helpers on plain numbers, from the Rust core: `welford({values})`, `sharpe`,
   * `sortino`, `calmar` (`{returns}` or `{mean, dispersion}`, plus `riskFree`, `period`,
   * `interval`), `rateOfReturn`, `rescaleRatio({value, from, to})`, `drawdowns({values, times?})`,
   * `winRate`, `profitFactor`, `tradeQuality` (`{pnls}`: SQN and Kelly). Decimals in as strings or
   * numbers, out as strings; undefined results are null.
   */
  const analytics = Object.freeze(Object.fromEntries(wasm.analyticsNames().map((n) => [camel(n), (args) => call(() => wasm.analytics(n, snakeKeys(args)))])));

  function open(config, data, options) {
    const { instrument, initialBalances } = options;
    if (isColumnar(data)) {
      const c = data;
      if ('close' in c) return call(() => wasm.Backtest.fromCandles(config, instrument, c.time, c.open, c.high, c.low, c.close, c.volume, initialBalances));
      if ('price' in c) return call(() => wasm.Backtest.fromTrades(config, instrument, c.time, c.price, c.amount, c.side, initialBalances));
      throw new TidemarkError('INVALID_ARGUMENT', 'data: columns need close (bars) or price (trades) next to time');
    }
    const text = textData(data);
    const format = options.format ?? guessFormat(text);
    return call(() => new wasm.Backtest(config, text, format, instrument, initialBalances));
  }

  // Runs a backtest to the end in slices, yielding to the host between them, then reads the result.
  async function runToEnd(config, data, options, read) {
    const { sliceEvents = 20_000, onProgress, signal, strategy } = options;
    if (!Number.isInteger(sliceEvents) || sliceEvents < 1) {
      throw new TidemarkError('INVALID_ARGUMENT', `sliceEvents: expected a positive integer, got ${sliceEvents}`);
    }
    const logs = logSink(options, call);
    const hooks = strategy === undefined ? undefined : hooksFor(strategy);
    signal?.throwIfAborted();
    const run = open(config, data, options);
    try {
      if (hooks) call(() => run.setStrategy(hooks));
      call(() => run.setLogLevel(logs.level));
      for (;;) {
        signal?.throwIfAborted();
        let done;
        try {
          done = call(() => run.step(sliceEvents));
        } catch (e) {
          logs.flush(run, true);
          throw e;
        }
        logs.flush(run, false);
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
   * `data`: barter JSON text (array or JSON lines), OHLCV or trades CSV text, an array of barter
   * stream items, or columns (arrays or typed arrays, times in ms since the epoch):
   * `{time, open, high, low, close, volume?}` bars or `{time, price, amount, side?}` trades.
   * Options: `format`, `instrument` (rows without one), `interval` ('daily' | 'annual252' |
   * 'annual365'), `strategy` (a JS strategy object, see `hooksFor`), `sliceEvents` (default
   * 20,000), `onProgress({processed, total})`, `signal` (AbortSignal; rejects with its reason),
   * `initialBalances` ([{exchange?, asset, total, free?}]), `logger` (default console) and
   * `logLevel` ('debug' | 'info' | 'warn' (default) | 'error' | 'off').
   */
  const backtest = (config, data, options = {}) => runToEnd(config, data, options, (run) => run.report(options.interval));

  /** The same as `backtest`, returning the report as JSON text: byte-identical to the native build's. */
  const backtestJson = (config, data, options = {}) => runToEnd(config, data, options, (run) => run.reportJson(options.interval));

  /** The same as `backtest`, returning the summary as a text table (terminals, notebooks). */
  const backtestTable = (config, data, options = {}) => runToEnd(config, data, options, (run) => run.reportTable(options.interval));

  /**
   * Runs one backtest per combination of `grid` (e.g. `{fast: [5, 10], slow: [20, 30]}`) over the
   * same data, parsed once. Options as `backtest` (text data), plus `rankBy` (a snake_case
   * portfolio statistic, default 'sharpe_ratio'). Resolves to `[{strategy, stats, error}]`, best first.
   * With `strategy: (params) => strategyObject` it sweeps a JS strategy instead, one backtest per
   * combination (`strategy` in each row is then the params).
   */
  async function sweep(config, data, grid, options = {}) {
    const { instrument, rankBy = 'sharpe_ratio', onProgress, signal } = options;
    if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) {
      throw new TidemarkError('INVALID_ARGUMENT', 'grid: expected an object of parameter arrays, e.g. {fast: [5, 10]}');
    }
    if (typeof options.strategy === 'function') return sweepJs(config, data, grid, options);
    if (options.strategy !== undefined) {
      throw new TidemarkError('INVALID_ARGUMENT', 'strategy: a sweep takes a factory, (params) => strategy object');
    }
    data = textData(data);
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

  // Every combination of a grid, last parameter fastest (as the core's `grid`).
  function combinations(grid) {
    let combos = [{}];
    for (const [name, values] of Object.entries(grid)) {
      if (!Array.isArray(values) || values.length === 0) {
        throw new TidemarkError('INVALID_ARGUMENT', `grid.${name}: expected a non-empty array of values`);
      }
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
    }
    return combos;
  }

  // A sweep of a JS strategy: one backtest per combination, `options.strategy(params)` building the
  // strategy each time (returning null skips the combination, as the core skips fast >= slow);
  // ranked like the core's sweeps: best first, undefined last, ties in grid order. A run whose
  // strategy fails (STRATEGY, INVALID_ORDER) keeps its error; other errors concern every run and
  // are thrown.
  async function sweepJs(config, data, grid, options) {
    const { rankBy = 'sharpe_ratio', onProgress, signal, strategy: factory } = options;
    const combos = combinations(grid);
    const rows = [];
    for (const [k, params] of combos.entries()) {
      signal?.throwIfAborted();
      const strategy = factory(params);
      if (strategy !== null && strategy !== undefined) {
        try {
          const run = { ...options, logLevel: options.logLevel ?? 'off', onProgress: undefined, strategy };
          const stats = await runToEnd(config, data, run, (r) => r.portfolio());
          rows.push({ strategy: params, stats, error: null });
        } catch (e) {
          if (!(e instanceof TidemarkError) || !['STRATEGY', 'INVALID_ORDER'].includes(e.code)) throw e;
          rows.push({ strategy: params, stats: null, error: e.message });
        }
      }
      onProgress?.({ processed: k + 1, total: combos.length });
    }
    if (!rows.some((r) => r.stats && rankBy in r.stats) && rows.some((r) => r.stats)) {
      throw new TidemarkError('INVALID_ARGUMENT', `rankBy: ${JSON.stringify(rankBy)} is not a portfolio statistic (e.g. sharpe_ratio, return_pct, sqn)`);
    }
    const value = (r) => (typeof r.stats?.[rankBy] === 'number' ? r.stats[rankBy] : null);
    return rows
      .map((r, i) => [value(r), i, r])
      .sort((a, b) => (a[0] === null ? (b[0] === null ? a[1] - b[1] : 1) : b[0] === null ? -1 : b[0] - a[0] || a[1] - b[1]))
      .map(([, , r]) => r);
  }

  /**
   * A live (or paper) trading system: feed market events one by one, in batches, or from an async
   * iterable (e.g. a WebSocket adapter); inject account events from a venue; send commands; read
   * the audit stream; end with `shutdownWithSummary`. Audit ticks and log records are handed out
   * only after the engine call returned, so listeners never re-enter the engine.
   */
  class System {
    #inner;
    #logs;
    #auditing = false;
    #busy = false;
    #queue = [];
    #waiters = [];
    #closed = false;

    constructor(inner, logs) {
      this.#inner = inner;
      this.#logs = logs;
    }

    /**
     * Starts a system. Options: `timeStart` (RFC 3339; default: the first market event's time),
     * `initialBalances` ([{exchange?, asset, total, free?}], replacing the config's starting
     * balances), `strategy` (a JS strategy object), `logger` and `logLevel` (as `backtest`).
     */
    static async start(config, options = {}) {
      const { timeStart, initialBalances, strategy } = options;
      const logs = logSink(options, call);
      const hooks = strategy === undefined ? undefined : hooksFor(strategy);
      const inner = call(() => wasm.System.start(config, timeStart, initialBalances));
      try {
        if (hooks) call(() => inner.setStrategy(hooks));
        call(() => inner.setLogLevel(logs.level));
      } catch (e) {
        inner.free();
        throw e;
      }
      return new System(inner, logs);
    }

    // A strategy hook runs inside an engine call; calling back into the system from there would
    // alias the engine's state, so it is refused with a clear error (the hook then fails with
    // STRATEGY and this error as its cause).
    #enter(what) {
      if (this.#busy) {
        throw new TidemarkError('INVALID_ARGUMENT', `${what}: called from inside a strategy hook while the engine is busy; return requests from the hook instead`);
      }
    }

    // Every engine call: publishes the ticks it produced (also those riding on an error) and
    // delivers the log records, after the call returned.
    #engine(fn, what) {
      this.#enter(what);
      let ticks;
      this.#busy = true;
      try {
        ticks = call(fn);
      } catch (e) {
        this.#busy = false;
        if (Array.isArray(e.ticks)) this.#publish(e.ticks);
        this.#logs.flush(this.#inner, true);
        throw e;
      }
      this.#busy = false;
      this.#logs.flush(this.#inner, false);
      return this.#publish(ticks);
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
      return this.#engine(() => (Array.isArray(items) ? this.#inner.feedMarketBatch(items) : this.#inner.feedMarket(items)), 'feed');
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
      return this.#engine(() => this.#inner.feedAccount(event), 'feedAccount');
    }

    /** Sends a command in barter's JSON, e.g. `{ClosePositions: 'None'}` (see `command`). */
    command(command) {
      return this.#engine(() => this.#inner.command(command), 'command');
    }

    /** Turns algorithmic trading on (true) or off (false). */
    setTradingState(enabled) {
      return this.#engine(() => this.#inner.setTradingState(Boolean(enabled)), 'setTradingState');
    }

    /** The current engine state (sequence and state). */
    snapshot() {
      this.#enter('snapshot');
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
      this.#enter('shutdownWithSummary');
      let report;
      this.#busy = true; // hooks run while open positions are closed
      try {
        report = call(() => this.#inner.shutdownWithSummary(interval));
      } catch (e) {
        this.#logs.flush(this.#inner, true);
        throw e;
      } finally {
        this.#busy = false;
      }
      this.#logs.flush(this.#inner, false);
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

  return { ERROR_CODES, version, parseConfig, parseEvent, analytics, backtest, backtestJson, backtestTable, sweep, System };
}
