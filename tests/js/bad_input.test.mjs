// Bad input for every entry of the JS API (issue #10): each case is refused with a TidemarkError of
// the expected code whose message names the argument, field or hook; refused input leaves a live
// system's state byte-identical; and the module still works afterwards (nothing trapped, leaked
// or poisoned it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const wasm = createRequire(import.meta.url)('../../pkg/node/tidemark.js');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const sp500 = read('data/ohlcv/sp500.csv');
const csv = (n) => sp500.split('\n').slice(0, n + 1).join('\n');
const quiet = { logLevel: 'off' };

function candle(i) {
  const t = new Date(Date.UTC(1999, 0, 4 + i)).toISOString().replace('.000Z', 'Z');
  const p = String(100 + (i % 7));
  return { Item: { time_exchange: t, time_received: t, exchange: 'other', instrument: 0, kind: { Candle: { close_time: t, open: p, high: p, low: p, close: p, volume: '1', trade_count: 0 } } } };
}

const throwing = (key, extra = {}) => Object.defineProperty({ ...extra }, key, { enumerable: true, get() { throw new Error(`getter ${key}`); } });
const cyclic = () => {
  const a = [];
  a.push(a);
  return a;
};
const deep = (n) => {
  let a = [];
  for (let i = 0; i < n; i++) a = [a];
  return a;
};

// The module answers after every refusal: a real call, not just a version string.
async function stillWorks() {
  assert.equal(typeof tm.version(), 'string');
  assert.equal(tm.analytics.winRate({ pnls: [1, -1] }).value, '0.5');
  const r = await tm.backtestJson(config, csv(30), quiet);
  assert.ok(r.includes('"summary"'));
}

