// Types of the `tidemark` package. Defined once, in Rust: the unions live in types.gen.d.ts
// (tests/generated_types.rs), the config, events, report and audit trail in schema.gen.d.ts (generated from
// schema/*.schema.json, which tests/generated_schema.rs generates from the Rust types); `tsc`
// checks this file against tests/types/usage.ts.
import type { ErrorCode, LogLevel, IntervalName, MarketKind } from './types.gen.js';
export type { ErrorCode, LogLevel, IntervalName, MarketKind };
import type { AuditTick, AuditSnapshot, Config, ReportJson, PortfolioStats, MarketEvent, AccountEvent, Command, InstrumentFilter, MarketEventStreamItem, AccountEventStreamItem, ExchangeId } from './schema.gen.js';
export type * from './schema.gen.js';

/** Stable error codes, from the Rust core. */
export declare const ERROR_CODES: readonly ErrorCode[];
/** Every error this package throws. */
export declare class TidemarkError extends Error {
  constructor(code: ErrorCode, message: string, options?: { recoverable?: boolean; details?: unknown; cause?: unknown });
  readonly code: ErrorCode;
  /** False when the engine cannot go on (shut down, a failed strategy hook, an internal fault). */
  readonly recoverable: boolean;
  /** The structured fields of the Rust error (`field`, `path`, `location`...). */
  readonly details: unknown;
  /** Live systems: the audit ticks of the inputs applied before the error. */
  readonly ticks?: AuditTick[];
  /** `System.feedFrom`: how many items were applied before the error (every item pulled was). */
  readonly applied?: number;
}
/** Decimal numbers cross as strings. */
export type DecimalStr = string;
/** A decimal given to a constructor or a strategy request: exact text, or a number by its shortest form. */
export type DecimalLike = string | number;
/** A time given to a constructor: a Date, ms since the epoch, or RFC 3339 text. */
export type TimeLike = Date | number | string;
/**
 * What the API reads of an `AbortSignal` (declared here so the types need neither the DOM lib nor
 * @types/node; both hosts' `AbortSignal` fits).
 */
export interface AbortSignalLike { readonly aborted: boolean; readonly reason: unknown; throwIfAborted(): void }
/**
 * Progress of a backtest: events processed of `total`. For streamed data the total is not known
 * until the end (`undefined` before the last call); `bytes` read so far and, for a Blob/File,
 * `totalBytes` are given instead.
 */
export interface Progress { processed: number; total: number | undefined; bytes?: number; totalBytes?: number }
/** A starting balance that replaces the config's (per exchange named; `free` defaults to `total`). */
export interface BalanceSeed { exchange?: string; asset: string; total: DecimalStr; free?: DecimalStr }
/**
 * A log record of the engine (fills, refusals, rejections, trading state, disconnects).
 * `kind` is the fixed name to filter on (`'fill'`, `'order refused'`, ...); `message` is plain
 * text (`order refused: SPX buy 100 @ 1228.099976: max_order_notional: notional 122809.997600 exceeds 5000`).
 * Identical refusals, rejections and disconnects within one engine call (a live call, a backtest
 * slice) come as one record: the first, with `count` and ` (×N)` in its message.
 */
export interface LogRecord { level: LogLevel; sequence: number; time: string; kind: string; message: string; fields: Record<string, unknown>; count: number }
/** Where records go: `logger[level](message, record)`. console fits. */
export interface Logger { debug(msg: string, r: LogRecord): void; info(msg: string, r: LogRecord): void; warn(msg: string, r: LogRecord): void; error(msg: string, r: LogRecord): void }
type Column = ArrayLike<number>;
/** Bars as columns; `time` is each bar's close time in ms since the epoch. */
export interface CandleColumns { time: Column; open: Column; high: Column; low: Column; close: Column; volume?: Column }
/** Trades as columns; `side` +1 buy, -1 sell (default buys). */
export interface TradeColumns { time: Column; price: Column; amount: Column; side?: Column }
/**
 * A stream of the data's text, decoded chunk by chunk into the running engine (memory flat in the
 * data's size): a web `ReadableStream` or a `Blob`/`File` (anything with `getReader()` or
 * `stream()`), a Node `Readable`, or any async iterable of string or byte chunks (split anywhere).
 */
