// The charts (lightweight-charts, bundled): price bars with entry/exit markers and the
// strategy's averages; equity with buy-and-hold and a drawdown pane below.
import { createChart, CandlestickSeries, LineSeries, AreaSeries, createSeriesMarkers, LineStyle } from 'lightweight-charts';

const THEME = {
  // The logo is injected as inline SVG markup, which the page's CSP (no inline styles) refuses;
  // the attribution is in the page's footer instead, as the library's NOTICE asks.
  layout: { background: { color: '#ffffff' }, textColor: '#1f2933', fontSize: 12, attributionLogo: false },
  grid: { vertLines: { color: '#eef1f4' }, horzLines: { color: '#eef1f4' } },
  rightPriceScale: { borderColor: '#c5ccd3' },
  // Small bar spacing so fitContent shows 20 years of daily bars at once.
  timeScale: { borderColor: '#c5ccd3', timeVisible: true, secondsVisible: false, minBarSpacing: 0.05 },
  autoSize: true,
};
const MAX_MARKERS = 400;
const OVERLAY_COLORS = ['#b45309', '#6d28d9', '#0e7490'];

// A macrotask boundary: the price chart is drawn in steps, each its own task.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// The first index with times[i] >= t (times sorted).
function lowerBound(times, t) {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The worker's marker kinds (worker.mjs: long entry, short entry, long exit, short exit) drawn.
const MARKER_STYLE = [
  { position: 'belowBar', color: '#15803d', shape: 'arrowUp', size: 0.6 },
  { position: 'aboveBar', color: '#b91c1c', shape: 'arrowDown', size: 0.6 },
  { position: 'aboveBar', color: '#1d4ed8', shape: 'circle', size: 0.5 },
  { position: 'belowBar', color: '#1d4ed8', shape: 'circle', size: 0.5 },
];

export class Charts {
  #price;
  #equity;

  constructor(priceEl, equityEl) {
    this.priceEl = priceEl;
    this.equityEl = equityEl;
  }

  /** Fits both charts to their data: after the Results view is shown (drawn while hidden, a chart fits a zero width). */
  fit() {
    // autoSize resizes on the ResizeObserver, which runs after this frame's animation callbacks.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      this.#price?.timeScale().fitContent();
      this.#equity?.timeScale().fitContent();
    }));
  }

  /**
   * Draws the price chart with the series the worker made (bars, overlays, markers: all
   * columns, shaped there), in steps of one task each: the candles, each overlay, the markers.
   */
  async renderPrice(_report, chart) {
    this.#price?.remove();
    const c = chart.bars;
    const n = c.time.length;
    const bars = new Array(n);
    for (let i = 0; i < n; i++) bars[i] = { time: c.time[i], open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i] };
    const { overlays } = chart;
    const price = createChart(this.priceEl, THEME);
    this.#price = price;
    const candles = price.addSeries(CandlestickSeries, { upColor: '#15803d', downColor: '#b91c1c', borderVisible: false, wickUpColor: '#15803d', wickDownColor: '#b91c1c' });
    candles.setData(bars);
    this.bars = bars;
    const note = chart.exact ? '' : chart.merged > 1 ? `${n.toLocaleString('en-US')} candles of ${chart.merged} bars each: the chart draws every bar up to ${chart.max.toLocaleString('en-US')}, and merges consecutive bars beyond.` : bars.length < 3 ? 'The data spans too short a time for more than a bar or two.' : 'Candles built from the trades and quotes (per time bucket).';
    this.onNote?.(note);
    price.timeScale().fitContent();
    for (const [i, o] of overlays.entries()) {
      await nextTask();
      if (this.#price !== price) return; // a newer run is being drawn
      const line = price.addSeries(LineSeries, { color: OVERLAY_COLORS[i % 3], lineWidth: 1, title: o.name, priceLineVisible: false, lastValueVisible: false });
      const points = new Array(n);
      for (let j = 0; j < n; j++) points[j] = Number.isFinite(o.values[j]) ? { time: c.time[j], value: o.values[j] } : { time: c.time[j] };
      line.setData(points);
    }
    await nextTask();
    if (this.#price !== price) return;
    // Thousands of markers cost the page hundreds of ms per paint: only those in view, and
    // none (with a note) while more than MAX_MARKERS would be.
    const m = chart.markers;
    const api = createSeriesMarkers(candles, []);
    const show = (range) => {
      if (!range) return;
      const from = lowerBound(m.time, range.from);
      const to = lowerBound(m.time, range.to + 1e-9);
      const count = to - from;
      const many = count > MAX_MARKERS;
      const shown = [];
      if (!many) for (let i = from; i < to; i++) shown.push({ time: m.time[i], ...MARKER_STYLE[m.kind[i]] });
      api.setMarkers(shown);
      this.onMarkers?.(many ? `${count} entries and exits in view: zoom in (wheel, pinch or drag) to see them.` : '');
    };
    price.timeScale().subscribeVisibleTimeRangeChange(show);
    show(price.timeScale().getVisibleRange());
  }

  /** Draws equity, buy and hold (at the bars' closes) and drawdown; after renderPrice. */
  renderEquity(_report, chart) {
    this.#equity?.remove();
    const bars = this.bars ?? [];
    this.#equity = createChart(this.equityEl, THEME);
    const e = chart.equity;
    const all = Array.from(e.time, (time, i) => ({ time, equity: e.equity[i], dd: e.drawdown[i] }));
    const unique = all.filter((p, i) => i === 0 || p.time > all[i - 1].time);
    const equity = this.#equity.addSeries(LineSeries, { color: '#1d4ed8', lineWidth: 2, title: 'Equity' });
    equity.setData(unique.map((p) => ({ time: p.time, value: p.equity })));
    // Buy and hold: the starting equity in the instrument at its first close, marked to each close.
    if (bars.length && unique.length) {
      const first = bars[0].close;
      const start = unique[0].equity;
      const bh = this.#equity.addSeries(LineSeries, { color: '#6b7280', lineWidth: 1, lineStyle: LineStyle.Dashed, title: 'Buy & hold', priceLineVisible: false });
      let j = 0; // both are sorted by time: one pass
      bh.setData(unique.map((p) => {
        while (j + 1 < bars.length && bars[j + 1].time <= p.time) j++;
        return { time: p.time, value: (start * bars[j].close) / first };
      }));
    }
    const dd = this.#equity.addSeries(AreaSeries, { lineColor: '#b91c1c', topColor: 'rgba(185,28,28,0.05)', bottomColor: 'rgba(185,28,28,0.35)', lineWidth: 1, title: 'Drawdown %', priceLineVisible: false, invertFilledArea: false }, 1);
    dd.setData(unique.map((p) => ({ time: p.time, value: p.dd })));
    const panes = this.#equity.panes();
    panes[1]?.setHeight(90);
    this.#equity.timeScale().fitContent();
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
