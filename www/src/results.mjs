// The results view's tables: backtesting.py's statistics, the instrument and asset tear sheets,
// the sortable trade list, and the exports (summary JSON, trades CSV).
import { h, download } from './dom.mjs';

// backtesting.py's order of `Backtest.run()`'s output (the report's object is sorted by key).
export const STAT_ORDER = ['Start', 'End', 'Duration', 'Exposure Time [%]', 'Equity Final [$]', 'Equity Peak [$]', 'Commissions [$]', 'Return [%]', 'Buy & Hold Return [%]', 'Return (Ann.) [%]', 'Volatility (Ann.) [%]', 'CAGR [%]', 'Sharpe Ratio', 'Sortino Ratio', 'Calmar Ratio', 'Alpha [%]', 'Beta', 'Max. Drawdown [%]', 'Avg. Drawdown [%]', 'Max. Drawdown Duration', 'Avg. Drawdown Duration', '# Trades', 'Win Rate [%]', 'Best Trade [%]', 'Worst Trade [%]', 'Avg. Trade [%]', 'Max. Trade Duration', 'Avg. Trade Duration', 'Profit Factor', 'Expectancy [%]', 'SQN', 'Kelly Criterion'];
const DURATIONS = new Set(['Duration', 'Max. Drawdown Duration', 'Avg. Drawdown Duration', 'Max. Trade Duration', 'Avg. Trade Duration']);

