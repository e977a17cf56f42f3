// The sweep pool's scheduling (js/pool.mjs), with workers whose replies the test gives by hand,
// and the API's use of the spare work (full runs of the best rows by the workers) with workers
// running sweep-worker-core.mjs in this thread.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wasm from '../../pkg/node/tidemark.js';
import * as tm from '../../js/index.mjs';
import { bind } from '../../js/api.mjs';
import { makePool } from '../../js/pool.mjs';
import { sweepWorker } from '../../js/sweep-worker-core.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));

// Workers that record what they are sent; `reply(i, m)` answers as worker i.
function manual() {
  const workers = [];
  const pool = makePool({
    cores: () => 2,
    spawn() {
      const w = { posted: [], onMessage: null };
      workers.push(w);
      return {
        post: (m) => w.posted.push(m),
        listen(onMessage) {
          w.onMessage = onMessage;
          return () => {
            w.onMessage = null;
          };
        },
        onIdleFailure(f) {
          w.failIdle = f;
        },
        terminate() {
          w.terminated = true;
        },
      };
    },
  });
  // Each answer names the sweep of the worker's last open, as sweep-worker-core.mjs's do.
  const sweepOf = (i) => workers[i].posted.findLast((m) => m.type === 'open')?.sweep;
  return { pool, workers, reply: (i, m) => workers[i].onMessage?.({ sweep: sweepOf(i), ...m }) };
}

