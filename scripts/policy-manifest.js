#!/usr/bin/env node
// Writes (or checks) build/manifest.json: a digest of the policy sources the wasm was built from,
// so the CLI can tell a stale bundle from a current one. Kept in plain JS: it runs before tsc.
// It also records each source's size and time (the CLI compares those first and reads the sources
// only when one differs) and the rule catalog evaluated from the wasm beside it (the CLI then
// skips that evaluation on every run; src/engine/evaluate.ts applies the settings' severities).
'use strict';
const { policyDigest, policyFileStats } = require('./policy-digest');
const fs = require('fs');
const path = require('path');

/** The default settings (policies/settings/data.yaml) parsed as src/engine/settings.ts parses them. */
function settingsDefaults(root) {
  const yaml = require('js-yaml');
  return yaml.load(fs.readFileSync(path.join(root, 'policies', 'settings', 'data.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA });
}

/** The catalog as sescheck/main/catalog returns it without settings: each rule's own severity. */
function baseCatalog(wasmPath) {
  const { loadPolicySync } = require('@open-policy-agent/opa-wasm');
  const policy = loadPolicySync(fs.readFileSync(wasmPath));
  policy.setData({ settings: {} });
  const results = policy.evaluate({}, 'sescheck/main/catalog');
  if (results.length !== 1 || !Array.isArray(results[0].result)) throw new Error(`${wasmPath}: the catalog entrypoint returned no list`);
  return results[0].result;
}

/** The ids that more than one rule package declares, each with the groups declaring it. */
function duplicateIds(catalog) {
  const groups = new Map();
  for (const rule of catalog) groups.set(rule.id, [...(groups.get(rule.id) ?? []), rule.group]);
  return [...groups].filter(([, declaring]) => declaring.length > 1);
}

const [mode, manifestPath, ...dirs] = process.argv.slice(2);
if (mode !== 'write' || !manifestPath || dirs.length === 0) {
  console.error('usage: policy-manifest.js write MANIFEST DIR...');
  process.exitCode = 2;
} else {
  // Folders inside the project are recorded relative to it, so the manifest holds in an installed package too.
  const root = path.resolve(__dirname, '..');
  const recorded = dirs.map((dir) => {
    const relative = path.relative(root, path.resolve(dir));
    return relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(dir) : relative.split(path.sep).join('/');
  });
  const wasmPath = path.join(path.dirname(manifestPath), 'policy.wasm');
  const catalog = baseCatalog(wasmPath);
  // Findings, waivers and severities are keyed by rule id: two packages with one id would mix.
  const duplicates = duplicateIds(catalog);
  if (duplicates.length > 0) {
    const [id, declaring] = duplicates[0];
    console.error(`build-policies: rule id ${id} is declared by more than one rule package (groups ${[...new Set(declaring)].join(', ')}): give each rule its own id`);
    fs.rmSync(wasmPath, { force: true });
    process.exit(1);
  }
  const manifest = {
    digest: policyDigest(dirs),
    dirs: recorded,
    files: policyFileStats(dirs),
    built_at: new Date().toISOString(),
    wasm_bytes: fs.statSync(wasmPath).size,
    catalog,
  };
  // Only where the digest covers the file: the CLI takes them while the manifest is current.
  if (recorded.includes('policies')) manifest.settings_defaults = settingsDefaults(root);
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
}
