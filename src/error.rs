//! The one error type of the core. Every face (JS, Python, CLI) maps `ErrorCode`; none invents errors.

use crate::time::Timestamp;
use serde::Serialize;
use std::fmt;

/// Stable, machine-readable error codes. These strings are API: a test pins them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The configuration is malformed or inconsistent.
    InvalidConfig,
    /// Input text (JSON, CSV) could not be decoded.
    Decode,
    /// An event is well-formed but its values are not acceptable (NaN, negative, zero...).
    InvalidEvent,
    /// An instrument index or name is not in the configuration.
    UnknownInstrument,
    /// An exchange index or id is not in the configuration.
    UnknownExchange,
    /// An asset index or name is not in the configuration.
    UnknownAsset,
    /// A market event is older than the engine clock by more than the configured tolerance.
    TimeBackwards,
    /// An order request is malformed.
    InvalidOrder,
    /// A command is malformed.
    InvalidCommand,
    /// An API argument (not config, not event) is malformed.
    InvalidArgument,
    /// The engine was shut down and accepts no more events.
    EngineShutdown,
    /// A strategy written in a host language (JS, Python) threw from a hook.
    Strategy,
    /// A broken internal invariant: a bug, please report it.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order (used to generate the JS and Python tables).
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::InvalidConfig,
        ErrorCode::Decode,
        ErrorCode::InvalidEvent,
        ErrorCode::UnknownInstrument,
        ErrorCode::UnknownExchange,
        ErrorCode::UnknownAsset,
        ErrorCode::TimeBackwards,
        ErrorCode::InvalidOrder,
        ErrorCode::InvalidCommand,
        ErrorCode::InvalidArgument,
        ErrorCode::EngineShutdown,
        ErrorCode::Strategy,
        ErrorCode::Internal,
    ];

    /// The code as its stable string, e.g. `"INVALID_CONFIG"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "INVALID_CONFIG",
            ErrorCode::Decode => "DECODE",
            ErrorCode::InvalidEvent => "INVALID_EVENT",
            ErrorCode::UnknownInstrument => "UNKNOWN_INSTRUMENT",
            ErrorCode::UnknownExchange => "UNKNOWN_EXCHANGE",
            ErrorCode::UnknownAsset => "UNKNOWN_ASSET",
            ErrorCode::TimeBackwards => "TIME_BACKWARDS",
            ErrorCode::InvalidOrder => "INVALID_ORDER",
            ErrorCode::InvalidCommand => "INVALID_COMMAND",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::EngineShutdown => "ENGINE_SHUTDOWN",
            ErrorCode::Strategy => "STRATEGY",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// Where in a text input a decode error happened. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct Location {
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column (character for JSON, field number for CSV), when known.
    pub column: Option<u64>,
    /// JSON path (`executions[0].latency_ms`) or CSV column name, when known.
    pub path: Option<String>,
}

