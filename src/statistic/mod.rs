//! Trading statistics: metrics, the interval they are expressed per, the equity curve, the trade
//! list and portfolio statistics (and the ranked ones, which need no equity curve).

pub mod analytics;
pub mod bars;
pub mod collector;
pub mod equity;
pub mod exact_equity;
pub mod interval;
pub mod metric;
pub mod portfolio;
pub mod ranked;
pub mod running;
pub mod summary;
pub mod table;
pub mod trade;
