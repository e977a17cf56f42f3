// Strategies written in JS: the adapter the engine calls (see src/wasm/strategy.rs). The engine
// passes each market event as plain numbers; the adapter writes them into one reused view object,
// so a trivial hook costs no allocation per event.
import { TidemarkError } from './errors.mjs';

const KINDS = ['trade', 'l1', 'candle', 'liquidation', 'book'];

/** How deep a hook's returned requests may nest (a request with its sizing is 4 levels). */
export const MAX_REQUEST_DEPTH = 8;
/** The most requests (array elements, at any level) one hook call may return. */
export const MAX_REQUESTS = 10_000;

// A thrown value's text, never failing (it may be anything, with throwing getters).
export function describe(e) {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an unprintable value';
  }
}

// What a hook threw, made safe for the engine to read: the engine reads `message` of what it gets,
// and nothing may throw while it does (an exception unwinding through wasm loses the module). An
// Error with a plain message passes as it is (it becomes the STRATEGY error's cause).
function safeThrown(e) {
  try {
    const d = e instanceof Error ? Object.getOwnPropertyDescriptor(e, 'message') : undefined;
    if (d && 'value' in d && typeof d.value === 'string') return e;
    if (typeof e === 'string') return new Error(e, { cause: e });
  } catch {
    // falls through to a fresh Error
  }
  return new Error(describe(e), { cause: e });
}

// A hook's return value as plain data (objects, arrays, strings, numbers, booleans, null), read
// here once: the engine decodes it in wasm, where a throwing getter, a cycle or a very deep value
// would unwind through wasm frames or overflow its stack. What cannot be read ends the run as a
// STRATEGY error naming the hook.
function plain(value, hook) {
  if (value === undefined || value === null) return value;
  let thenable = false;
  try {
    thenable = typeof value === 'object' && typeof value.then === 'function';
  } catch {
    // a throwing `then` getter: copied (and refused) below like any other getter
  }
  if (thenable) {
    // An async hook: its rejection must not surface later as an unhandled rejection.
    try {
      value.then(undefined, () => {});
    } catch {
      // nothing to silence
    }
    throw new TidemarkError('STRATEGY', `${hook}: hooks must be synchronous (it returned a Promise: an async function?); return the requests themselves`);
  }
  let count = 0;
  const copy = (v, path, depth) => {
    switch (typeof v) {
      case 'string': case 'boolean': return v;
      // The engine reads the copy as JSON, which has no NaN or infinities: they go as their
      // names, which the field they sit in then refuses by name ("NaN" is not a quantity).
      case 'number': return Number.isFinite(v) ? v : String(v);
      case 'undefined': return undefined;
      case 'object': break;
      default: throw new TidemarkError('INVALID_ORDER', `${path}: a ${typeof v} is not a request value`);
    }
    if (v === null) return null;
    if (depth >= MAX_REQUEST_DEPTH) throw new TidemarkError('INVALID_ORDER', `${path}: nested deeper than ${MAX_REQUEST_DEPTH} levels (a cycle?)`);
    if (Array.isArray(v)) {
      const n = v.length;
      count += n;
      if (count > MAX_REQUESTS) throw new TidemarkError('INVALID_ORDER', `${path}: more than ${MAX_REQUESTS} requests from one call`);
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = copy(v[i], `${path}[${i}]`, depth + 1);
      return out;
    }
    const out = {};
    for (const k of Object.keys(v)) {
      const x = copy(v[k], `${path}.${k}`, depth + 1);
      if (x !== undefined) out[k] = x;
    }
    return out;
  };
  try {
    return copy(value, `${hook}()`, 0);
  } catch (e) {
    if (e instanceof TidemarkError) throw e;
    throw new TidemarkError('STRATEGY', `${hook}(): reading the returned value threw: ${describe(e)}`, { cause: e });
  }
}

