//! Finding columns in a CSV header by name: trimmed, any case, a leading UTF-8 BOM ignored. Two
//! columns answering to one role (`Close` and `close`, or `Date` and `Timestamp`) are refused
//! naming both, rather than letting one silently win.

use super::csv::Fields;
use super::decode_error;
use crate::error::quote;
use crate::error::EngineError;

/// A header row, its names normalised once.
pub(crate) struct Header {
    names: Vec<String>,
    /// The names as written (trimmed), for errors.
    raw: Vec<String>,
    line: usize,
    format: &'static str,
}

impl Header {
    pub(crate) fn new(fields: &Fields<'_>, line: usize, format: &'static str) -> Header {
        let raw: Vec<String> =
            fields.iter().map(|f| f.trim().trim_start_matches('\u{feff}').to_string()).collect();
        let names = raw.iter().map(|f| f.to_ascii_lowercase()).collect();
        Header { names, raw, line, format }
    }

    /// The name of column `i` (0-based) as written, trimmed.
    pub(crate) fn name(&self, i: usize) -> &str {
        &self.raw[i]
    }

    /// Whether some column has one of `aliases`.
    pub(crate) fn has(&self, aliases: &[&str]) -> bool {
        self.names.iter().any(|n| aliases.contains(&n.as_str()))
    }

    /// The column with one of `aliases` (lower case), if any; two such columns are an error.
    pub(crate) fn find(&self, aliases: &[&str], role: &str) -> Result<Option<usize>, EngineError> {
        let mut found: Option<usize> = None;
        for (i, n) in self.names.iter().enumerate() {
            if !aliases.contains(&n.as_str()) {
                continue;
            }
            if let Some(first) = found {
                return Err(decode_error(
                    self.format,
                    self.line,
                    Some(i + 1),
                    Some(&self.raw[i]),
                    format!(
                        "column {} ({}) and column {} ({}) both name the {role}; expected one {role} column",
                        first + 1,
                        quote(self.raw[first].as_str()),
                        i + 1,
                        quote(&self.raw[i])
                    ),
                ));
            }
            found = Some(i);
        }
        Ok(found)
    }
}
