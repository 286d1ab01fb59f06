#!/usr/bin/env bash
# Installs what sescheck needs and builds it: npm packages (from package-lock.json), the pinned
# OPA CLI, the policy wasm (build/policy.wasm) and the compiled CLI (dist/, with the one-file
# bundle bin/sescheck runs: dist/sescheck.js and its code cache). Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

lock_hash="$(sha256sum package-lock.json | awk '{print $1}')"
if [ ! -f node_modules/.sescheck-lock-hash ] || [ "$(cat node_modules/.sescheck-lock-hash)" != "$lock_hash" ]; then
  echo "installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > node_modules/.sescheck-lock-hash
fi
bash scripts/build-policies.sh
node scripts/build-validators.js
npx tsc -p tsconfig.build.json
node scripts/bundle-cli.js
echo "sescheck is set up: ./bin/sescheck --help" >&2
