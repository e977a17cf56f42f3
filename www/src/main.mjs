// The playground page: wires the views to the engine Worker. The page never runs the engine: it
// sends requests to worker.mjs and draws what comes back.
import { Engine } from './engine.mjs';
import { $, h, describeError, afterFrame } from './dom.mjs';
import { SAMPLES, loadSample, preview } from './data.mjs';
import { readFile } from './file-read.mjs';
import { statsTable, tearSheets, tradeTable, exportSummary, exportTrades } from './results.mjs';
import { tradeParts } from './trade-parts.mjs';
import { loadSetup, saveSetup, saveFile, loadFile } from './setup.mjs';
import { DEFAULT_JS, DEFAULT_JS_PARAMS } from './strategy-template.mjs';
import { initTabs, selectTab } from './tabs.mjs';
import { saveRun } from './run-store.mjs';

// The engine Worker, which boot.mjs (the page's first script) started: taken over once.
const boot = globalThis.tidemarkBoot;
delete globalThis.tidemarkBoot;
const engine = new Engine(boot);
// The charting library is its own chunk, loaded alongside the engine, so this module (and so
// the Worker's start) does not wait for it.
const charts = import('./chart.mjs').then(({ Charts }) => {
  const c = new Charts($('#price-chart'), $('#equity-chart'));
  c.onMarkers = (text) => {
    $('#markers-note').textContent = text;
  };
  c.onNote = (text) => {
    $('#chart-note').textContent = text;
  };
  return c;
});
// What the tests and the page read back: timings, the last report's statistics.
const probe = { runs: 0 };
// Zooms the price chart to real bars [a, b) (tests: the level-of-detail swap).
probe.showBars = async (a, b) => (await charts).showBars?.(a, b);
window.__tidemark = probe;

const state = {
  data: { name: 'sp500', label: SAMPLES.sp500.label, text: '' },
  config: SAMPLES.sp500.config(),
  js: { enabled: false, code: DEFAULT_JS, params: DEFAULT_JS_PARAMS },
  sweep: null,
  report: null,
};

const status = (text) => {
  $('#status').textContent = text;
};

function showBox(el, err) {
  if (!err) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  const d = describeError(err);
  el.replaceChildren(h('strong', { text: `${d.code}${d.where ? ` — ${d.where}` : ''}` }), h('p', { text: d.message }));
  el.hidden = false;
}

/** The setup as it goes into links and storage. */
function setup() {
  return { v: 1, data: state.data.name, config: state.config, js: state.js, sweep: state.sweep };
}
const persist = () => saveSetup(setup());

/** The JS strategy as sent to the worker: params parsed (an error shows at the editor). */
function jsPayload() {
  if (!state.js.enabled) return { enabled: false };
  let params;
  try {
    params = JSON.parse(state.js.params || '{}');
  } catch (e) {
    throw Object.assign(new Error(`JS strategy parameters: ${e.message}`), { code: 'INVALID_ARGUMENT', where: 'editor' });
  }
  return { enabled: true, code: state.js.code, params };
}

function showJsError(err) {
  const el = $('#js-err');
  el.textContent = err ? err.message : '';
  el.hidden = !err;
  if (err) $('#js-code').setAttribute('aria-invalid', 'true');
  else $('#js-code').removeAttribute('aria-invalid');
}

