// The parameters a sweep can vary: a built-in strategy's integer and number parameters, read
// from the config's JSON Schema (schema/config.schema.json, as the form is), or a JS strategy's
// numeric params, and ranges of values (the constraints are sweep-constraints.mjs, which the
// engine Worker imports without this module's schema).
import schema from '../../schema/config.schema.json';

const strategies = schema.$defs.StrategyConfig.oneOf;

/**
 * The numeric parameters of `strategy` (a config's `strategy` object) or of a JS strategy's
 * `params`: `[{name, integer, value, min, description}]`, in the schema's order.
 */
export function sweepParams(strategy, jsParams) {
  if (jsParams) {
    return Object.entries(jsParams)
      .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
      .map(([name, v]) => ({ name, integer: Number.isInteger(v), value: v, min: undefined, description: 'JS strategy parameter' }));
  }
  const alt = strategies.find((s) => s.properties?.type?.const === strategy?.type);
  if (!alt) return [];
  const out = [];
  for (const [name, p] of Object.entries(alt.properties)) {
    const types = [].concat(p.type ?? []);
    const integer = types.includes('integer');
    if (!integer && !types.includes('number')) continue;
    const raw = strategy[name] ?? p.default;
    const value = Number(raw);
    out.push({ name, integer, value: Number.isFinite(value) ? value : integer ? 1 : 0, min: p.minimum, description: p.description ?? '' });
  }
  return out;
}

/** The values from `from` to `to` by `step` (at most `max`), rounded to the inputs' decimals. */
export function range(from, to, step, max = 1000) {
  const decimals = Math.max(...[from, step].map((v) => (String(v).split('.')[1] ?? '').length));
  const out = [];
  for (let i = 0; out.length < max; i++) {
    const v = Number((from + i * step).toFixed(decimals));
    if (v > to + 1e-12) break;
    out.push(v);
  }
  return out;
}
