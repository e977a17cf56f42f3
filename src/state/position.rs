//! One position per instrument, barter's model: weighted-average entry, realised PnL net of fees,
//! pro-rata fee split when a fill flips the position. Unlike barter it is marked to market on every
//! market event for its instrument: lazily, as the price of the mark, the unrealised PnL computed
//! when read (marks come with every bar, reads with reports and snapshots).

use crate::event::Trade;
use crate::instrument::InstrumentIndex;
use crate::order::{Side, TradeId};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An open position.
// Serialised with `pnl_unrealised` computed at the last mark, as if it were kept up to date.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
pub struct Position {
    /// Instrument.
    pub instrument: InstrumentIndex,
    /// Long (Buy) or short (Sell).
    pub side: Side,
    /// Weighted average entry price.
    pub price_entry_average: Decimal,
    /// Current size.
    pub quantity_abs: Decimal,
    /// Largest size reached.
    pub quantity_abs_max: Decimal,
    /// Unrealised PnL at the last mark, net of estimated exit fees (barter's rule).
    // Read through `pnl_unrealised()`: while `marked_at` is set, this is not computed yet.
    pnl_unrealised: Decimal,
    /// Realised PnL so far, net of all fees paid.
    pub pnl_realised: Decimal,
    /// Fees paid entering.
    pub fees_enter: Decimal,
    /// Fees paid exiting.
    pub fees_exit: Decimal,
    /// Estimated fee to exit what is left: (quantity / max quantity) × entry fees (barter's rule).
    /// Kept up to date on each fill so that marking needs no division.
    pub fees_exit_estimate: Decimal,
    /// Σ quantity × price of the fills that reduced it (for the average exit price).
    pub exit_value: Decimal,
    /// Σ quantity of the fills that reduced it.
    pub exit_quantity: Decimal,
    /// When it opened.
    pub time_enter: Timestamp,
    /// Last update.
    pub time_exchange_update: Timestamp,
    /// Fills that made it.
    pub trades: Vec<TradeId>,
    /// The price of the last mark, its unrealised PnL not computed yet: a mark is a copy, not
    /// three decimal operations (6 % of a daily backtest). Every change to what the PnL depends
    /// on (side, quantity, entry, exit fee estimate) is a fill, which marks again.
    #[serde(skip)]
    marked_at: Option<Decimal>,
}

impl PartialEq for Position {
    /// Equal when every serialised field is: a mark still pending equals the same mark computed.
    fn eq(&self, other: &Self) -> bool {
        // Destructured, so a field added to `Position` fails to compile here until it is
        // compared (and, being serialised, written by `serialize` too).
        let Position {
            instrument,
            side,
            price_entry_average,
            quantity_abs,
            quantity_abs_max,
            pnl_unrealised: _,
            pnl_realised,
            fees_enter,
            fees_exit,
            fees_exit_estimate,
            exit_value,
            exit_quantity,
            time_enter,
            time_exchange_update,
            trades,
            marked_at: _,
        } = self;
        *instrument == other.instrument
            && *side == other.side
            && *price_entry_average == other.price_entry_average
            && *quantity_abs == other.quantity_abs
            && *quantity_abs_max == other.quantity_abs_max
            && self.pnl_unrealised() == other.pnl_unrealised()
            && *pnl_realised == other.pnl_realised
            && *fees_enter == other.fees_enter
            && *fees_exit == other.fees_exit
            && *fees_exit_estimate == other.fees_exit_estimate
            && *exit_value == other.exit_value
            && *exit_quantity == other.exit_quantity
            && *time_enter == other.time_enter
            && *time_exchange_update == other.time_exchange_update
            && *trades == other.trades
    }
}

impl Eq for Position {}