export type DataStream =
  | AsyncIterable<string | Uint8Array | ArrayBuffer>
  | { getReader(): unknown }
  | { stream(): unknown; readonly size: number };
/**
 * Text (barter JSON, OHLCV or trades CSV), its UTF-8 bytes, a stream of it, an array of barter
 * stream items, or columns.
 */
export type BacktestData = string | Uint8Array | ArrayBuffer | DataStream | unknown[] | CandleColumns | TradeColumns | Dataset;
/** What `loadData` decodes: the data `backtest` takes, but a Dataset. */
export type LoadableData = Exclude<BacktestData, Dataset>;
/** How `loadData` reads text data: `format`, `sort` and `instrument` as `backtest` takes them. */
export type LoadOptions = Pick<BacktestOptions, 'format' | 'sort' | 'instrument'>;
/**
 * Market data decoded once by `loadData` and shared, not copied, by every backtest and sweep
 * given it (a run then skips decoding). Tied to the instruments of the config it was loaded with:
 * a config indexing other instruments is refused (INVALID_ARGUMENT naming `data`). A run or sweep
 * given a Dataset takes no `format`, `sort` or `instrument` (they were fixed by `loadData`). One
 * made from text also keeps the text's bytes, which each worker of a parallel sweep decodes once
 * and keeps for later sweeps over the same Dataset (until `free()`); one made from columns sweeps
 * in this thread. Every event's values are checked when it is loaded, so runs skip that check.
 */
export declare class Dataset {
  private constructor();
  /** Market events in the data (what one run processes). */
  readonly events: number;
  /** Frees the decoded data now (else when garbage-collected); using it after throws INVALID_ARGUMENT. */
  free(): void;
}
/**
 * Decodes market data once into a `Dataset` for many runs (as a DataFrame in backtesting.py), for
 * the instruments of `config`. A stream is read whole. Rejects as `backtest` would on the same data;
 * an event with a bad value (INVALID_EVENT naming `events[n]`) already here, not in the run.
 */
export declare function loadData(config: Config | string, data: LoadableData, options?: LoadOptions): Promise<Dataset>;
export interface LogOptions {
  /** Where records go (default console, which gets the message alone: one line per record). */
  logger?: Logger;
  /** The lowest level logged (default 'warn'). */
  logLevel?: LogLevel | 'off';
}
export interface BacktestOptions extends LogOptions {
  initialBalances?: BalanceSeed[];
  /** The data's format; left out, the core detects it (barter JSON, OHLCV CSV incl. Binance klines, trades CSV). */
  format?: 'auto' | 'barter-json' | 'ohlcv-csv' | 'trades-csv';
  /** Sort rows by time (stable) instead of refusing the first out-of-order row. */
  sort?: boolean;
  instrument?: string;
  interval?: IntervalName;
  strategy?: Strategy;
  sliceEvents?: number;
  /** Streamed data: the most bytes decoded per engine call, between yields to the host (default 1 MiB). */
  sliceBytes?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignalLike;
}
/**
 * A backtest report (Rust `ReportJson`): summary, closed and open trades, equity curve, counters,
 * backtesting.py's view. From `backtest`, the large fields (`trades`, `open_trades`,
 * `equity_curve`, `backtesting_py.trades`) are read from the engine on first access (enumerable
 * getters: `JSON.stringify`, `structuredClone` and `postMessage` see them all).
 */
export type BacktestReport = ReportJson;

