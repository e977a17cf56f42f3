// The live replay's market events, read by the engine's own loaders (never by a parser here):
// barter JSON (an array or JSON lines) goes to the live System as it is, which parses each item
// itself; any other format the backtest takes (OHLCV CSV, Binance klines, trades CSV) is read by
// the backtest's input path (time columns, Unix units, symbol columns, sorting) and each market
// event handed back to a recording JS strategy, whose view becomes the stream item.
// The JS API has no "data file to market events" call: see CHANGELOG (playground).

const SIDE = { 1: 'Buy', '-1': 'Sell' };

// One engine view (js/strategy.mjs) as barter's market stream item.
function itemOf(v, exchanges) {
  const time = new Date(v.time).toISOString();
  const num = (x) => (Number.isFinite(x) ? String(x) : '0');
  let kind;
  if (v.kind === 'candle') kind = { Candle: { close_time: time, open: num(v.open), high: num(v.high), low: num(v.low), close: num(v.close), volume: num(v.volume), trade_count: 0 } };
  else if (v.kind === 'trade') kind = { Trade: { id: '', price: num(v.price), amount: num(v.amount), side: SIDE[v.side] ?? 'Buy' } };
  else return null; // the CSV loaders make candles and trades only
  return { Item: { time_exchange: time, time_received: time, exchange: exchanges[v.instrument] ?? exchanges[0] ?? 'other', instrument: v.instrument, kind } };
}

/**
 * The data set `text` as the live System's market stream items, read by the engine (`tm`, the
 * JS API) for `config`; `exchanges[i]` is instrument i's exchange id.
 */
export async function replayItems(tm, config, text, exchanges, { signal } = {}) {
  const s = text.trimStart();
  if (s.startsWith('[')) return JSON.parse(s);
  if (s.startsWith('{')) return s.split(/\r?\n/).filter((x) => x.trim()).map((x) => JSON.parse(x));
  const items = [];
  const recorder = {
    id: 'replay-reader',
    onMarket(v) {
      const item = itemOf(v, exchanges);
      if (item) items.push(item);
    },
  };
  // No orders are sent, so the run only reads; its errors (line, column) are the loader's.
  await tm.backtest(config, text, { strategy: recorder, logLevel: 'off', signal });
  return items;
}
