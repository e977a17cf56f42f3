// The indicator library from JS: the batch functions against the TA-Lib golden data the Rust tests
// use, their argument checks, the crossover helpers, and indicators declared by a JS strategy
// (computed in wasm, handed over in the view) against the same strategy computing its RSI by hand.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';
import rsiReversion from '../../examples/js/rsi_reversion.mjs';
import rsiDeclared from '../../examples/js/rsi_declared.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
delete config.strategy;
const quiet = { logLevel: 'off' };
const { indicators } = tm;

// The JS call for one golden series: its declaration as the Rust spec parser reads it.
function run(decl, input) {
  const kind = Object.keys(decl).find((k) => k !== 'source');
  const source = decl.source === 'high' ? input.high : decl.source === 'low' ? input.low : input.close;
  if (kind === 'atr') return [indicators.atr(input, decl.atr)];
  const out = indicators[kind](source, decl[kind]);
  return Array.isArray(out) ? [out] : Object.values(out);
}

for (const name of ['sp500', 'nasdaq']) {
  test(`every batch function equals TA-Lib within 1e-9 on ${name}, warm-up included`, () => {
    const golden = JSON.parse(read(`tests/golden/indicators_${name}.json`));
    assert.equal(golden.series.length, 22);
    let worst = 0;
    for (const s of golden.series) {
      const lines = run(s.indicator, golden.input);
      assert.equal(lines.length, s.outputs.length, s.name);
      lines.forEach((got, l) => {
        const want = s.values[l];
        assert.equal(got.length, want.length, `${s.name} length`);
        for (let i = 0; i < want.length; i++) {
          if (want[i] === null || got[i] === null) {
            assert.equal(got[i], want[i], `${s.name}.${s.outputs[l]}[${i}] warm-up`);
            continue;
          }
          const d = Math.abs(got[i] - want[i]);
          worst = Math.max(worst, d);
          assert.ok(d <= 1e-9, `${s.name}.${s.outputs[l]}[${i}]: ${got[i]} vs TA-Lib ${want[i]}`);
        }
      });
    }
    assert.ok(worst < 1e-9);
  });
}

test('the wasm build computes the same bits as the native one', () => {
  // FNV-1a (32 bits) over every value of every golden series, as tests/indicators_golden.rs
  // computes it natively (warm-up as NaN) and pins the same constants.
  const pinned = { sp500: 0xea393b73, nasdaq: 0xb032dd16 };
  for (const name of ['sp500', 'nasdaq']) {
    const golden = JSON.parse(read(`tests/golden/indicators_${name}.json`));
    let h = 0x811c9dc5;
    for (const s of golden.series) {
      for (const l of run(s.indicator, golden.input)) {
        const bytes = new Uint8Array(Float64Array.from(l, (v) => (v === null ? Number.NaN : v)).buffer);
        for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
      }
    }
    assert.equal(h, pinned[name], `${name}: checksum 0x${h.toString(16)}`);
  }
});

test('typed arrays give the same numbers as arrays', () => {
  const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
  assert.deepEqual(indicators.ema(Float64Array.from(xs), 3), indicators.ema(xs, 3));
  assert.deepEqual(indicators.sma(xs, 3).slice(0, 4), [null, null, 8 / 3, 2]);
  assert.deepEqual(indicators.sma([], 3), []);
});

