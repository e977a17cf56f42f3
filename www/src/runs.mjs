// The Runs view: the past runs kept in IndexedDB (run-store.mjs), and two or more of them side
// by side: their key statistics in columns and their equity curves overlaid on one chart.
// Loaded the first time the view is opened.
import { $, h } from './dom.mjs';
import { listRuns, deleteRuns } from './run-store.mjs';
import { duration } from './results.mjs';

// The statistics compared (backtesting.py's keys), in its order.
export const COMPARED = ['Start', 'End', 'Duration', 'Exposure Time [%]', 'Equity Final [$]', 'Return [%]', 'Buy & Hold Return [%]', 'Return (Ann.) [%]', 'Volatility (Ann.) [%]', 'Sharpe Ratio', 'Sortino Ratio', 'Calmar Ratio', 'Max. Drawdown [%]', 'Max. Drawdown Duration', '# Trades', 'Win Rate [%]', 'Best Trade [%]', 'Worst Trade [%]', 'Profit Factor', 'SQN'];
export const COLORS = ['#1d4ed8', '#b45309', '#15803d', '#6d28d9', '#be123c', '#0e7490', '#4b5563', '#a16207'];

const fmt = (k, v) => {
  if (v === null || v === undefined) return 'N/A';
  if (k.includes('Duration')) return duration(v);
  if (k === 'Start' || k === 'End') return String(v).replace('T00:00:00Z', '');
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return String(v);
};
const when = (at) => new Date(at).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
const name = (r) => `#${r.id}`;

/**
 * Wires the Runs view and lists the kept runs. Returns `{refresh()}` (the page calls it after a
 * run is saved). `probe.runsView` gets what the view shows (ids listed, ids compared).
 */
export function initRuns(probe) {
  const view = { listed: [], compared: [] };
  probe.runsView = view;
  const selected = new Set();
  let runs = [];
  let chart = null;
  const status = (text) => {
    $('#runs-status').textContent = text;
  };
  const buttons = () => {
    $('#runs-compare').disabled = selected.size < 2;
    $('#runs-delete').disabled = selected.size === 0;
  };

  async function refresh() {
    runs = await listRuns();
    for (const id of [...selected]) if (!runs.some((r) => r.id === id)) selected.delete(id);
    view.listed = runs.map((r) => r.id);
    $('#runs-list').replaceChildren(runs.length === 0 ? h('p', { class: 'muted', text: 'No runs yet: every finished backtest is kept here.' }) : h('table', { class: 'runs', id: 'runs-table' },
      h('caption', { text: `Past runs (${runs.length}, newest first)` }),
      h('thead', {}, h('tr', {}, ['Compare', 'Run', 'When', 'Data', 'Strategy', 'Return [%]', 'Sharpe Ratio', '# Trades'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, runs.map((r) => h('tr', {},
        h('td', {}, h('input', { type: 'checkbox', class: 'run-pick', 'data-id': r.id, 'aria-label': `Compare run ${name(r)} (${r.data}, ${r.strategy})`, checked: selected.has(r.id), onchange: (e) => {
          if (e.target.checked) selected.add(r.id);
          else selected.delete(r.id);
          buttons();
        } })),
        h('td', { text: name(r) }),
        h('td', { text: when(r.at) }),
        h('td', { text: r.data }),
        h('td', { text: r.strategy }),
        h('td', { text: fmt('Return [%]', r.stats?.['Return [%]']) }),
        h('td', { text: fmt('Sharpe Ratio', r.stats?.['Sharpe Ratio']) }),
        h('td', { text: fmt('# Trades', r.stats?.['# Trades']) }))))));
    buttons();
  }

  async function compare() {
    const chosen = runs.filter((r) => selected.has(r.id)).sort((a, b) => a.id - b.id);
    if (chosen.length < 2) return;
    view.compared = chosen.map((r) => r.id);
    $('#runs-compare-view').hidden = false;
    $('#runs-compared').replaceChildren(h('table', { class: 'stats compare', id: 'compare-table' },
      h('caption', { text: `${chosen.length} runs side by side` }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Statistic' }), chosen.map((r, i) => h('th', { scope: 'col', 'data-id': r.id }, h('span', { class: 'swatch', 'data-color': i % COLORS.length, 'aria-hidden': 'true' }), `${name(r)} ${r.data} · ${r.strategy}`)))),
      h('tbody', {}, COMPARED.map((k) => h('tr', {}, h('th', { scope: 'row', text: k }), chosen.map((r) => h('td', { 'data-id': r.id, 'data-key': k, 'data-value': JSON.stringify(r.stats?.[k] ?? null), text: fmt(k, r.stats?.[k]) })))))));
    const { equityOverlay } = await import('./chart.mjs');
    chart?.remove();
    chart = equityOverlay($('#runs-chart'), chosen.map((r, i) => ({ title: name(r), color: COLORS[i % COLORS.length], time: r.equity?.time ?? [], value: r.equity?.equity ?? [] })));
    view.drawn = chosen.length;
    status(`Comparing ${chosen.map(name).join(', ')}.`);
  }

  $('#runs-compare').addEventListener('click', compare);
  $('#runs-delete').addEventListener('click', async () => {
    const ids = [...selected];
    await deleteRuns(ids);
    selected.clear();
    status(`Deleted ${ids.length} run${ids.length === 1 ? '' : 's'}.`);
    await refresh();
  });
  return { refresh, fit: () => chart?.fit() };
}
