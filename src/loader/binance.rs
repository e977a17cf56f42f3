//! Binance kline CSV as data.binance.vision publishes it: no header, 12 columns — `open_time`,
//! `open`, `high`, `low`, `close`, `volume`, `close_time`, `quote_volume`, `trades`,
//! `taker_buy_base`, `taker_buy_quote`, `ignore`. A bar is timed at its `open_time` (ms, or µs in
//! Binance's spot files from 2025 on: the unit follows from the digit count, see
//! `time_column`); the columns after `volume` are not used. Files that carry a header row
//! (`open_time,open,...`) are read as ordinary OHLCV CSV, with the same result.

use super::csv::Fields;

/// Columns in a kline row.
pub(crate) const WIDTH: usize = 12;
/// 0-based positions of open_time, open, high, low, close and volume.
pub(crate) const TIME: usize = 0;
pub(crate) const OHLC: [usize; 4] = [1, 2, 3, 4];
pub(crate) const VOLUME: usize = 5;

/// Whether a first line is a headerless kline row: 12 fields, an integer time first and a
/// number second (a header's first field is a name).
pub(crate) fn is_kline(fields: &Fields<'_>) -> bool {
    let int = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    fields.len() == WIDTH
        && int(fields[TIME].trim().trim_start_matches('\u{feff}'))
        && num(fields[OHLC[0]].trim())
}