/** What a JS strategy sees per market event: one object, rewritten each call (copy what you keep). */
export interface MarketView {
  kind: MarketKind;
  instrument: number;
  /** Exchange time, ms since the epoch. */
  time: number;
  /** The engine's mark price after the event (bar close, trade price, L1 mid); NaN before any. */
  price: number;
  amount: number; side: number;
  bid: number; bidAmount: number; ask: number; askAmount: number;
  open: number; high: number; low: number; close: number; volume: number;
  /** Signed position (long positive). */
  position: number;
  entryPrice: number;
  liveOrders: number;
  freeQuote: number;
  /**
   * The declared indicators' current values for this event's instrument (see
   * `Strategy.indicators`), computed in wasm: a number, `{macd, signal, histogram}` or `{upper,
   * middle, lower}`; null while warming up. Rewritten each event, like the view.
   */
  indicators: Record<string, IndicatorValue>;
}
/** A declared indicator's value: a number, the lines of MACD or Bollinger bands, or null while warming up. */
export type IndicatorValue = number | MacdLines | BollingerLines | null;
/** MACD's three lines at one sample. */
export interface MacdLines { macd: number; signal: number; histogram: number }
/** Bollinger bands at one sample. */
export interface BollingerLines { upper: number; middle: number; lower: number }
/** What a declared indicator reads: the sampled price (default: trade price, bar close, L1 mid) or a bar field. */
export type IndicatorSource = 'price' | 'open' | 'high' | 'low' | 'close' | 'volume';
/** MACD periods: `[fast, slow, signal]` or named (defaults 12, 26, 9). */
export type MacdParams = [number, number, number] | { fast?: number; slow?: number; signal?: number };
/** A period, or `{period, k}`: k deviations (Bollinger default 2, stddev default 1). */
export type DeviationParams = number | { period: number; k?: number };
/**
 * One declared indicator: one kind with its parameters, and optionally what it reads. Periods are
 * whole numbers in 1..1,000,000. References (TA-Lib) and warm-ups are documented in src/indicator/.
 */
export type IndicatorDeclaration = { source?: IndicatorSource } & (
  | { sma: number } | { ema: number } | { wma: number } | { rsi: number } | { atr: number }
  | { highest: number } | { lowest: number } | { roc: number }
  | { macd: MacdParams } | { bollinger: DeviationParams } | { stddev: DeviationParams }
);
export type Sizing = { fixed_quantity: DecimalStr } | { equity_fraction: { fraction: DecimalStr; whole_units?: boolean } };
/** A request a hook returns. */
export type StrategyRequest =
  | ({ side: 'buy' | 'sell'; quantity: DecimalLike; type?: 'market' | 'limit'; price?: DecimalLike; timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'DAY'; postOnly?: boolean; instrument?: number | string } & StopFields)
  | { cancel: string; instrument?: number | string }
  | { target: 'long' | 'flat' | 'short'; sizing?: Sizing; instrument?: number | string };
// biome-ignore lint/suspicious/noConfusingVoidType: a hook may end without a return statement
export type StrategyResult = StrategyRequest | StrategyRequest[] | null | undefined | void;
/** A strategy written in JS: barter's hooks. */
export interface Strategy {
  /** Strategy id in order keys (letters, digits, `_.:-`); default 'js'. */
  id?: string;
  /**
   * Indicators the engine keeps for this strategy, per instrument, in wasm (no call per indicator
   * per event): `{ fast: { sma: 10 }, rsi: { rsi: 14 } }` makes `view.indicators.fast` and
   * `view.indicators.rsi` (null while warming up). At most 64; a bad declaration is
   * INVALID_ARGUMENT naming it (`strategy.indicators.fast.sma`).
   */
  indicators?: Record<string, IndicatorDeclaration>;
  onMarket(view: MarketView): StrategyResult;
  onAccount?(event: unknown): StrategyResult;
  onTradingDisabled?(): StrategyResult;
  onDisconnect?(exchange: string): StrategyResult;
  /** Return undefined to close with market orders (the default). */
  closePositions?(filter: unknown): StrategyResult;
}
export declare function hooksFor(strategy: Strategy): unknown;