// Views the first results do not need load as chunks of their own the first time their tab
// opens (the first load fetches less): each loader returns the view's handle. A view's panel
// gets data-ready once it is wired (the tests wait for it); a chunk that fails to load says so
// in the view's error box.
const views = new Map();
const VIEWS = {
  config: { error: '#config-error', load: () => configView.load() },
  runs: { error: '#runs-error', load: () => import('./runs.mjs').then(({ initRuns }) => initRuns(probe)) },
  sweep: { error: '#sweep-error', load: () => import('./sweep.mjs').then(({ initSweep }) => initSweep(sweepOptions).restore()) },
  live: { error: '#live-error', load: () => import('./live.mjs').then(({ initLive }) => initLive({ state, engineFactory: () => new Engine(), jsPayload, showBox })) },
  // The Python tab's module (and Pyodide) load the first time it is opened, never before.
  python: { error: '#py-error', load: () => import('./python.mjs').then(({ initPython }) => initPython(probe)) },
};
function view(name) {
  if (!views.has(name)) {
    const v = VIEWS[name].load();
    views.set(name, v);
    v.then(() => {
      $(`#panel-${name}`).dataset.ready = 'true';
    }, (e) => showBox($(VIEWS[name].error), typeof e?.code === 'string' ? e : { code: 'LOAD', message: `The ${name} view could not be loaded: ${e?.message ?? e}` }));
  }
  return views.get(name);
}
document.addEventListener('tabshown', async ({ detail }) => {
  if (detail === 'results') (await charts).fit();
  if (!VIEWS[detail]) return;
  const v = await view(detail).catch(() => null);
  if (detail === 'runs' && v) {
    await v.refresh();
    v.fit();
  }
});

// Each data set gets a key; the backtest Worker keeps the last text it was sent, so a re-run
// on the same data does not copy megabytes across again (the copy is made on this thread).
let dataKeys = 0;
let sentKey = -1;
const keyed = (data) => ({ ...data, key: ++dataKeys });

// ---- backtest ----
let current = null;
// The bar moves at most every PROGRESS_MS, by whole percents: on a page with results drawn, each
// repaint of the bar cost 50-90 ms tasks during a 1,000,000-event run when it followed every slice.
const PROGRESS_MS = 250;
let progressShownAt = 0;
function showProgress(fraction) {
  const now = performance.now();
  const value = Math.floor(fraction * 100) / 100;
  if (now - progressShownAt < PROGRESS_MS || value === $('#progress').value) return;
  progressShownAt = now;
  $('#progress').value = value;
}
async function run() {
  current?.cancel();
  showBox($('#run-error'), null);
  showJsError(null);
  const progress = $('#progress');
  progress.value = 0;
  $('#cancel').disabled = false;
  $('#run').disabled = true;
  status(`Running on ${state.data.label}…`);
  const t0 = performance.now();
  try {
    const js = jsPayload();
    const { key, text } = state.data;
    // A user's file goes as the File (no copy on this thread; the Worker reads it).
    current = engine.call('backtest', { config: state.config, dataKey: key, data: key === sentKey ? undefined : (state.data.file ?? text), js }, {
      onProgress: (p) => showProgress(p.total ? p.processed / p.total : 0),
    });
    sentKey = key;
    const { reportJson, trades, ms, sentAt } = await current;
    // The chart series next: the worker makes them while this thread shows the numbers.
    const series = engine.call('chart');
    // When the worker posted the result, on this page's clock (the run ends there; what follows
    // is the page's own work).
    probe.sentAt = Math.round(sentAt - performance.timeOrigin);
    const report = JSON.parse(reportJson);
    // The trades stay encoded until a view needs them (trade-parts.mjs).
    report.tradeList = tradeParts(trades, report.open_trades ?? []);
    probe.resultAt = Math.round(performance.now());
    progress.value = 1;
    state.report = report;
    render(report, series);
    probe.tablesMs = Math.round(performance.now() - probe.resultAt);
    // The first results: the sample run's numbers on the page (its charts follow).
    probe.firstResultsAt ??= performance.now();
    probe.runs++;
    probe.lastStats = report.backtesting_py?.stats ?? null;
    // A chart that fails says so in its own box (render); the run is kept without its curve.
    const chart = await series.catch(() => null);
    probe.lastBuyAndHold = chart?.equity.bh?.at(-1) ?? null;
    probe.chartsAt = Math.round(performance.now());
    keepRun(report, chart);
    probe.lastRunMs = performance.now() - t0;
    probe.engineMs = ms;
    status(`Done: ${report.stats.market_events.toLocaleString('en-US')} events, ${report.summary.portfolio.trades} trades in ${(ms / 1000).toFixed(2)} s.`);
  } catch (e) {
    progress.value = 0;
    if (e.code === 'ABORTED' || e.name === 'AbortError') status('Cancelled.');
    else {
      status('The run failed: see the message below.');
      showBox($('#run-error'), e);
      if (e.where === 'editor') showJsError(e);
      if (e.details?.location) showDataError(e);
      if (e.code === 'INVALID_CONFIG') configView.showError(e);
      probe.lastError = { code: e.code, message: e.message, details: e.details ?? null };
    }
  } finally {
    current = null;
    $('#cancel').disabled = true;
    $('#run').disabled = false;
    probe.done = (probe.done ?? 0) + 1;
  }
}


