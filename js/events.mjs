// Constructors for every market event, account event and command, in barter's JSON (the shapes
// `parseEvent` returns unchanged). Decimals are written as strings: pass strings for exact
// values; numbers are taken by their shortest form (0.1 stays 0.1). Times take a Date, ms since
// the epoch, or RFC 3339 text.
import { TidemarkError } from './errors.mjs';

const bad = (field, message) => new TidemarkError('INVALID_ARGUMENT', `${field}: ${message}`);

/** A decimal as barter's JSON writes it (a string). */
export function decimal(x, field = 'value') {
  if (typeof x === 'string' && /^-?(\d+\.?\d*|\.\d+)$/.test(x.trim())) return x.trim();
  if (typeof x === 'bigint') return x.toString();
  if (typeof x === 'number' && Number.isFinite(x)) {
    const s = String(x);
    if (!s.includes('e')) return s;
    // Exponent form (|x| < 1e-6 or >= 1e21): write it out positionally, trailing zeros trimmed.
    const fixed = Math.abs(x) < 1 ? x.toFixed(20) : BigInt(x).toString();
    return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  }
  throw bad(field, `expected a decimal string or a finite number, got ${JSON.stringify(x) ?? String(x)}`);
}

/** A time as the engine writes it: UTC RFC 3339 with 0, 3, 6 or 9 fractional digits. */
export function time(t, field = 'time') {
  let text;
  if (t instanceof Date) text = t.toISOString();
  else if (typeof t === 'number' && Number.isFinite(t)) text = new Date(t).toISOString();
  else if (typeof t === 'string') text = t;
  else throw bad(field, `expected a Date, ms since the epoch, or RFC 3339 text, got ${JSON.stringify(t) ?? String(t)}`);
  if (Number.isNaN(Date.parse(text))) throw bad(field, `${JSON.stringify(text)} is not a date-time`);
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!m) return text; // offsets etc.: the engine parses them and writes UTC
  const digits = (m[2] ?? '').padEnd(9, '0');
  const frac = /^0+$/.test(digits) ? '' : digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits;
  return frac ? `${m[1]}.${frac}Z` : `${m[1]}Z`;
}

const SIDES = { buy: 'Buy', sell: 'Sell', Buy: 'Buy', Sell: 'Sell' };
function side(s, field = 'side') {
  const v = SIDES[s];
  if (!v) throw bad(field, `expected 'buy' or 'sell', got ${JSON.stringify(s)}`);
  return v;
}

function index(i, field) {
  if (!Number.isInteger(i) || i < 0) throw bad(field, `expected an index (a non-negative integer), got ${JSON.stringify(i)}`);
  return i;
}

function marketEvent({ time: t, timeReceived, exchange, instrument }, kind) {
  if (typeof exchange !== 'string') throw bad('exchange', `expected an exchange id such as 'binance_spot', got ${JSON.stringify(exchange)}`);
  const te = time(t, 'time');
  return { time_exchange: te, time_received: timeReceived === undefined ? te : time(timeReceived, 'timeReceived'), exchange, instrument: index(instrument, 'instrument'), kind };
}

const level = (price, amount, field) => (price === undefined || price === null ? null : { price: decimal(price, `${field}`), amount: decimal(amount ?? 0, `${field}Amount`) });
const levels = (list = [], field) => ({ levels: list.map(([p, a], i) => ({ price: decimal(p, `${field}[${i}][0]`), amount: decimal(a, `${field}[${i}][1]`) })) });