impl Serialize for Position {
    /// The derived form, field for field, with `pnl_unrealised` computed at the last mark.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Position", 15)?;
        s.serialize_field("instrument", &self.instrument)?;
        s.serialize_field("side", &self.side)?;
        s.serialize_field("price_entry_average", &self.price_entry_average)?;
        s.serialize_field("quantity_abs", &self.quantity_abs)?;
        s.serialize_field("quantity_abs_max", &self.quantity_abs_max)?;
        s.serialize_field("pnl_unrealised", &self.pnl_unrealised())?;
        s.serialize_field("pnl_realised", &self.pnl_realised)?;
        s.serialize_field("fees_enter", &self.fees_enter)?;
        s.serialize_field("fees_exit", &self.fees_exit)?;
        s.serialize_field("fees_exit_estimate", &self.fees_exit_estimate)?;
        s.serialize_field("exit_value", &self.exit_value)?;
        s.serialize_field("exit_quantity", &self.exit_quantity)?;
        s.serialize_field("time_enter", &self.time_enter)?;
        s.serialize_field("time_exchange_update", &self.time_exchange_update)?;
        s.serialize_field("trades", &self.trades)?;
        s.end()
    }
}

/// A closed position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PositionExited {
    /// Instrument.
    pub instrument: InstrumentIndex,
    /// Side it had.
    pub side: Side,
    /// Weighted average entry.
    pub price_entry_average: Decimal,
    /// Largest size reached.
    pub quantity_abs_max: Decimal,
    /// Realised PnL, net of fees.
    pub pnl_realised: Decimal,
    /// Entry fees.
    pub fees_enter: Decimal,
    /// Exit fees.
    pub fees_exit: Decimal,
    /// Quantity-weighted average price of the closing fills.
    pub price_exit_average: Decimal,
    /// Opened.
    pub time_enter: Timestamp,
    /// Closed.
    pub time_exit: Timestamp,
    /// Fills that made it.
    pub trades: Vec<TradeId>,
}

impl PositionExited {
    /// barter's `pnl_return`: realised PnL / (entry × max quantity).
    pub fn pnl_return(&self) -> Option<Decimal> {
        let base = self.price_entry_average * self.quantity_abs_max;
        // None too when the ratio is past what a Decimal holds (a position entered at a price
        // of 10^-22: the PnL of its exit divided by almost nothing).
        if base.is_zero() {
            None
        } else {
            self.pnl_realised.checked_div(base)
        }
    }
}

/// Weighted average of two fills: (p1·q1 + p2·q2) / (q1 + q2), 0 when both quantities are 0.
pub fn entry_average(p1: Decimal, q1: Decimal, p2: Decimal, q2: Decimal) -> Decimal {
    let q = q1 + q2;
    if q.is_zero() {
        Decimal::ZERO
    } else {
        (p1 * q1 + p2 * q2) / q
    }
}

/// PnL of closing `qty` of a `side` position entered at `entry` and exited at `exit`, less `fee`.
/// Inlined: it marks open positions on every market event, and five decimals passed by value
/// are five copies through the wasm stack.
#[inline]
pub fn realised(side: Side, qty: Decimal, entry: Decimal, exit: Decimal, fee: Decimal) -> Decimal {
    // barter writes q·exit − q·entry; q·(exit − entry) is the same number with one multiplication.
    match side {
        Side::Buy => qty * (exit - entry) - fee,
        Side::Sell => qty * (entry - exit) - fee,
    }
}

impl Position {
    /// Opens a position from a fill.
    pub fn from_trade(t: &Trade) -> Self {
        Position::opened(t, t.quantity.abs(), t.fees.fees)
    }

    /// A new position on the fill's side for `quantity`, paying `fee` to enter.
    fn opened(t: &Trade, quantity: Decimal, fee: Decimal) -> Self {
        let mut p = Position {
            instrument: t.instrument,
            side: t.side,
            price_entry_average: t.price,
            quantity_abs: quantity,
            quantity_abs_max: quantity,
            pnl_unrealised: Decimal::ZERO,
            pnl_realised: -fee,
            fees_enter: fee,
            fees_exit: Decimal::ZERO,
            fees_exit_estimate: fee,
            exit_value: Decimal::ZERO,
            exit_quantity: Decimal::ZERO,
            time_enter: t.time_exchange,
            time_exchange_update: t.time_exchange,
            trades: vec![t.id.clone()],
            marked_at: None,
        };
        p.mark(t.price);
        p
    }

