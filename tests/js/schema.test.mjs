// The config's JSON Schema (generated from the Rust types) and the TypeScript made from it: both
// current, and the schema agrees with the engine on what a config is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import * as tm from '../../js/index.mjs';
import { schemaTypes } from '../../scripts/gen-types.mjs';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const ajv = () => new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const validate = ajv().compile(JSON.parse(read('schema/config.schema.json')));

test('js/schema.gen.d.ts is what scripts/gen-types.mjs makes of the schemas', async () => {
  assert.equal(read('js/schema.gen.d.ts'), await schemaTypes(), 'stale: run node scripts/gen-types.mjs');
});

test('a report as backtestJson writes it fits the report schema', async () => {
  const report = JSON.parse(await tm.backtestJson(good['the quick config'], read('data/ohlcv/sp500.csv'), { logLevel: 'off' }));
  const check = ajv().compile(JSON.parse(read('schema/report.schema.json')));
  assert.ok(check(report), JSON.stringify(check.errors?.slice(0, 3)));
  assert.equal(check({ ...report, trades: [{ ...report.trades[0], entry_price: 1225.5 }] }), false, 'decimals are written as text');
});

test('what the event and command constructors build fits the events schema', () => {
  const check = ajv().compile(JSON.parse(read('schema/events.schema.json')));
  const t = Date.UTC(2024, 0, 1);
  const built = [
    tm.market.trade({ time: t, exchange: 'binance_spot', instrument: 0, price: '1', amount: 1, side: 'buy' }),
    tm.market.candle({ time: t, exchange: 'other', instrument: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }),
    tm.market.reconnecting('binance_spot'),
    tm.account.balance({ time: t, exchange: 0, asset: 0, total: '10', free: '10' }),
    tm.command.closePositions(tm.filter.instruments(0)),
    tm.command.cancelOrders(tm.filter.none()),
  ];
  for (const value of built) assert.ok(check(value), `${JSON.stringify(value)}: ${JSON.stringify(check.errors?.slice(0, 2))}`);
  assert.equal(check({ Item: { exchange: 'binance_spot', instrument: 0, kind: { Trade: { price: '1' } } } }), false);
});

const good = {
  'the S&P 500 sample': JSON.parse(read('data/sp500_sma_cross.json')),
  "barter's example config": JSON.parse(read('data/barter/system_config.json')),
  'the quick config': { cash: 10_000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } },
  'a cross with its default lengths': { cash: 1, strategy: { type: 'ema_cross', slow: 30 } },
  'quick with engine and risk': { cash: '5000', symbol: 'BTC', quote: 'usdt', engine: { close_positions_at_end: 'last_open' }, risk: { max_drawdown: '0.2' } },
  "barter's nested backtest config": JSON.parse(read('data/barter/backtest_config.json')),
};
const bad = {
  'a typo at the top': { cash: 10_000, comission: 0.002 },
  'an unknown strategy': { cash: 1, strategy: { type: 'sma_cros', fast: 1, slow: 2 } },
  'a strategy length as text': { cash: 1, strategy: { type: 'sma_cross', fast: 'ten' } },
  'an unknown exchange': { ...good['the S&P 500 sample'], instruments: [{ ...good['the S&P 500 sample'].instruments[0], exchange: 'nyse' }] },
  'a typo in an execution': { ...good['the S&P 500 sample'], executions: [{ ...good['the S&P 500 sample'].executions[0], fees_percnt: 0.1 }] },
  'a wrong close-at-end value': { cash: 1, engine: { close_positions_at_end: 'last_close' } },
  'a fill model barter does not have': { ...good['the S&P 500 sample'], executions: [{ ...good['the S&P 500 sample'].executions[0], fill: { model: 'magic' } }] },
  'cash as an object': { cash: { amount: 5 } },
};

for (const [name, config] of Object.entries(good)) {
  test(`the schema and the engine both accept ${name}`, () => {
    assert.ok(validate(config), JSON.stringify(validate.errors));
    tm.parseConfig(config);
  });
}

for (const [name, config] of Object.entries(bad)) {
  test(`the schema and the engine both refuse ${name}`, () => {
    assert.equal(validate(config), false);
    assert.throws(() => tm.parseConfig(config), (e) => e.code === 'INVALID_CONFIG' || e.code === 'DECODE');
  });
}

test('the package ships the schemas', () => {
  const pkg = JSON.parse(read('package.json'));
  assert.ok(pkg.files.includes('schema/'));
  assert.equal(pkg.exports['./schema/*'], './schema/*');
});

test('a live system\'s snapshot and audit ticks fit the audit schema', async () => {
  const check = ajv().compile(JSON.parse(read('schema/audit.schema.json')));
  const system = await tm.System.start(read('data/sp500_sma_cross.json'), { logLevel: 'off' });
  assert.ok(check(system.snapshot()), JSON.stringify(check.errors?.slice(0, 3)));
  const [, ...rows] = read('data/ohlcv/sp500.csv').trim().split(/\r?\n/);
  const items = rows.slice(0, 400).map((line) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const [m, d, y] = date.split('/').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d)).toISOString();
    return { Item: { time_exchange: t, time_received: t, exchange: 'other', instrument: 0, kind: { Candle: { close_time: t, open, high, low, close, volume, trade_count: 0 } } } };
  });
  const ticks = [
    ...system.feed(items),
    ...system.command(tm.command.closePositions(tm.filter.none())),
    ...system.setTradingState(false),
  ];
  // Orders went out, filled, and positions closed: the ticks carry every kind of output.
  const outputs = new Set(ticks.flatMap((t) => t.outputs.map((o) => Object.keys(o)[0])));
  for (const kind of ['OrdersSent', 'PositionExited', 'TradingStateChanged']) assert.ok(outputs.has(kind), kind);
  for (const tick of ticks) assert.ok(check(tick), `tick ${tick.sequence}: ${JSON.stringify(check.errors?.slice(0, 3))}`);
  const after = system.snapshot();
  assert.ok(check(after), JSON.stringify(check.errors?.slice(0, 3)));
  assert.equal(after.sequence, ticks.at(-1).sequence);
  assert.equal(check({ ...after, sequence: 'one' }), false);
  await system.shutdownWithSummary();
});