// The numbers now; the tear sheets, the trade list and the charts in later tasks, the charts
// once `series` (the worker's chart reply) arrives.
function render(report, series) {
  const stats = report.backtesting_py?.stats ?? {};
  $('#results-title').textContent = `${state.data.label} · ${state.js.enabled ? 'JS strategy' : describeStrategy(state.config)}`;
  $('#stats').replaceChildren(statsTable(stats));
  $('#export-summary').disabled = false;
  $('#export-trades').disabled = false;
  // The trade list and each chart in a task of its own, so no single task does all of it.
  const draw = async (which, chart) => {
    try {
      const c = await charts;
      const t = performance.now();
      await c[which](report, chart);
      probe[which] = [Math.round(t), Math.round(performance.now() - t)];
    } catch (e) {
      showBox($('#run-error'), { code: 'CHART', message: `The chart could not be drawn: ${e.message}` });
    }
  };
  // The tear sheets and the trade list each after a frame: one frame laying out all three
  // tables took 28 ms of style and 45 ms of rendering in all here.
  setTimeout(async () => {
    await afterFrame();
    if (state.report !== report) return; // a newer run's result is showing
    $('#sheets').replaceChildren(h('h2', { text: 'Tear sheets' }), ...tearSheets(report.summary));
    await afterFrame();
    if (state.report !== report) return;
    $('#trades').replaceChildren(tradeTable(report.tradeList));
    await afterFrame();
    let chart;
    try {
      chart = await series;
    } catch (e) {
      showBox($('#run-error'), { code: 'CHART', message: `The chart could not be drawn: ${e.message}` });
      return;
    }
    // Not in the task that received the series.
    await afterFrame();
    await draw('renderPrice', chart);
    // Each chart is created after the frame that painted the one before: a chart's first paint
    // is one of the longest tasks here (software raster), and two in one frame add up.
    await afterFrame();
    await draw('renderEquity', chart);
  }, 0);
}

// Keeps the finished run in IndexedDB for the Runs view (a failure to store is not the run's;
// without its equity curve when the chart series failed).
function keepRun(report, chart) {
  const stats = report.backtesting_py?.stats ?? {};
  const strategy = state.js.enabled ? `JS strategy ${state.js.params || ''}`.trim() : describeStrategy(state.config);
  const js = state.js.enabled ? { code: state.js.code, params: state.js.params } : null;
  const run = { data: state.data.label, strategy, config: state.config, js, stats, equity: chart ? { time: chart.equity.time, equity: chart.equity.equity } : null };
  run.key = JSON.stringify([run.data, run.config, js, stats['Equity Final [$]'], stats['# Trades']]);
  saveRun(run)
    .then(() => views.get('runs')?.then((v) => v.refresh()))
    .catch((e) => {
      probe.runStoreError = String(e?.message ?? e);
    })
    .finally(() => {
      probe.savedRuns = (probe.savedRuns ?? 0) + 1;
    });
}

