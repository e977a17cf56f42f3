// Strategies written in JS: the view, every request form, the hooks, and every error path.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';
import smaCross from '../../examples/js/sma_cross.mjs';   // backtesting.py's SmaCross in JS

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const sp500 = read('data/ohlcv/sp500.csv');
const config = JSON.parse(read('data/sp500_sma_cross.json'));
const golden = JSON.parse(read('tests/golden/sp500_sma_cross.json'));
const quiet = { logLevel: 'off' };
const first = (n) => sp500.split('\n').slice(0, n + 1).join('\n');

test('a JS SMA cross reproduces backtesting.py on the S&P 500', async () => {
  const report = await tm.backtest(config, sp500, { ...quiet, strategy: smaCross({ fast: 10, slow: 20 }) });
  const p = report.summary.portfolio;
  assert.equal(p.trades, golden.stats['# Trades']);
  assert.ok(Math.abs(p.equity_final - golden.stats['Equity Final [$]']) <= 1e-6 * golden.stats['Equity Final [$]']);
  assert.ok(report.trades.every((t) => t.strategy === undefined || t.strategy === 'js-sma'));
});

test('the view carries the bar, the mark and the position after the event', async () => {
  const rows = sp500.split('\n').slice(1, 4).map((l) => l.split(','));
  const seen = [];
  await tm.backtest(config, first(3), {
    ...quiet,
    strategy: {
      onMarket(v) {
        seen.push({ ...v });
        return seen.length === 1 ? { side: 'buy', quantity: '2' } : undefined;
      },
    },
  });
  assert.equal(seen.length, 3);
  const [a, , c] = seen;
  assert.equal(a.kind, 'candle');
  assert.equal(a.instrument, 0);
  assert.equal(a.time, Date.UTC(1999, 0, 4));
  assert.deepEqual([a.open, a.high, a.low, a.close, a.volume], rows[0].slice(1, 5).concat(rows[0][6]).map(Number));
  assert.equal(a.price, Number(rows[0][4]), 'the mark of a bar is its close');
  assert.equal(a.position, 0);
  assert.ok(Number.isNaN(a.entryPrice));
  assert.equal(a.freeQuote, 10000);
  assert.equal(a.liveOrders, 0);
  // The market buy filled at the next bar's open: 2 units, fee 0.2%.
  const open2 = Number(rows[1][1]);
  assert.equal(c.position, 2);
  assert.equal(c.entryPrice, open2);
  assert.ok(Math.abs(c.freeQuote - (10000 - 2 * open2 * 1.002)) < 1e-9);
});

test('every request form: limit, cancel by id and all, target, list, explicit instrument', async () => {
  const cancelled = [];
  let cid;
  const strategy = {
    id: 'forms',
    onMarket(_v) {
      const n = ++this.n;
      if (n === 1) return [{ side: 'buy', quantity: 1, type: 'limit', price: '1', timeInForce: 'GTC' }, { side: 'buy', quantity: '1', type: 'limit', price: '2', instrument: 0 }];
      if (n === 2) return { cancel: 'forms-0' };
      if (n === 3) return { cancel: 'all', instrument: 'SPX' };
      if (n === 5) return { target: 'long', sizing: { fixed_quantity: '3' } };
      if (n === 7) return { target: 'flat' };
      return null;
    },
    n: 0,
    onAccount(e) {
      const k = e.kind.OrderCancelled;
      if (k) cancelled.push(k.key.cid);
      cid ??= e.kind.OrderSnapshot?.key.cid;
    },
  };
  const report = await tm.backtest(config, first(10), { ...quiet, strategy });
  assert.deepEqual(cancelled, ['forms-0', 'forms-1']);
  assert.equal(cid, 'forms-0');
  assert.equal(report.trades.length, 1);
  assert.equal(report.trades[0].size, '3');
  assert.equal(report.stats.orders_sent, 4);
  assert.equal(report.stats.cancels_sent, 2);
});

test('a hook that throws stops the backtest with STRATEGY, naming the hook and the event', async () => {
  const boom = new RangeError('indicator out of range');
  await assert.rejects(
    tm.backtest(config, first(50), { ...quiet, strategy: { onMarket(v) { if (v.time >= Date.UTC(1999, 0, 8)) throw boom; } } }),
    (e) => {
      assert.ok(e instanceof tm.TidemarkError);
      assert.equal(e.code, 'STRATEGY');
      assert.equal(e.recoverable, false);
      assert.equal(e.details.hook, 'onMarket at events[4]');
      assert.match(e.message, /indicator out of range/);
      assert.equal(e.cause, boom);
      return true;
    },
  );
});

