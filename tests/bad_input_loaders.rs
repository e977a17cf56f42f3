//! Bad input to the loaders (issue #10): every refusal is a typed error naming the line, the
//! column (number and name) or field, and what was expected; echoed values are cut short.

use tidemark::config::Config;
use tidemark::instrument::{ExchangeId, InstrumentIndex};
use tidemark::loader::columns::{self, CandleColumns, TradeColumns};
use tidemark::loader::{
    detect_format, parse_barter_json, CsvTarget, LoadOptions, OhlcvCsv, SymbolMap, TradesCsv,
};
use tidemark::{EngineError, ErrorCode};

#[derive(Copy, Clone, Debug)]
enum Kind {
    Ohlcv,
    OhlcvSymbols,
    Trades,
    TradesSymbols,
    Json,
    Detect,
}

const H: &str = "Date,Open,High,Low,Close,Volume\n";
const T: &str = "time,price,amount,side\n";

fn target() -> CsvTarget {
    CsvTarget { instrument: InstrumentIndex(0), exchange: ExchangeId::parse("binance_spot").unwrap() }
}

fn symbols() -> LoadOptions {
    let path = format!("{}/data/barter/system_config.json", env!("CARGO_MANIFEST_DIR"));
    let config = Config::from_json_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    LoadOptions { sort: false, symbols: Some(SymbolMap::from_instruments(&config.instruments)) }
}

fn run(kind: Kind, text: &str) -> Result<usize, EngineError> {
    let t = text.as_bytes();
    match kind {
        Kind::Ohlcv => OhlcvCsv::new(t, target()).collect::<Result<Vec<_>, _>>().map(|v| v.len()),
        Kind::OhlcvSymbols => {
            OhlcvCsv::with_options(t, target(), symbols()).collect::<Result<Vec<_>, _>>().map(|v| v.len())
        }
        Kind::Trades => TradesCsv::new(t, target()).collect::<Result<Vec<_>, _>>().map(|v| v.len()),
        Kind::TradesSymbols => {
            TradesCsv::with_options(t, target(), symbols()).collect::<Result<Vec<_>, _>>().map(|v| v.len())
        }
        Kind::Json => parse_barter_json(text).map(|v| v.len()),
        Kind::Detect => detect_format(text).map(|_| 0),
    }
}