/** Market events (`MarketEvent`); `item` and `reconnecting` make stream items. */
export const market = Object.freeze({
  /** A public trade. */
  trade: (o) => marketEvent(o, { Trade: { id: String(o.id ?? ''), price: decimal(o.price, 'price'), amount: decimal(o.amount, 'amount'), side: side(o.side) } }),
  /** Best bid and ask (either may be absent). */
  l1: (o) => marketEvent(o, { OrderBookL1: { last_update_time: time(o.lastUpdateTime ?? o.time, 'lastUpdateTime'), best_bid: level(o.bid, o.bidAmount, 'bid'), best_ask: level(o.ask, o.askAmount, 'ask') } }),
  /** A bar; `time` is its close time. */
  candle: (o) => marketEvent(o, {
    Candle: { close_time: time(o.time), open: decimal(o.open, 'open'), high: decimal(o.high, 'high'), low: decimal(o.low, 'low'), close: decimal(o.close, 'close'), volume: decimal(o.volume ?? 0, 'volume'), trade_count: o.tradeCount ?? 0 },
  }),
  /** A liquidation. */
  liquidation: (o) => marketEvent(o, { Liquidation: { side: side(o.side), price: decimal(o.price, 'price'), quantity: decimal(o.quantity, 'quantity'), time: time(o.time) } }),
  /** An L2 book snapshot (or `update: true`): `bids`/`asks` as [price, amount] pairs. */
  orderBook: (o) => marketEvent(o, {
    OrderBook: { [o.update ? 'Update' : 'Snapshot']: { sequence: o.sequence ?? 0, time_engine: o.timeEngine === undefined ? null : time(o.timeEngine, 'timeEngine'), bids: levels(o.bids, 'bids'), asks: levels(o.asks, 'asks') } },
  }),
  /** A market stream item around an event. */
  item: (event) => ({ Item: event }),
  /** The market stream of an exchange is reconnecting. */
  reconnecting: (exchange) => ({ Reconnecting: exchange }),
});

const key = (o) => ({ exchange: index(o.exchange, 'exchange'), instrument: index(o.instrument, 'instrument'), strategy: String(o.strategy ?? 'manual'), cid: String(o.cid) });

const TIF = {
  GTC: { GoodUntilCancelled: { post_only: false } },
  postOnly: { GoodUntilCancelled: { post_only: true } },
  IOC: 'ImmediateOrCancel',
  FOK: 'FillOrKill',
  DAY: 'GoodUntilEndOfDay',
};
/** `{percent}` or `{distance}` → the engine's `{Percent}` / `{Distance}`. */
function trailingOffset(t, name) {
  if (t !== null && typeof t === 'object' && t.percent !== undefined && t.distance === undefined) return { Percent: decimal(t.percent, `${name}.percent`) };
  if (t !== null && typeof t === 'object' && t.distance !== undefined && t.percent === undefined) return { Distance: decimal(t.distance, `${name}.distance`) };
  throw new TidemarkError('INVALID_ARGUMENT', `${name}: expected {percent} or {distance}`);
}

function timeInForce(name, kind) {
  const t = TIF[name ?? (kind === 'Limit' ? 'GTC' : 'IOC')];
  if (!t) throw bad('timeInForce', `expected one of ${Object.keys(TIF).join(', ')}, got ${JSON.stringify(name)}`);
  return structuredClone(t);
}
function orderKind(k = 'market') {
  const v = { market: 'Market', limit: 'Limit', Market: 'Market', Limit: 'Limit' }[k];
  if (!v) throw bad('type', `expected 'market' or 'limit', got ${JSON.stringify(k)}`);
  return v;
}