test('bad requests are refused as INVALID_ORDER naming the request and field, none of the list applied', async () => {
  const cases = [
    [[{ side: 'buy', quantity: 1 }, { side: 'buy', quantity: 'lots' }], 'onMarket().[1].quantity'],
    [{ side: 'buy', quantity: 1, type: 'limit' }, 'onMarket().price'],
    [{ side: 'buy' }, 'onMarket().quantity'],
    [{ side: 'buy', quantity: 1, cancel: 'x' }, 'onMarket().'],
    [{ side: 'up', quantity: 1 }, 'onMarket()'],
    [{ side: 'buy', quantity: 1, qty: 2 }, 'onMarket()'],
    [{ side: 'buy', quantity: NaN }, 'onMarket().quantity'],
    [{ side: 'buy', quantity: 1, type: 'limit', price: Infinity }, 'onMarket().price'],
    [{ side: 'buy', quantity: 1, instrument: 'NOPE' }, 'onMarket().instrument'],
    [42, 'onMarket()'],
  ];
  for (const [request, field] of cases) {
    await assert.rejects(tm.backtest(config, first(3), { ...quiet, strategy: { onMarket: () => request } }), (e) => {
      assert.ok(['INVALID_ORDER', 'UNKNOWN_INSTRUMENT'].includes(e.code), `${JSON.stringify(request)}: ${e.code} ${e.message}`);
      const where = e.details.field ?? '';
      assert.ok(where.startsWith(`events[0].${field}`.replace('().[', '()[')), `${JSON.stringify(request)}: ${where}`);
      return true;
    });
  }
});

test('a request of the wrong shape is refused saying what is wrong with it', async () => {
  const cases = [
    [{ side: 'up', quantity: 1 }, /unknown variant `up`, expected one of .*`buy`/],
    [{ side: 'buy', quantity: 1, qty: 2 }, /unknown field `qty`/],
    [[{ side: 'buy', quantity: 1 }, { side: 'buy', qty: 1 }], /unknown field `qty`/],
    [42, /invalid type: integer `42`, expected an order request \(an object\) or a list of them/],
    ['buy', /invalid type: string "buy", expected an order request/],
    [{ side: 'buy', quantity: true }, /invalid type: boolean `true`, expected a decimal as a string or a number/],
    [{ side: 'buy', quantity: 1, instrument: -1 }, /invalid value: integer `-1`, expected an instrument index or name/],
    [{ side: 'buy', quantity: 1, instrument: 1.5 }, /invalid type: floating point `1.5`, expected an instrument index or name/],
  ];
  for (const [request, message] of cases) {
    await assert.rejects(tm.backtest(config, first(3), { ...quiet, strategy: { onMarket: () => request } }), (e) => {
      assert.equal(e.code, 'INVALID_ORDER', `${JSON.stringify(request)}: ${e.code} ${e.message}`);
      assert.match(e.message, message, JSON.stringify(request));
      return true;
    });
  }
  // An index, a name or nothing names the same instrument; a number, an integer or text is the
  // same decimal.
  const buyOnce = (request) => {
    let sent = false;
    return {
      onMarket: () => {
        if (sent) return undefined;
        sent = true;
        return request;
      },
    };
  };
  const runs = [];
  for (const request of [{ side: 'buy', quantity: 2 }, { side: 'buy', quantity: '2', instrument: 0 }, [{ side: 'buy', quantity: 2.0, instrument: 'SPX' }]]) {
    runs.push(await tm.backtestJson(config, first(3), { ...quiet, strategy: buyOnce(request) }));
  }
  assert.equal(runs[1], runs[0]);
  assert.equal(runs[2], runs[0]);
  assert.equal(JSON.parse(runs[0]).open_trades[0].size, '2');
});

