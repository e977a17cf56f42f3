// `npm run bench`: every figure of the performance goals in one run, side by side with
// backtesting.py 0.6.6 and vectorbt 1.2.0 on the same bars, the same strategy and the same result
// (bench/reference.py; installed into .bench-venv/ from PyPI when missing; skipped with a message
// without python3). Each goal ends in one line: met / NOT met. Nothing here is a test: figures
// only. `--big` adds the large-file memory rows (generates ~700 MB of data in /tmp first).
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import * as tm from '../js/index.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const wasm = createRequire(import.meta.url)('../pkg/node/tidemark.js');
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const goals = [];
const goal = (text, ok) => goals.push(`${verdict(ok).padEnd(8)} ${text}`);
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// ---- the reference tools, in this same run --------------------------------------------------
function reference() {
  const venv = root + '.bench-venv';
  const py = `${venv}/bin/python`;
  if (spawnSync('python3', ['--version']).status !== 0) return { note: 'python3 not found: reference columns skipped' };
  if (!existsSync(py)) {
    console.log('installing backtesting.py 0.6.6 and vectorbt 1.2.0 into .bench-venv/ (once) ...');
    const install = () => spawnSync(`${venv}/bin/pip`, ['install', '-q', 'backtesting==0.6.6', 'vectorbt==1.2.0'], { stdio: 'inherit' }).status;
    if (spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' }).status !== 0 || install() !== 0) {
      return { note: 'could not install the reference tools from PyPI: reference columns skipped' };
    }
  }
  const r = spawnSync(py, [root + 'bench/reference.py'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return { note: `bench/reference.py failed: ${r.stderr.split('\n').filter(Boolean).at(-1)}` };
  return JSON.parse(r.stdout);
}

const csv = readFileSync(root + 'data/ohlcv/sp500.csv', 'utf8');
const spx = JSON.parse(readFileSync(root + 'data/sp500_sma_cross.json', 'utf8'));
const grid = { fast: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50], slow: [60, 80, 100, 120, 140, 160, 180, 200, 220, 240] };
const lt = ({ fast, slow }) => fast < slow;

async function bestOf(n, f) {
  let best = Infinity;
  let out;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    out = await f();
    best = Math.min(best, performance.now() - t);
  }
  return [best, out];
}

const ref = reference();
const bt = ref.backtesting_py && !ref.backtesting_py.error ? ref.backtesting_py : null;
const vbt = ref.vectorbt && !ref.vectorbt.error ? ref.vectorbt : null;
if (ref.note) console.log(ref.note);
for (const [name, r] of [['backtesting.py', ref.backtesting_py], ['vectorbt', ref.vectorbt]]) if (r?.error) console.log(`${name}: ${r.error}`);

// ---- 1. single run ----------------------------------------------------------------------------
// backtesting.py's timed `bt.run()` starts from a DataFrame read beforehand; Tidemark's like for
// like is a run over a Dataset (loadData: the CSV decoded once). The run from the CSV text,
// decoding included, is printed as well.
const loaded = await tm.loadData(spx, csv);
// The first run in this process runs wasm compiled quickly and lazily; V8 compiles the functions
// that stay hot again in its optimizing tier, in background threads, which took it 60 to 120
// runs of this backtest here (0.2-0.4 s; until then a run takes about 3.5 ms). Printed: the
// first run, the best of the next 30, and the best of 30 once at least 150 runs and 1.5 s have
// warmed it up, as backtesting.py's best of 5. (50 warm-up runs, as before, sometimes ended
// before the tier-up: 3.62 ms; so did 150 runs once on this shared machine: their best of 30
// was 3.54 ms, where the same runs in the bracket rows right after had a median of 2.29 ms.)
const warmStart = performance.now();
const [cold] = await bestOf(1, () => tm.backtest(spx, loaded));
const [early] = await bestOf(30, () => tm.backtest(spx, loaded));
for (let i = 0; i < 120 || performance.now() - warmStart < 1500; i++) await tm.backtest(spx, loaded);
const [single, report] = await bestOf(30, () => tm.backtest(spx, loaded));
const [singleFull] = await bestOf(30, async () => {
  const r = await tm.backtest(spx, loaded);
  void [r.trades, r.equity_curve, r.backtesting_py.trades];
  return r;
});
const [fromText] = await bestOf(30, () => tm.backtest(spx, csv));
const [decode] = await bestOf(30, async () => (await tm.loadData(spx, csv)).free());
const stats = report.backtesting_py.stats;
console.log('\n1. one backtest: S&P 500 daily (5,031 bars), SMA 10/20, cash 10,000, commission 0.2%, report object');
console.log(`   Tidemark (wasm in Node ${process.version})  ${fmt(single, 2)} ms   over a Dataset (${stats['# Trades']} trades, equity final ${stats['Equity Final [$]'].toFixed(2)}; ${fmt(singleFull, 2)} ms with trades and equity curve read; the first run in the process ${fmt(cold, 2)} ms, the best of the next 30 ${fmt(early, 2)} ms)`);
console.log(`   from the CSV text                      ${fmt(fromText, 2)} ms   (decoding it alone, loadData: ${fmt(decode, 2)} ms)${bt ? `  ratio ${fmt(bt.single_s * 1e3 / fromText, 1)}x` : ''}`);
if (bt) console.log(`   backtesting.py ${bt.version}              ${fmt(bt.single_s * 1e3, 2)} ms   (${bt.trades} trades, equity final ${bt.equity_final.toFixed(2)})  ratio ${fmt(bt.single_s * 1e3 / single, 1)}x`);
if (vbt) console.log(`   vectorbt ${vbt.version}                    ${fmt(vbt.single_s * 1e3, 2)} ms   (${vbt.trades} trades, final value ${vbt.equity_final.toFixed(2)})  ratio ${fmt(vbt.single_s * 1e3 / single, 1)}x`);
if (bt) goal(`single run >= 20x backtesting.py: ${fmt(bt.single_s * 1e3 / single, 1)}x (${fmt(single, 2)} ms vs ${fmt(bt.single_s * 1e3, 2)} ms)`, bt.single_s * 1e3 / single >= 20);
goal(`single run <= 2 ms via the JS API: ${fmt(single, 2)} ms`, single <= 2);

