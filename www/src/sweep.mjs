// The Sweep tab: a grid over any built-in strategy's integer and number parameters (or a JS
// strategy's numeric params), run in the engine Worker by the JS API's own sweep on its pool of
// nested sweep Workers (`tm.sweep(..., {workers, rankBy, constraint, onProgress, signal})`); the
// rows come back ranked by the API, and the heatmap is the API's `heatmap(rows, {x, y})`.
import { heatmap } from '../../js/heatmap.mjs';
import { $, h } from './dom.mjs';
import { constraintPresets } from './sweep-constraints.mjs';
import { range, sweepParams } from './sweep-params.mjs';

const STATS = ['sharpe_ratio', 'return_pct', 'sortino_ratio', 'calmar_ratio', 'sqn', 'profit_factor', 'win_rate_pct', 'equity_final', 'return_ann_pct', 'max_drawdown_pct', 'volatility_ann_pct', 'trades', 'expectancy_pct', 'kelly_criterion'];

const invalid = (message) => Object.assign(new Error(message), { code: 'INVALID_ARGUMENT' });
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : 'N/A');

// A parameter's default range around its value.
function defaults(p) {
  if (p.integer) {
    const v = Math.max(1, Math.round(p.value));
    return { from: Math.max(1, Math.round(v / 2)), to: v * 2, step: Math.max(1, Math.round(v / 4)) };
  }
  const v = p.value || 1;
  const step = Number((Math.abs(v) / 10).toPrecision(2));
  return { from: Number((v - 2 * step).toFixed(6)), to: Number((v + 2 * step).toFixed(6)), step };
}

/**
 * Wires the Sweep tab. `engine()` gives the engine Worker sweeps run on; `status(text)` sets the
 * header status; `openRun(config, js?)` opens a combination's run. Returns `{restore}`.
 */
