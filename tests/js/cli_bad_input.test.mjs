// Bad input for the `tidemark` command (issue #10): every case exits with status 2 and one line
// `error CODE: message` on stderr naming the flag, file, field or line; output that cannot be
// written is status 1 (`error INTERNAL`), a closed pipe status 0; help and version are there.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, openSync, closeSync, existsSync, statSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (args, options = {}) => spawnSync(process.execPath, [(options.cwd ?? root) + 'bin/tidemark.mjs', ...args], { cwd: root, encoding: 'utf8', ...options });
const cfg = ['--config', 'data/sp500_sma_cross.json'];
const dat = ['--data', 'data/ohlcv/sp500.csv'];
const base = [...cfg, ...dat];

const dir = mkdtempSync(tmpdir() + '/tm-cli-');
const file = (name, text) => {
  writeFileSync(`${dir}/${name}`, text);
  return `${dir}/${name}`;
};
mkdirSync(`${dir}/a-directory`);
const folder = `${dir}/a-directory`;
const notJson = file('config.txt', 'strategy: sma\n');
const badConfig = file('bad-config.json', JSON.stringify({ instruments: 'none' }));
const emptyConfig = file('empty.json', '');
const badCsv = file('bad.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n01/04/1999,1,1,1,1,1,1\n01/05/1999,1x,1,1,1,1,1\n');
const badJsonData = file('bad.json', '[{"Item": ');
const noDefault = file('no-default.mjs', 'export const strategy = { onMarket() {} };\n');
const numberDefault = file('number-default.mjs', 'export default 5;\n');
const asyncHook = file('async.mjs', 'export default { async onMarket(v) { if (v.close > 0) throw new Error("later"); } };\n');
const cyclicHook = file('cyclic.mjs', 'export default { onMarket() { const a = []; a.push(a); return a; } };\n');
const throwingHook = file('throwing.mjs', 'export default { onMarket() { throw new Error("boom"); } };\n');
const objectDefault = file('object.mjs', 'export default { onMarket() {} };\n');
const thousand = [...Array(1000).keys()].map((i) => i + 1).join(',');

// The root-only files for EACCES: root reads anything, so those cases run as `nobody`, from a
// world-readable copy of what the command needs (the checkout may sit in a folder only root can
// enter, as a fresh clone in a `mktemp -d` does).
const nobodyRoot = `${dir}/as-nobody/`;
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534, cwd: nobodyRoot } : {};
const secret = file('secret.json', '{}');
chmodSync(secret, 0o600);
const lockedDir = `${dir}/locked`;
mkdirSync(lockedDir);
chmodSync(lockedDir, 0o500);
chmodSync(dir, 0o755);
if (asNobody.cwd) {
  for (const part of ['bin', 'js', 'pkg', 'package.json', 'data/sp500_sma_cross.json', 'data/ohlcv/sp500.csv']) {
    if (existsSync(root + part)) cpSync(root + part, nobodyRoot + part, { recursive: true });
  }
}

