#!/usr/bin/env node
// The `tidemark` command: backtests and sweeps from the terminal (`tidemark --help`).
// Bad input exits with status 2 and prints `error CODE: message`; a failure to write the output
// exits with status 1 (`error INTERNAL: ...`), except a closed pipe (`| head`): status 0, quietly.
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tm from '../js/index.mjs';

// The summary intervals the core knows (src/statistic/interval.rs `SummaryInterval::from_name`).
const INTERVALS = ['daily', 'annual252', 'annual365'];

const USAGE = `usage:
  tidemark backtest --data FILE --cash N [--commission F] [--symbol SYM] --strategy NAME [--param k=v]...
                    one instrument, backtesting.py's defaults (next-open fills, all-in whole units)
  tidemark backtest --config FILE --data FILE [--strategy NAME|FILE.mjs] [--param k=v]... [--instrument SYM]
                    [--interval ${INTERVALS.join('|')}] [--format table|json] [--out FILE]
                    [--log-level debug|info|warn|error|off]
  tidemark sweep    (--config FILE | --cash N [--commission F]) --data FILE --grid k=v1,v2,... [--grid ...] [--rank-by STAT]
                    [--strategy NAME|FILE.mjs] [--param k=v]... [--workers N|auto] [--format table|json] [--out FILE]
  tidemark python SCRIPT.py [ARG]...
                    runs a Python script in Pyodide (Node) with "import tidemark" available (top-level
                    await allowed; the working directory is readable as usual; needs the npm package pyodide)
  tidemark help | --help | -h      this text
  tidemark --version               the version

  A sweep runs at most ${100_000} combinations (--grid sizes multiplied); each --grid name once.
  --workers: threads for a built-in strategy's sweep: this one and N - 1 worker threads (default
  auto: one per core when the grid is large enough to gain); the results do not depend on it.
  A --strategy ending in .js or .mjs is a JS strategy module: its default export is the strategy
  object, or a function of the --param values returning one (sweeps need the function: it gets
  each --grid combination over the --param values).

built-in strategies (--strategy NAME; parameters as --param name=value, [default]):
  none               no algorithmic orders
  buy_and_hold       sizing [{"equity_fraction":{"fraction":"1"}}]
  sma_cross          fast [10], slow [20] (fast < slow), sizing [as above], allow_short [false]
  ema_cross          fast [10], slow [20] (fast < slow), sizing [as above], allow_short [false]
  rsi_reversion      period [14], oversold [30], overbought [70], sizing [as above], allow_short [false]
  donchian_breakout  entry_period [20], exit_period [10], sizing [as above], allow_short [false]
  market_maker       spread_bps, quantity, max_inventory (required), requote_bps [spread_bps / 4]
  sizing: {"fixed_quantity":"0.5"} or {"equity_fraction":{"fraction":"1","whole_units":true}}`;

class UsageError extends tm.TidemarkError {
  constructor(message) {
    super('INVALID_ARGUMENT', message);
  }
}

