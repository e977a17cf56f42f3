//! Decoding data that arrives in chunks (a file read piece by piece, a Node stream, a web
//! `ReadableStream`): [`PushDecoder`] takes bytes as they come and hands each decoded event on at
//! once, so neither the text nor an event vector of the whole input is ever held.
//!
//! Line formats (JSON lines, OHLCV and trades CSV, Binance klines) keep only the line state: the
//! format, the CSV header's columns, the line number, the last row's time for the order check and
//! a carry buffer with the partial last line. Chunks may split anywhere: inside a UTF-8
//! character, inside a quoted CSV field, between `\r` and `\n`; a line is decoded only once its
//! `\n` (or the end) has arrived, by the same per-line code the whole-text loaders use, so every
//! chunking gives the same events and the same errors (line and column) as [`super::load_text`].
//!
//! The format is detected from the first non-blank line ([`super::detect_format`]), or forced.
//! Two inputs are read whole before their first event, by design: a barter JSON *array* (one JSON
//! document; use JSON lines to stream) and CSV with `sort` (ordering needs every row; the rows are
//! kept as events, not text).

use super::barter_json::{no_items, parse_barter_json, parse_line};
use super::csv::RowReader;
use super::ohlcv_csv::OhlcvFormat;
use super::trades_csv::TradesFormat;
use super::{decode_error, detect_format, CsvTarget, Format, LoadOptions};
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};

/// Where decoded events go; an error stops the decoding and is returned from `push`/`finish`.
pub type Emit<'a> = dyn FnMut(StreamEvent<MarketEvent>) -> Result<(), EngineError> + 'a;

/// The line decoder in use.
enum State {
    /// The format is not known yet: waiting for the first non-blank line.
    Detecting,
    Ohlcv(Box<RowReader<OhlcvFormat>>),
    Trades(Box<RowReader<TradesFormat>>),
    JsonLines {
        items: usize,
    },
    /// A JSON array: the whole document is kept in the carry buffer and parsed at the end.
    JsonArray,
    /// Finished, or failed: nothing more is taken.
    Ended,
}

/// An incremental decoder of one input (see the module docs).
pub struct PushDecoder {
    forced: Option<Format>,
    target: CsvTarget,
    options: LoadOptions,
    state: State,
    /// Bytes after the last complete line (the whole input while detecting, or for an array).
    carry: Vec<u8>,
    /// Lines consumed (1-based number of the last one).
    lines: usize,
    /// With `sort`: the rows so far, ordered and handed on at the end.
    sorted: Option<Vec<MarketEvent>>,
    /// Events handed on.
    events: u64,
}

const BOM: &[u8] = "\u{feff}".as_bytes();

impl PushDecoder {
    /// A decoder for `format` (None: detected from the first non-blank line). CSV rows without a
    /// symbol column go to `target`; `options` as the whole-text loaders take them.
    pub fn new(format: Option<Format>, target: CsvTarget, options: LoadOptions) -> Self {
        PushDecoder {
            forced: format,
            target,
            sorted: options.sort.then(Vec::new),
            options,
            state: State::Detecting,
            carry: Vec::new(),
            lines: 0,
            events: 0,
        }
    }

    /// Events handed on so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The format, once known.
    pub fn format(&self) -> Option<Format> {
        match self.state {
            State::Ohlcv(_) => Some(Format::OhlcvCsv),
            State::Trades(_) => Some(Format::TradesCsv),
            State::JsonLines { .. } | State::JsonArray => Some(Format::BarterJson),
            State::Detecting | State::Ended => self.forced,
        }
    }

    /// Decodes a chunk, handing every event it completes to `emit`, in order. After an error
    /// (the data's or `emit`'s) the decoder takes nothing more.
    pub fn push(&mut self, chunk: &[u8], emit: &mut Emit) -> Result<(), EngineError> {
        if matches!(self.state, State::Ended) {
            return Err(ended());
        }
        let r = self.push_inner(chunk, emit);
        if r.is_err() {
            self.fail();
        }
        r
    }

    /// Ends the input: decodes the last line (one without a line ending) and what was held for
    /// the end (an array, sorted rows), and refuses input without rows, as the loaders do.
    pub fn finish(&mut self, emit: &mut Emit) -> Result<(), EngineError> {
        if matches!(self.state, State::Ended) {
            return Err(ended());
        }
        let r = self.finish_inner(emit);
        self.fail();
        r
    }

