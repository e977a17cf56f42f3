//! Mapping a CSV symbol column (`symbol`, `ticker` or `instrument`, any case) to the config's
//! instruments. A row's symbol matches an instrument's venue symbol (`name_exchange`, e.g.
//! `BTCUSDT`) or barter's internal name (`name_internal`, e.g. `binancespot-btc_usdt`), ignoring
//! ASCII case. A symbol no instrument has, or one that several instruments share (one venue
//! symbol on two exchanges), is refused: rows never fall back to some default instrument.

use super::CsvTarget;
use crate::error::quote;
use crate::error::EngineError;
use crate::instrument::{InstrumentIndex, Instruments};

/// Header names of the symbol column, lower case.
pub(crate) const SYMBOL_NAMES: [&str; 3] = ["symbol", "ticker", "instrument"];

/// Instrument names and where their rows go.
#[derive(Clone, Debug, Default)]
pub struct SymbolMap {
    names: Vec<(String, CsvTarget)>,
    /// The last symbol resolved: files hold long runs of one symbol, so most rows compare one
    /// string instead of scanning every name.
    last: Option<(String, CsvTarget)>,
}

impl SymbolMap {
    /// Both names of every instrument of a config (`config.instruments`).
    pub fn from_instruments(instruments: &Instruments) -> SymbolMap {
        let mut names = Vec::new();
        for (i, inst) in instruments.instruments().iter().enumerate() {
            let target = CsvTarget { instrument: InstrumentIndex(i), exchange: inst.exchange_id };
            names.push((inst.name_exchange.clone(), target));
            if inst.name_internal != inst.name_exchange {
                names.push((inst.name_internal.clone(), target));
            }
        }
        SymbolMap { names, last: None }
    }

    /// Explicit names (tests, hosts with their own naming).
    pub fn from_names(names: impl IntoIterator<Item = (String, CsvTarget)>) -> SymbolMap {
        SymbolMap { names: names.into_iter().collect(), last: None }
    }

    /// Where rows of `symbol` go; `field` (e.g. `ohlcv-csv line 3 column 7 (symbol)`) is built
    /// only on failure.
    pub(crate) fn resolve(
        &mut self,
        symbol: &str,
        field: impl FnOnce() -> String,
    ) -> Result<CsvTarget, EngineError> {
        if let Some((s, t)) = &self.last {
            if s == symbol {
                return Ok(*t);
            }
        }
        let mut found: Option<CsvTarget> = None;
        for (name, target) in &self.names {
            if !name.eq_ignore_ascii_case(symbol) {
                continue;
            }
            match found {
                Some(f) if f.instrument != target.instrument => {
                    return Err(EngineError::UnknownInstrument {
                        field: field(),
                        instrument: format!(
                            "{}: several instruments have this name (indices {} and {}); expected one instrument's name, e.g. its internal name",
                            quote(symbol),
                            f.instrument.0,
                            target.instrument.0
                        ),
                    });
                }
                _ => found = Some(*target),
            }
        }
        let target = found.ok_or_else(|| {
            let known: Vec<&str> = self.names.iter().take(8).map(|(n, _)| n.as_str()).collect();
            EngineError::UnknownInstrument {
                field: field(),
                instrument: format!(
                    "{}; expected one of the config's instruments ({}{})",
                    quote(symbol),
                    known.join(", "),
                    if self.names.len() > 8 { ", …" } else { "" }
                ),
            }
        })?;
        self.last = Some((symbol.to_string(), target));
        Ok(target)
    }
}