function parse(argv) {
  // `tidemark --help` / `--version` with no command.
  const [command, ...rest] = argv[0]?.startsWith('-') ? [undefined, ...argv] : argv;
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
      case '--cash': opts.cash = need(); break;
      case '--commission': opts.commission = need(); break;
      case '--symbol': opts.symbol = need(); break;
      case '--data': opts.data = need(); break;
      case '--strategy': opts.strategy = need(); break;
      case '--param': opts.params.push(need()); break;
      case '--grid': opts.grid.push(need()); break;
      case '--instrument': opts.instrument = need(); break;
      case '--interval': opts.interval = need(); break;
      case '--format': opts.format = need(); break;
      case '--out': opts.out = need(); break;
      case '--rank-by': opts.rankBy = need(); break;
      case '--workers': opts.workers = need(); break;
      case '--log-level': opts.logLevel = need(); break;
      case '--help': case '-h': opts.help = true; break;
      case '--version': opts.version = true; break;
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

// What the OS said about a file, for messages: "permission denied (EACCES)".
const OS_REASONS = { ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'is a directory', ENOTDIR: 'a part of the path is not a directory', ENOSPC: 'no space left on the device', EROFS: 'read-only file system', EMFILE: 'too many open files', ENAMETOOLONG: 'name too long', ELOOP: 'too many symbolic links' };
const osReason = (e) => `${OS_REASONS[e.code] ?? e.message} (${e.code ?? 'error'})`;

// A file named by a flag, as text; an OS refusal is INVALID_ARGUMENT naming the flag, the file and
// the reason (not DECODE: nothing was decoded).
function readText(flag, file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot read it: ${osReason(e)}`);
  }
}

// A data file as a stream of 1 MiB chunks, decoded into the engine as it is read (memory flat in
// the file's size). Opened here, so a refusal is the same INVALID_ARGUMENT as `readText`'s.
function readStream(flag, file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw new UsageError(`${flag} ${file}: cannot read it: ${osReason(e)}`);
  }
  return createReadStream(null, { fd, highWaterMark: 1 << 20 });
}

function loadConfig(opts, stream = false) {
  if (!opts.data) throw new UsageError('--data is required');
  const quick = ['cash', 'commission', 'symbol'].filter((k) => opts[k] !== undefined);
  let config;
  if (opts.config) {
    if (quick.length) throw new UsageError(`--${quick[0]} makes a config of its own: leave out --config, or set it in the config file`);
    const text = readText('--config', opts.config);
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new tm.TidemarkError('DECODE', `${opts.config}: ${e.message}`);
    }
  } else if (opts.cash !== undefined) {
    // The quick config (src/config/quick.rs): decimals stay text, the core checks them.
    config = { cash: opts.cash, ...(opts.commission !== undefined && { commission: opts.commission }), ...(opts.symbol !== undefined && { symbol: opts.symbol }) };
  } else {
    throw new UsageError('--config FILE is required, or --cash N [--commission F] for one instrument with backtesting.py\'s defaults');
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
  return { config, data: stream ? readStream('--data', opts.data) : readText('--data', opts.data) };
}

const isModule = (name) => typeof name === 'string' && /\.(m?js)$/.test(name);

// A JS strategy module's default export: a strategy object, or a factory of parameters.
async function jsModule(opts) {
  let module;
  try {
    module = await import(pathToFileURL(resolve(opts.strategy)).href);
  } catch (e) {
    throw new UsageError(`--strategy ${opts.strategy}: ${e.message}`);
  }
  if (module.default === undefined || module.default === null) {
    throw new UsageError(`--strategy ${opts.strategy}: the module has no default export (export default a strategy object or a factory of parameters)`);
  }
  return module.default;
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

// A progress line, on a TTY only. A streamed file's event count is known only at its end: until
// then the bar follows the bytes read out of `totalBytes` (the file's size) and counts events.
function progressBar(label, totalBytes) {
  if (!process.stderr.isTTY) return undefined;
  const width = 30;
  return ({ processed, total, bytes }) => {
    const part = total ? processed / total : totalBytes && bytes !== undefined ? Math.min(1, bytes / totalBytes) : 0;
    const done = Math.round(part * width);
    const count = total === undefined ? `${processed} events` : `${processed}/${total}`;
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${count}`);
    if (total !== undefined && processed === total) process.stderr.write('\n');
  };
}

function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return undefined; // reading it reports the error
  }
}

// A failure to write the output: not bad input (status 1). A closed pipe (`tidemark ... | head`)
// is the reader having seen enough: status 0, nothing printed.
class OutputError extends tm.TidemarkError {
  constructor(message, cause) {
    super('INTERNAL', message, { cause });
  }
}

function stdoutFailed(e) {
  if (e?.code === 'EPIPE') process.exit(0);
  process.stderr.write(`error INTERNAL: cannot write to standard output: ${osReason(e)}\n`);
  process.exit(1);
}

function emit(text, opts) {
  const body = text.endsWith('\n') ? text : text + '\n';
  if (opts.out) {
    try {
      writeFileSync(opts.out, body);
    } catch (e) {
      // A file the user named that cannot be written (EACCES, EISDIR...) is bad input; a full disk not.
      if (e.code === 'ENOSPC' || e.code === 'EIO') throw new OutputError(`--out ${opts.out}: cannot write it: ${osReason(e)}`, e);
      throw new UsageError(`--out ${opts.out}: cannot write it: ${osReason(e)}`);
    }
    return;
  }
  try {
    process.stdout.write(body);
  } catch (e) {
    stdoutFailed(e);
  }
}

// Python script source, compiled with top-level await, run as __main__; the status is
// SystemExit's code, 1 for an uncaught exception (its traceback on stderr), else 0.
const PY_MAIN = `
import ast, inspect, sys, traceback
async def _tidemark_main(path, argv):
    sys.argv = list(argv)
    try:
        with open(path, encoding="utf-8") as f:
            code = compile(f.read(), path, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, {"__name__": "__main__", "__file__": path})
        if inspect.iscoroutine(result):
            await result
        return 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        print(e.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
_tidemark_main
`;

