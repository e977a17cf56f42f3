// barter 0.14 (its Engine + MockExchange, in lockstep) against Tidemark on the same stream, config
// and strategy: Tidemark with `fill.model: "barter_mock"` should reproduce barter's PnL exactly;
// Tidemark's default fill model (the next observation) shows the difference issue #9 §6 quotes.
//
//   node bench/barter-lockstep.mjs [--data example|barter50k|1m|FILE]... [--n N] [--qty Q]
//
// Default: barter's small example (21 trades, 3 reconnects; N defaults to 2 there), barter's own
// 50,000-line trades + L1 capture from the crate's examples/data (`barter50k`), then the 1M-event
// three-pair stream (bench/big-files.mjs's generator, written once to
// /tmp/tidemark-bench/barter-1m.jsonl); N defaults to 100 on those. Full JSON per data set in
// /tmp/barter-cmp/<label>.json, barter's fills in /tmp/barter-cmp/<label>.barter-fills.jsonl.
// The barter side is bench/barter-lockstep/ (its own Cargo project, built here in release if
// missing). Strategy, identical in both: per instrument, count market events; on every N-th, if
// a trade of that instrument was seen, a market IOC order of Q at the last trade price,
// alternating buy, sell, buy, ... Balances are barter's bench's (99999999999999 of each asset), so
// no order is refused by either (barter's mock debits the quote asset on sells: PR #224).

import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../js/index.mjs';
import { barterLine, write } from './big-files.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const harness = `${root}bench/barter-lockstep/`;
const binary = `${harness}target/release/barter-lockstep`;
const dir = '/tmp/tidemark-bench';
const work = '/tmp/barter-cmp';
mkdirSync(work, { recursive: true });

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i < 0 ? dflt : argv[i + 1];
};
const datas = argv.flatMap((a, i) => (argv[i - 1] === '--data' ? [a] : []));

