// The Python tab: an editable cell run by Pyodide in a module Worker (python-worker.mjs) with the
// `tidemark` package bound to the same engine. This module and the Worker are loaded only when
// the tab is first opened, so the page's first results and transfer size do not include them.
import { $, h } from './dom.mjs';
import { PYTHON_EXAMPLE } from './python-example.mjs';

// This module is a chunk (chunks/): the Worker sits next to the page.
const WORKER_URL = new URL('python-worker.js', document.baseURI);
const KEY = 'tidemark.python.cell';
const MAX_OUTPUT = 200_000; // characters kept in the output view (the oldest are dropped)

/**
 * Wires the Python tab (`#py-code`, `#py-run`, `#py-cancel`, `#py-reset`, `#py-output`, `#py-error`)
 * and starts loading Pyodide. `probe` (the page's test probe) gets `probe.python`: load and run
 * times, the last output and error.
 */
export function initPython(probe) {
  const info = { loadMs: null, runs: 0, lastMs: null, output: '', error: null, version: null };
  probe.python = info;
  const code = $('#py-code');
  const runBtn = $('#py-run');
  const cancelBtn = $('#py-cancel');
  const out = $('#py-output');
  const errBox = $('#py-error');
  const status = (text) => {
    $('#py-status').textContent = text;
  };
  code.value = localStorage.getItem(KEY) ?? PYTHON_EXAMPLE;
  code.addEventListener('input', () => localStorage.setItem(KEY, code.value));

  // Output lines are appended in batches (one DOM update per task, not per line).
  let pending = '';
  let flushing = false;
  const append = (text) => {
    pending += text;
    if (flushing) return;
    flushing = true;
    setTimeout(() => {
      flushing = false;
      const all = (out.textContent + pending).slice(-MAX_OUTPUT);
      pending = '';
      out.textContent = all;
      out.scrollTop = out.scrollHeight;
      info.output = all;
    }, 0);
  };

  let worker = null;
  let running = null; // {id, t0}
  let ids = 0;
  const spawn = () => {
    worker = new Worker(WORKER_URL, { type: 'module', name: 'tidemark-python' });
    const t0 = performance.now();
    worker.onmessage = ({ data }) => {
      if (data.kind === 'status') status(data.text);
      else if (data.kind === 'ready') {
        info.loadMs = Math.round(performance.now() - t0);
        info.version = data.version;
        status(`Ready: ${data.version} (loaded in ${(info.loadMs / 1000).toFixed(1)} s).`);
        runBtn.disabled = running !== null;
      } else if (data.kind === 'out') append(`${data.text}\n`);
      else if (data.kind === 'done') finish(data);
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      finish({ id: running?.id ?? 0, ms: 0, error: { type: 'LoadError', code: null, message: `the Python worker failed: ${e.message ?? 'could not load'}`, traceback: '' } });
    };
    worker.postMessage({ type: 'start' });
  };

  function showError(error) {
    info.error = error;
    if (!error) {
      errBox.hidden = true;
      errBox.replaceChildren();
      return;
    }
    const head = error.code ? `${error.code} (${error.type})` : error.type;
    errBox.replaceChildren(h('strong', { text: head }), h('p', { text: error.message }), h('pre', { class: 'traceback', text: error.traceback || error.message }));
    errBox.hidden = false;
  }

  function finish({ id, ms, error }) {
    if (running && id !== running.id && id !== 0) return;
    // Output posted before 'done' is flushed before the probe says the run ended.
    setTimeout(() => {
      const wasRunning = running !== null;
      running = null;
      runBtn.disabled = false;
      cancelBtn.disabled = true;
      showError(error);
      if (!wasRunning) {
        if (error) status('Python could not be loaded: see the message below.');
        return;
      }
      info.lastMs = Math.round(ms);
      info.runs++;
      status(error ? `Failed after ${(ms / 1000).toFixed(2)} s: ${error.code ?? error.type}.` : `Done in ${(ms / 1000).toFixed(2)} s.`);
    }, 0);
  }

  function run() {
    if (running) return;
    if (!worker) spawn();
    running = { id: ++ids };
    out.textContent = '';
    info.output = '';
    showError(null);
    runBtn.disabled = true;
    cancelBtn.disabled = false;
    status(info.loadMs === null ? 'Running (after Python loads)…' : 'Running…');
    worker.postMessage({ type: 'run', id: running.id, code: code.value });
  }

  function cancel() {
    if (!running) return;
    worker.terminate();
    worker = null;
    running = null;
    info.loadMs = null;
    runBtn.disabled = false;
    cancelBtn.disabled = true;
    status('Cancelled: Python was stopped (its variables are gone); the next run starts it again.');
  }

  runBtn.addEventListener('click', run);
  cancelBtn.addEventListener('click', cancel);
  $('#py-reset').addEventListener('click', () => {
    code.value = PYTHON_EXAMPLE;
    localStorage.removeItem(KEY);
  });
  // Tab indents in the cell; Escape then Tab leaves it; Ctrl+Enter (or Shift+Enter) runs it.
  let escaped = false;
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.shiftKey || e.metaKey)) {
      e.preventDefault();
      run();
    } else if (e.key === 'Escape') escaped = true;
    else if (e.key === 'Tab' && !e.shiftKey && !escaped) {
      e.preventDefault();
      code.setRangeText('    ', code.selectionStart, code.selectionEnd, 'end');
      localStorage.setItem(KEY, code.value);
    } else escaped = false;
  });
  runBtn.disabled = true;
  spawn();
}
