// Event and command constructors: each one round-trips through the engine's decoder unchanged,
// and bad arguments name the field.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tm from '../../js/index.mjs';

const at = { time: Date.UTC(2024, 11, 20, 19, 5, 18, 175), exchange: 'binance_spot', instrument: 0 };
const key = { exchange: 0, instrument: 1, strategy: 'manual', cid: 'c-1' };

const markets = {
  trade: tm.market.trade({ ...at, id: '42', price: '96962.51', amount: 0.00006, side: 'buy' }),
  l1: tm.market.l1({ ...at, bid: '100.5', bidAmount: '2', ask: 100.75, askAmount: 1 }),
  l1OneSided: tm.market.l1({ ...at, bid: '100.5', bidAmount: '2' }),
  candle: tm.market.candle({ ...at, time: '1999-01-04T00:00:00.000Z', open: '1229.22998', high: 1248.810059, low: '1219.099976', close: '1228.099976', volume: 877000000, tradeCount: 3 }),
  liquidation: tm.market.liquidation({ ...at, side: 'sell', price: '95000', quantity: '0.5' }),
  snapshot: tm.market.orderBook({ ...at, sequence: 7, bids: [['100', '1'], [99.5, 2]], asks: [['101', '3']] }),
  update: tm.market.orderBook({ ...at, sequence: 8, update: true, timeEngine: at.time, bids: [], asks: [['101', '0']] }),
};
const accounts = {
  balance: tm.account.balance({ exchange: 0, asset: 1, total: '1000.5', free: '900', time: at.time }),
  fill: tm.account.trade({ exchange: 0, instrument: 1, id: 't1', orderId: 'o1', time: at.time, side: 'sell', price: '101.25', quantity: '0.1', fees: '0.01', feesAsset: 1 }),
  open: tm.account.orderOpen({ ...key, side: 'buy', price: '100', quantity: '1', type: 'limit', timeInForce: 'postOnly', id: 'o1', time: at.time, filled: '0.25' }),
  cancelled: tm.account.orderCancelled({ ...key, id: 'o1', time: at.time }),
};
const commands = {
  open: tm.command.openRequests({ ...key, side: 'buy', price: '100', quantity: '1', type: 'limit', timeInForce: 'FOK' }),
  openMany: tm.command.openRequests([{ ...key, side: 'buy', price: 100, quantity: 1 }, { ...key, cid: 'c-2', side: 'sell', price: '101', quantity: '1', type: 'limit', timeInForce: 'DAY' }]),
  cancel: tm.command.cancelRequests({ ...key, id: 'o1' }),
  cancelNoId: tm.command.cancelRequests([key]),
  closeAll: tm.command.closePositions(),
  closeExchange: tm.command.closePositions(tm.filter.exchanges(0)),
  closeInstruments: tm.command.closePositions(tm.filter.instruments(0, 2)),
  cancelUnderlying: tm.command.cancelOrders(tm.filter.underlyings({ base: 0, quote: 1 })),
  cancelAll: tm.command.cancelOrders(),
};

test('every constructor round-trips through the engine unchanged (bare and as stream items)', () => {
  for (const [name, e] of Object.entries(markets)) {
    assert.deepEqual(tm.parseEvent('market', e), e, name);
    assert.deepEqual(tm.parseEvent('market', JSON.stringify(tm.market.item(e))), tm.market.item(e), `${name} item`);
  }
  assert.deepEqual(tm.parseEvent('market', tm.market.reconnecting('binance_spot')), { Reconnecting: 'binance_spot' });
  for (const [name, e] of Object.entries(accounts)) {
    assert.deepEqual(tm.parseEvent('account', e), e, name);
    assert.deepEqual(tm.parseEvent('account', tm.account.item(e)), tm.account.item(e), `${name} item`);
  }
  assert.deepEqual(tm.parseEvent('account', tm.account.reconnecting('binance_spot')), { Reconnecting: 'binance_spot' });
  for (const [name, c] of Object.entries(commands)) {
    assert.deepEqual(tm.parseEvent('command', c), c, name);
    assert.deepEqual(JSON.parse(JSON.stringify(tm.parseEvent('command', c))), c, `${name} through JSON text`);
  }
});

