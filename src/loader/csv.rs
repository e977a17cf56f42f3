//! CSV reading shared by the CSV loaders: a line splitter (RFC 4180 quotes, no embedded newlines)
//! and a row iterator that formats plug into.
//!
//! Rows must be in time order (equal times allowed): the first row earlier than the one before
//! it is refused with its line, unless the loader sorts (`LoadOptions::sort`), which orders rows
//! by time and keeps the file's order among equal times. A file without data rows (empty, only
//! blank lines, or a header alone) is refused: an empty backtest is never what was meant.

use super::{decode_error, Lines};
use crate::error::EngineError;
use crate::event::{MarketEvent, StreamEvent};
use crate::time::Timestamp;
use std::io::BufRead;

/// Splits one line into fields; `"a ""b"""` unquotes to `a "b"`.
pub fn split_line(line: &str) -> Result<Vec<String>, String> {
    let mut buf = FieldBuf::default();
    let fields = buf.split(line).map_err(column_message)?;
    Ok(fields.iter().map(str::to_owned).collect())
}

/// A [`FieldBuf::split`] failure as one message: `column 3: unterminated quoted field; ...`.
pub(crate) fn column_message((column, message): (usize, String)) -> String {
    format!("column {column}: {message}")
}

/// Where a line's fields are, reused from line to line (a file's rows cost no allocation after
/// the first). A line without quotes is not copied: its fields are slices of it (copying each
/// field into a reused string was 1.1 % of the S&P 500 file's load, in instructions).
#[derive(Default)]
pub struct FieldBuf {
    /// The unquoted text of a line with quotes; its fields are slices of this.
    unquoted: String,
    /// Each field's byte range in the line or in `unquoted`.
    spans: Vec<(usize, usize)>,
}

impl FieldBuf {
    /// Splits `line` as [`split_line`] does, with the 1-based column of a failure apart from its
    /// message.
    pub fn split<'a>(&'a mut self, line: &'a str) -> Result<Fields<'a>, (usize, String)> {
        // Most files quote nothing: split on comma bytes (always char boundaries in UTF-8), eight
        // bytes at a time, a quote anywhere sending the line to the quoted path: 449 instructions
        // per S&P 500 row, against 727 a byte at a time after a search for a quote.
        self.spans.clear();
        let mut start = 0;
        let words = line.as_bytes().chunks_exact(8);
        let rest = words.remainder();
        for (w, word) in words.enumerate() {
            // Always eight bytes (`chunks_exact`): the conversion cannot fail.
            let word = word.try_into().map_or(0, u64::from_le_bytes);
            if bytes_equal(word, b'"') != 0 {
                return self.split_quoted(line);
            }
            let mut commas = bytes_equal(word, b',');
            while commas != 0 {
                let k = w * 8 + (commas.trailing_zeros() / 8) as usize;
                self.spans.push((start, k));
                start = k + 1;
                commas &= commas - 1;
            }
        }
        let tail = line.len() - rest.len();
        for (k, &b) in rest.iter().enumerate() {
            match b {
                b'"' => return self.split_quoted(line),
                b',' => {
                    self.spans.push((start, tail + k));
                    start = tail + k + 1;
                }
                _ => {}
            }
        }
        self.spans.push((start, line.len()));
        Ok(Fields { text: line, spans: &self.spans })
    }

    /// [`FieldBuf::split`] for a line with quotes: its fields unquoted into `unquoted`.
    fn split_quoted<'a>(&'a mut self, line: &'a str) -> Result<Fields<'a>, (usize, String)> {
        self.spans.clear();
        self.unquoted.clear();
        let mut start = 0; // where the current field begins in `unquoted`
        let mut chars = line.chars().peekable();
        let mut quoted = false;
        let mut was_quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (false, ',') => {
                    self.spans.push((start, self.unquoted.len()));
                    start = self.unquoted.len();
                    was_quoted = false;
                }
                (false, '"') if self.unquoted.len() == start && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                (true, '"') => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        self.unquoted.push('"');
                    } else {
                        quoted = false;
                    }
                }
                (_, c) => self.unquoted.push(c),
            }
        }
        self.spans.push((start, self.unquoted.len()));
        if quoted {
            return Err((
                self.spans.len(),
                "unterminated quoted field; expected a closing \" before the end of the line".into(),
            ));
        }
        Ok(Fields { text: &self.unquoted, spans: &self.spans })
    }
}

