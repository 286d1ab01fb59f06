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
    // Sources edited an hour before the build, as usual: their times can prove them unchanged.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const relative of fs.readdirSync(path.join(dir, 'policies'), { recursive: true }) as string[]) {
      const file = path.join(dir, 'policies', relative);
      if (fs.statSync(file).isFile()) fs.utimesSync(file, anHourAgo, anHourAgo);
    }
    manifest = path.join(dir, 'manifest.json');
    writeManifest();
    rule = path.join(dir, 'policies', 'main.rego');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeManifest(): void {
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'policy-manifest.js'), 'write', manifest, path.join(dir, 'policies')]);
  }

  /** Runs check with the sources' hashing made to fail: only the stat comparison can answer. */
  function withoutHashing<T>(check: () => T): T {
    // The module object src/engine/bundle.ts requires: patching its export is what the check calls.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const digest = require(path.join(PROJECT_ROOT, 'scripts', 'policy-digest.js')) as { policyDigest: unknown };
    const hashing = digest.policyDigest;
    digest.policyDigest = () => {
      throw new Error('the sources were read and hashed');
    };
    try {
      return check();
    } finally {
      digest.policyDigest = hashing;
    }
  }

  it('takes sources with their recorded sizes and times as current without reading them, and records the catalog', () => {
    assert.ok(Array.isArray(withoutHashing(() => assertFresh(manifest)).catalog));
  });

  it('hashes a source as recent as the build: a same-size edit within the time resolution is stale', () => {
    const original = fs.readFileSync(rule);
    const { atime, mtime } = fs.statSync(rule);
    try {
      const now = new Date();
      fs.utimesSync(rule, now, now);
      writeManifest();
      // The same size, and the time the manifest recorded, as a coarse-grained file system could leave it.
      const recorded = fs.statSync(rule).mtime;
      fs.writeFileSync(rule, Buffer.from(original.toString('latin1').replace(/package/, 'packagf'), 'latin1'));
      fs.utimesSync(rule, recorded, recorded);
      assert.equal(fs.statSync(rule).size, original.length);
      assert.throws(() => assertFresh(manifest), /policy bundle is stale/);
    } finally {
      fs.writeFileSync(rule, original);
      fs.utimesSync(rule, atime, mtime);
      writeManifest();
    }
    assert.doesNotThrow(() => withoutHashing(() => assertFresh(manifest)), 'sources older than the build again');
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
