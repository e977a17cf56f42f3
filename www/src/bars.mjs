// Prices for the charts and the live replay, read from the same text the engine gets. The engine
// is the judge of the data (it refuses a bad file with line and column); this reader is lenient
// and only feeds pictures: bars from OHLCV CSV (headed or Binance klines), or per-bucket bars
// built from trades / quotes (trades CSV, barter JSON), instrument 0 only.

const NAMES = { time: /^(date|datetime|time|timestamp|open_time|opentime|open time)$/i };

/** Seconds since the epoch for a time cell: unix s/ms/µs/ns by digit count, M/D/YYYY, ISO. */
export function parseTime(cell) {
  const s = cell.trim().replace(/^"|"$/g, '');
  if (/^\d+(\.\d+)?$/.test(s)) {
    const digits = s.split('.')[0].length;
    const n = Number(s);
    return digits <= 10 ? n : digits <= 13 ? n / 1e3 : digits <= 16 ? n / 1e6 : n / 1e9;
  }
  const mdy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (mdy) return Date.UTC(+mdy[3], +mdy[1] - 1, +mdy[2], +(mdy[4] ?? 0), +(mdy[5] ?? 0), +(mdy[6] ?? 0)) / 1e3;
  // ISO without a zone is UTC for the engine (src/time.rs), not local time as Date.parse reads it.
  const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || !/\d:\d/.test(s) ? s : `${s}Z`;
  const t = Date.parse(iso.includes('T') || !iso.includes(' ') ? iso : iso.replace(' ', 'T'));
  return Number.isFinite(t) ? t / 1e3 : Number.NaN;
}

function splitCsv(line) {
  return line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
}

/** Rows of the CSV as {time (s), open, high, low, close, volume} or trades {time, price, amount}; null if not CSV. */
function readCsv(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return null;
  const first = splitCsv(lines[0]);
  const headed = first.some((c) => /[a-df-z]/i.test(c)); // letters other than an exponent's e
  const names = headed ? first.map((c) => c.toLowerCase()) : [];
  const col = (re) => names.findIndex((n) => re.test(n));
  let t;
  let o;
  let h;
  let l;
  let c;
  let v;
  let price;
  let amount;
  if (headed) {
    t = col(NAMES.time);
    if (t < 0) t = names[0] === '' ? 1 : 0;
    o = col(/^open$/);
    h = col(/^high$/);
    l = col(/^low$/);
    c = col(/^close$/);
    v = col(/^volume$/);
    price = col(/^price$/);
    amount = col(/^(amount|quantity|qty|size)$/);
  } else {
    // Binance klines: open_time, open, high, low, close, volume, ...
    [t, o, h, l, c, v] = [0, 1, 2, 3, 4, 5];
    price = -1;
  }
  const out = [];
  const bars = c >= 0 && o >= 0;
  if (!bars && price < 0) return null;
  for (let i = headed ? 1 : 0; i < lines.length; i++) {
    const cells = splitCsv(lines[i]);
    const time = parseTime(cells[t] ?? '');
    if (!Number.isFinite(time)) continue;
    if (bars) {
      const row = { time, open: +cells[o], high: +cells[h >= 0 ? h : c], low: +cells[l >= 0 ? l : c], close: +cells[c], volume: v >= 0 ? +cells[v] : 0 };
      if ([row.open, row.high, row.low, row.close].every(Number.isFinite)) out.push(row);
    } else {
      const p = +cells[price];
      if (Number.isFinite(p)) out.push({ time, price: p, amount: amount >= 0 ? +cells[amount] || 0 : 0 });
    }
  }
  return { bars, rows: out };
}

