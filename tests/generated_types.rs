//! The TypeScript declarations of values defined in Rust are generated here, so they cannot drift:
//! this test fails when `js/types.gen.d.ts` differs from what the Rust types say. Regenerate with
//! `TIDEMARK_WRITE_TYPES=1 cargo test --test generated_types`.

use serde_json::Value;
use tidemark::backtest::run;
use tidemark::config::Config;
use tidemark::config::SummaryInterval;
use tidemark::engine::log::Level;
use tidemark::error::ErrorCode;
use tidemark::loader::{CsvTarget, OhlcvCsv};
use tidemark::strategy::host::MARKET_KINDS;

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn union(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    names.into_iter().map(|n| format!("'{}'", n.as_ref())).collect::<Vec<_>>().join(" | ")
}

/// An interface from a serialised sample: decimals and times are strings, options `| null`.
fn interface(name: &str, doc: &str, sample: &Value, optional_numbers: bool) -> String {
    let mut out = format!("/** {doc} */\nexport interface {name} {{\n");
    for (k, v) in sample.as_object().expect("an object") {
        let ty = match v {
            Value::String(_) => "string",
            Value::Number(_) if optional_numbers => "number | null",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Null if optional_numbers => "number | null",
            Value::Null => "string | null",
            Value::Array(_) => "unknown[]",
            Value::Object(_) => "Record<string, unknown>",
        };
        out += &format!("  {k}: {ty};\n");
    }
    out + "}\n"
}

fn generate() -> String {
    let config =
        Config::from_json_str(&std::fs::read_to_string(root("data/sp500_sma_cross.json")).unwrap()).unwrap();
    let target = CsvTarget {
        instrument: tidemark::instrument::InstrumentIndex(0),
        exchange: config.instruments.exchanges()[0],
    };
    let text = std::fs::read_to_string(root("data/ohlcv/sp500.csv")).unwrap();
    let report = run(&config, OhlcvCsv::new(text.as_bytes(), target), &mut |_| {}).unwrap();
    let json = report.to_json(SummaryInterval::Daily);
    let mut out =
        String::from("// Generated from the Rust core by tests/generated_types.rs; do not edit.\n\n");
    out += &format!(
        "/** Stable error codes (Rust `ErrorCode`). */\nexport type ErrorCode = {};\n\n",
        union(ErrorCode::ALL.iter().map(|c| c.as_str()))
    );
    out += &format!(
        "/** Log levels (Rust `engine::log::Level`), lowest first. */\nexport type LogLevel = {};\n\n",
        union(Level::NAMES)
    );
    out += &format!("/** Summary interval names (Rust `SummaryInterval::from_name`). */\nexport type IntervalName = {};\n\n", union(SummaryInterval::NAMES));
    out += &format!("/** Event kinds of a strategy's market view (Rust `strategy::host::MARKET_KINDS`). */\nexport type MarketKind = {};\n\n", union(MARKET_KINDS));
    out
}

#[test]
fn typescript_declarations_match_the_rust_types() {
    let path = root("js/types.gen.d.ts");
    let text = generate();
    if std::env::var_os("TIDEMARK_WRITE_TYPES").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "js/types.gen.d.ts is stale: run TIDEMARK_WRITE_TYPES=1 cargo test --test generated_types"
    );
}
