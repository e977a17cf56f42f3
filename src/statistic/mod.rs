//! Trading statistics: metrics, the interval they are expressed per, and summaries.

pub mod interval;
pub mod metric;
