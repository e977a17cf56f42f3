//! Metrics usable alone on plain numbers, one concept per file.

pub mod drawdown;
pub mod ratio;
pub mod trades;
pub mod welford;
