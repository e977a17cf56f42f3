//! Tidemark: a deterministic, single-threaded, event-driven trading engine that reads barter's
//! config and event formats. Pure Rust: no wall clock, no async runtime, no unseeded randomness.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod instrument;
pub mod time;

pub use error::{EngineError, ErrorCode};
