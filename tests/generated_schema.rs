//! The config's JSON Schema is generated from the Rust types, so it cannot drift: this test fails
//! when `schema/config.schema.json` differs from what they say. Regenerate with
//! `TIDEMARK_WRITE_TYPES=1 cargo test --test generated_schema` (then `node scripts/gen-types.mjs`
//! for the TypeScript declarations made from it).

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

/// Writes (with TIDEMARK_WRITE_TYPES) or checks one generated schema file.
fn current(file: &str, schema: serde_json::Value) {
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = root(&format!("schema/{file}"));
    if std::env::var_os("TIDEMARK_WRITE_TYPES").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schema/{file} is stale: TIDEMARK_WRITE_TYPES=1 cargo test --test generated_schema"
    );
}

#[test]
fn config_schema_is_current() {
    current("config.schema.json", tidemark::config::config_schema());
}

#[test]
fn event_schema_is_current() {
    current("events.schema.json", tidemark::event::event_schema());
}

#[test]
fn report_schema_is_current() {
    current("report.schema.json", tidemark::backtest::report_schema());
}

#[test]
fn audit_schema_is_current() {
    current("audit.schema.json", tidemark::engine::audit_schema());
}