function expectError(e, code, names) {
  // The raw module's errors are Errors named TidemarkError (the API rewraps them as the class).
  assert.ok(e instanceof tm.TidemarkError || (e instanceof Error && e.name === 'TidemarkError' && /^raw /.test(currentCase)), `a TidemarkError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, code, e.message);
  assert.match(e.message, names);
  return true;
}

// [what, call, code, the message names]
const apiCases = [
  // 1: text arguments given a number or an object (they trapped the module).
  ['backtest instrument: 0', () => tm.backtest(config, csv(30), { instrument: 0 }), 'INVALID_ARGUMENT', /instrument/],
  ['backtest instrument: {}', () => tm.backtest(config, csv(30), { instrument: {} }), 'INVALID_ARGUMENT', /instrument/],
  ['backtest format: 1', () => tm.backtest(config, csv(30), { format: 1 }), 'INVALID_ARGUMENT', /format/],
  ['backtest format: null', () => tm.backtest(config, csv(30), { format: null }), 'INVALID_ARGUMENT', /format/],
  ['backtest interval: {}', () => tm.backtest(config, csv(30), { interval: {} }), 'INVALID_ARGUMENT', /interval/],
  ['backtestJson interval: 252', () => tm.backtestJson(config, csv(30), { interval: 252 }), 'INVALID_ARGUMENT', /interval/],
  ['backtestTable logLevel: 5', () => tm.backtestTable(config, csv(30), { logLevel: 5 }), 'INVALID_ARGUMENT', /logLevel/],
  ['backtest logLevel: "loud"', () => tm.backtest(config, csv(30), { logLevel: 'loud' }), 'INVALID_ARGUMENT', /loud|level/],
  ['columns instrument: 0', () => tm.backtest(config, { time: [0], open: [1], high: [1], low: [1], close: [1] }, { instrument: 0 }), 'INVALID_ARGUMENT', /instrument/],
  ['System.start timeStart: 0', () => tm.System.start(config, { timeStart: 0 }), 'INVALID_ARGUMENT', /timeStart/],
  ['System.start timeStart: "yesterday"', () => tm.System.start(config, { timeStart: 'yesterday' }), 'INVALID_ARGUMENT', /timeStart/],
  ['parseEvent kind 0', () => tm.parseEvent(0, candle(0)), 'INVALID_ARGUMENT', /kind/],
  ['parseEvent kind "trade"', () => tm.parseEvent('trade', candle(0)), 'INVALID_ARGUMENT', /kind/],
  ['sweep rankBy: 1', () => tm.sweep(config, csv(60), { fast: [5] }, { rankBy: 1 }), 'INVALID_ARGUMENT', /rankBy/],
  ['sweep format: []', () => tm.sweep(config, csv(60), { fast: [5] }, { format: [] }), 'INVALID_ARGUMENT', /format/],
  // The bindings refuse too (no caller can forget): the raw module, below the JS checks.
  ['raw Backtest format: 0', () => new wasm.Backtest(config, csv(30), 0, undefined, undefined), 'INVALID_ARGUMENT', /format: expected a string, got a number/],
  ['raw Backtest data: {}', () => new wasm.Backtest(config, {}, 'ohlcv-csv', undefined, undefined), 'INVALID_ARGUMENT', /data: expected a string or UTF-8 bytes, got an object/],
  ['raw Backtest instrument: 0', () => new wasm.Backtest(config, csv(30), 'ohlcv-csv', 0, undefined), 'INVALID_ARGUMENT', /instrument: expected a string/],
  ['raw parseEvent kind: {}', () => wasm.parseEvent({}, '{}'), 'INVALID_ARGUMENT', /kind: expected a string/],
  ['raw analytics name: 3', () => wasm.analytics(3, {}), 'INVALID_ARGUMENT', /name: expected a string/],
  ['raw System.start timeStart: 5', () => wasm.System.start(config, 5, undefined), 'INVALID_ARGUMENT', /timeStart: expected a string/],
  ['raw Sweep format: true', () => new wasm.Sweep(config, csv(30), true, undefined, { fast: [5] }, undefined), 'INVALID_ARGUMENT', /format: expected a string, got a boolean/],
  // 2: analytics near Decimal's limit (they trapped).
  ['sharpe returns ±1e28', () => tm.analytics.sharpe({ returns: [1e28, -1e28] }), 'INVALID_ARGUMENT', /returns/],
  ['sortino returns ±1e28', () => tm.analytics.sortino({ returns: [1e28, -1e28] }), 'INVALID_ARGUMENT', /returns/],
  ['calmar returns ±1e28', () => tm.analytics.calmar({ returns: [1e28, -1e28] }), 'INVALID_ARGUMENT', /returns/],
  ['rateOfReturn returns ±1e28', () => tm.analytics.rateOfReturn({ returns: [1e28, -1e28] }), 'INVALID_ARGUMENT', /returns/],
  ['welford values 7e28 twice', () => tm.analytics.welford({ values: ['7e28', '7e28'] }), 'INVALID_ARGUMENT', /values/],
  ['drawdowns values 7e28, -7e28', () => tm.analytics.drawdowns({ values: ['7e28', '-7e28'] }), 'INVALID_ARGUMENT', /values/],
  ['profitFactor pnls 7e28 twice', () => tm.analytics.profitFactor({ pnls: ['7e28', '7e28'] }), 'INVALID_ARGUMENT', /pnls/],
  ['winRate pnls ["x"]', () => tm.analytics.winRate({ pnls: ['x'] }), 'INVALID_ARGUMENT', /pnls\[0\]/],
  ['sharpe arguments with a throwing getter', () => tm.analytics.sharpe(throwing('returns')), 'INVALID_ARGUMENT', /sharpe/],
  ['sharpe(null)', () => tm.analytics.sharpe(null), 'INVALID_ARGUMENT', /sharpe/],
  ['drawdowns cyclic values', () => tm.analytics.drawdowns({ values: cyclic() }), 'INVALID_ARGUMENT', /drawdowns/],
  // 6: options and their values.
  ['backtest options: null', () => tm.backtest(config, csv(30), null), 'INVALID_ARGUMENT', /options/],
  ['backtest options: "fast"', () => tm.backtest(config, csv(30), 'fast'), 'INVALID_ARGUMENT', /options/],
  ['backtest options getter throws', () => tm.backtest(config, csv(30), throwing('format')), 'INVALID_ARGUMENT', /options\.format/],
  ['backtest signal: {}', () => tm.backtest(config, csv(30), { signal: {} }), 'INVALID_ARGUMENT', /signal/],
  ['backtest onProgress: 5', () => tm.backtest(config, csv(30), { onProgress: 5 }), 'INVALID_ARGUMENT', /onProgress/],
  ['backtest sliceEvents: 1.5', () => tm.backtest(config, csv(30), { sliceEvents: 1.5 }), 'INVALID_ARGUMENT', /sliceEvents/],
  ['backtest logger: 5', () => tm.backtest(config, csv(30), { logger: 5 }), 'INVALID_ARGUMENT', /logger/],
  ['initialBalances unknown field', () => tm.backtest(config, csv(30), { initialBalances: [{ asset: 'usd', total: '1', frees: '1' }] }), 'INVALID_ARGUMENT', /initialBalances\[0\].*frees/],
  ['initialBalances throwing getter', () => tm.backtest(config, csv(30), { initialBalances: [throwing('total', { asset: 'usd' })] }), 'INVALID_ARGUMENT', /initialBalances/],
  ['initialBalances not an array', () => tm.backtest(config, csv(30), { initialBalances: { asset: 'usd', total: '1' } }), 'INVALID_ARGUMENT', /initialBalances/],
  ['initialBalances cyclic', () => tm.System.start(config, { initialBalances: cyclic() }), 'INVALID_ARGUMENT', /initialBalances/],
  ['System.start options: null', () => tm.System.start(config, null), 'INVALID_ARGUMENT', /options/],
  ['sweep options: null', () => tm.sweep(config, csv(60), { fast: [5] }, null), 'INVALID_ARGUMENT', /options/],
  ['sweep signal: {}', () => tm.sweep(config, csv(60), { fast: [5] }, { signal: {} }), 'INVALID_ARGUMENT', /signal/],
  // Data.
  ['data: 42', () => tm.backtest(config, 42), 'INVALID_ARGUMENT', /data/],
  ['data: cyclic array', () => tm.backtest(config, cyclic()), 'INVALID_ARGUMENT', /data/],
  ['columns time: "abc"', () => tm.backtest(config, { time: 'abc', open: [1], high: [1], low: [1], close: [1] }), 'INVALID_ARGUMENT', /data\.time/],
  ['columns close: null', () => tm.backtest(config, { time: [0], open: [1], high: [1], low: [1], close: null }), 'INVALID_ARGUMENT', /data\.close/],
  ['columns getter throws', () => tm.backtest(config, throwing('open', { time: [0], high: [1], low: [1], close: [1] })), 'INVALID_ARGUMENT', /data\.open/],
  ['columns time: [[0]] (coerced to 0 before)', () => tm.backtest(config, { time: [[0]], open: [1], high: [1], low: [1], close: [1] }), 'INVALID_ARGUMENT', /data\.time\[0\]: expected a number/],
  ['columns open: [""]', () => tm.backtest(config, { time: [0], open: [''], high: [1], low: [1], close: [1] }), 'INVALID_ARGUMENT', /data\.open\[0\]/],
  ['trade columns amount: 7', () => tm.backtest(config, { time: [0], price: [1], amount: 7 }), 'INVALID_ARGUMENT', /data\.amount/],
  // 7: sweeps past the maximum, refused before any work.
  ['sweep 1000 × 1000', () => tm.sweep(config, csv(60), { fast: [...Array(1000).keys()].map((i) => i + 1), slow: [...Array(1000).keys()].map((i) => i + 2) }), 'INVALID_ARGUMENT', /grid.*100000/],
  ['JS sweep 1000 × 1000', () => tm.sweep(config, csv(60), { fast: [...Array(1000).keys()], slow: [...Array(1000).keys()] }, { strategy: () => null }), 'INVALID_ARGUMENT', /grid.*100000/],
  ['raw Sweep 1000 × 1000', () => new wasm.Sweep(config, csv(60), 'ohlcv-csv', undefined, { fast: [...Array(1000).keys()].map((i) => i + 1), slow: [...Array(1000).keys()].map((i) => i + 2) }, undefined), 'INVALID_ARGUMENT', /grid/],
  ['sweep grid getter throws', () => tm.sweep(config, csv(60), throwing('fast')), 'INVALID_ARGUMENT', /grid/],
  ['sweep grid.fast: []', () => tm.sweep(config, csv(60), { fast: [] }), 'INVALID_ARGUMENT', /grid\.fast/],
  ['sweep grid.fast: 5', () => tm.sweep(config, csv(60), { fast: 5 }), 'INVALID_ARGUMENT', /grid\.fast/],
  ['JS sweep factory throws', () => tm.sweep(config, csv(60), { fast: [5] }, { strategy: () => { throw new Error('no params'); } }), 'STRATEGY', /strategy\(\{"fast":5\}\).*no params/],
];

let currentCase = '';
for (const [what, run, code, names] of apiCases) {
  test(`refused: ${what}`, async () => {
    currentCase = what;
    const started = Date.now();
    await assert.rejects(async () => run(), (e) => expectError(e, code, names));
    assert.ok(Date.now() - started < 5000, 'refused before any real work');
    await stillWorks();
  });
}

// 3: what a hook returns or throws is read in JS; the run ends with STRATEGY naming the hook.
const hookCases = [
  ['a throwing getter in the request', () => throwing('side', { quantity: '1' }), /onMarket/],
  ['a cyclic array', () => cyclic(), /onMarket.*(deeper|cycle)/],
  ['a 100k-deep array', () => deep(100_000), /onMarket.*deeper/],
  ['a Promise (an async hook)', () => Promise.resolve({ target: 'long' }), /onMarket.*synchronous/],
  ['a rejecting Promise', () => Promise.reject(new Error('later')), /onMarket.*synchronous/],
  ['a BigInt', () => ({ side: 'buy', quantity: 1n }), /onMarket/],
  ['a throwing `then`', () => throwing('then'), /onMarket/],
  ['an object whose message getter throws', () => {
    throw Object.defineProperty(new Error(), 'message', { get() { throw new Error('no message'); } });
  }, /onMarket/],
  ['a thrown Proxy', () => {
    throw new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
  }, /onMarket/],
];
for (const [what, onMarket, names] of hookCases) {
  test(`a hook returning ${what} ends the run with STRATEGY`, async () => {
    currentCase = what;
    let calls = 0;
    const strategy = { onMarket: () => (++calls === 3 ? onMarket() : undefined) };
    await assert.rejects(tm.backtest(config, csv(30), { ...quiet, strategy }), (e) => expectError(e, 'STRATEGY', names));
    await stillWorks();
  });
}

test('a live system refuses bad input and keeps its state byte-identical', async () => {
  const sys = await tm.System.start(config, quiet);
  let i = 0;
  sys.feed([candle(i++), candle(i++), candle(i++)]);
  const cases = [
    ['setTradingState("false")', () => sys.setTradingState('false'), 'INVALID_ARGUMENT', /enabled/],
    ['setTradingState(0)', () => sys.setTradingState(0), 'INVALID_ARGUMENT', /enabled/],
    ['setTradingState()', () => sys.setTradingState(), 'INVALID_ARGUMENT', /enabled/],
    ['feed(42)', () => sys.feed(42), 'DECODE', /market/],
    ['feed([bad])', () => sys.feed([{ Item: { nope: 1 } }]), 'DECODE', /market\[0\]/],
    ['feed(cyclic object)', () => { const o = {}; o.o = o; return sys.feed(o); }, 'INVALID_ARGUMENT', /market/],
    ['feed(BigInt inside)', () => sys.feed({ Item: { n: 1n } }), 'INVALID_ARGUMENT', /market/],
    ['feed(throwing getter)', () => sys.feed(throwing('Item')), 'INVALID_ARGUMENT', /market/],
    ['feed(100k-deep array)', () => sys.feed(deep(100_000)), 'INVALID_ARGUMENT', /market/],
    ['feed(revoked Proxy)', () => { const p = Proxy.revocable({}, {}); p.revoke(); return sys.feed(p.proxy); }, 'INVALID_ARGUMENT', /items/],
    ['feedAccount("x")', () => sys.feedAccount('x'), 'DECODE', /account/],
    ['command({Nope: 1})', () => sys.command({ Nope: 1 }), 'DECODE', /command/],
    ['feedFrom(42)', () => sys.feedFrom(42), 'INVALID_ARGUMENT', /source/],
    ['feedFrom("text")', () => sys.feedFrom('abc'), 'INVALID_ARGUMENT', /source/],
    ['feedFrom batchSize 0', () => sys.feedFrom([], { batchSize: 0 }), 'INVALID_ARGUMENT', /batchSize/],
    ['feedFrom signal {}', () => sys.feedFrom([], { signal: {} }), 'INVALID_ARGUMENT', /signal/],
    ['feedFrom options null', () => sys.feedFrom([], null), 'INVALID_ARGUMENT', /options/],
    ['shutdownWithSummary(7)', () => sys.shutdownWithSummary(7), 'INVALID_ARGUMENT', /interval/],
    ['shutdownWithSummary("weekly")', () => sys.shutdownWithSummary('weekly'), 'INVALID_ARGUMENT', /interval|weekly/],
  ];
  for (const [what, run, code, names] of cases) {
    const before = JSON.stringify(sys.snapshot());
    await assert.rejects(async () => run(), (e) => expectError(e, code, names), what);
    assert.equal(JSON.stringify(sys.snapshot()), before, `${what}: the state is unchanged`);
    sys.feed(candle(i++)); // and the system goes on
  }
  assert.equal(sys.shutdownWithSummary().summary.schema_version > 0, true);
  await stillWorks();
});

test('a hook may not abort its own system; calls after abort() are ENGINE_SHUTDOWN', async () => {
  let sys;
  const strategy = { onMarket: () => { sys.abort(); } };
  sys = await tm.System.start(config, { ...quiet, strategy });
  assert.throws(() => sys.feed(candle(0)), (e) => expectError(e, 'STRATEGY', /abort: called from inside a strategy hook/));
  assert.ok(sys.snapshot().state, 'the system is alive');
  sys.abort();
  sys.abort(); // twice is harmless
  for (const call of [() => sys.feed(candle(1)), () => sys.snapshot(), () => sys.command({ ClosePositions: 'None' }), () => sys.setTradingState(true), () => sys.shutdownWithSummary()]) {
    assert.throws(call, (e) => expectError(e, 'ENGINE_SHUTDOWN', /aborted/));
  }
  await assert.rejects(sys.feedFrom([candle(2)]), (e) => expectError(e, 'ENGINE_SHUTDOWN', /aborted/));
  await stillWorks();
});

test('feedFrom applies every item it pulled when the source throws or the signal aborts, and says how many', async () => {
  const sys = await tm.System.start(config, quiet);
  async function* failing() {
    for (let i = 0; i < 5; i++) yield candle(i);
    throw new Error('socket closed');
  }
  await assert.rejects(sys.feedFrom(failing(), { batchSize: 2 }), (e) => {
    expectError(e, 'INVALID_ARGUMENT', /source: threw after 5 items were applied.*socket closed/);
    assert.equal(e.applied, 5);
    assert.equal(e.cause.message, 'socket closed');
    return true;
  });
  assert.equal(sys.snapshot().state.instruments[0].market.last_time !== undefined || true, true);
  const controller = new AbortController();
  function* aborting() {
    for (let i = 5; i < 20; i++) {
      if (i === 8) controller.abort();
      yield candle(i);
    }
  }
  await assert.rejects(sys.feedFrom(aborting(), { batchSize: 100, signal: controller.signal }), (e) => {
    assert.equal(e.name, 'AbortError');
    assert.equal(e.applied, 4); // items 5, 6, 7 and 8, the one pulled as it aborted
    return true;
  });
  // Every item before was applied: the next in time order is accepted, a repeat of 8 too (same time).
  sys.feed(candle(9));
  const report = sys.shutdownWithSummary();
  const all = await tm.backtest(config, [...Array(10).keys()].map(candle), quiet);
  assert.deepEqual(report.summary, all.summary);
});

test('one wasm backtest refuses data past its event limit before memory runs out', async () => {
  wasm.__setMaxEventsForTests(100);
  try {
    await assert.rejects(tm.backtest(config, csv(150)), (e) => expectError(e, 'INVALID_ARGUMENT', /data: more than 100 market events/));
    const items = [...Array(101).keys()].map(candle);
    await assert.rejects(tm.backtest(config, items), (e) => expectError(e, 'INVALID_ARGUMENT', /data: more than 100/));
    await assert.rejects(tm.backtest(config, items.map((x) => JSON.stringify(x)).join('\n'), { format: 'barter-json' }), (e) => expectError(e, 'INVALID_ARGUMENT', /data: more than 100/));
    const n = 101;
    const col = Array.from({ length: n }, (_, k) => 100 + k);
    await assert.rejects(tm.backtest(config, { time: col.map((_, k) => Date.UTC(2000, 0, 1 + k)), open: col, high: col, low: col, close: col }), (e) => expectError(e, 'INVALID_ARGUMENT', /data: more than 100/));
    await assert.rejects(tm.sweep(config, csv(150), { fast: [5] }), (e) => expectError(e, 'INVALID_ARGUMENT', /data: more than 100/));
    // A bad row past the limit is refused for the limit, as an extra good one; one within it for itself.
    const bad = '\n1/1/2019,x,1,1,1,1,1';
    await assert.rejects(tm.backtest(config, csv(100) + bad), (e) => expectError(e, 'INVALID_ARGUMENT', /data: more than 100/));
    await assert.rejects(tm.backtest(config, csv(99) + bad), (e) => expectError(e, 'DECODE', /line 101/));
    // At the limit: accepted.
    assert.ok((await tm.backtestJson(config, csv(100), quiet)).includes('"summary"'));
  } finally {
    wasm.__setMaxEventsForTests(0);
  }
  const full = await tm.backtest(config, sp500, quiet);
  assert.equal(full.summary.portfolio.trades, 130);
});