/** A series for the indicator functions: finite numbers (null, NaN and non-numbers are INVALID_ARGUMENT naming the index). */
export type Series = number[] | ArrayLike<number>;
/**
 * The indicator library over whole series, for charts and analysis: computed in wasm by the same
 * code as a strategy's declared indicators. Each returns arrays as long as the input, null during
 * warm-up (TA-Lib's lookback); values match TA-Lib within 1e-9 (tests/golden/indicators_*.json).
 */
export declare const indicators: {
  /** Simple moving average (TA-Lib SMA); first value at index period − 1. */
  sma(values: Series, period: number): (number | null)[];
  /** Exponential moving average, alpha 2/(period+1), seeded with the SMA of the first period values (TA-Lib EMA). */
  ema(values: Series, period: number): (number | null)[];
  /** Weighted moving average, weights 1..period (TA-Lib WMA). */
  wma(values: Series, period: number): (number | null)[];
  /** Wilder's RSI in [0, 100], seeded with simple averages (TA-Lib RSI; a flat window gives 50 where TA-Lib gives 0); first value at index period. */
  rsi(values: Series, period: number): (number | null)[];
  /** Rate of change in percent, ((x / x[period ago]) − 1)·100, 0 when that is 0 (TA-Lib ROC). */
  roc(values: Series, period: number): (number | null)[];
  /** Rolling highest of the last period values (TA-Lib MAX). */
  highest(values: Series, period: number): (number | null)[];
  /** Rolling lowest of the last period values (TA-Lib MIN). */
  lowest(values: Series, period: number): (number | null)[];
  /** k × population standard deviation (TA-Lib STDDEV; k default 1; 0 below a variance of 1e-8, as TA-Lib). */
  stddev(values: Series, params: DeviationParams): (number | null)[];
  /** MACD lines (TA-Lib MACD, its fast-EMA alignment included; default 12/26/9); all null until the signal line is ready. */
  macd(values: Series, params?: MacdParams): { macd: (number | null)[]; signal: (number | null)[]; histogram: (number | null)[] };
  /** Bollinger bands: SMA ± k population deviations (TA-Lib BBANDS with an SMA; k default 2). */
  bollinger(values: Series, params: DeviationParams): { upper: (number | null)[]; middle: (number | null)[]; lower: (number | null)[] };
  /** Average true range, Wilder-smoothed, seeded with the SMA of the first period true ranges (TA-Lib ATR); first value at index period. */
  atr(bars: { high: Series; low: Series; close: Series }, period: number): (number | null)[];
  /** Where `a` crosses above `b` (strictly below before, strictly above now; null breaks a cross), as backtesting.py's crossover. */
  crossover(a: (number | null)[], b: (number | null)[]): boolean[];
  /** Where `a` crosses below `b`. */
  crossunder(a: (number | null)[], b: (number | null)[]): boolean[];
};