// The same run with a bracket (stop-loss 5 %, take-profit 10 %) on every entry, what #12 allows
// to cost at most 10 % more: medians of alternating blocks of 10 runs each (a best-of minimum
// rewards whichever side had one lucky run: it gave -11 % to +25 % for the same build), so each
// side runs warm and load bursts are spread over both.
const bracketed = structuredClone(spx);
Object.assign(bracketed.strategy, { stop_loss: 5, take_profit: 10 });
const [plainTimes, bracketTimes] = [[], []];
for (let r = 0; r < 20; r++) {
  for (const [config, times] of [[spx, plainTimes], [bracketed, bracketTimes]]) {
    for (let i = 0; i < 10; i++) times.push((await bestOf(1, () => tm.backtest(config, loaded)))[0]);
  }
}
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const [plainMedian, bracketMedian] = [median(plainTimes), median(bracketTimes)];
const bracketCost = (bracketMedian / plainMedian - 1) * 100;
const signed = (x) => `${x >= 0 ? '+' : ''}${fmt(x, 1)} %`;
console.log(`   with a bracket (SL 5 %, TP 10 %) on every entry: ${fmt(bracketMedian, 2)} ms against ${fmt(plainMedian, 2)} ms, medians (${signed(bracketCost)})`);
// The same two runs counted in instructions (the engine natively, under callgrind): the same
// binary gave +3 % to +19 % by wall clock on this shared machine, but counts the same
// instructions every time, so the goal is judged on those where valgrind is installed.
const counted = bracketInstructions();
if (counted) {
  console.log(`   in instructions (native engine, callgrind): ${fmt(counted.bracket / 1e6, 3)} M against ${fmt(counted.plain / 1e6, 3)} M per run (${signed(counted.cost)})`);
  console.log(`   the same over a Dataset (values checked once when loaded): ${fmt(counted.loadedBracket / 1e6, 3)} M against ${fmt(counted.loaded / 1e6, 3)} M (${signed(counted.loadedCost)})`);
  goal(`a bracket on every entry costs <= 10 % more (instructions per run): ${signed(counted.cost)}; wall clock via the JS API ${signed(bracketCost)}`, counted.cost <= 10);
} else {
  console.log('   (valgrind not found: the instruction count is skipped, the goal is judged by wall clock)');
  goal(`a bracket on every entry costs <= 10 % more (JS API, wall clock): ${signed(bracketCost)}`, bracketCost <= 10);
}

