// The charts (lightweight-charts, bundled): price bars with entry/exit markers and the
// strategy's averages; equity with buy-and-hold and a drawdown pane below.
import { FULL, candles as candlesOf, detail, markersIn, overview, points } from './price-detail.mjs';
import { afterFrame, nextTask } from './dom.mjs';
import { createChart, CandlestickSeries, LineSeries, AreaSeries, createSeriesMarkers, LineStyle } from 'lightweight-charts';

const THEME = {
  // The logo is injected as inline SVG markup, which the page's CSP (no inline styles) refuses;
  // the attribution is in the page's footer instead, as the library's NOTICE asks.
  layout: { background: { color: '#ffffff' }, textColor: '#1f2933', fontSize: 12, attributionLogo: false },
  grid: { vertLines: { color: '#eef1f4' }, horzLines: { color: '#eef1f4' } },
  // A price axis at least this wide: it then keeps its width when the data arrive, so the
  // canvases are not resized (and the layout read again) in the frame that draws the data.
  rightPriceScale: { borderColor: '#c5ccd3', minimumWidth: 84 },
  // Small bar spacing so fitContent shows 20 years of daily bars at once.
  timeScale: { borderColor: '#c5ccd3', timeVisible: true, secondsVisible: false, minBarSpacing: 0.05 },
  autoSize: true,
};
const MAX_MARKERS = 400;

// Empties each series in a task of its own, then yields once more: true if `current()` still
// holds (no newer run is being drawn). Why the charts empty series before giving them data: see
// renderPrice.
async function emptyEach(list, current) {
  for (const s of list) {
    await nextTask();
    if (!current()) return false;
    s.setData([]);
  }
  await nextTask();
  return current();
}
const OVERLAY_COLORS = ['#b45309', '#6d28d9', '#0e7490'];


// The worker's marker kinds (worker.mjs: long entry, short entry, long exit, short exit) drawn.
const MARKER_STYLE = [
  { position: 'belowBar', color: '#15803d', shape: 'arrowUp', size: 0.6 },
  { position: 'aboveBar', color: '#b91c1c', shape: 'arrowDown', size: 0.6 },
  { position: 'aboveBar', color: '#1d4ed8', shape: 'circle', size: 0.5 },
  { position: 'belowBar', color: '#1d4ed8', shape: 'circle', size: 0.5 },
];

export class Charts {
  // Both charts and their fixed series are made once and given each run's data: a new chart's
  // first frame (its canvases made, sized and committed) and the removal of the last one were
  // the longest tasks of showing a result.
  #price; // {chart, candles, markers, lines: [series], onRange}
  #equity; // {chart, equity, bh, dd}
  #drawing = 0; // the latest renderPrice: an older one stops at its next step

  constructor(priceEl, equityEl) {
    this.priceEl = priceEl;
    this.equityEl = equityEl;
  }

