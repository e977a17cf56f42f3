// A sweep's rows as a 2-D table, for heatmaps (the playground's, a notebook's, a chart library's).
import { TidemarkError } from './errors.mjs';
import { statNumber } from './stat-value.mjs';

const invalid = (message) => new TidemarkError('INVALID_ARGUMENT', message);

// Parameter values in order: numbers numerically, anything else by its JSON text.
const order = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0);

/**
 * `rows` (a sweep's result) as a table over two parameters: `{x, y, xs, ys, values}`, where
 * `values[j][i]` is the `value` (default 'score', what the sweep ranked by; or a statistic such
 * as 'return_pct') of the combination with `x = xs[i]` and `y = ys[j]`, or null when it did not
 * run or has no value. With more than two parameters, each cell holds the best-ranked row's value
 * over the others (rows come best first), as backtesting.py users do with
 * `heatmap.groupby([x, y]).max()` on a maximised statistic.
 */
export function heatmap(rows, { x, y, value = 'score' } = {}) {
  if (!Array.isArray(rows)) throw invalid('rows: expected the array a sweep resolved to');
  for (const [name, v] of [['x', x], ['y', y], ['value', value]]) {
    if (typeof v !== 'string') throw invalid(`${name}: expected a parameter name (text), got ${v === null ? 'null' : typeof v}`);
  }
  if (x === y) throw invalid(`x and y: expected two different parameters, got ${JSON.stringify(x)} twice`);
  const xs = [];
  const ys = [];
  const seen = (list, v) => list.some((w) => order(w, v) === 0) || list.push(v);
  rows.forEach((r, i) => {
    const p = r?.strategy;
    if (p === null || typeof p !== 'object' || !(x in p) || !(y in p)) throw invalid(`rows[${i}].strategy: expected the parameters ${JSON.stringify(x)} and ${JSON.stringify(y)}`);
    seen(xs, p[x]);
    seen(ys, p[y]);
  });
  xs.sort(order);
  ys.sort(order);
  const values = ys.map(() => xs.map(() => null));
  const filled = ys.map(() => xs.map(() => false));
  for (const r of rows) {
    const i = xs.findIndex((v) => order(v, r.strategy[x]) === 0);
    const j = ys.findIndex((v) => order(v, r.strategy[y]) === 0);
    if (filled[j][i]) continue;
    const v = statNumber(value === 'score' ? r.score : r.stats?.[value]);
    if (v !== null) {
      values[j][i] = v;
      filled[j][i] = true;
    }
  }
  return { x, y, xs, ys, values };
}
