#!/usr/bin/env node
// Compiles every src/**/*.schema.json to a standalone ajv validator in build/validators/, so a
// run loads generated code instead of compiling schemas (a quarter of a small scan's time).
// Each module records the digest of the schema it was built from; src/compiled-schemas.ts
// refuses a stale one.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const root = path.resolve(__dirname, '..');
// Always beside the project's build/: src/compiled-schemas.ts reads them there (SESCHECK_BUILD_DIR is for policy bundles).
const out = path.join(root, 'build', 'validators');

/** The same digest src/compiled-schemas.ts computes from the imported schema. */
function schemaDigest(schema) {
  return crypto.createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** The module file of a schema: src/posture/posture.schema.json -> posture__posture.schema.js. */
function moduleName(relative) {
  return `${relative.replace(/^src\//, '').replace(/\.json$/, '').split('/').join('__')}.js`;
}

function schemaFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return schemaFiles(file);
    return entry.name.endsWith('.schema.json') ? [file] : [];
  });
}

/**
 * Input shape schemas are checked against whole plans (up to gigabytes): the first error is the one
 * line printed, so validation stops there. Everything else reports every error.
 */
function optionsFor(relative) {
  if (relative.startsWith('src/inputs/schemas/')) return { allErrors: false, strict: true, allowUnionTypes: true };
  return { allErrors: true, strict: false };
}

fs.mkdirSync(out, { recursive: true });
for (const file of schemaFiles(path.join(root, 'src')).sort()) {
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const relative = path.relative(root, file).split(path.sep).join('/');
  const ajv = new Ajv({ ...optionsFor(relative), code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  const target = path.join(out, moduleName(relative));
  fs.writeFileSync(target, `${code}\nmodule.exports.schemaDigest = ${JSON.stringify(schemaDigest(schema))};\n`, { mode: 0o644 });
  process.stderr.write(`built ${path.relative(root, target)} from ${relative}\n`);
}
