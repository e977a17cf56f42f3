// The engine's Worker: every engine call of the playground runs here, never on the page's main
// thread. Requests are {id, type, ...}; replies {id, kind: 'progress' | 'event' | 'done' |
// 'error', value}. One backtest or sweep at a time per worker; 'cancel' aborts it between slices.
// The message handler is installed before the wasm loads, so no early message is lost.
import { init, command, TidemarkError } from '../../js/web-init.mjs';
import * as wasmGlue from '../../pkg/web/tidemark.js';
import { chartBars, sma, ema } from './bars.mjs';
import { FULL, candles, overview } from './price-detail.mjs';
import { replayItems } from './replay.mjs';
import { exchangesOf, manualOrder } from './manual-order.mjs';

import { constraintOf } from './sweep-constraints.mjs';

// Sweeps run on the API's own pool: nested module Workers (sweep-worker.js, the build's copy of
// js/sweep-worker-web.mjs) given this Worker's compiled wasm module.
const ready = init(new URL('./tidemark_bg.wasm', self.location.href), { sweepWorker: new URL('./sweep-worker.js', self.location.href) });
// Sweep Workers started (the pool keeps them between sweeps), those the current sweep opened
// (the pool's team: the API's choice of threads, less this Worker, which runs its share too)
// and those given combinations (a fast Worker may take every chunk of a small grid), counted
// for the page's status (the API does not report its split).
let spawned = 0;
const team = new Set();
const working = new Set();
const PlainWorker = self.Worker;
if (PlainWorker) {
  self.Worker = class extends PlainWorker {
    constructor(...args) {
      super(...args);
      spawned++;
    }

    postMessage(m, ...rest) {
      if (m?.type === 'open') team.add(this);
      if (m?.type === 'run') working.add(this);
      return super.postMessage(m, ...rest);
    }
  };
}
const running = new Map(); // id -> AbortController
let live = null; // the live replay (see startLive)
let kept = null; // the last data set a backtest was sent: {key, data, loaded?: {instruments, dataset}}
let lastRun = null; // the last backtest's inputs and report, until the page takes its chart

// A reply's value may name buffers to move to the page (withTransfer) instead of copying them.
const TRANSFER = Symbol('transfer');
const withTransfer = (value, buffers) => Object.assign(value, { [TRANSFER]: buffers });
const post = (id, kind, value) => self.postMessage({ id, kind, value }, value?.[TRANSFER] ?? []);

// An error as plain data for the page (structured clone drops a class's own fields).
function plainError(e) {
  return {
    name: e?.name ?? 'Error',
    // A DOMException's `code` is a legacy number (20 for AbortError): not an engine code.
    code: e?.name === 'AbortError' ? 'ABORTED' : typeof e?.code === 'string' ? e.code : 'ERROR',
    message: String(e?.message ?? e),
    details: e?.details ?? null,
    where: e?.where ?? null,
  };
}

