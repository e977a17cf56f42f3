// The config editor: a form generated from the package's JSON Schema (schema/config.schema.json)
// beside a JSON view of the same config. Both are validated by the engine (parseConfig, in the
// worker); its error names a path, shown at the field with that path and under the JSON view.
import { h } from './dom.mjs';
import schema from '../../schema/config.schema.json';

const defs = schema.$defs;
const DECIMAL = '^-?\\d+(\\.\\d+)?([eE]\\d+)?$';

// A path as the engine writes it ("executions[0].fees_percent") to keys, and back.
export const pathKeys = (path) => path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
export function getAt(obj, path) {
  let o = obj;
  for (const k of pathKeys(path)) o = o?.[k];
  return o;
}
export function setAt(obj, path, value) {
  const keys = pathKeys(path);
  let o = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    if (o[keys[i]] === null || typeof o[keys[i]] !== 'object') o[keys[i]] = typeof keys[i + 1] === 'number' ? [] : {};
    o = o[keys[i]];
  }
  const last = keys.at(-1);
  if (value === undefined) delete o[last];
  else o[last] = value;
}

// The fixed values a property may take (booleans, enums, consts), or null when it is open.
function choicesOf(p) {
  const out = [];
  for (const alt of p.anyOf ?? p.oneOf ?? [p]) {
    const a = alt.$ref ? defs[alt.$ref.split('/').pop()] : alt;
    if (a.type === 'boolean' && !a.enum) out.push(false, true);
    else if (Array.isArray(a.enum)) out.push(...a.enum);
    else if ('const' in a) out.push(a.const);
    else if (a.type !== 'null' && !(p.anyOf ?? p.oneOf)) return null;
  }
  return out.length > 1 && (p.anyOf ?? p.oneOf) ? out : null;
}

// What input a schema property gets.
function kindOf(prop) {
  const p = prop.$ref ? defs[prop.$ref.split('/').pop()] : prop;
  const choices = choicesOf(p);
  if (choices) return { kind: 'choice', choices };
  const any = p.anyOf?.find((x) => x.type !== 'null') ?? p;
  const types = [].concat(any.type ?? p.type ?? []);
  const nullable = types.includes('null') || (p.anyOf ?? []).some((x) => x.type === 'null') || p.default === null;
  if (any.pattern === DECIMAL || p.pattern === DECIMAL) return { kind: 'decimal', nullable };
  if (types.includes('integer')) return { kind: 'integer', nullable, min: any.minimum };
  if (types.includes('boolean')) return { kind: 'boolean' };
  if (types.includes('string')) return { kind: 'text', nullable };
  return null;
}

const label = (key) => key.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());
const descriptionOf = (prop) => (prop.description ?? '').split('\n').join(' ');
let uid = 0;

export class ConfigForm {
  #config = {};