// [args, code, the message names, spawn options]
const cases = [
  [['backtest', ...dat], 'INVALID_ARGUMENT', /--config/],
  [['backtest', ...cfg], 'INVALID_ARGUMENT', /--data/],
  [['backtest', '--config'], 'INVALID_ARGUMENT', /--config needs a value/],
  [['backtest', '--config', '--data', 'x'], 'INVALID_ARGUMENT', /--config needs a value/],
  [['backtest', '--config', `${dir}/missing.json`, ...dat], 'INVALID_ARGUMENT', /--config .*missing\.json: cannot read it: no such file \(ENOENT\)/],
  [['backtest', '--config', folder, ...dat], 'INVALID_ARGUMENT', /--config .*a-directory: cannot read it: is a directory \(EISDIR\)/],
  [['backtest', '--config', secret, ...dat], 'INVALID_ARGUMENT', /--config .*secret\.json: cannot read it: permission denied \(EACCES\)/, asNobody],
  [['backtest', ...cfg, '--data', `${dir}/missing.csv`], 'INVALID_ARGUMENT', /--data .*missing\.csv: cannot read it: no such file/],
  [['backtest', ...cfg, '--data', folder], 'INVALID_ARGUMENT', /--data .*a-directory: cannot read it: is a directory \(EISDIR\)/],
  [['backtest', ...cfg, '--data', secret], 'INVALID_ARGUMENT', /--data .*secret\.json: cannot read it: permission denied \(EACCES\)/, asNobody],
  [['backtest', ...base, '--out', folder], 'INVALID_ARGUMENT', /--out .*a-directory: cannot write it: is a directory \(EISDIR\)/],
  [['backtest', ...base, '--out', `${dir}/missing/r.txt`], 'INVALID_ARGUMENT', /--out .*missing\/r\.txt: cannot write it: no such file \(ENOENT\)/],
  [['backtest', ...base, '--out', `${lockedDir}/r.txt`], 'INVALID_ARGUMENT', /--out .*locked\/r\.txt: cannot write it: permission denied \(EACCES\)/, asNobody],
  [['backtest', '--config', notJson, ...dat], 'DECODE', /config\.txt/],
  [['backtest', '--config', emptyConfig, ...dat], 'DECODE', /empty\.json/],
  [['backtest', '--config', badConfig, ...dat], 'INVALID_CONFIG', /instruments/],
  [['backtest', ...cfg, '--data', badCsv], 'DECODE', /line 3/],
  [['backtest', ...cfg, '--data', badJsonData], 'DECODE', /line 1/],
  [['backtest', ...base, '--interval', 'hourly'], 'INVALID_ARGUMENT', /interval.*hourly/],
  [['backtest', ...base, '--interval', ''], 'INVALID_ARGUMENT', /interval/],
  [['backtest', ...base, '--format', 'xml'], 'INVALID_ARGUMENT', /--format xml/],
  [['backtest', ...base, '--log-level', 'loud'], 'INVALID_ARGUMENT', /loud/],
  [['backtest', ...base, '--instrument', 'AAPL'], 'INVALID_ARGUMENT', /instrument.*AAPL/],
  [['backtest', ...base, '--instrument', ''], 'INVALID_ARGUMENT', /instrument/],
  [['backtest', ...base, '--param', 'fast=30'], 'INVALID_CONFIG', /strategy\.fast/],
  [['backtest', ...base, '--param', 'fast'], 'INVALID_ARGUMENT', /--param fast: expected name=value/],
  [['backtest', ...base, '--param', '=5'], 'INVALID_ARGUMENT', /--param =5/],
  [['backtest', ...base, '--param', 'sizing=bad'], 'INVALID_CONFIG', /strategy\.sizing: unknown variant `bad`/],
  [['backtest', ...base, '--param', 'speed=3'], 'INVALID_CONFIG', /speed/],
  [['backtest', ...base, '--strategy', 'no_such_strategy'], 'INVALID_CONFIG', /no_such_strategy|strategy/],
  [['backtest', ...base, '--strategy', `${dir}/missing.mjs`], 'INVALID_ARGUMENT', /--strategy .*missing\.mjs/],
  [['backtest', ...base, '--strategy', noDefault], 'INVALID_ARGUMENT', /--strategy .*no-default\.mjs: the module has no default export/],
  [['backtest', ...base, '--strategy', numberDefault], 'INVALID_ARGUMENT', /strategy/],
  [['backtest', ...base, '--strategy', asyncHook], 'STRATEGY', /onMarket.*synchronous/],
  [['backtest', ...base, '--strategy', cyclicHook], 'STRATEGY', /onMarket/],
  [['backtest', ...base, '--strategy', throwingHook], 'STRATEGY', /onMarket.*boom/],
  [['backtest', '--colour', 'red'], 'INVALID_ARGUMENT', /unknown option --colour/],
  [['frobnicate'], 'INVALID_ARGUMENT', /unknown command frobnicate/],
  [['sweep', ...base], 'INVALID_ARGUMENT', /--grid/],
  [['sweep', ...base, '--grid', 'fast=5,10', '--grid', 'fast=20'], 'INVALID_ARGUMENT', /--grid fast: given twice/],
  [['sweep', ...base, '--grid', 'fast=5', '--grid', 'slow=20', '--grid', 'slow=30'], 'INVALID_ARGUMENT', /--grid slow: given twice/],
  [['sweep', ...base, '--grid', 'fast'], 'INVALID_ARGUMENT', /--grid fast: expected name=value/],
  [['sweep', ...base, '--grid', 'speed=1,2'], 'INVALID_ARGUMENT', /grid\.speed/],
  [['sweep', ...base, '--grid', 'fast='], 'INVALID_ARGUMENT', /grid\.fast/],
  [['sweep', ...base, '--grid', 'fast=a,b'], 'INVALID_ARGUMENT', /grid\.fast/],
  [['sweep', ...base, '--grid', `fast=${thousand}`, '--grid', `slow=${thousand}`], 'INVALID_ARGUMENT', /grid: 1000 fast × 1000 slow combinations: a sweep runs at most 100000/],
  [['sweep', ...base, '--grid', 'fast=5', '--rank-by', 'luck'], 'INVALID_ARGUMENT', /luck/],
  [['sweep', ...base, '--grid', 'fast=5', '--workers', 'many'], 'INVALID_ARGUMENT', /--workers many: expected a whole number or auto/],
  [['sweep', ...base, '--grid', 'fast=5', '--workers', '0'], 'INVALID_ARGUMENT', /workers: expected 'auto' or a whole number/],
  [['sweep', ...base, '--grid', 'fast=5', '--format', 'csv'], 'INVALID_ARGUMENT', /--format csv/],
  [['sweep', ...base, '--strategy', objectDefault, '--grid', 'fast=5'], 'INVALID_ARGUMENT', /factory/],
  [['sweep', ...base, '--strategy', noDefault, '--grid', 'fast=5'], 'INVALID_ARGUMENT', /no default export/],
  [['sweep', ...base, '--strategy', 'buy_and_hold', '--grid', 'fast=5'], 'INVALID_ARGUMENT', /grid\.fast/],
  [['sweep', ...cfg, '--data', folder, '--grid', 'fast=5'], 'INVALID_ARGUMENT', /--data .*EISDIR/],
  [['sweep', ...base, '--grid', 'fast=5', '--out', folder], 'INVALID_ARGUMENT', /--out .*EISDIR/],
];