type Dec = DecimalLike;
type Period = IntervalName | number;
interface RatioArgs { returns?: Dec[]; mean?: Dec; dispersion?: Dec; riskFree?: Dec; period?: Period; interval?: Period }
interface RatioResult { value: DecimalStr | null; mean: DecimalStr | null; dispersion: DecimalStr | null }
export interface Drawdown { value: DecimalStr | null; amount: DecimalStr; time_start: string; time_end: string }
/** Analytics helpers on plain numbers (the Rust core's metrics): decimals in as strings or numbers, out as strings. */
export declare const analytics: {
  welford(a: { values: Dec[] }): { count: number; sum: DecimalStr; mean: DecimalStr | null; population_variance: DecimalStr | null; sample_variance: DecimalStr | null; population_std_dev: DecimalStr | null };
  sharpe(a: RatioArgs): RatioResult;
  sortino(a: RatioArgs): RatioResult;
  calmar(a: RatioArgs): RatioResult;
  rateOfReturn(a: { returns?: Dec[]; mean?: Dec; period?: Period; interval?: Period }): { value: DecimalStr | null; mean: DecimalStr | null };
  rescaleRatio(a: { value: Dec; from?: Period; to?: Period }): { value: DecimalStr | null };
  drawdowns(a: { values: Dec[]; times?: (string | number)[] }): { max: Drawdown | null; mean: { mean_drawdown: DecimalStr | null; mean_drawdown_ms: DecimalStr; count: number } | null; current: Drawdown | null };
  winRate(a: { pnls: Dec[] }): { value: DecimalStr | null; wins: number; total: number };
  profitFactor(a: { pnls: Dec[] }): { value: { Finite: DecimalStr } | 'Infinite' | null; gross_profit: DecimalStr; gross_loss: DecimalStr };
  tradeQuality(a: { pnls: Dec[] }): { sqn: number | null; kelly: number | null };
};

export declare function version(): string;
export declare function parseConfig(config: Config | string): Record<string, unknown>;
export declare function parseEvent(kind: 'market' | 'account' | 'command', value: unknown): unknown;
export declare function backtest(config: Config | string, data: BacktestData, options?: BacktestOptions): Promise<BacktestReport>;
export declare function backtestTable(config: Config | string, data: BacktestData, options?: BacktestOptions): Promise<string>;
export declare function backtestJson(config: Config | string, data: BacktestData, options?: BacktestOptions): Promise<string>;
export interface SweepOptions extends Omit<BacktestOptions, 'strategy'> {
  /** A snake_case portfolio statistic to rank by (default 'sharpe_ratio'; drawdowns and volatility rank smallest first). */
  rankBy?: keyof PortfolioStats | (string & {});
  /** A number to maximise instead of `rankBy` (non-finite values rank last). */
  objective?: (stats: PortfolioStats, params: Record<string, unknown>) => number;
  /** Combinations for which this is falsy are not run, e.g. `({fast, slow}) => fast < slow`. */
  constraint?: (params: Record<string, unknown>) => unknown;
  /**
   * Threads: 'auto' (default; one per core when the grid is large enough to gain, else this
   * thread alone), a number n (this thread, running its share between yields to the host, and
   * n - 1 worker threads in Node or Web Workers in browsers; on a page's own thread, n Web
   * Workers and none of it here), or 1 for this thread alone. The rows do not depend on it. JS
   * strategy sweeps always run in this thread.
   */
  workers?: 'auto' | number;
  /**
   * 'all' (default): every statistic on every row. 'ranked': when `rankBy` is one of
   * `RANKED_STATISTICS` and there is no `objective`, each run collects only those (no equity
   * curve; about twice as fast) and the best `complete` rows get every statistic; otherwise as 'all'.
   */
  stats?: 'all' | 'ranked';
  /** With `stats: 'ranked'`: how many of the best rows are run again for every statistic (default 1). */
  complete?: number;
  /** Sweep a JS strategy: called per grid combination; null skips the combination. */
  strategy?: (params: Record<string, unknown>) => Strategy | null | undefined;
}
/**
 * One combination: the built-in strategy's config (or the JS sweep's params), its statistics or
 * error, and `score`: what it was ranked by (the `rankBy` statistic or the objective's value; null
 * ranks last).
 */
export interface SweepRow { strategy: Record<string, unknown>; stats: PortfolioStats | RankedStats | null; error: string | null; score: number | null }
/**
 * The statistics a run gives without its equity curve (`RANKED_STATISTICS`), each equal to the
 * full statistics' field to the bit: what `stats: 'ranked'` sweep rows carry.
 */
