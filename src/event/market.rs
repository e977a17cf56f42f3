//! Public market data: barter's `MarketEvent<InstrumentIndex, DataKind>`.

use crate::error::EngineError;
use crate::instrument::{ExchangeId, InstrumentIndex};
use crate::order::Side;
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One market data observation for one instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketEvent {
    /// When the venue produced it; drives the engine clock.
    pub time_exchange: Timestamp,
    /// When it was received.
    pub time_received: Timestamp,
    /// The venue.
    pub exchange: ExchangeId,
    /// Instrument index.
    pub instrument: InstrumentIndex,
    /// What was observed.
    pub kind: DataKind,
}

/// Kinds of market data (barter's `DataKind`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum DataKind {
    /// A public trade.
    Trade(PublicTrade),
    /// Best bid and ask.
    OrderBookL1(OrderBookL1),
    /// Level 2 snapshot or update.
    OrderBook(OrderBookEvent),
    /// An OHLCV bar.
    Candle(Candle),
    /// A liquidation.
    Liquidation(Liquidation),
}

/// A public trade. barter carries price and amount as f64; they are read exactly into decimals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicTrade {
    /// Venue trade id.
    pub id: String,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub amount: Decimal,
    /// Aggressor side.
    pub side: Side,
}

/// A price level.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Price.
    pub price: Decimal,
    /// Quantity at that price.
    pub amount: Decimal,
}

/// Best bid and ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBookL1 {
    /// When the book last changed.
    pub last_update_time: Timestamp,
    /// Best bid.
    pub best_bid: Option<Level>,
    /// Best ask.
    pub best_ask: Option<Level>,
}

impl OrderBookL1 {
    /// (bid + ask) / 2 when both sides exist.
    pub fn mid_price(&self) -> Option<Decimal> {
        match (&self.best_bid, &self.best_ask) {
            (Some(b), Some(a)) => Some(mid(b.price, a.price)),
            _ => None,
        }
    }

    /// barter's volume-weighted mid: (bid·ask_amt + ask·bid_amt) / (bid_amt + ask_amt).
    pub fn volume_weighted_mid_price(&self) -> Option<Decimal> {
        match (&self.best_bid, &self.best_ask) {
            (Some(b), Some(a)) if !(b.amount + a.amount).is_zero() => {
                Some((b.price * a.amount + a.price * b.amount) / (b.amount + a.amount))
            }
            _ => None,
        }
    }
}

/// Level 2 book event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OrderBookEvent {
    /// Replaces the whole book.
    Snapshot(OrderBook),
    /// Upserts levels; amount 0 removes a level.
    Update(OrderBook),
}

/// Book sides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBook {
    /// Venue sequence number.
    pub sequence: u64,
    /// Engine time, if stamped.
    #[serde(default)]
    pub time_engine: Option<Timestamp>,
    /// Bids, best first.
    pub bids: Levels,
    /// Asks, best first.
    pub asks: Levels,
}

/// A side of a book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// The levels.
    pub levels: Vec<Level>,
}

/// An OHLCV bar. `close_time` labels the bar; for daily files it is the date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candle {
    /// Bar label time.
    pub close_time: Timestamp,
    /// Open.
    pub open: Decimal,
    /// High.
    pub high: Decimal,
    /// Low.
    pub low: Decimal,
    /// Close.
    pub close: Decimal,
    /// Traded volume.
    pub volume: Decimal,
    /// Number of trades (0 when unknown).
    #[serde(default)]
    pub trade_count: u64,
}

/// A forced liquidation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Liquidation {
    /// Side liquidated.
    pub side: Side,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub quantity: Decimal,
    /// When.
    pub time: Timestamp,
}

/// Largest price or quantity accepted anywhere (10^12). With balances up to 10^16 it keeps every
/// product the engine forms (notional, fees, equity) inside Decimal's range, so no arithmetic
/// can overflow and panic.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Largest balance accepted (10^16).
pub const MAX_BALANCE: Decimal = Decimal::from_parts(1_874_919_424, 2_328_306, 0, false, 0);

