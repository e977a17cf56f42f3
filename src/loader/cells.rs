//! Reading cells of a CSV row, shared by the CSV formats: every error names the line, the column
//! (number and name) and what was expected, echoing at most a prefix of the cell.

use super::echo::shown;
use super::symbols::SymbolMap;
use super::{decode_error, CsvTarget};
use crate::error::EngineError;
use rust_decimal::Decimal;

/// A symbol column without the instruments to map it: rows must not silently go to one.
pub(crate) fn no_symbol_map(format: &str, line: usize, column: usize, name: &str) -> EngineError {
    decode_error(
        format,
        line,
        Some(column + 1),
        Some(name),
        "a symbol column maps rows to instruments by name; expected the config's instruments to map \
         them (LoadOptions::symbols), or a file without this column",
    )
}

/// A decimal cell; the error names the cell and echoes (a prefix of) its text.
pub(crate) fn decimal(
    format: &str,
    fields: &[String],
    i: usize,
    name: &str,
    line: usize,
) -> Result<Decimal, EngineError> {
    let text = cell(format, fields, i, name, line)?;
    text.parse::<Decimal>().or_else(|_| Decimal::from_scientific(text)).map_err(|_| {
        decode_error(
            format,
            line,
            Some(i + 1),
            Some(name),
            format!("expected a decimal number, got {}", shown(text)),
        )
    })
}

/// A trimmed cell, or an error naming the missing column.
pub(crate) fn cell<'a>(
    format: &str,
    fields: &'a [String],
    i: usize,
    name: &str,
    line: usize,
) -> Result<&'a str, EngineError> {
    fields.get(i).map(|s| s.trim()).ok_or_else(|| {
        decode_error(
            format,
            line,
            Some(i + 1),
            Some(name),
            format!("row has {} fields; expected a {name} value in column {}", fields.len(), i + 1),
        )
    })
}

/// Where a row goes: its symbol's instrument, or the loader's target.
pub(crate) fn row_target(
    format: &str,
    target: CsvTarget,
    symbols: &mut Option<SymbolMap>,
    symbol: Option<usize>,
    fields: &[String],
    line: usize,
) -> Result<CsvTarget, EngineError> {
    match (symbol, symbols) {
        (Some(i), Some(map)) => {
            let name = cell(format, fields, i, "symbol", line)?;
            map.resolve(name, || format!("{format} line {line} column {} (symbol)", i + 1))
        }
        _ => Ok(target),
    }
}
