//! How big an entry is: a fixed quantity, or a fraction of equity.

use super::StrategyContext;
use crate::error::EngineError;
use crate::instrument::InstrumentIndex;
use crate::order::FillSizing;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Entry size. JSON: `{"fixed_quantity": "0.5"}` or `{"equity_fraction": {"fraction": "1", "whole_units": true}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Sizing {
    /// Always this quantity.
    FixedQuantity(Decimal),
    /// A fraction of equity in the instrument's quote asset. Market buys are sized by the exchange
    /// at fill time from the free quote balance (fees included), so a price move between signal and
    /// fill cannot make the order unaffordable; whole units (`whole_units`), else the instrument's
    /// quantity increment, else full precision.
    EquityFraction {
        /// Share of equity, in (0, 1].
        fraction: Decimal,
        /// Round down to whole units.
        #[serde(default)]
        whole_units: bool,
    },
}

impl Default for Sizing {
    fn default() -> Self {
        Sizing::EquityFraction { fraction: Decimal::ONE, whole_units: false }
    }
}

/// Rounds down to a multiple of `step`. Where `x / step` does not fit a Decimal (a step of
/// 10^-28 under a quantity of 10^12), it rounds down to the step's decimal places instead.
pub fn floor_to(x: Decimal, step: Decimal) -> Decimal {
    if step.is_zero() {
        return x;
    }
    if step.scale() == 0 && step == Decimal::ONE {
        // Whole units: x / 1 floored and × 1 is x floored, to the same digits and scale (0),
        // without a decimal division per order. (A step of 1.0 keeps its scale below.)
        return x.floor();
    }
    match x.checked_div(step).and_then(|n| n.floor().checked_mul(step)) {
        Some(v) => v,
        None => x.round_dp_with_strategy(step.scale(), RoundingStrategy::ToZero),
    }
}

/// The quantity `budget` buys at `unit_cost` (price including fees), rounded down to `step` (or
/// to 12 decimal places without one), and at most `MAX_MAGNITUDE` (10^12, the largest quantity
/// an order may have). Clamped rather than refused: a tiny price under a large balance (10^-13
/// under 10^16) buys more than any order may hold, so the order buys the most it may, whose cost
/// (≤ 10^12 × price) the balance covers. Never divides unchecked: that quotient overflowed.
pub fn quantity_for(budget: Decimal, unit_cost: Decimal, step: Option<Decimal>) -> Decimal {
    let max = crate::event::MAX_MAGNITUDE;
    let raw = if unit_cost <= Decimal::ZERO {
        Decimal::ZERO
    } else {
        budget.checked_div(unit_cost).map_or(max, |q| q.min(max))
    };
    match step {
        Some(step) if !step.is_zero() => floor_to(raw, step),
        _ => raw.round_dp_with_strategy(12, RoundingStrategy::ToZero),
    }
}

impl Sizing {
    /// Checks the parameters.
    pub fn validate(&self, path: &str) -> Result<(), EngineError> {
        match self {
            Sizing::FixedQuantity(q) if *q <= Decimal::ZERO => Err(EngineError::config(
                format!("{path}.fixed_quantity"),
                format!("must be positive, got {q}"),
            )),
            Sizing::EquityFraction { fraction, .. }
                if *fraction <= Decimal::ZERO || *fraction > Decimal::ONE =>
            {
                Err(EngineError::config(
                    format!("{path}.equity_fraction.fraction"),
                    format!("must be in (0, 1], got {fraction}"),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Entry quantity at `price`, and the fill-time sizing to attach to a market buy.
    pub fn entry(
        &self,
        ctx: &StrategyContext<'_>,
        instrument: InstrumentIndex,
        price: Decimal,
    ) -> Option<(Decimal, Option<FillSizing>)> {
        match self {
            Sizing::FixedQuantity(q) => Some((*q, None)),
            Sizing::EquityFraction { fraction, whole_units } => {
                let inst = &ctx.instruments.instruments()[instrument.0];
                let equity = ctx.quote_equity(instrument);
                let fee = ctx.fee_rates(instrument).taker.max(Decimal::ZERO);
                let increment = if *whole_units { Some(Decimal::ONE) } else { inst.quantity_increment() };
                // Equity sums bounded balances at bounded marks; saturating keeps a sum past
                // Decimal's range a (clamped) large budget rather than an abort.
                let budget = equity.saturating_mul(*fraction);
                let unit = price.checked_mul(Decimal::ONE + fee).unwrap_or(Decimal::MAX);
                let qty = quantity_for(budget, unit, increment);
                (qty > Decimal::ZERO).then_some((qty, Some(FillSizing { fraction: *fraction, increment })))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn sizing_clamps_instead_of_overflowing() {
        // 10^16 / 10^-13 = 10^29 does not fit a Decimal (max 7.9·10^28): clamped to 10^12.
        assert_eq!(quantity_for(d("1e16"), d("1e-13"), None), d("1000000000000"));
        assert_eq!(quantity_for(d("1e16"), d("1e-13"), Some(Decimal::ONE)), d("1000000000000"));
        // 28 decimal places: 1 / 0.0000000000000000000000000003 ≈ 3.3·10^27, clamped too.
        assert_eq!(quantity_for(Decimal::ONE, d("0.0000000000000000000000000003"), None), d("1000000000000"));
        // In range it is the plain quotient: 1000 / 3 rounded down to 12 places, or whole units.
        assert_eq!(quantity_for(d("1000"), d("3"), None), d("333.333333333333"));
        assert_eq!(quantity_for(d("1000"), d("3"), Some(Decimal::ONE)), d("333"));
        // A step whose quotient overflows rounds to the step's places: 10^12 / 10^-28.
        assert_eq!(floor_to(d("123.456"), d("0.0000000000000000000000000001")), d("123.456"));
        assert_eq!(floor_to(d("1000000000000"), d("0.0000000000000000000000000001")), d("1000000000000"));
    }

    #[test]
    fn whole_units_floor_to_the_digits_of_the_division() {
        // The shortcut for a step of 1 against x / 1 floored × 1, to the scale (the text shows it).
        let general =
            |x: Decimal, step: Decimal| x.checked_div(step).unwrap().floor().checked_mul(step).unwrap();
        for x in [
            "0",
            "0.5",
            "3.7",
            "3",
            "-0.5",
            "-2.25",
            "12345.678901234567890123",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
        ] {
            for step in ["1", "1.0", "1.00"] {
                let (x, step) = (d(x), d(step));
                assert_eq!(floor_to(x, step).to_string(), general(x, step).to_string(), "{x} by {step}");
            }
        }
    }
}