/// The per-event checks run on every price and amount, so the passing case is inlined and kept
/// free of the error formatting (which gave each call a stack frame, costly in wasm). Values are
/// read in place (by reference): a by-value decimal is copied to the wasm stack first.
#[inline(always)]
fn bounded(v: &Decimal, field: &str) -> Result<(), EngineError> {
    // Fast path without a decimal comparison: value = mantissa / 10^scale <= mantissa.
    if low_mantissa(v) <= 1_000_000_000_000 || !crate::decimal::gt(v, &MAX_MAGNITUDE) {
        return Ok(());
    }
    Err(too_large(v, field))
}

/// The mantissa's magnitude when it fits 64 bits, else `u64::MAX` (read from the parts: cheaper
/// than building the `i128`).
#[inline(always)]
fn low_mantissa(v: &Decimal) -> u64 {
    let u = v.unpack();
    if u.hi == 0 {
        (u64::from(u.mid) << 32) | u64::from(u.lo)
    } else {
        u64::MAX
    }
}

#[cold]
#[inline(never)]
fn too_large(v: &Decimal, field: &str) -> EngineError {
    EngineError::event(field, format!("{v} exceeds the largest accepted value {MAX_MAGNITUDE}"))
}

/// (a + b) / 2, as a multiplication by one half (exact, and much cheaper than a division).
#[inline]
pub fn mid(a: Decimal, b: Decimal) -> Decimal {
    // Both sides of a quote share a scale: then the sum and the ×5 are exact integer steps whose
    // result is bit for bit the decimal one (mantissa (a+b)·5 at scale + 1), without rust_decimal's
    // general add and multiply (calls, and a 128-bit multiply helper in wasm). Zero and anything
    // beyond 96 bits take the general path, which owns their rounding rules.
    let scale = a.scale();
    if scale == b.scale() && scale < Decimal::MAX_SCALE {
        let sum = a.mantissa() + b.mantissa();
        if sum != 0 {
            if let Ok(d) = Decimal::try_from_i128_with_scale(times_five(sum), scale + 1) {
                return d;
            }
        }
    }
    mid_general(a, b)
}

/// `x × 5` for |x| < 2^98 (a sum of two 96-bit mantissas) in 64-bit halves: LLVM turns
/// `(x << 2) + x` on an i128 back into a multiply, for which wasm32 calls a helper (`__multi3`:
/// 2.2 % of a wasm run of the SMA cross over quotes, whose marks are mids).
#[inline(always)]
fn times_five(x: i128) -> i128 {
    let u = x.unsigned_abs();
    let (lo, hi) = (u as u64, (u >> 64) as u64);
    // The carry out of lo × 5, from its 32-bit halves (each × 5 fits 35 bits).
    let carry = ((((lo & 0xFFFF_FFFF) * 5) >> 32) + (lo >> 32) * 5) >> 32;
    let product = ((hi * 5 + carry) as u128) << 64 | lo.wrapping_mul(5) as u128;
    if x < 0 {
        -(product as i128)
    } else {
        product as i128
    }
}

#[inline(never)]
fn mid_general(a: Decimal, b: Decimal) -> Decimal {
    (a + b) * Decimal::new(5, 1)
}

#[inline(always)]
fn positive(v: &Decimal, field: &str) -> Result<(), EngineError> {
    if v.is_sign_negative() || v.is_zero() {
        return Err(not_positive(v, field));
    }
    bounded(v, field)
}

#[cold]
#[inline(never)]
fn not_positive(v: &Decimal, field: &str) -> EngineError {
    EngineError::event(field, format!("must be positive, got {v}"))
}

#[inline]
fn non_negative(v: &Decimal, field: &str) -> Result<(), EngineError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(EngineError::event(field, format!("must not be negative, got {v}")));
    }
    bounded(v, field)
}

