// Strategies written in JS: the adapter the engine calls (see src/wasm/strategy.rs). The engine
// passes each market event as plain numbers; the adapter writes them into one reused view object,
// so a trivial hook costs no allocation per event.
import { TidemarkError } from './errors.mjs';

const KINDS = ['trade', 'l1', 'candle', 'liquidation', 'book'];
const OPTIONAL = [['onAccount', 1], ['onTradingDisabled', 2], ['onDisconnect', 4], ['closePositions', 8]];

/**
 * Wraps a user's strategy object for the engine. The object has `onMarket(view)` and optionally
 * `id`, `onAccount(event)`, `onTradingDisabled()`, `onDisconnect(exchange)`,
 * `closePositions(filter)` (barter's hooks). Each hook returns nothing, one request or an array:
 * `{side, quantity, type?, price?, timeInForce?, postOnly?, instrument?}`, `{cancel: cid | 'all'}`
 * or `{target: 'long' | 'flat' | 'short', sizing?}`.
 */
export function hooksFor(strategy) {
  if (strategy === null || typeof strategy !== 'object' || typeof strategy.onMarket !== 'function') {
    throw new TidemarkError('INVALID_ARGUMENT', 'strategy: expected an object with an onMarket(view) method');
  }
  let defined = 0;
  for (const [name, bit] of OPTIONAL) {
    const hook = strategy[name];
    if (hook === undefined) continue;
    if (typeof hook !== 'function') throw new TidemarkError('INVALID_ARGUMENT', `strategy.${name}: expected a function`);
    defined |= bit;
  }
  const id = strategy.id ?? 'js';
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) {
    throw new TidemarkError('INVALID_ARGUMENT', `strategy.id: expected 1-64 letters, digits or _.:-, got ${JSON.stringify(id)}`);
  }
  // One object, rewritten per event: copy what you keep.
  const view = {
    kind: 'trade', instrument: 0, time: 0, price: NaN,
    amount: NaN, side: 0, bid: NaN, bidAmount: NaN, ask: NaN, askAmount: NaN,
    open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN,
    position: 0, entryPrice: NaN, liveOrders: 0, freeQuote: NaN,
  };
  return {
    id,
    defined,
    market(kind, instrument, time, price, a, b, c, d, e, position, entryPrice, liveOrders, freeQuote) {
      view.kind = KINDS[kind];
      view.instrument = instrument;
      view.time = time;
      view.price = price;
      switch (kind) {
        case 0: case 3: view.amount = b; view.side = c; break;
        case 1: view.bid = a; view.bidAmount = b; view.ask = c; view.askAmount = d; break;
        case 2: view.open = a; view.high = b; view.low = c; view.close = d; view.volume = e; break;
        default: view.bid = a; view.ask = b;
      }
      view.position = position;
      view.entryPrice = entryPrice;
      view.liveOrders = liveOrders;
      view.freeQuote = freeQuote;
      return strategy.onMarket(view);
    },
    account: (event) => strategy.onAccount(event),
    tradingDisabled: () => strategy.onTradingDisabled(),
    disconnect: (exchange) => strategy.onDisconnect(exchange),
    closePositions: (filter) => strategy.closePositions(filter),
  };
}