test('a request the engine cannot honour is INVALID_ORDER naming the hook and field, not a silent no-op', async () => {
  const cases = [
    [{ target: 'short' }, 'onMarket().target', /spot/],
    [[{ target: 'flat' }, { target: 'short' }], 'onMarket()[1].target', /short on spot instrument SPX/],
    [{ target: 'long', sizing: { equity_fraction: { fraction: '0' } } }, 'onMarket().sizing.equity_fraction.fraction', /\(0, 1\]/],
    [{ target: 'long', sizing: { equity_fraction: { fraction: 1.5 } } }, 'onMarket().sizing.equity_fraction.fraction', /1\.5/],
    [{ target: 'long', sizing: { equity_fraction: { fraction: '-0.2' } } }, 'onMarket().sizing.equity_fraction.fraction', /-0\.2/],
    [{ target: 'long', sizing: { fixed_quantity: '0' } }, 'onMarket().sizing.fixed_quantity', /positive/],
    [{ target: 'long', sizing: { fixed_quantity: -3 } }, 'onMarket().sizing.fixed_quantity', /positive/],
    [{ side: 'buy', quantity: '1', sizing: { fixed_quantity: '2' } }, 'onMarket().sizing', /target/],
    [{ cancel: 'all', sizing: { fixed_quantity: '2' } }, 'onMarket().sizing', /cancel/],
    [{ target: 'long', price: '100' }, 'onMarket().price', /not a target/],
    [{ target: 'flat', type: 'limit' }, 'onMarket().type', /not a target/],
    [{ cancel: 'all', timeInForce: 'IOC' }, 'onMarket().timeInForce', /not a cancel/],
    [{ target: 'long', postOnly: true }, 'onMarket().postOnly', /not a target/],
  ];
  for (const [request, field, message] of cases) {
    const what = JSON.stringify(request);
    await assert.rejects(tm.backtest(config, first(3), { ...quiet, strategy: { onMarket: () => request } }), (e) => {
      assert.equal(e.code, 'INVALID_ORDER', `${what}: ${e.code} ${e.message}`);
      assert.equal(e.details.field, `events[0].${field}`, what);
      assert.match(e.message, message, what);
      return true;
    });
  }
  // The same from a live system's hook; the edges of the ranges are honoured.
  const sys = await tm.System.start(config, { ...quiet, strategy: { onMarket: () => ({ target: 'short' }) } });
  assert.throws(() => sys.feed(tm.market.candle({ exchange: 'other', instrument: 0, time: '2000-01-03T00:00:00Z', open: 1, high: 1, low: 1, close: 1, volume: 1 })), (e) => e.code === 'INVALID_ORDER' && /onMarket\(\)\.target/.test(e.details.field));
  sys.abort();
  const ok = await tm.backtest(config, first(3), { ...quiet, strategy: { onMarket: () => ({ target: 'long', sizing: { equity_fraction: { fraction: '1' } } }) } });
  assert.equal(ok.stats.orders_sent, 1);
});

test('a strategy object is checked before anything runs', async () => {
  for (const [strategy, what] of [[{}, 'onMarket'], [null, 'onMarket'], [{ onMarket() {}, onAccount: 3 }, 'onAccount'], [{ onMarket() {}, id: 'has space' }, 'id']]) {
    await assert.rejects(tm.backtest(config, first(3), { ...quiet, strategy }), (e) => e.code === 'INVALID_ARGUMENT' && e.message.includes(what));
  }
});

test('live system with a JS strategy: fills reach onAccount, custom closePositions, trading-disabled hook', async () => {
  const log = [];
  const strategy = {
    id: 'live',
    onMarket(v) {
      if (v.position === 0 && v.liveOrders === 0) return { side: 'buy', quantity: '1' };
      return undefined;
    },
    onAccount(e) {
      if (e.kind.Trade) log.push(`fill ${e.kind.Trade.side} ${e.kind.Trade.quantity}`);
    },
    closePositions(filter) {
      log.push(`close ${JSON.stringify(filter)}`);
      return { side: 'sell', quantity: '1', instrument: 0 };
    },
    onTradingDisabled() {
      log.push('disabled');
    },
  };
  const system = await tm.System.start(config, { ...quiet, strategy });
  const bars = sp500.split('\n').slice(1, 6).map((line) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const [m, d, y] = date.split('/').map(Number);
    return tm.market.candle({ time: Date.UTC(y, m - 1, d), exchange: 'other', instrument: 0, open, high, low, close, volume });
  });
  system.feed(bars.slice(0, 3));
  system.command(tm.command.closePositions());
  system.feed(bars[3]);
  system.setTradingState(false);
  const report = system.shutdownWithSummary();
  assert.deepEqual(log, ['fill Buy 1', 'close "None"', 'fill Sell 1', 'disabled']);
  assert.equal(report.trades.length, 1);
});