/// Every error the core can return. Structured fields become `details` in JS and Python.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EngineError {
    /// Configuration error at a JSON path.
    InvalidConfig {
        /// JSON path of the offending field (`.` for the root).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Text could not be decoded.
    Decode {
        /// The input format (`json`, `barter-json`, `ohlcv-csv`, `trades-csv`).
        format: String,
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// An event field holds an unacceptable value.
    InvalidEvent {
        /// The field, e.g. `kind.Trade.price`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Unknown instrument.
    UnknownInstrument {
        /// The field that named it.
        field: String,
        /// The index or name given.
        instrument: String,
    },
    /// Unknown exchange.
    UnknownExchange {
        /// The field that named it.
        field: String,
        /// The index or id given.
        exchange: String,
    },
    /// Unknown asset.
    UnknownAsset {
        /// The field that named it.
        field: String,
        /// The index or name given.
        asset: String,
    },
    /// A market event older than the clock allows.
    TimeBackwards {
        /// Where the event sits in its batch or stream (`events[3]`), when a caller knows: set by
        /// `within`, so a backtest or a feed batch names the refused record.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<String>,
        /// The event's time.
        time: Timestamp,
        /// The engine clock.
        clock: Timestamp,
        /// The configured tolerance in nanoseconds.
        tolerance_ns: i64,
    },
    /// A malformed order request.
    InvalidOrder {
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A malformed command.
    InvalidCommand {
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A malformed API argument.
    InvalidArgument {
        /// The argument or field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The engine was shut down.
    EngineShutdown,
    /// A host-language strategy hook threw. The event that called it was applied; the orders the
    /// hook would have returned were not sent.
    Strategy {
        /// The hook (`onMarket`, `onAccount`, ...).
        hook: String,
        /// What the hook threw.
        message: String,
    },
    /// A broken invariant.
    Internal {
        /// What broke.
        message: String,
    },
}

impl EngineError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::InvalidConfig { .. } => ErrorCode::InvalidConfig,
            EngineError::Decode { .. } => ErrorCode::Decode,
            EngineError::InvalidEvent { .. } => ErrorCode::InvalidEvent,
            EngineError::UnknownInstrument { .. } => ErrorCode::UnknownInstrument,
            EngineError::UnknownExchange { .. } => ErrorCode::UnknownExchange,
            EngineError::UnknownAsset { .. } => ErrorCode::UnknownAsset,
            EngineError::TimeBackwards { .. } => ErrorCode::TimeBackwards,
            EngineError::InvalidOrder { .. } => ErrorCode::InvalidOrder,
            EngineError::InvalidCommand { .. } => ErrorCode::InvalidCommand,
            EngineError::InvalidArgument { .. } => ErrorCode::InvalidArgument,
            EngineError::EngineShutdown => ErrorCode::EngineShutdown,
            EngineError::Strategy { .. } => ErrorCode::Strategy,
            EngineError::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// True when the engine is still usable after this error: the input was refused and the state
    /// is exactly as before. False for a shut-down engine, internal faults, and a failed strategy
    /// hook (its event was applied, so the state moved on without the hook's orders).
    pub fn is_recoverable(&self) -> bool {
        !matches!(
            self,
            EngineError::EngineShutdown | EngineError::Strategy { .. } | EngineError::Internal { .. }
        )
    }

    pub(crate) fn event(field: impl Into<String>, message: impl Into<String>) -> Self {
        EngineError::InvalidEvent { field: field.into(), message: message.into() }
    }

    pub(crate) fn config(path: impl Into<String>, message: impl Into<String>) -> Self {
        EngineError::InvalidConfig { path: path.into(), message: message.into() }
    }

    pub(crate) fn argument(field: impl Into<String>, message: impl Into<String>) -> Self {
        EngineError::InvalidArgument { field: field.into(), message: message.into() }
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        EngineError::Internal { message: message.into() }
    }

    /// Prefixes the field/path of a field-carrying error (used when an event sits inside a command).
    pub(crate) fn within(mut self, prefix: &str) -> Self {
        let join = |f: &mut String| {
            *f = if f.is_empty() { prefix.to_string() } else { format!("{prefix}.{f}") };
        };
        match &mut self {
            EngineError::InvalidEvent { field, .. }
            | EngineError::UnknownInstrument { field, .. }
            | EngineError::UnknownExchange { field, .. }
            | EngineError::UnknownAsset { field, .. }
            | EngineError::InvalidOrder { field, .. }
            | EngineError::InvalidCommand { field, .. }
            | EngineError::InvalidArgument { field, .. } => join(field),
            EngineError::InvalidConfig { path, .. } => join(path),
            EngineError::TimeBackwards { at, .. } => {
                *at = Some(match at.take() {
                    Some(inner) if inner.starts_with('[') => format!("{prefix}{inner}"),
                    Some(inner) => format!("{prefix}.{inner}"),
                    None => prefix.to_string(),
                })
            }
            _ => {}
        }
        self
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code().as_str();
        match self {
            EngineError::InvalidConfig { path, message } => write!(f, "{code}: {path}: {message}"),
            EngineError::Decode { format, location, message } => {
                write!(f, "{code}: {format}")?;
                if let Some(l) = location.line {
                    write!(f, " line {l}")?;
                }
                if let Some(c) = location.column {
                    write!(f, " column {c}")?;
                }
                if let Some(p) = &location.path {
                    write!(f, " ({p})")?;
                }
                write!(f, ": {message}")
            }
            EngineError::InvalidEvent { field, message }
            | EngineError::InvalidOrder { field, message }
            | EngineError::InvalidCommand { field, message }
            | EngineError::InvalidArgument { field, message } => write!(f, "{code}: {field}: {message}"),
            EngineError::UnknownInstrument { field, instrument } => {
                write!(f, "{code}: {field}: unknown instrument {instrument}")
            }
            EngineError::UnknownExchange { field, exchange } => {
                write!(f, "{code}: {field}: unknown exchange {exchange}")
            }
            EngineError::UnknownAsset { field, asset } => write!(f, "{code}: {field}: unknown asset {asset}"),
            EngineError::TimeBackwards { at, time, clock, tolerance_ns } => {
                write!(f, "{code}: ")?;
                if let Some(at) = at {
                    write!(f, "{at}.")?;
                }
                write!(
                    f,
                    "time_exchange {time} is before the engine clock {clock} by more than the tolerance of {tolerance_ns} ns"
                )
            }
            EngineError::EngineShutdown => write!(f, "{code}: the engine has been shut down"),
            EngineError::Strategy { hook, message } => {
                write!(f, "{code}: strategy hook {hook} threw: {message}")
            }
            EngineError::Internal { message } => write!(f, "{code}: {message}"),
        }
    }
}

impl std::error::Error for EngineError {}

/// Longest user value (in characters) an error message quotes whole.
pub const QUOTE_MAX_CHARS: usize = 64;

/// Quotes a user-supplied value for an error message, cut to its first `QUOTE_MAX_CHARS`
/// characters with `… (N bytes)` after: a 5 MB field must not become a 5 MB message (or a 5 MB
/// string copied into every JS error object).
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTE_MAX_CHARS) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &value[..cut], value.len()),
    }
}