// Instructions per run of the plain and bracketed SMA runs: benches/single_run.rs repeating one
// phase 1 and 11 times, the difference over 10 (so loading and setup cancel out).
function bracketInstructions() {
  if (spawnSync('valgrind', ['--version']).status !== 0) return null;
  const built = execFileSync('cargo', ['bench', '--no-run', '--message-format=json', '--bench', 'single_run'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const exe = built.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.executable && m.target?.name === 'single_run')?.executable;
  if (!exe) return null;
  const count = (phase, repeat) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', exe], { cwd: root, encoding: 'utf8', env: { ...process.env, SINGLE_RUN_PHASE: phase, SINGLE_RUN_REPEAT: String(repeat) } });
    const m = r.stderr.match(/refs:\s+([0-9,]+)/);
    return m ? Number(m[1].replaceAll(',', '')) : Number.NaN;
  };
  const perRun = (phase) => (count(phase, 11) - count(phase, 1)) / 10;
  const plain = perRun('run');
  const bracket = perRun('bracket');
  const loaded = perRun('dataset');
  const loadedBracket = perRun('dataset-bracket');
  const cost = (bracket / plain - 1) * 100;
  return Number.isFinite(plain + bracket) ? { plain, bracket, cost, loaded, loadedBracket, loadedCost: (loadedBracket / loaded - 1) * 100 } : null;
}