impl MarketEvent {
    /// Checks the values (not the instrument): prices positive, amounts positive, bars consistent.
    pub fn validate_values(&self) -> Result<(), EngineError> {
        match &self.kind {
            DataKind::Trade(t) => {
                positive(&t.price, "kind.Trade.price")?;
                positive(&t.amount, "kind.Trade.amount")
            }
            DataKind::OrderBookL1(l1) => {
                if let Some(l) = &l1.best_bid {
                    positive(&l.price, "kind.OrderBookL1.best_bid.price")?;
                    positive(&l.amount, "kind.OrderBookL1.best_bid.amount")?;
                }
                if let Some(l) = &l1.best_ask {
                    positive(&l.price, "kind.OrderBookL1.best_ask.price")?;
                    positive(&l.amount, "kind.OrderBookL1.best_ask.amount")?;
                }
                if let (Some(b), Some(a)) = (&l1.best_bid, &l1.best_ask) {
                    if crate::decimal::gt(&b.price, &a.price) {
                        return Err(crossed(&b.price, &a.price));
                    }
                }
                Ok(())
            }
            DataKind::OrderBook(ev) => validate_book(ev),
            DataKind::Candle(c) => {
                positive(&c.open, "kind.Candle.open")?;
                positive(&c.high, "kind.Candle.high")?;
                positive(&c.low, "kind.Candle.low")?;
                positive(&c.close, "kind.Candle.close")?;
                if (c.volume.is_sign_negative() && !c.volume.is_zero())
                    || (low_mantissa(&c.volume) > 10_000_000_000_000_000
                        && crate::decimal::gt(&c.volume, &MAX_BALANCE))
                {
                    return Err(EngineError::event(
                        "kind.Candle.volume",
                        format!("must be in [0, {MAX_BALANCE}], got {}", c.volume),
                    ));
                }
                use crate::decimal::{gt, lt, max, min};
                if lt(&c.high, &c.low)
                    || lt(&c.high, &max(c.open, c.close))
                    || gt(&c.low, &min(c.open, c.close))
                {
                    return Err(inconsistent_bar(c));
                }
                Ok(())
            }
            DataKind::Liquidation(l) => {
                positive(&l.price, "kind.Liquidation.price")?;
                positive(&l.quantity, "kind.Liquidation.quantity")
            }
        }
    }
}

#[cold]
#[inline(never)]
fn crossed(bid: &Decimal, ask: &Decimal) -> EngineError {
    EngineError::event("kind.OrderBookL1", format!("crossed book: best_bid {bid} is above best_ask {ask}"))
}

#[cold]
#[inline(never)]
fn inconsistent_bar(c: &Candle) -> EngineError {
    EngineError::event(
        "kind.Candle",
        format!("inconsistent bar: open {} high {} low {} close {}", c.open, c.high, c.low, c.close),
    )
}

/// Level 2 checks, out of line: the per-event paths above stay small (see `bounded`), and a
/// level's field path is only formatted when it fails.
#[inline(never)]
fn validate_book(ev: &OrderBookEvent) -> Result<(), EngineError> {
    let (book, name, snapshot) = match ev {
        OrderBookEvent::Snapshot(b) => (b, "Snapshot", true),
        OrderBookEvent::Update(b) => (b, "Update", false),
    };
    for (side, levels) in [("bids", &book.bids.levels), ("asks", &book.asks.levels)] {
        for (i, l) in levels.iter().enumerate() {
            let amount =
                if snapshot { positive(&l.amount, "amount") } else { non_negative(&l.amount, "amount") };
            positive(&l.price, "price")
                .and(amount)
                .map_err(|e| e.within(&format!("kind.OrderBook.{name}.{side}.levels[{i}]")))?;
            // A snapshot lists each side best first with one level per price; out of order, the
            // level the engine takes as the best would be a guess.
            if snapshot && i > 0 {
                let prev = levels[i - 1].price;
                let in_order = if side == "bids" { l.price < prev } else { l.price > prev };
                if !in_order {
                    return Err(EngineError::event(
                        format!("kind.OrderBook.{name}.{side}.levels[{i}].price"),
                        format!(
                            "{side} must be sorted best first with distinct prices ({}): {} follows {prev}",
                            if side == "bids" { "descending" } else { "ascending" },
                            l.price
                        ),
                    ));
                }
            }
        }
    }
    if snapshot {
        if let (Some(bid), Some(ask)) = (book.bids.levels.first(), book.asks.levels.first()) {
            check_uncrossed(Some(bid.price), Some(ask.price), name)?;
        }
    }
    Ok(())
}

