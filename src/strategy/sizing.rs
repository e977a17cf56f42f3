//! How big an entry is: a fixed quantity, or a fraction of equity.

use super::StrategyContext;
use crate::error::EngineError;
use crate::instrument::InstrumentIndex;
use crate::order::FillSizing;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Entry size. JSON: `{"fixed_quantity": "0.5"}` or `{"equity_fraction": {"fraction": "1", "whole_units": true}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// Rounds down to a multiple of `step`.
pub fn floor_to(x: Decimal, step: Decimal) -> Decimal {
    if step.is_zero() {
        return x;
    }
    (x / step).floor() * step
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
                let quote = &ctx.instruments.assets()[inst.quote_asset().0].name;
                let equity = ctx.state.equity(ctx.instruments, quote);
                let fee = ctx.fee_rates(instrument).taker.max(Decimal::ZERO);
                let increment = if *whole_units { Some(Decimal::ONE) } else { inst.quantity_increment() };
                let raw = equity * fraction / (price * (Decimal::ONE + fee));
                let qty = match increment {
                    Some(step) => floor_to(raw, step),
                    None => raw.round_dp_with_strategy(12, RoundingStrategy::ToZero),
                };
                (qty > Decimal::ZERO).then(|| (qty, Some(FillSizing { fraction: *fraction, increment })))
            }
        }
    }
}
