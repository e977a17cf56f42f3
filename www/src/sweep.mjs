// Parameter sweeps on a pool of engine Workers (one per core): the grid is split by `fast`
// value, each part runs as the engine's own sweep in one worker, and the parts are merged and
// ranked the way the engine ranks (best first, undefined last, ties in grid order), so the
// table equals a one-worker sweep of the whole grid.
import { $, h } from './dom.mjs';

const STATS = ['sharpe_ratio', 'return_pct', 'sortino_ratio', 'calmar_ratio', 'sqn', 'profit_factor', 'win_rate_pct', 'equity_final', 'return_ann_pct', 'max_drawdown_pct', 'volatility_ann_pct', 'trades', 'expectancy_pct', 'kelly_criterion'];

const range = (from, to, step) => {
  const out = [];
  for (let v = from; v <= to && out.length < 1000; v += step) out.push(v);
  return out;
};

/** Merges the parts' rows and ranks them as one sweep would. */
export function rank(rows, rankBy, lowerIsBetter, order) {
  const sign = lowerIsBetter.includes(rankBy) ? -1 : 1;
  const value = (r) => (typeof r.stats?.[rankBy] === 'number' ? sign * r.stats[rankBy] : null);
  return rows
    .map((r) => [value(r), order(r), r])
    .sort((a, b) => (a[0] === null ? (b[0] === null ? a[1] - b[1] : 1) : b[0] === null ? -1 : b[0] - a[0] || a[1] - b[1]))
    .map(([, , r]) => r);
}