function describeStrategy(config) {
  const s = config.strategy ?? config.system?.strategy;
  if (!s) return 'no strategy';
  const params = Object.entries(s).filter(([k]) => k !== 'type' && k !== 'sizing' && k !== 'allow_short').map(([k, v]) => `${k} ${v}`).join(', ');
  return `${s.type}${params ? ` (${params})` : ''}`;
}

// ---- data ----
function showDataError(err) {
  showBox($('#data-error'), err);
  const line = err?.details?.location?.line;
  if (state.data.text ?? state.data.head) $('#preview').replaceChildren(dataPreview(line));
}

// A big file's preview reads its first slice only.
const dataPreview = (line) => (state.data.head ? preview(state.data.head, line, { head: true, bytes: state.data.bytes }) : preview(state.data.text, line));

function showData() {
  $('#data-name').textContent = `Using: ${state.data.label}`;
  $('#preview').replaceChildren(dataPreview());
  for (const r of document.querySelectorAll('input[name="sample"]')) r.checked = r.value === state.data.name;
}

async function useSample(name, { resetConfig = true } = {}) {
  showBox($('#data-error'), null);
  $('#file').value = ''; // no longer the data in use
  status('Loading the sample…');
  state.data = keyed(await loadSample(name));
  if (resetConfig) {
    const c = SAMPLES[name].config;
    state.config = await c();
    configView.setConfig(state.config);
  }
  showData();
  persist();
}

async function useFile(file) {
  showBox($('#data-error'), null);
  try {
    state.data = keyed(await readFile(file));
  } catch (e) {
    showBox($('#data-error'), { code: 'FILE', message: e.message });
    return;
  }
  const kept = saveFile(state.data.label, state.data.text);
  showData();
  persist();
  if (!kept) $('#data-name').textContent += ' (too large to keep for a reload)';
  await run();
  // A bad file leaves the page on the data view with the line marked.
  if (state.data.name === 'file' && !$('#data-error').hidden) selectTab('data');
}

function initData() {
  $('#samples').replaceChildren(...Object.entries(SAMPLES).map(([name, s]) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'sample', value: name, checked: state.data.name === name, onchange: async () => {
    await useSample(name);
    await run();
  } }), ` ${s.label}`)));
  $('#file').addEventListener('change', (e) => {
    const f = e.target.files?.[0];
    if (f) useFile(f);
  });
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (!f) return;
    // The picker would still name the file it last took.
    $('#file').value = '';
    useFile(f);
  });
}

// ---- config ----
// The form, and the config schema it is made from, load when Configure first opens (views.config);
// until then the JSON view holds the config, and the engine's verdict on it waits for the form.
let validating = 0;
let verdict = null; // the engine's last error about the config, or null
let validateTimer = 0;
/** The config changed (by the form, the JSON view, a link): the engine checks it, shortly. */
function configChanged(config) {
  state.config = config;
  persist();
  const n = ++validating;
  clearTimeout(validateTimer);
  validateTimer = setTimeout(async () => {
    try {
      await engine.call('parseConfig', { config });
      if (n === validating) configView.showError(null);
    } catch (e) {
      if (n === validating) configView.showError(e);
    }
    if (n === validating) probe.validated = (probe.validated ?? 0) + 1;
  }, 150);
}
const configView = {
  form: null,
  /** Shows `config` in the form and the JSON view. */
  setConfig(config) {
    if (this.form) this.form.setConfig(config);
    else $('#config-json').value = JSON.stringify(config, null, 2);
  },
  /** Shows the engine's verdict at its field (null clears). */
  showError(err) {
    verdict = err;
    this.form?.showError(err);
  },
  async load() {
    const { ConfigForm } = await import('./form.mjs');
    const json = $('#config-json');
    const typed = json.value;
    const form = new ConfigForm({ formEl: $('#config-form'), jsonEl: json, jsonErrEl: $('#config-json-err'), onChange: configChanged });
    form.setConfig(state.config);
    this.form = form;
    form.showError(verdict);
    // Typed into the JSON view before the form was wired: taken as an edit now.
    if (typed !== json.value) {
      json.value = typed;
      json.dispatchEvent(new Event('input'));
    }
    return form;
  },
};

