import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { assertFresh, DEFAULT_WASM, PROJECT_ROOT } from '../../src/engine/bundle';

describe('policy bundle freshness (build/manifest.json)', () => {
  let dir: string;
  let manifest: string;
  let rule: string;
  before(() => {
    // A policy folder outside the project is recorded by its absolute path, as `build-policies.sh EXTRA_DIR` does.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-manifest-'));
    fs.cpSync(path.join(PROJECT_ROOT, 'policies'), path.join(dir, 'policies'), { recursive: true });
    fs.copyFileSync(DEFAULT_WASM, path.join(dir, 'policy.wasm'));
    manifest = path.join(dir, 'manifest.json');
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'policy-manifest.js'), 'write', manifest, path.join(dir, 'policies')]);
    rule = path.join(dir, 'policies', 'main.rego');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes sources with their recorded sizes and times as current, and records the catalog', () => {
    assert.ok(Array.isArray(assertFresh(manifest).catalog));
  });

  it('reads and hashes the sources when a time differs: the same content is still current', () => {
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(rule, later, later);
    assert.doesNotThrow(() => assertFresh(manifest));
  });

  it('calls the bundle stale when a source changed, or a new one appeared', () => {
    const original = fs.readFileSync(rule);
    fs.appendFileSync(rule, '\n# changed\n');
    assert.throws(() => assertFresh(manifest), /policy bundle is stale/);
    fs.writeFileSync(rule, original);
    assert.doesNotThrow(() => assertFresh(manifest));
    fs.writeFileSync(path.join(dir, 'policies', 'extra.rego'), 'package sescheck.extra\n');
    assert.throws(() => assertFresh(manifest), /policy bundle is stale/);
  });
});
