//! Any chunking of an input gives the events and errors of the whole-text loaders.

use super::*;
use crate::instrument::{ExchangeId, InstrumentIndex};
use crate::loader::{OhlcvCsv, TradesCsv};

fn target() -> CsvTarget {
    CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("other").unwrap() }
}

/// The whole-text loaders' result (the reader-based iterators, not the decoder), as text.
fn whole(text: &str, format: Format, sort: bool) -> String {
    let options = LoadOptions { sort, symbols: None };
    let r: Result<Vec<_>, _> = match format {
        Format::BarterJson => parse_barter_json(text),
        Format::OhlcvCsv => OhlcvCsv::with_options(text.as_bytes(), target(), options).collect(),
        Format::TradesCsv => TradesCsv::with_options(text.as_bytes(), target(), options).collect(),
    };
    format!("{r:?}")
}

/// The decoder's result for `text` cut at `cuts` (byte offsets, ascending), as text.
fn chunked(text: &[u8], cuts: &[usize], format: Option<Format>, sort: bool) -> String {
    let mut out = Vec::new();
    let mut d = PushDecoder::new(format, target(), LoadOptions { sort, symbols: None });
    let mut emit = |e| {
        out.push(e);
        Ok(())
    };
    let mut at = 0;
    let mut r = Ok(());
    for &c in cuts.iter().filter(|&&c| c <= text.len()).chain(std::iter::once(&text.len())) {
        r = r.and_then(|()| d.push(&text[at..c], &mut emit));
        at = c;
    }
    let r = r.and_then(|()| d.finish(&mut emit)).map(|()| out);
    format!("{r:?}")
}

/// A deterministic xorshift: split points without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Checks `text` against the whole-text loader: one chunk, 1-byte chunks, random cuts.
fn same_any_chunking(text: &str, format: Format, sort: bool) {
    let expected = whole(text, format, sort);
    let bytes = text.as_bytes();
    let one_byte: Vec<usize> = (1..bytes.len()).collect();
    for forced in [None, Some(format)] {
        assert_eq!(chunked(bytes, &[], forced, sort), expected, "one chunk, {forced:?}");
        assert_eq!(chunked(bytes, &one_byte, forced, sort), expected, "1-byte chunks, {forced:?}");
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64);
        for _ in 0..40 {
            let mut cuts: Vec<usize> = (0..rng.next(12)).map(|_| rng.next(bytes.len())).collect();
            cuts.sort_unstable();
            assert_eq!(chunked(bytes, &cuts, forced, sort), expected, "cuts {cuts:?}");
        }
    }
}

const OHLCV: &str = "\u{feff}Date,Open,High,Low,Close,Volume\r\n2020-01-01,1,2,0.5,1.5,10\r\n\r\n2020-01-02,1.5,2.5,1,2,11\r\n2020-01-03,2,3,1.5,2.5,12";

#[test]
fn csv_any_chunking() {
    same_any_chunking(OHLCV, Format::OhlcvCsv, false);
    same_any_chunking(&format!("{OHLCV}\n"), Format::OhlcvCsv, false);
    // Quoted fields holding commas, doubled quotes and multi-byte characters (cuts fall inside them).
    let trades = "time,price,amount,side,id\n2024-01-01T00:00:00Z,\"100.5\",0.1,sell,\"a,é\"\"€\"\n2024-01-01T00:00:01Z,101,\"0.2\",buy,\"日本,語\"\n";
    same_any_chunking(trades, Format::TradesCsv, false);
    let klines = "1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68108,1704070799999,53957248.97,47134,682.57581,28957416.82,0\n1704070800000,42475.23,42775.00,42431.65,42613.56,1196.37856,1704074399999,51046797.06,45567,610.36,26049002.64,0\n";
    same_any_chunking(klines, Format::OhlcvCsv, false);
    let unsorted = "Date,Open,High,Low,Close\n2020-01-02,1,2,0.5,1.5\n2020-01-01,1,2,0.5,1.5\n";
    same_any_chunking(unsorted, Format::OhlcvCsv, true);
}