test('each worker gets its open and two chunks, dealt in turn; spare work goes out once before the last eighth of the runs and to a worker left idle, and the sweep waits for it', async () => {
  const { pool, workers, reply } = manual();
  const seen = [];
  const spareRows = [];
  let asked = 0;
  let resolved = false;
  const task = { config: '{}', data: 'BYTES', grid: {}, dataset: 4 };
  const chunks = Array.from({ length: 8 }, (_, k) => [k]);
  const running = pool
    .run(task, chunks, 2, {
      onChunk: (c, rows) => seen.push([c, rows]),
      spare: () => [[9], [8]][asked++],
      onSpare: (rows) => spareRows.push(rows),
    })
    .then((parts) => {
      resolved = true;
      return parts;
    });
  const types = (i) => workers[i].posted.map((m) => `${m.type}${m.chunk === undefined ? '' : ` ${m.chunk}`}${m.full ? ' full' : ''}`);
  // Rows come back as JSON text, parsed once here.
  const rows = (k) => ({ type: 'rows', chunk: k, rows: JSON.stringify([`r${k}`]) });
  // No reply awaited: each worker has its open and two chunks queued, the first chunks in turn.
  assert.deepEqual(types(0), ['open', 'run 0', 'run 2']);
  assert.deepEqual(types(1), ['open', 'run 1', 'run 3']);
  assert.equal(workers[0].posted[0].data, 'BYTES');
  reply(0, rows(0));
  reply(1, rows(1));
  reply(0, rows(2));
  assert.equal(asked, 0, 'no spare work while more than an eighth of the runs is left');
  assert.deepEqual(types(0).slice(3), ['run 4', 'run 6']);
  assert.deepEqual(types(1).slice(3), ['run 5']);
  // One run of eight left to hand out: the best rows so far go first, to the worker that asks.
  reply(1, rows(3));
  assert.equal(asked, 1);
  assert.deepEqual(types(1).slice(4), ['run -1 full']);
  assert.deepEqual(workers[1].posted.at(-1).indices, [9]);
  reply(0, rows(4));
  assert.deepEqual(types(0).slice(5), ['run 7']);
  // A worker with work still queued is not idle: no more spare work.
  reply(1, rows(5));
  reply(0, rows(6));
  assert.equal(asked, 1);
  // Worker 1 is idle while worker 0 runs the last chunk: it gets spare work again.
  reply(1, { type: 'rows', chunk: -1, rows: JSON.stringify(['full 9']) });
  assert.equal(asked, 2);
  assert.deepEqual(types(1).at(-1), 'run -1 full');
  assert.deepEqual(workers[1].posted.at(-1).indices, [8]);
  // The last chunk is in; the sweep still waits for the spare rows.
  reply(0, rows(7));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(resolved, false);
  assert.equal(asked, 2, 'no spare work once every chunk is back');
  reply(1, { type: 'rows', chunk: -1, rows: JSON.stringify(['full 8']) });
  assert.deepEqual(await running, chunks.map(([k]) => [`r${k}`]));
  assert.deepEqual(spareRows, [['full 9'], ['full 8']]);
  assert.deepEqual(
    seen.map(([c]) => c),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  assert.deepEqual(types(0).at(-1), 'close');
  // The next sweep over the same Dataset sends its id, not its bytes; another Dataset's bytes go.
  // (Each is started once the one before has settled: an idle pool opens a sweep at once.)
  pool.run(task, [[0]], 2, {});
  assert.equal(workers[0].posted.at(-2).type, 'open');
  assert.equal(workers[0].posted.at(-2).data, undefined);
  assert.equal(workers[0].posted.at(-2).dataset, 4);
  reply(0, { type: 'rows', chunk: 0, rows: '[]' });
  await new Promise((resolve) => setImmediate(resolve));
  pool.run({ ...task, dataset: 5 }, [[0]], 2, {});
  assert.equal(workers[0].posted.at(-2).data, 'BYTES');
  reply(0, { type: 'rows', chunk: 0, rows: '[]' });
  await new Promise((resolve) => setImmediate(resolve));
  // Once a worker is told a Dataset was freed, its bytes go again.
  pool.forget(5);
  pool.run({ ...task, dataset: 5 }, [[0]], 2, {});
  assert.equal(workers[0].posted.at(-2).data, 'BYTES');
});

test('a sweep opened with its chunks runs on from them: the first chunk of each worker went with its open, the second follows in turn; a cancelled one lets the next open', async () => {
  const { pool, workers, reply } = manual();
  const types = (i) => workers[i].posted.map((m) => `${m.type}${m.chunk === undefined ? '' : ` ${m.chunk}`}`);
  const task = { config: 'A' };
  const chunks = [[0, 1], [2], [3], [4], [5]];
  const opened = pool.open(task, 2, chunks);
  assert.deepEqual([types(0), types(1)], [
    ['open', 'run 0'],
    ['open', 'run 1'],
  ]);
  const seen = [];
  const running = pool.run(task, chunks, 2, { onChunk: (c) => seen.push(c) }, opened);
  assert.deepEqual([types(0), types(1)], [
    ['open', 'run 0', 'run 2'],
    ['open', 'run 1', 'run 3'],
  ]);
  for (const [i, k] of [[1, 1], [0, 0], [1, 3], [0, 2], [1, 4]]) reply(i, { type: 'rows', chunk: k, rows: JSON.stringify([`r${k}`]) });
  assert.deepEqual(await running, chunks.map((_, k) => [`r${k}`]));
  assert.deepEqual(seen, [1, 0, 3, 2, 4]);
  assert.deepEqual(types(1).slice(3), ['run 4', 'close']);
  // Opened with its first chunks, then cancelled: closed, and the next sweep opens at once.
  pool.cancel(pool.open({ config: 'B' }, 2, [[0], [1]]));
  assert.deepEqual(types(0).slice(-3), ['open', 'run 0', 'close']);
  pool.run({ config: 'C' }, [[0]], 2, {});
  assert.equal(workers[0].posted.at(-2).config, 'C');
});

test('a sweep started while another runs waits its turn; one aborted while waiting is rejected at once', async () => {
  const { pool, workers, reply } = manual();
  const first = pool.run({ config: 'A' }, [[0]], 2, {});
  const second = pool.run({ config: 'B' }, [[0]], 2, {});
  const aborting = new AbortController();
  const third = pool.run({ config: 'C' }, [[0]], 2, { signal: aborting.signal });
  await new Promise((resolve) => setImmediate(resolve));
  const opens = () => workers[0].posted.filter((m) => m.type === 'open').map((m) => m.config);
  assert.deepEqual(opens(), ['A'], 'B is not opened while A runs');
  aborting.abort(new Error('no longer wanted'));
  await assert.rejects(third, /no longer wanted/);
  reply(0, { type: 'rows', chunk: 0, rows: '["a"]' });
  assert.deepEqual(await first, [['a']]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(opens(), ['A', 'B']);
  reply(0, { type: 'rows', chunk: 0, rows: '["b"]' });
  assert.deepEqual(await second, [['b']]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(opens(), ['A', 'B'], 'the aborted sweep never opens');
});

test('two parallel sweeps started at once give the rows each gives alone', async () => {
  const data = await tm.loadData(config, sp500);
  const options = { rankBy: 'equity_final', workers: 2 };
  const grids = [
    { fast: [5, 10, 15, 20], slow: [60, 80, 100] },
    { fast: [6, 11, 16, 21], slow: [61, 81, 101] },
  ];
  const alone = [];
  for (const grid of grids) alone.push(JSON.stringify(await tm.sweep(config, data, grid, options)));
  const together = await Promise.all(grids.map((grid) => tm.sweep(config, data, grid, options)));
  assert.deepEqual(
    together.map((rows) => JSON.stringify(rows)),
    alone,
  );
  data.free();
});

test('a sweep that fails, or whose caller throws on its rows, settles; the one waiting its turn then runs on fresh workers', async () => {
  const { pool, workers, reply } = manual();
  const failing = pool.run({ config: 'A' }, [[0], [1]], 2, {});
  const next = pool.run({ config: 'B' }, [[0]], 2, {});
  reply(0, { type: 'error', error: { code: 'INTERNAL', message: 'worker out of memory', recoverable: false, details: null } });
  await assert.rejects(failing, /worker out of memory/);
  await new Promise((resolve) => setImmediate(resolve));
  // The failed sweep's workers were let go; B opens on two new ones.
  assert.equal(workers.length, 4);
  assert.deepEqual(
    workers.slice(2).map((w) => w.posted[0].config),
    ['B', 'B'],
  );
  reply(2, { type: 'rows', chunk: 0, rows: '["b"]' });
  assert.deepEqual(await next, [['b']]);
  // A caller's onChunk (its onProgress) that throws fails that sweep, not the next.
  const throwing = pool.run({ config: 'C' }, [[0], [1]], 2, {
    onChunk: () => {
      throw new Error('progress callback broke');
    },
  });
  const after = pool.run({ config: 'D' }, [[0]], 2, {});
  reply(2, { type: 'rows', chunk: 0, rows: '["c"]' });
  await assert.rejects(throwing, /progress callback broke/);
  await new Promise((resolve) => setImmediate(resolve));
  reply(workers.length - 2, { type: 'rows', chunk: 0, rows: '["d"]' });
  assert.deepEqual(await after, [['d']]);
  // An already aborted signal is refused at once, even with a sweep running.
  const running = pool.run({ config: 'E' }, [[0]], 2, {});
  await assert.rejects(pool.run({ config: 'F' }, [[0]], 2, { signal: AbortSignal.abort(new Error('gone already')) }), /gone already/);
  reply(workers.length - 2, { type: 'rows', chunk: 0, rows: '["e"]' });
  assert.deepEqual(await running, [['e']]);
  // A sweep whose set-up throws (a message that cannot be posted) fails; the pool stays usable.
  workers.at(-2).posted.push = () => {
    throw new Error('could not clone the message');
  };
  await assert.rejects(pool.run({ config: 'G' }, [[0]], 2, {}), /could not clone the message/);
  const last = pool.run({ config: 'H' }, [[0]], 2, {});
  assert.equal(workers.at(-2).posted[0].config, 'H', 'H opens at once, on fresh workers');
  reply(workers.length - 2, { type: 'rows', chunk: 0, rows: '["h"]' });
  assert.deepEqual(await last, [['h']]);
});

test('a failed spare run fails the sweep as a failed chunk does', async () => {
  const { pool, workers, reply } = manual();
  const running = pool.run({ config: '{}' }, [[0], [1], [2]], 2, { spare: () => [5] });
  reply(1, { type: 'rows', chunk: 1, rows: '[]' });
  assert.deepEqual(workers[1].posted.at(-1), { type: 'run', chunk: -1, indices: [5], full: true });
  reply(1, { type: 'error', error: { code: 'INTERNAL', message: 'spare failed', recoverable: false, details: null } });
  await assert.rejects(running, (e) => e.code === 'INTERNAL' && /spare failed/.test(e.message));
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('with `local`, this thread is one of the n: n - 1 workers open, it runs its chunks one combination a turn, and the rows come in chunk order', async () => {
  const { pool, workers, reply } = manual();
  const calls = [];
  const local = (ks, full) => {
    calls.push([ks, full]);
    return ks.map((k) => `here ${k}`);
  };
  const seen = [];
  const running = pool.run({ config: '{}' }, [[0], [1], [2, 3, 4], [5]], 2, { local, onChunk: (c) => seen.push(c) });
  assert.equal(workers.length, 1, 'one worker beside this thread');
  // The worker: its open with the first chunk, and a second queued; this thread: the third.
  assert.deepEqual(workers[0].posted.map((m) => [m.type, m.chunk]), [['open', undefined], ['run', 0], ['run', 1]]);
  assert.deepEqual(calls, [], 'nothing runs here before a yield to the host');
  await turn();
  assert.deepEqual(calls, [[[2], false]], 'one combination a turn');
  for (let i = 0; i < 4; i++) await turn();
  // Its chunk done, this thread takes the next (the worker has two in flight).
  assert.deepEqual(calls.map(([ks]) => ks), [[2], [3], [4], [5]]);
  reply(0, { type: 'rows', chunk: 0, rows: '["w0"]' });
  reply(0, { type: 'rows', chunk: 1, rows: '["w1"]' });
  assert.deepEqual(await running, [['w0'], ['w1'], ['here 2', 'here 3', 'here 4'], ['here 5']]);
  assert.deepEqual(seen.sort(), [0, 1, 2, 3]);
  assert.equal(workers[0].posted.at(-1).type, 'close');
});

test('what `local` throws fails the sweep and lets the workers go; an abort stops this thread between two runs', async () => {
  const { pool, workers } = manual();
  const boom = new Error('this thread failed');
  const failing = pool.run({ config: '{}' }, [[0], [1], [2]], 2, {
    local: () => {
      throw boom;
    },
  });
  await assert.rejects(failing, (e) => e === boom);
  assert.ok(workers[0].terminated, 'the worker was let go');
  const controller = new AbortController();
  const calls = [];
  const aborted = pool.run({ config: '{}' }, [[0], [1], [2, 3, 4]], 2, {
    signal: controller.signal,
    local: (ks) => {
      calls.push(...ks);
      if (ks[0] === 3) controller.abort(new Error('stop'));
      return [];
    },
  });
  await assert.rejects(aborted, /stop/);
  for (let i = 0; i < 3; i++) await turn();
  assert.deepEqual(calls, [2, 3], 'no run here after the abort');
});

test('this thread runs nothing once the sweep has failed: a worker that left the pool after its open, or one that failed while this thread ran a chunk', async () => {
  const { pool, workers, reply } = manual();
  const calls = [];
  const local = (ks) => {
    calls.push(...ks);
    return [];
  };
  const chunks = [[0], [1], [2, 3, 4], [5]];
  // Opened ahead of its run, and the worker exits while idle before the run: the run fails at
  // once, and deals nothing to this thread.
  const opened = pool.open({ config: '{}' }, 1, chunks);
  workers[0].failIdle();
  await assert.rejects(pool.run({ config: '{}' }, chunks, 2, { local }, opened), (e) => e.code === 'INTERNAL' && /exited/.test(e.message));
  for (let i = 0; i < 3; i++) await turn();
  assert.deepEqual(calls, [], 'no run here');
  // A worker's error while this thread is between two runs of its chunk.
  const running = pool.run({ config: '{}' }, chunks, 2, { local });
  await turn();
  assert.deepEqual(calls, [2]);
  reply(1, { type: 'error', error: { code: 'INTERNAL', message: 'worker failed', recoverable: false, details: null } });
  await assert.rejects(running, /worker failed/);
  for (let i = 0; i < 3; i++) await turn();
  assert.deepEqual(calls, [2], 'no run here after the failure');
});

// Workers running sweep-worker-core.mjs in this thread, replying a turn later; worker 0 holds each
// reply three turns, so worker 1 idles at the end. Rows of full runs get a mark, to be seen in
// the result.
function inThread() {
  const fulls = [];
  const posted = []; // per worker, the types of the messages it was sent
  const sent = []; // every message, in order
  let count = 0;
  const pool = makePool({
    cores: () => 2,
    spawn() {
      const id = count++;
      posted.push([]);
      let onMessage = null;
      let pending = Promise.resolve();
      const later = (m) => {
        pending = pending.then(async () => {
          for (let i = 0; i < (id === 0 ? 3 : 1); i++) await new Promise((resolve) => setImmediate(resolve));
          onMessage?.(m);
        });
      };
      const handle = sweepWorker(wasm, later);
      return {
        post(m) {
          if (m.full) fulls.push(...m.indices);
          posted[id].push(m.type);
          sent.push(m);
          handle(m);
        },
        listen(f) {
          const marked = (text) => JSON.stringify(JSON.parse(text).map((r) => ({ ...r, stats: { ...r.stats, mark: 'worker' } })));
          onMessage = (m) => f(m.chunk === -1 ? { ...m, rows: marked(m.rows) } : m);
          return () => {
            onMessage = null;
          };
        },
        onIdleFailure() {},
        terminate() {},
      };
    },
  });
  return { pool, fulls, posted, sent };
}

test('workers open a sweep and run its lead chunks while this thread checks it; one the check refuses is cancelled, and their answers to it are dropped', async () => {
  const { pool, posted, sent } = inThread();
  const api = bind(wasm, { pool });
  const data = await api.loadData(config, sp500);
  const grid = { fast: [5, 10, 15], slow: [20, 40] };
  // Three threads: this one and two workers.
  const options = { workers: 3, rankBy: 'equity_final' };
  // A grid value the check refuses: each worker had the open and its lead chunk (two runs)
  // before the check, then the close; what they answered is dropped (the next sweeps' rows are
  // right).
  await assert.rejects(api.sweep(config, data, { fast: [10, 'ten', 15], slow: [20, 40] }, options), (e) => e.code === 'INVALID_ARGUMENT' && /grid\.fast/.test(e.message));
  assert.deepEqual(posted, [
    ['open', 'run', 'close'],
    ['open', 'run', 'close'],
  ]);
  assert.deepEqual(sent.filter((m) => m.type === 'run').map((m) => m.indices), [
    [0, 1],
    [2, 3],
  ]);
  // A config both the check and the workers refuse: the workers' errors (answered a few turns
  // later) reach the next sweep's listeners, which drop them; that sweep gives one thread's rows.
  const bad = { ...config, strategy: { ...config.strategy, sizing: 'all of it' } };
  await assert.rejects(api.sweep(bad, data, grid, options), (e) => e.code === 'INVALID_CONFIG' || e.code === 'DECODE');
  // A constraint that throws: asked before the check, its error thrown after it; nothing opens.
  const throwing = () => {
    throw new Error('no such pair');
  };
  await assert.rejects(api.sweep(config, data, grid, { ...options, constraint: throwing }), /no such pair/);
  const rows = await api.sweep(config, data, grid, options);
  assert.deepEqual(rows, await tm.sweep(config, sp500, grid, { ...options, workers: 1 }));
  // Worker 0 (answering three turns late): the refused grid's and the bad config's open, first
  // chunk and close, then the last sweep's open, first chunk and second; the throwing
  // constraint opened nothing.
  assert.deepEqual(posted[0], ['open', 'run', 'close', 'open', 'run', 'close', 'open', 'run', 'run', 'close']);
  data.free();
});

test('a ranked sweep takes the best rows every statistic from the spare work of the workers and of this thread, never running one twice', async () => {
  const { pool, fulls } = inThread();
  // This thread's full runs (the rows' every statistic), told apart by whether the pool still
  // ran the sweep: spare work then, the best rows' own runs after.
  let pooling = false;
  const spareHere = [];
  const afterHere = [];
  const run = pool.run;
  pool.run = (...args) => {
    pooling = true;
    return run(...args).finally(() => {
      pooling = false;
    });
  };
  const counted = (s) => new Proxy(s, {
    get(t, p) {
      if (p === 'runIndices') {
        return (indices, ranked) => {
          if (!ranked) (pooling ? spareHere : afterHere).push(...indices);
          return t.runIndices(indices, ranked);
        };
      }
      const v = Reflect.get(t, p);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  const Sweep = new Proxy(wasm.Sweep, {
    construct: (T, args) => counted(new T(...args)),
    get: (T, p) => (p === 'fromDataset' ? (...args) => counted(T.fromDataset(...args)) : Reflect.get(T, p)),
  });
  const api = bind(new Proxy(wasm, { get: (t, p) => (p === 'Sweep' ? Sweep : Reflect.get(t, p)) }), { pool });
  const grid = { fast: [5, 10, 15, 20, 25, 30, 35, 40], slow: [60, 100, 140, 180, 220] };
  const all = await tm.sweep(config, sp500, grid, { workers: 1, rankBy: 'equity_final' });
  // Three threads: this one and two workers.
  const rows = await api.sweep(config, sp500, grid, { workers: 3, rankBy: 'equity_final', stats: 'ranked', complete: 2 });
  assert.ok(fulls.length + spareHere.length >= 1, 'the best rows so far ran as spare work');
  assert.deepEqual(
    rows.map((r) => r.score),
    all.map((r) => r.score),
  );
  const index = (r) => grid.slow.length * grid.fast.indexOf(r.strategy.fast) + grid.slow.indexOf(r.strategy.slow);
  for (const [i, r] of rows.slice(0, 2).entries()) {
    const { mark, ...stats } = r.stats;
    assert.deepEqual(stats, all[i].stats, `row ${i}: every statistic`);
    // A best row a worker ran in full is taken as it came (marked); one it did not is run here.
    assert.equal(mark, fulls.includes(index(r)) ? 'worker' : undefined, `row ${i}`);
  }
  // A best row run as spare work, by a worker or here, is not run again; the others are, once.
  const spare = new Set([...fulls, ...spareHere]);
  assert.equal(spare.size, fulls.length + spareHere.length, 'no row ran twice as spare work');
  assert.deepEqual(afterHere, rows.slice(0, 2).map(index).filter((k) => !spare.has(k)));
  assert.ok(rows.slice(0, 2).some((r) => spare.has(index(r))), 'at least one best row came from the spare work');
  for (const r of rows.slice(2)) assert.deepEqual(Object.keys(r.stats).sort(), [...tm.RANKED_STATISTICS].sort());
});
