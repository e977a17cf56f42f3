// Generated from the Rust core by tests/generated_types.rs; do not edit.

/** Stable error codes (Rust `ErrorCode`). */
export type ErrorCode = 'INVALID_CONFIG' | 'DECODE' | 'INVALID_EVENT' | 'UNKNOWN_INSTRUMENT' | 'UNKNOWN_EXCHANGE' | 'UNKNOWN_ASSET' | 'TIME_BACKWARDS' | 'INVALID_ORDER' | 'INVALID_COMMAND' | 'INVALID_ARGUMENT' | 'ENGINE_SHUTDOWN' | 'STRATEGY' | 'INTERNAL';

/** Log levels (Rust `engine::log::Level`), lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Summary interval names (Rust `SummaryInterval::from_name`). */
export type IntervalName = 'daily' | 'annual252' | 'annual365';

/** Event kinds of a strategy's market view (Rust `strategy::host::MARKET_KINDS`). */
export type MarketKind = 'trade' | 'l1' | 'candle' | 'liquidation' | 'book';

