//! barter's market stream JSON: `{"Item":{"Ok":{...}}}`, `{"Item":{...}}` and
//! `{"Reconnecting":"binance_spot"}`, as one JSON array or as JSON lines. A leading UTF-8 BOM is
//! ignored; a document without items (empty, blank, `[]`) is refused. serde's messages quote
//! values, so they are cut to a bounded length.

use super::{decode_error, Lines};
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};
use crate::instrument::ExchangeId;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::io::BufRead;

const FORMAT: &str = "barter-json";

/// serde messages longer than this many characters are cut (they quote unknown variants and
/// strings whole).
const MAX_MESSAGE: usize = 200;

fn serde_error(line: usize, column: usize, path: Option<&str>, e: serde_json::Error) -> EngineError {
    // serde's own position is relative to the slice it parsed; ours replaces it.
    decode_error(FORMAT, line, Some(column), path, crate::error::clip(crate::json::message(&e), MAX_MESSAGE))
}

/// The document position of an error inside a slice of `text` (an array element, an item's
/// inner object): serde reports it relative to the slice it parsed, or as line 0 for errors a
/// type's own decoding raises (an unknown exchange), which then point at the slice's start.
fn position_in(text: &str, element: &str, line: usize, column: usize) -> (usize, usize) {
    let offset = element.as_ptr() as usize - text.as_ptr() as usize;
    let before = &text[..offset];
    let start_line = before.matches('\n').count() + 1;
    let start_column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    match line {
        0 => (start_line, start_column),
        1 => (start_line, (start_column + column).saturating_sub(1).max(1)),
        l => (start_line + l - 1, column),
    }
}

pub(crate) fn no_items(line: usize) -> EngineError {
    decode_error(
        FORMAT,
        line,
        None,
        None,
        "no rows: the document holds no stream items; expected at least one {\"Item\":...}",
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
enum RawItem<'a> {
    #[serde(borrow)]
    Item(&'a RawValue),
    Reconnecting(ExchangeId),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
enum OkWrapper {
    Ok(MarketEvent),
}

/// A serde error and the slice it was raised on (its line and column are relative to it).
type Failed<'a> = (serde_json::Error, &'a str);

fn parse_item(raw: &RawValue) -> Result<StreamEvent<MarketEvent>, Failed<'_>> {
    let text = raw.get();
    let inner = text.trim_start().strip_prefix('{').map(str::trim_start);
    if inner.is_some_and(|t| t.starts_with("\"Ok\"") || t.starts_with("\"Err\"")) {
        let OkWrapper::Ok(e) = crate::json::from_str(text).map_err(|e| (e, text))?;
        return Ok(StreamEvent::Item(e));
    }
    Ok(StreamEvent::Item(crate::json::from_str(text).map_err(|e| (e, text))?))
}

fn parse_one(text: &str) -> Result<StreamEvent<MarketEvent>, Failed<'_>> {
    match crate::json::from_str::<RawItem>(text).map_err(|e| (e, text))? {
        RawItem::Reconnecting(id) => Ok(StreamEvent::Reconnecting(id)),
        RawItem::Item(raw) => parse_item(raw),
    }
}

/// Parses a whole barter JSON document: an array of stream items, or JSON lines.
pub fn parse_barter_json(text: &str) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        let items: Vec<&RawValue> =
            crate::json::from_str(text).map_err(|e| serde_error(e.line(), e.column(), None, e))?;
        if items.is_empty() {
            return Err(no_items(text.lines().take_while(|l| !l.contains('[')).count() + 1));
        }
        return items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                parse_one(raw.get()).map_err(|(e, slice)| {
                    let (line, column) = position_in(text, slice, e.line(), e.column());
                    serde_error(line, column, Some(&format!("[{i}]")), e)
                })
            })
            .collect();
    }
    let items: Vec<_> = BarterJsonLines::new(text.as_bytes()).collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Err(no_items(text.lines().count().max(1)));
    }
    Ok(items)
}

/// Streams JSON lines (one stream item per line; blank lines skipped).
pub struct BarterJsonLines<R> {
    lines: Lines<R>,
}

impl<R: BufRead> BarterJsonLines<R> {
    /// Reads from a buffered reader.
    pub fn new(reader: R) -> Self {
        BarterJsonLines { lines: Lines::new(reader) }
    }
}

impl<R: BufRead> Iterator for BarterJsonLines<R> {
    type Item = Result<StreamEvent<MarketEvent>, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (line, text) = self.lines.next_line()?;
        Some(match text {
            Err(e) => Err(decode_error(FORMAT, line, None, None, e.to_string())),
            Ok(t) => parse_line(line, t),
        })
    }
}

/// Decodes one JSON line (`line` 1-based, `text` without its line ending), errors placed in the
/// document.
pub(crate) fn parse_line(line: usize, text: &str) -> Result<StreamEvent<MarketEvent>, EngineError> {
    parse_one(text).map_err(|(e, slice)| {
        let (l, column) = position_in(text, slice, e.line(), e.column());
        serde_error(line + l - 1, column, None, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::DataKind;

    #[test]
    fn all_three_forms() {
        let lines = r#"{"Item":{"Ok":{"time_exchange":"2024-12-20T19:05:18.175Z","time_received":"2024-12-20T19:05:18.319581890Z","exchange":"binance_spot","instrument":0,"kind":{"Trade":{"id":"1","price":96962.51,"amount":0.00006,"side":"Buy"}}}}}

{"Reconnecting":"binance_spot"}
{"Item":{"time_exchange":"2024-12-20T19:05:19Z","time_received":"2024-12-20T19:05:19Z","exchange":"binance_spot","instrument":1,"kind":{"OrderBookL1":{"last_update_time":"2024-12-20T19:05:19Z","best_bid":{"price":"1.5","amount":"2"},"best_ask":null}}}}"#;
        let v = parse_barter_json(lines).unwrap();
        assert_eq!(v.len(), 3);
        let StreamEvent::Item(e) = &v[0] else { panic!() };
        let DataKind::Trade(t) = &e.kind else { panic!() };
        // f64 in barter's JSON is read as the exact decimal it prints as.
        assert_eq!((t.price.to_string(), t.amount.to_string()), ("96962.51".into(), "0.00006".into()));
        assert!(matches!(v[1], StreamEvent::Reconnecting(_)));
    }

    #[test]
    fn errors_give_line_and_column() {
        let text = "{\"Reconnecting\":\"binance_spot\"}\n{\"Item\":{\"Ok\":{\"time_exchange\":\"bad\"}}}\n";
        let e = parse_barter_json(text).unwrap_err();
        assert!(e.to_string().starts_with("DECODE: barter-json line 2 column"), "{e}");
        let e = parse_barter_json("[{\"Reconnecting\":\"nowhere\"}]").unwrap_err();
        assert!(e.to_string().contains("([0])") && e.to_string().contains("unknown exchange id"), "{e}");
        assert!(parse_barter_json("{\"Item\":{\"Err\":\"x\"}}").is_err());
    }
}
