// Tidemark for Pyodide: makes the `tidemark` Python package importable in a Pyodide instance,
// bound to the same JS API object the JS entries build (js/index.mjs in Node, js/web.mjs in
// browsers): Python calls go through that API, never through a second driver.
//
//   import { loadTidemarkPython } from 'tidemark/pyodide';
//   const py = await loadTidemarkPython();                 // Node: loads Pyodide (npm `pyodide`)
//   await py.runPythonAsync('import tidemark; print(tidemark.__version__)');
//
// In browsers pass `{ pyodide, api, wheel }`: an instance from `loadPyodide`, the API
// (`import * as tm from 'tidemark/web'`) and the wheel (URL, bytes or Response) to install.

import { CURVE_COLUMNS } from './api.mjs';

/** The JS module names the Python package imports (`registerJsModule`). */
export const JS_MODULE = '_tidemark_js';
export const BRIDGE_MODULE = '_tidemark_bridge';

const LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * The helpers the Python package needs and the JS API does not offer as such: a JS strategy
 * object calling Python hooks with plain numbers (one crossing per event, no allocation), a
 * logger handing records to Python as JSON, and JSON in/out of JS values.
 */
export const bridge = Object.freeze({
  /**
   * A JS strategy (see js/strategy.mjs) over Python callables. `market(kind, instrument, time,
   * price, amount, side, bid, bidAmount, ask, askAmount, open, high, low, close, volume, position,
   * entryPrice, liveOrders, freeQuote, indicatorsJson)` and the optional hooks return undefined, requests as JSON
   * text, or `"!" + message` when the Python hook raised (the Python side keeps the exception).
   */
  strategy(id, market, account, tradingDisabled, disconnect, closePositions, indicators) {
    const result = (r) => {
      if (r === undefined || r === null) return undefined;
      if (typeof r !== 'string') throw new Error('the Python strategy adapter returned a non-string');
      if (r.startsWith('!')) throw new Error(r.slice(1));
      return JSON.parse(r);
    };
    // Declared indicators (JSON text of `{name: spec}`) are computed by the engine; their values
    // cross to Python as one JSON text per event, only when a strategy declares some.
    const declared = indicators !== undefined && indicators !== null;
    const s = {
      id,
      onMarket: (v) => {
        const r = market(v.kind, v.instrument, v.time, v.price, v.amount, v.side, v.bid, v.bidAmount, v.ask, v.askAmount, v.open, v.high, v.low, v.close, v.volume, v.position, v.entryPrice, v.liveOrders, v.freeQuote, declared ? JSON.stringify(v.indicators) : undefined);
        return r === undefined ? undefined : result(r);
      },
    };
    if (declared) s.indicators = JSON.parse(indicators);
    if (account) s.onAccount = (event) => result(account(JSON.stringify(event)));
    if (tradingDisabled) s.onTradingDisabled = () => result(tradingDisabled());
    if (disconnect) s.onDisconnect = (exchange) => result(disconnect(String(exchange)));
    if (closePositions) s.closePositions = (f) => result(closePositions(JSON.stringify(f)));
    return s;
  },
  /** A logger (`logger[level](message, record)`) handing each record to `sink(level, json)`. */
  logger(sink) {
    return Object.fromEntries(LEVELS.map((l) => [l, (_message, record) => sink(l, JSON.stringify(record))]));
  },
  /** `onProgress` handing `(processed, total)` to a Python callable. */
  progress(sink) {
    return (p) => sink(p.processed, p.total);
  },
  /**
   * A report's equity curve as columns, what it crosses to Python as: `{drawdown_duration_secs,
   * drawdown_pct, equity}` as Float64Arrays (one buffer each to copy, not a number at a time) and
   * `time`, the times joined by newlines. A report of `backtest` has them from the engine
   * (`CURVE_COLUMNS`); others (a live system's summary) have them built from their rows. The S&P
   * 500's curve of 5,031 points took 11 ms to cross as JSON text.
   */
  curveColumns(report) {
    const own = report[CURVE_COLUMNS]?.();
    if (own) return own;
    const rows = report.equity_curve ?? [];
    const column = (name) => Float64Array.from(rows, (row) => row[name]);
    return { drawdown_duration_secs: column('drawdown_duration_secs'), drawdown_pct: column('drawdown_pct'), equity: column('equity'), time: rows.map((row) => row.time).join('\n') };
  },
  /** JSON text → a JS value (one crossing for a whole Python structure). */
  parse: (text) => JSON.parse(text),
  /** A JS value → JSON text (one crossing back). */
  stringify: (value) => JSON.stringify(value),
  /** An error's fields as JSON text: code, message, recoverable, details, applied, cause. */
  errorInfo(e) {
    const info = { name: e?.name, code: e?.code, message: String(e?.message ?? e), recoverable: e?.recoverable, applied: e?.applied };
    try {
      info.details = JSON.parse(JSON.stringify(e?.details ?? null));
    } catch {
      info.details = null;
    }
    if (e?.cause !== undefined) info.cause = String(e.cause?.message ?? e.cause);
    return JSON.stringify(info);
  },
  /** A new AbortController (the Python `System.feed_from` / backtest cancellation). */
  abortController: () => new AbortController(),
  /** An async iterator's next() result as [done, JSON value]. */
  async next(iterator) {
    const r = await iterator.next();
    return r.done ? undefined : JSON.stringify(r.value);
  },
});

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

