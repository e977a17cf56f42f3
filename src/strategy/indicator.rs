//! The indicators the built-in strategies use, in exact decimals: thin aliases over the library in
//! `crate::indicator` (kept so code written against this module still compiles).

use rust_decimal::Decimal;

/// Simple moving average on exact decimals.
pub type Sma = crate::indicator::Sma<Decimal>;
/// Exponential moving average (SMA-seeded) on exact decimals.
pub type Ema = crate::indicator::Ema<Decimal>;
/// Wilder's RSI on exact decimals.
pub type Rsi = crate::indicator::Rsi<Decimal>;
/// Highest high and lowest low of a window (Donchian channel) on exact decimals.
pub type Extremes = crate::indicator::Extremes<Decimal>;
