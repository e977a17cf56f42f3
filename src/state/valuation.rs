//! How a portfolio is valued in one asset: which held assets count as that asset and which
//! instruments' marks value the others. Worked out once per valuation asset, because equity is
//! valued at every equity point (every bar) and matching asset names there was ~8 % of a daily
//! backtest.

use super::EngineState;
use crate::instrument::{InstrumentIndex, Instruments};
use rust_decimal::Decimal;

/// How one asset enters the valuation.
#[derive(Clone, Debug, PartialEq)]
enum Way {
    /// It is the valuation asset: its balance counts as it is.
    Quote,
    /// Valued at the first of these instruments (base = the asset, quote = the valuation asset,
    /// same exchange) that has a mark.
    Marks(Vec<usize>),
    /// No instrument values it: left out.
    Unvalued,
}

/// The valuation plan for one valuation asset over a set of instruments.
#[derive(Clone, Debug, PartialEq)]
pub struct Valuation {
    ways: Vec<Way>,
}

impl Valuation {
    /// The plan for valuing in the asset named `quote` (ASCII letters in either case; asset names
    /// are lower case).
    pub fn new(instruments: &Instruments, quote: &str) -> Valuation {
        let quote = quote.to_ascii_lowercase();
        let assets = instruments.assets();
        let ways = assets
            .iter()
            .enumerate()
            .map(|(i, asset)| {
                if asset.name == quote {
                    return Way::Quote;
                }
                let marks: Vec<usize> = instruments
                    .instruments()
                    .iter()
                    .enumerate()
                    .filter(|(_, inst)| {
                        inst.exchange == asset.exchange
                            && inst.base_asset().0 == i
                            && assets.get(inst.quote_asset().0).is_some_and(|q| q.name == quote)
                    })
                    .map(|(j, _)| j)
                    .collect();
                if marks.is_empty() {
                    Way::Unvalued
                } else {
                    Way::Marks(marks)
                }
            })
            .collect();
        Valuation { ways }
    }
}

/// Each instrument's valuation in its quote asset (what sizing by equity values the portfolio
/// in), one plan per distinct quote asset name, made once per engine.
#[derive(Clone, Debug, Default)]
pub struct QuoteValuations {
    plans: Vec<Valuation>,
    of_instrument: Vec<usize>,
}

impl QuoteValuations {
    /// The plans for `instruments`.
    pub fn new(instruments: &Instruments) -> QuoteValuations {
        let assets = instruments.assets();
        let mut names: Vec<&str> = Vec::new();
        let mut plans = Vec::new();
        let of_instrument = instruments
            .instruments()
            .iter()
            .map(|inst| {
                let name = assets[inst.quote_asset().0].name.as_str();
                names.iter().position(|n| *n == name).unwrap_or_else(|| {
                    names.push(name);
                    plans.push(Valuation::new(instruments, name));
                    plans.len() - 1
                })
            })
            .collect();
        QuoteValuations { plans, of_instrument }
    }

    /// The plan valuing in `instrument`'s quote asset (None for an index past the instruments).
    pub fn of(&self, instrument: InstrumentIndex) -> Option<&Valuation> {
        self.plans.get(*self.of_instrument.get(instrument.0)?)
    }
}

impl EngineState {
    /// Portfolio value by `plan`, and whether it is complete: false while a held asset that an
    /// instrument values has no mark yet (its value is missing from the sum, not zero).
    pub fn value(&self, plan: &Valuation) -> (Decimal, bool) {
        // The first term is the total as it is: 0 + x is x, digits and scale, and an addition
        // less at every equity point.
        let mut total: Option<Decimal> = None;
        let mut complete = true;
        for (way, state) in plan.ways.iter().zip(&self.assets) {
            let Some(b) = state.balance else { continue };
            if b.total.is_zero() {
                continue;
            }
            // Saturating: balances from different exchanges and marks are each bounded, their
            // sum over many assets is not, and a valuation must not abort the engine.
            let term = match way {
                Way::Quote => b.total,
                Way::Marks(js) => match js.iter().find_map(|&j| self.instruments.get(j)?.market.mark()) {
                    Some(m) => b.total.saturating_mul(m),
                    None => {
                        complete = false;
                        continue;
                    }
                },
                Way::Unvalued => continue,
            };
            total = Some(total.map_or(term, |t| t.saturating_add(term)));
        }
        (total.unwrap_or(Decimal::ZERO), complete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::spot as cfg;

    #[test]
    fn each_instrument_gets_the_plan_of_its_quote_asset_name() {
        // Two quote names, one of them on two exchanges (one plan: valuation is by name).
        let configs = [
            cfg("binance_spot", "btc", "usdt"),
            cfg("binance_spot", "eth", "btc"),
            cfg("coinbase", "sol", "usdt"),
        ];
        let instruments = Instruments::new(&configs).unwrap();
        let q = QuoteValuations::new(&instruments);
        assert_eq!(q.plans.len(), 2);
        for (i, inst) in instruments.instruments().iter().enumerate() {
            let quote = &instruments.assets()[inst.quote_asset().0].name;
            assert_eq!(q.of(InstrumentIndex(i)), Some(&Valuation::new(&instruments, quote)), "{quote}");
        }
        assert_eq!(q.of(InstrumentIndex(3)), None);
    }
}