    fn fail(&mut self) {
        self.state = State::Ended;
        self.carry = Vec::new();
        self.sorted = None;
    }

    fn push_inner(&mut self, chunk: &[u8], emit: &mut Emit) -> Result<(), EngineError> {
        if matches!(self.state, State::Detecting) {
            if self.carry.is_empty() {
                // The common case of a first chunk (and of a whole text): decided on the chunk
                // itself, which is then read where it lies, not copied.
                if !self.decide(chunk, false)? {
                    self.carry.extend_from_slice(chunk);
                    return Ok(());
                }
                return self.feed(chunk, emit);
            }
            self.carry.extend_from_slice(chunk);
            let carry = std::mem::take(&mut self.carry);
            match self.decide(&carry, false) {
                Ok(true) => return self.feed(&carry, emit),
                Ok(false) => self.carry = carry,
                Err(e) => return Err(e),
            }
            return Ok(());
        }
        self.feed(chunk, emit)
    }

    /// Decodes the complete lines of the carried partial line + `chunk`, carrying what follows
    /// the last `\n`. Complete lines are read where they lie in `chunk`.
    fn feed(&mut self, chunk: &[u8], emit: &mut Emit) -> Result<(), EngineError> {
        if matches!(self.state, State::JsonArray) {
            self.carry.extend_from_slice(chunk);
            return Ok(());
        }
        let Some(nl) = chunk.iter().position(|&b| b == b'\n') else {
            self.carry.extend_from_slice(chunk);
            return Ok(());
        };
        if self.carry.is_empty() {
            self.lines_of(&chunk[..nl], emit)?;
        } else {
            let mut line = std::mem::take(&mut self.carry);
            line.extend_from_slice(&chunk[..nl]);
            self.lines_of(&line, emit)?;
            line.clear();
            self.carry = line; // the allocation is reused for the next partial line
        }
        let rest = &chunk[nl + 1..];
        match rest.iter().rposition(|&b| b == b'\n') {
            Some(end) => {
                self.lines_of(&rest[..end], emit)?;
                self.carry.extend_from_slice(&rest[end + 1..]);
            }
            None => self.carry.extend_from_slice(rest),
        }
        Ok(())
    }

    fn finish_inner(&mut self, emit: &mut Emit) -> Result<(), EngineError> {
        let carry = std::mem::take(&mut self.carry);
        if matches!(self.state, State::Detecting) {
            self.decide(&carry, true)?;
        }
        if matches!(self.state, State::JsonArray) {
            let text = std::str::from_utf8(&carry).map_err(|e| {
                EngineError::argument(
                    "data",
                    format!("not UTF-8 text: invalid bytes at byte {}", e.valid_up_to()),
                )
            })?;
            for item in parse_barter_json(text)? {
                self.events += 1;
                emit(item)?;
            }
            return Ok(());
        }
        if !carry.is_empty() {
            // A final `\n` ends the last line; it does not start another.
            self.lines_of(carry.strip_suffix(b"\n").unwrap_or(&carry), emit)?;
        }
        let lines = self.lines;
        match &self.state {
            State::Ohlcv(r) if !r.has_rows() => return Err(r.no_rows(lines)),
            State::Trades(r) if !r.has_rows() => return Err(r.no_rows(lines)),
            State::JsonLines { items: 0 } => return Err(no_items(lines.max(1))),
            _ => {}
        }
        if let Some(mut rows) = self.sorted.take() {
            super::sort_by_time(&mut rows);
            for e in rows {
                self.events += 1;
                emit(StreamEvent::Item(e))?;
            }
        }
        Ok(())
    }

