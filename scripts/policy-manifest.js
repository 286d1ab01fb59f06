#!/usr/bin/env node
// Writes (or checks) build/manifest.json: a digest of the policy sources the wasm was built from,
// so the CLI can tell a stale bundle from a current one. Kept in plain JS: it runs before tsc.
'use strict';
const { policyDigest } = require('./policy-digest');
const fs = require('fs');
const path = require('path');

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
  fs.writeFileSync(manifestPath, JSON.stringify({ digest: policyDigest(dirs), dirs: recorded, built_at: new Date().toISOString() }, null, 2) + '\n');
}