    fn update_fee_estimate(&mut self) {
        self.fees_exit_estimate =
            if self.quantity_abs_max.is_zero() || self.quantity_abs == self.quantity_abs_max {
                if self.quantity_abs_max.is_zero() {
                    Decimal::ZERO
                } else {
                    self.fees_enter
                }
            } else {
                self.quantity_abs / self.quantity_abs_max * self.fees_enter
            };
    }

    /// Unrealised PnL at `price`; the remaining exit fee is estimated from the entry fees (barter).
    #[inline]
    pub fn unrealised_at(&self, price: Decimal) -> Decimal {
        realised(self.side, self.quantity_abs, self.price_entry_average, price, self.fees_exit_estimate)
    }

    /// Marks the position to a market price.
    #[inline]
    pub fn mark(&mut self, price: Decimal) {
        self.marked_at = Some(price);
    }

    /// Unrealised PnL at the last mark, net of estimated exit fees (barter's rule).
    #[inline]
    pub fn pnl_unrealised(&self) -> Decimal {
        self.marked_at.map_or(self.pnl_unrealised, |price| self.unrealised_at(price))
    }

    /// Signed size: positive long, negative short.
    pub fn quantity_signed(&self) -> Decimal {
        self.side.sign() * self.quantity_abs
    }

    fn exited(&self, time: Timestamp) -> PositionExited {
        PositionExited {
            instrument: self.instrument,
            side: self.side,
            price_entry_average: self.price_entry_average,
            quantity_abs_max: self.quantity_abs_max,
            pnl_realised: self.pnl_realised,
            fees_enter: self.fees_enter,
            fees_exit: self.fees_exit,
            price_exit_average: if self.exit_quantity.is_zero() {
                Decimal::ZERO
            } else {
                self.exit_value / self.exit_quantity
            },
            time_enter: self.time_enter,
            time_exit: time,
            trades: self.trades.clone(),
        }
    }

