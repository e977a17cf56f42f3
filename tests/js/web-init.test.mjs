// The browser build's entry, in Node: it says why when the engine's WebAssembly lacks SIMD (the
// module needs it), and otherwise gives the report Node's build gives.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as node from '../../js/index.mjs';
import { init } from '../../js/web-init.mjs';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root));

test('the web build refuses an engine without WebAssembly SIMD by name, and runs on one with it', async () => {
  const bytes = read('pkg/web/tidemark_bg.wasm');
  const validate = WebAssembly.validate;
  WebAssembly.validate = () => false;
  try {
    await assert.rejects(init(bytes), /no 128-bit SIMD, which Tidemark needs \(Chrome and Edge 91, Firefox 89, Safari 16\.4/);
  } finally {
    WebAssembly.validate = validate;
  }
  const tm = await init(bytes);
  const config = JSON.parse(read('data/sp500_sma_cross.json'));
  const csv = read('data/ohlcv/sp500.csv').toString();
  const web = await tm.backtestJson(config, csv, { logLevel: 'off' });
  assert.equal(web, await node.backtestJson(config, csv, { logLevel: 'off' }));
  assert.equal(JSON.parse(web).backtesting_py.stats['# Trades'], 130);
});