function initEditor() {
  const code = $('#js-code');
  const params = $('#js-params');
  const enabled = $('#js-enabled');
  code.value = state.js.code;
  params.value = state.js.params;
  enabled.checked = state.js.enabled;
  code.addEventListener('input', () => {
    state.js.code = code.value;
    persist();
  });
  // Tab inserts two spaces in the editor; Escape then Tab leaves it (keyboard users are not trapped).
  let escaped = false;
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') escaped = true;
    else if (e.key === 'Tab' && !e.shiftKey && !escaped) {
      e.preventDefault();
      code.setRangeText('  ', code.selectionStart, code.selectionEnd, 'end');
      state.js.code = code.value;
    } else escaped = false;
  });
  params.addEventListener('input', () => {
    state.js.params = params.value;
    persist();
  });
  enabled.addEventListener('change', () => {
    state.js.enabled = enabled.checked;
    persist();
  });
}

// ---- sweep ----
let sweepEngine = null;
const sweepOptions = {
  state,
  engine: () => (sweepEngine ??= new Engine()),
  jsPayload,
  showBox,
  persist,
  status,
  openRun: async (cfg, js) => {
    state.config = cfg;
    if (js) state.js = js;
    configView.setConfig(cfg);
    persist();
    selectTab('results', true); // the clicked cell is hidden now: focus goes to the Results tab
    await run();
  },
};

// ---- start ----
async function start() {
  initTabs();
  const { setup: saved, error } = loadSetup();
  if (saved) {
    state.config = saved.config ?? state.config;
    state.js = { ...state.js, ...(saved.js ?? {}) };
    state.sweep = saved.sweep ?? null;
  }
  configView.setConfig(state.config);
  initData();
  initEditor();
  for (const name of ['results', 'data']) $(`#panel-${name}`).dataset.ready = 'true';
  // The header status tells the latest action in any tab: the live replay's own status line is
  // mirrored there (runs and sweeps set it themselves).
  new MutationObserver(() => {
    const text = $('#live-status').textContent;
    if (text) status(`Live: ${text}`);
  }).observe($('#live-status'), { childList: true, characterData: true, subtree: true });
  $('#run').addEventListener('click', run);
  $('#cancel').addEventListener('click', () => current?.cancel());
  $('#share').addEventListener('click', async () => {
    persist();
    try {
      await navigator.clipboard.writeText(location.href);
      status('Link copied: it opens this setup.');
    } catch {
      status(`Copy this link: ${location.href}`);
    }
  });
  $('#export-summary').addEventListener('click', () => state.report && exportSummary(state.report, setup()));
  $('#export-trades').addEventListener('click', () => state.report && exportTrades(state.report));
  engine.call('version').then((v) => {
    probe.engineReadyAt = Math.round(performance.now());
    $('#version').textContent = `engine ${v} (WebAssembly in a Worker; ${navigator.hardwareConcurrency ?? 1} cores for sweeps)`;
  }, (e) => showBox($('#run-error'), e));

  // The data: the saved user file, or the sample the setup names (the default: S&P 500).
  const dataName = saved?.data ?? 'sp500';
  const file = dataName === 'file' ? loadFile() : null;
  if (file) {
    state.data = keyed({ name: 'file', label: file.label, text: file.text });
    showData();
  } else {
    if (dataName === 'file') status('The link names a file of your own, which is not in links: showing the S&P 500 sample.');
    await useSample(SAMPLES[dataName] ? dataName : 'sp500', { resetConfig: false });
  }
  probe.dataReadyAt = Math.round(performance.now());
  if (error) showBox($('#run-error'), { code: 'LINK', message: error });
  // The config is checked once at start too, so a bad shared link shows at the field.
  configChanged(state.config);
  await run();
}

start().catch((e) => {
  showBox($('#run-error'), e);
  status('The page could not start.');
});
