// The indicator library for charts and analysis: batch functions over whole series, computed in
// wasm by the same streaming code a JS strategy's declared indicators run (src/indicator/), so a
// chart and a strategy see the same numbers. Each series crosses into wasm once and back once.
import { TidemarkError, guard } from './errors.mjs';

const invalid = (message) => new TidemarkError('INVALID_ARGUMENT', message);

// A series as a Float64Array: an array or typed array of finite numbers. nulls, NaN and strings
// are refused by index (wasm-bindgen's copy would make null 0 and "x" NaN without a word).
function series(values, name) {
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw invalid(`${name}[${i}]: expected a finite number, got ${values[i]}`);
    return values;
  }
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw invalid(`${name}: expected an array or a typed array of numbers`);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${name}[${i}]: expected a finite number, got ${v === null ? 'null' : typeof v === 'number' ? v : typeof v}`);
    out[i] = v;
  }
  return out;
}

// Parameters as the core's JSON text (it checks them and names what is wrong).
function params(p, kind) {
  if (p === undefined) throw invalid(`${kind}: expected a period`);
  try {
    return JSON.stringify(p);
  } catch (e) {
    throw invalid(`${kind}: parameters are not plain data (${e.message})`);
  }
}

// A wasm result line as an array, NaN (warming up) as null.
function line(flat, start, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = flat[start + i];
    out[i] = Number.isNaN(v) ? null : v;
  }
  return out;
}

const EMPTY = new Float64Array(0);

/**
 * The indicator functions over one wasm instance (`wasm` is the wasm-bindgen module). Each takes a
 * series (array or typed array of finite numbers) and returns one array per output line, as long as
 * the input, null during warm-up.
 */
export function bindIndicators(wasm) {
  const call = guard();
  const run = (kind, values, p, lines) => {
    const xs = series(values, 'values');
    const text = params(p, kind);
    const flat = call(() => wasm.indicatorBatch(kind, text, xs, EMPTY, EMPTY, EMPTY));
    if (!lines) return line(flat, 0, xs.length);
    const out = {};
    lines.forEach((name, i) => {
      out[name] = line(flat, i * xs.length, xs.length);
    });
    return out;
  };
  const single = (kind) => (values, period) => run(kind, values, period);
  const cross = (a, b, over) => {
    if (!Array.isArray(a) || !Array.isArray(b)) throw invalid('crossover: expected two arrays (null for warming up)');
    const n = Math.min(a.length, b.length);
    const out = new Array(n).fill(false);
    let previous = 0; // -1 below, 1 above, 0 unknown or touching
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      // Warm-up (null, NaN) breaks a cross in progress, as in the core's `crossover_series`.
      const now = typeof x !== 'number' || typeof y !== 'number' || Number.isNaN(x) || Number.isNaN(y) ? null : x < y ? -1 : x > y ? 1 : 0;
      out[i] = over ? previous === -1 && now === 1 : previous === 1 && now === -1;
      previous = now ?? 0;
    }
    return out;
  };
  return Object.freeze({
    sma: single('sma'),
    ema: single('ema'),
    wma: single('wma'),
    rsi: single('rsi'),
    roc: single('roc'),
    highest: single('highest'),
    lowest: single('lowest'),
    stddev: (values, p) => run('stddev', values, p),
    macd: (values, p = { fast: 12, slow: 26, signal: 9 }) => run('macd', values, p, ['macd', 'signal', 'histogram']),
    bollinger: (values, p) => run('bollinger', values, p, ['upper', 'middle', 'lower']),
    atr(bars, period) {
      if (bars === null || typeof bars !== 'object') throw invalid('atr: expected { high, low, close } columns');
      const [high, low, close] = ['high', 'low', 'close'].map((k) => series(bars[k], k));
      if (high.length !== low.length || low.length !== close.length) throw invalid(`atr: columns of different lengths (high ${high.length}, low ${low.length}, close ${close.length})`);
      const text = params(period, 'atr');
      return line(call(() => wasm.indicatorBatch('atr', text, EMPTY, high, low, close)), 0, close.length);
    },
    crossover: (a, b) => cross(a, b, true),
    crossunder: (a, b) => cross(a, b, false),
  });
}