/// Every case: its name, loader, input, error code, and texts the message must hold.
fn cases() -> Vec<(&'static str, Kind, String, ErrorCode, Vec<String>)> {
    use ErrorCode::{Decode, UnknownInstrument};
    use Kind::*;
    let big = "9".repeat(5_000_000);
    let s = |x: &str| x.to_string();
    let row = |r: &str| format!("{H}{r}\n");
    let trade = |r: &str| format!("{T}{r}\n");
    let kline = "1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68,1704070799999,53957248.97,47134,682.57,28957416.81,0";
    let item = r#"{"Reconnecting":"binance_spot"}"#;
    vec![
        // Cells of OHLCV rows.
        ("open not a number", Ohlcv, row("2020-01-01,abc,2,0.5,1.5,10"), Decode, vec![s("line 2 column 2 (Open): expected a decimal number, got \"abc\"")]),
        ("close not a number on line 3", Ohlcv, format!("{H}2020-01-01,1,2,0.5,1.5,10\n2020-01-02,1,2,0.5,abc,10\n"), Decode, vec![s("line 3 column 5 (Close): expected a decimal number, got \"abc\"")]),
        ("empty volume cell", Ohlcv, row("2020-01-01,1,2,0.5,1.5,"), Decode, vec![s("line 2 column 6 (Volume): expected a decimal number, got \"\"")]),
        ("high with a comma decimal", Ohlcv, row("2020-01-01,1,\"2,5\",0.5,1.5,10"), Decode, vec![s("line 2 column 3 (High): expected a decimal number, got \"2,5\"")]),
        ("date not a date", Ohlcv, row("yesterday,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time): expected a date")]),
        ("february 30", Ohlcv, row("2020-02-30,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time)"), s("2020-02-30")]),
        ("US date month 13", Ohlcv, row("13/1/1999,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time)"), s("13/1/1999")]),
        ("11-digit epoch is ambiguous", Ohlcv, row("17040672000,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time): expected a Unix time of 9-10 digits (s)"), s("with 11 digits: its unit is ambiguous")]),
        ("YYYYMMDD is ambiguous", Ohlcv, row("20240101,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time)"), s("with 8 digits")]),
        ("epoch units mixed", Ohlcv, format!("{H}1704067200000,1,2,0.5,1.5,10\n1704153600,1,2,0.5,1.5,10\n"), Decode, vec![s("line 3 column 1 (time): \"1704153600\" is a Unix time in seconds, but line 2 has one in milliseconds")]),
        ("epoch past 2262", Ohlcv, row("9999999999,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time): \"9999999999\" is after 2262-04-11")]),
        ("negative epoch", Ohlcv, row("-1704067200,1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 1 (time)")]),
        ("row too short", Ohlcv, row("2020-01-01,1,2"), Decode, vec![s("line 2 column 4 (Low): row has 3 fields; expected a Low value in column 4")]),
        ("unterminated quote", Ohlcv, row("2020-01-01,\"1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 2: unterminated quoted field; expected a closing \"")]),
        ("negative open", Ohlcv, row("2020-01-01,-1,2,0.5,1.5,10"), Decode, vec![s("line 2 column 2 (Open): must be positive, got -1")]),
        ("zero close", Ohlcv, row("2020-01-01,1,2,0.5,0,10"), Decode, vec![s("line 2 column 5 (Close): must be positive")]),
        ("high below close", Ohlcv, row("2020-01-01,1,1.2,0.5,1.5,10"), Decode, vec![s("line 2 column 3 (High): inconsistent bar: open 1 high 1.2 low 0.5 close 1.5")]),
        ("low above open", Ohlcv, row("2020-01-01,1,2,1.2,1.5,10"), Decode, vec![s("line 2 column 4 (Low): inconsistent bar")]),
        ("negative volume", Ohlcv, row("2020-01-01,1,2,0.5,1.5,-10"), Decode, vec![s("line 2 column 6 (Volume): must be in [0, ")]),
        ("5 MB open is cut", Ohlcv, row(&format!("2020-01-01,x{big},2,0.5,1.5,10")), Decode, vec![s("line 2 column 2 (Open): expected a decimal number, got \"x9999"), s("… (5000001 bytes)")]),
        ("5 MB date is cut", Ohlcv, row(&format!("2020-01-01{big},1,2,0.5,1.5,10")), Decode, vec![s("line 2 column 1 (time): expected a date or a Unix time, got \"2020-01-01999"), s("(5000010 bytes)")]),
        ("stray last line without a newline", Ohlcv, s("Date,Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n\u{fffd}"), Decode, vec![s("line 3 column 1 (time): expected a date"), s("\u{fffd}")]),
        // Headers.
        ("header lacks close", Ohlcv, s("Date,Open,High,Low,Volume\n2020-01-01,1,2,0.5,10\n"), Decode, vec![s("line 1 (Close): OHLCV CSV missing column Close; expected a header like Date,Open,High,Low,Close")]),
        ("header lacks a time", Ohlcv, s("Open,High,Low,Close\n1,2,0.5,1.5\n"), Decode, vec![s("line 1 (Date): OHLCV CSV missing column Date")]),
        ("close named twice", Ohlcv, s("Date,Open,High,Low,Close,close\n2020-01-01,1,2,0.5,1.5,1.6\n"), Decode, vec![s("line 1 column 6 (close): column 5 (\"Close\") and column 6 (\"close\") both name the close")]),
        ("time named twice", Ohlcv, s("Date,Timestamp,Open,High,Low,Close\n"), Decode, vec![s("line 1 column 2 (Timestamp): column 1 (\"Date\") and column 2 (\"Timestamp\") both name the time")]),
        ("symbol column without instruments", Ohlcv, s("Date,Ticker,Open,High,Low,Close\n2020-01-01,SPY,1,2,0.5,1.5\n"), Decode, vec![s("line 1 column 2 (Ticker): a symbol column maps rows to instruments by name")]),
        ("symbol named twice", OhlcvSymbols, s("Date,symbol,ticker,Open,High,Low,Close\n"), Decode, vec![s("line 1 column 3 (ticker): column 2 (\"symbol\") and column 3 (\"ticker\") both name the symbol")]),
        // Empty files.
        ("empty file", Ohlcv, s(""), Decode, vec![s("line 1: no rows: the file is empty or blank")]),
        ("blank lines only", Ohlcv, s("\n  \n\r\n"), Decode, vec![s("line 3: no rows: the file is empty or blank")]),
        ("header only", Ohlcv, s(H), Decode, vec![s("line 1: no rows: the header is not followed by any data row")]),
        ("header then blank lines", Ohlcv, format!("\n{H}\n\n"), Decode, vec![s("line 2: no rows")]),
        // Order.
        ("descending dates", Ohlcv, format!("{H}2020-01-02,1,2,0.5,1.5,10\n2020-01-01,1,2,0.5,1.5,10\n"), Decode, vec![s("line 3 column 1 (time): 2020-01-01T00:00:00Z is before 2020-01-02T00:00:00Z at line 2; expected rows in time order")]),
        ("one row out of order after blank lines", Ohlcv, s("Open,Close,High,Low,Date\n1,1.5,2,0.5,2020-01-01\n\n1,1.5,2,0.5,2020-01-03\n1,1.5,2,0.5,2020-01-02\n"), Decode, vec![s("line 5 column 5 (time): 2020-01-02T00:00:00Z is before 2020-01-03T00:00:00Z at line 4")]),
        // Symbols.
        ("unknown symbol", OhlcvSymbols, s("Date,symbol,Open,High,Low,Close\n2020-01-01,BTCUSDT,1,2,0.5,1.5\n2020-01-01,DOGEUSDT,1,2,0.5,1.5\n"), UnknownInstrument, vec![s("ohlcv-csv line 3 column 2 (symbol): unknown instrument \"DOGEUSDT\"; expected one of the config's instruments (BTCUSDT, binancespot-btc_usdt")]),
        ("empty symbol", OhlcvSymbols, s("Date,symbol,Open,High,Low,Close\n2020-01-01,,1,2,0.5,1.5\n"), UnknownInstrument, vec![s("line 2 column 2 (symbol): unknown instrument \"\"")]),
        ("5 MB symbol is cut", OhlcvSymbols, format!("Date,symbol,Open,High,Low,Close\n2020-01-01,{big},1,2,0.5,1.5\n"), UnknownInstrument, vec![s("line 2 column 2 (symbol)"), s("(5000000 bytes)")]),
        // Binance klines.
        ("kline row short", Ohlcv, format!("{kline}\n1704070800000,1,2,0.5,1.5,10,1704074399999,1,1,1,1\n"), Decode, vec![s("line 2 column 12 (Binance kline): row has 11 fields; expected 12")]),
        ("kline close not a number", Ohlcv, kline.replace("42475.23", "x") + "\n", Decode, vec![s("line 1 column 5 (Close): expected a decimal number, got \"x\"")]),
        ("kline times descending", Ohlcv, format!("{kline}\n{}\n", kline.replace("1704067200000,", "1704063600000,")), Decode, vec![s("line 2 column 1 (time): 2023-12-31T23:00:00Z is before 2024-01-01T00:00:00Z at line 1")]),
        // Trades.
        ("side up", Trades, trade("2024-01-01,1,1,up"), Decode, vec![s("line 2 column 4 (side): expected buy or sell, got \"up\"")]),
        ("side 5", Trades, trade("2024-01-01,1,1,5"), Decode, vec![s("line 2 column 4 (side): expected buy or sell, got \"5\"")]),
        ("price not a number", Trades, trade("2024-01-01,abc,1,buy"), Decode, vec![s("line 2 column 2 (price): expected a decimal number, got \"abc\"")]),
        ("zero amount", Trades, trade("2024-01-01,1,0,buy"), Decode, vec![s("line 2 column 3 (amount): must be positive, got 0")]),
        ("trade row short", Trades, trade("2024-01-01"), Decode, vec![s("line 2 column 2 (price): row has 1 fields; expected a price value in column 2")]),
        ("trade time ambiguous", Trades, trade("17040672000,1,1,buy"), Decode, vec![s("line 2 column 1 (time)"), s("ambiguous")]),
        ("trades header lacks amount", Trades, s("time,price\n2024-01-01,1\n"), Decode, vec![s("line 1 (amount): trades CSV missing column amount")]),
        ("amount named twice", Trades, s("time,price,qty,amount\n"), Decode, vec![s("line 1 column 4 (amount): column 3 (\"qty\") and column 4 (\"amount\") both name the amount")]),
        ("trades descending", Trades, format!("{T}2024-01-02,1,1,buy\n2024-01-01,1,1,buy\n"), Decode, vec![s("trades-csv line 3 column 1 (time): 2024-01-01T00:00:00Z is before 2024-01-02T00:00:00Z at line 2")]),
        ("trades header only", Trades, s(T), Decode, vec![s("trades-csv line 1: no rows")]),
        ("trades unknown symbol", TradesSymbols, s("time,price,amount,symbol\n2024-01-01,1,1,XRPUSDT\n"), UnknownInstrument, vec![s("trades-csv line 2 column 4 (symbol): unknown instrument \"XRPUSDT\"")]),
        ("5 MB side is cut", Trades, trade(&format!("2024-01-01,1,1,{big}")), Decode, vec![s("line 2 column 4 (side): expected buy or sell, got \"9999"), s("(5000000 bytes)")]),
        // barter JSON.
        ("json empty", Json, s(""), Decode, vec![s("barter-json line 1: no rows")]),
        ("json blank lines", Json, s("\n\n"), Decode, vec![s("barter-json line 2: no rows")]),
        ("json empty array", Json, s("\n[]"), Decode, vec![s("barter-json line 2: no rows")]),
        ("json bad second line", Json, format!("{item}\n{{\"Item\":{{\"Ok\":{{\"time_exchange\":\"bad\"}}}}}}\n"), Decode, vec![s("barter-json line 2 column")]),
        ("json unknown exchange in array", Json, s("[{\"Reconnecting\":\"nowhere\"}]"), Decode, vec![s("line 1 column 2 ([0]): unknown exchange id \"nowhere\"")]),
        ("json unknown exchange on line 3 of an array", Json, format!("[\n  {item},\n  {{\"Reconnecting\":\"nowhere\"}}\n]"), Decode, vec![s("line 3 column 3 ([1]): unknown exchange id")]),
        ("json bad time on line 2 of an element", Json, s("[{\"Item\":{\"Ok\":\n {\"time_exchange\":\"bad\"}}}]"), Decode, vec![s("barter-json line 2 column 23 ([0]): invalid date-time \"bad\": expected YYYY-MM-DD")]),
        ("json bad time deep in a line", Json, format!("{item}\n  {{\"Item\":{{\"time_exchange\":\"bad\"}}}}\n"), Decode, vec![s("barter-json line 2 column 32: invalid date-time \"bad\": expected YYYY-MM-DD")]),
        ("json 5 MB exchange is cut", Json, format!("{{\"Reconnecting\":\"{big}\"}}\n"), Decode, vec![s("barter-json line 1 column"), s("bytes)")]),
        // Detection.
        ("detect ohlcv without close", Detect, s("Date,Open,High,Low\n2020-01-01,1,2,0.5\n"), Decode, vec![s("ohlcv-csv line 1 (Close): OHLCV CSV missing column Close")]),
        ("detect trades without amount", Detect, s("\ntime,price\n"), Decode, vec![s("trades-csv line 2 (amount): trades CSV missing column amount")]),
        ("detect duplicate close", Detect, s("Date,Open,High,Low,Close,Close\n"), Decode, vec![s("ohlcv-csv line 1 column 6 (Close): column 5 (\"Close\") and column 6 (\"Close\")")]),
        ("detect unknown header", Detect, s("a,b,c\n1,2,3\n"), Decode, vec![s("csv line 1: cannot tell the format from \"a,b,c\"; expected barter JSON")]),
        ("detect 5 MB first line is cut", Detect, format!("{big}\n"), Decode, vec![s("csv line 1: cannot tell the format from \"9999"), s("(5000000 bytes)")]),
        ("detect blank", Detect, s(" \n\n"), Decode, vec![s("data line 1: no rows")]),
    ]
}

