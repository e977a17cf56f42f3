// The Python tab's Worker: Pyodide (served from this origin under pyodide/) with the `tidemark`
// wheel installed and bound to the same engine the page uses (tidemark_bg.wasm, js/web-init.mjs).
// Requests: {type: 'run', id, code}. Replies: {kind: 'status' | 'out' | 'ready' | 'done', ...}.
// A cell's stdout and stderr arrive line by line while it runs; its exception (traceback,
// type, and the TidemarkError code when it is one) arrives with 'done'. Cancelling is the page's
// job: it terminates this Worker (Python cannot be interrupted without SharedArrayBuffer).
import * as web from '../../js/web-init.mjs';
import { installTidemark } from '../../js/pyodide.mjs';

const base = new URL('./', self.location.href);
const at = (path) => new URL(path, base).href;
const post = (message) => self.postMessage(message);

// Samples written into Pyodide's file system, so a cell can open() them.
const SAMPLES = { 'data/sp500.csv': 'samples/sp500.csv', 'data/nasdaq.csv': 'samples/nasdaq.csv' };

// Runs a cell in one namespace kept between runs (as a notebook does), with top-level await. The
// traceback starts at the cell's first frame and shows the cell's lines.
const RUNNER = `
import json, linecache, sys, traceback
from pyodide.code import eval_code_async

_tm_ns = {"__name__": "__main__"}
_tm_cells = 0

async def _tm_run(source):
    global _tm_cells
    _tm_cells += 1
    name = f"<cell {_tm_cells}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        await eval_code_async(source, _tm_ns, filename=name)
        return None
    except BaseException as e:
        sys.stdout.flush()
        sys.stderr.flush()
        tb = traceback.TracebackException.from_exception(e)
        frames = list(tb.stack)
        first = next((i for i, f in enumerate(frames) if f.filename == name), len(frames))
        lines = ["Traceback (most recent call last):\\n"] if frames[first:] else []
        lines += traceback.format_list(frames[first:]) + list(tb.format_exception_only())
        code = getattr(e, "code", None)
        cls = type(e)
        return json.dumps({
            "type": cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}",
            "code": code if isinstance(code, str) else None,
            "message": str(e),
            "traceback": "".join(lines),
        })
`;

let ready = null;
let runCell = null;
function start() {
  ready ??= (async () => {
    const t0 = performance.now();
    post({ kind: 'status', text: 'Loading Python (Pyodide) and the engine…' });
    const [{ loadPyodide }, api, build, ...samples] = await Promise.all([
      import(/* a file served next to this one, not bundled */ at('pyodide/pyodide.mjs')),
      // The API as tidemark/web has it: the module's exports (heatmap, events...) and the engine's.
      web.init(at('tidemark_bg.wasm')).then((engine) => ({ ...web, ...engine })),
      fetch(at('build.json')).then((r) => r.json()),
      ...Object.values(SAMPLES).map((path) => fetch(at(path)).then((r) => r.text())),
    ]);
    const pyodide = await loadPyodide({ indexURL: at('pyodide/'), fullStdLib: false });
    pyodide.setStdout({ batched: (text) => post({ kind: 'out', stream: 'stdout', text }) });
    pyodide.setStderr({ batched: (text) => post({ kind: 'out', stream: 'stderr', text }) });
    if (!build.wheel) throw new Error('this build has no tidemark wheel (scripts/build-wheel.sh needs python3 when the playground is built)');
    post({ kind: 'status', text: 'Installing tidemark…' });
    await installTidemark(pyodide, api, { wheel: at(build.wheel) });
    pyodide.FS.mkdirTree('/home/pyodide/data');
    for (const [i, path] of Object.keys(SAMPLES).entries()) pyodide.FS.writeFile(`/home/pyodide/${path}`, samples[i]);
    await pyodide.runPythonAsync(RUNNER);
    const version = pyodide.runPython('import sys, tidemark; f"Python {sys.version.split()[0]}, tidemark {tidemark.__version__}"');
    post({ kind: 'ready', ms: performance.now() - t0, version });
    return pyodide;
  })();
  return ready;
}

async function run(id, code) {
  const t0 = performance.now();
  let error = null;
  try {
    const pyodide = await start();
    runCell ??= pyodide.globals.get('_tm_run');
    const failed = await runCell(code);
    if (failed) error = JSON.parse(failed);
  } catch (e) {
    // Loading failed (a fetch, the CSP): not a Python error.
    error = { type: 'LoadError', code: null, message: String(e?.message ?? e), traceback: String(e?.stack ?? e) };
  }
  post({ kind: 'done', id, ms: performance.now() - t0, error });
}

self.onmessage = ({ data }) => {
  if (data.type === 'start') start().catch((e) => post({ kind: 'done', id: 0, ms: 0, error: { type: 'LoadError', code: null, message: String(e?.message ?? e), traceback: '' } }));
  else if (data.type === 'run') run(data.id, data.code);
};