// The editor's strategy: its text becomes a module loaded from a blob URL (CSP allows blob:
// scripts, never eval). Its default export is a factory, (params) => strategy object.
async function strategyModule(code) {
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  try {
    const mod = await import(/* a user's module, not a bundled one */ url);
    if (typeof mod.default !== 'function') throw new Error('the module must `export default function (params) { return { onMarket(view) { ... } } }`');
    return mod.default;
  } catch (e) {
    const err = new TidemarkError('STRATEGY', `strategy module: ${e?.message ?? e}`, { cause: e });
    err.where = 'editor';
    throw err;
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function jsStrategy(js) {
  if (!js?.enabled) return undefined;
  const factory = await strategyModule(js.code);
  try {
    return factory(js.params ?? {});
  } catch (e) {
    const err = new TidemarkError('STRATEGY', `strategy factory threw: ${e?.message ?? e}`, { cause: e });
    err.where = 'editor';
    throw err;
  }
}

// Chart series for the page: bars, and the built-in strategy's averages when it has them.
function chart(config, data, js) {
  const { bars, exact } = chartBars(data);
  const closes = bars.map((b) => b.close);
  const s = config?.strategy ?? config?.system?.strategy;
  const overlays = [];
  const p = js?.enabled ? js.params ?? {} : s ?? {};
  const kind = js?.enabled ? 'sma_cross' : s?.type;
  if ((kind === 'sma_cross' || kind === 'ema_cross') && Number.isInteger(p.fast) && Number.isInteger(p.slow)) {
    const avg = kind === 'sma_cross' ? sma : ema;
    // For a JS strategy the averages are drawn from its fast/slow parameters (the template is an SMA cross).
    const label = `${kind === 'sma_cross' ? 'SMA' : 'EMA'}${js?.enabled ? ' (JS params)' : ''}`;
    overlays.push({ name: `${label} ${p.fast}`, values: avg(closes, p.fast) }, { name: `${label} ${p.slow}`, values: avg(closes, p.slow) });
  }
  return thin(bars, exact, overlays);
}

// The equity chart's points: at most MAX_EQUITY (by stride, the deepest drawdown of each
// stride kept, first and last kept), as columns: seconds, equity, drawdown %, and buy and hold
// on the chart's bars (`bars`: the starting equity in the instrument at its first close, marked
// to the last close at or before each point; null without bars). About a point per pixel of a
// desktop chart: its three series are drawn in one frame on the page.
const MAX_EQUITY = 1000;
function thinEquity(curve, bars) {
  const k = Math.max(1, Math.ceil(curve.length / MAX_EQUITY));
  const n = Math.ceil(curve.length / k);
  const time = new Float64Array(n);
  const equity = new Float64Array(n);
  const drawdown = new Float64Array(n);
  const bh = bars.time.length > 0 && n > 0 ? new Float64Array(n) : null;
  let j = 0; // both are sorted by time: one pass over the bars
  for (let g = 0; g < n; g++) {
    const last = Math.min(curve.length, (g + 1) * k) - 1;
    let dd = 0;
    for (let i = g * k; i <= last; i++) dd = Math.max(dd, Math.abs(curve[i].drawdown_pct ?? 0));
    time[g] = Date.parse(curve[g === 0 ? 0 : last].time) / 1000;
    equity[g] = curve[g === 0 ? 0 : last].equity;
    drawdown[g] = -dd;
    if (bh) {
      while (j + 1 < bars.time.length && bars.time[j + 1] <= time[g]) j++;
      bh[g] = (equity[0] * bars.close[j]) / bars.close[0];
    }
  }
  return { time, equity, drawdown, bh };
}

// The chart gets at most MAX_BARS bars, as columns in typed arrays (moved to the page, not
// copied): every bar up to MAX_BARS (the page shows them by level of detail, price-detail.mjs);
// beyond, consecutive bars are merged (averages sampled at each merged bar's end) and the page
// says so.
const MAX_BARS = 2_000_000;
function thin(bars, exact, overlays) {
  const k = Math.max(1, Math.ceil(bars.length / MAX_BARS));
  const n = Math.ceil(bars.length / k);
  const col = () => new Float64Array(n);
  const out = { time: col(), open: col(), high: col(), low: col(), close: col() };
  const lines = overlays.map((o) => ({ name: o.name, values: col() }));
  for (let g = 0; g < n; g++) {
    const first = g * k;
    const last = Math.min(bars.length, first + k) - 1;
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = first; i <= last; i++) {
      hi = Math.max(hi, bars[i].high);
      lo = Math.min(lo, bars[i].low);
    }
    out.time[g] = bars[first].time;
    out.open[g] = bars[first].open;
    out.high[g] = hi;
    out.low[g] = lo;
    out.close[g] = bars[last].close;
    overlays.forEach((o, j) => {
      lines[j].values[g] = o.values[last];
    });
  }
  return { bars: out, exact: exact && k === 1, merged: k, max: MAX_BARS, overlays: lines };
}

// Entry and exit markers on the sent bars, computed here so the page only picks those in view:
// bar indices (sorted; each the last bar at or before the trade's time) and kinds
// (MARKER_KINDS' index), one per bar and kind.
const MARKER_KINDS = ['long entry', 'short entry', 'long exit', 'short exit'];
function markers(trades, time) {
  const barAt = (t) => {
    if (time.length === 0 || !Number.isFinite(t)) return -1;
    if (t < time[0]) return 0;
    let lo = 0;
    let hi = time.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (time[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const out = [];
  for (const t of trades) {
    const long = t.side === 'Buy';
    out.push([barAt(Date.parse(t.entry_time) / 1000), long ? 0 : 1]);
    if (t.exit_time && !t.open) out.push([barAt(Date.parse(t.exit_time) / 1000), long ? 2 : 3]);
  }
  out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique = out.filter((m, i) => m[0] >= 0 && (i === 0 || m[0] !== out[i - 1][0] || m[1] !== out[i - 1][1]));
  return { index: Uint32Array.from(unique, (m) => m[0]), kind: Uint8Array.from(unique, (m) => m[1]), kinds: MARKER_KINDS };
}

// The typed arrays' buffers of a chart series, to move rather than copy.
function buffersOf(series) {
  const list = [];
  const walk = (v) => {
    if (ArrayBuffer.isView(v)) list.push(v.buffer);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(series);
  return [...new Set(list)];
}

const TRADE_PART = 500;
const encoder = new TextEncoder();

const handlers = {
  async version() {
    return (await ready).version();
  },

  async parseConfig({ config }) {
    const tm = await ready;
    return tm.parseConfig(config);
  },

  async backtest({ config, data: sent, dataKey, js, interval }, id, signal) {
    lastRun = null;
    // The page sends a data set once per key; later runs on it send only the key.
    if (sent !== undefined) {
      kept?.loaded?.dataset.free();
      kept = { key: dataKey, data: sent };
    }
    else if (kept?.key !== dataKey) throw new TidemarkError('INVALID_ARGUMENT', 'the data set was not sent to the engine worker; run again');
    // A user's file arrives as a File: read here, off the page's thread.
    if (kept.data instanceof Blob) kept.data = await kept.data.text();
    const { data } = kept;
    const tm = await ready;
    const strategy = await jsStrategy(js);
    const t0 = performance.now();
    // Decoded once per data set and instrument set (loadData): a run again with other
    // parameters skips decoding, half of an S&P 500 run's time.
    const instruments = JSON.stringify(tm.parseConfig(config).instruments);
    if (kept.loaded?.instruments !== instruments) {
      kept.loaded?.dataset.free();
      kept.loaded = null;
      kept.loaded = { instruments, dataset: await tm.loadData(config, data) };
    }
    const report = await tm.backtest(config, kept.loaded.dataset, {
      strategy,
      interval,
      signal,
      logLevel: 'off',
      sliceEvents: 2000,
      onProgress: (p) => post(id, 'progress', p),
    });
    // The chart series are made on the page's next request ('chart'), once it has shown the
    // numbers: on a cold first load they took 190 of this reply's 500 ms (the bars read again
    // from the data, the equity curve's first read, the markers).
    lastRun = { config, data, js, report };
    // The page gets what it shows: not the equity curve (the chart gets a thinned one), nor
    // backtesting.py's copy of the trade list (the same trades as report.trades), so the
    // message the page decodes on its main thread stays small. Named one by one: the report's
    // large fields are read from the engine on first access.
    const { trades } = report;
    // Whether the closed trades, then the open ones, are in entry-time order (as the page's
    // trade list first shows them; code-unit order, as it sorts): it then decodes only the
    // rows it shows.
    const all = [...trades, ...(report.open_trades ?? [])];
    const entryOrder = all.every((t, i) => i === 0 || String(all[i - 1].entry_time ?? '') <= String(t.entry_time ?? ''));
    const shown = { backtesting_py: { stats: report.backtesting_py?.stats ?? null }, open_trades: report.open_trades, stats: report.stats, summary: report.summary };
    // As JSON text: the page decodes one string (a copy) and parses it, cheaper on its main
    // thread than the structured clone of thousands of trade objects. The trades go in parts
    // of TRADE_PART, which the page parses only as its views need them (trade-parts.mjs; 28,000
    // trades in one text took a 100-190 ms task).
    const reportJson = JSON.stringify(shown);
    // The parts go as UTF-8 bytes in one moved buffer (ends: each part's end offset): strings
    // would be copied while the page's message task decodes the reply (megabytes for a long run).
    const parts = [];
    for (let i = 0; i < (trades?.length ?? 0); i += TRADE_PART) parts.push(encoder.encode(JSON.stringify(trades.slice(i, i + TRADE_PART))));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    const ends = [];
    for (const p of parts) {
      bytes.set(p, ends.at(-1) ?? 0);
      ends.push((ends.at(-1) ?? 0) + p.length);
    }
    return withTransfer({ reportJson, trades: { bytes, ends, count: trades.length, entryOrder }, ms: performance.now() - t0, sentAt: performance.timeOrigin + performance.now() }, [bytes.buffer]);
  },

  // The chart series of the last backtest (asked for once, right after its reply): bars,
  // averages, markers and the thinned equity curve, as typed arrays moved to the page.
  chart() {
    if (!lastRun) throw new TidemarkError('INVALID_ARGUMENT', 'no backtest to chart: run one first');
    const { config, data, js, report } = lastRun;
    lastRun = null; // its report holds the engine's memory until collected
    const series = chart(config, data, js);
    // A long series' zoomed-out candles, merged here: the page's first drawing of a million bars
    // then only hands the chart OVERVIEW candles (merging them on the page, code run once and
    // cold, took 17-21 ms of a 39 ms task with the other core busy).
    const n = series.bars.time.length;
    if (n > FULL) series.overview = candles(series.bars, overview(n));
    series.equity = thinEquity(report.equity_curve ?? [], series.bars);
    series.markers = markers([...(report.trades ?? []), ...(report.open_trades ?? [])], series.bars.time);
    return withTransfer(series, buffersOf(series));
  },

  // A whole sweep by the API (its pool, its ranking); `pairs` are the constraint presets
  // ([a, b]: a < b), turned into the constraint function here (no code crosses from the page).
  async sweep({ config, data, grid, pairs, rankBy, workers, stats, js }, id, signal) {
    const tm = await ready;
    if (data instanceof Blob) data = await data.text();
    const factory = js?.enabled ? await strategyModule(js.code) : undefined;
    team.clear();
    working.clear();
    const rows = await tm.sweep(config, data, grid, {
      rankBy,
      signal,
      workers,
      stats,
      constraint: constraintOf(pairs),
      logLevel: 'off',
      strategy: factory ? (params) => factory({ ...(js.params ?? {}), ...params }) : undefined,
      onProgress: (p) => post(id, 'progress', p),
    });
    // The sweep Workers this sweep ran on, beside this Worker (none: it ran here alone).
    return { rows, workers: team.size, busy: working.size, spawned, lowerIsBetter: wasmGlue.statisticsLowerIsBetter() };
  },

  liveStart: (msg, id) => startLive(msg, id),
  liveControl: (msg) => controlLive(msg),
};

// Live mode: a System fed from a data set at a chosen speed (events per second), its audit
// stream read alongside and sent to the page in batches with the positions and balances.
async function startLive({ config, data, speed, js }, id) {
  const tm = await ready;
  if (live) throw new TidemarkError('INVALID_ARGUMENT', 'a live system is already running; shut it down first');
  const normal = tm.parseConfig(config);
  const exchanges = (normal.instruments?.instruments ?? []).map((i) => i.exchange_id ?? 'other');
  let items;
  try {
    items = await replayItems(tm, config, data instanceof Blob ? await data.text() : data, exchanges);
  } catch (e) {
    if (e instanceof TidemarkError) throw e;
    throw new TidemarkError('DECODE', `the data set could not be read for a replay: ${e.message}`);
  }
  if (items.length === 0) throw new TidemarkError('DECODE', 'the data set has no market events to replay');
  const strategy = await jsStrategy(js);
  const sys = await tm.System.start(config, { strategy, audit: true, logLevel: 'off', auditBuffer: 20_000 });
  const names = {
    assets: (normal.instruments?.assets ?? []).map((a) => `${a.exchange_id}:${a.name}`),
    instruments: (normal.instruments?.instruments ?? []).map((i) => i.name_exchange),
  };
  live = { id, sys, items, next: 0, speed, timer: 0, trading: true, manual: 0, done: false, exchangeOf: exchangesOf(normal) };
  const ticks = [];
  // The audit reader runs in its own async function, started before any feeding.
  live.reading = (async () => {
    for await (const t of sys.audit()) ticks.push(t);
  })();
  // The ticks read so far and the state now (the last state is kept for after shutdown, when
  // the system no longer answers snapshot()).
  let state = null;
  const flush = () => {
    if (!live.done) state = summarise(sys.snapshot().state, names);
    post(id, 'event', { type: 'tick', ticks: ticks.splice(0).map(describeTick), processed: live.next, total: items.length, state, trading: live.trading });
  };
  live.flush = flush;
  const pump = () => {
    if (!live || live.done) return;
    const perTick = live.speed === 0 ? 2000 : Math.max(1, Math.round(live.speed / 10));
    const batch = live.items.slice(live.next, live.next + perTick);
    try {
      if (batch.length) sys.feed(batch);
    } catch (e) {
      live.next += batch.length;
      post(id, 'event', { type: 'error', error: plainError(e) });
    }
    live.next += batch.length;
    // Let the audit reader run (it awaits) before reporting.
    setTimeout(() => {
      flush();
      if (live && live.next < live.items.length) live.timer = setTimeout(pump, live.speed === 0 ? 0 : 100);
      else if (live) post(id, 'event', { type: 'ended' });
    }, 0);
  };
  live.pump = pump;
  pump();
  return { started: true, total: items.length, names };
}

function summarise(state, names) {
  return {
    time: state.time,
    trading: state.trading,
    balances: (state.assets ?? []).map((a, i) => ({ asset: names.assets[i] ?? String(i), total: a.balance?.total, free: a.balance?.free })),
    instruments: (state.instruments ?? []).map((x, i) => ({
      instrument: names.instruments[i] ?? String(i),
      price: x.market?.last_close ?? x.market?.last_trade_price ?? null,
      position: x.position ? { side: x.position.side, quantity: x.position.quantity_abs ?? x.position.quantity, entry: x.position.price_entry_average ?? null, pnl: x.position.pnl_unrealised ?? null } : null,
      orders: (x.orders ?? []).length,
      pnl: x.stats?.pnl_realised_closed ?? '0',
    })),
    orders: (state.instruments ?? []).flatMap((x, i) => (x.orders ?? []).map((o) => describeOrder(o, names.instruments[i] ?? String(i)))),
  };
}

const EXIT_NAMES = { StopLoss: 'stop-loss', TakeProfit: 'take-profit', TrailingStop: 'trailing stop' };
const decimalOf = (v) => (v && typeof v === 'object' ? `${Object.values(v)[0]}${'Percent' in v ? ' %' : ''}` : v);

// One live order as a row of the page's open-orders table: what kind it is (a stop while its
// trigger is armed, an exit of a bracketed entry), its prices and where it is in its life.
function describeOrder(o, instrument) {
  const kind = o.kind === 'Limit' ? 'limit' : 'market';
  const t = o.trigger;
  let what = t?.trailing ? `trailing stop-${kind}` : t ? `stop-${kind}` : kind;
  if (o.exit_of) what = `${EXIT_NAMES[o.exit_of.exit] ?? o.exit_of.exit} exit of ${o.exit_of.entry} (${what})`;
  else if (o.bracket) what += ` with ${Object.keys(o.bracket).map((k) => k.replace('_', '-')).join(', ')}`;
  const open = o.state?.Open ?? o.state?.CancelInFlight?.order ?? null;
  return {
    cid: o.key?.cid ?? '',
    instrument,
    side: o.side,
    what,
    price: o.price,
    trigger: t ? decimalOf(t.price ?? t.trailing) : '',
    quantity: o.quantity,
    filled: open?.filled_quantity ?? '0',
    state: typeof o.state === 'string' ? o.state : Object.keys(o.state ?? {})[0] ?? '',
  };
}

// One audit tick as a log line: sequence, time, what came in and what it caused.
function describeTick(t) {
  const ev = t.event;
  let what = typeof ev === 'string' ? ev : Object.keys(ev ?? {})[0] ?? '?';
  if (ev?.Market) {
    const m = ev.Market.Item ?? ev.Market;
    const k = m?.kind ? Object.keys(m.kind)[0] : Object.keys(ev.Market)[0];
    what = `market ${k ?? ''}`;
  } else if (ev?.Account) {
    const a = ev.Account.Item ?? ev.Account;
    what = `account ${a?.kind ? Object.keys(a.kind)[0] : Object.keys(ev.Account)[0]}`;
  } else if (ev?.Command) what = `command ${Object.keys(ev.Command)[0]}`;
  else if (ev?.TradingStateUpdate) what = `trading ${ev.TradingStateUpdate}`;
  const outs = (t.outputs ?? []).map((o) => (typeof o === 'string' ? o : Object.keys(o)[0])).join(', ');
  return `#${t.sequence} ${t.time} ${what}${outs ? ` → ${outs}` : ''}`;
}

async function controlLive({ op, order, speed }) {
  if (!live) throw new TidemarkError('INVALID_ARGUMENT', 'no live system is running');
  const { sys } = live;
  if (op === 'speed') {
    live.speed = speed;
    return { speed };
  }
  if (op === 'trading') {
    live.trading = !live.trading;
    sys.setTradingState(live.trading);
  } else if (op === 'close') sys.command(command.closePositions());
  else if (op === 'cancel') sys.command(command.cancelOrders());
  else if (op === 'order') {
    live.manual++;
    sys.command(manualOrder(command, live.exchangeOf, order, live.manual));
  } else if (op === 'shutdown') {
    clearTimeout(live.timer);
    live.done = true;
    const report = sys.shutdownWithSummary();
    await live.reading;
    live.flush();
    const { id } = live;
    live = null;
    post(id, 'done', { report });
    return { report };
  } else throw new TidemarkError('INVALID_ARGUMENT', `unknown live operation ${op}`);
  // Report the command's ticks at once (the audit reader gets them after this await).
  await Promise.resolve();
  live.flush();
  return { ok: true };
}

self.onmessage = async ({ data: msg }) => {
  const { id, type } = msg;
  if (type === 'cancel') {
    running.get(msg.target)?.abort(new DOMException('cancelled', 'AbortError'));
    return;
  }
  const handler = handlers[type];
  if (!handler) {
    post(id, 'error', { code: 'INVALID_ARGUMENT', message: `unknown request ${type}` });
    return;
  }
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const value = await handler(msg, id, controller.signal);
    // A live start stays open: its 'done' comes at shutdown.
    if (type !== 'liveStart') post(id, 'done', value);
    else post(id, 'event', { type: 'started', ...value });
  } catch (e) {
    post(id, 'error', plainError(e));
  } finally {
    running.delete(id);
  }
};