test('bad series and parameters are INVALID_ARGUMENT naming them', () => {
  const bad = (fn, re) => assert.throws(fn, (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_ARGUMENT' && re.test(e.message));
  bad(() => indicators.sma([1, null, 3], 2), /values\[1\]: expected a finite number, got null/);
  bad(() => indicators.sma([1, NaN], 2), /values\[1\]/);
  bad(() => indicators.sma('1,2', 2), /values: expected an array/);
  bad(() => indicators.sma([1, 2], 0), /sma.*1\.\.=1000000/);
  bad(() => indicators.rsi([1, 2], 2.5), /whole period/);
  bad(() => indicators.sma([1, 2]), /sma: expected a period/);
  bad(() => indicators.bollinger([1, 2], { period: 2, width: 1 }), /bollinger\.width/);
  bad(() => indicators.atr({ high: [1], low: [1, 2], close: [1] }, 1), /different lengths/);
});

test('crossover and crossunder: strict on both samples, warm-up breaks a cross', () => {
  const a = [null, 1, 3, 3, 1, null, 3, 2, 2, 3];
  const b = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
  assert.deepEqual(indicators.crossover(a, b), [false, false, true, false, false, false, false, false, false, false]);
  assert.deepEqual(indicators.crossunder(a, b), [false, false, false, false, true, false, false, false, false, false]);
  // The SMA 10/20 crosses of the S&P 500 are backtesting.py's: 130 closed trades come from them.
  const close = sp500.trim().split('\n').slice(1).map((l) => Number(l.split(',')[4]));
  const fast = indicators.sma(close, 10);
  const slow = indicators.sma(close, 20);
  const ups = indicators.crossover(fast, slow).filter(Boolean).length;
  const downs = indicators.crossunder(fast, slow).filter(Boolean).length;
  assert.ok(Math.abs(ups - downs) <= 1 && ups >= 130, `${ups} up, ${downs} down`);
});

test('a declared-indicator RSI strategy trades exactly as the hand-written one (and as the built-in)', async () => {
  const trades = (r) => r.trades.map((t) => [t.entry_time, t.exit_time, t.entry_price, t.exit_price, t.pnl]);
  const byHand = await tm.backtest(config, sp500, { ...quiet, strategy: rsiReversion({ period: 14 }) });
  const declared = await tm.backtest(config, sp500, { ...quiet, strategy: rsiDeclared({ period: 14 }) });
  assert.ok(byHand.trades.length >= 10, `${byHand.trades.length} trades`);
  assert.deepEqual(trades(declared), trades(byHand));
  assert.equal(declared.summary.portfolio.equity_final, byHand.summary.portfolio.equity_final);
  const sizing = { equity_fraction: { fraction: '1', whole_units: true } };
  const builtIn = await tm.backtest({ ...config, strategy: { type: 'rsi_reversion', period: 14, sizing } }, sp500, quiet);
  assert.deepEqual(trades(builtIn), trades(byHand));
});

test('the view carries every declared indicator, null while warming up, per instrument', async () => {
  const seen = [];
  const close = sp500.trim().split('\n').slice(1, 201).map((l) => Number(l.split(',')[4]));
  const high = sp500.trim().split('\n').slice(1, 201).map((l) => Number(l.split(',')[2]));
  await tm.backtest(config, sp500.split('\n').slice(0, 201).join('\n'), {
    ...quiet,
    strategy: {
      indicators: { r: { rsi: 14 }, m: { macd: [12, 26, 9] }, b: { bollinger: { period: 20, k: 2 } }, h: { highest: 5, source: 'high' } },
      onMarket(v) {
        const { r, m, b, h } = v.indicators;
        seen.push({ r, m: m && { ...m }, b: b && { ...b }, h });
      },
    },
  });
  assert.equal(seen.length, 200);
  const rsi = indicators.rsi(close, 14);
  const macd = indicators.macd(close, [12, 26, 9]);
  const bands = indicators.bollinger(close, { period: 20, k: 2 });
  const highest = indicators.highest(high, 5);
  seen.forEach((s, i) => {
    assert.equal(s.r, rsi[i], `rsi ${i}`);
    assert.deepEqual(s.m, macd.macd[i] === null ? null : { macd: macd.macd[i], signal: macd.signal[i], histogram: macd.histogram[i] }, `macd ${i}`);
    assert.deepEqual(s.b, bands.upper[i] === null ? null : { upper: bands.upper[i], middle: bands.middle[i], lower: bands.lower[i] }, `bands ${i}`);
    assert.equal(s.h, highest[i], `highest ${i}`);
  });
  assert.equal(seen[13].r, null);
  assert.equal(typeof seen[14].r, 'number');
  assert.equal(seen[32].m, null);
  assert.equal(typeof seen[33].m.signal, 'number');
});

test('a bad declaration is INVALID_ARGUMENT naming it', async () => {
  const attempt = (indicators) => tm.backtest(config, sp500.split('\n').slice(0, 5).join('\n'), { ...quiet, strategy: { indicators, onMarket() {} } });
  const bad = (p, re) => assert.rejects(p, (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_ARGUMENT' && re.test(e.message));
  await bad(attempt({ fast: { sma: 0 } }), /strategy\.indicators\.fast\.sma/);
  await bad(attempt({ fast: { smma: 10 } }), /unknown indicator "smma"/);
  await bad(attempt({ fast: { sma: 10, ema: 3 } }), /already has a kind/);
  await bad(attempt({ fast: 10 }), /strategy\.indicators\.fast: expected an object/);
  await bad(attempt({ 'not a name': { sma: 2 } }), /is not a name/);
  await bad(attempt([{ sma: 2 }]), /expected an object of name/);
  await bad(attempt({ f: { sma: () => 2 } }), /strategy\.indicators\.f/);
});

test('declared values stay right when wasm memory grows during the run', async () => {
  // A batch call from inside the hook moves 128 MB through wasm memory, which grows it: the views
  // of the old buffer are detached, and the adapter must view the new one on the next event.
  const bars = sp500.split('\n').slice(0, 101).join('\n');
  const close = sp500.trim().split('\n').slice(1, 101).map((l) => Number(l.split(',')[4]));
  const seen = [];
  await tm.backtest(config, bars, {
    ...quiet,
    strategy: {
      indicators: { s: { sma: 3 }, w: { wma: 4 } },
      onMarket(v) {
        seen.push([v.indicators.s, v.indicators.w]);
        if (seen.length === 50) assert.equal(indicators.sma(new Float64Array(8_000_000), 2).length, 8_000_000);
      },
    },
  });
  const sma = indicators.sma(close, 3);
  const wma = indicators.wma(close, 4);
  assert.deepEqual(seen, close.map((_, i) => [sma[i], wma[i]]));
});
