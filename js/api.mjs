// The API over one wasm instance, the same in Node, browser pages and Web Workers: the entries
// (index.mjs for Node, web.mjs for browsers) load the module and bind it here.
import { TidemarkError, guard } from './errors.mjs';
import { statNumber } from './stat-value.mjs';
import { hooksFor, describe } from './strategy.mjs';
import { yieldToHost } from './yield.mjs';

const invalid = (message, cause) => new TidemarkError('INVALID_ARGUMENT', message, cause === undefined ? undefined : { cause });
// The same, naming the argument in `details.field` as the core's errors do.
const invalidField = (field, message) => new TidemarkError('INVALID_ARGUMENT', `${field}: ${message}`, { details: { field } });

// An options argument as a plain object of the names given: undefined is {}; anything but an
// object is refused, and so is an option whose getter throws (read here once, never by wasm).
function readOptions(options, names, what = 'options') {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(`${what}: expected an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const out = {};
  for (const name of names) {
    let v;
    try {
      v = options[name];
    } catch (e) {
      throw invalid(`${what}.${name}: reading it threw: ${describe(e)}`, e);
    }
    if (v !== undefined) out[name] = v;
  }
  return out;
}

// An AbortSignal, or undefined.
function checkSignal(signal) {
  if (signal === undefined) return undefined;
  if (signal === null || typeof signal !== 'object' || typeof signal.throwIfAborted !== 'function' || typeof signal.aborted !== 'boolean') {
    throw invalid('signal: expected an AbortSignal (e.g. new AbortController().signal)');
  }
  return signal;
}

// The `workers` option of a sweep: 'auto' (the default), or a whole number of threads.
function checkWorkers(workers) {
  if (workers === undefined || workers === 'auto') return 'auto';
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024) {
    throw invalid(`workers: expected 'auto' or a whole number from 1 to 1024, got ${typeof workers === 'number' ? workers : typeof workers}`);
  }
  return workers;
}

// Option values the core reads as text: checked here too, so the message names the option.
function checkText(value, name) {
  if (value !== undefined && typeof value !== 'string') throw invalid(`${name}: expected a string, got ${value === null ? 'null' : typeof value}`);
  return value;
}

// A column: an array or a typed array of numbers (wasm-bindgen copies it into wasm as f64s; for
// anything else its glue would throw a TypeError or read garbage).
function checkColumn(c, name, optional) {
  if (c === undefined && optional) return undefined;
  if (ArrayBuffer.isView(c) && !(c instanceof DataView)) return c;
  if (!Array.isArray(c)) throw invalid(`data.${name}: expected an array or a typed array of numbers`);
  // The glue would coerce anything else to a number: "" and [] silently become 0.
  for (let i = 0; i < c.length; i++) {
    if (typeof c[i] !== 'number') throw invalid(`data.${name}[${i}]: expected a number, got ${c[i] === null ? 'null' : typeof c[i]}`);
  }
  return c;
}

// How many of a parallel sweep's threads are the calling one: 1 in Node and in Workers, which run
// a share of the sweep between yields (one fewer worker to wake, open and message, and no thread
// idle while this one waits), 0 on a page's own thread (one with a document), which stays free
// for the page while its workers run the sweep.
const here = typeof document === 'undefined' ? 1 : 0;

// Columnar data: {time, open, high, low, close, volume?} bars or {time, price, amount, side?} trades.
function isColumnar(data) {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'time' in data;
}

const encoder = new TextEncoder();

// Data as UTF-8 bytes for the engine: text is encoded here (natively, in one pass) because
// wasm-bindgen's string glue copies text into wasm one character at a time, a tenth of a single
// backtest's time on a 270 KB file. Bytes (a file read as an ArrayBuffer) pass as they are.
function dataBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return encoder.encode(textData(data));
}

// A stream of data chunks: a Blob or File, a web ReadableStream, a Node Readable or any async
// iterable of strings or bytes. Read chunk by chunk into the engine (see `chunksOf`).
function isStream(data) {
  if (data === null || typeof data !== 'object' || data instanceof Uint8Array || data instanceof ArrayBuffer) return false;
  if (typeof Blob === 'function' && data instanceof Blob) return true;
  return typeof data.getReader === 'function' || typeof data[Symbol.asyncIterator] === 'function';
}

// A ReadableStream without async iteration (older browsers) as an async iterator: the lock is
// released at the end, and stopping early cancels the stream.
function readerIterator(stream) {
  const reader = stream.getReader();
  return {
    async next() {
      const r = await reader.read();
      if (r.done) reader.releaseLock();
      return r;
    },
    async return() {
      await reader.cancel().catch(() => {});
      reader.releaseLock();
      return { done: true, value: undefined };
    },
  };
}

// The chunks of a stream as UTF-8 bytes. Strings are encoded here; a string chunk ending in the
// first half of a surrogate pair keeps it for the next one (bytes need nothing: the core carries
// a partial character or line). A source that fails rejects with INVALID_ARGUMENT naming `data`
// (`cause`: what it threw); stopping early (an error, an abort) cancels the source.
async function* chunksOf(data) {
  const source = typeof Blob === 'function' && data instanceof Blob ? data.stream() : data;
  let pending = '';
  const bytes = (chunk) => {
    if (typeof chunk === 'string') {
      let text = pending + chunk;
      pending = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pending = text.slice(-1);
        text = text.slice(0, -1);
      }
      return encoder.encode(text);
    }
    if (chunk instanceof Uint8Array) return chunk;
    if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
    if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    throw invalid(`data: a stream chunk must be text or bytes (string, Uint8Array, ArrayBuffer), got ${chunk === null ? 'null' : typeof chunk}`);
  };
  const failed = (e) => (e instanceof TidemarkError ? e : invalid(`data: the stream failed: ${describe(e)}`, e));
  const it = typeof source[Symbol.asyncIterator] !== 'function' && typeof source.getReader === 'function' ? readerIterator(source) : source[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      let r;
      try {
        r = await it.next();
      } catch (e) {
        done = true;
        throw failed(e);
      }
      if (r.done) {
        done = true;
        break;
      }
      yield bytes(r.value);
    }
  } finally {
    if (!done) await Promise.resolve(it.return?.()).catch(() => {});
  }
  if (pending) yield encoder.encode(pending);
}

// A whole stream as one byte array, for the paths that need all the data at once (`sort: true`,
// sweeps: see `open`).
async function streamBytes(data, signal) {
  const parts = [];
  let n = 0;
  for await (const c of chunksOf(data)) {
    signal?.throwIfAborted();
    parts.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// Text data, or an array of barter stream items (crossing once as JSON text).
function textData(data) {
  if (Array.isArray(data)) {
    try {
      return JSON.stringify(data);
    } catch (e) {
      throw invalid(`data: the array of events is not JSON-serialisable (a cycle, a BigInt, or a getter that threw): ${describe(e)}`, e);
    }
  }
  if (typeof data !== 'string') {
    throw new TidemarkError('INVALID_ARGUMENT', 'data: expected text (barter JSON or CSV) or its UTF-8 bytes (Uint8Array, ArrayBuffer), an array of events, or columns {time, open, high, low, close} / {time, price, amount}');
  }
  return data;
}

// Where log records go: `logger[level](message, record)` after each engine call. The level name
// is checked by the core (setLogLevel); the logger's shape here. The default, console, gets the
// message alone: with the record it prints a multi-line object (`reason: { Rejected: [Object] }`)
// after every line, which reads worse than the message that already says what and why.
function logSink(options, call) {
  const level = checkText(options.logLevel, 'logLevel') ?? 'warn';
  const plain = options.logger === undefined;
  const logger = options.logger ?? console;
  if (level !== 'off' && (typeof logger !== 'object' || ['debug', 'info', 'warn', 'error'].some((l) => typeof logger[l] !== 'function'))) {
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
      for (const r of records) {
        if (plain) logger[r.level](`tidemark: ${r.message}`);
        else logger[r.level](`tidemark: ${r.message}`, r);
      }
    },
  };
}

/** Binds the API to an initialised wasm-bindgen module. */
/**
 * A report of `backtest` has its equity curve's columns under this key (non-enumerable): a
 * function returning `{drawdown_duration_secs, drawdown_pct, equity}` as Float64Arrays and
 * `time`, the times joined by newlines, read once from the engine and shared with the rows
 * (undefined once `equity_curve` was replaced unread). Python takes the curve this way.
 */
export const CURVE_COLUMNS = Symbol.for('tidemark.equityCurveColumns');

export function bind(wasm, { pool } = {}) {
  const call = guard();

  const LOWER_IS_BETTER = new Set(wasm.statisticsLowerIsBetter());
  // What a sweep can rank by without each run's equity curve (`stats: 'ranked'`).
  const RANKED_STATISTICS = new Set(wasm.rankedStatistics());

  /**
   * The most combinations one sweep runs (the core's `MAX_COMBINATIONS`, src/backtest/sweep.rs):
   * each is a full backtest, so a larger grid is refused before any work (INVALID_ARGUMENT naming
   * `grid`).
   */
  const MAX_SWEEP_COMBINATIONS = wasm.maxSweepCombinations();

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
  const analyticsArgs = (name, args) => {
    try {
      return snakeKeys(args);
    } catch (e) {
      throw invalid(`${name}: reading the arguments threw: ${describe(e)}`, e);
    }
  };
  const analytics = Object.freeze(Object.fromEntries(wasm.analyticsNames().map((n) => [camel(n), (args) => {
    const a = analyticsArgs(n, args);
    return call(() => wasm.analytics(n, a));
  }])));

  // Columns read once, outside the engine call (their getters may throw).
  function columns(data) {
    const get = (name, optional = false) => {
      let c;
      try {
        c = data[name];
      } catch (e) {
        throw invalid(`data.${name}: reading it threw: ${describe(e)}`, e);
      }
      return checkColumn(c, name, optional);
    };
    if ('close' in data) return { kind: 'candles', cols: [get('time'), get('open'), get('high'), get('low'), get('close'), get('volume', true)] };
    if ('price' in data) return { kind: 'trades', cols: [get('time'), get('price'), get('amount'), get('side', true)] };
    throw invalid('data: columns need close (bars) or price (trades) next to time');
  }

  // Data decoded once (`loadData`), and what a worker of a parallel sweep decodes (once, then
  // keeps under the `dataset` id): the bytes and how to read them (null for columns, which
  // sweeps run in this thread).
  const datasets = new WeakMap();

  /**
   * Market data decoded once by `loadData` and shared, not copied, by every `backtest`,
   * `backtestJson`, `backtestTable` and `sweep` given it (as backtesting.py's DataFrame: a run
   * then skips decoding, half of a single S&P 500 run's time). Tied to the instruments of the
   * config it was loaded with: a config indexing other instruments is refused (INVALID_ARGUMENT
   * naming `data`). `free()` lets go of it at once; runs already started keep their share.
   * One made from text also keeps the text's bytes, which each worker of a parallel sweep decodes
   * once and keeps for later sweeps over it (until `free()`); one made from columns sweeps in this
   * thread.
   */
  let nextDatasetId = 0;

  class Dataset {
    constructor() {
      throw invalid('Dataset: made by loadData(config, data, options), not new');
    }

    /** Market events in the data (what one run processes). */
    get events() {
      return call(() => handleOf(this).events);
    }

    /** Frees the decoded data now (else when the Dataset is garbage-collected). Using it after throws INVALID_ARGUMENT. */
    free() {
      const d = datasets.get(this);
      if (!d?.handle) return;
      free(d.handle);
      d.handle = null;
      if (d.source) pool?.forget(d.source.dataset);
    }
  }

  // The wasm handle of a Dataset, refused when freed.
  function handleOf(dataset) {
    const handle = datasets.get(dataset)?.handle;
    if (!handle) throw invalidField('data', 'the Dataset was freed (free()); load the data again with loadData');
    return handle;
  }

  // A Dataset's reading was fixed when it was loaded: these options then have nothing to say.
  function loadedAlready(options) {
    for (const name of ['format', 'sort', 'instrument']) {
      if (options[name] !== undefined) throw invalidField(name, `the Dataset was decoded by loadData; pass ${name} there`);
    }
  }

  /**
   * Decodes market data once into a `Dataset` for many runs: the data and the options `format`,
   * `sort` and `instrument` as `backtest` takes them (text, bytes, an array of events, columns,
   * or a stream, read whole), for the instruments of `config`. Rejects as `backtest` would on the
   * same data (DECODE, INVALID_ARGUMENT naming the row and field).
   */
  async function loadData(config, data, options) {
    options = readOptions(options, ['format', 'sort', 'instrument']);
    const { instrument, sort } = options;
    checkText(instrument, 'instrument');
    const format = checkText(options.format, 'format');
    if (data instanceof Dataset) throw invalidField('data', 'already a Dataset');
    let handle;
    let source = null;
    if (isColumnar(data)) {
      handle = columnsDataset(config, data, instrument);
    } else {
      const bytes = isStream(data) ? await streamBytes(data) : dataBytes(data);
      handle = call(() => new wasm.Dataset(config, bytes, format, instrument, sort));
      // `dataset` names it to the workers of parallel sweeps, which keep its events between sweeps.
      source = { data: bytes, format, instrument, sort, dataset: nextDatasetId++ };
    }
    const dataset = Object.create(Dataset.prototype);
    datasets.set(dataset, { handle, source });
    return dataset;
  }

  // Columns decoded into a wasm Dataset (one copy per column).
  function columnsDataset(config, data, instrument) {
    const { kind, cols } = columns(data);
    return call(() => (kind === 'candles' ? wasm.Dataset.fromCandles(config, instrument, ...cols) : wasm.Dataset.fromTrades(config, instrument, ...cols)));
  }

  function open(config, data, options) {
    const { instrument, initialBalances } = options;
    checkText(instrument, 'instrument');
    if (data instanceof Dataset) {
      loadedAlready(options);
      return call(() => wasm.Backtest.fromDataset(config, handleOf(data), initialBalances));
    }
    if (isColumnar(data)) {
      // The run keeps its share of the events; the handle goes now.
      const columnar = columnsDataset(config, data, instrument);
      try {
        return call(() => wasm.Backtest.fromDataset(config, columnar, initialBalances));
      } finally {
        free(columnar);
      }
    }
    // The core detects the format when none is given (barter JSON, OHLCV CSV, Binance klines, trades CSV).
    const bytes = dataBytes(data);
    return call(() => new wasm.Backtest(config, bytes, checkText(options.format, 'format'), instrument, initialBalances, options.sort));
  }

  // Frees a handle without hiding the error being thrown: after a trap the handle may still be
  // borrowed ("attempted to take ownership of Rust value while it was borrowed"), and the guard
  // already reports the poisoned module on every later call.
  const free = (handle) => {
    try {
      handle.free();
    } catch {
      // see above
    }
  };

  const RUN_OPTIONS = ['format', 'sort', 'instrument', 'interval', 'strategy', 'sliceEvents', 'sliceBytes', 'onProgress', 'signal', 'initialBalances', 'logger', 'logLevel'];

  // The report of a finished run. The small fields are read now; the large ones (trades, equity
  // curve: 95% of the bytes, ten times the small fields' cost to cross) and the summary (its tear
  // sheets, computed when asked for: 0.13 ms of a 2.1 ms S&P 500 backtest) on first access, each
  // then kept as a plain value. Enumerable getters, so JSON.stringify, structuredClone and
  // postMessage see the whole report. The handle is freed once every large field was read, or by
  // wasm-bindgen's FinalizationRegistry when the report is dropped first.
  function lazyReport(run, interval) {
    // The interval is checked here, not when the summary is first read.
    const head = call(() => run.reportHead(interval));
    let pending = 5;
    const settle = (target, key, value) => {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      if (--pending === 0) free(run);
      return value;
    };
    const lazy = (target, key, read) =>
      Object.defineProperty(target, key, {
        enumerable: true,
        configurable: true,
        get: () => settle(target, key, call(read)),
        set: (value) => settle(target, key, value),
      });
    const part = (name) => () => run.reportPart(name, interval);
    // Keys in the order of backtestJson's text.
    const backtestingPy = { stats: head.backtesting_py_stats };
    lazy(backtestingPy, 'trades', part('backtesting_py_trades'));
    const report = { backtesting_py: backtestingPy };
    let columns;
    const curveColumns = () => (columns ??= run.equityCurveColumns());
    lazy(report, 'equity_curve', () => curveRows(curveColumns()));
    // While the curve is unread the handle is alive (it is freed once every large field is).
    const unread = () => Object.getOwnPropertyDescriptor(report, 'equity_curve').get !== undefined;
    Object.defineProperty(report, CURVE_COLUMNS, { value: () => columns ?? (unread() ? call(curveColumns) : undefined) });
    lazy(report, 'open_trades', part('open_trades'));
    report.stats = head.stats;
    lazy(report, 'summary', part('summary'));
    lazy(report, 'trades', part('trades'));
    // console.log in Node shows the values, not [Getter].
    Object.defineProperty(report, Symbol.for('nodejs.util.inspect.custom'), {
      value: (_depth, opts, inspect) => inspect({ ...report, backtesting_py: { ...backtestingPy } }, opts),
    });
    return report;
  }

  // The equity curve's rows from its columns (`equityCurveColumns`), with reportJson's keys in its
  // order. 0.13 ms for the S&P 500's 5,031 points, where parsing the rows' JSON text took 1.9 ms.
  function curveRows({ drawdown_duration_secs, drawdown_pct, equity, time }) {
    const times = time.split('\n');
    const rows = new Array(equity.length);
    for (let i = 0; i < rows.length; i++) {
      rows[i] = { drawdown_duration_secs: drawdown_duration_secs[i], drawdown_pct: drawdown_pct[i], equity: equity[i], time: times[i] };
    }
    return rows;
  }

  // Runs a backtest to the end in slices, yielding to the host between them, then reads the
  // result; with `keep`, the result owns the handle (freed here only on failure).
  async function runToEnd(config, data, options, read, keep = false) {
    const { sliceEvents = 20_000, sliceBytes = 1 << 20, onProgress, strategy } = options;
    if (!Number.isInteger(sliceEvents) || sliceEvents < 1) {
      throw new TidemarkError('INVALID_ARGUMENT', `sliceEvents: expected a positive integer, got ${sliceEvents}`);
    }
    if (!Number.isInteger(sliceBytes) || sliceBytes < 1) {
      throw new TidemarkError('INVALID_ARGUMENT', `sliceBytes: expected a positive integer, got ${sliceBytes}`);
    }
    if (onProgress !== undefined && typeof onProgress !== 'function') throw invalid('onProgress: expected a function');
    const signal = checkSignal(options.signal);
    checkText(options.interval, 'interval');
    const logs = logSink(options, call);
    const hooks = strategy === undefined ? undefined : hooksFor(strategy);
    // A turn of the host first, even when the run then takes one slice: the handles of reports
    // no longer referenced are freed by FinalizationRegistry callbacks, which run only between
    // tasks. Without it, backtests awaited in a loop kept every unread report in wasm memory
    // (1,500 S&P 500 runs: RSS 446 MB, 1,049 full GCs, the median run 4.3 ms; with it 185 MB,
    // 5 full GCs, 2.0 ms).
    await yieldToHost();
    signal?.throwIfAborted();
    // Sorting needs every row: a stream is then read whole and takes the whole-data path.
    const streamed = isStream(data) && options.sort !== true;
    if (isStream(data) && !streamed) data = await streamBytes(data, signal);
    let run = streamed ? openStream(config, options) : open(config, data, options);
    // Every engine call flushes the handle's log records, also after a failure.
    const engine = (f) => {
      let r;
      try {
        r = call(f);
      } catch (e) {
        logs.flush(run, true);
        throw e;
      }
      logs.flush(run, false);
      return r;
    };
    try {
      if (hooks) call(() => run.setStrategy(hooks));
      call(() => run.setLogLevel(logs.level));
      if (streamed) {
        const totalBytes = typeof Blob === 'function' && data instanceof Blob ? data.size : undefined;
        let bytes = 0;
        let sinceYield = 0;
        for await (const chunk of chunksOf(data)) {
          for (let at = 0; at < chunk.length; at += sliceBytes) {
            signal?.throwIfAborted();
            const piece = at === 0 && chunk.length <= sliceBytes ? chunk : chunk.subarray(at, at + sliceBytes);
            engine(() => run.push(piece));
            bytes += piece.length;
            sinceYield += piece.length;
            onProgress?.({ processed: run.processed, total: undefined, bytes, totalBytes });
            if (sinceYield >= sliceBytes) {
              sinceYield = 0;
              await yieldToHost();
            }
          }
        }
        signal?.throwIfAborted();
        engine(() => run.finish());
        onProgress?.({ processed: run.processed, total: run.processed, bytes, totalBytes });
      } else {
        for (;;) {
          signal?.throwIfAborted();
          const done = engine(() => run.step(sliceEvents));
          onProgress?.({ processed: run.processed, total: run.total });
          if (done) break;
          await yieldToHost();
        }
      }
      const result = call(() => read(run));
      if (keep) run = null;
      return result;
    } finally {
      if (run) free(run);
    }
  }

  // A backtest handle for streamed data (`Backtest.stream`): chunks are pushed as they arrive.
  function openStream(config, options) {
    const { instrument, initialBalances } = options;
    checkText(instrument, 'instrument');
    return call(() => wasm.Backtest.stream(config, checkText(options.format, 'format'), instrument, initialBalances));
  }

  /**
   * Runs a backtest to the end in slices, yielding to the host between them.
   * `data`: barter JSON text (array or JSON lines), OHLCV or trades CSV text, an array of barter
   * stream items, or columns (arrays or typed arrays, times in ms since the epoch):
   * `{time, open, high, low, close, volume?}` bars or `{time, price, amount, side?}` trades; or a
   * stream of the text: a Node `Readable`, a web `ReadableStream`, a `Blob`/`File`, or an async
   * iterable of string or `Uint8Array` chunks, decoded chunk by chunk into the running engine
   * (memory flat in the data's size; pieces of at most `sliceBytes`, default 1 MiB, between
   * yields; `onProgress` then gets `{processed, bytes, totalBytes?}`). With `sort: true` a stream
   * is read whole first.
   * Options: `format` (default: detected), `sort` (sort out-of-order rows by time instead of
   * refusing them), `instrument` (rows without a symbol column), `interval` ('daily' | 'annual252' |
   * 'annual365'), `strategy` (a JS strategy object, see `hooksFor`), `sliceEvents` (default
   * 20,000), `onProgress({processed, total})`, `signal` (AbortSignal; rejects with its reason),
   * `initialBalances` ([{exchange?, asset, total, free?}]), `logger` (default console) and
   * `logLevel` ('debug' | 'info' | 'warn' (default) | 'error' | 'off').
   */
  const backtest = (config, data, options) => reading(options, (o) => runToEnd(config, data, o, (run) => lazyReport(run, o.interval), true));

  /** The same as `backtest`, returning the report as JSON text: byte-identical to the native build's. */
  const backtestJson = (config, data, options) => reading(options, (o) => runToEnd(config, data, o, (run) => run.reportJson(o.interval)));

  /** The same as `backtest`, returning the summary as a text table (terminals, notebooks). */
  const backtestTable = (config, data, options) => reading(options, (o) => runToEnd(config, data, o, (run) => run.reportTable(o.interval)));

  // The options read once into a plain object; a refusal is a rejection, as every later error.
  async function reading(options, f) {
    return f(readOptions(options, RUN_OPTIONS));
  }

  /**
   * Runs one backtest per combination of `grid` (e.g. `{fast: [5, 10], slow: [20, 30]}`) over the
   * same data, parsed once. Options as `backtest` (text data), plus:
   * - `rankBy`: a snake_case portfolio statistic (default 'sharpe_ratio'; drawdowns and
   *   volatility rank smallest first);
   * - `objective(stats, params)`: a number to maximise instead of `rankBy` (non-finite: ranked last);
   * - `constraint(params)`: combinations for which it is falsy are not run (e.g.
   *   `({fast, slow}) => fast < slow`);
   * - `workers`: threads, 'auto' (one per core, when the grid is large enough to gain), a number
   *   n (this thread runs its share between yields, beside n - 1 workers; a page's own thread
   *   runs none, beside n), or 1 to run in this thread alone; the rows are the same whatever the
   *   split;
   * - `stats`: 'all' (default: every portfolio statistic on every row) or 'ranked': when `rankBy`
   *   needs no equity curve (`RANKED_STATISTICS`: equity_final, return_pct, sqn, the trade
   *   statistics...) and there is no `objective`, each run of a built-in strategy collects only
   *   those (about twice as fast) and the best `complete` rows (default 1) are run again for every
   *   statistic; otherwise every row has every statistic, as with 'all'. Each ranked value equals
   *   the full one to the bit.
   * Resolves to `[{strategy, stats, error, score}]`, best first (ties in grid order); `score` is
   * what the rows are ranked by. With `strategy: (params) => strategyObject` it sweeps a JS
   * strategy instead, in this thread (`strategy` in each row is then the params). `heatmap(rows,
   * {x, y})` turns the rows into a 2-D table.
   */
  async function sweep(config, data, grid, options) {
    options = readOptions(options, [...RUN_OPTIONS, 'rankBy', 'objective', 'constraint', 'workers', 'stats', 'complete']);
    const { instrument, rankBy = 'sharpe_ratio', onProgress, objective, constraint } = options;
    const signal = checkSignal(options.signal);
    checkText(rankBy, 'rankBy');
    checkText(instrument, 'instrument');
    if (onProgress !== undefined && typeof onProgress !== 'function') throw invalid('onProgress: expected a function');
    if (objective !== undefined && typeof objective !== 'function') throw invalid('objective: expected a function (stats, params) => number');
    if (constraint !== undefined && typeof constraint !== 'function') throw invalid('constraint: expected a function (params) => boolean');
    const workers = checkWorkers(options.workers);
    const stats = options.stats === undefined ? 'all' : options.stats;
    if (stats !== 'all' && stats !== 'ranked') throw invalid(`stats: expected 'all' or 'ranked', got ${typeof stats === 'string' ? JSON.stringify(stats) : stats === null ? 'null' : typeof stats}`);
    const complete = options.complete === undefined ? 1 : options.complete;
    if (!Number.isInteger(complete) || complete < 0) throw invalid(`complete: expected a whole number of rows (0 or more), got ${typeof complete === 'number' ? complete : complete === null ? 'null' : typeof complete}`);
    grid = plainGrid(grid);
    // A sweep shares one parsed data set: a stream is read whole first.
    if (isStream(data)) data = await streamBytes(data, signal);
    const ranking = { rankBy, objective };
    if (typeof options.strategy === 'function') return sweepJs(config, data, grid, { ...options, ranking, signal });
    // Only the ranked statistics per run when they decide the order (an objective may read any).
    const ranked = stats === 'ranked' && objective === undefined && RANKED_STATISTICS.has(rankBy);
    if (options.strategy !== undefined) {
      throw new TidemarkError('INVALID_ARGUMENT', 'strategy: a sweep takes a factory, (params) => strategy object');
    }
    const loaded = data instanceof Dataset;
    if (loaded) loadedAlready(options);
    // What workers decode: the Dataset's bytes and reading, or the data given (null: columns).
    const source = loaded ? datasets.get(data).source : { data: dataBytes(data), format: checkText(options.format, 'format'), instrument, sort: options.sort };
    signal?.throwIfAborted();
    // The combinations to run: the constraint is asked before the check, which it does not
    // depend on, and what it throws is thrown after the check (whose errors come first).
    const entries = Object.entries(grid);
    const indices = [];
    let refused = null;
    try {
      for (let k = 0, total = gridSize(grid); k < total; k++) {
        if (constraint === undefined || admits(constraint, combination(entries, k))) indices.push(k);
      }
    } catch (e) {
      refused = e;
    }
    // The workers open the sweep and start their lead chunks while this thread checks it, when
    // how many will run is known before the check (a number, or 'auto' over a Dataset): waking
    // a worker and its open took 0.25 ms before its first run, and the check 0.3 ms more. What
    // the check refuses is cancelled (`pool.cancel`): its lead chunks' rows are dropped. A
    // worker never runs what the check would refuse: its grid (`Grid::checked_before`) yields
    // no combination with a value `Grid::new` refuses, and a config it cannot read fails its
    // open.
    const early = refused ? 1 : workersFor(workers, source, loaded ? attempt(() => data.events) : null, Math.max(1, indices.length));
    const chunks = early > 1 ? guidedChunks(indices, early) : null;
    let task = null;
    let opened = null;
    if (early > 1) {
      // A config or balances JSON cannot carry is refused by the check below, with its own error.
      task = attempt(() => sweepTask(config, source, grid, options.initialBalances, ranked));
      if (task) opened = pool.open(task, early - here, chunks);
    }
    // Everything is checked here, in this thread: the config, the data and the grid fail as they
    // would in a one-thread sweep.
    let run;
    try {
      run = loaded
        ? call(() => wasm.Sweep.fromDataset(config, handleOf(data), grid, options.initialBalances))
        : call(() => new wasm.Sweep(config, source.data, source.format, instrument, grid, options.initialBalances, options.sort));
    } catch (e) {
      if (opened) pool.cancel(opened);
      throw e;
    }
    try {
      if (refused) throw refused;
      const total = run.total;
      // Rows of combinations `ks` run in this thread (`lean`: only the ranked statistics).
      const runHere = (ks, lean) => JSON.parse(call(() => run.runIndices(ks, lean)));
      const progress = (done) => onProgress?.({ processed: done, total });
      // The objective sees the grid's parameters, as the constraint does, not the whole strategy config.
      const paramsOf = (r) => Object.fromEntries(entries.map(([name]) => [name, r.strategy[name]]));
      const completed = new Map(); // index -> every statistic, of the rows run in full as spare work
      const n = workersFor(workers, source, run.events, Math.max(1, indices.length));
      let rows;
      if (n > 1 && pool) {
        // The workers opened early have their lead chunks already: the chunks for `early`
        // threads, which is `n` (workersFor on the same count, and over a Dataset on as many
        // events; `early` is 1 where `n` could differ).
        const sweepChunks = opened ? chunks : guidedChunks(indices, n);
        let visited = total - indices.length;
        progress(visited);
        const asked = new Set();
        const spareOf = (sofar) => {
          const r = rank(sofar, paramsOf, ranking).slice(0, complete).find((x) => x.stats && !asked.has(x.index));
          if (!r) return undefined;
          asked.add(r.index);
          return [r.index];
        };
        task ??= sweepTask(config, source, grid, options.initialBalances, ranked);
        const got = [];
        // The workers opened early now run it (and are no longer this sweep's to cancel).
        const ticket = opened;
        opened = null;
        const parts = await pool.run(task, sweepChunks, n, {
          signal,
          onChunk: (c, part) => {
            visited += sweepChunks[c].length;
            got.push(...part);
            progress(visited);
          },
          // A thread of the team (a worker or this one) runs the best rows so far with every
          // statistic, once near the end (as one more chunk, see pool.mjs) and when idle while
          // the others finish: the best of the whole sweep is usually among them, and is then
          // not run again alone in this thread.
          spare: ranked && complete > 0 ? () => spareOf(got) : undefined,
          onSpare: (full) => {
            for (const r of full) completed.set(r.index, r.stats);
          },
          // This thread runs its share too, beside n - 1 workers (not a page's: see `here`).
          local: here ? (ks, full) => runHere(ks, ranked && !full) : undefined,
        }, ticket);
        rows = parts.flat();
      } else {
        rows = [];
        let visited = 0;
        for (const k of indices) {
          signal?.throwIfAborted();
          rows.push(...runHere([k], ranked));
          visited = k + 1;
          progress(visited);
          await yieldToHost();
        }
        if (visited < total) progress(total);
      }
      signal?.throwIfAborted();
      const best = rank(rows.map((r) => ({ strategy: r.strategy, stats: r.stats, error: r.error, index: r.index })), paramsOf, ranking);
      if (ranked) {
        // The best rows' every statistic: the same runs again, collecting all (same order: the
        // ranked values are the full ones).
        for (const r of best.slice(0, complete)) {
          if (r.stats) r.stats = completed.get(r.index) ?? runHere([r.index], false)[0].stats;
        }
      }
      return best.map(({ index, ...r }) => r);
    } finally {
      if (opened) pool.cancel(opened);
      free(run);
    }
  }

  // Chunks of `indices` for `n` threads, `n - here` of them workers: first a lead chunk for each
  // worker (what it runs while this thread still checks the sweep, and all it runs of one the
  // check refuses: two runs, one when the grid has fewer than two a thread, so this thread gets a
  // share of a small grid), then chunks shrinking as the sweep goes (guided scheduling): each a
  // third of a thread's even share of what is left. The first, large, keep the messages few; the
  // last, of a run or two, let the threads finish together however the runs differ in cost
  // (10 x 10 grid on this thread and a worker: 1 lead of 2, then 19 chunks from 17 runs down to 1).
  function guidedChunks(indices, n) {
    const chunks = [];
    const workers = n - here;
    const lead = Math.max(1, Math.min(2, Math.floor(indices.length / n)));
    let i = 0;
    for (let w = 0; w < workers && i < indices.length; w++, i += lead) chunks.push(indices.slice(i, i + lead));
    while (i < indices.length) {
      const size = Math.max(1, Math.ceil((indices.length - i) / (n * 3)));
      chunks.push(indices.slice(i, i + size));
      i += size;
    }
    return chunks;
  }

  // What a worker opens a sweep from: the Sweep constructor's arguments as plain data.
  function sweepTask(config, source, grid, initialBalances, ranked) {
    return {
      config: typeof config === 'string' ? config : JSON.stringify(config),
      ...source,
      grid,
      initialBalances: initialBalances === undefined ? undefined : JSON.parse(JSON.stringify(initialBalances)),
      ranked,
    };
  }

  // How many threads a sweep of `total` combinations runs on, this one included (`events`: the
  // data's count; null before the check when unknown, which answers 1); 1 when it runs in this
  // thread alone.
  function workersFor(workers, source, events, total) {
    if (!pool || source === null) return 1;
    if (workers === 'auto') return events === null ? 1 : autoWorkers(total, events);
    return Math.min(workers, total);
  }

  // Combinations in a plain grid.
  function gridSize(grid) {
    return Object.values(grid).reduce((count, values) => count * values.length, 1);
  }

  // `f()`, or null if it throws.
  function attempt(f) {
    try {
      return f();
    } catch {
      return null;
    }
  }

  // 'auto': one thread for small sweeps (starting a worker costs about as much as a few dozen
  // runs), else a thread per core.
  function autoWorkers(count, events) {
    if (!pool) return 1;
    const work = count * events;
    return work < 2_000_000 ? 1 : Math.min(pool.cores(), count);
  }

  // A constraint's verdict; what it throws is the caller's error.
  function admits(constraint, params) {
    try {
      return Boolean(constraint(params));
    } catch (e) {
      throw invalid(`constraint(${JSON.stringify(params)}) threw: ${describe(e)}`, e);
    }
  }

  // Rows best first by the objective or `rankBy` (higher is better, lower for drawdowns and
  // volatility; non-finite and missing values last; ties in grid order), each with its `score`.
  function rank(rows, paramsOf, { rankBy, objective }) {
    if (objective === undefined && !rows.some((r) => r.stats && rankBy in r.stats) && rows.some((r) => r.stats)) {
      throw new TidemarkError('INVALID_ARGUMENT', `rankBy: ${JSON.stringify(rankBy)} is not a portfolio statistic (e.g. sharpe_ratio, return_pct, sqn)`);
    }
    const sign = LOWER_IS_BETTER.has(rankBy) ? -1 : 1;
    const score = (r) => {
      if (!r.stats) return null;
      if (objective === undefined) return statNumber(r.stats[rankBy]);
      let v;
      try {
        v = objective(r.stats, paramsOf(r));
      } catch (e) {
        throw invalid(`objective(stats, ${JSON.stringify(paramsOf(r))}) threw: ${describe(e)}`, e);
      }
      if (typeof v !== 'number') throw invalid(`objective(stats, ${JSON.stringify(paramsOf(r))}): expected a number, got ${v === null ? 'null' : typeof v}`);
      return Number.isFinite(v) ? v : null;
    };
    const key = (v) => (v === null ? null : objective === undefined ? sign * v : v);
    return rows
      .map((r, i) => {
        const s = score(r);
        return [key(s), i, { ...r, score: s }];
      })
      .sort((a, b) => (a[0] === null ? (b[0] === null ? a[1] - b[1] : 1) : b[0] === null ? -1 : b[0] - a[0] || a[1] - b[1]))
      .map(([, , r]) => r);
  }

  // A grid as plain data (read once: getters, cycles), each parameter a non-empty array, with at
  // most MAX_SWEEP_COMBINATIONS combinations.
  function plainGrid(grid) {
    if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) {
      throw invalid('grid: expected an object of parameter arrays, e.g. {fast: [5, 10]}');
    }
    let plain;
    try {
      plain = JSON.parse(JSON.stringify(grid));
    } catch (e) {
      throw invalid(`grid: not JSON-serialisable (a cycle, a BigInt, or a getter that threw): ${describe(e)}`, e);
    }
    for (const [name, values] of Object.entries(plain)) {
      if (!Array.isArray(values) || values.length === 0) throw invalid(`grid.${name}: expected a non-empty array of values`);
    }
    if (gridSize(plain) > MAX_SWEEP_COMBINATIONS) {
      const sizes = Object.entries(plain).map(([n, v]) => `${v.length} ${n}`).join(' × ');
      throw invalid(`grid: ${sizes} combinations: a sweep runs at most ${MAX_SWEEP_COMBINATIONS}; use fewer values`);
    }
    return plain;
  }

  // Combination k of a grid, last parameter fastest (as the core's `grid`): built when it runs,
  // never all at once.
  function combination(entries, k) {
    const params = {};
    for (let i = entries.length - 1; i >= 0; i--) {
      const [name, values] = entries[i];
      params[name] = values[k % values.length];
      k = Math.floor(k / values.length);
    }
    return Object.fromEntries(entries.map(([name]) => [name, params[name]]));
  }

  // A sweep of a JS strategy: one backtest per combination, `options.strategy(params)` building the
  // strategy each time (returning null skips the combination, as the core skips fast >= slow);
  // ranked like the core's sweeps: best first, undefined last, ties in grid order. A run whose
  // strategy fails (STRATEGY, INVALID_ORDER) keeps its error; other errors concern every run and
  // are thrown.
  async function sweepJs(config, data, grid, options) {
    const { ranking, onProgress, signal, strategy: factory, constraint } = options;
    const entries = Object.entries(grid);
    const total = gridSize(grid);
    const rows = [];
    for (let k = 0; k < total; k++) {
      signal?.throwIfAborted();
      const params = combination(entries, k);
      if (constraint !== undefined && !admits(constraint, params)) {
        onProgress?.({ processed: k + 1, total });
        continue;
      }
      let strategy;
      try {
        strategy = factory(params);
      } catch (e) {
        throw new TidemarkError('STRATEGY', `strategy(${JSON.stringify(params)}): the factory threw: ${describe(e)}`, { recoverable: false, cause: e });
      }
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
      onProgress?.({ processed: k + 1, total });
    }
    return rank(rows, (r) => r.strategy, ranking);
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
    #busy = false;
    // The audit stream: ticks are kept only while buffering (from `start` with `audit: true`, or
    // from the first `audit()` call, until its reader breaks out), at most #auditBuffer of them,
    // the oldest dropped first. The queue is an array read from #head, compacted as it drains
    // (shift() on a large array copies it).
    #auditing = false;
    #auditBuffer;
    #queue = [];
    #head = 0;
    #dropped = 0;
    #reader = null;
    #waiters = [];
    #closed = false;
    #aborted = false;

    constructor(inner, logs, audit, auditBuffer) {
      this.#inner = inner;
      this.#logs = logs;
      this.#auditing = audit;
      this.#auditBuffer = auditBuffer;
    }

    /**
     * Starts a system. Options: `timeStart` (RFC 3339; default: the first market event's time),
     * `initialBalances` ([{exchange?, asset, total, free?}], replacing the config's starting
     * balances), `strategy` (a JS strategy object), `logger` and `logLevel` (as `backtest`),
     * `audit` (true: keep audit ticks from the start for the first `audit()` reader; default
     * false: ticks before the first `audit()` call are not kept) and `auditBuffer` (the most
     * ticks kept unread, default 100,000; past it the oldest are dropped and counted).
     */
    static async start(config, options) {
      options = readOptions(options, ['timeStart', 'initialBalances', 'strategy', 'logger', 'logLevel', 'audit', 'auditBuffer']);
      const { timeStart, initialBalances, strategy, audit = false, auditBuffer = 100_000 } = options;
      checkText(timeStart, 'timeStart');
      if (typeof audit !== 'boolean') throw invalid(`audit: expected true (keep ticks from the start) or false, got ${typeof audit}`);
      if (!Number.isInteger(auditBuffer) || auditBuffer < 1) throw invalid(`auditBuffer: expected a positive integer, got ${auditBuffer}`);
      const logs = logSink(options, call);
      const hooks = strategy === undefined ? undefined : hooksFor(strategy);
      const inner = call(() => wasm.System.start(config, timeStart, initialBalances));
      try {
        if (hooks) call(() => inner.setStrategy(hooks));
        call(() => inner.setLogLevel(logs.level));
      } catch (e) {
        free(inner);
        throw e;
      }
      return new System(inner, logs, audit, auditBuffer);
    }

    // A strategy hook runs inside an engine call; calling back into the system from there would
    // alias the engine's state, so it is refused with a clear error (the hook then fails with
    // STRATEGY and this error as its cause).
    #enter(what) {
      if (this.#busy) {
        throw new TidemarkError('INVALID_ARGUMENT', `${what}: called from inside a strategy hook while the engine is busy; return requests from the hook instead`);
      }
      if (this.#aborted) {
        throw new TidemarkError('ENGINE_SHUTDOWN', `${what}: the system was aborted; start a new one`, { recoverable: false });
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
        const over = this.#queue.length - this.#head - this.#auditBuffer;
        if (over > 0) {
          this.#head += over;
          this.#dropped += over;
        }
        this.#compact();
      }
      return ticks;
    }

    // Frees the read part of the queue once it is most of it (amortised O(1) per tick).
    #compact() {
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
    }

    #close() {
      this.#closed = true;
      for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
    }

    // The reader stopped early: nothing is kept for it any more.
    #stopAudit() {
      this.#auditing = false;
      this.#reader = null;
      this.#queue = [];
      this.#head = 0;
      this.#dropped = 0;
      for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
    }

    /** Audit ticks kept and not yet read: at most `auditBuffer`, 0 when none are kept (see `audit`). */
    get auditQueued() {
      return this.#queue.length - this.#head;
    }

    /**
     * Feeds one market item or an array of them (one boundary crossing per array): barter stream
     * items (`{Item: event}`, recorded `{Item: {Ok: event}}`, `{Reconnecting: exchange}`) or bare
     * events. Returns the ticks.
     */
    feed(items) {
      let many;
      try {
        many = Array.isArray(items);
      } catch (e) {
        throw invalid(`items: ${describe(e)}`, e); // a revoked Proxy
      }
      return this.#engine(() => (many ? this.#inner.feedMarketBatch(items) : this.#inner.feedMarket(items)), 'feed');
    }

    /**
     * Feeds an (async) iterable of market items in batches, yielding to the host between batches.
     * Options: `batchSize` (default 1000), `signal` (AbortSignal). Every item pulled from the
     * source is applied, also when the source throws or the signal aborts; the error then says how
     * many were (`applied` on it too): the source's failure is INVALID_ARGUMENT naming `source`
     * with its error as `cause`, an abort the signal's reason.
     */
    async feedFrom(source, options) {
      const { batchSize = 1000 } = readOptions(options, ['batchSize', 'signal']);
      const signal = checkSignal(readOptions(options, ['signal']).signal);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw invalid(`batchSize: expected a positive integer, got ${batchSize}`);
      let iterable = false;
      try {
        iterable = source != null && (typeof source[Symbol.asyncIterator] === 'function' || typeof source[Symbol.iterator] === 'function');
      } catch {
        // a throwing getter: not a source
      }
      if (!iterable || typeof source === 'string') throw invalid('source: expected an iterable or async iterable of market items');
      this.#enter('feedFrom');
      let batch = [];
      let applied = 0;
      const flush = () => {
        const items = batch;
        batch = [];
        if (items.length) this.feed(items);
        applied += items.length;
      };
      const stop = (e) => {
        try {
          flush();
        } catch (fed) {
          fed.applied = applied;
          throw fed;
        }
        return e;
      };
      try {
        for await (const item of source) {
          if (signal?.aborted) {
            batch.push(item);
            throw stop(signal.reason);
          }
          batch.push(item);
          if (batch.length >= batchSize) {
            flush();
            await yieldToHost();
          }
        }
      } catch (e) {
        if (e === signal?.reason && signal?.aborted) {
          if (e !== null && typeof e === 'object' && Object.isExtensible(e)) e.applied = applied;
          throw e;
        }
        if (e instanceof TidemarkError) {
          if (e.applied === undefined) e.applied = applied;
          throw e;
        }
        stop(e);
        const err = invalid(`source: threw after ${applied} items were applied (every item it gave was): ${describe(e)}`, e);
        err.applied = applied;
        throw err;
      }
      flush();
    }

    /** Injects an account event from a venue (barter's AccountEvent JSON). */
    feedAccount(event) {
      return this.#engine(() => this.#inner.feedAccount(event), 'feedAccount');
    }

    /** Sends a command in barter's JSON, e.g. `{ClosePositions: 'None'}` (see `command`). */
    command(command) {
      return this.#engine(() => this.#inner.command(command), 'command');
    }

    /** Turns algorithmic trading on (true) or off (false); anything else is INVALID_ARGUMENT. */
    setTradingState(enabled) {
      if (typeof enabled !== 'boolean') throw invalid(`enabled: expected true (trading on) or false (off), got ${typeof enabled === 'string' ? JSON.stringify(enabled) : typeof enabled}`);
      return this.#engine(() => this.#inner.setTradingState(enabled), 'setTradingState');
    }

    /** The current engine state (sequence and state). */
    snapshot() {
      this.#enter('snapshot');
      return call(() => this.#inner.snapshot());
    }

    /**
     * The audit stream as an async iterator: the ticks kept since `start` (with `audit: true`) or
     * else from this call on, then every tick as engine calls produce it. It ends (done) when the
     * system shuts down (`shutdownWithSummary`, whose own ticks come last, or `abort`) and the
     * kept ticks are read. Read it concurrently with feeding, e.g. in its own async function
     * started before the first `feed`: a top-level `for await` would wait for ticks that only the
     * code after it produces. Breaking
     * out (the iterator's `return()`) stops keeping ticks and frees them; a later `audit()` starts
     * afresh. Unread ticks are capped at `auditBuffer` (oldest dropped first); the iterator's
     * `dropped` counts them (sequence numbers show where). One reader at a time: a second call
     * while one is open is INVALID_ARGUMENT.
     */
    audit() {
      if (this.#reader && !this.#closed) throw invalid('audit: already being read; break out of the other reader first');
      const self = this;
      let final = 0; // `dropped` once this reader ended
      const reader = {
        next() {
          if (self.#reader !== reader) return Promise.resolve({ value: undefined, done: true });
          if (self.#head < self.#queue.length) {
            const value = self.#queue[self.#head];
            self.#queue[self.#head++] = undefined;
            if (self.#head === self.#queue.length) {
              self.#queue = [];
              self.#head = 0;
            } else {
              self.#compact();
            }
            return Promise.resolve({ value, done: false });
          }
          if (self.#closed) {
            final = self.#dropped;
            self.#reader = null;
            return Promise.resolve({ value: undefined, done: true });
          }
          return new Promise((resolve) => self.#waiters.push(resolve));
        },
        return() {
          if (self.#reader === reader) {
            final = self.#dropped;
            self.#stopAudit();
          }
          return Promise.resolve({ value: undefined, done: true });
        },
        /** Ticks dropped unread (the buffer was full) since ticks were kept for this reader. */
        get dropped() {
          return self.#reader === reader ? self.#dropped : final;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      this.#reader = reader;
      this.#auditing = !this.#closed;
      return reader;
    }

    /** Ends the system and returns the report (summary for `interval`, trades, equity curve). */
    shutdownWithSummary(interval) {
      this.#enter('shutdownWithSummary');
      checkText(interval, 'interval');
      let report;
      this.#busy = true; // hooks run while open positions are closed
      try {
        report = call(() => this.#inner.shutdownWithSummary(interval));
      } catch (e) {
        this.#busy = false;
        this.#shutdownTicks(true);
        this.#logs.flush(this.#inner, true);
        throw e;
      } finally {
        this.#busy = false;
      }
      this.#shutdownTicks(false);
      this.#logs.flush(this.#inner, false);
      this.#close();
      return report;
    }

    // The shutdown's ticks (closing fills, the shutdown itself) to the audit reader; as with logs,
    // failing to read them after an error must not hide that error.
    #shutdownTicks(afterError) {
      if (!this.#auditing) return;
      let ticks;
      try {
        ticks = call(() => this.#inner.takeShutdownTicks());
      } catch (e) {
        if (afterError) return;
        throw e;
      }
      this.#publish(ticks);
    }

    /**
     * Stops at once without a summary; every later call fails with ENGINE_SHUTDOWN. Refused from
     * inside a strategy hook, as every other call is (the engine is busy there).
     */
    abort() {
      if (this.#aborted) return;
      this.#enter('abort');
      this.#aborted = true;
      this.#close();
      free(this.#inner);
      this.#inner = null;
    }
  }

  return { MAX_SWEEP_COMBINATIONS, RANKED_STATISTICS: Object.freeze([...RANKED_STATISTICS]), ERROR_CODES, version, parseConfig, parseEvent, analytics, loadData, Dataset, backtest, backtestJson, backtestTable, sweep, System };
}
