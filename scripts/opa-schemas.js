#!/usr/bin/env node
// Writes the posture schema in the JSON Schema subset OPA's type checker digests to
// build/opa-schemas/posture.json (the `schema.posture` the rules' METADATA names), for
// `opa check --strict --schema build/opa-schemas policies`. The real schema stays as it is:
// OPA ignores `propertyNames` and does not merge an `allOf` with sibling properties, so each
// object kind gets its base fields inlined and its `unknown` keys as declared properties.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const SCALAR = new Set(['string', 'boolean', 'integer', 'number', 'null']);

/** The definition a local `#/definitions/x` reference names. */
function definition(schema, ref) {
  const name = ref.replace(/^#\/definitions\//, '');
  if (!schema.definitions[name]) throw new Error(`posture schema: no definition ${ref}`);
  return schema.definitions[name];
}

/** One node of the schema, rewritten (definitions keep their $ref: OPA resolves local ones). */
function derive(schema, node) {
  if (node === true) return {};
  if (Array.isArray(node)) return node.map((item) => derive(schema, item));
  if (typeof node !== 'object' || node === null) return node;
  let result = { ...node };
  // A `unknown` map that lists its keys: a closed object of reasons.
  if (result.propertyNames && Array.isArray(result.propertyNames.enum)) {
    const reason = { type: 'string' };
    const { description } = result;
    result = { type: 'object', additionalProperties: false, properties: Object.fromEntries(result.propertyNames.enum.map((key) => [key, reason])) };
    if (description) result.description = description;
    return result;
  }
  // An object kind built on a base: its fields and required ones merged in.
  if (Array.isArray(result.allOf) && result.properties) {
    for (const part of result.allOf) {
      const base = part.$ref ? definition(schema, part.$ref) : part;
      for (const [field, fieldSchema] of Object.entries(base.properties ?? {})) {
        if (result.properties[field] === undefined || result.properties[field] === true) result.properties = { ...result.properties, [field]: fieldSchema };
      }
      result.required = [...new Set([...(base.required ?? []), ...(result.required ?? [])])];
    }
    delete result.allOf;
  }
  // OPA reads only the first of several types: `["string", "null"]` would make a test for null a type
  // error. A nullable object or array keeps its first type: under anyOf OPA would stop checking its fields.
  if (Array.isArray(result.type) && result.type.every((type) => SCALAR.has(type))) {
    const { type: types, ...rest } = result;
    result = { ...rest, anyOf: types.map((type) => ({ type })) };
  }
  if (result.oneOf) {
    result.anyOf = result.oneOf;
    delete result.oneOf;
  }
  for (const [key, value] of Object.entries(result)) {
    if (key !== 'enum' && key !== 'const' && key !== 'required' && typeof value === 'object') result[key] = derive(schema, value);
  }
  if (result.properties) result.properties = Object.fromEntries(Object.entries(result.properties).map(([field, value]) => [field, derive(schema, value)]));
  if (result.definitions) result.definitions = Object.fromEntries(Object.entries(result.definitions).map(([name, value]) => [name, derive(schema, value)]));
  return result;
}

function main() {
  const source = path.join(root, 'src', 'posture', 'posture.schema.json');
  const schema = JSON.parse(fs.readFileSync(source, 'utf8'));
  const out = path.join(root, 'build', 'opa-schemas');
  fs.mkdirSync(out, { recursive: true });
  const derived = derive(schema, schema);
  delete derived.$id; // OPA would try to resolve references against it
  fs.writeFileSync(path.join(out, 'posture.json'), `${JSON.stringify(derived, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(root, path.join(out, 'posture.json'))} (schema.posture) from ${path.relative(root, source)}\n`);
}

main();
