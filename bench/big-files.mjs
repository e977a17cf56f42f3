// The large-file rows of `npm run bench -- --big`: peak RSS (from /usr/bin/time -v) of the CLI on
// 1,000,000 barter JSON lines (~267 MB) and of 10,000,000 one-minute bars (~520 MB of CSV) in wasm
// through the JS API (the CLI streams `--data FILE` into `backtestJson`), whose report is checked
// against the native build's (`examples/backtest.rs`, built in release if missing) byte for byte.
// The files are generated once into /tmp/tidemark-bench/ (deterministic, so reruns reuse them).
// `node bench/big-files.mjs` runs the rows alone.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';

const dir = '/tmp/tidemark-bench';

// Writes `n` lines from `line(i)` through a stream, waiting for drains (flat memory here too).
export async function write(path, header, n, line) {
  if (existsSync(path)) return;
  mkdirSync(dir, { recursive: true });
  const out = createWriteStream(`${path}.part`);
  if (header) out.write(`${header}\n`);
  for (let i = 0; i < n; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  spawnSync('mv', [`${path}.part`, path]);
}

// Trade and L1 events over barter's example instruments, 1 ms apart, prices on a slow wave.
export function barterLine(i) {
  const t = new Date(Date.UTC(2024, 11, 20) + i).toISOString();
  const instrument = i % 3;
  const price = (100 + 10 * Math.sin(i / 5000) + instrument).toFixed(2);
  const kind = i % 2 === 0
    ? { Trade: { id: String(i), price: Number(price), amount: 0.001 * (1 + (i % 7)), side: i % 4 === 0 ? 'Buy' : 'Sell' } }
    : { OrderBookL1: { last_update_time: t, best_bid: { price: String(Number(price) - 0.01), amount: '1.5' }, best_ask: { price: String(Number(price) + 0.01), amount: '2.5' } } };
  return JSON.stringify({ Item: { Ok: { time_exchange: t, time_received: t, exchange: 'binance_spot', instrument, kind } } });
}

// Daily bars from 1900 on (10M days run past 29,000 AD, so minutes instead: still one bar a row).
function barLine(i) {
  const t = new Date(Date.UTC(1990, 0, 1) + i * 60_000).toISOString().replace('.000Z', 'Z');
  const c = 100 + 20 * Math.sin(i / 997) + 5 * Math.sin(i / 71);
  return `${t},${(c - 0.3).toFixed(2)},${(c + 0.8).toFixed(2)},${(c - 0.9).toFixed(2)},${c.toFixed(2)},${1000 + (i % 500)}`;
}

function peakRss(args, program = process.execPath) {
  const r = spawnSync('/usr/bin/time', ['-v', program, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const kib = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  const wall = /Elapsed \(wall clock\) time.*: (\S+)/.exec(r.stderr)?.[1];
  const error = r.status === 0 ? null : r.stderr.split('\n').find((l) => /Error|error|INVALID|DECODE/.test(l)) ?? `exit ${r.status}`;
  return { mib: kib / 1024, wall, error };
}

/** Generates the files if missing and measures both rows. */
export async function bigFiles(root) {
  if (!existsSync('/usr/bin/time')) return [{ label: 'big files', result: 'skipped: /usr/bin/time not found', goal: 'big-file memory rows measured', ok: false }];
  const json = `${dir}/barter-1m.jsonl`;
  const bars = `${dir}/bars-10m.csv`;
  console.log('   generating the files (once) ...');
  await write(json, null, 1_000_000, barterLine);
  await write(bars, 'Date,Open,High,Low,Close,Volume', 10_000_000, barLine);
  const quick = `${dir}/sma-cross-quick.json`;
  writeFileSync(quick, JSON.stringify({ cash: 10000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } }));
  const cli = `${root}bin/tidemark.mjs`;
  const a = peakRss([cli, 'backtest', '--config', `${root}data/barter/system_config.json`, '--data', json, '--format', 'json', '--out', '/dev/null', '--log-level', 'off']);
  const wasmOut = `${dir}/bars-10m.wasm.json`;
  const b = peakRss([cli, 'backtest', '--config', quick, '--data', bars, '--format', 'json', '--out', wasmOut, '--log-level', 'off']);
  // The native build's report of the same run, for the equality check (not timed against wasm).
  const example = `${root}target/release/examples/backtest`;
  if (!existsSync(example)) spawnSync('cargo', ['build', '--release', '--example', 'backtest'], { cwd: root, stdio: 'inherit' });
  const n = spawnSync(example, ['--config', quick, '--data', bars, '--format', 'json'], { maxBuffer: 1 << 28 });
  const nativeText = n.status === 0 ? n.stdout.toString('utf8').trim() : null;
  const same = !b.error && nativeText !== null && readFileSync(wasmOut, 'utf8').trim() === nativeText;
  const show = (r) => (r.error ? `failed after ${r.wall} at peak RSS ${r.mib.toFixed(0)} MiB: ${r.error.trim().slice(0, 160)}` : `peak RSS ${r.mib.toFixed(0)} MiB in ${r.wall}`);
  return [
    { label: '1,000,000 barter JSON lines through the CLI', result: show(a), goal: `263 MB barter JSON lines via the CLI, peak RSS <= 300 MB: ${a.error ? 'failed' : `${a.mib.toFixed(0)} MiB`}`, ok: !a.error && a.mib <= 300 },
    { label: '10,000,000 bars in wasm (JS API, streamed)', result: show(b), goal: `10M bars in wasm, peak RSS <= 400 MB: ${b.error ? 'failed' : `${b.mib.toFixed(0)} MiB`}`, ok: !b.error && b.mib <= 400 },
    { label: '10,000,000 bars: wasm report = native report', result: same ? 'byte-identical' : nativeText === null ? `native run failed: ${n.stderr}`.slice(0, 200) : 'DIFFERENT', goal: `10M-bar report equals the native build's: ${same ? 'yes' : 'no'}`, ok: same },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL('../', import.meta.url).pathname;
  for (const row of await bigFiles(root)) console.log(`${row.ok ? 'met    ' : 'NOT met'}  ${row.label}: ${row.result}`);
}
