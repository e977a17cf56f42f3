//! The loaders take data as users have it (issue #9): pandas' index column, optional volume,
//! time column names, Unix times in any unit, Binance klines, symbol columns, unsorted files,
//! byte order marks, and format detection. Expected values are read off the test files by hand.

use tidemark::config::Config;
use tidemark::event::{DataKind, MarketEvent, StreamEvent};
use tidemark::instrument::InstrumentIndex;
use tidemark::loader::{
    detect_format, load_text, parse_barter_json, CsvTarget, Format, LoadOptions, OhlcvCsv, SymbolMap,
    TradesCsv,
};
use tidemark::ErrorCode;

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn config() -> Config {
    Config::from_json_str(&read("data/barter/system_config.json")).unwrap()
}

fn target() -> CsvTarget {
    let c = config();
    CsvTarget { instrument: InstrumentIndex(0), exchange: c.instruments.instruments()[0].exchange_id }
}

fn with_symbols(sort: bool) -> LoadOptions {
    LoadOptions { sort, symbols: Some(SymbolMap::from_instruments(&config().instruments)) }
}

/// (time, instrument, open, high, low, close, volume) of each candle.
fn bars(items: &[StreamEvent<MarketEvent>]) -> Vec<(String, usize, String, String, String, String, String)> {
    items
        .iter()
        .map(|i| {
            let StreamEvent::Item(e) = i else { panic!("{i:?}") };
            let DataKind::Candle(c) = &e.kind else { panic!("{e:?}") };
            assert_eq!(c.close_time, e.time_exchange);
            (
                e.time_exchange.to_rfc3339(),
                e.instrument.0,
                c.open.to_string(),
                c.high.to_string(),
                c.low.to_string(),
                c.close.to_string(),
                c.volume.to_string(),
            )
        })
        .collect()
}

fn ohlcv(text: &str) -> Vec<StreamEvent<MarketEvent>> {
    OhlcvCsv::new(text.as_bytes(), target()).collect::<Result<_, _>>().unwrap()
}

fn ohlcv_err(text: &str, options: LoadOptions) -> tidemark::EngineError {
    OhlcvCsv::with_options(text.as_bytes(), target(), options).collect::<Result<Vec<_>, _>>().unwrap_err()
}

fn b(
    t: &str,
    i: usize,
    o: &str,
    h: &str,
    l: &str,
    c: &str,
    v: &str,
) -> (String, usize, String, String, String, String, String) {
    (t.into(), i, o.into(), h.into(), l.into(), c.into(), v.into())
}

#[test]
fn pandas_index_column_is_the_time() {
    // backtesting.py's test files: `df.to_csv()` leaves the index column unnamed.
    let v = bars(&ohlcv(&read("tests/data/loaders/pandas_index.csv")));
    assert_eq!(
        v,
        [
            b("2004-08-19T00:00:00Z", 0, "100.0", "104.06", "95.96", "100.34", "22351900"),
            b("2004-08-20T00:00:00Z", 0, "101.01", "109.08", "100.5", "108.31", "11428600"),
            b("2004-08-23T00:00:00Z", 0, "110.75", "113.48", "109.05", "109.4", "9137200"),
        ]
    );
}

#[test]
fn volume_is_optional_and_time_names_any_case() {
    for name in ["Date", "DATETIME", "time", "Timestamp", "open_time", " date "] {
        let text = format!("{name},open,high,low,close\n2024-01-02,1,2,0.5,1.5\n");
        assert_eq!(
            bars(&ohlcv(&text)),
            [b("2024-01-02T00:00:00Z", 0, "1", "2", "0.5", "1.5", "0")],
            "{name}"
        );
    }
}

#[test]
fn epoch_times_in_every_unit() {
    // 2024-01-01T00:00:00Z is 19723 days after the epoch: 1704067200 s.
    for t in ["1704067200", "1704067200000", "1704067200000000", "1704067200000000000"] {
        let text = format!("Date,Open,High,Low,Close,Volume\n{t},1,2,0.5,1.5,3\n");
        assert_eq!(bars(&ohlcv(&text))[0].0, "2024-01-01T00:00:00Z", "{t}");
    }
    // 915408000 s (nine digits) is 1999-01-04, the first S&P 500 bar.
    assert_eq!(
        bars(&ohlcv("Date,Open,High,Low,Close\n915408000,1,2,0.5,1.5\n"))[0].0,
        "1999-01-04T00:00:00Z"
    );
    // Trades take the same: 1704067200123 ms.
    let v: Vec<_> = TradesCsv::new("timestamp,price,amount\n1704067200123,5,1\n".as_bytes(), target())
        .collect::<Result<_, _>>()
        .unwrap();
    let StreamEvent::Item(e) = &v[0] else { panic!() };
    assert_eq!(e.time_exchange.to_rfc3339(), "2024-01-01T00:00:00.123Z");
}

