// Builds the browser playground (www/) into www/dist/: static files that work offline from one
// origin. esbuild (already a devDependency, one binary, no config) bundles the page and the
// engine worker as ES modules, so the page needs no CDN and no import map; the wasm and the
// sample data are copied next to them. Run: node scripts/build-www.mjs
import { build, transform } from 'esbuild';
import { copyFile, mkdir, rm, writeFile, readFile, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants } from 'node:zlib';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipAsync as zopfli } from '@gfx/zopfli';
import { pack, unpack } from '../www/src/sample-codec.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Builds www/dist/ (or `out`); returns the output folder. */
export async function buildWww({ out = `${root}www/dist/`, minify = true } = {}) {
  await rm(out, { recursive: true, force: true });
  await mkdir(`${out}samples`, { recursive: true });
  const common = {
    // js/pyodide.mjs reads files in Node and imports the npm `pyodide` itself when not given
    // an instance: neither happens in the page (Pyodide is served as files under pyodide/).
    external: ['node:*', 'pyodide', '*/web.mjs', '*/index.mjs'],
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    // lightweight-charts reads process.env.NODE_ENV to pick its production build.
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  await Promise.all([
    // The page: the charting library, the Runs view and the Python tab become chunks (the
    // charts load in parallel with the engine Worker; the other two when their view opens).
    build({ ...common, entryPoints: { app: `${root}www/src/main.mjs` }, splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
    // The Workers, one file each: the engine Worker shares no chunk with the Python one, so the
    // first load fetches one file for it.
    // The sweep Workers the engine Worker's API pool starts (js/sweep-worker-web.mjs, bundled).
    build({ ...common, entryPoints: { boot: `${root}www/src/boot.mjs`, worker: `${root}www/src/worker.mjs`, 'python-worker': `${root}www/src/python-worker.mjs`, 'sweep-worker': `${root}js/sweep-worker-web.mjs` }, splitting: false }),
  ]);
  const copies = [
    ['www/index.html', 'index.html'],
    ['pkg/web/tidemark_bg.wasm', 'tidemark_bg.wasm'],
    ['data/ohlcv/sp500.csv', 'samples/sp500.csv'],
    ['data/ohlcv/nasdaq.csv', 'samples/nasdaq.csv'],
    ['data/barter/binance_spot_market_data_with_disconnect_events.json', 'samples/barter_market_data.json'],
    ['data/barter/system_config.json', 'samples/barter_system_config.json'],
    ['data/README.md', 'samples/README.md'],
    ['data/ohlcv/LICENSE.arch', 'samples/LICENSE.arch'],
    ['data/barter/LICENSE', 'samples/LICENSE.barter'],
  ];
  const version = JSON.parse(await readFile(`${root}package.json`, 'utf8')).version;
  // The Python tab: Pyodide's runtime files (the npm package, same origin) and the tidemark
  // wheel, fetched only when that tab is opened.
  const wheel = `tidemark-${version}-py3-none-any.whl`;
  if (!existsSync(`${root}dist/${wheel}`)) {
    const r = spawnSync('bash', [`${root}scripts/build-wheel.sh`], { cwd: root, encoding: 'utf8' });
    // Without python3 the rest of the page still builds; the Python tab then says what is missing.
    if (r.status !== 0) console.warn(`scripts/build-wheel.sh failed (the Python tab will not load):\n${r.stdout}\n${r.stderr}`);
  }
  const haveWheel = existsSync(`${root}dist/${wheel}`);
  await mkdir(`${out}pyodide`, { recursive: true });
  await mkdir(`${out}python`, { recursive: true });
  for (const f of PYODIDE_FILES) copies.push([`node_modules/pyodide/${f}`, `pyodide/${f}`]);
  if (haveWheel) copies.push([`dist/${wheel}`, `python/${wheel}`]);
  await Promise.all(copies.map(([from, to]) => copyFile(root + from, out + to)));
  // The style sheet minified like the scripts (its comments say why a rule is there; the page
  // need not fetch them).
  const css = await readFile(`${root}www/src/style.css`, 'utf8');
  await writeFile(`${out}style.css`, minify ? (await transform(css, { loader: 'css', minify: true, target: 'chrome100' })).code : css);
  // The page fetches the OHLCV samples packed (www/src/sample-codec.mjs: half the CSV's gzip
  // size); the CSVs stay beside them for the Python tab and for reading.
  for (const name of PACKED_SAMPLES) {
    const text = await readFile(`${root}data/ohlcv/${name}.csv`, 'utf8');
    const packed = pack(text);
    if (unpack(structuredClone(packed)) !== text) throw new Error(`data/ohlcv/${name}.csv: the packed copy does not give the file back`);
    await writeFile(`${out}samples/${name}.pack.json`, JSON.stringify(packed));
  }
  await writeFile(`${out}build.json`, JSON.stringify({ version, built: 'www', wheel: haveWheel ? `python/${wheel}` : null }));
  await precompress(out);
  return out;
}

// The OHLCV samples the page fetches packed (data.mjs names the same files).
const PACKED_SAMPLES = ['sp500', 'nasdaq'];

// What Pyodide loads at start: the module, its wasm, the standard library and the lock file.
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

// Brotli (best quality) and gzip copies next to each text file and the wasm, made once here so
// the server never compresses on a request (brotli at quality 11 takes seconds for the wasm):
// the page's first load is about 480 KB with brotli, 583 KB with gzip, instead of 1.5 MB.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.csv', '.json', '.md']);
// Brotli's best quality takes 36 s on Pyodide's 9.6 MB wasm: quality 9 above this size (3.5 s).
const BROTLI_MAX_AT_BEST = 4 * 1024 * 1024;
// gzip copies of the page's files by Zopfli (npm @gfx/zopfli, WebAssembly): valid gzip, 6-11%
// smaller than zlib's level 9 (the wasm 410 → 387 KB, the S&P 500 sample 101 → 90 KB). Zopfli
// and brotli's best quality take seconds per megabyte, so both copies are cached by content
// (node_modules/.cache/, not committed); files above ZOPFLI_MAX (Pyodide's, fetched only by the
// Python tab) get zlib's level 9.
const ZOPFLI_MAX = 2 * 1024 * 1024;
const CACHE = `${root}node_modules/.cache/tidemark-www-compressed/`;
async function cached(kind, body, make) {
  const file = `${CACHE}${createHash('sha256').update(body).digest('hex')}.${kind}`;
  try {
    return await readFile(file);
  } catch {
    const out = await make();
    await mkdir(CACHE, { recursive: true });
    await writeFile(file, out);
    return out;
  }
}

async function precompress(dir) {
  const files = (await readdir(dir, { recursive: true })).filter((f) => COMPRESSIBLE.has(extname(f)));
  await Promise.all(files.map(async (f) => {
    const body = await readFile(dir + f);
    if (body.length < 1024) return;
    const [br, gz] = await Promise.all([
      cached('br', body, () => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: body.length > BROTLI_MAX_AT_BEST ? 9 : 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })),
      cached('gz', body, async () => (body.length > ZOPFLI_MAX ? promisify(gzip)(body, { level: 9 }) : Buffer.from(await zopfli(body, { numiterations: 15 })))),
    ]);
    await Promise.all([writeFile(`${dir}${f}.br`, br), writeFile(`${dir}${f}.gz`, gz)]);
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildWww();
  console.log(`playground built in ${out}`);
}