  /** Fits both charts to their data: after the Results view is shown (drawn while hidden, a chart fits a zero width). */
  fit() {
    // autoSize resizes on the ResizeObserver, which runs after this frame's animation callbacks.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      this.#price?.chart.timeScale().fitContent();
      this.#equity?.chart.timeScale().fitContent();
    }));
  }

  /**
   * Draws the price chart from the series the worker made (every bar, overlays and markers as
   * columns, shaped there) by level of detail (price-detail.mjs), in steps of one task each:
   * the candles, each overlay, the markers. Zooming in to few enough bars swaps in the real ones.
   */
  async renderPrice(_report, chart) {
    const drawing = ++this.#drawing;
    const current = () => this.#drawing === drawing; // no newer run is being drawn
    const c = chart.bars;
    const n = c.time.length;
    const { overlays } = chart;
    const made = !this.#price;
    if (made) {
      const price = createChart(this.priceEl, THEME);
      const candles = price.addSeries(CandlestickSeries, { upColor: '#15803d', downColor: '#b91c1c', borderVisible: false, wickUpColor: '#15803d', wickDownColor: '#b91c1c' });
      this.#price = { chart: price, candles, markers: createSeriesMarkers(candles, []), lines: [], onRange: null };
    }
    const p = this.#price;
    const { chart: price, candles: series, markers: api } = p;
    // The last run's markers and zoom handler go.
    if (p.onRange) price.timeScale().unsubscribeVisibleLogicalRangeChange(p.onRange);
    p.onRange = null;
    api.setMarkers([]);
    // Hidden while their data change: a frame between the steps below would otherwise paint the
    // last run's bars again (37 ms of script for 5,000 candles in software raster).
    series.applyOptions({ visible: false });
    for (const line of p.lines) line.applyOptions({ visible: false });
    // A new chart and its series first, their data in a later frame (see renderEquity).
    if (made) await afterFrame();
    // The last run's averages are emptied first, a task each: then the candles are the one
    // series with data, which the chart replaces outright, and the averages' values fall on the
    // candles' times. Any other order makes each setData merge the times of every series (and
    // date the ticks of every changed one: 24-49 ms for the candles of a 1M-bar run after a
    // 5,000-bar one on this machine, each average 7-19 ms more).
    if (!(await emptyEach(p.lines, current))) return;
    let view = overview(n);
    // The overview's candles come merged from the worker for a long series (the only views with
    // k > 1); a detail view's real bars are picked here.
    const candlesIn = (v) => (v.k > 1 && chart.overview ? chart.overview : candlesOf(c, v));
    series.setData(candlesIn(view));
    series.applyOptions({ visible: true });
    const merged = chart.merged > 1 ? ` The file's ${(n * chart.merged).toLocaleString('en-US')} bars were merged ${chart.merged} to a bar (the chart takes at most ${chart.max.toLocaleString('en-US')}).` : '';
    const lod = (k) => (k > 1 ? `${n.toLocaleString('en-US')} bars, ${k} to a candle at this zoom: zoom in to at most 1,000 bars in view to see every bar.${merged}` : `${n.toLocaleString('en-US')} bars, each drawn as it is.${merged}`);
    const note = () => this.onNote?.(chart.exact ? (n > FULL ? lod(view.k) : merged.trim()) : n < 3 ? 'The data spans too short a time for more than a bar or two.' : `Candles built from the trades and quotes (per time bucket). ${n > FULL ? lod(view.k) : ''}`.trim());
    note();
    price.timeScale().fitContent();
    // The lines are reused (empty ones cost nothing to keep, remove or add).
    while (p.lines.length > overlays.length) price.removeSeries(p.lines.pop());
    for (const [i, o] of overlays.entries()) {
      const look = { color: OVERLAY_COLORS[i % 3], title: o.name };
      if (p.lines[i]) p.lines[i].applyOptions(look);
      else p.lines[i] = price.addSeries(LineSeries, { ...look, lineWidth: 1, priceLineVisible: false, lastValueVisible: false });
    }
    const lines = p.lines.map((line, i) => [line, overlays[i].values]);
    for (const [line, values] of lines) {
      await nextTask();
      if (!current()) return;
      line.setData(points(c.time, values, view));
      line.applyOptions({ visible: true });
    }
    await nextTask();
    if (!current()) return;
    // Thousands of markers cost the page hundreds of ms per paint: only those in view, and
    // none (with a note) while more than MAX_MARKERS would be.
    // Real bars [a, b) in view, from the chart's logical range over the current view's candles.
    const inView = (r) => {
      const first = Math.floor(view.from / view.k) * view.k;
      return [Math.max(0, first + Math.floor(r.from) * view.k), Math.min(n, first + Math.ceil(r.to + 1) * view.k)];
    };
    const showMarkers = (a, b) => {
      const { count, list } = markersIn(chart.markers, c.time, view, a, b, MAX_MARKERS);
      api.setMarkers(list ? list.map((m) => ({ time: m.time, ...MARKER_STYLE[m.kind] })) : []);
      this.onMarkers?.(list ? '' : `${count} entries and exits in view: zoom in (wheel, pinch or drag) to see them.`);
    };
    // Real bars [a, b) in sight, on the current view's candles.
    const show = (a, b) => {
      const first = Math.floor(view.from / view.k) * view.k;
      const from = (a - first) / view.k;
      price.timeScale().setVisibleLogicalRange({ from, to: Math.max(from, (b - first) / view.k - 1) });
    };
    // A new view (detail or overview) keeps the same real bars in sight.
    const swap = (next, a, b) => {
      view = next;
      // Emptied first, as above.
      for (const [line] of lines) line.setData([]);
      series.setData(candlesIn(view));
      for (const [line, values] of lines) line.setData(points(c.time, values, view));
      show(a, b);
      note();
    };
    let timer = 0;
    const settle = () => {
      timer = 0;
      const r = price.timeScale().getVisibleLogicalRange();
      if (!r || !current()) return;
      const [a, b] = inView(r);
      const want = detail(n, a, b);
      if (want && (view.k > 1 || a < view.from || b > view.to || (a - view.from > 3 * (b - a) && view.from > 0) || (view.to - b > 3 * (b - a) && view.to < n))) swap(want, a, b);
      else if (!want && view.k === 1 && n > FULL) swap(overview(n), a, b);
      const [a2, b2] = inView(price.timeScale().getVisibleLogicalRange() ?? r);
      showMarkers(a2, b2);
    };
    /** Shows real bars [a, b) (the page's probe uses it; the chart swaps in the detail). */
    this.showBars = (a, b) => {
      const want = detail(n, a, b);
      if (want) swap(want, a, b);
      else show(a, b);
    };
    p.onRange = () => {
      clearTimeout(timer);
      timer = setTimeout(settle, 120);
    };
    price.timeScale().subscribeVisibleLogicalRangeChange(p.onRange);
    settle();
  }

  /**
   * Draws equity, buy and hold and drawdown; after renderPrice (a newer run's stops it). A new
   * chart, its series and panes are made in one frame and given their data in the next: its
   * first frame (canvases made, sized and committed) and the drawing of its data would
   * otherwise share one long task.
   */
  async renderEquity(_report, chart) {
    const drawing = this.#drawing;
    const current = () => this.#drawing === drawing; // no newer run is being drawn
    if (!this.#equity) {
      const made = createChart(this.equityEl, THEME);
      this.#equity = {
        chart: made,
        equity: made.addSeries(LineSeries, { color: '#1d4ed8', lineWidth: 2, title: 'Equity' }),
        bh: made.addSeries(LineSeries, { color: '#6b7280', lineWidth: 1, lineStyle: LineStyle.Dashed, title: 'Buy & hold', priceLineVisible: false }),
        dd: made.addSeries(AreaSeries, { lineColor: '#b91c1c', topColor: 'rgba(185,28,28,0.05)', bottomColor: 'rgba(185,28,28,0.35)', lineWidth: 1, title: 'Drawdown %', priceLineVisible: false, invertFilledArea: false }, 1),
      };
      made.panes()[1]?.setHeight(90);
      await afterFrame();
      if (!current()) return;
    }
    const { chart: made, equity, bh, dd } = this.#equity;
    // Buy and hold and drawdown emptied first, a task each, so the equity line is the one series
    // with data and the other two fall on its times (see renderPrice).
    if (!(await emptyEach([bh, dd], current))) return;
    const e = chart.equity;
    const all = Array.from(e.time, (time, i) => ({ time, equity: e.equity[i], dd: e.drawdown[i], bh: e.bh?.[i] }));
    const unique = all.filter((p, i) => i === 0 || p.time > all[i - 1].time);
    equity.setData(unique.map((p) => ({ time: p.time, value: p.equity })));
    // Buy and hold, from the worker (at the bars' closes).
    bh.applyOptions({ visible: e.bh !== null });
    bh.setData(e.bh ? unique.map((p) => ({ time: p.time, value: p.bh })) : []);
    dd.setData(unique.map((p) => ({ time: p.time, value: p.dd })));
    made.timeScale().fitContent();
  }
}

/**
 * Equity curves of several runs on one chart (the Runs view's comparison): `series` is
 * `[{title, color, time: seconds[], value: number[]}]`. Returns `{remove(), fit()}`.
 */
export function equityOverlay(el, series) {
  const chart = createChart(el, THEME);
  for (const s of series) {
    const line = chart.addSeries(LineSeries, { color: s.color, lineWidth: 2, title: s.title, priceLineVisible: false });
    const points = [];
    for (let i = 0; i < s.time.length; i++) {
      if (i === 0 || s.time[i] > s.time[i - 1]) points.push({ time: s.time[i], value: s.value[i] });
    }
    line.setData(points);
  }
  chart.timeScale().fitContent();
  return {
    remove: () => chart.remove(),
    fit: () => requestAnimationFrame(() => requestAnimationFrame(() => chart.timeScale().fitContent())),
  };
}