// The Python package's files in Node: python/tidemark/**.py next to this module.
async function nodePackageFiles() {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('../python/', import.meta.url));
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (statSync(join(root, rel)).isDirectory()) {
        if (name !== '__pycache__') walk(rel);
      } else if (name.endsWith('.py') || name === 'py.typed') {
        files[rel] = readFileSync(join(root, rel), 'utf8');
      }
    }
  };
  walk('tidemark');
  return files;
}

async function wheelBytes(wheel) {
  if (wheel instanceof Uint8Array) return new Uint8Array(wheel);
  if (wheel instanceof ArrayBuffer) return new Uint8Array(wheel);
  if (typeof wheel?.arrayBuffer === 'function') return new Uint8Array(await wheel.arrayBuffer());
  const url = typeof wheel === 'string' ? wheel : typeof wheel?.href === 'string' ? wheel.href : undefined;
  if (url !== undefined) {
    // Node: a file path (or file: URL) is read from disk; anything else is fetched.
    if (isNode && !/^https?:/i.test(url)) {
      const { readFileSync } = await import('node:fs');
      const { fileURLToPath } = await import('node:url');
      return new Uint8Array(readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url));
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`wheel: fetching ${url} gave HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new TypeError('wheel: expected a URL, bytes or a Response');
}

/**
 * Installs the `tidemark` Python package into a Pyodide instance and binds it to `api` (the JS
 * API object, e.g. `import * as tm from 'tidemark'`). `wheel` (URL, bytes or Response) installs the
 * built wheel; without it, Node reads the package sources shipped next to this module. Returns
 * the instance.
 */
export async function installTidemark(pyodide, api, { wheel } = {}) {
  if (!pyodide || typeof pyodide.registerJsModule !== 'function') throw new TypeError('pyodide: expected a Pyodide instance (loadPyodide())');
  if (!api || typeof api.backtest !== 'function' || typeof api.System !== 'function') throw new TypeError('api: expected the tidemark JS API (import * as tm from "tidemark")');
  pyodide.registerJsModule(JS_MODULE, api);
  pyodide.registerJsModule(BRIDGE_MODULE, bridge);
  const site = pyodide.runPython('import sysconfig; sysconfig.get_path("purelib")');
  if (wheel !== undefined) {
    pyodide.unpackArchive(await wheelBytes(wheel), 'wheel', { extractDir: site });
  } else if (isNode) {
    const files = await nodePackageFiles();
    for (const [rel, text] of Object.entries(files)) {
      const path = `${site}/${rel}`;
      pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
      pyodide.FS.writeFile(path, text);
    }
  } else {
    throw new TypeError('wheel: required outside Node (the URL or bytes of tidemark-*-py3-none-any.whl)');
  }
  pyodide.runPython('import importlib; importlib.invalidate_caches()');
  return pyodide;
}

/**
 * Loads Pyodide (unless `pyodide` is given) and installs `tidemark` bound to the JS API (`api`,
 * default: this package's Node entry, or the web entry in browsers). Other options go to
 * `loadPyodide` (`stdout`, `stderr`, `indexURL`...). Returns the Pyodide instance.
 */
export async function loadTidemarkPython(options = {}) {
  const { pyodide: given, api: givenApi, wheel, ...pyodideOptions } = options;
  const api = givenApi ?? (isNode ? await import('./index.mjs') : await import('./web.mjs'));
  let pyodide = given;
  if (!pyodide) {
    const { loadPyodide } = await import('pyodide');
    pyodide = await loadPyodide(pyodideOptions);
  }
  return installTidemark(pyodide, api, { wheel });
}