// Calls a hook: what it returns as plain data, what it throws made safe (see above).
function call(hook, fn) {
  let value;
  try {
    value = fn();
  } catch (e) {
    throw safeThrown(e);
  }
  return plain(value, hook);
}
const OPTIONAL = [['onAccount', 1], ['onTradingDisabled', 2], ['onDisconnect', 4], ['closePositions', 8]];

/** The most indicators one strategy declares (the core's `MAX_INDICATORS`). */
export const MAX_INDICATORS = 64;
// Indicators with several lines, and their names in the order the engine writes them.
const LINES = { macd: ['macd', 'signal', 'histogram'], bollinger: ['upper', 'middle', 'lower'] };

// A strategy's `indicators` declaration ({ name: { sma: 10 }, ... }) read once: the pairs the engine
// parses (it checks kinds and parameters and names what is wrong) and the slots the adapter fills
// `view.indicators` from (one slot per name; a multi-line indicator gets one reused object).
function declared(indicators) {
  if (indicators === undefined) return undefined;
  if (indicators === null || typeof indicators !== 'object' || Array.isArray(indicators)) {
    throw new TidemarkError('INVALID_ARGUMENT', 'strategy.indicators: expected an object of name: indicator, e.g. { fast: { sma: 10 } }');
  }
  let names;
  try {
    names = Object.keys(indicators);
  } catch (e) {
    throw new TidemarkError('INVALID_ARGUMENT', `strategy.indicators: reading it threw: ${describe(e)}`, { cause: e });
  }
  if (names.length > MAX_INDICATORS) throw new TidemarkError('INVALID_ARGUMENT', `strategy.indicators: ${names.length} indicators; at most ${MAX_INDICATORS}`);
  const pairs = [];
  const slots = [];
  let offset = 0;
  for (const name of names) {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(name)) {
      throw new TidemarkError('INVALID_ARGUMENT', `strategy.indicators: ${JSON.stringify(name)} is not a name (letters, digits, _ and $, up to 64)`);
    }
    let decl;
    try {
      decl = plain(indicators[name], `strategy.indicators.${name}`);
    } catch (e) {
      throw new TidemarkError('INVALID_ARGUMENT', `strategy.indicators.${name}: ${describe(e)}`, { cause: e });
    }
    pairs.push([name, decl]);
    const kind = decl !== null && typeof decl === 'object' ? Object.keys(decl).find((k) => k !== 'source') : undefined;
    const lines = LINES[kind];
    slots.push({ name, offset, lines, object: lines ? Object.fromEntries(lines.map((l) => [l, NaN])) : undefined });
    offset += lines ? lines.length : 1;
  }
  return { json: JSON.stringify(pairs), slots };
}

/**
 * Wraps a user's strategy object for the engine. The object has `onMarket(view)` and optionally
 * `id`, `onAccount(event)`, `onTradingDisabled()`, `onDisconnect(exchange)`,
 * `closePositions(filter)` (barter's hooks). Each hook returns nothing, one request or an array:
 * `{side, quantity, type?, price?, timeInForce?, postOnly?, instrument?, stop?, trailing?, stopLoss?,
 * takeProfit?, trailingStop?}` (stop, trailing and bracket orders), `{cancel: cid | 'all'}`
 * or `{target: 'long' | 'flat' | 'short', sizing?}`. `indicators` (optional) declares indicators
 * the engine computes per instrument in wasm (`{ fast: { sma: 10 }, m: { macd: [12, 26, 9] } }`);
 * `view.indicators.fast` is the current value, null while warming up.
 */
