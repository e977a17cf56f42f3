// Generated from the Rust core by tests/generated_types.rs; do not edit.

/** Stable error codes (Rust `ErrorCode`). */
export type ErrorCode = 'INVALID_CONFIG' | 'DECODE' | 'INVALID_EVENT' | 'UNKNOWN_INSTRUMENT' | 'UNKNOWN_EXCHANGE' | 'UNKNOWN_ASSET' | 'TIME_BACKWARDS' | 'INVALID_ORDER' | 'INVALID_COMMAND' | 'INVALID_ARGUMENT' | 'ENGINE_SHUTDOWN' | 'STRATEGY' | 'INTERNAL';

/** Log levels (Rust `engine::log::Level`), lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Summary interval names (Rust `SummaryInterval::from_name`). */
export type IntervalName = 'daily' | 'annual252' | 'annual365';

/** Event kinds of a strategy's market view (Rust `strategy::host::MARKET_KINDS`). */
export type MarketKind = 'trade' | 'l1' | 'candle' | 'liquidation' | 'book';

/** Portfolio statistics (Rust `PortfolioStats`; backtesting.py's definitions, snake_case). */
export interface PortfolioStats {
  alpha_pct: number | null;
  avg_drawdown_duration_secs: number | null;
  avg_drawdown_pct: number | null;
  avg_trade_duration_secs: number | null;
  avg_trade_pct: number | null;
  best_trade_pct: number | null;
  beta: number | null;
  buy_and_hold_return_pct: number | null;
  cagr_pct: number | null;
  calmar_ratio: number | null;
  commissions: number | null;
  duration_secs: number | null;
  end: string;
  equity_final: number | null;
  equity_peak: number | null;
  expectancy_pct: number | null;
  exposure_time_pct: number | null;
  kelly_criterion: number | null;
  max_drawdown_duration_secs: number | null;
  max_drawdown_pct: number | null;
  max_trade_duration_secs: number | null;
  periods_per_year: number | null;
  profit_factor: number | null;
  return_ann_pct: number | null;
  return_pct: number | null;
  sharpe_ratio: number | null;
  sortino_ratio: number | null;
  sqn: number | null;
  start: string;
  trades: number | null;
  volatility_ann_pct: number | null;
  win_rate_pct: number | null;
  worst_trade_pct: number | null;
}

/** One trade (Rust `TradeRecord`): decimals and times are strings. */
export interface TradeRecord {
  commission: string;
  duration_secs: number;
  entry_bar: number;
  entry_price: string;
  entry_time: string;
  exit_bar: number;
  exit_price: string;
  exit_time: string;
  instrument: string;
  open: boolean;
  pnl: string;
  return_pct: string;
  side: string;
  size: string;
  tag: string;
}

/** One point of the equity curve (Rust `EquityCurvePoint`). */
export interface EquityCurvePoint {
  drawdown_duration_secs: number;
  drawdown_pct: number;
  equity: number;
  time: string;
}

/** Counters of a run (Rust `RunStats`). */
export interface RunStats {
  account_events: number;
  cancels_sent: number;
  fills: number;
  market_events: number;
  orders_refused: number;
  orders_sent: number;
}