/** Seconds as pandas prints a Timedelta: "7301 days 00:00:00". */
export function duration(secs) {
  if (typeof secs !== 'number' || !Number.isFinite(secs)) return 'N/A';
  const days = Math.floor(secs / 86400);
  const rest = Math.round(secs - days * 86400);
  const pad = (n) => String(n).padStart(2, '0');
  return `${days} days ${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

const num = (v, digits = 6) => (typeof v === 'number' && Object.is(v, -0) ? '0' : typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: digits })) : v === null || v === undefined ? 'N/A' : String(v));

/** The statistics table; each value cell keeps the exact number in data-value (tests read it). */
export function statsTable(stats) {
  const keys = [...STAT_ORDER.filter((k) => k in stats), ...Object.keys(stats).filter((k) => !STAT_ORDER.includes(k))];
  return h('table', { class: 'stats', id: 'stats-table' },
    h('caption', { text: 'Statistics (backtesting.py keys)' }),
    h('tbody', {}, keys.map((k) => {
      const v = stats[k];
      const shown = DURATIONS.has(k) ? duration(v) : k === 'Start' || k === 'End' ? String(v).replace('T00:00:00Z', '') : num(v);
      return h('tr', {}, h('th', { scope: 'row', text: k }), h('td', { 'data-key': k, 'data-value': JSON.stringify(v ?? null), text: shown }));
    })));
}

// A tear-sheet value: decimals, barter's Ratio ({Finite}|"Infinite"), drawdowns, balances.
function sheetValue(v) {
  if (v === null || v === undefined) return 'N/A';
  if (typeof v !== 'object') return String(v);
  if ('Finite' in v) return v.Finite;
  if ('value' in v && 'amount' in v) return `${v.value ?? 'N/A'} (amount ${v.amount}; ${String(v.time_start).slice(0, 10)} → ${String(v.time_end).slice(0, 10)})`;
  if ('mean_drawdown' in v) return `mean ${v.mean_drawdown ?? 'N/A'} over ${v.count}`;
  if ('total' in v) return `total ${v.total}, free ${v.free}`;
  return JSON.stringify(v);
}

/** The summary's instrument and asset tear sheets, one table each. */
export function tearSheets(summary) {
  const sheets = [];
  for (const [group, label] of [['instruments', 'Instrument'], ['assets', 'Asset']]) {
    for (const [name, sheet] of Object.entries(summary?.[group] ?? {})) {
      sheets.push(h('table', { class: 'sheet' },
        h('caption', { text: `${label} ${name}` }),
        h('tbody', {}, Object.entries(sheet).map(([k, v]) => h('tr', {}, h('th', { scope: 'row', text: k.replaceAll('_', ' ') }), h('td', { text: sheetValue(v) }))))));
    }
  }
  return sheets;
}

const TRADE_COLUMNS = [
  ['entry_time', 'Entry time'], ['exit_time', 'Exit time'], ['instrument', 'Instrument'], ['side', 'Side'], ['size', 'Size'],
  ['entry_price', 'Entry price'], ['exit_price', 'Exit price'], ['pnl', 'PnL'], ['return_pct', 'Return %'], ['commission', 'Commission'], ['duration_secs', 'Duration'],
];
const NUMERIC = new Set(['size', 'entry_price', 'exit_price', 'pnl', 'return_pct', 'commission', 'duration_secs']);
// Rows drawn at first ("Show more" adds PAGE * 4 at a time); the CSV export has all. The
// first frame after a result lays out and paints every row drawn: 250 rows made it 105 ms.
const PAGE = 50;
// Midnight UTC times (daily bars) as the date alone; others as written.
const when = (iso) => (typeof iso === 'string' ? iso.replace(/T00:00:00(\.0+)?Z$/, '').replace('T', ' ') : iso);
function cell(t, k) {
  if (k === 'duration_secs') return duration(t[k]);
  if (k === 'return_pct') return Number(t[k]).toFixed(4);
  if (k === 'entry_time' || k === 'exit_time') return when(t[k]) ?? (t.open ? 'open' : '');
  return t[k] ?? '';
} // rows drawn at once; the CSV export has all of them

/**
 * The trade list with sortable columns (buttons in the headers, aria-sort on the sorted one), over
 * `list` (trade-parts.mjs): in entry order it decodes only the rows shown; another order sorts
 * every row.
 */
export function tradeTable(list) {
  let sortKey = 'entry_time';
  let dir = 1;
  let rows = null; // every row, in the last order sorted
  let drawn = 0; // the latest fill: an earlier one still decoding does not draw
  const body = h('tbody');
  const heads = TRADE_COLUMNS.map(([key, label]) => {
    const th = h('th', { scope: 'col' }, h('button', { type: 'button', class: 'sort', text: label, onclick: () => sortBy(key) }));
    th.dataset.key = key;
    return th;
  });
  const note = h('p', { class: 'note' });
  let shown = PAGE;
  const more = h('button', { type: 'button', text: 'Show more trades', onclick: () => {
    shown += PAGE * 4;
    fill();
  } });
  async function view() {
    if (sortKey === 'entry_time' && dir > 0 && list.entryOrder) return list.first(shown);
    const cmp = NUMERIC.has(sortKey) ? (a, b) => (Number(a[sortKey]) - Number(b[sortKey])) * dir : (a, b) => {
          // Plain code-unit order: ISO times and names sort right, and it is much cheaper than localeCompare.
          const x = String(a[sortKey] ?? '');
          const y = String(b[sortKey] ?? '');
          return (x < y ? -1 : x > y ? 1 : 0) * dir;
        };
    rows ??= (await list.all()).slice();
    rows.sort(cmp);
    return rows.slice(0, shown);
  }
  async function fill() {
    const mine = ++drawn;
    const shownRows = await view();
    if (mine !== drawn) return;
    body.replaceChildren(...shownRows.map((t) => h('tr', {}, TRADE_COLUMNS.map(([k]) => h('td', { class: NUMERIC.has(k) ? 'n' : undefined, text: cell(t, k) })))));
    for (const th of heads) {
      if (th.dataset.key === sortKey) th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    more.hidden = list.count <= shown;
    // Every row is shown when the note counts them all.
    note.textContent = list.count > shown ? `Showing ${shown} of ${list.count} trades; the CSV export has all.` : `${list.count} trades${shownRows.some((t) => t.open) ? ' (open ones marked to the last price)' : ''}.`;
  }
  function sortBy(key) {
    dir = key === sortKey ? -dir : 1;
    sortKey = key;
    fill();
  }
  fill();
  return h('div', { class: 'table-wrap trades-wrap', tabindex: 0, role: 'region', 'aria-label': 'Trade list' }, h('table', { class: 'trades', id: 'trades-table' }, h('caption', { text: 'Trades' }), h('thead', {}, h('tr', {}, heads)), body), note, more);
}

const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function exportSummary(report, setup) {
  const out = { setup, summary: report.summary, backtesting_py: { stats: report.backtesting_py?.stats }, stats: report.stats };
  download('tidemark-summary.json', JSON.stringify(out, null, 2), 'application/json');
}

export async function exportTrades(report) {
  const trades = await report.tradeList.all();
  const keys = ['instrument', 'side', 'size', 'entry_time', 'entry_price', 'entry_bar', 'exit_time', 'exit_price', 'exit_bar', 'pnl', 'return_pct', 'commission', 'duration_secs', 'tag', 'open'];
  const text = [keys.join(','), ...trades.map((t) => keys.map((k) => csvCell(t[k])).join(','))].join('\n') + '\n';
  download('tidemark-trades.csv', text, 'text/csv');
}
