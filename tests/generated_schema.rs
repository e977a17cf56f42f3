//! The config's JSON Schema is generated from the Rust types, so it cannot drift: this test fails
//! when `schema/config.schema.json` differs from what they say. Regenerate with
//! `TIDEMARK_WRITE_TYPES=1 cargo test --test generated_schema` (then `node scripts/gen-types.mjs`
//! for the TypeScript declarations made from it).

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn config_schema_is_current() {
    let text = serde_json::to_string_pretty(&tidemark::config::config_schema()).unwrap() + "\n";
    let path = root("schema/config.schema.json");
    if std::env::var_os("TIDEMARK_WRITE_TYPES").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schema/config.schema.json is stale: TIDEMARK_WRITE_TYPES=1 cargo test --test generated_schema"
    );
}