/// The high bit of each byte of `word` that equals `b`, and no other bit: exact, as no step
/// carries into the next byte (`(x & 0x7f) + 0x7f` is at most 0xfe), unlike the shorter test that
/// only finds the first such byte.
#[inline(always)]
fn bytes_equal(word: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (0x0101_0101_0101_0101 * u64::from(b));
    !(((x & LOW7) + LOW7) | x) & !LOW7
}

/// One line's fields, as [`FieldBuf::split`] found them: `fields[i]` is field `i` (untrimmed).
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    text: &'a str,
    spans: &'a [(usize, usize)],
}

impl<'a> Fields<'a> {
    /// Number of fields (at least one: an empty line is one empty field).
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there is no field (never, for a split line).
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i`, if the line has it.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.spans.get(i).map(|&span| self.at(span))
    }

    /// Every field in order.
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        self.spans.iter().map(move |&span| self.at(span))
    }

    fn at(&self, (a, b): (usize, usize)) -> &'a str {
        &self.text[a..b]
    }
}

impl std::ops::Index<usize> for Fields<'_> {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.at(self.spans[i])
    }
}

/// What a format makes of a file's first line.
pub enum FirstLine<C> {
    /// A header naming the columns.
    Header(C),
    /// A data row of a headerless format (Binance klines): columns are fixed.
    Row(C),
}

/// A CSV format: how its header maps columns and how a row becomes a market event.
pub trait CsvFormat {
    /// Column positions found in the header.
    type Columns: Copy;
    /// The format's name in errors.
    const NAME: &'static str;
    /// Reads the first non-blank line (`line` is 1-based).
    fn header(&mut self, fields: &Fields<'_>, line: usize) -> Result<FirstLine<Self::Columns>, EngineError>;
    /// Reads one row.
    fn row(
        &mut self,
        fields: &Fields<'_>,
        columns: Self::Columns,
        line: usize,
    ) -> Result<MarketEvent, EngineError>;
    /// The 0-based time column, named in order errors.
    fn time_column(columns: Self::Columns) -> usize;
}

/// The per-line state of a CSV format: its columns once the header is read, the rows seen, the
/// last row's time and line for the order check, and the reused fields. Both the reader-based
/// iterator ([`CsvRows`]) and the chunk decoder (`super::push`) feed it one line at a time, so
/// both give the same events and the same errors.
pub(crate) struct RowReader<F: CsvFormat> {
    format: F,
    columns: Option<F::Columns>,
    header_line: Option<usize>,
    rows: usize,
    /// The previous row's time and line, for the order check.
    last: Option<(Timestamp, usize)>,
    /// The current row's fields, reused from row to row.
    fields: FieldBuf,
}

impl<F: CsvFormat> RowReader<F> {
    pub(crate) fn new(format: F) -> Self {
        RowReader {
            format,
            columns: None,
            header_line: None,
            rows: 0,
            last: None,
            fields: FieldBuf::default(),
        }
    }

    /// Whether a data row was read.
    pub(crate) fn has_rows(&self) -> bool {
        self.rows > 0
    }

    /// The error for a file without data rows; `lines` is the number of lines the file has.
    pub(crate) fn no_rows(&self, lines: usize) -> EngineError {
        match self.header_line {
            Some(h) => decode_error(
                F::NAME,
                h,
                None,
                None,
                "no rows: the header is not followed by any data row; expected at least one",
            ),
            None => decode_error(
                F::NAME,
                lines.max(1),
                None,
                None,
                "no rows: the file is empty or blank; expected a header and at least one data row",
            ),
        }
    }

    /// Reads one non-blank line (`line` 1-based, `text` without its line ending): the row's
    /// event, or None for the header.
    pub(crate) fn line(&mut self, line: usize, text: &str) -> Result<Option<MarketEvent>, EngineError> {
        let fields = match self.fields.split(text) {
            Ok(f) => f,
            Err((c, m)) => return Err(decode_error(F::NAME, line, Some(c), None, m)),
        };
        let columns = match self.columns {
            Some(c) => c,
            None => match self.format.header(&fields, line)? {
                FirstLine::Header(c) => {
                    self.columns = Some(c);
                    self.header_line = Some(line);
                    return Ok(None);
                }
                FirstLine::Row(c) => {
                    self.columns = Some(c);
                    c
                }
            },
        };
        self.rows += 1;
        self.format.row(&fields, columns, line).map(Some)
    }

    /// Refuses a row earlier than the one before it; else remembers its time and line.
    pub(crate) fn in_order(&mut self, event: &MarketEvent, line: usize) -> Result<(), EngineError> {
        let time = event.time_exchange;
        if let Some((prev, prev_line)) = self.last {
            if time < prev {
                let column = self.columns.map(|c| F::time_column(c) + 1);
                return Err(decode_error(
                    F::NAME,
                    line,
                    column,
                    Some("time"),
                    format!(
                        "{time} is before {prev} at line {prev_line}; expected rows in time order (oldest \
                         first), or the sort option to order them"
                    ),
                ));
            }
        }
        self.last = Some((time, line));
        Ok(())
    }
}

/// Streams rows of a CSV format: header first, blank lines skipped, every error with its line.
pub struct CsvRows<R, F: CsvFormat> {
    lines: Lines<R>,
    rows: RowReader<F>,
    ended: bool,
    sort: bool,
    /// With `sort`: every row, read and ordered at the first call.
    sorted: Option<std::vec::IntoIter<MarketEvent>>,
}

impl<R: BufRead, F: CsvFormat> CsvRows<R, F> {
    pub(crate) fn with_format(reader: R, format: F, sort: bool) -> Self {
        CsvRows { lines: Lines::new(reader), rows: RowReader::new(format), ended: false, sort, sorted: None }
    }

    /// The next row's event and line, in file order.
    fn next_row(&mut self) -> Option<Result<(MarketEvent, usize), EngineError>> {
        loop {
            let Some((line, text)) = self.lines.next_line() else {
                if !self.rows.has_rows() && !self.ended {
                    self.ended = true;
                    return Some(Err(self.rows.no_rows(self.lines.line().saturating_sub(1))));
                }
                return None;
            };
            let text = match text {
                Ok(t) => t,
                Err(e) => return Some(Err(decode_error(F::NAME, line, None, None, e.to_string()))),
            };
            match self.rows.line(line, text) {
                Ok(None) => continue,
                Ok(Some(e)) => return Some(Ok((e, line))),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<R: BufRead, F: CsvFormat> Iterator for CsvRows<R, F> {
    type Item = Result<StreamEvent<MarketEvent>, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.sort {
            if self.sorted.is_none() {
                let mut all = Vec::new();
                while let Some(row) = self.next_row() {
                    match row {
                        Ok((e, _)) => all.push(e),
                        Err(e) => {
                            self.sorted = Some(Vec::new().into_iter());
                            return Some(Err(e));
                        }
                    }
                }
                super::sort_by_time(&mut all);
                self.sorted = Some(all.into_iter());
            }
            return self.sorted.as_mut()?.next().map(|e| Ok(StreamEvent::Item(e)));
        }
        let (event, line) = match self.next_row()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        if let Err(e) = self.rows.in_order(&event, line) {
            return Some(Err(e));
        }
        Some(Ok(StreamEvent::Item(event)))
    }
}

/// Checks a built event's values, reporting failures as decode errors at `line`, in the column
/// `locate` gives for the failing field (`kind.Candle.open` → the Open column).
pub fn checked(
    event: MarketEvent,
    format: &str,
    line: usize,
    locate: impl Fn(&str) -> Option<(usize, &'static str)>,
) -> Result<MarketEvent, EngineError> {
    event.validate_values().map_err(|e| match e {
        EngineError::InvalidEvent { field, message } => match locate(&field) {
            Some((col, name)) => decode_error(format, line, Some(col + 1), Some(name), message),
            None => decode_error(format, line, None, Some(&field), message),
        },
        other => other,
    })?;
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(buf: &mut FieldBuf, line: &str) -> Result<Vec<String>, (usize, String)> {
        buf.split(line).map(|f| f.iter().map(str::to_owned).collect())
    }

    #[test]
    fn fields_split_as_rfc_4180_says_with_one_buffer_for_every_line() {
        let mut buf = FieldBuf::default();
        // One buffer across lines with and without quotes: a line never sees the one before.
        let cases: [(&str, &[&str]); 9] = [
            ("2001-01-02,1.5,,x", &["2001-01-02", "1.5", "", "x"]),
            (r#""a,b",c"#, &["a,b", "c"]),
            ("", &[""]),
            (r#"say ""hi"",1"#, &[r#"say ""hi"""#, "1"]),
            (r#""say ""hi""",1"#, &[r#"say "hi""#, "1"]),
            (",", &["", ""]),
            (r#""",x,"é,ü""#, &["", "x", "é,ü"]),
            (" 7 , 8 ", &[" 7 ", " 8 "]),
            (r#"x"y,"z""#, &[r#"x"y"#, "z"]),
        ];
        for (line, want) in cases {
            assert_eq!(split(&mut buf, line).unwrap(), want, "{line}");
            let f = buf.split(line).unwrap();
            assert_eq!((f.len(), f.is_empty()), (want.len(), false));
            for (i, w) in want.iter().enumerate() {
                assert_eq!((&f[i], f.get(i)), (*w, Some(*w)));
            }
            assert_eq!(f.get(want.len()), None);
        }
    }

    #[test]
    fn bytes_equal_marks_exactly_the_equal_bytes() {
        // Every byte value next to ten chosen neighbours, in every position, and words where a
        // match borrows from its neighbour in the shorter test (0x01 after the byte sought).
        let mut words: Vec<u64> = Vec::new();
        for a in 0..=255u64 {
            for b in [0u64, 1, 0x2c, 0x2d, 0x2b, 0x7f, 0x80, 0xac, 0xff, a] {
                for at in 0..7 {
                    words.push((a << (8 * at)) | (b << (8 * (at + 1))));
                    words.push(!((a << (8 * at)) | (b << (8 * (at + 1)))));
                }
            }
        }
        words.extend([0, u64::MAX, 0x2c2c_2c2c_2c2c_2c2c, 0x0101_0101_0101_0101, 0x2c01_2c01_2d2b_2c2d]);
        for &w in &words {
            for b in [b',', b'"', 0, 0x80, 0xff] {
                let want =
                    (0..8).fold(0u64, |m, k| if (w >> (8 * k)) as u8 == b { m | 0x80 << (8 * k) } else { m });
                assert_eq!(bytes_equal(w, b), want, "{w:#018x} {b:#04x}");
            }
        }
    }

    #[test]
    fn fields_split_eight_bytes_at_a_time_as_byte_by_byte() {
        // Lines of every length up to 42 bytes around the eight-byte words: commas, quotes (anywhere,
        // so also past the first word) and multi-byte characters at every offset. The reference
        // is the byte loop this replaced: a line with a quote is the quoted path's, else `split`.
        let alphabet = [",", "\"", "a", "1.5", "é", " ", "", "\r", "€"];
        let mut next = crate::test_util::lcg(0x9e37_79b9_7f4a_7c15);
        let mut buf = FieldBuf::default();
        let mut reference = FieldBuf::default();
        for _ in 0..20_000 {
            let len = (next() % 41) as usize;
            let mut line = String::new();
            while line.len() < len {
                line.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let want = if line.contains('"') {
                reference.split_quoted(&line).map(|f| f.iter().map(str::to_owned).collect())
            } else {
                Ok(line.split(',').map(str::to_owned).collect())
            };
            assert_eq!(split(&mut buf, &line), want, "{line:?}");
        }
    }

    #[test]
    fn an_unterminated_quote_names_its_column() {
        let mut buf = FieldBuf::default();
        let (column, message) = split(&mut buf, r#"1,2,"three"#).unwrap_err();
        assert_eq!(column, 3);
        assert!(message.starts_with("unterminated quoted field"), "{message}");
        assert_eq!(split_line(r#"1,2,"three"#).unwrap_err(), format!("column 3: {message}"));
        // The buffer is fine for the next line.
        assert_eq!(split(&mut buf, "4,5").unwrap(), ["4", "5"]);
    }
}