/** Account events (`AccountEvent`) as a venue reports them; `exchange` is the exchange index. */
export const account = Object.freeze({
  /** A balance: `free` defaults to `total`. */
  balance: (o) => ({ exchange: index(o.exchange, 'exchange'), kind: { BalanceSnapshot: { asset: index(o.asset, 'asset'), balance: { total: decimal(o.total, 'total'), free: decimal(o.free ?? o.total, 'free') }, time_exchange: time(o.time) } } }),
  /** A fill of one of our orders; `fees` in `feesAsset` (default the quote). */
  trade: (o) => ({
    exchange: index(o.exchange, 'exchange'),
    kind: {
      Trade: {
        id: String(o.id), order_id: String(o.orderId), instrument: index(o.instrument, 'instrument'), strategy: String(o.strategy ?? 'manual'), time_exchange: time(o.time), side: side(o.side),
        price: decimal(o.price, 'price'), quantity: decimal(o.quantity, 'quantity'), fees: { asset: o.feesAsset === undefined ? null : index(o.feesAsset, 'feesAsset'), fees: decimal(o.fees ?? 0, 'fees') },
      },
    },
  }),
  /** An order as the venue holds it, open with `id` and `filled` (default 0). */
  orderOpen: (o) => {
    const kind = orderKind(o.type);
    return {
      exchange: index(o.exchange, 'exchange'),
      kind: { OrderSnapshot: { key: key(o), side: side(o.side), price: decimal(o.price, 'price'), quantity: decimal(o.quantity, 'quantity'), kind, time_in_force: timeInForce(o.timeInForce, kind), state: { Active: { Open: { id: String(o.id), time_exchange: time(o.time), filled_quantity: decimal(o.filled ?? 0, 'filled') } } } } },
    };
  },
  /** A cancel confirmed by the venue. */
  orderCancelled: (o) => ({ exchange: index(o.exchange, 'exchange'), kind: { OrderCancelled: { key: key(o), state: { Ok: { id: String(o.id), time_exchange: time(o.time) } } } } }),
  /** An account stream item around an event. */
  item: (event) => ({ Item: event }),
  /** The account stream of an exchange is reconnecting. */
  reconnecting: (exchange) => ({ Reconnecting: exchange }),
});

const oneOrMany = (xs, make) => (Array.isArray(xs) ? { Many: xs.map(make) } : { One: make(xs) });

/** Instrument filters for `closePositions` and `cancelOrders` (indices from the config). */
export const filter = Object.freeze({
  /** Every instrument. */
  none: () => 'None',
  /** Instruments of these exchanges. */
  exchanges: (...ex) => ({ Exchanges: oneOrMany(ex.length === 1 ? ex[0] : ex, (e) => index(e, 'exchanges')) }),
  /** These instruments. */
  instruments: (...ins) => ({ Instruments: oneOrMany(ins.length === 1 ? ins[0] : ins, (i) => index(i, 'instruments')) }),
  /** Instruments with these underlyings (`{base, quote}` asset indices). */
  underlyings: (...us) => ({ Underlyings: oneOrMany(us.length === 1 ? us[0] : us, (u) => ({ base: index(u.base, 'base'), quote: index(u.quote, 'quote') })) }),
});

/** Commands (`Command`); they bypass risk. */
export const command = Object.freeze({
  /** Open orders: `{exchange, instrument, strategy?, cid, side, quantity, price, type?, timeInForce?}` or an array. */
  openRequests: (orders) => ({
    SendOpenRequests: oneOrMany(orders, (o) => {
      const kind = orderKind(o.type);
      const state = { side: side(o.side), price: decimal(o.price, 'price'), quantity: decimal(o.quantity, 'quantity'), kind, time_in_force: timeInForce(o.timeInForce, kind) };
      // Stop, trailing and bracket fields (omitted when absent: barter's shape).
      const trigger = {};
      if (o.stop !== undefined) trigger.price = decimal(o.stop, 'stop');
      if (o.trailing !== undefined) trigger.trailing = trailingOffset(o.trailing, 'trailing');
      if (Object.keys(trigger).length) state.trigger = trigger;
      const bracket = {};
      if (o.stopLoss !== undefined) bracket.stop_loss = decimal(o.stopLoss, 'stopLoss');
      if (o.takeProfit !== undefined) bracket.take_profit = decimal(o.takeProfit, 'takeProfit');
      if (o.trailingStop !== undefined) bracket.trailing_stop = { Percent: decimal(o.trailingStop, 'trailingStop') };
      if (Object.keys(bracket).length) state.bracket = bracket;
      return { key: key(o), state };
    }),
  }),
  /** Cancel orders by key: `{exchange, instrument, strategy?, cid, id?}` or an array. */
  cancelRequests: (orders) => ({ SendCancelRequests: oneOrMany(orders, (o) => ({ key: key(o), state: { id: o.id === undefined ? null : String(o.id) } })) }),
  /** Close positions of the filtered instruments (default all). */
  closePositions: (f = filter.none()) => ({ ClosePositions: f }),
  /** Cancel the orders of the filtered instruments (default all). */
  cancelOrders: (f = filter.none()) => ({ CancelOrders: f }),
});