    /// Picks the format once the first non-blank line is complete (or at the end); false while
    /// it is not.
    fn decide(&mut self, data: &[u8], at_end: bool) -> Result<bool, EngineError> {
        let body = data.strip_prefix(BOM).unwrap_or(data);
        let mut first = None;
        let mut rest = body;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            if !is_blank(&rest[..i]) {
                first = Some(&rest[..i]);
                break;
            }
            rest = &rest[i + 1..];
        }
        if first.is_none() && at_end && !is_blank(rest) {
            first = Some(rest);
        }
        if first.is_none() && !at_end {
            return Ok(false);
        }
        let array = first.is_some_and(|l| String::from_utf8_lossy(l).trim_start().starts_with('['));
        let format = match self.forced {
            Some(f) => f,
            None => {
                let prefix =
                    first.map_or(body, |l| &body[..(l.as_ptr() as usize - body.as_ptr() as usize) + l.len()]);
                detect_format(&String::from_utf8_lossy(prefix))?
            }
        };
        let symbols = self.options.symbols.clone();
        self.state = match format {
            Format::BarterJson if array => State::JsonArray,
            Format::BarterJson => State::JsonLines { items: 0 },
            Format::OhlcvCsv => {
                State::Ohlcv(Box::new(RowReader::new(OhlcvFormat::new(self.target, symbols))))
            }
            Format::TradesCsv => {
                State::Trades(Box::new(RowReader::new(TradesFormat::new(self.target, symbols))))
            }
        };
        if !matches!(self.state, State::Ohlcv(_) | State::Trades(_)) {
            self.sorted = None; // barter JSON is never sorted (as `load_text`)
        }
        Ok(true)
    }

    /// Decodes complete lines (`text` holds whole lines separated by `\n`, the last without it).
    fn lines_of(&mut self, text: &[u8], emit: &mut Emit) -> Result<(), EngineError> {
        // Valid text (the usual case) is checked once and split by `str::split` (a fast byte
        // search); otherwise line by line, so the error names the first invalid line.
        if let Ok(text) = std::str::from_utf8(text) {
            for raw in text.split('\n') {
                self.line(raw, emit)?;
            }
            return Ok(());
        }
        for raw in text.split(|&b| b == b'\n') {
            let Ok(t) = std::str::from_utf8(raw) else {
                let line = self.lines + 1;
                let name = self.format().map_or("data", Format::name);
                return Err(decode_error(name, line, None, None, "stream did not contain valid UTF-8"));
            };
            self.line(t, emit)?;
        }
        Ok(())
    }

    /// Decodes the next line (without its `\n`).
    fn line(&mut self, raw: &str, emit: &mut Emit) -> Result<(), EngineError> {
        self.lines += 1;
        let line = self.lines;
        let t = if line == 1 { raw.strip_prefix('\u{feff}').unwrap_or(raw) } else { raw };
        if crate::text::trimmed(t).is_empty() {
            return Ok(());
        }
        let t = t.trim_end_matches(['\r', '\n']);
        match &mut self.state {
            State::Ohlcv(rows) => {
                if let Some(e) = rows.line(line, t)? {
                    self.hand_on_row(e, line, emit)?;
                }
            }
            State::Trades(rows) => {
                if let Some(e) = rows.line(line, t)? {
                    self.hand_on_row(e, line, emit)?;
                }
            }
            State::JsonLines { items } => {
                let item = parse_line(line, t)?;
                *items += 1;
                self.events += 1;
                emit(item)?;
            }
            State::Detecting | State::JsonArray | State::Ended => {
                return Err(EngineError::internal("lines decoded without a line format"))
            }
        }
        Ok(())
    }

    fn hand_on_row(&mut self, e: MarketEvent, line: usize, emit: &mut Emit) -> Result<(), EngineError> {
        if let Some(rows) = self.sorted.as_mut() {
            rows.push(e);
            return Ok(());
        }
        match &mut self.state {
            State::Ohlcv(rows) => rows.in_order(&e, line)?,
            State::Trades(rows) => rows.in_order(&e, line)?,
            _ => {}
        }
        self.events += 1;
        emit(StreamEvent::Item(e))
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    // Blank as `str::trim` sees it (Unicode white space); invalid UTF-8 is not blank.
    std::str::from_utf8(bytes).is_ok_and(|s| s.trim().is_empty())
}

fn ended() -> EngineError {
    EngineError::argument(
        "data",
        "the data has ended (finish was called, or decoding failed): nothing more is taken",
    )
}

/// Decodes a whole text in one push: what [`super::load_text`] does.
pub fn decode_all(
    text: &[u8],
    format: Option<Format>,
    target: CsvTarget,
    options: &LoadOptions,
) -> Result<Vec<StreamEvent<MarketEvent>>, EngineError> {
    let mut out = Vec::new();
    decode_each(text, format, target, options, &mut |e| {
        out.push(e);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes a whole text in one push, handing each event to `emit` as it is decoded.
pub fn decode_each(
    text: &[u8],
    format: Option<Format>,
    target: CsvTarget,
    options: &LoadOptions,
    emit: &mut Emit,
) -> Result<(), EngineError> {
    let mut d = PushDecoder::new(format, target, options.clone());
    d.push(text, emit)?;
    d.finish(emit)
}

#[cfg(test)]
mod tests;