test('a throwing live hook reports STRATEGY with the ticks applied before it', async () => {
  let calls = 0;
  const system = await tm.System.start(config, { ...quiet, strategy: { onMarket() { if (++calls === 2) throw new Error('nope'); } } });
  const bars = [0, 1, 2].map((i) => tm.market.candle({ time: Date.UTC(2000, 0, 3 + i), exchange: 'other', instrument: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
  assert.throws(() => system.feed(bars), (e) => {
    assert.equal(e.code, 'STRATEGY');
    assert.equal(e.details.hook, 'onMarket at [1]');
    assert.equal(e.ticks.filter((t) => t.event.Market).length, 2, 'the first two events were applied');
    return true;
  });
  system.abort();
});

test('a hook that throws while the run closes its positions at the end fails the backtest too', async () => {
  const cfg = structuredClone(config);
  cfg.engine.close_positions_at_end = true;
  const strategy = {
    onMarket: (v) => (v.position === 0 && v.liveOrders === 0 ? { side: 'buy', quantity: '1' } : undefined),
    onAccount(e) {
      if (e.kind.Trade?.side === 'Sell') throw new Error('no exits please');
    },
  };
  await assert.rejects(tm.backtest(cfg, first(3), { ...quiet, strategy }), (e) => {
    assert.equal(e.code, 'STRATEGY');
    assert.equal(e.details.hook, 'onAccount at the end of the data');
    return true;
  });
});

test('a hook that calls back into the live system is refused, and the system carries on', async () => {
  let system;
  let calls = 0;
  const strategy = { onMarket() { if (++calls === 1) system.snapshot(); } };
  system = await tm.System.start(config, { ...quiet, strategy });
  const bar = (d) => tm.market.candle({ time: Date.UTC(2000, 0, d), exchange: 'other', instrument: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 });
  assert.throws(() => system.feed(bar(3)), (e) => {
    assert.equal(e.code, 'STRATEGY');
    assert.equal(e.cause.code, 'INVALID_ARGUMENT');
    assert.match(e.cause.message, /^snapshot: called from inside a strategy hook/);
    return true;
  });
  system.feed(bar(4));
  assert.equal(system.snapshot().state.instruments[0].market.last_close, '1');
  system.shutdownWithSummary();
});

test('a JS strategy sweep matches the built-in sweep of the same strategy', async () => {
  const grid = { fast: [5, 10], slow: [20, 40] };
  const builtIn = await tm.sweep(config, sp500, grid, { rankBy: 'return_pct' });
  const progress = [];
  const js = await tm.sweep(config, sp500, grid, {
    rankBy: 'return_pct',
    strategy: (p) => smaCross(p),
    onProgress: (x) => progress.push(x.processed),
  });
  assert.deepEqual(progress, [1, 2, 3, 4]);
  assert.deepEqual(js.map((r) => [r.strategy.fast, r.strategy.slow]), builtIn.map((r) => [r.strategy.fast, r.strategy.slow]));
  for (const [a, b] of js.map((r, i) => [r, builtIn[i]])) {
    assert.equal(a.stats.trades, b.stats.trades);
    assert.ok(Math.abs(a.stats.equity_final - b.stats.equity_final) < 1e-6);
  }
  // A combination the factory skips, one whose hook throws (kept as an error, ranked last), a bad rankBy.
  const rows = await tm.sweep(config, first(60), { fast: [5, 10, 30] }, {
    strategy: ({ fast }) => (fast === 30 ? null : fast === 10 ? { onMarket() { throw new Error('boom'); } } : smaCross({ fast, slow: 20 })),
  });
  assert.deepEqual(rows.map((r) => [r.strategy.fast, r.error === null]), [[5, true], [10, false]]);
  assert.match(rows[1].error, /boom/);
  await assert.rejects(tm.sweep(config, first(60), { fast: [5] }, { strategy: (p) => smaCross(p), rankBy: 'luck' }), (e) => e.code === 'INVALID_ARGUMENT' && /rankBy/.test(e.message));
  await assert.rejects(tm.sweep(config, first(60), { fast: [] }, { strategy: (p) => smaCross(p) }), (e) => e.code === 'INVALID_ARGUMENT' && /grid.fast/.test(e.message));
  await assert.rejects(tm.sweep(config, first(60), { fast: [5] }, { strategy: smaCross({}) }), (e) => e.code === 'INVALID_ARGUMENT' && /factory/.test(e.message));
});