export type RankedStats = Pick<PortfolioStats, 'start' | 'end' | 'duration_secs' | 'equity_final' | 'commissions' | 'return_pct' | 'cagr_pct' | 'trades' | 'win_rate_pct' | 'best_trade_pct' | 'worst_trade_pct' | 'avg_trade_pct' | 'max_trade_duration_secs' | 'avg_trade_duration_secs' | 'profit_factor' | 'expectancy_pct' | 'sqn' | 'kelly_criterion'>;
/** The statistics a sweep can rank by without each run's equity curve (see `SweepOptions.stats`). */
export declare const RANKED_STATISTICS: readonly (keyof RankedStats)[];
/** A sweep's rows as a 2-D table over two parameters (see `heatmap`). */
export interface Heatmap {
  x: string;
  y: string;
  /** The x parameter's values, ascending. */
  xs: unknown[];
  /** The y parameter's values, ascending. */
  ys: unknown[];
  /** `values[j][i]`: the value at `xs[i]`, `ys[j]`; null where no combination ran or it has none. */
  values: (number | null)[][];
}
/**
 * A sweep's rows as a table over parameters `x` and `y`, of `value` ('score' by default, or a
 * statistic such as 'return_pct'). With more parameters, each cell holds the best-ranked row's value.
 */
export declare function heatmap(rows: SweepRow[], axes: { x: string; y: string; value?: 'score' | keyof PortfolioStats }): Heatmap;
/** The most combinations one sweep runs; a larger grid is INVALID_ARGUMENT naming `grid`. */
export declare const MAX_SWEEP_COMBINATIONS: number;
/** Parameter sweep over one data set; results best first by `rankBy` (default sharpe_ratio). */
export declare function sweep(config: Config | string, data: string | Uint8Array | ArrayBuffer | DataStream | unknown[] | Dataset, grid: Record<string, unknown[]>, options?: SweepOptions): Promise<SweepRow[]>;

/** Options of `System.start`. */
export interface SystemOptions extends LogOptions {
  timeStart?: string;
  initialBalances?: BalanceSeed[];
  strategy?: Strategy;
  /** Keep audit ticks from the start for the first `audit()` reader (default false: ticks before the first `audit()` call are not kept). */
  audit?: boolean;
  /** The most audit ticks kept unread (default 100,000); past it the oldest are dropped and counted on the reader's `dropped`. */
  auditBuffer?: number;
}
/** The audit stream's reader: `for await` over it; `break` stops keeping ticks. */
export interface AuditReader extends AsyncIterableIterator<AuditTick> {
  /** Ticks dropped unread because `auditBuffer` was full. */
  readonly dropped: number;
}
/** A live (or paper) trading system. */
export declare class System {
  static start(config: Config | string, options?: SystemOptions): Promise<System>;
  feed(items: unknown | unknown[]): AuditTick[];
  /** Every item pulled is applied, also when the source throws or the signal aborts; the error's `applied` says how many. */
  feedFrom(source: Iterable<unknown> | AsyncIterable<unknown>, options?: { batchSize?: number; signal?: AbortSignalLike }): Promise<void>;
  feedAccount(event: AccountEvent | AccountEventStreamItem): AuditTick[];
  command(command: Command): AuditTick[];
  setTradingState(enabled: boolean): AuditTick[];
  /** The live state at the last applied sequence (replaying later ticks onto it rebuilds the state). */
  snapshot(): AuditSnapshot;
  /**
   * The audit stream: ends when the system shuts down. Read it alongside feeding (in its own
   * async function started first), not with a top-level `for await` before the feeding code.
   * One reader at a time.
   */
  audit(): AuditReader;
  /** Audit ticks kept and not yet read: at most `auditBuffer`, 0 when none are kept. */
  readonly auditQueued: number;
  shutdownWithSummary(interval?: IntervalName): BacktestReport;
  /** Stops at once; later calls are ENGINE_SHUTDOWN. Refused from inside a strategy hook. */
  abort(): void;
}

