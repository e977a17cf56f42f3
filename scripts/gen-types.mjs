#!/usr/bin/env node
// Generates js/schema.gen.d.ts from the JSON Schemas in schema/ (config, events, report, audit; each
// generated from the Rust types by tests/generated_schema.rs) with json-schema-to-typescript.
// `--check` fails when the committed file differs, so the declarations cannot drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

const root = new URL('..', import.meta.url);
const SCHEMAS = ['config', 'events', 'report', 'audit'];
const banner = '// Generated from schema/*.schema.json by scripts/gen-types.mjs; do not edit.\n';

// A `$ref` with siblings (a field's `default` or own description) becomes a second, numbered copy
// of the referenced type in json-schema-to-typescript: keep the bare reference (the referenced
// type carries its docs).
function refsWithoutSiblings(node) {
  if (Array.isArray(node)) return node.map(refsWithoutSiblings);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refsWithoutSiblings(v)]));
  return '$ref' in out ? { $ref: out.$ref } : out;
}

// One schema of all three: their definitions and each root as a definition of its own title, so
// every type is declared once. Two Rust types may share a name (instantiations of one generic,
// `Underlying<String>` in the config and `Underlying<AssetIndex>` in commands; the report's
// decimals, which are always text): a later definition that differs is renamed after its schema
// (`UnderlyingEvents`) along with the references to it.
function combined() {
  const defs = {};
  const roots = [];
  for (const name of SCHEMAS) {
    let text = readFileSync(new URL(`schema/${name}.schema.json`, root), 'utf8');
    // A definition is compared once those it refers to are settled (kept or renamed): a rename
    // changes the references in the definitions using it, which may then equal an earlier
    // schema's definition of the same name. Leaves first; a cycle is settled as it stands.
    const renames = {};
    const settled = new Set();
    const settle = (def, schema) => {
      settled.add(def);
      if (!(def in defs) || JSON.stringify(defs[def]) === JSON.stringify(schema)) return;
      // The same type renamed by an earlier schema keeps that name (the audit trail's commands
      // are the events schema's).
      const same = Object.keys(defs).find((d) => d.startsWith(def) && JSON.stringify(defs[d]) === JSON.stringify(schema));
      renames[def] = same ?? `${def}${name[0].toUpperCase()}${name.slice(1)}`;
      text = text.replaceAll(`"#/$defs/${def}"`, `"#/$defs/${renames[def]}"`);
    };
    for (let progress = true, stuck = false; progress || !stuck; ) {
      stuck = !progress;
      progress = false;
      const current = JSON.parse(text).$defs ?? {};
      for (const [def, schema] of Object.entries(current)) {
        if (settled.has(def)) continue;
        const refs = [...JSON.stringify(schema).matchAll(/"#\/\$defs\/([^"]+)"/g)].map((m) => m[1]);
        if (!stuck && refs.some((r) => r !== def && r in current && !settled.has(r))) continue;
        settle(def, JSON.parse(text).$defs[def]);
        progress = true;
        if (stuck) break;
      }
    }
    // Definitions renamed by key (a property may share the definition's name: `"Open": {...}`).
    const { $defs: refsRenamed = {}, $schema, ...rootSchema } = JSON.parse(text);
    const renamedDefs = Object.fromEntries(Object.entries(refsRenamed).map(([def, schema]) => [renames[def] ?? def, schema]));
    Object.assign(defs, renamedDefs, { [rootSchema.title]: rootSchema });
    roots.push(rootSchema.title);
  }
  return { title: 'TidemarkTypes', $defs: defs, anyOf: roots.map((t) => ({ $ref: `#/$defs/${t}` })) };
}

export async function schemaTypes() {
  const ts = await compile(refsWithoutSiblings(combined()), 'TidemarkTypes', {
    bannerComment: banner, additionalProperties: false, format: true, unreachableDefinitions: true, style: { printWidth: 120, singleQuote: true },
  });
  // The union of the three roots is only how they were compiled together: not a type to export.
  return ts.replace(/export type TidemarkTypes = [^;]*;\n/, '');
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const out = await schemaTypes();
  const path = new URL('js/schema.gen.d.ts', root);
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== out) {
      console.error('js/schema.gen.d.ts is stale: run node scripts/gen-types.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(path, out);
  }
}