for (const [args, code, names, options] of cases) {
  const what = args.map((a) => (a.length > 40 ? `${a.slice(0, 37)}...` : a)).join(' ');
  test(`exit 2, ${code}: tidemark ${what}`, (t) => {
    if (options?.uid !== undefined && !existsSync(nobodyRoot + 'pkg/node/tidemark_bg.wasm')) return t.skip('no build');
    const r = cli(args, options);
    assert.equal(r.status, 2, `status: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^error ${code}: `));
    assert.match(r.stderr, names);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /at .*\.mjs:\d+|Unhandled|node:internal/, 'no stack trace');
  });
}

test('help, -h, --help and --version', () => {
  for (const args of [['help'], ['--help'], ['-h'], ['backtest', '--help'], []]) {
    const r = cli(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /^usage:/);
    // The built-in strategies with their parameters and defaults.
    for (const s of ['none', 'buy_and_hold', 'sma_cross', 'ema_cross', 'rsi_reversion', 'donchian_breakout', 'market_maker']) assert.match(r.stdout, new RegExp(`\\n  ${s} `));
    assert.match(r.stdout, /period \[14\], oversold \[30\], overbought \[70\]/);
    assert.match(r.stdout, /daily\|annual252\|annual365/);
  }
  const v = cli(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^tidemark \d+\.\d+\.\d+\n$/);
});

test('--interval takes every summary interval the core has', () => {
  for (const interval of ['daily', 'annual252', 'annual365']) {
    const r = cli(['backtest', ...base, '--interval', interval, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
  }
});

test('a closed pipe ends the command quietly with status 0', () => {
  // head closes the pipe after one byte; the report is far larger than a pipe's buffer.
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" bin/tidemark.mjs backtest ${base.join(' ')} --format json | head -c 1 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: root, encoding: 'utf8' });
  assert.match(r.stderr, /^status 0\n$/, r.stderr);
});

test('a full disk on stdout or --out is status 1 with error INTERNAL', (t) => {
  if (!existsSync('/dev/full')) return t.skip('no /dev/full');
  const full = openSync('/dev/full', 'w');
  try {
    const r = cli(['backtest', ...base, '--format', 'json'], { stdio: ['ignore', full, 'pipe'] });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^error INTERNAL: cannot write to standard output: no space left on the device \(ENOSPC\)\n$/);
  } finally {
    closeSync(full);
  }
  const out = cli(['backtest', ...base, '--out', '/dev/full']);
  assert.equal(out.status, 1, out.stderr);
  assert.match(out.stderr, /^error INTERNAL: --out \/dev\/full: cannot write it: no space left on the device \(ENOSPC\)\n$/);
});

test('the native example ends quietly on a closed pipe', (t) => {
  // The newest build (scripts/sample.sh builds the release one; a stale debug one must not win).
  const exe = ['debug', 'release'].map((p) => `${root}target/${p}/examples/backtest`).filter(existsSync).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!exe) return t.skip('native example not built (cargo build --example backtest)');
  const r = spawnSync('bash', ['-c', `"${exe}" ${base.join(' ')} --format json | head -c 1 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: root, encoding: 'utf8' });
  assert.match(r.stderr, /^status 0\n$/, r.stderr);
});
