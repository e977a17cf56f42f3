// Runs pytest on tests/python/ inside Pyodide under Node, with tidemark bound to the Node JS API.
// Needs `node --experimental-wasm-stack-switching` (JSPI): the Python API is async, as the JS API
// is, and conftest.py runs `async def` tests to completion with pyodide.ffi.run_sync.
// Usage: node --experimental-wasm-stack-switching tests/python/run.mjs [pytest args...]
// Exit status: pytest's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTidemarkPython } from '../../js/pyodide.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const wheels = join(repo, 'vendor/wheels');
if (!existsSync(wheels) || !readdirSync(wheels).some((f) => f.startsWith('pytest-'))) {
  console.error(`missing ${wheels}: run bash scripts/fetch-wheels.sh`);
  process.exit(3);
}
const py = await loadTidemarkPython();
const site = py.runPython('import sysconfig; sysconfig.get_path("purelib")');
for (const f of readdirSync(wheels).filter((f) => f.endsWith('.whl')).sort()) {
  py.unpackArchive(new Uint8Array(readFileSync(join(wheels, f))), 'wheel', { extractDir: site });
}
// The repository, read-only in spirit: data files and the tests themselves.
py.FS.mkdirTree('/repo');
py.FS.mount(py.FS.filesystems.NODEFS, { root: repo }, '/repo');
py.globals.set('PYTEST_ARGS', py.toPy(process.argv.slice(2)));
const code = await py.runPythonAsync(`
import sys
sys.dont_write_bytecode = True
import pytest
args = list(PYTEST_ARGS) or ["-q"]
int(pytest.main(["-p", "no:cacheprovider", "-p", "pytester", "--rootdir=/repo/tests/python", "/repo/tests/python", *args]))
`);
process.exit(code);