#[test]
fn every_bad_input_is_refused_precisely() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (name, kind, text, code, needles) in cases {
        let e = match run(kind, &text) {
            Ok(n) => panic!("{name}: accepted ({n} items)"),
            Err(e) => e,
        };
        let m = e.to_string();
        assert_eq!(e.code(), code, "{name}: {m}");
        assert!(m.contains("line "), "{name}: no line in {m}");
        for n in &needles {
            assert!(m.contains(n.as_str()), "{name}: {m:?} lacks {n:?}");
        }
        // No echo is whole: a 5 MB field yields a message of a few hundred bytes.
        assert!(m.len() < 600, "{name}: message of {} bytes", m.len());
    }
}

#[test]
fn bad_columns_name_the_index() {
    let t = [1_577_836_800_000.0, 1_577_836_860_000.0];
    let target = target();
    let e = columns::trades(
        target,
        &TradeColumns { time_ms: &t, price: &[1.0, 1.0], amount: &[1.0, 1.0], side: Some(&[1.0, 5.0]) },
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert_eq!(e.to_string(), "INVALID_ARGUMENT: columns.side[1]: 5: expected +1 (buy) or -1 (sell)");
    let secs = [1_577_836_800.0, 1_577_836_860.0];
    let bars = CandleColumns {
        time_ms: &secs,
        open: &[1.0; 2],
        high: &[1.0; 2],
        low: &[1.0; 2],
        close: &[1.0; 2],
        volume: None,
    };
    let e = columns::candles(target, &bars).unwrap_err();
    assert!(e.to_string().starts_with("INVALID_ARGUMENT: columns.time[0]: 1577836800: times look like seconds; columns take ms since the epoch"), "{e}");
}

#[test]
fn invalid_utf8_names_its_line() {
    let mut bytes = b"Date,Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,".to_vec();
    bytes.extend([0xff, b'\n']);
    let e = OhlcvCsv::new(&bytes[..], target()).collect::<Result<Vec<_>, _>>().unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(e.to_string().starts_with("DECODE: ohlcv-csv line 3: "), "{e}");
}