// ---- 2. sweep ---------------------------------------------------------------------------------
const cores = availableParallelism();
const runs = 100;
// As backtesting.py's optimize here (maximize="Equity Final [$]"): ranked by final equity, each
// run collecting only the ranked statistics, the best run every statistic (optimize's own result:
// the best run's stats and the heatmap of the maximised one). The same sweep with every statistic
// on every row is timed too, for information.
const ranked = { constraint: lt, rankBy: 'equity_final', stats: 'ranked' };
const every = { constraint: lt, rankBy: 'equity_final' };
await tm.sweep(spx, loaded, grid, { ...ranked, workers: cores });
// Interleaved rounds, best of 15 each (a sweep takes 0.02-0.1 s): a burst of load on this shared
// machine otherwise lands on one side only, and the pooled sweep, needing every core, is the side
// it hurts (three rounds each, one side after the other, gave speed-ups from 1.22 to 1.94; best
// of 7 interleaved, 1.57 to 1.80 for one build in one hour, where the slowest pooled round took
// 26 ms against 17 ms for the fastest).
let oneThread = Infinity;
let pooled = Infinity;
let everyOne = Infinity;
let everyPooled = Infinity;
const once = async (options) => (await bestOf(1, () => tm.sweep(spx, loaded, grid, options)))[0];
for (let r = 0; r < 15; r++) {
  oneThread = Math.min(oneThread, await once({ ...ranked, workers: 1 }));
  pooled = Math.min(pooled, await once({ ...ranked, workers: cores }));
  everyOne = Math.min(everyOne, await once({ ...every, workers: 1 }));
  everyPooled = Math.min(everyPooled, await once({ ...every, workers: cores }));
}
const rate = (ms) => (runs / ms) * 1000;
// What this machine gives two threads: the same CPU-bound loop in one worker thread, then in
// `cores` at once (best of 3 each). A shared VM's cores are not whole cores: this is the ceiling
// any parallel speed-up here is measured against.
async function parallelCeiling() {
  const { Worker } = await import('node:worker_threads');
  const spin = `let x = 0; for (let i = 0; i < 12_000_000; i++) x = (x * 1103515245 + 12345) % 2147483648; require('node:worker_threads').parentPort.postMessage(x);`;
  const wall = async (k) => {
    const t = performance.now();
    await Promise.all(Array.from({ length: k }, () => new Promise((resolve, reject) => {
      const w = new Worker(spin, { eval: true });
      w.once('message', () => w.terminate().then(resolve));
      w.once('error', reject);
    })));
    return performance.now() - t;
  };
  let one = Infinity;
  let all = Infinity;
  for (let r = 0; r < 3; r++) {
    one = Math.min(one, await wall(1));
    all = Math.min(all, await wall(cores));
  }
  return (cores * one) / all;
}
// The same for this very work, timed as the sweeps above are: a one-thread sweep of the grid in one
// worker thread, then one in each of `cores` threads at once, interleaved, best of 15 each. The
// loop stresses a core's arithmetic only; a sweep also shares caches and memory with the other
// thread. Over one morning this machine's two vCPUs gave it 1.27-2.03x, hour by hour, where the
// loop gave 1.64-1.96x.
async function sweepCeiling() {
  const { Worker } = await import('node:worker_threads');
  const code = `
    const { parentPort, workerData: w } = require('node:worker_threads');
    const fs = require('node:fs');
    import(w.api).then(async (tm) => {
      const data = await tm.loadData(w.config, fs.readFileSync(w.csv, 'utf8'));
      const options = { constraint: ({ fast, slow }) => fast < slow, rankBy: 'equity_final', stats: 'ranked', workers: 1 };
      for (let i = 0; i < 5; i++) await tm.sweep(w.config, data, w.grid, options);
      parentPort.on('message', async () => {
        const t = performance.now();
        await tm.sweep(w.config, data, w.grid, options);
        parentPort.postMessage(performance.now() - t);
      });
      parentPort.postMessage('ready');
    });`;
  const workerData = { api: new URL('../js/index.mjs', import.meta.url).href, csv: root + 'data/ohlcv/sp500.csv', config: spx, grid };
  const threads = Array.from({ length: cores }, () => new Worker(code, { eval: true, workerData }));
  await Promise.all(threads.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const time = (w) => new Promise((resolve) => {
    w.once('message', resolve);
    w.postMessage('sweep');
  });
  let one = Infinity;
  let all = Infinity;
  for (let r = 0; r < 15; r++) {
    one = Math.min(one, await time(threads[0]));
    all = Math.min(all, Math.max(...(await Promise.all(threads.map(time)))));
  }
  await Promise.all(threads.map((w) => w.terminate()));
  return (cores * one) / all;
}
const ceiling = await parallelCeiling();
const sweepsCeiling = await sweepCeiling();
console.log(`\n2. sweep 10 x 10 (fast 5..50, slow 60..240, fast < slow): ${runs} runs, this machine has ${cores} cores`);
console.log(`   Tidemark, ${cores} threads (this one and ${cores - 1} worker${cores === 2 ? '' : 's'})  ${fmt(rate(pooled))} runs/s, ranked statistics (stats: 'ranked')   (one thread: ${fmt(rate(oneThread))} runs/s; speed-up ${fmt(oneThread / pooled, 2)}x)`);
console.log(`   every statistic on every row: ${fmt(rate(everyPooled))} runs/s on ${cores} threads (one thread: ${fmt(rate(everyOne))} runs/s; speed-up ${fmt(everyOne / everyPooled, 2)}x)${bt ? `; ratio ${fmt(rate(everyPooled) / (bt.sweep_runs / bt.sweep_s), 1)}x` : ''}`);
console.log(`   this machine's own ceiling: ${cores} threads of a CPU-bound loop run ${fmt(ceiling, 2)}x one thread; ${cores} one-thread sweeps at once, ${fmt(sweepsCeiling, 2)}x one`);
if (bt) console.log(`   backtesting.py optimize           ${fmt(bt.sweep_runs / bt.sweep_s, 1)} runs/s   ratio ${fmt(rate(pooled) / (bt.sweep_runs / bt.sweep_s), 1)}x`);
if (vbt) console.log(`   vectorbt (one process)            ${fmt(vbt.sweep_runs / vbt.sweep_s)} runs/s   ratio ${fmt(rate(pooled) / (vbt.sweep_runs / vbt.sweep_s), 2)}x`);
if (bt) goal(`sweep >= 100x backtesting.py optimize: ${fmt(rate(pooled) / (bt.sweep_runs / bt.sweep_s), 1)}x`, rate(pooled) / (bt.sweep_runs / bt.sweep_s) >= 100);
// Three places: at two, 1.797 printed as 1.80x beside 'NOT met'.
goal(`parallel sweep speed-up >= 1.8x over one thread on ${cores} cores: ${fmt(oneThread / pooled, 3)}x (the machine's ceiling: ${fmt(ceiling, 2)}x for a loop, ${fmt(sweepsCeiling, 2)}x for sweeps)`, oneThread / pooled >= 1.8);
// The other built-in signal strategies swept the same way, in one thread (for information): RSI
// reversion reads each RSI length computed once for the sweep, a Donchian breakout each channel's
// breakouts (one series per period); both coast between signals.
for (const [name, strategy, sweepGrid] of [
  ['rsi_reversion', { type: 'rsi_reversion', period: 14, oversold: 30, overbought: 70 }, { period: [7, 10, 14, 21], oversold: [20, 25, 30, 35, 40], overbought: [60, 65, 70, 75, 80] }],
  ['donchian_breakout', { type: 'donchian_breakout', entry_period: 20, exit_period: 10 }, { entry_period: [10, 15, 20, 25, 30, 40, 50, 60, 80, 100], exit_period: [5, 10, 15, 20, 25, 30, 40, 50, 60, 80] }],
]) {
  const config = { ...spx, strategy: { ...strategy, sizing: spx.strategy.sizing } };
  const data = await tm.loadData(config, csv);
  const rows = (options) => bestOf(5, () => tm.sweep(config, data, sweepGrid, { rankBy: 'equity_final', workers: 1, ...options }));
  const [rankedMs, best] = await rows({ stats: 'ranked' });
  const [everyMs] = await rows({});
  const perSecond = (ms) => fmt((best.length / ms) * 1000);
  console.log(`   ${name} (${best.length} runs, one thread): ${perSecond(rankedMs)} runs/s ranked, ${perSecond(everyMs)} runs/s with every statistic`);
  data.free();
}

// ---- 3. engine throughput: native vs wasm, JS hook ----------------------------------------------
const barter = JSON.parse(readFileSync(root + 'data/barter/system_config.json', 'utf8'));
for (const b of barter.executions[0].initial_state.balances) b.balance = { total: '99999999999999', free: '99999999999999' };
const configs = {
  none: { ...barter, strategy: { type: 'none' } },
  sma: { ...barter, strategy: { type: 'sma_cross', fast: 20, slow: 60, sizing: { fixed_quantity: '0.01' } } },
};
function native(mode) {
  const out = execFileSync('cargo', ['bench', '--quiet', '--bench', 'engine_throughput', '--', '--only', mode], { cwd: root, encoding: 'utf8' });
  const m = out.match(/([0-9]+) events\/s/);
  return m ? Number(m[1]) : Number.NaN;
}
function inWasm(config, n, repeats = 5, hooks = undefined) {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const run = wasm.Backtest.synthetic(config, n);
    if (hooks) run.setStrategy(hooks);
    const t0 = process.hrtime.bigint();
    run.step(n);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    run.free();
  }
  return n / best;
}
const n = 1_000_000;
console.log(`\n3. engine: native vs wasm (Node ${process.version}), 1,000,000 synthetic trade+L1 events, best of 3 x 5 runs`);
for (const [mode, label] of [['none', 'no orders'], ['sma', 'sma_cross 20/60']]) {
  // Interleaved rounds: a burst of load on a shared machine otherwise lands on one side only.
  let nat = 0;
  let w = 0;
  for (let r = 0; r < 3; r++) {
    nat = Math.max(nat, native(mode));
    w = Math.max(w, inWasm(configs[mode], n));
  }
  console.log(`   ${label.padEnd(16)} native ${fmt(nat).padStart(11)} ev/s   wasm ${fmt(w).padStart(11)} ev/s   wasm/native ${fmt(w / nat, 2)}`);
  if (mode === 'sma') goal(`wasm >= 0.75x native with the SMA cross: ${fmt(w / nat, 2)}x`, w / nat >= 0.75);
}
let calls = 0;
const hooks = tm.hooksFor({ onMarket(v) { calls++; return v.price < 0 ? { target: 'flat' } : undefined; } });
const hook = inWasm(configs.none, n, 5, hooks);
if (calls !== n * 5) throw new Error(`hook called ${calls} times, expected ${n * 5}`);
console.log(`   no-op JS hook     ${fmt(hook)} ev/s`);
goal(`no-op JS hook >= 3,000,000 events/s: ${fmt(hook)}`, hook >= 3e6);

// ---- 4. sizes ---------------------------------------------------------------------------------
console.log('\n4. wasm size');
for (const target of ['web', 'node']) {
  const bytes = readFileSync(root + `pkg/${target}/tidemark_bg.wasm`);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`   ${target.padEnd(4)} ${fmt(bytes.length)} bytes, ${fmt(gz)} gzipped (${target === 'web' ? 'opt-level z, what browsers download' : 'opt-level 3 + inlining, the build measured above'})`);
  if (target === 'web') goal(`web wasm <= 350 KB gzipped (358,400 bytes): ${fmt(gz)} bytes`, gz <= 358_400);
}

// ---- 5. memory on big files (--big) --------------------------------------------------------------
console.log('\n5. memory on big files');
if (!process.argv.includes('--big')) {
  console.log('   skipped: `npm run bench -- --big` measures peak RSS on a 263 MB barter JSON lines file and 10,000,000 bars');
} else {
  const { bigFiles } = await import('./big-files.mjs');
  for (const row of await bigFiles(root)) {
    console.log(`   ${row.label}: ${row.result}`);
    goal(row.goal, row.ok);
  }
}

console.log('\ngoals');
for (const g of goals) console.log(`   ${g}`);
