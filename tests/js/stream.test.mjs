// Streamed data (issue #14, goal 3): every kind of stream input gives the report of the whole
// text, byte for byte; errors in the middle of a stream are typed and name the line; a failing
// source and an abort stop the run and free it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, createReadStream, writeFileSync, mkdtempSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const golden = JSON.parse(read('tests/golden/sp500_sma_cross.json'));
const bytes = new TextEncoder().encode(sp500);
const quiet = { logLevel: 'off' };

// Deterministic cut points (a small xorshift), so a failure reproduces.
function cuts(n, count, seed) {
  let x = seed;
  const out = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(Math.abs(x) % n);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}
const split = (buf, at) => [0, ...at].map((a, i) => buf.subarray(a, i < at.length ? at[i] : buf.length));
async function* iterate(chunks) {
  for (const c of chunks) {
    await null;
    yield c;
  }
}

const whole = await tm.backtestJson(config, sp500, quiet);

test('the whole-text report is the golden run (130 trades, as backtesting.py)', () => {
  const r = JSON.parse(whole);
  assert.equal(r.backtesting_py.stats['# Trades'], golden.stats['# Trades']);
});

test('a Node Readable (a file stream) gives the whole-text report', async () => {
  assert.equal(await tm.backtestJson(config, createReadStream(root + 'data/ohlcv/sp500.csv', { highWaterMark: 4096 }), quiet), whole);
  assert.equal(await tm.backtestJson(config, Readable.from(split(Buffer.from(bytes), cuts(bytes.length, 50, 7))), quiet), whole);
});

