// Side-by-side figures in one run: native vs wasm-in-Node events/s on the same 1,000,000 synthetic
// events (target: wasm >= 0.75x native), backtest calls/s for a 2,000-bar CSV (the sweep path),
// and the gzipped size of the wasm (target <= 350 KB). Run: `npm run bench` after building.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tm from '../js/index.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const wasm = createRequire(import.meta.url)('../pkg/node/tidemark.js');

const barter = JSON.parse(readFileSync(root + 'data/barter/system_config.json', 'utf8'));
for (const b of barter.executions[0].initial_state.balances) b.balance = { total: '99999999999999', free: '99999999999999' };
const configs = {
  none: { ...barter, strategy: { type: 'none' } },
  sma: { ...barter, strategy: { type: 'sma_cross', fast: 20, slow: 60, sizing: { fixed_quantity: '0.01' } } },
};

function native(mode) {
  const out = execFileSync('cargo', ['bench', '--quiet', '--bench', 'engine_throughput', '--', '--only', mode], { cwd: root, encoding: 'utf8' });
  const m = out.match(/([0-9]+) events\/s/);
  return m ? Number(m[1]) : NaN;
}

function inWasm(config, n, repeats = 5) {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const run = wasm.Backtest.synthetic(config, n);
    const t0 = process.hrtime.bigint();
    run.step(n);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    run.free();
  }
  return n / best;
}

const n = 1_000_000;
const rounds = 3;
const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(12);
console.log(`Tidemark: native vs wasm (Node ${process.version}), same 1,000,000 synthetic trade+L1 events, best of ${rounds} x 5 runs each`);
for (const [mode, label] of [['none', 'no orders'], ['sma', 'sma_cross 20/60']]) {
  // Interleaved rounds, best of all: on a shared machine a burst of load otherwise lands on one
  // side only and the ratio swings by 30% between runs.
  let nat = 0;
  let w = 0;
  for (let r = 0; r < rounds; r++) {
    nat = Math.max(nat, native(mode));
    w = Math.max(w, inWasm(configs[mode], n));
  }
  console.log(`${label.padEnd(18)} native ${fmt(nat)} ev/s   wasm ${fmt(w)} ev/s   wasm/native ${(w / nat).toFixed(2)} (target >= 0.75)`);
}

// A trivial JS hook on every event: one wasm->JS call per event with the numeric view, no orders.
function withJsHook(n, repeats = 5) {
  let best = Infinity;
  let calls = 0;
  const hooks = tm.hooksFor({ onMarket(v) { calls++; return v.price < 0 ? { target: 'flat' } : undefined; } });
  for (let r = 0; r < repeats; r++) {
    const run = wasm.Backtest.synthetic(configs.none, n);
    run.setStrategy(hooks);
    const t0 = process.hrtime.bigint();
    run.step(n);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    run.free();
  }
  if (calls !== n * repeats) throw new Error(`hook called ${calls} times, expected ${n * repeats}`);
  return n / best;
}
console.log(`${'JS strategy hook'.padEnd(18)} wasm ${fmt(withJsHook(n))} ev/s (target >= 1,000,000)`);

const csv = readFileSync(root + 'data/ohlcv/sp500.csv', 'utf8').split('\n').slice(0, 2001).join('\n');
const spx = JSON.parse(readFileSync(root + 'data/sp500_sma_cross.json', 'utf8'));
let calls = 0;
const t0 = performance.now();
while (performance.now() - t0 < 3000) {
  await tm.backtest(spx, csv, { sliceEvents: 1e9 });
  calls++;
}
console.log(`${'2,000-bar CSV'.padEnd(18)} ${(calls / ((performance.now() - t0) / 1000)).toFixed(0)} backtest calls/s (parse + run + summary)`);
// The size target is the download's: browsers get the web build. Node loads its own speed build
// from disk (opt-level 3, more inlining), so it is bigger by design.
for (const [target, build] of [['web', 'opt-level z, what browsers download; target <= 358,400'], ['node', 'opt-level 3 + inlining, the build measured above']]) {
  const bytes = readFileSync(root + `pkg/${target}/tidemark_bg.wasm`);
  console.log(`${('wasm size ' + target).padEnd(18)} ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped (${build})`);
}