/// Refuses a level 2 book whose best bid is at or above its best ask (`name`: Snapshot or Update).
pub(crate) fn check_uncrossed(
    bid: Option<Decimal>,
    ask: Option<Decimal>,
    name: &str,
) -> Result<(), EngineError> {
    match (bid, ask) {
        (Some(bid), Some(ask)) if bid >= ask => Err(EngineError::event(
            format!("kind.OrderBook.{name}.bids.levels[0].price"),
            format!("crossed book: the best bid {bid} is at or above the best ask {ask} (asks.levels[0])"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_five_is_the_product() {
        let mut next = crate::test_util::lcg(11);
        let mut cases =
            vec![0i128, 1, -1, (1 << 98) - 1, -((1 << 98) - 1), u64::MAX as i128, -(u64::MAX as i128)];
        cases.extend((0..5_000).map(|k| {
            let x = ((next() as i128) << 64 | next() as i128) >> (30 + k % 64);
            if k % 2 == 0 {
                x
            } else {
                -x
            }
        }));
        for x in cases {
            assert_eq!(times_five(x), x * 5, "{x}");
        }
    }

    #[test]
    fn mid_is_bit_identical_to_the_decimal_formula() {
        let general =
            |a: Decimal, b: Decimal| a.checked_add(b).and_then(|s| s.checked_mul(Decimal::new(5, 1)));
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let max = Decimal::MAX;
        let mut cases = vec![
            (d("99.99"), d("100.01")),
            (d("0.01"), d("0.03")),
            (d("-1.5"), d("1.5")),
            (d("-3.25"), d("1.00")),
            (d("1.5"), d("2.25")),
            (d("0"), d("0")),
            (d("0.0000000000000000000000000001"), d("0.0000000000000000000000000003")),
            (d("0.000000000000000000000000001"), d("0.000000000000000000000000003")),
            (max, -max),
            (max, d("-1")),
            (d("7922816251426433759354395033.5"), d("7922816251426433759354395033.5")),
        ];
        // A seeded walk over same-scale pairs up to 96-bit mantissas.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let scale = (seed % 29) as u32;
            let bits = 1 + (seed >> 8) % 96;
            let m = |x: u64| ((x as i128) << 32 | (x >> 17) as i128) & ((1i128 << bits) - 1);
            let (x, y) = (m(seed), m(seed.rotate_left(23)));
            let sign = if seed & 1 == 0 { 1 } else { -1 };
            cases.push((
                Decimal::from_i128_with_scale(x, scale),
                Decimal::from_i128_with_scale(sign * y, scale),
            ));
        }
        for (a, b) in cases {
            let Some(want) = general(a, b) else { continue }; // overflow panics either way
            let got = mid(a, b);
            assert_eq!(
                got.serialize(),
                want.serialize(),
                "mid({a}, {b}) = {got}, the decimal formula gives {want}"
            );
        }
    }

    #[test]
    fn limits_are_powers_of_ten() {
        assert_eq!(MAX_MAGNITUDE.to_string(), "1000000000000");
        assert_eq!(MAX_BALANCE.to_string(), "10000000000000000");
    }
}