test('a web ReadableStream gives the whole-text report', async () => {
  const chunks = split(bytes, cuts(bytes.length, 30, 11));
  const stream = new ReadableStream({
    pull(c) {
      const next = chunks.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
  });
  assert.equal(await tm.backtestJson(config, stream, quiet), whole);
  // A ReadableStream without async iteration (older browsers): read through getReader().
  const chunks2 = split(bytes, cuts(bytes.length, 30, 29));
  const bare = new ReadableStream({
    pull(c) {
      const next = chunks2.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
  });
  assert.equal(await tm.backtestJson(config, { getReader: () => bare.getReader() }, quiet), whole);
  // ... and its failure and an early stop cancel it.
  const failing = new ReadableStream({ pull(c) { c.error(new Error('network down')); } });
  const e = await tm.backtestJson(config, { getReader: () => failing.getReader() }, quiet).catch((x) => x);
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.match(e.message, /network down/);
  let cancelled = false;
  const endless = new ReadableStream({ pull(c) { c.enqueue(new TextEncoder().encode('Date,Open,High,Low,Close\n2020-01-01,1,x,1,1\n')); }, cancel() { cancelled = true; } });
  const bad = await tm.backtestJson(config, { getReader: () => endless.getReader() }, quiet).catch((x) => x);
  assert.equal(bad.code, 'DECODE');
  assert.ok(cancelled);
});

test('a Blob gives the whole-text report, progress counts its bytes', async () => {
  const seen = [];
  const text = await tm.backtestJson(config, new Blob([bytes]), { ...quiet, sliceBytes: 16_384, onProgress: (p) => seen.push(p) });
  assert.equal(text, whole);
  assert.ok(seen.length > 5);
  assert.equal(seen.at(-1).bytes, bytes.length);
  assert.equal(seen.at(-1).totalBytes, bytes.length);
  let total;
  await tm.backtestJson(config, sp500, { ...quiet, onProgress: (p) => { total = p.total; } });
  assert.equal(seen.at(-1).processed, total);
  assert.equal(seen.at(-1).total, total);
});

test('async iterables of strings and of bytes, any cuts (1-byte chunks, inside UTF-8 characters)', async () => {
  // Cuts inside multi-byte characters: a trades file with quoted, non-ASCII ids.
  const trades = 'time,price,amount,side,id\n' + Array.from({ length: 400 }, (_, i) =>
    `2024-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z,${100 + (i % 17)},"1",${i % 3 ? 'buy' : 'sell'},"é€,${i}"`).join('\n');
  const tb = new TextEncoder().encode(trades);
  const c = { cash: 10_000, strategy: { type: 'sma_cross', fast: 3, slow: 8 } };
  const expected = await tm.backtestJson(c, trades, quiet);
  assert.equal(await tm.backtestJson(c, iterate(split(tb, cuts(tb.length, 200, 3))), quiet), expected);
  assert.equal(await tm.backtestJson(c, iterate(split(tb, Array.from({ length: tb.length - 1 }, (_, i) => i + 1))), quiet), expected);
  const pieces = [];
  for (let i = 0; i < trades.length; i += 7) pieces.push(trades.slice(i, i + 7));
  assert.equal(await tm.backtestJson(c, iterate(pieces), quiet), expected);
  // The object report reads the same.
  const report = await tm.backtest(config, iterate(split(bytes, cuts(bytes.length, 9, 5))), quiet);
  assert.equal(JSON.stringify(report.backtesting_py.stats), JSON.stringify(JSON.parse(whole).backtesting_py.stats));
});

test('barter JSON lines stream (an array is read whole), with a JS strategy', async () => {
  const array = read('data/barter/binance_spot_market_data_with_disconnect_events.json');
  const cfg = JSON.parse(read('data/barter/system_config.json'));
  const ab = new TextEncoder().encode(array);
  assert.equal(await tm.backtestJson(cfg, iterate(split(ab, cuts(ab.length, 20, 19))), quiet), await tm.backtestJson(cfg, array, quiet));
  const json = JSON.parse(array).map((item) => JSON.stringify(item)).join('\n');
  const expected = await tm.backtestJson(cfg, json, quiet);
  const jb = new TextEncoder().encode(json);
  assert.equal(await tm.backtestJson(cfg, iterate(split(jb, cuts(jb.length, 100, 13))), quiet), expected);
  let calls = 0;
  const strategy = { id: 'count', onMarket() { calls++; } };
  await tm.backtestJson(cfg, iterate(split(jb, cuts(jb.length, 10, 17))), { ...quiet, strategy });
  const n = calls;
  calls = 0;
  await tm.backtestJson(cfg, json, { ...quiet, strategy });
  assert.equal(n, calls);
});

test('sort: true and sweeps read a stream whole, with the same results', async () => {
  assert.equal(await tm.backtestJson(config, iterate([bytes]), { ...quiet, sort: true }), await tm.backtestJson(config, sp500, { ...quiet, sort: true }));
  const grid = { fast: [5, 10], slow: [20] };
  const rows = await tm.sweep(config, iterate(split(bytes, [1000])), grid, { workers: 1 });
  assert.deepEqual(rows, await tm.sweep(config, sp500, grid, { workers: 1 }));
});

test('a bad row in the middle of a stream is a typed DECODE error naming its line', async () => {
  const lines = sp500.split('\n');
  lines[3000] = lines[3000].replace(/,[^,]+,/, ',oops,');
  const bad = new TextEncoder().encode(lines.join('\n'));
  const whole = await tm.backtestJson(config, lines.join('\n'), quiet).catch((e) => e);
  const streamed = await tm.backtestJson(config, iterate(split(bad, cuts(bad.length, 40, 23))), quiet).catch((e) => e);
  assert.ok(streamed instanceof tm.TidemarkError);
  assert.equal(streamed.code, 'DECODE');
  assert.equal(streamed.details.location.line, 3001);
  assert.equal(streamed.message, whole.message);
  // A file through the CLI path (a Node file stream) says the same.
  const dir = mkdtempSync(`${tmpdir()}/tm-stream-`);
  writeFileSync(`${dir}/bad.csv`, bad);
  const viaFile = await tm.backtestJson(config, createReadStream(`${dir}/bad.csv`, { highWaterMark: 1000 }), quiet).catch((e) => e);
  assert.equal(viaFile.message, whole.message);
});

test('a source that fails rejects with INVALID_ARGUMENT naming data, its error as the cause', async () => {
  const boom = new Error('disk on fire');
  async function* failing() {
    yield bytes.subarray(0, 50_000);
    throw boom;
  }
  const e = await tm.backtestJson(config, failing(), quiet).catch((x) => x);
  assert.ok(e instanceof tm.TidemarkError);
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.match(e.message, /data: the stream failed: .*disk on fire/);
  assert.equal(e.cause, boom);
  const bad = await tm.backtestJson(config, iterate([bytes.subarray(0, 100), 42]), quiet).catch((x) => x);
  assert.equal(bad.code, 'INVALID_ARGUMENT');
  assert.match(bad.message, /stream chunk must be text or bytes/);
  // The module is still usable.
  assert.equal(await tm.backtestJson(config, sp500, quiet), whole);
});

test('an abort mid-stream rejects with the reason and stops reading the source', async () => {
  const ac = new AbortController();
  let pulled = 0;
  let returned = false;
  const source = {
    [Symbol.asyncIterator]() {
      return {
        next: async () => {
          pulled++;
          if (pulled === 3) ac.abort(new Error('stop'));
          return { done: pulled > 100, value: bytes.subarray((pulled - 1) * 1000, pulled * 1000) };
        },
        return: async () => {
          returned = true;
          return { done: true };
        },
      };
    },
  };
  const e = await tm.backtestJson(config, source, { ...quiet, signal: ac.signal }).catch((x) => x);
  assert.equal(e.message, 'stop');
  assert.ok(pulled <= 4, `pulled ${pulled}`);
  assert.ok(returned);
});