/** barter JSON (array or JSON lines): price points of instrument 0 as {time, price, amount} or candles. */
function readBarter(text) {
  let items;
  const s = text.trim();
  try {
    items = s.startsWith('[') ? JSON.parse(s) : s.split(/\r?\n/).filter((x) => x.trim()).map((x) => JSON.parse(x));
  } catch {
    return null;
  }
  const rows = [];
  let candles = true;
  for (const item of items) {
    const ev = item?.Item?.Ok ?? item?.Item ?? item;
    if (!ev || typeof ev !== 'object' || ev.instrument !== 0 || !ev.kind) continue;
    const time = parseTime(String(ev.time_exchange ?? ''));
    const k = ev.kind;
    if (k.Candle) {
      rows.push({ time: parseTime(String(k.Candle.close_time ?? ev.time_exchange)), open: +k.Candle.open, high: +k.Candle.high, low: +k.Candle.low, close: +k.Candle.close, volume: +k.Candle.volume || 0 });
      continue;
    }
    candles = false;
    if (k.Trade) rows.push({ time, price: +k.Trade.price, amount: +k.Trade.amount || 0 });
    else if (k.OrderBookL1) {
      const bid = +(k.OrderBookL1.best_bid?.price ?? Number.NaN);
      const ask = +(k.OrderBookL1.best_ask?.price ?? Number.NaN);
      const mid = Number.isFinite(bid) && Number.isFinite(ask) ? (bid + ask) / 2 : Number.isFinite(bid) ? bid : ask;
      if (Number.isFinite(mid)) rows.push({ time, price: mid, amount: 0 });
    }
  }
  return { bars: candles && rows.length > 0, rows: candles ? rows : rows.filter((r) => Number.isFinite(r.time)) };
}

// Price points grouped into at most ~2,000 bars (the chart wants one bar per time).
function bucket(points) {
  points.sort((a, b) => a.time - b.time);
  if (points.length === 0) return [];
  const span = points.at(-1).time - points[0].time;
  const steps = [1, 5, 15, 60, 300, 900, 3600, 14400, 86400, 604800];
  const size = steps.find((s) => span / s <= 2000) ?? 2592000;
  const out = [];
  for (const p of points) {
    const t = Math.floor(p.time / size) * size;
    const last = out.at(-1);
    if (last && last.time === t) {
      last.high = Math.max(last.high, p.price);
      last.low = Math.min(last.low, p.price);
      last.close = p.price;
      last.volume += p.amount;
    } else {
      out.push({ time: t, open: p.price, high: p.price, low: p.price, close: p.price, volume: p.amount });
    }
  }
  return out;
}

/**
 * Bars for the chart: sorted by time, one per time (the last row of a duplicated time wins).
 * `exact` says whether they are the data's own bars (markers and buy-and-hold line up exactly).
 */
export function chartBars(text) {
  const s = text.trimStart();
  const read = s.startsWith('[') || s.startsWith('{') ? readBarter(text) : readCsv(text);
  if (!read) return { bars: [], exact: false };
  if (!read.bars) return { bars: bucket(read.rows), exact: false };
  const rows = read.rows.slice().sort((a, b) => a.time - b.time);
  const bars = [];
  for (const r of rows) {
    if (bars.length && bars.at(-1).time === r.time) bars[bars.length - 1] = r;
    else bars.push(r);
  }
  return { bars, exact: true };
}

/** Simple moving average of the closes (NaN until `n` bars). */
export function sma(closes, n) {
  const out = new Array(closes.length).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < closes.length; i++) {
    sum += closes[i];
    if (i >= n) sum -= closes[i - n];
    if (i >= n - 1 && n > 0) out[i] = sum / n;
  }
  return out;
}

/** Exponential moving average, seeded with the SMA of the first `n` closes. */
export function ema(closes, n) {
  const out = new Array(closes.length).fill(Number.NaN);
  if (n <= 0 || closes.length < n) return out;
  const k = 2 / (n + 1);
  let e = closes.slice(0, n).reduce((a, b) => a + b, 0) / n;
  out[n - 1] = e;
  for (let i = n; i < closes.length; i++) {
    e = closes[i] * k + e * (1 - k);
    out[i] = e;
  }
  return out;
}

/**
 * Market items for a live replay, as barter stream items: barter JSON as it is (items of every
 * instrument), OHLCV rows as candles of instrument 0 on `exchange`.
 */
export function replayItems(text, exchange) {
  const s = text.trim();
  if (s.startsWith('[') || s.startsWith('{')) {
    return s.startsWith('[') ? JSON.parse(s) : s.split(/\r?\n/).filter((x) => x.trim()).map((x) => JSON.parse(x));
  }
  const read = readCsv(text);
  if (!read) return [];
  const rows = read.rows.slice().sort((a, b) => a.time - b.time);
  return rows.map((r) => {
    const time = new Date(Math.round(r.time * 1000)).toISOString();
    const kind = read.bars
      ? { Candle: { close_time: time, open: String(r.open), high: String(r.high), low: String(r.low), close: String(r.close), volume: String(r.volume || 0), trade_count: 0 } }
      : { Trade: { id: '', price: String(r.price), amount: String(r.amount || 0), side: 'Buy' } };
    return { Item: { time_exchange: time, time_received: time, exchange, instrument: 0, kind } };
  });
}