  /** `onChange(config, source)` runs after every edit ('form' or 'json'). */
  constructor({ formEl, jsonEl, jsonErrEl, onChange }) {
    this.formEl = formEl;
    this.jsonEl = jsonEl;
    this.jsonErrEl = jsonErrEl;
    this.onChange = onChange;
    jsonEl.addEventListener('input', () => this.#fromJson());
  }

  get config() {
    return this.#config;
  }

  setConfig(config) {
    this.#config = structuredClone(config);
    this.jsonEl.value = JSON.stringify(this.#config, null, 2);
    this.#clearJsonError();
    this.#build();
  }

  #fromJson() {
    let parsed;
    try {
      parsed = JSON.parse(this.jsonEl.value);
    } catch (e) {
      // V8's message gives "at position N" (or line/column): turn it into a line and column.
      const pos = Number(/position (\d+)/.exec(e.message)?.[1]);
      let where = '';
      if (Number.isFinite(pos)) {
        const before = this.jsonEl.value.slice(0, pos).split('\n');
        where = ` (line ${before.length}, column ${before.at(-1).length + 1})`;
      }
      this.#jsonError(`JSON syntax error${where}: ${e.message}`);
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.#jsonError('The config must be a JSON object.');
      return;
    }
    this.#config = parsed;
    this.#clearJsonError();
    this.#build();
    this.onChange(this.#config, 'json');
  }

  #fromForm() {
    this.jsonEl.value = JSON.stringify(this.#config, null, 2);
    this.onChange(this.#config, 'form');
  }

  #jsonError(text) {
    this.jsonErrEl.textContent = text;
    this.jsonErrEl.hidden = false;
    this.jsonEl.setAttribute('aria-invalid', 'true');
  }

  #clearJsonError() {
    this.jsonErrEl.textContent = '';
    this.jsonErrEl.hidden = true;
    this.jsonEl.removeAttribute('aria-invalid');
  }

  /** Shows the engine's verdict: null clears; an error goes to its field (or the nearest parent's) and under the JSON view. */
  showError(err) {
    for (const el of this.formEl.querySelectorAll('.err')) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of this.formEl.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    if (!err) {
      this.#clearJsonError();
      return;
    }
    const path = err.details?.path ?? '';
    this.#jsonError(err.message);
    const fields = [...this.formEl.querySelectorAll('[data-path]')];
    let target = fields.find((f) => f.dataset.path === path);
    // The engine may name the parent ("strategy" for a bad strategy field): its first field.
    target ??= fields.find((f) => path && f.dataset.path.startsWith(`${path}.`));
    let p = path;
    while (!target && p) {
      p = p.replace(/(\.[^.[]+|\[\d+\])$/, '');
      if (p === path) break;
      target = fields.find((f) => f.dataset.path === p);
    }
    target ??= this.formEl.querySelector('[data-path]');
    const errEl = target && document.getElementById(`${target.id}-err`);
    if (target && errEl) {
      target.setAttribute('aria-invalid', 'true');
      errEl.textContent = err.message;
      errEl.hidden = false;
    }
  }

  // One input bound to a path of the config.
  #field(path, key, prop) {
    const k = kindOf(prop);
    if (!k) return null;
    const id = `f${++uid}`;
    const value = getAt(this.#config, path);
    const help = descriptionOf(prop);
    const describedBy = `${id}-help ${id}-err`;
    let input;
    if (k.kind === 'choice') {
      // The first option leaves the key out (the engine's default applies).
      const def = prop.default !== undefined && prop.default !== null ? `: ${JSON.stringify(prop.default)}` : '';
      input = h('select', { id, 'aria-describedby': describedBy },
        h('option', { value: '', text: `(default${def})` }),
        k.choices.map((c) => h('option', { value: JSON.stringify(c), text: String(c), selected: value !== undefined && JSON.stringify(value) === JSON.stringify(c) })));
      input.addEventListener('change', () => {
        setAt(this.#config, path, input.value === '' ? undefined : JSON.parse(input.value));
        this.#fromForm();
      });
    } else if (k.kind === 'boolean') {
      input = h('input', { type: 'checkbox', id, checked: value === true, 'aria-describedby': describedBy });
      input.addEventListener('change', () => {
        setAt(this.#config, path, input.checked);
        this.#fromForm();
      });
    } else {
      input = h('input', { id, type: 'text', inputmode: k.kind === 'text' ? undefined : k.kind === 'integer' ? 'numeric' : 'decimal', value: value === undefined || value === null ? '' : String(value), placeholder: prop.default !== undefined && prop.default !== null ? String(prop.default) : k.nullable ? 'none' : '', 'aria-describedby': describedBy, autocomplete: 'off', spellcheck: 'false' });
      input.addEventListener('input', () => {
        const s = input.value.trim();
        let v;
        if (s === '') v = k.nullable || prop.default !== undefined ? undefined : '';
        else if (k.kind === 'integer') v = /^-?\d+$/.test(s) ? Number(s) : s;
        // Decimals stay numbers when they print back the same (as in the sample files), else
        // exact text; anything else goes as typed, for the engine to judge.
        else if (k.kind === 'decimal') v = /^-?\d+(\.\d+)?$/.test(s) && String(Number(s)) === s ? Number(s) : s;
        else v = s;
        setAt(this.#config, path, v);
        this.#fromForm();
      });
    }
    input.dataset.path = path;
    return h('div', { class: `field ${k.kind}` },
      h('label', { for: id, text: label(key) }),
      input,
      h('small', { id: `${id}-help`, class: 'help', text: help }),
      h('p', { id: `${id}-err`, class: 'err', hidden: true }));
  }

  #group(title, fields) {
    const list = fields.filter(Boolean);
    return list.length ? h('fieldset', {}, h('legend', { text: title }), list) : null;
  }

  #strategyGroup(base) {
    const path = `${base}strategy`;
    const current = getAt(this.#config, path);
    const variants = defs.StrategyConfig.oneOf;
    const id = `f${++uid}`;
    const select = h('select', { id, 'aria-describedby': `${id}-help ${id}-err` },
      h('option', { value: '', text: '(none: no algorithmic orders)' }),
      variants.map((v) => h('option', { value: v.properties.type.const, text: `${v.properties.type.const} — ${v.description ?? ''}`, selected: current?.type === v.properties.type.const })));
    select.dataset.path = `${path}.type`;
    select.addEventListener('change', () => {
      const variant = variants.find((v) => v.properties.type.const === select.value);
      if (!variant) setAt(this.#config, path, undefined);
      else {
        // A new type keeps the sizing and takes the variant's required parameters with defaults.
        const next = { type: select.value };
        for (const r of variant.required ?? []) if (r !== 'type') next[r] = variant.properties[r].default ?? { fast: 10, slow: 20 }[r] ?? 1;
        if (current?.sizing && variant.properties.sizing) next.sizing = current.sizing;
        setAt(this.#config, path, next);
      }
      this.#build();
      this.#fromForm();
      this.formEl.querySelector(`[data-path="${path}.type"]`)?.focus();
    });
    const fields = [h('div', { class: 'field' }, h('label', { for: id, text: 'Strategy' }), select, h('small', { id: `${id}-help`, class: 'help', text: 'Built-in strategy (or write one in JS below).' }), h('p', { id: `${id}-err`, class: 'err', hidden: true }))];
    const variant = variants.find((v) => v.properties.type.const === current?.type);
    if (variant) {
      for (const [key, prop] of Object.entries(variant.properties)) {
        if (key === 'type' || key === 'sizing') continue;
        fields.push(this.#field(`${path}.${key}`, key, prop));
      }
      if (variant.properties.sizing) {
        const sizing = current.sizing;
        if (sizing?.fixed_quantity !== undefined) fields.push(this.#field(`${path}.sizing.fixed_quantity`, 'fixed quantity', { pattern: DECIMAL, type: ['string', 'number'], description: 'Entry size: always this quantity.' }));
        else {
          fields.push(this.#field(`${path}.sizing.equity_fraction.fraction`, 'equity fraction', { pattern: DECIMAL, type: ['string', 'number'], default: '1', description: 'Entry size: share of equity, in (0, 1].' }));
          fields.push(this.#field(`${path}.sizing.equity_fraction.whole_units`, 'whole units', { type: 'boolean', description: 'Round the entry size down to whole units.' }));
        }
      }
    }
    return this.#group('Strategy', fields);
  }

  #build() {
    const c = this.#config;
    const base = c.system && typeof c.system === 'object' ? 'system.' : '';
    const body = base ? c.system : c;
    const groups = [];
    if ('cash' in c) {
      const q = defs.QuickConfig.properties;
      groups.push(this.#group('Quick config', ['cash', 'commission', 'symbol', 'quote', 'risk_free_return'].map((k) => this.#field(k, k, q[k]))));
    } else {
      const ex = defs.ExecutionConfig.properties;
      groups.push(this.#group('Portfolio', [this.#field(`${base}risk_free_return`, 'risk_free_return', defs.BarterConfig.properties.risk_free_return)]));
      (body.executions ?? []).forEach((e, i) => {
        const p = `${base}executions[${i}]`;
        const fields = ['fees_percent', 'maker_fees_percent', 'taker_fees_percent', 'latency_ms', 'response_latency_ms', 'slippage_bps'].map((k) => this.#field(`${p}.${k}`, k, ex[k]));
        (e.initial_state?.balances ?? []).forEach((b, j) => {
          fields.push(this.#field(`${p}.initial_state.balances[${j}].balance.total`, `${b.asset} balance (total)`, defs.Balance.properties.total));
          fields.push(this.#field(`${p}.initial_state.balances[${j}].balance.free`, `${b.asset} balance (free)`, defs.Balance.properties.free));
        });
        groups.push(this.#group(`Execution ${i + 1}: ${e.mocked_exchange ?? ''}`, fields));
      });
    }
    groups.push(this.#strategyGroup(base));
    const risk = defs.RiskConfig.properties;
    groups.push(this.#group('Risk', Object.entries(risk).map(([k, p]) => this.#field(`${base}risk.${k}`, k, p))));
    const engine = defs.EngineOptions.properties;
    groups.push(this.#group('Engine', ['trading_state', 'close_positions_at_end', 'summary_interval', 'time_tolerance_ms', 'equity_sample_ms', 'valuation_asset', 'benchmark_instrument'].map((k) => this.#field(`${base}engine.${k}`, k, engine[k]))));
    this.formEl.replaceChildren(...groups.filter(Boolean));
  }
}