// Exact decimal text arithmetic (sums of the engines' decimal strings).
function dec(s) {
  const [i, f = ''] = String(s).split('.');
  return { v: BigInt(i + f), s: f.length };
}
function add(a, b) {
  const s = Math.max(a.s, b.s);
  return { v: a.v * 10n ** BigInt(s - a.s) + b.v * 10n ** BigInt(s - b.s), s };
}
function text({ v, s }) {
  const neg = v < 0n;
  let d = (neg ? -v : v).toString().padStart(s + 1, '0');
  if (s > 0) d = `${d.slice(0, -s)}.${d.slice(-s)}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + d;
}
const sum = (xs) => text(xs.map(dec).reduce(add, { v: 0n, s: 0 }));
const rel = (a, b) => (Number(a) === Number(b) ? 0 : (Number(a) - Number(b)) / Math.abs(Number(b)));

function configs() {
  const base = JSON.parse(readFileSync(`${root}data/barter/system_config.json`, 'utf8'));
  for (const b of base.executions[0].initial_state.balances) b.balance = { total: 99999999999999, free: 99999999999999 };
  // barter's own capture (barter50k) has 12,523 events up to 975 ms older than the newest: barter
  // takes them in file order (its clock ignores older times), Tidemark refuses them unless tolerated.
  base.engine = { time_tolerance_ms: 60000 };
  const mock = structuredClone(base);
  mock.executions[0].fill = { model: 'barter_mock' };
  const paths = { barter_mock: `${work}/config-barter_mock.json`, default: `${work}/config-default.json` };
  writeFileSync(paths.barter_mock, JSON.stringify(mock, null, 2));
  writeFileSync(paths.default, JSON.stringify(base, null, 2));
  return { paths, mock, base };
}

function runBarter(config, data, n, qty, fills) {
  if (!existsSync(binary)) {
    const b = spawnSync('cargo', ['build', '--release'], { cwd: harness, stdio: 'inherit', env: { ...process.env, CARGO_TARGET_DIR: `${harness}target` } });
    if (b.status !== 0) throw new Error('building bench/barter-lockstep failed');
  }
  const r = spawnSync(binary, ['--config', config, '--data', data, '--n', String(n), '--qty', qty, '--fills', fills], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`barter-lockstep failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

function strategy(n, qty, fills) {
  const events = [];
  const last = [];
  const orders = [];
  return {
    id: 'lockstep',
    onMarket(v) {
      const i = v.instrument;
      events[i] = (events[i] ?? 0) + 1;
      const c = events[i];
      // After a trade the mark is that trade's price (exact decimal text through String()).
      if (v.kind === 'trade') last[i] = v.price;
      if (c % n !== 0 || last[i] === undefined) return undefined;
      const k = orders[i] ?? 0;
      orders[i] = k + 1;
      return { side: k % 2 === 0 ? 'buy' : 'sell', quantity: qty, type: 'market', price: String(last[i]), timeInForce: 'IOC' };
    },
    onAccount(e) {
      const t = e.kind.Trade;
      if (t) fills.push({ instrument: t.instrument, side: t.side, price: t.price, quantity: t.quantity, fee: t.fees.fees });
    },
    orders,
  };
}

async function runTidemark(config, data, n, qty) {
  const fills = [];
  const s = strategy(n, qty, fills);
  const t0 = performance.now();
  const report = await tm.backtest(config, createReadStream(data), { strategy: s, logLevel: 'off' });
  const secs = (performance.now() - t0) / 1000;
  const instruments = {};
  for (const [name, ts] of Object.entries(report.summary.instruments)) instruments[name] = { pnl: ts.pnl, pnl_open: ts.pnl_open };
  const pnls = Object.values(instruments).map((x) => x.pnl);
  return {
    engine: 'tidemark', orders: s.orders.reduce((a, b) => a + b, 0), fills: fills.length, fillList: fills,
    pnl_total: sum(pnls), fees: sum(fills.map((f) => f.fee)), instruments,
    pnl_open_total: sum(Object.values(instruments).map((x) => x.pnl_open)),
    events: report.stats?.events ?? report.stats?.market_events, run_s: secs,
  };
}

const same = (a, b) => a.instrument === b.instrument && a.side === b.side && dec(a.price).v * 10n ** BigInt(Math.max(0, dec(b.price).s - dec(a.price).s)) === dec(b.price).v * 10n ** BigInt(Math.max(0, dec(a.price).s - dec(b.price).s))
  && Number(a.quantity) === Number(b.quantity) && text(dec(a.fee)) === text(dec(b.fee)) && text(dec(a.price)) === text(dec(b.price));

function firstDivergence(b, t) {
  // Per instrument, fills in order (the engines may interleave instruments differently).
  const by = (xs) => {
    const m = {};
    for (const f of xs) {
      m[f.instrument] ??= [];
      m[f.instrument].push(f);
    }
    return m;
  };
  const bb = by(b);
  const tt = by(t);
  for (const i of new Set([...Object.keys(bb), ...Object.keys(tt)])) {
    const x = bb[i] ?? [];
    const y = tt[i] ?? [];
    for (let k = 0; k < Math.max(x.length, y.length); k++) {
      if (!x[k] || !y[k] || !same(x[k], y[k])) return { instrument: Number(i), fill: k, barter: x[k] ?? null, tidemark: y[k] ?? null };
    }
  }
  return null;
}

async function compare(label, data, n, qty) {
  const { paths } = configs();
  const barterFills = `${work}/${label}.barter-fills.jsonl`;
  const b = runBarter(paths.barter_mock, data, n, qty, barterFills);
  const bFills = readFileSync(barterFills, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const m = await runTidemark(readFileSync(paths.barter_mock, 'utf8'), data, n, qty);
  const d = await runTidemark(readFileSync(paths.default, 'utf8'), data, n, qty);
  const div = firstDivergence(bFills, m.fillList);
  const out = {
    data: label, events: b.events, n, qty,
    barter: { pnl_total: String(b.pnl_total), fees: String(b.fees), fills: b.fills, orders: b.orders, pnl_open_realised: String(b.pnl_open_realised), events_per_s: Math.round(b.events_per_s), events_per_s_with_parse: Math.round(b.events / (b.read_s + b.run_s)), run_s: b.run_s, read_s: b.read_s, instruments: b.instruments },
    tidemark_barter_mock: { pnl_total: m.pnl_total, fees: m.fees, fills: m.fills, orders: m.orders, pnl_open: m.pnl_open_total, events_per_s: Math.round(b.events / m.run_s), run_s: m.run_s, instruments: m.instruments },
    tidemark_default: { pnl_total: d.pnl_total, fees: d.fees, fills: d.fills, orders: d.orders, pnl_open: d.pnl_open_total, events_per_s: Math.round(b.events / d.run_s), run_s: d.run_s, instruments: d.instruments },
    barter_mock_vs_barter: { equal: m.pnl_total === text(dec(b.pnl_total)), relative_difference: rel(m.pnl_total, b.pnl_total), first_diverging_fill: div },
    default_vs_barter: { relative_difference: rel(d.pnl_total, b.pnl_total) },
  };
  const full = `${work}/${label}.json`;
  writeFileSync(full, JSON.stringify(out, null, 2));
  const pct = (x) => `${(100 * x).toFixed(4)} %`;
  const eps = (x) => `${Math.round(x).toLocaleString('en-US')} events/s`;
  console.log(`== ${label}: ${b.events} events, every ${n}th event per instrument, quantity ${qty} (full JSON: ${full})`);
  console.log(`barter 0.14 lockstep        PnL ${b.pnl_total}  fees ${b.fees}  fills ${b.fills}  ${eps(b.events_per_s)} (engine; ${eps(out.barter.events_per_s_with_parse)} with JSON parsing)`);
  console.log(`Tidemark barter_mock        PnL ${m.pnl_total}  fees ${m.fees}  fills ${m.fills}  ${eps(b.events / m.run_s)} (JS API, JS strategy, streamed text)`);
  console.log(`  vs barter: ${out.barter_mock_vs_barter.equal ? 'EQUAL' : 'DIFFERENT'} (relative ${pct(out.barter_mock_vs_barter.relative_difference)}); first diverging fill: ${JSON.stringify(div)}`);
  console.log(`Tidemark default (next obs) PnL ${d.pnl_total}  fees ${d.fees}  fills ${d.fills}  ${eps(b.events / d.run_s)}`);
  console.log(`  vs barter: relative ${pct(out.default_vs_barter.relative_difference)}`);
  return out;
}

const n = Number(opt('--n', '0'));
const qty = opt('--qty', '0.01');
const runs = datas.length ? datas : ['example', 'barter50k', '1m'];
for (const which of runs) {
  if (which === 'example') {
    await compare('example', `${root}data/barter/binance_spot_market_data_with_disconnect_events.json`, n || 2, qty);
  } else if (which === '1m') {
    const path = `${dir}/barter-1m.jsonl`;
    await write(path, null, 1_000_000, barterLine);
    await compare('1m', path, n || 100, qty);
  } else if (which === 'barter50k') {
    // barter's own trades + L1 capture (50,000 lines), shipped in the crate's examples/data.
    const reg = `${process.env.CARGO_HOME ?? `${process.env.HOME}/.cargo`}/registry/src`;
    const idx = readdirSync(reg).map((d) => `${reg}/${d}/barter-0.14.0/examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json`).find(existsSync);
    if (!idx) throw new Error('barter-0.14.0 is not in the cargo registry: build bench/barter-lockstep first');
    await compare('barter50k', idx, n || 100, qty);
  } else {
    await compare(which.split('/').pop(), which, n || 100, qty);
  }
}