export function initSweep({ state, engine, jsPayload, showBox, persist, openRun, status }) {
  let active = null;
  let params = []; // the strategy's numeric parameters, as sweepParams gives them
  const probe = window.__tidemark;
  const rankSelect = $('#rank-by');
  rankSelect.replaceChildren(...STATS.map((s) => h('option', { value: s, text: s })));

  const strategyNow = () => state.config.strategy ?? state.config.system?.strategy;
  const jsParams = () => {
    try {
      return JSON.parse(state.js.params || '{}');
    } catch {
      return {};
    }
  };
  const kindKey = () => (state.js.enabled ? 'js' : strategyNow()?.type ?? 'none');
  const saved = () => state.sweep?.params?.[kindKey()] ?? {};
  const varied = () => params.filter((p) => $(`#sweep-vary-${p.name}`)?.checked).map((p) => p.name);

  // The parameter rows for the strategy configured now (values kept per strategy and name).
  function refresh() {
    params = sweepParams(strategyNow(), state.js.enabled ? jsParams() : null);
    const keep = saved();
    const rows = params.map((p, i) => {
      const v = { vary: i < 2, ...defaults(p), ...(keep[p.name] ?? {}) };
      const attrs = { type: 'number', step: p.integer ? 1 : 'any', min: p.integer ? Math.max(1, p.min ?? 1) : undefined };
      const num = (part) => [h('label', { for: `sweep-${p.name}-${part}`, text: part }), h('input', { ...attrs, id: `sweep-${p.name}-${part}`, value: String(v[part]), onchange: axes })];
      return h('fieldset', { class: 'sweep-param' }, h('legend', { text: p.name, title: p.description }),
        h('input', { type: 'checkbox', id: `sweep-vary-${p.name}`, checked: v.vary, onchange: axes }), h('label', { for: `sweep-vary-${p.name}`, text: 'vary' }),
        num('from'), num('to'), num('step'));
    });
    const what = state.js.enabled ? 'the JS strategy' : strategyNow()?.type ?? 'no strategy';
    $('#sweep-grid').replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted', text: `${what} has no numeric parameters to sweep: pick another strategy in Configure.` })]));
    $('#sweep-strategy').textContent = `Sweeping ${what}; parameters not varied keep the config's values.`;
    axes();
  }

  // The heatmap's axis choices and the constraint presets follow the varied parameters.
  function axes() {
    const names = varied();
    const keep = state.sweep ?? {};
    for (const [id, pick] of [['#sweep-x', keep.x ?? names[1]], ['#sweep-y', keep.y ?? names[0]]]) {
      const sel = $(id);
      const now = sel.value || pick;
      sel.replaceChildren(...names.map((n) => h('option', { value: n, text: n })));
      if (names.includes(now)) sel.value = now;
    }
    if ($('#sweep-x').value === $('#sweep-y').value && names.length > 1) $('#sweep-x').value = names.find((n) => n !== $('#sweep-y').value);
    $('#sweep-y').disabled = names.length < 2;
    const off = new Set(keep.constraintsOff ?? []);
    const presets = constraintPresets(names);
    $('#sweep-constraints').replaceChildren(h('legend', { text: 'Constraints' }),
      ...(presets.length ? presets.flatMap((c) => [h('input', { type: 'checkbox', id: `sweep-c-${c.id}`, checked: !off.has(c.id) }), h('label', { for: `sweep-c-${c.id}`, text: c.label })]) : [h('span', { class: 'muted', text: 'none for these parameters' })]));
  }

  function read() {
    const names = varied();
    if (names.length === 0) throw invalid('tick "vary" on at least one parameter');
    const grid = {};
    for (const name of names) {
      const p = params.find((q) => q.name === name);
      const [from, to, step] = ['from', 'to', 'step'].map((part) => Number($(`#sweep-${name}-${part}`).value));
      if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from) throw invalid(`${name}: expected from ≤ to and a step > 0`);
      if (p.integer && ![from, to, step].every(Number.isInteger)) throw invalid(`${name}: expected whole numbers`);
      grid[name] = range(from, to, step);
    }
    const pairs = constraintPresets(names).filter((c) => $(`#sweep-c-${c.id}`)?.checked).map((c) => [c.a, c.b]);
    const x = names.length > 1 ? $('#sweep-x').value : names[0];
    const y = names.length > 1 ? $('#sweep-y').value : null;
    if (x === y) throw invalid('the heatmap needs two different parameters for its axes');
    const w = $('#sweep-workers').value;
    return { grid, pairs, x, y, rankBy: rankSelect.value, workers: w === 'auto' ? 'auto' : Number(w), stats: $('#sweep-stats').value };
  }

  function save() {
    const byName = {};
    for (const p of params) byName[p.name] = { vary: $(`#sweep-vary-${p.name}`).checked, ...Object.fromEntries(['from', 'to', 'step'].map((k) => [k, Number($(`#sweep-${p.name}-${k}`).value)])) };
    const presets = constraintPresets(varied());
    state.sweep = {
      ...(state.sweep ?? {}),
      params: { ...(state.sweep?.params ?? {}), [kindKey()]: byName },
      rankBy: rankSelect.value,
      x: $('#sweep-x').value || undefined,
      y: $('#sweep-y').value || undefined,
      workers: $('#sweep-workers').value,
      stats: $('#sweep-stats').value,
      constraintsOff: presets.filter((c) => !$(`#sweep-c-${c.id}`).checked).map((c) => c.id),
    };
    persist();
  }

  function restore() {
    if (STATS.includes(state.sweep?.rankBy)) rankSelect.value = state.sweep.rankBy;
    if (state.sweep?.workers && [...$('#sweep-workers').options].some((o) => o.value === state.sweep.workers)) $('#sweep-workers').value = state.sweep.workers;
    if (state.sweep?.stats === 'all' || state.sweep?.stats === 'ranked') $('#sweep-stats').value = state.sweep.stats;
    refresh();
  }

  async function runSweep() {
    showBox($('#sweep-error'), null);
    const statusEl = $('#sweep-status');
    let spec;
    let js;
    try {
      spec = read();
      js = jsPayload();
    } catch (e) {
      showBox($('#sweep-error'), e);
      return;
    }
    save();
    const progress = $('#sweep-progress');
    progress.value = 0;
    $('#sweep-run').disabled = true;
    $('#sweep-cancel').disabled = false;
    const count = Object.values(spec.grid).reduce((n, v) => n * v.length, 1);
    statusEl.textContent = `Running up to ${count} combinations…`;
    status(`Sweeping ${count} combinations…`);
    const t0 = performance.now();
    const { grid, pairs, rankBy, workers, stats } = spec;
    active = engine().call('sweep', { config: state.config, data: state.data.file ?? state.data.text, grid, pairs, rankBy, workers, stats, js }, {
      onProgress: (p) => {
        progress.value = p.total ? p.processed / p.total : 0;
      },
    });
    let result;
    try {
      result = await active;
    } catch (e) {
      const cancelled = e.code === 'ABORTED' || e.name === 'AbortError';
      progress.value = 0;
      statusEl.textContent = cancelled ? 'Sweep cancelled.' : 'The sweep failed.';
      status(cancelled ? 'Sweep cancelled.' : 'The sweep failed: see the Sweep tab.');
      if (!cancelled) showBox($('#sweep-error'), e);
      return;
    } finally {
      active = null;
      $('#sweep-run').disabled = false;
      $('#sweep-cancel').disabled = true;
    }
    progress.value = 1;
    const ms = performance.now() - t0;
    const { rows, lowerIsBetter } = result;
    const names = Object.keys(grid);
    const pick = (r) => Object.fromEntries(names.map((n) => [n, r.strategy[n]]));
    const beside = result.workers === 1 ? 'a sweep Worker' : `${result.workers} sweep Workers`;
    const text = `${rows.length} runs in ${(ms / 1000).toFixed(2)} s (${result.workers ? `${result.workers + 1} threads: the engine Worker and ${beside}` : 'in the engine Worker'}), ranked by ${rankBy}.`;
    statusEl.textContent = text;
    status(`Sweep done: ${text}`);
    probe.sweep = { workers: result.workers, busy: result.busy, spawned: result.spawned, ms, rankBy, params: names, rows: rows.map((r) => ({ params: pick(r), value: r.score, error: r.error })) };
    draw(rows, spec, lowerIsBetter.includes(rankBy), js, pick);
  }

  function open(row, js, pick) {
    const values = pick(row);
    if (js.enabled) {
      openRun(state.config, { ...state.js, params: JSON.stringify({ ...jsParams(), ...values }) });
      return;
    }
    const cfg = structuredClone(state.config);
    const target = cfg.system ? cfg.system : cfg;
    target.strategy = { ...target.strategy, ...values };
    openRun(cfg);
  }

  const describe = (values) => Object.entries(values).map(([k, v]) => `${k} ${v}`).join(', ');

  function draw(rows, { x, y, rankBy }, lowerIsBetter, js, pick) {
    // One varied parameter: a one-row map over it.
    const map = y ? heatmap(rows, { x, y, value: 'score' }) : { xs: [...new Set(rows.map((r) => r.strategy[x]))].sort((a, b) => a - b), ys: [null] };
    const best = new Map();
    for (const r of rows) {
      const k = JSON.stringify([r.strategy[x], y ? r.strategy[y] : null]);
      if (!best.has(k)) best.set(k, r);
    }
    const scores = rows.map((r) => r.score).filter((v) => typeof v === 'number' && Number.isFinite(v));
    const lo = Math.min(...scores);
    const hi = Math.max(...scores);
    const more = Object.keys(pick(rows[0] ?? { strategy: {} })).length > 2;
    const head = h('tr', {}, h('th', { scope: 'col', text: y ? `${y} \\ ${x}` : x }), map.xs.map((v) => h('th', { scope: 'col', text: String(v) })));
    const body = map.ys.map((yv) => h('tr', {}, h('th', { scope: 'row', text: y ? String(yv) : rankBy }), map.xs.map((xv) => {
      const r = best.get(JSON.stringify([xv, yv]));
      if (!r) return h('td', { class: 'skip', text: '—', title: 'not run (a constraint or the strategy skips it)' });
      const v = r.score;
      const values = pick(r);
      const b = h('button', { type: 'button', class: 'cell', text: fmt(v), 'aria-label': `${describe(values)}: ${rankBy} ${fmt(v)}; open this run`, onclick: () => open(r, js, pick) });
      for (const [k, pv] of Object.entries(values)) b.dataset[`p_${k}`.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = String(pv);
      if (typeof v === 'number' && hi > lo) {
        // Red (worse) to green (better), light enough for dark text (contrast ≥ 4.5).
        const t = lowerIsBetter ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo);
        b.style.backgroundColor = `hsl(${Math.round(t * 120)}, 70%, 82%)`;
      }
      return h('td', {}, b);
    })));
    const caption = `${rankBy} by ${y ? `${y} (rows) and ${x} (columns)` : x}${more ? ', each cell the best over the other parameters' : ''}; choose a cell to open its run`;
    $('#heatmap').replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'heatmap', id: 'heatmap-table' }, h('caption', { text: caption }), h('thead', {}, head), h('tbody', {}, body))));
    const names = Object.keys(pick(rows[0] ?? { strategy: {} }));
    const top = rows.slice(0, 20);
    $('#ranked').replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'ranked', id: 'ranked-table' },
      h('caption', { text: `Best ${top.length} of ${rows.length}` }),
      h('thead', {}, h('tr', {}, ['#', ...names, rankBy, 'return %', 'trades', 'run'].map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, top.map((r, i) => h('tr', {},
        h('td', { text: String(i + 1) }), names.map((n) => h('td', { text: String(r.strategy[n]) })),
        h('td', { class: 'n', text: fmt(r.score) }), h('td', { class: 'n', text: fmt(r.stats?.return_pct) }), h('td', { class: 'n', text: String(r.stats?.trades ?? r.error ?? '') }),
        h('td', {}, h('button', { type: 'button', text: 'Open', 'aria-label': `Open ${describe(pick(r))}`, onclick: () => open(r, js, pick) }))))))));
  }

  $('#sweep-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runSweep();
  });
  $('#sweep-cancel').addEventListener('click', () => active?.cancel());
  // The rows follow the strategy configured now: rebuilt whenever the tab is shown.
  // Leaving the tab keeps what was typed (for this strategy).
  new MutationObserver(() => {
    if ($('#panel-sweep').hidden) {
      if (params.length) save();
    } else if (!active) refresh();
  }).observe($('#panel-sweep'), { attributes: true, attributeFilter: ['hidden'] });
  return { restore };
}
