#!/usr/bin/env node
// Checks that every input document the Rego tests evaluate rules with (`with input as ...`)
// follows the posture schema, so a rule is never proven on a shape no producer writes. OPA's type
// checker does not look at `with` values, so the tests run once more on a copy of policies/ where
// each `with input as X` becomes `with input as <capture>(X)`, which prints X; every printed
// document is then validated with ajv. A document may omit whole top-level lists (a test names
// only the kinds it needs: rules read a missing list as empty); each object it holds must be
// complete.
'use strict';
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Buffer } = require('buffer');
const Ajv = require('ajv').default;

const root = path.resolve(__dirname, '..');
const CAPTURE_PACKAGE = 'sescheck_fixture_capture';

function opa() {
  return path.join(root, '.tools', 'bin', 'opa');
}

function regoFiles(dir, suffix) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return regoFiles(file, suffix);
    return entry.name.endsWith(suffix) ? [file] : [];
  });
}

/** Every `with input as X` / `with input.kind as X` of a test file: where X is and what it replaces. */
function inputModifiers(file) {
  const parsed = JSON.parse(childProcess.execFileSync(opa(), ['parse', '--format', 'json', '--json-include', 'locations,-comments', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  const found = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const modifier of node.with ?? []) {
      const target = modifier.target.value;
      if (target[0].type !== 'var' || target[0].value !== 'input') continue;
      const key = target.length === 2 && target[1].type === 'string' ? target[1].value : null;
      if (target.length > 2 || (target.length === 2 && key === null)) throw new Error(`${file}:${modifier.location.row}: a \`with\` on a nested input path is not checked; give the whole document`);
      found.push({ value: modifier.value.location, key });
    }
    Object.values(node).forEach(walk);
  };
  walk(parsed.rules ?? []);
  return found;
}

/** The test source with each input value wrapped in a call that prints it. */
function instrument(file, source) {
  const lines = source.split('\n');
  const offsets = [0];
  for (const line of lines) offsets.push(offsets[offsets.length - 1] + line.length + 1);
  const edits = inputModifiers(file).map((modifier) => {
    const text = Buffer.from(modifier.value.text, 'base64').toString('utf8');
    const line = lines[modifier.value.row - 1];
    // OPA counts columns in bytes: find the value's text on its first line.
    const byteColumn = Buffer.from(line, 'utf8').subarray(0, modifier.value.col - 1).toString('utf8').length;
    const start = offsets[modifier.value.row - 1] + byteColumn;
    if (source.slice(start, start + text.length) !== text) throw new Error(`${file}:${modifier.value.row}: cannot find the input value in the source`);
    const where = JSON.stringify(`${path.relative(root, file)}:${modifier.value.row}`);
    return { start, end: start + text.length, replacement: `data.${CAPTURE_PACKAGE}.seen(${where}, ${JSON.stringify(modifier.key)}, ${text})` };
  });
  let result = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
  return { source: result, count: edits.length };
}

const CAPTURE_MODULE = `package ${CAPTURE_PACKAGE}

seen(where, key, value) := value if print(json.marshal({"where": where, "key": key, "input": value}))
`;

/** The posture schema with its top-level lists optional (a fixture names the kinds it needs). */
function fixtureValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'src', 'posture', 'posture.schema.json'), 'utf8'));
  delete schema.required;
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-fixtures-'));
  try {
    const copy = path.join(work, 'policies');
    fs.cpSync(path.join(root, 'policies'), copy, { recursive: true });
    let modifiers = 0;
    for (const file of regoFiles(path.join(root, 'policies'), '_test.rego')) {
      const instrumented = instrument(file, fs.readFileSync(file, 'utf8'));
      modifiers += instrumented.count;
      fs.writeFileSync(path.join(copy, path.relative(path.join(root, 'policies'), file)), instrumented.source);
    }
    fs.writeFileSync(path.join(copy, 'fixture_capture.rego'), CAPTURE_MODULE);
    const run = childProcess.spawnSync(opa(), ['test', copy, '--format', 'json', '--timeout', '120s'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    if (run.error) throw run.error;
    const results = JSON.parse(run.stdout || '[]');
    const failed = results.filter((result) => result.fail || result.error);
    if (failed.length > 0) throw new Error(`the instrumented Rego tests fail (${failed.map((r) => `${r.package}.${r.name}`).join(', ')}): run opa test policies`);

    const validate = fixtureValidator();
    const documents = new Map();
    for (const result of results) {
      for (const line of Buffer.from(result.output ?? '', 'base64').toString('utf8').split('\n')) {
        if (!line.startsWith('{"')) continue;
        const captured = JSON.parse(line);
        const document = captured.key === null ? captured.input : { [captured.key]: captured.input };
        const text = JSON.stringify(document);
        if (!documents.has(text)) documents.set(text, { document, places: new Set() });
        documents.get(text).places.add(captured.where);
      }
    }
    const problems = [];
    for (const { document, places } of documents.values()) {
      if (validate(document)) continue;
      const errors = validate.errors
        .filter((e) => e.keyword !== 'propertyNames')
        .map((e) => `${e.instancePath || '/'} ${e.propertyName !== undefined ? `has key ${JSON.stringify(e.propertyName)}, not one of the declared keys` : e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
      problems.push(`${[...places].sort().join(', ')}: ${[...new Set(errors)].slice(0, Number(process.env.FIXTURE_ERRORS || 5)).join('; ')}`);
    }
    process.stderr.write(`Rego fixtures: ${documents.size} distinct input documents from ${modifiers} \`with input\` modifiers\n`);
    if (problems.length > 0) {
      process.stderr.write(`${problems.length} Rego test input documents do not follow src/posture/posture.schema.json:\n${problems.sort().map((p) => `  ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`check-rego-fixtures: ${error.message}\n`);
  process.exitCode = 1;
}
