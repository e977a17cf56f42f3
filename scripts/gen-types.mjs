#!/usr/bin/env node
// Generates js/config.gen.d.ts from schema/config.schema.json (itself generated from the Rust types
// by tests/generated_schema.rs) with json-schema-to-typescript. `--check` fails when the committed
// file differs, so the declarations cannot drift from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

const root = new URL('..', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/config.schema.json', root), 'utf8'));
const banner = '// Generated from schema/config.schema.json by scripts/gen-types.mjs; do not edit.\n';

// A `$ref` with siblings (a field's `default` or own description) becomes a second, numbered copy
// of the referenced type in json-schema-to-typescript: keep the bare reference (the referenced
// type carries its docs).
function refsWithoutDefaults(node) {
  if (Array.isArray(node)) return node.map(refsWithoutDefaults);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refsWithoutDefaults(v)]));
  return '$ref' in out ? { $ref: out.$ref } : out;
}

export async function configTypes() {
  return compile(refsWithoutDefaults(schema), 'Config', { bannerComment: banner, additionalProperties: false, format: true, style: { printWidth: 120, singleQuote: true } });
}

if (import.meta.main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  const out = await configTypes();
  const path = new URL('js/config.gen.d.ts', root);
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== out) {
      console.error('js/config.gen.d.ts is stale: run node scripts/gen-types.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(path, out);
  }
}