export function initSweep({ state, engineFactory, jsPayload, showBox, persist, openRun }) {
  const pool = [];
  let active = [];
  const select = $('#rank-by');
  select.replaceChildren(...STATS.map((s) => h('option', { value: s, text: s })));
  const ids = ['fast-from', 'fast-to', 'fast-step', 'slow-from', 'slow-to', 'slow-step'];
  const probe = window.__tidemark;

  function read() {
    const v = Object.fromEntries(ids.map((id) => [id, Number($(`#${id}`).value)]));
    for (const id of ids) {
      if (!Number.isInteger(v[id]) || v[id] < 1) throw Object.assign(new Error(`${id.replace('-', ' ')}: expected a whole number ≥ 1`), { code: 'INVALID_ARGUMENT' });
    }
    return { fast: range(v['fast-from'], v['fast-to'], v['fast-step']), slow: range(v['slow-from'], v['slow-to'], v['slow-step']), rankBy: select.value };
  }

  function save() {
    state.sweep = { ...Object.fromEntries(ids.map((id) => [id, $(`#${id}`).value])), rankBy: select.value };
    persist();
  }

  function restore() {
    if (!state.sweep) return;
    for (const id of ids) if (state.sweep[id]) $(`#${id}`).value = state.sweep[id];
    if (STATS.includes(state.sweep.rankBy)) select.value = state.sweep.rankBy;
  }

  async function runSweep() {
    showBox($('#sweep-error'), null);
    const statusEl = $('#sweep-status');
    let grid;
    let js;
    try {
      grid = read();
      js = jsPayload();
      const type = (state.config.strategy ?? state.config.system?.strategy)?.type;
      if (!js.enabled && type !== 'sma_cross' && type !== 'ema_cross') throw Object.assign(new Error(`the sweep varies fast and slow: pick sma_cross or ema_cross in Configure (now ${type ?? 'none'}), or use the JS strategy`), { code: 'INVALID_ARGUMENT' });
    } catch (e) {
      showBox($('#sweep-error'), e);
      return;
    }
    save();
    const parts = grid.fast.map((f) => ({ fast: [f], slow: grid.slow.filter((s) => f < s) })).filter((p) => p.slow.length);
    const total = parts.reduce((n, p) => n + p.slow.length, 0);
    if (total === 0) {
      showBox($('#sweep-error'), { code: 'INVALID_ARGUMENT', message: 'no combination has fast < slow: widen the ranges' });
      return;
    }
    const size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8, parts.length));
    while (pool.length < size) pool.push(engineFactory());
    const done = new Array(parts.length).fill(0);
    const progress = $('#sweep-progress');
    $('#sweep-run').disabled = true;
    $('#sweep-cancel').disabled = false;
    statusEl.textContent = `Running ${total} combinations on ${size} workers…`;
    const t0 = performance.now();
    const queue = parts.map((p, i) => [p, i]);
    const rows = [];
    let lowerIsBetter = [];
    active = [];
    let failed = null;
    const workerLoop = async (engine) => {
      while (queue.length && !failed) {
        const [part, i] = queue.shift();
        const call = engine.call('sweep', { config: state.config, data: state.data.text, grid: part, rankBy: grid.rankBy, js }, {
          onProgress: (p) => {
            done[i] = p.processed;
            progress.value = done.reduce((a, b) => a + b, 0) / total;
          },
        });
        active.push(call);
        try {
          const r = await call;
          lowerIsBetter = r.lowerIsBetter;
          rows.push(...r.rows);
          done[i] = part.slow.length;
        } catch (e) {
          failed ??= e;
          for (const c of active) c.cancel();
        }
      }
    };
    await Promise.all(pool.slice(0, size).map(workerLoop));
    active = [];
    $('#sweep-run').disabled = false;
    $('#sweep-cancel').disabled = true;
    if (failed) {
      progress.value = 0;
      statusEl.textContent = failed.code === 'ABORTED' || failed.name === 'AbortError' ? 'Sweep cancelled.' : 'The sweep failed.';
      if (!(failed.code === 'ABORTED' || failed.name === 'AbortError')) showBox($('#sweep-error'), failed);
      return;
    }
    progress.value = 1;
    const key = (r) => [r.strategy.fast, r.strategy.slow];
    const order = (r) => {
      const [f, s] = key(r);
      return grid.fast.indexOf(f) * grid.slow.length + grid.slow.indexOf(s);
    };
    const ranked = rank(rows, grid.rankBy, lowerIsBetter, order);
    const ms = performance.now() - t0;
    statusEl.textContent = `${ranked.length} runs on ${size} workers in ${(ms / 1000).toFixed(2)} s, ranked by ${grid.rankBy}.`;
    probe.sweep = { workers: size, ms, rankBy: grid.rankBy, rows: ranked.map((r) => ({ fast: r.strategy.fast, slow: r.strategy.slow, value: r.stats?.[grid.rankBy] ?? null, error: r.error })) };
    draw(ranked, grid, lowerIsBetter, js);
  }

  function open(row, js) {
    if (js.enabled) {
      let params = {};
      try {
        params = JSON.parse(state.js.params || '{}');
      } catch {
        // the run itself reports bad params
      }
      openRun(state.config, { ...state.js, params: JSON.stringify({ ...params, fast: row.strategy.fast, slow: row.strategy.slow }) });
      return;
    }
    const cfg = structuredClone(state.config);
    const target = cfg.system ? cfg.system : cfg;
    target.strategy = { ...target.strategy, fast: row.strategy.fast, slow: row.strategy.slow };
    openRun(cfg);
  }

  function draw(ranked, grid, lowerIsBetter, js) {
    const stat = grid.rankBy;
    const byKey = new Map(ranked.map((r) => [`${r.strategy.fast}/${r.strategy.slow}`, r]));
    const values = ranked.map((r) => r.stats?.[stat]).filter((v) => typeof v === 'number' && Number.isFinite(v));
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const better = lowerIsBetter.includes(stat) ? -1 : 1;
    const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : 'N/A');
    const head = h('tr', {}, h('th', { scope: 'col', text: 'fast \\ slow' }), grid.slow.map((s) => h('th', { scope: 'col', text: String(s) })));
    const body = grid.fast.map((f) => h('tr', {}, h('th', { scope: 'row', text: String(f) }), grid.slow.map((s) => {
      const r = byKey.get(`${f}/${s}`);
      if (!r) return h('td', { class: 'skip', text: '—', title: f >= s ? 'fast ≥ slow: not run' : 'not run' });
      const v = r.stats?.[stat];
      const b = h('button', { type: 'button', class: 'cell', text: fmt(v), 'aria-label': `fast ${f}, slow ${s}: ${stat} ${fmt(v)}; open this run`, onclick: () => open(r, js) });
      b.dataset.fast = f;
      b.dataset.slow = s;
      if (typeof v === 'number' && hi > lo) {
        // Red (worse) to green (better), light enough for dark text (contrast ≥ 4.5).
        const x = better > 0 ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo);
        b.style.backgroundColor = `hsl(${Math.round(x * 120)}, 70%, 82%)`;
      }
      return h('td', {}, b);
    })));
    $('#heatmap').replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'heatmap', id: 'heatmap-table' }, h('caption', { text: `${stat} by fast (rows) and slow (columns); choose a cell to open its run` }), h('thead', {}, head), h('tbody', {}, body))));
    const top = ranked.slice(0, 20);
    $('#ranked').replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'ranked', id: 'ranked-table' },
      h('caption', { text: `Best ${top.length} of ${ranked.length}` }),
      h('thead', {}, h('tr', {}, ['#', 'fast', 'slow', stat, 'return %', 'trades', 'run'].map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, top.map((r, i) => h('tr', {},
        h('td', { text: String(i + 1) }), h('td', { text: String(r.strategy.fast) }), h('td', { text: String(r.strategy.slow) }),
        h('td', { class: 'n', text: fmt(r.stats?.[stat]) }), h('td', { class: 'n', text: fmt(r.stats?.return_pct) }), h('td', { class: 'n', text: String(r.stats?.trades ?? r.error ?? '') }),
        h('td', {}, h('button', { type: 'button', text: 'Open', 'aria-label': `Open fast ${r.strategy.fast}, slow ${r.strategy.slow}`, onclick: () => open(r, js) }))))))));
  }

  $('#sweep-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runSweep();
  });
  $('#sweep-cancel').addEventListener('click', () => {
    for (const c of active) c.cancel();
  });
  return { restore };
}
