// The price chart's level of detail: the worker sends every bar (columns); the chart holds at
// most a few thousand at a time, since lightweight-charts' paint cost grows with the candles in
// view (20,000 in view: about 400 ms a frame). Zoomed out, consecutive bars are merged into at
// most OVERVIEW candles; zoomed in to at most DETAIL bars in view, the chart holds the real bars
// around the view. A view is `{from, to, k}`: bar indices [from, to), k bars per candle (groups
// aligned to multiples of k, so a candle's time never depends on the window).

/** Up to this many bars the chart holds them all, as they are. */
export const FULL = 5500;
/**
 * Zoomed out, the whole series in at most this many candles (2-3 px each on a desktop chart;
 * the chart's frame drawing 1,000 of them took 35-45 ms of script in software raster).
 */
export const OVERVIEW = 500;
/** Zoomed in to at most this many bars in view, the chart holds the real ones. */
export const DETAIL = 1000;

/** The overview of `n` bars: everything, merged when there are more than FULL. */
export function overview(n) {
  return { from: 0, to: n, k: n <= FULL ? 1 : Math.ceil(n / OVERVIEW) };
}

/** The detail window around real bars [a, b) (one view's width either side), or null when too wide. */
export function detail(n, a, b) {
  const span = b - a;
  if (n <= FULL || span > DETAIL) return null;
  return { from: Math.max(0, Math.floor(a - span)), to: Math.min(n, Math.ceil(b + span)), k: 1 };
}

/** The candles of `view` from the columns `c` (time, open, high, low, close). */
export function candles(c, { from, to, k }) {
  const out = [];
  for (let g = Math.floor(from / k) * k; g < to; g += k) {
    const last = Math.min(to, g + k) - 1;
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = g; i <= last; i++) {
      if (c.high[i] > hi) hi = c.high[i];
      if (c.low[i] < lo) lo = c.low[i];
    }
    out.push({ time: c.time[g], open: c.open[g], high: hi, low: lo, close: c.close[last] });
  }
  return out;
}

/** A line's points for `view`: each candle's time, the value at its last bar (gaps while warming up). */
export function points(time, values, { from, to, k }) {
  const out = [];
  for (let g = Math.floor(from / k) * k; g < to; g += k) {
    const v = values[Math.min(to, g + k) - 1];
    out.push(Number.isFinite(v) ? { time: time[g], value: v } : { time: time[g] });
  }
  return out;
}

// The first index with a[i] >= x (a sorted).
function lowerBound(a, x) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The markers (`{index, kind}` columns, sorted by bar index) on real bars [a, b) placed on the
 * candles of `view` (one per candle and kind), or `{count}` alone when more than `max`.
 */
export function markersIn(m, time, { k }, a, b, max) {
  const i0 = lowerBound(m.index, a);
  const i1 = lowerBound(m.index, b);
  if (i1 - i0 > max) return { count: i1 - i0, list: null };
  const list = [];
  const seen = new Set();
  for (let i = i0; i < i1; i++) {
    const g = Math.floor(m.index[i] / k) * k;
    const key = g * 4 + m.kind[i];
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({ time: time[g], kind: m.kind[i] });
  }
  list.sort((x, y) => x.time - y.time);
  return { count: i1 - i0, list };
}