test('constructors write barter JSON: decimals as text, canonical times', () => {
  assert.deepEqual(markets.trade, {
    time_exchange: '2024-12-20T19:05:18.175Z', time_received: '2024-12-20T19:05:18.175Z', exchange: 'binance_spot', instrument: 0,
    kind: { Trade: { id: '42', price: '96962.51', amount: '0.00006', side: 'Buy' } },
  });
  assert.equal(markets.candle.time_exchange, '1999-01-04T00:00:00Z');
  assert.equal(tm.decimal(1e-7), '0.0000001');
  assert.equal(tm.decimal(0.1 + 0.2), '0.30000000000000004');
  assert.equal(tm.decimal(12n), '12');
  assert.equal(tm.time('2024-01-01T00:00:00.120000Z'), '2024-01-01T00:00:00.120Z');
  assert.equal(tm.time('2024-01-01T00:00:00.000001500Z'), '2024-01-01T00:00:00.000001500Z');
});

test('constructor arguments are checked and named', () => {
  const cases = [
    [() => tm.market.trade({ ...at, price: 'abc', amount: 1, side: 'buy' }), 'price'],
    [() => tm.market.trade({ ...at, price: NaN, amount: 1, side: 'buy' }), 'price'],
    [() => tm.market.trade({ ...at, price: 1, amount: 1, side: 'long' }), 'side'],
    [() => tm.market.trade({ ...at, time: 'yesterday', price: 1, amount: 1, side: 'buy' }), 'time'],
    [() => tm.market.trade({ ...at, exchange: 3, price: 1, amount: 1, side: 'buy' }), 'exchange'],
    [() => tm.market.candle({ ...at, instrument: -1, open: 1, high: 1, low: 1, close: 1 }), 'instrument'],
    [() => tm.command.openRequests({ ...key, side: 'buy', price: 1, quantity: 1, type: 'stop' }), 'type'],
    [() => tm.command.openRequests({ ...key, side: 'buy', price: 1, quantity: 1, timeInForce: 'GTX' }), 'timeInForce'],
    [() => tm.account.balance({ exchange: 0, asset: 1.5, total: 1, time: 0 }), 'asset'],
  ];
  for (const [make, field] of cases) {
    assert.throws(make, (e) => e instanceof tm.TidemarkError && e.code === 'INVALID_ARGUMENT' && e.message.startsWith(field), field);
  }
});

test('parseEvent refuses malformed input with DECODE and a bad kind with INVALID_ARGUMENT', () => {
  assert.throws(() => tm.parseEvent('market', { ...markets.trade, kind: { Trade: { price: '1' } } }), (e) => e.code === 'DECODE' && e.details.location.path === 'market');
  assert.throws(() => tm.parseEvent('command', { ClosePositions: 'Some' }), (e) => e.code === 'DECODE');
  assert.throws(() => tm.parseEvent('account', '{'), (e) => e.code === 'DECODE' && e.details.location.line === 1);
  assert.throws(() => tm.parseEvent('order', {}), (e) => e.code === 'INVALID_ARGUMENT' && e.details.field === 'kind');
});

test('constructed commands drive a live system', async () => {
  const config = {
    instruments: [{ exchange: 'binance_spot', name_exchange: 'BTCUSDT', underlying: { base: 'btc', quote: 'usdt' }, quote: 'underlying_quote', kind: 'spot' }],
    executions: [{ mocked_exchange: 'binance_spot', latency_ms: 0, fees_percent: 0, initial_state: { exchange: 'binance_spot', balances: [{ asset: 'usdt', balance: { total: 1000, free: 1000 }, time_exchange: '2024-01-01T00:00:00Z' }] } }],
    engine: { trading_state: 'Enabled' },
  };
  const system = await tm.System.start(config, { logLevel: 'off' });
  const t0 = Date.UTC(2024, 0, 1);
  system.feed(tm.market.l1({ time: t0, exchange: 'binance_spot', instrument: 0, bid: '99', bidAmount: '5', ask: '100', askAmount: '5' }));
  system.command(tm.command.openRequests({ exchange: 0, instrument: 0, cid: 'b1', side: 'buy', price: '100', quantity: '2' }));
  system.feed(tm.market.l1({ time: t0 + 1000, exchange: 'binance_spot', instrument: 0, bid: '99', bidAmount: '5', ask: '100', askAmount: '5' }));
  assert.equal(system.snapshot().state.instruments[0].position.quantity_abs, '2');
  system.command(tm.command.closePositions(tm.filter.instruments(0)));
  system.feed(tm.market.l1({ time: t0 + 2000, exchange: 'binance_spot', instrument: 0, bid: '99', bidAmount: '5', ask: '100', askAmount: '5' }));
  assert.equal(system.snapshot().state.instruments[0].position, null);
  const report = system.shutdownWithSummary();
  assert.equal(report.trades.length, 1);
  assert.equal(report.trades[0].pnl, '-2');
});
