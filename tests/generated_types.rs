//! The TypeScript unions of names defined in Rust are generated here, so they cannot drift (the
//! config, event and report types come from the JSON Schemas, tests/generated_schema.rs):
//! this test fails when `js/types.gen.d.ts` differs from what the Rust types say. Regenerate with
//! `TIDEMARK_WRITE_TYPES=1 cargo test --test generated_types`.

use tidemark::config::SummaryInterval;
use tidemark::engine::log::Level;
use tidemark::error::ErrorCode;
use tidemark::strategy::host::MARKET_KINDS;

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn union(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    names.into_iter().map(|n| format!("'{}'", n.as_ref())).collect::<Vec<_>>().join(" | ")
}

fn generate() -> String {
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
