'use strict';
// The digest of a set of policy folders: every non-test .rego and data file, by relative path and content.
const fs = require('fs');
const path = require('path');

function policyFiles(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...policyFiles(full));
    else if (/\.(rego|ya?ml|json)$/.test(entry.name) && !entry.name.endsWith('_test.rego')) files.push(full);
  }
  return files;
}

function policyDigest(dirs) {
  // Required here, not above: a run whose sources match their recorded stats never hashes them.
  const hash = require('crypto').createHash('sha256');
  for (const dir of dirs) {
    const base = path.resolve(dir);
    for (const file of policyFiles(base).sort()) {
      hash.update(path.relative(base, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Each folder's policy files as [relative path, size, modification time in ms], in digest order. */
function policyFileStats(dirs) {
  return dirs.map((dir) => {
    const base = path.resolve(dir);
    return policyFiles(base)
      .sort()
      .map((file) => {
        const stat = fs.statSync(file);
        return [path.relative(base, file), stat.size, stat.mtimeMs];
      });
  });
}

module.exports = { policyDigest, policyFileStats };