export function hooksFor(strategy) {
  if (strategy === null || typeof strategy !== 'object' || typeof strategy.onMarket !== 'function') {
    throw new TidemarkError('INVALID_ARGUMENT', 'strategy: expected an object with an onMarket(view) method');
  }
  let defined = 0;
  for (const [name, bit] of OPTIONAL) {
    const hook = strategy[name];
    if (hook === undefined) continue;
    if (typeof hook !== 'function') throw new TidemarkError('INVALID_ARGUMENT', `strategy.${name}: expected a function`);
    defined |= bit;
  }
  const id = strategy.id ?? 'js';
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) {
    throw new TidemarkError('INVALID_ARGUMENT', `strategy.id: expected 1-64 letters, digits or _.:-, got ${JSON.stringify(id)}`);
  }
  let indicators;
  try {
    indicators = strategy.indicators;
  } catch (e) {
    throw new TidemarkError('INVALID_ARGUMENT', `strategy.indicators: reading it threw: ${describe(e)}`, { cause: e });
  }
  const decl = declared(indicators);
  const slots = decl ? decl.slots : [];
  // One object, rewritten per event: copy what you keep. `indicators` holds the declared ones'
  // current values for the event's instrument (null while warming up).
  const view = {
    kind: 'trade', instrument: 0, time: 0, price: NaN,
    amount: NaN, side: 0, bid: NaN, bidAmount: NaN, ask: NaN, askAmount: NaN,
    open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN,
    position: 0, entryPrice: NaN, liveOrders: 0, freeQuote: NaN,
    indicators: Object.fromEntries(slots.map((s) => [s.name, null])),
  };
  const values = view.indicators;
  // The engine's buffer of indicator values in wasm memory (see indicatorMemory).
  let memory;
  let ptr = 0;
  let len = 0;
  let current = new Float64Array(0);
  const hooks = {
    id,
    defined,
    indicators: decl ? decl.json : undefined,
    indicatorMemory(m, p, n) {
      memory = m;
      ptr = p;
      len = n;
      current = new Float64Array(m.buffer, p, n);
    },
    // The engine computed the declared indicators in wasm and wrote their values to its buffer
    // before this call: NaN is "warming up".
    marketWithIndicators(kind, instrument, time, price, a, b, c, d, e, position, entryPrice, liveOrders, freeQuote) {
      // Growing wasm memory detaches the old buffer (its views read as empty): view the new one.
      if (current.length !== len) current = new Float64Array(memory.buffer, ptr, len);
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i];
        const v = current[s.offset];
        if (Number.isNaN(v)) {
          values[s.name] = null;
        } else if (s.lines === undefined) {
          values[s.name] = v;
        } else {
          const o = s.object;
          for (let j = 0; j < s.lines.length; j++) o[s.lines[j]] = current[s.offset + j];
          values[s.name] = o;
        }
      }
      return hooks.market(kind, instrument, time, price, a, b, c, d, e, position, entryPrice, liveOrders, freeQuote);
    },
    market(kind, instrument, time, price, a, b, c, d, e, position, entryPrice, liveOrders, freeQuote) {
      view.kind = KINDS[kind];
      view.instrument = instrument;
      view.time = time;
      view.price = price;
      switch (kind) {
        case 0: case 3: view.amount = b; view.side = c; break;
        case 1: view.bid = a; view.bidAmount = b; view.ask = c; view.askAmount = d; break;
        case 2: view.open = a; view.high = b; view.low = c; view.close = d; view.volume = e; break;
        default: view.bid = a; view.ask = b;
      }
      view.position = position;
      view.entryPrice = entryPrice;
      view.liveOrders = liveOrders;
      view.freeQuote = freeQuote;
      // Inline, not `call`: no closure per event.
      let value;
      try {
        value = strategy.onMarket(view);
      } catch (e) {
        throw safeThrown(e);
      }
      return value === undefined ? value : plain(value, 'onMarket');
    },
    account: (event) => call('onAccount', () => strategy.onAccount(event)),
    tradingDisabled: () => call('onTradingDisabled', () => strategy.onTradingDisabled()),
    disconnect: (exchange) => call('onDisconnect', () => strategy.onDisconnect(exchange)),
    closePositions: (filter) => call('closePositions', () => strategy.closePositions(filter)),
  };
  return hooks;
}