#[test]
fn the_bundled_files_any_chunking() {
    let root = env!("CARGO_MANIFEST_DIR");
    let sp = std::fs::read_to_string(format!("{root}/data/ohlcv/sp500.csv")).unwrap();
    let expected = whole(&sp, Format::OhlcvCsv, false);
    let mut rng = Rng(7);
    for _ in 0..5 {
        let mut cuts: Vec<usize> = (0..200).map(|_| rng.next(sp.len())).collect();
        cuts.sort_unstable();
        assert_eq!(chunked(sp.as_bytes(), &cuts, None, false), expected);
    }
}

#[test]
fn json_any_chunking() {
    let lines = "{\"Item\":{\"Ok\":{\"time_exchange\":\"2024-12-20T19:05:18.175Z\",\"time_received\":\"2024-12-20T19:05:18.319581890Z\",\"exchange\":\"binance_spot\",\"instrument\":0,\"kind\":{\"Trade\":{\"id\":\"é1\",\"price\":96962.51,\"amount\":0.00006,\"side\":\"Buy\"}}}}}\n\n{\"Reconnecting\":\"binance_spot\"}\r\n";
    same_any_chunking(lines, Format::BarterJson, false);
    same_any_chunking(
        &format!("  [{}, {{\"Reconnecting\":\"binance_spot\"}}]", lines.lines().next().unwrap()),
        Format::BarterJson,
        false,
    );
}

#[test]
fn errors_name_the_same_line_any_chunking() {
    // A bad value, an out-of-order row, an unterminated quote, a header alone, blank text.
    same_any_chunking(
        "Date,Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,1.5,10\n2020-01-02,1,x,0.5,1.5,10\n",
        Format::OhlcvCsv,
        false,
    );
    same_any_chunking(
        "Date,Open,High,Low,Close\n2020-01-02,1,2,0.5,1.5\n2020-01-01,1,2,0.5,1.5\n",
        Format::OhlcvCsv,
        false,
    );
    same_any_chunking("time,price,amount\n2024-01-01,\"1,1\n", Format::TradesCsv, false);
    same_any_chunking("Date,Open,High,Low,Close\n\n", Format::OhlcvCsv, false);
    same_any_chunking(
        "{\"Reconnecting\":\"binance_spot\"}\n{\"Item\":{\"Ok\":{\"time_exchange\":\"bad\"}}}\n",
        Format::BarterJson,
        false,
    );
    same_any_chunking("[{\"Reconnecting\":\"nowhere\"}]", Format::BarterJson, false);
    for blank in ["", "\n\n  ", " \r\n"] {
        let e = chunked(blank.as_bytes(), &[1], Some(Format::BarterJson), false);
        assert_eq!(e, whole(blank, Format::BarterJson, false));
    }
}

#[test]
fn detection_errors_as_load_text() {
    for text in ["", "\n \n", "hello,world\n1,2\n", "Date,Open,High,Low\n1,2,3,4\n"] {
        let e = format!("{:?}", detect_format(text).map(|_| ()));
        for cuts in [vec![], vec![1], (1..text.len()).collect()] {
            let got = chunked(text.as_bytes(), &cuts, None, false);
            assert!(got.starts_with("Err(") && e.starts_with("Err("), "{got} {e}");
            assert_eq!(&got[3..], &e[3..], "{text:?}");
        }
    }
}

#[test]
fn invalid_utf8_names_its_line_and_nothing_after_an_error() {
    let text = b"Date,Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,\xff,2,0.5,1.5\n";
    let got = chunked(text, &[30], None, false);
    assert!(got.contains("line: Some(3)"), "{got}");
    let mut d = PushDecoder::new(None, target(), LoadOptions::default());
    let mut emit = |_| Ok(());
    assert!(d.push(text, &mut emit).is_err());
    assert!(d.push(b"2020-01-03,1,2,0.5,1.5\n", &mut emit).is_err());
    assert!(d.finish(&mut emit).is_err());
}