    /// Applies a fill: increase, reduce, close, or flip. Returns the position left (if any) and the
    /// position that closed (if any).
    pub fn update_from_trade(mut self, t: &Trade) -> (Option<Position>, Option<PositionExited>) {
        let q = t.quantity.abs();
        let fee = t.fees.fees;
        self.time_exchange_update = t.time_exchange;
        self.trades.push(t.id.clone());
        if t.side == self.side {
            self.price_entry_average = entry_average(self.price_entry_average, self.quantity_abs, t.price, q);
            self.quantity_abs += q;
            self.quantity_abs_max = self.quantity_abs_max.max(self.quantity_abs);
            self.pnl_realised -= fee;
            self.fees_enter += fee;
            self.update_fee_estimate();
            self.mark(t.price);
            return (Some(self), None);
        }
        match q.cmp(&self.quantity_abs) {
            std::cmp::Ordering::Less => {
                self.exit_value += q * t.price;
                self.exit_quantity += q;
                self.pnl_realised += realised(self.side, q, self.price_entry_average, t.price, fee);
                self.quantity_abs -= q;
                self.fees_exit += fee;
                self.update_fee_estimate();
                self.mark(t.price);
                (Some(self), None)
            }
            std::cmp::Ordering::Equal => {
                self.exit_value += q * t.price;
                self.exit_quantity += q;
                self.fees_exit += fee;
                self.pnl_realised += realised(self.side, q, self.price_entry_average, t.price, fee);
                self.quantity_abs = Decimal::ZERO;
                self.pnl_unrealised = Decimal::ZERO;
                (None, Some(self.exited(t.time_exchange)))
            }
            std::cmp::Ordering::Greater => {
                // fee × quantity first, as barter; the share first only where that product would
                // not fit (|fee| up to 10^16 times a position up to 10^16).
                let share = |part: Decimal| fee.checked_mul(part).map_or_else(|| fee * (part / q), |x| x / q);
                let close_fee = share(self.quantity_abs);
                let open_fee = share(q - self.quantity_abs);
                self.fees_exit += close_fee;
                self.pnl_realised +=
                    realised(self.side, self.quantity_abs, self.price_entry_average, t.price, close_fee);
                self.exit_value += self.quantity_abs * t.price;
                self.exit_quantity += self.quantity_abs;
                let exited = self.exited(t.time_exchange);
                let next = Position::opened(t, q - self.quantity_abs, open_fee);
                (Some(next), Some(exited))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::AssetFees;
    use crate::order::{OrderId, StrategyId};
    use crate::test_util::d;

    /// Found by the engine fuzz target: a market buy filled (barter_mock) at a price of 8e-23,
    /// closed at 91,872,015: the return divided by ~7e-26 once panicked with "Division overflowed".
    #[test]
    fn pnl_return_past_decimal_range_is_none() {
        let exited = PositionExited {
            instrument: InstrumentIndex(0),
            side: Side::Buy,
            price_entry_average: d("0.00000000000000000000008"),
            quantity_abs_max: d("0.0009187201950435737459"),
            pnl_realised: d("84403.5"),
            fees_enter: Decimal::ZERO,
            fees_exit: Decimal::ZERO,
            price_exit_average: d("91872015.57446229887"),
            time_enter: Timestamp(0),
            time_exit: Timestamp(1),
            trades: Vec::new(),
        };
        assert_eq!(exited.pnl_return(), None);
        let normal = PositionExited {
            price_entry_average: d("100"),
            quantity_abs_max: d("2"),
            pnl_realised: d("20"),
            ..exited
        };
        assert_eq!(normal.pnl_return(), Some(d("0.1")));
    }

    fn trade(side: Side, price: &str, qty: &str, fee: &str) -> Trade {
        Trade {
            id: TradeId("t".into()),
            order_id: OrderId("o".into()),
            instrument: InstrumentIndex(0),
            strategy: StrategyId("s".into()),
            time_exchange: Timestamp(0),
            side,
            price: d(price),
            quantity: d(qty),
            fees: AssetFees { asset: None, fees: d(fee) },
        }
    }

    fn apply(first: Trade, second: Trade) -> (Option<Position>, Option<PositionExited>) {
        Position::from_trade(&first).update_from_trade(&second)
    }

    // Vectors from barter-model.md §10 (barter's position unit tests).
    #[test]
    fn increase_long() {
        let (p, e) = apply(trade(Side::Buy, "100", "1", "10"), trade(Side::Buy, "120", "1", "10"));
        let p = p.unwrap();
        assert!(e.is_none());
        assert_eq!(
            (p.price_entry_average, p.quantity_abs, p.pnl_realised, p.pnl_unrealised()),
            (d("110"), d("2"), d("-20"), d("0"))
        );
    }

    #[test]
    fn reduce_long() {
        let (p, _) = apply(trade(Side::Buy, "100", "2", "10"), trade(Side::Sell, "150", "0.5", "5"));
        let p = p.unwrap();
        assert_eq!((p.quantity_abs, p.pnl_realised, p.pnl_unrealised()), (d("1.5"), d("10"), d("67.5")));
    }

    #[test]
    fn close_long() {
        let (p, e) = apply(trade(Side::Buy, "100", "1", "10"), trade(Side::Sell, "150", "1", "10"));
        assert!(p.is_none());
        assert_eq!(e.unwrap().pnl_realised, d("30"));
    }

    #[test]
    fn flip_long_to_short_splits_fee() {
        let (p, e) = apply(trade(Side::Buy, "100", "1", "10"), trade(Side::Sell, "150", "2", "20"));
        let e = e.unwrap();
        assert_eq!((e.pnl_realised, e.price_exit_average), (d("30"), d("150")));
        let p = p.unwrap();
        assert_eq!(
            (p.side, p.price_entry_average, p.quantity_abs, p.pnl_realised),
            (Side::Sell, d("150"), d("1"), d("-10"))
        );
    }

    #[test]
    fn short_vectors() {
        let (p, _) = apply(trade(Side::Sell, "100", "1", "10"), trade(Side::Sell, "80", "1", "10"));
        let p = p.unwrap();
        assert_eq!((p.price_entry_average, p.pnl_realised), (d("90"), d("-20")));
        let (p, _) = apply(trade(Side::Sell, "100", "2", "10"), trade(Side::Buy, "80", "0.5", "5"));
        let p = p.unwrap();
        assert_eq!((p.pnl_realised, p.pnl_unrealised()), (d("-5"), d("22.5")));
        let (p, e) = apply(trade(Side::Sell, "100", "1", "10"), trade(Side::Buy, "80", "1", "10"));
        assert!(p.is_none());
        assert_eq!(e.unwrap().pnl_realised, d("0"));
    }

    #[test]
    fn entry_averages() {
        assert_eq!(entry_average(d("100"), d("2"), d("200"), d("4")), d("166.66666666666666666666666667"));
        assert_eq!(entry_average(d("100"), d("20"), d("200"), d("1")), d("104.76190476190476190476190476"));
        assert_eq!(entry_average(d("1"), d("0"), d("2"), d("0")), d("0"));
    }

    #[test]
    fn unrealised_marks() {
        let long = Position::from_trade(&trade(Side::Buy, "100", "1", "10"));
        assert_eq!(long.unrealised_at(d("150")), d("40"));
        assert_eq!(long.unrealised_at(d("80")), d("-30"));
        let short = Position::from_trade(&trade(Side::Sell, "100", "1", "10"));
        assert_eq!(short.unrealised_at(d("80")), d("10"));
        assert_eq!(short.unrealised_at(d("150")), d("-60"));
        // Hand-computed: half closed, 1 of max 2 left, entry fee 10 → exit-fee estimate 5; 1×(125−100) − 5 = 20.
        let (half, _) = apply(trade(Side::Buy, "100", "2", "10"), trade(Side::Sell, "150", "1", "0"));
        assert_eq!(half.unwrap().unrealised_at(d("125")), d("20"));
    }

    #[test]
    fn a_pending_mark_reads_serialises_and_compares_as_computed() {
        // Long 1 at 100, entry fee 10 (exit fee estimate 10), marked at 150.00: 1 × 50.00 − 10.
        let mut p = Position::from_trade(&trade(Side::Buy, "100", "1", "10"));
        p.mark(d("150.00"));
        assert_eq!(p.pnl_unrealised().to_string(), "40.00");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["pnl_unrealised"], serde_json::json!("40.00"));
        // The derived form's field order, in the text.
        let text = serde_json::to_string(&p).unwrap();
        let keys: Vec<&str> = text.split('"').skip(1).step_by(2).filter(|k| json.get(*k).is_some()).collect();
        assert_eq!(
            keys,
            [
                "instrument",
                "side",
                "price_entry_average",
                "quantity_abs",
                "quantity_abs_max",
                "pnl_unrealised",
                "pnl_realised",
                "fees_enter",
                "fees_exit",
                "fees_exit_estimate",
                "exit_value",
                "exit_quantity",
                "time_enter",
                "time_exchange_update",
                "trades"
            ]
        );
        // Read back, the value is the field itself (no mark pending): equal, and written the same.
        let back: Position = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, p);
        assert_eq!(serde_json::to_value(&back).unwrap(), json);
        // A later mark moves it; another position differs.
        p.mark(d("90"));
        assert_eq!(p.pnl_unrealised(), d("-20"));
        assert_ne!(back, p);
    }
}
