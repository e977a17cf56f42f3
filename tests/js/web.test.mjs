// The browser build (pkg/web, size-optimised) behind the same API: loaded here from bytes, as a
// page or Worker would after fetching it, it must give byte-identical reports to the Node build.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync } from '../../pkg/web/tidemark.js';
import * as webWasm from '../../pkg/web/tidemark.js';
import { bind } from '../../js/api.mjs';
import * as tm from '../../js/index.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p) => readFileSync(root + p, 'utf8');

test('the web build gives the same report bytes as the Node build', async () => {
  initSync({ module: readFileSync(root + 'pkg/web/tidemark_bg.wasm') });
  const web = bind(webWasm);
  assert.equal(web.version(), tm.version());
  const config = JSON.parse(read('data/sp500_sma_cross.json'));
  const sp500 = read('data/ohlcv/sp500.csv');
  const strategy = () => ({ onMarket: (v) => (v.close > v.open ? { target: 'long' } : { target: 'flat' }) });
  for (const options of [{}, { strategy: strategy() }]) {
    const a = await web.backtestJson(config, sp500, { ...options, logLevel: 'off' });
    const b = await tm.backtestJson(config, sp500, { ...(options.strategy ? { strategy: strategy() } : {}), logLevel: 'off' });
    assert.equal(a, b);
  }
  assert.throws(() => web.parseConfig('{'), (e) => e instanceof Error && e.code === 'DECODE');
});
