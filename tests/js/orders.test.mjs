// Stop, trailing and bracket orders from JS: strategy hook fields, the built-in strategies'
// stop_loss / take_profit parameters, the command constructor, and their typed errors. Numbers
// are backtesting.py 0.6.6's (tests/golden/*_sma_bracket.json, scripts/golden/backtesting_py_orders.py)
// or worked out by hand on the bars below.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');

test('the built-in SMA cross with stop_loss / take_profit gives backtesting.py\'s bracket run', async () => {
  for (const name of ['sp500', 'nasdaq']) {
    const golden = JSON.parse(read(`tests/golden/${name}_sma_bracket.json`));
    const config = { cash: 10000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20, stop_loss: 5, take_profit: 10 } };
    const r = await tm.backtest(config, read(`data/ohlcv/${name}.csv`), { logLevel: 'off' });
    const stats = r.backtesting_py.stats;
    assert.equal(stats['# Trades'], golden.stats['# Trades'], name);
    for (const key of ['Equity Final [$]', 'Return [%]', 'Win Rate [%]', 'Max. Drawdown [%]', 'Sharpe Ratio', 'Commissions [$]']) {
      assert.ok(Math.abs(stats[key] - golden.stats[key]) <= 1e-6 * Math.max(1, Math.abs(golden.stats[key])), `${name} ${key}: ${stats[key]} vs ${golden.stats[key]}`);
    }
  }
});

// Daily bars as OHLCV CSV text.
const csv = (bars) => ['Date,Open,High,Low,Close,Volume', ...bars.map(([o, h, l, c], i) => `2024-01-${String(i + 1).padStart(2, '0')},${o},${h},${l},${c},1000`)].join('\n');

// One order on the first bar, nothing after; commission 0, so every price below is by hand.
async function once(bars, order) {
  let sent = false;
  const strategy = {
    id: 'once',
    onMarket() {
      if (sent) return undefined;
      sent = true;
      return order;
    },
  };
  return tm.backtest({ cash: 10000 }, csv(bars), { strategy, logLevel: 'off' });
}

const trade = (r) => r.trades.map((t) => [Number(t.entry_price), Number(t.exit_price), Number(t.size)]);

test('a stop-market entry fills at its trigger, or at the open of a bar that gaps through it', async () => {
  const order = { side: 'buy', quantity: 2, stop: 105, stopLoss: 100, takeProfit: 115 };
  // Bar 1 reaches 105 (high 106): entry at 105. Bar 2 reaches the take-profit (high 116): exit at 115.
  const reached = await once([[100, 101, 99, 100], [102, 106, 101, 104], [104, 116, 103, 115], [115, 116, 114, 115]], order);
  assert.deepEqual(trade(reached), [[105, 115, 2]]);
  // Bar 1 opens at 107, beyond the trigger: entry at the open. Bar 2 opens at 98, below the stop-loss: exit at the open.
  const gapped = await once([[100, 101, 99, 100], [107, 108, 106, 107], [98, 99, 97, 98], [98, 99, 97, 98]], order);
  assert.deepEqual(trade(gapped), [[107, 98, 2]]);
  // Never reached: no trade, the order still open at the end.
  const never = await once([[100, 101, 99, 100], [102, 104, 101, 103], [103, 104, 102, 103]], order);
  assert.deepEqual(trade(never), []);
});

test('a bracket on a market entry: the stop-loss wins when one bar reaches both exits', async () => {
  const order = { side: 'buy', quantity: 1, stopLoss: 95, takeProfit: 110 };
  // Entry at bar 1's open (100); bar 2 spans 94..111, both exits: the stop-loss (95) fills.
  const both = await once([[100, 101, 99, 100], [100, 102, 99, 101], [101, 111, 94, 100], [100, 101, 99, 100]], order);
  assert.deepEqual(trade(both), [[100, 95, 1]]);
  // Only the take-profit reached.
  const tp = await once([[100, 101, 99, 100], [100, 102, 99, 101], [101, 111, 100, 110], [110, 111, 109, 110]], order);
  assert.deepEqual(trade(tp), [[100, 110, 1]]);
});

test('bad stop and bracket fields are INVALID_ORDER naming the field, from hooks and the command constructor', async () => {
  const bars = [[100, 101, 99, 100], [100, 101, 99, 100]];
  const bad = [
    [{ side: 'buy', quantity: 1, stop: 0 }, /stop/],
    [{ side: 'buy', quantity: 1, stop: 'x' }, /stop/],
    [{ side: 'buy', quantity: 1, stopLoss: 120, takeProfit: 130 }, /stopLoss/],
    [{ side: 'buy', quantity: 1, trailing: { percent: 150 } }, /trailing/],
    [{ target: 'long', stopLoss: 90 }, /stopLoss/],
  ];
  for (const [order, field] of bad) {
    await assert.rejects(once(bars, order), (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_ORDER' && field.test(e.message), JSON.stringify(order));
  }
  // The constructor builds barter's open request with Tidemark's trigger and bracket.
  const c = tm.command.openRequests({ exchange: 0, instrument: 0, strategy: 'manual', cid: 'a', side: 'buy', type: 'limit', price: 101, quantity: 1, stop: 100, stopLoss: 95, takeProfit: 110 });
  const state = c.SendOpenRequests.One.state;
  assert.deepEqual([state.trigger, state.bracket], [{ price: '100' }, { stop_loss: '95', take_profit: '110' }]);
  assert.throws(() => tm.command.openRequests({ exchange: 0, instrument: 0, cid: 'a', side: 'buy', price: 1, quantity: 1, stop: 'soon' }), (e) => e.code === 'INVALID_ARGUMENT' || e.code === 'INVALID_ORDER');
});
