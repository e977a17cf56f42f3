// Data sets: the bundled samples (each with the config it is meant for), the user's files by
// picker or drag-and-drop (every format the engine's loaders take: it detects which), and a
// preview of the first rows with the line a bad file fails on marked.
import { h } from './dom.mjs';
import sp500Config from '../../data/sp500_sma_cross.json';
import { unpack } from './sample-codec.mjs';

/**
 * Bundled samples: file under samples/ (`packed`: the CSV packed by the build, sample-codec.mjs,
 * turned back into the same text here) and the config they open with.
 */
export const SAMPLES = {
  sp500: { label: 'S&P 500 daily, 1999–2018 (OHLCV CSV)', file: 'samples/sp500.pack.json', packed: true, config: () => structuredClone(sp500Config) },
  nasdaq: { label: 'NASDAQ daily, 1999–2018 (OHLCV CSV)', file: 'samples/nasdaq.pack.json', packed: true, config: () => ({ cash: 10000, commission: 0.001, symbol: 'NDX', strategy: { type: 'sma_cross', fast: 5, slow: 30 } }) },
  barter: {
    label: "barter's Binance spot sample with disconnects (barter JSON)",
    file: 'samples/barter_market_data.json',
    config: async () => {
      const c = await (await fetch('samples/barter_system_config.json')).json();
      c.strategy = { type: 'buy_and_hold', sizing: { fixed_quantity: '0.0001' } };
      return c;
    },
  },
};

export async function loadSample(name) {
  const s = SAMPLES[name];
  const res = await fetch(s.file);
  if (!res.ok) throw new Error(`${s.file}: HTTP ${res.status}`);
  return { name, label: s.label, text: s.packed ? unpack(await res.json()) : await res.text() };
}

/** Guesses the format for the preview's heading (the engine decides for itself). */
export function formatOf(text) {
  const s = text.trimStart();
  if (s.startsWith('[') || s.startsWith('{')) return 'barter JSON';
  const first = s.slice(0, s.indexOf('\n') >>> 0).toLowerCase();
  if (/\bprice\b/.test(first)) return 'trades CSV';
  if (!/[a-df-z]/.test(first)) return 'CSV without header (Binance klines?)';
  return 'OHLCV CSV';
}

/**
 * The first rows as a table (CSV) or lines (JSON); `badLine` (1-based) is marked. `head`: only
 * the start of a bigger file (`bytes` long), whose line count is then estimated.
 */
export function preview(text, badLine, { head = false, bytes = text.length } = {}) {
  const lines = [];
  let start = 0;
  for (let i = 0; i < 12 && start < text.length; i++) {
    const end = text.indexOf('\n', start);
    lines.push(text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ''));
    start = end < 0 ? text.length : end + 1;
  }
  const fmt = formatOf(text);
  // Counting the rest by a scan, not a regex match (an array of every newline in a big file).
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  if (text.endsWith('\n')) count--;
  if (head) count = Math.round((count * bytes) / text.length);
  const more = Math.max(0, count + 1 - lines.length);
  const caption = h('caption', { text: `First ${lines.length} lines (${fmt}${more ? `, ${head ? 'about ' : ''}${more.toLocaleString('en-US')} more` : ''})` });
  if (fmt.includes('JSON')) {
    return h('figure', { class: 'preview' }, h('figcaption', { text: caption.textContent }), h('pre', { tabindex: 0, 'aria-label': 'data preview' }, lines.map((l, i) => h('span', { class: i + 1 === badLine ? 'bad' : undefined, text: `${String(i + 1).padStart(3)}  ${l}\n` }))));
  }
  const rows = lines.map((l) => l.split(','));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'preview' }, caption,
    h('tbody', {}, rows.map((cells, i) => h('tr', { class: i + 1 === badLine ? 'bad' : undefined }, h('th', { scope: 'row', text: String(i + 1) }), cells.map((c) => h(i === 0 && /[a-df-z]/i.test(l0(rows)) ? 'th' : 'td', { text: c })))))));
}
const l0 = (rows) => rows[0].join(',');