#[test]
fn binance_klines_without_header() {
    let text = read("tests/data/loaders/binance_klines.csv");
    let v = bars(&ohlcv(&text));
    // Bars are timed at open_time: 1704067200000 ms = 2024-01-01T00:00Z, then hourly.
    assert_eq!(
        v[0],
        b(
            "2024-01-01T00:00:00Z",
            0,
            "42283.58000000",
            "42554.57000000",
            "42261.02000000",
            "42475.23000000",
            "1271.68108000"
        )
    );
    assert_eq!(v[1].0, "2024-01-01T01:00:00Z");
    assert_eq!(v[2].0, "2024-01-01T02:00:00Z");
    assert_eq!(v[2].5, "42584.13000000");
    // The same rows under Binance's header, and with Binance's 2025 microsecond times.
    let header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n";
    assert_eq!(bars(&ohlcv(&format!("{header}{text}"))), v);
    let micros = text
        .replace("1704067200000,", "1704067200000000,")
        .replace("1704070800000,", "1704070800000000,")
        .replace("1704074400000,", "1704074400000000,");
    assert_eq!(bars(&ohlcv(&micros)), v);
    assert_eq!(detect_format(&text).unwrap(), Format::OhlcvCsv);
    assert_eq!(bars(&load_text(&text, target(), &LoadOptions::default()).unwrap()), v);
}

#[test]
fn symbol_column_maps_rows_to_instruments() {
    let text = read("tests/data/loaders/multi_symbol.csv");
    // Grouped by symbol, so out of time order: line 4 (ETH, 2024-01-01) follows line 3 (2024-01-02).
    let e = ohlcv_err(&text, with_symbols(false));
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(
        e.to_string().starts_with(
            "DECODE: ohlcv-csv line 4 column 1 (time): 2024-01-01T00:00:00Z is before 2024-01-02T00:00:00Z at line 3"
        ),
        "{e}"
    );
    // Sorted (stably): each date's BTC row (instrument 0) keeps its place before ETH's (1).
    let v = OhlcvCsv::with_options(text.as_bytes(), target(), with_symbols(true))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(
        bars(&v),
        [
            b("2024-01-01T00:00:00Z", 0, "42000", "42500", "41800", "42300", "10"),
            b("2024-01-01T00:00:00Z", 1, "2280", "2300", "2260", "2290", "100"),
            b("2024-01-02T00:00:00Z", 0, "42300", "43000", "42100", "42900", "12"),
            b("2024-01-02T00:00:00Z", 1, "2290", "2400", "2280", "2350", "110"),
        ]
    );
    // Without the instruments, a symbol column is refused rather than read as one instrument.
    let e = ohlcv_err(&text, LoadOptions::default());
    assert!(e.to_string().starts_with("DECODE: ohlcv-csv line 1 column 2 (symbol): a symbol column"), "{e}");
}

#[test]
fn trades_symbols_by_venue_or_internal_name() {
    let text = read("tests/data/loaders/trades_symbols.csv");
    let v: Vec<_> = TradesCsv::with_options(text.as_bytes(), target(), with_symbols(false))
        .collect::<Result<_, _>>()
        .unwrap();
    let got: Vec<_> = v
        .iter()
        .map(|i| {
            let StreamEvent::Item(e) = i else { panic!() };
            let DataKind::Trade(t) = &e.kind else { panic!() };
            (e.time_exchange.to_rfc3339(), e.instrument.0, t.price.to_string(), format!("{:?}", t.side))
        })
        .collect();
    let want = [
        ("2024-01-01T00:00:00Z", 0, "42283.58", "Buy"),
        ("2024-01-01T00:00:00.500Z", 2, "101.5", "Sell"),
        ("2024-01-01T00:00:01Z", 1, "2280.5", "Buy"),
    ];
    let want: Vec<_> =
        want.iter().map(|(t, i, p, s)| (t.to_string(), *i, p.to_string(), s.to_string())).collect();
    assert_eq!(got, want);
    assert_eq!(detect_format(&text).unwrap(), Format::TradesCsv);
}

