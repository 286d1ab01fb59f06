#!/usr/bin/env bash
# Runs before `npm pack` / `npm publish`: builds what the package carries (dist/ with the bundle, build/policy.wasm,
# build/validators/) and pins the installed dependency tree with npm-shrinkwrap.json (a copy of
# package-lock.json; postpack removes it), so the CLI installs the versions it was tested with.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${SESCHECK_PREPACK_SKIP_BUILD:-}" != "1" ]; then bash scripts/setup.sh; fi
for built in dist/src/cli/main.js dist/sescheck.js dist/sescheck.cache dist/sescheck.cache.sum build/policy.wasm build/manifest.json build/validators; do
  [ -e "$built" ] || { echo "prepack: $built is missing: run npm run setup" >&2; exit 2; }
done
chmod -R a+rX dist build
cp package-lock.json npm-shrinkwrap.json
