// Small DOM helpers: elements from data, never from HTML strings (user text stays text).

/** h('tag', {attr: value, onclick: fn, class: 'x'}, ...children) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// A later task (a macrotask: the page may paint and take input between).
export const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
// A task after the next frame (its layout and paint) has run.
export const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Saves text as a download (a blob URL, revoked after the click). */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** An engine error as one readable line, with its path or line/column when it has them. */
export function describeError(e) {
  const d = e?.details;
  const where = d?.location ? `line ${d.location.line}, column ${d.location.column}${d.location.path ? ` (${d.location.path})` : ''}` : d?.path ? `at ${d.path}` : '';
  return { code: e?.code ?? 'ERROR', where, message: String(e?.message ?? e) };
}
