// The live system: lifecycle, commands, audit stream, errors, and equivalence with `backtest`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');
const config = JSON.parse(read('data/sp500_sma_cross.json'));

// The S&P 500 CSV as barter market stream items (candles), as a venue adapter would produce.
function candles(limit = Infinity) {
  const [, ...rows] = read('data/ohlcv/sp500.csv').trim().split(/\r?\n/);
  return rows.slice(0, limit).map((line) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const [m, d, y] = date.split('/').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d)).toISOString().replace('.000Z', 'Z');
    return { Item: { time_exchange: t, time_received: t, exchange: 'other', instrument: 0, kind: { Candle: { close_time: t, open, high, low, close, volume, trade_count: 0 } } } };
  });
}

test('live lifecycle gives the same summary as a backtest of the same events', async () => {
  const items = candles();
  const system = await tm.System.start(config);
  const seen = [];
  const reader = (async () => {
    for await (const tick of system.audit()) seen.push(tick.sequence);
  })();
  for (let i = 0; i < items.length; i += 500) system.feed(items.slice(i, i + 500));
  const live = system.shutdownWithSummary();
  await reader;
  const batch = await tm.backtest(config, items);
  assert.deepEqual(live.summary, batch.summary);
  assert.equal(live.summary.portfolio.trades, 130);
  assert.ok(seen.length > 5031);
  assert.ok(seen.every((s, i) => i === 0 || s === seen[i - 1] + 1), 'audit sequence has no gaps');
  assert.throws(() => system.feed(items[0]), (e) => e.code === 'ENGINE_SHUTDOWN' && e.recoverable === false);
});

test('feedFrom takes an async iterable (a WebSocket adapter, say)', async () => {
  async function* source() {
    for (const item of candles(300)) yield item;
  }
  const system = await tm.System.start(config);
  await system.feedFrom(source(), { batchSize: 64 });
  const snap = system.snapshot();
  assert.equal(snap.state.instruments[0].market.last_close, candles(300)[299].Item.kind.Candle.close);
  system.shutdownWithSummary('annual252');
});

test('commands and trading state round-trip through the engine', async () => {
  const system = await tm.System.start(config);
  system.feed(candles(60));
  // Cancel any orders (none are live), then close the open position; both come back as ticks.
  const cancelled = system.command({ CancelOrders: { Instruments: { One: 0 } } });
  assert.deepEqual(cancelled[0].event, { Command: { CancelOrders: { Instruments: { One: 0 } } } });
  assert.deepEqual(cancelled[0].outputs, []);
  const closed = system.command({ ClosePositions: 'None' });
  assert.deepEqual(closed[0].event, { Command: { ClosePositions: 'None' } });
  // A position was open: the close order went out, and (zero latency) the exchange's reservation
  // of the base asset came straight back.
  assert.equal(closed[0].outputs[0].OrdersSent.origin, 'ClosePositions');
  assert.ok(closed.slice(1).every((t) => 'Account' in t.event));
  const off = system.setTradingState(false);
  assert.deepEqual(off[0].outputs[0], { TradingStateChanged: { previous: 'Enabled', current: 'Disabled', reason: 'TradingStateUpdate' } });
  assert.equal(system.snapshot().state.trading, 'Disabled');
  // A manual order goes to the simulated exchange; at the next bar's open the close (8 units) and
  // the manual buy (1 unit) both fill, leaving a new 1-unit position.
  const key = { exchange: 0, instrument: 0, strategy: 'manual', cid: 'm1' };
  const sent = system.command({ SendOpenRequests: { One: { key, state: { side: 'Buy', price: '0', quantity: '1', kind: 'Market', time_in_force: 'ImmediateOrCancel' } } } });
  assert.equal(sent[0].outputs[0].OrdersSent.opens[0].key.cid, 'm1');
  system.feed(candles(61).slice(60));
  assert.equal(system.snapshot().state.instruments[0].position.quantity_abs, '1');
  system.abort();
  assert.throws(() => system.snapshot());
});

test('bad input is refused with a typed error and the system carries on', async () => {
  const system = await tm.System.start(config);
  system.feed(candles(3));
  const before = system.snapshot();
  const bad = structuredClone(candles(4)[3]);
  bad.Item.kind.Candle.high = '1';
  assert.throws(() => system.feed(bad), (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_EVENT' && /inconsistent bar/.test(e.message));
  assert.throws(() => system.feed([candles(5)[4], bad]), (e) => e.code === 'INVALID_EVENT' && e.details.field.startsWith('[1]'));
  assert.throws(() => system.command({ Explode: true }), (e) => e.code === 'DECODE');
  assert.throws(() => system.command({ CancelOrders: { Instruments: { One: 7 } } }), (e) => e.code === 'UNKNOWN_INSTRUMENT');
  assert.throws(() => system.feedAccount({ exchange: 3, kind: { BalanceSnapshot: { asset: 0, balance: { total: '1', free: '1' }, time_exchange: '2000-01-01T00:00:00Z' } } }), (e) => e.code === 'UNKNOWN_EXCHANGE');
  assert.throws(() => system.feedAccount(tm.account.balance({ exchange: 0, asset: 9, total: '1', time: '2000-01-01T00:00:00Z' })), (e) => e.code === 'UNKNOWN_ASSET' && e.details.field.endsWith('asset'));
  assert.throws(() => system.feed(candles(1)), (e) => e.code === 'TIME_BACKWARDS' && e.recoverable);
  const zero = tm.command.openRequests({ exchange: 0, instrument: 0, cid: 'z', side: 'buy', price: '1', quantity: '0' });
  assert.throws(() => system.command(zero), (e) => e.code === 'INVALID_COMMAND' && /quantity/.test(e.details.field));
  // The batch stopped at the bad item: the good one before it was applied; nothing else changed.
  const after = system.snapshot();
  assert.equal(after.sequence, before.sequence + 1);
  assert.equal(system.shutdownWithSummary().summary.schema_version, 1);
});