interface At { time: TimeLike; exchange: string; instrument: number; timeReceived?: TimeLike }
interface Key { exchange: number; instrument: number; strategy?: string; cid: string }
type Side = 'buy' | 'sell';
type Tif = 'GTC' | 'postOnly' | 'IOC' | 'FOK' | 'DAY';
/**
 * Stop, trailing and bracket fields of an order (hook requests and `command.openRequests`):
 * `stop` makes a market order a stop-market and a limit order a stop-limit; `trailing` makes a
 * trailing stop-market (trailing from `price`); `stopLoss` / `takeProfit` (prices) and
 * `trailingStop` (percent) are exits placed once a buy fills, one-cancels-other.
 */
export interface StopFields {
  stop?: DecimalLike;
  trailing?: { percent: DecimalLike } | { distance: DecimalLike };
  stopLoss?: DecimalLike;
  takeProfit?: DecimalLike;
  trailingStop?: DecimalLike;
}
/** Market event constructors (barter's JSON). */
export declare const market: {
  trade(o: At & { price: DecimalLike; amount: DecimalLike; side: Side; id?: string }): MarketEvent;
  l1(o: At & { bid?: DecimalLike; bidAmount?: DecimalLike; ask?: DecimalLike; askAmount?: DecimalLike; lastUpdateTime?: TimeLike }): MarketEvent;
  candle(o: At & { open: DecimalLike; high: DecimalLike; low: DecimalLike; close: DecimalLike; volume?: DecimalLike; tradeCount?: number }): MarketEvent;
  liquidation(o: At & { side: Side; price: DecimalLike; quantity: DecimalLike }): MarketEvent;
  orderBook(o: At & { bids?: [DecimalLike, DecimalLike][]; asks?: [DecimalLike, DecimalLike][]; sequence?: number; update?: boolean; timeEngine?: TimeLike }): MarketEvent;
  item(event: MarketEvent): MarketEventStreamItem;
  reconnecting(exchange: ExchangeId): MarketEventStreamItem;
};
/** Account event constructors (barter's JSON). */
export declare const account: {
  balance(o: { exchange: number; asset: number; total: DecimalLike; free?: DecimalLike; time: TimeLike }): AccountEvent;
  trade(o: { exchange: number; instrument: number; strategy?: string; id: string; orderId: string; time: TimeLike; side: Side; price: DecimalLike; quantity: DecimalLike; fees?: DecimalLike; feesAsset?: number }): AccountEvent;
  orderOpen(o: Key & { side: Side; price: DecimalLike; quantity: DecimalLike; type?: 'market' | 'limit'; timeInForce?: Tif; id: string; time: TimeLike; filled?: DecimalLike }): AccountEvent;
  orderCancelled(o: Key & { id: string; time: TimeLike }): AccountEvent;
  item(event: AccountEvent): AccountEventStreamItem;
  reconnecting(exchange: ExchangeId): AccountEventStreamItem;
};
/** Instrument filters. */
export declare const filter: {
  none(): InstrumentFilter;
  exchanges(...indices: number[]): InstrumentFilter;
  instruments(...indices: number[]): InstrumentFilter;
  underlyings(...pairs: { base: number; quote: number }[]): InstrumentFilter;
};
/** Command constructors. */
export declare const command: {
  openRequests(orders: (Key & { side: Side; price: DecimalLike; quantity: DecimalLike; type?: 'market' | 'limit'; timeInForce?: Tif } & StopFields) | (Key & { side: Side; price: DecimalLike; quantity: DecimalLike; type?: 'market' | 'limit'; timeInForce?: Tif } & StopFields)[]): Command;
  cancelRequests(orders: (Key & { id?: string }) | (Key & { id?: string })[]): Command;
  closePositions(filter?: InstrumentFilter): Command;
  cancelOrders(filter?: InstrumentFilter): Command;
};
export declare function decimal(x: DecimalLike | bigint, field?: string): DecimalStr;
export declare function time(t: TimeLike, field?: string): string;