#[test]
fn descending_files_refused_or_sorted() {
    let text = read("tests/data/loaders/descending.csv");
    let e = ohlcv_err(&text, LoadOptions::default());
    assert!(
        e.to_string().starts_with(
            "DECODE: ohlcv-csv line 3 column 1 (time): 2020-01-02T00:00:00Z is before 2020-01-03T00:00:00Z at line 2"
        ),
        "{e}"
    );
    let sorted = LoadOptions { sort: true, ..LoadOptions::default() };
    let v = OhlcvCsv::with_options(text.as_bytes(), target(), sorted.clone())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let closes: Vec<_> = bars(&v).into_iter().map(|r| (r.0, r.5)).collect();
    assert_eq!(
        closes,
        [
            ("2020-01-01T00:00:00Z".to_string(), "1.2".to_string()),
            ("2020-01-02T00:00:00Z".into(), "2.2".into()),
            ("2020-01-03T00:00:00Z".into(), "3.2".into()),
        ]
    );
    // Trades too; equal times keep file order (ids are data row numbers: 1 then 2).
    let trades = "time,price,amount\n2024-01-02,5,1\n2024-01-01,6,1\n2024-01-01,7,1\n";
    let e = TradesCsv::new(trades.as_bytes(), target()).collect::<Result<Vec<_>, _>>().unwrap_err();
    assert!(e.to_string().starts_with("DECODE: trades-csv line 3 column 1 (time)"), "{e}");
    let v: Vec<_> =
        TradesCsv::with_options(trades.as_bytes(), target(), sorted).collect::<Result<_, _>>().unwrap();
    let prices: Vec<_> = v
        .iter()
        .map(|i| {
            let StreamEvent::Item(e) = i else { panic!() };
            let DataKind::Trade(t) = &e.kind else { panic!() };
            t.price.to_string()
        })
        .collect();
    assert_eq!(prices, ["6", "7", "5"]);
}

#[test]
fn byte_order_marks_are_ignored() {
    let csv = "\u{feff}Date,Open,High,Low,Close\n2024-01-02,1,2,0.5,1.5\n";
    assert_eq!(bars(&ohlcv(csv)).len(), 1);
    assert_eq!(detect_format(csv).unwrap(), Format::OhlcvCsv);
    let item = r#"{"Reconnecting":"binance_spot"}"#;
    assert_eq!(parse_barter_json(&format!("\u{feff}[{item}]")).unwrap().len(), 1);
    assert_eq!(parse_barter_json(&format!("\u{feff}{item}\n{item}\n")).unwrap().len(), 2);
    assert_eq!(detect_format(&format!("\u{feff}{item}")).unwrap(), Format::BarterJson);
}

#[test]
fn detection_names_the_format_and_what_is_missing() {
    assert_eq!(detect_format(&read("data/ohlcv/sp500.csv")).unwrap(), Format::OhlcvCsv);
    assert_eq!(detect_format(&read("tests/data/loaders/pandas_index.csv")).unwrap(), Format::OhlcvCsv);
    let json = read("data/barter/binance_spot_market_data_with_disconnect_events.json");
    assert_eq!(detect_format(&json).unwrap(), Format::BarterJson);
    assert_eq!(detect_format("\n\ntime,price,amount\n").unwrap(), Format::TradesCsv);
    assert_eq!(Format::TradesCsv.name(), "trades-csv");
    // Open/high/low but no close: an OHLCV file missing Close, not a trades file.
    let e = detect_format("Date,Open,High,Low,Volume\n2024-01-02,1,2,0.5,1\n").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(
        e.to_string().starts_with("DECODE: ohlcv-csv line 1 (Close): OHLCV CSV missing column Close"),
        "{e}"
    );
    let e = detect_format("a,b,c\n").unwrap_err();
    assert!(e.to_string().starts_with("DECODE: csv line 1: cannot tell the format from \"a,b,c\""), "{e}");
}

#[test]
fn sorting_an_ordered_file_changes_nothing() {
    let text = read("data/ohlcv/sp500.csv");
    let plain = ohlcv(&text);
    let sorted = OhlcvCsv::with_options(text.as_bytes(), target(), LoadOptions { sort: true, symbols: None })
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(plain.len(), 5031);
    assert_eq!(plain, sorted);
}
