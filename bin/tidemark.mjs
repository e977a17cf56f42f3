#!/usr/bin/env node
// The `tidemark` command: backtests and sweeps from the terminal.
//   tidemark backtest --config FILE --data FILE [--strategy NAME|FILE.mjs] [--param k=v]... [--instrument SYM]
//                     [--interval daily|annual252|annual365] [--format table|json] [--out FILE]
//                     [--log-level debug|info|warn|error|off]
//   tidemark sweep    --config FILE --data FILE --grid k=v1,v2,... [--grid ...] [--rank-by STAT] [...]
// Bad input exits with status 2 and prints the error code and message.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tm from '../js/index.mjs';

const USAGE = `usage:
  tidemark backtest --config FILE --data FILE [--strategy NAME|FILE.mjs] [--param k=v]... [--instrument SYM]
                    [--interval daily|annual252|annual365] [--format table|json] [--out FILE]
                    [--log-level debug|info|warn|error|off]
  A --strategy ending in .js or .mjs is a JS strategy module: its default export is the strategy
  object, or a function of the --param values returning one (sweeps need the function: it gets
  each --grid combination over the --param values).
  tidemark sweep    --config FILE --data FILE --grid k=v1,v2,... [--grid ...] [--rank-by STAT]
                    [--strategy NAME] [--param k=v]... [--format table|json] [--out FILE]`;

class UsageError extends tm.TidemarkError {
  constructor(message) {
    super('INVALID_ARGUMENT', message);
  }
}

function parse(argv) {
  const [command, ...rest] = argv;
  const opts = { params: [], grid: [] };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--config': opts.config = need(); break;
      case '--data': opts.data = need(); break;
      case '--strategy': opts.strategy = need(); break;
      case '--param': opts.params.push(need()); break;
      case '--grid': opts.grid.push(need()); break;
      case '--instrument': opts.instrument = need(); break;
      case '--interval': opts.interval = need(); break;
      case '--format': opts.format = need(); break;
      case '--out': opts.out = need(); break;
      case '--rank-by': opts.rankBy = need(); break;
      case '--log-level': opts.logLevel = need(); break;
      case '--help': case '-h': opts.help = true; break;
      default: throw new UsageError(`unknown option ${flag}`);
    }
  }
  return { command, opts };
}

const literal = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

function keyValue(text, flag) {
  const eq = text.indexOf('=');
  if (eq < 1) throw new UsageError(`${flag} ${text}: expected name=value`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function loadConfig(opts) {
  if (!opts.config || !opts.data) throw new UsageError('--config and --data are required');
  let config;
  try {
    config = JSON.parse(readFileSync(opts.config, 'utf8'));
  } catch (e) {
    throw new tm.TidemarkError(e.code === 'ENOENT' ? 'INVALID_ARGUMENT' : 'DECODE', `${opts.config}: ${e.message}`);
  }
  if (isModule(opts.strategy)) {
    // The --param values go to the module's factory, not to the config's strategy.
  } else if (opts.strategy || opts.params.length) {
    const strategy = opts.strategy && opts.strategy !== config.strategy?.type ? { type: opts.strategy } : { ...(config.strategy ?? {}) };
    for (const p of opts.params) {
      const [k, v] = keyValue(p, '--param');
      strategy[k] = literal(v);
    }
    config.strategy = strategy;
  }
  let data;
  try {
    data = readFileSync(opts.data, 'utf8');
  } catch (e) {
    throw new UsageError(`${opts.data}: ${e.message}`);
  }
  return { config, data };
}

const isModule = (name) => typeof name === 'string' && /\.(m?js)$/.test(name);

// A JS strategy module's default export: a strategy object, or a factory of parameters.
async function jsModule(opts) {
  try {
    return (await import(pathToFileURL(resolve(opts.strategy)).href)).default;
  } catch (e) {
    throw new UsageError(`--strategy ${opts.strategy}: ${e.message}`);
  }
}

const paramValues = (opts) => Object.fromEntries(opts.params.map((p) => {
  const [k, v] = keyValue(p, '--param');
  return [k, literal(v)];
}));

// The strategy for a backtest: the module's object, or its factory called with the --param values.
async function jsStrategy(opts) {
  if (!isModule(opts.strategy)) return undefined;
  const exported = await jsModule(opts);
  return typeof exported === 'function' ? exported(paramValues(opts)) : exported;
}

// The factory for a sweep: each grid combination, over the fixed --param values.
async function jsFactory(opts) {
  if (!isModule(opts.strategy)) return undefined;
  const exported = await jsModule(opts);
  if (typeof exported !== 'function') throw new UsageError(`--strategy ${opts.strategy}: a sweep needs a default export that is a factory of parameters`);
  const fixed = paramValues(opts);
  return (params) => exported({ ...fixed, ...params });
}

function progressBar(label) {
  if (!process.stderr.isTTY) return undefined;
  return ({ processed, total }) => {
    const width = 30;
    const done = total ? Math.round((processed / total) * width) : width;
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${processed}/${total}`);
    if (processed === total) process.stderr.write('\n');
  };
}

function emit(text, opts) {
  if (opts.out) writeFileSync(opts.out, text.endsWith('\n') ? text : text + '\n');
  else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

async function main(argv) {
  const { command, opts } = parse(argv);
  if (opts.help || !command) {
    console.log(USAGE);
    return;
  }
  const format = opts.format ?? 'table';
  if (!['table', 'json'].includes(format)) throw new UsageError(`--format ${format}: expected table or json`);
  if (command === 'backtest') {
    const { config, data } = loadConfig(opts);
    const o = { instrument: opts.instrument, interval: opts.interval, onProgress: progressBar('backtest'), strategy: await jsStrategy(opts), logLevel: opts.logLevel };
    emit(format === 'json' ? await tm.backtestJson(config, data, o) : await tm.backtestTable(config, data, o), opts);
  } else if (command === 'sweep') {
    const { config, data } = loadConfig(opts);
    if (!opts.grid.length) throw new UsageError('sweep needs at least one --grid name=v1,v2,...');
    const grid = Object.fromEntries(opts.grid.map((g) => {
      const [k, v] = keyValue(g, '--grid');
      return [k, v.split(',').map(literal)];
    }));
    const rankBy = opts.rankBy ?? 'sharpe_ratio';
    const rows = await tm.sweep(config, data, grid, { instrument: opts.instrument, rankBy, onProgress: progressBar('sweep'), strategy: await jsFactory(opts), logLevel: opts.logLevel });
    if (format === 'json') {
      emit(JSON.stringify(rows, null, 2), opts);
    } else {
      const names = Object.keys(grid);
      const stats = [...new Set([rankBy, 'return_pct', 'max_drawdown_pct', 'trades'])];
      const lines = [[...names, ...stats].join('\t')];
      for (const r of rows) {
        const s = r.stats ?? {};
        lines.push([...names.map((n) => r.strategy[n]), ...stats.map((k) => s[k])].map((x) => (typeof x === 'number' ? +x.toFixed(6) : x ?? 'N/A')).join('\t'));
      }
      emit(lines.join('\n'), opts);
    }
  } else {
    throw new UsageError(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  const code = e?.code ?? 'INTERNAL';
  const message = String(e?.message ?? e);
  // Core errors already start with their code.
  process.stderr.write(`error ${message.startsWith(`${code}: `) ? message : `${code}: ${message}`}\n`);
  process.exitCode = 2;
});