// `tidemark python SCRIPT.py [ARG]...`: the script and its arguments are not tidemark's options.
async function python(args) {
  const [script, ...rest] = args;
  if (script === undefined || script === '--help' || script === '-h') throw new UsageError('python needs a script: tidemark python SCRIPT.py [ARG]...');
  const path = resolve(script);
  try {
    readFileSync(path);
  } catch (e) {
    throw new UsageError(`python ${script}: cannot read it: ${osReason(e)}`);
  }
  const { loadTidemarkPython } = await import('../js/pyodide.mjs');
  let py;
  try {
    py = await loadTidemarkPython({ api: tm, stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) });
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND') throw new UsageError('python: the npm package pyodide is not installed (npm install pyodide)');
    throw e;
  }
  // The host's working directory and the script's folder, at their own paths.
  const cwd = process.cwd();
  for (const dir of new Set([cwd, dirname(path)])) {
    py.FS.mkdirTree(dir);
    py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, dir);
  }
  py.FS.chdir(cwd);
  py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(dirname(path))})`);
  const main = py.runPython(PY_MAIN);
  const status = await main(path, py.toPy([script, ...rest]));
  main.destroy();
  process.exitCode = status;
}

async function main(argv) {
  if (argv[0] === 'python') return python(argv.slice(1));
  const { command, opts } = parse(argv);
  if (opts.version) {
    emit(`tidemark ${tm.version()}`, {});
    return;
  }
  if (opts.help || !command || command === 'help') {
    emit(USAGE, {});
    return;
  }
  const format = opts.format ?? 'table';
  if (!['table', 'json'].includes(format)) throw new UsageError(`--format ${format}: expected table or json`);
  if (command === 'backtest') {
    const { config, data } = loadConfig(opts, true);
    const o = { instrument: opts.instrument, interval: opts.interval, onProgress: progressBar('backtest', fileSize(opts.data)), strategy: await jsStrategy(opts), logLevel: opts.logLevel };
    emit(format === 'json' ? await tm.backtestJson(config, data, o) : await tm.backtestTable(config, data, o), opts);
  } else if (command === 'sweep') {
    const { config, data } = loadConfig(opts);
    if (!opts.grid.length) throw new UsageError('sweep needs at least one --grid name=v1,v2,...');
    const grid = {};
    for (const g of opts.grid) {
      const [k, v] = keyValue(g, '--grid');
      if (Object.hasOwn(grid, k)) throw new UsageError(`--grid ${k}: given twice; list every value once: --grid ${k}=v1,v2,...`);
      grid[k] = v.split(',').map(literal);
    }
    const rankBy = opts.rankBy ?? 'sharpe_ratio';
    const workers = opts.workers === undefined || opts.workers === 'auto' ? 'auto' : /^[0-9]+$/.test(opts.workers) ? Number(opts.workers) : undefined;
    if (workers === undefined) throw new UsageError(`--workers ${opts.workers}: expected a whole number or auto`);
    const rows = await tm.sweep(config, data, grid, { instrument: opts.instrument, rankBy, workers, onProgress: progressBar('sweep'), strategy: await jsFactory(opts), logLevel: opts.logLevel });
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
    throw new UsageError(`unknown command ${command} (tidemark --help lists the commands)`);
  }
}

// Writes to a pipe fail asynchronously: EPIPE when the reader closed it.
process.stdout.on('error', stdoutFailed);

main(process.argv.slice(2)).catch((e) => {
  const code = typeof e?.code === 'string' && tm.ERROR_CODES.includes(e.code) ? e.code : 'INTERNAL';
  let message;
  try {
    // One line: scripts read `error CODE: message` (JSON.parse's messages quote the text, newlines too).
    message = String(e?.message ?? e).replace(/\s*\n\s*/g, ' ');
  } catch {
    message = 'an unprintable error';
  }
  // Core errors already start with their code.
  process.stderr.write(`error ${message.startsWith(`${code}: `) ? message : `${code}: ${message}`}\n`);
  // Bad input is status 2; an internal failure (a trap, an output that cannot be written) 1.
  process.exitCode = e instanceof tm.TidemarkError && code !== 'INTERNAL' ? 2 : 1;
});