/// A whole message of foreign origin (serde's, which quotes values whole) cut to its first
/// `max_chars` characters, with `… (N bytes)` after as `quote` writes it.
pub fn clip(message: String, max_chars: usize) -> String {
    match message.char_indices().nth(max_chars) {
        None => message,
        Some((cut, _)) => format!("{}… ({} bytes)", &message[..cut], message.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_pinned() {
        let strings: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            strings,
            [
                "INVALID_CONFIG",
                "DECODE",
                "INVALID_EVENT",
                "UNKNOWN_INSTRUMENT",
                "UNKNOWN_EXCHANGE",
                "UNKNOWN_ASSET",
                "TIME_BACKWARDS",
                "INVALID_ORDER",
                "INVALID_COMMAND",
                "INVALID_ARGUMENT",
                "ENGINE_SHUTDOWN",
                "STRATEGY",
                "INTERNAL"
            ]
        );
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(c.as_str()));
        }
    }

    #[test]
    fn quote_cuts_long_values() {
        assert_eq!(quote("eur"), "\"eur\"");
        let long = "x".repeat(5_000_000);
        let q = quote(&long);
        // 64 x's in quotes, then the size: hand-counted length 66 + "… (5000000 bytes)".
        assert_eq!(q, format!("\"{}\"… (5000000 bytes)", "x".repeat(64)));
        // Cut on a character boundary: 65 two-byte characters are 130 bytes.
        assert_eq!(quote(&"é".repeat(65)), format!("\"{}\"… (130 bytes)", "é".repeat(64)));
        // clip: unquoted, cut by characters (not bytes), short messages untouched.
        assert_eq!(clip("abcdef".into(), 3), "abc… (6 bytes)");
        assert_eq!(clip("ééé".into(), 2), "éé… (6 bytes)");
        assert_eq!(clip("abc".into(), 3), "abc");
    }

    #[test]
    fn time_backwards_names_the_event() {
        let e = EngineError::TimeBackwards {
            at: None,
            time: Timestamp(0),
            clock: Timestamp(1_000_000_000),
            tolerance_ns: 0,
        }
        .within("[2]")
        .within("events");
        assert_eq!(e.code(), ErrorCode::TimeBackwards);
        assert_eq!(
            e.to_string(),
            "TIME_BACKWARDS: events[2].time_exchange 1970-01-01T00:00:00Z is before the engine clock \
             1970-01-01T00:00:01Z by more than the tolerance of 0 ns"
        );
    }

    #[test]
    fn within_prefixes_field() {
        let e = EngineError::event("price", "must be positive").within("kind.Trade");
        assert_eq!(e.to_string(), "INVALID_EVENT: kind.Trade.price: must be positive");
        assert!(e.is_recoverable());
        assert!(!EngineError::EngineShutdown.is_recoverable());
    }
}
