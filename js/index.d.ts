/** Stable error codes (generated from the Rust `ErrorCode` enum; checked by tests/js/api.test.mjs). */
export type ErrorCode =
  | 'INVALID_CONFIG' | 'DECODE' | 'INVALID_EVENT' | 'UNKNOWN_INSTRUMENT' | 'UNKNOWN_EXCHANGE' | 'UNKNOWN_ASSET'
  | 'TIME_BACKWARDS' | 'INVALID_ORDER' | 'INVALID_COMMAND' | 'INVALID_ARGUMENT' | 'ENGINE_SHUTDOWN' | 'INTERNAL';
export declare const ERROR_CODES: readonly ErrorCode[];
export declare class TidemarkError extends Error {
  readonly code: ErrorCode;
  readonly recoverable: boolean;
  readonly details: unknown;
}
/** Decimal numbers cross as strings. */
export type DecimalStr = string;
export interface Progress { processed: number; total: number }
/** A starting balance that replaces the config's (per exchange named; `free` defaults to `total`). */
export interface BalanceSeed { exchange?: string; asset: string; total: DecimalStr; free?: DecimalStr }
export interface BacktestOptions {
  initialBalances?: BalanceSeed[];
  format?: 'barter-json' | 'ohlcv-csv' | 'trades-csv';
  instrument?: string;
  interval?: 'daily' | 'annual252' | 'annual365';
  sliceEvents?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}
export interface BacktestReport {
  summary: Record<string, unknown> & { schema_version: number };
  trades: Array<Record<string, unknown>>;
  equity_curve: Array<{ time: string; equity: number; drawdown_pct: number; drawdown_duration_secs: number }>;
  stats: Record<string, number>;
}
export declare function version(): string;
export declare function parseConfig(config: object | string): Record<string, unknown>;
export declare function backtest(config: object | string, data: string | unknown[], options?: BacktestOptions): Promise<BacktestReport>;
export declare function backtestTable(config: object | string, data: string | unknown[], options?: BacktestOptions): Promise<string>;
export declare function backtestJson(config: object | string, data: string | unknown[], options?: BacktestOptions): Promise<string>;
export interface SweepOptions extends BacktestOptions { rankBy?: string }
export interface SweepRow { strategy: Record<string, unknown>; stats: Record<string, number | string | null> | null; error: string | null }
/** Parameter sweep over one data set; results best first by `rankBy` (default sharpe_ratio). */
export declare function sweep(config: object | string, data: string | unknown[], grid: Record<string, unknown[]>, options?: SweepOptions): Promise<SweepRow[]>;
/** A live (or paper) trading system. */
export declare class System {
  static start(config: object | string, options?: { timeStart?: string; initialBalances?: BalanceSeed[] }): Promise<System>;
  feed(items: unknown | unknown[]): unknown[];
  feedFrom(source: Iterable<unknown> | AsyncIterable<unknown>, options?: { batchSize?: number; signal?: AbortSignal }): Promise<void>;
  feedAccount(event: unknown): unknown[];
  command(command: unknown): unknown[];
  setTradingState(enabled: boolean): unknown[];
  snapshot(): { sequence: number; state: Record<string, unknown> };
  audit(): AsyncIterable<{ sequence: number; time: string; event: unknown; outputs: unknown[] }>;
  shutdownWithSummary(interval?: 'daily' | 'annual252' | 'annual365'): BacktestReport;
  abort(): void;
}
