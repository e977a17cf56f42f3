// The live tab's manual orders (www/src/manual-order.mjs) go to the exchange their instrument
// trades on: with two simulated exchanges, an order on the second one's instrument fills there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tm from '../../js/index.mjs';
import { exchangesOf, manualOrder } from '../../www/src/manual-order.mjs';

const balances = (exchange) => ({ exchange, balances: [{ asset: 'usd', balance: { total: 1000, free: 1000 }, time_exchange: '2024-01-01T00:00:00Z' }] });
const config = {
  instruments: [
    { exchange: 'binance_spot', name_exchange: 'BTCUSD', underlying: { base: 'btc', quote: 'usd' }, quote: 'underlying_quote', kind: 'spot' },
    { exchange: 'kraken', name_exchange: 'XBTUSD', underlying: { base: 'btc', quote: 'usd' }, quote: 'underlying_quote', kind: 'spot' },
  ],
  executions: [
    { mocked_exchange: 'binance_spot', latency_ms: 0, fees_percent: 0, initial_state: balances('binance_spot') },
    { mocked_exchange: 'kraken', latency_ms: 0, fees_percent: 0, initial_state: balances('kraken') },
  ],
  engine: { trading_state: 'Enabled' },
};

test('a manual order on the second exchange\'s instrument is sent to that exchange and fills there', async () => {
  const exchangeOf = exchangesOf(tm.parseConfig(config));
  assert.deepEqual(exchangeOf, [0, 1]);
  const system = await tm.System.start(config, { logLevel: 'off' });
  const t0 = Date.UTC(2024, 0, 2);
  const quote = (time) => tm.market.l1({ time, exchange: 'kraken', instrument: 1, bid: '99', bidAmount: '5', ask: '100', askAmount: '5' });
  system.feed(quote(t0));
  system.command(manualOrder(tm.command, exchangeOf, { instrument: 1, side: 'buy', type: 'market', price: '100', quantity: '2' }, 1));
  system.feed(quote(t0 + 1000));
  const state = system.snapshot().state;
  assert.equal(state.instruments[1].position?.quantity_abs, '2');
  assert.equal(state.instruments[0].position, null);
  system.abort();
});

test('a manual limit, stop or trailing order rests (GTC); a market order is IOC', () => {
  const time = (order) => {
    const req = manualOrder(tm.command, [0], { side: 'buy', price: '100', quantity: '1', ...order }, 7).SendOpenRequests.One;
    return [req.key.cid, req.state.time_in_force];
  };
  assert.deepEqual(time({ type: 'market' }), ['manual-7', 'ImmediateOrCancel']);
  assert.deepEqual(time({ type: 'limit' }), ['manual-7', { GoodUntilCancelled: { post_only: false } }]);
  assert.deepEqual(time({ type: 'market', stop: '105' }), ['manual-7', { GoodUntilCancelled: { post_only: false } }]);
});
