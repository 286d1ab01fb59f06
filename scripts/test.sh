#!/usr/bin/env bash
# Every test, as README command 2 and CI run them: setup, type check, lint, Rego format and
# strict check against the posture schema, opa test with coverage, the Rego tests' input documents
# against the posture schema, then mocha.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
opa="$root/.tools/bin/opa"

step() { printf '\n== %s\n' "$*" >&2; }

step "type check (tsc)"
npx tsc -p tsconfig.json --noEmit
step "lint (eslint)"
npx eslint --max-warnings 0 .
step "Rego format (opa fmt)"
if ! "$opa" fmt --list --fail policies; then echo "the files above are not formatted: run .tools/bin/opa fmt -w policies" >&2; exit 1; fi
step "Rego strict check against the posture schema (opa check --strict --schema)"
node scripts/opa-schemas.js
"$opa" check --strict --schema build/opa-schemas policies
step "Rego tests (opa test, with coverage)"
rego_log="$(mktemp)"
"$opa" test policies --timeout 60s | tee "$rego_log"
"$opa" test policies --timeout 60s --coverage --format json > build/coverage.json
node -e '
const c = require("./build/coverage.json");
const files = Object.entries(c.files || {}).map(([f, v]) => [f, v.coverage || 0]).sort((a, b) => a[1] - b[1]);
for (const [f, v] of files.slice(0, 5)) console.error(`  ${v.toFixed(1).padStart(5)}%  ${f}`);
console.error(`Rego coverage: ${(c.coverage || 0).toFixed(1)}% over ${files.length} files`);
if ((c.coverage || 0) < 80) { console.error("Rego coverage is below 80%"); process.exit(1); }
'
step "Rego test inputs against the posture schema"
node scripts/check-rego-fixtures.js
step "mocha"
bash scripts/install-moto.sh >/dev/null  # the live tests run against moto on 127.0.0.1
mocha_log="$(mktemp)"
npx mocha 'test/**/*.test.ts' | tee "$mocha_log"

# One closing line for both runners: N passed, N failed, N skipped.
rego_passed="$(sed -n 's/^PASS: \([0-9]*\)\/.*/\1/p' "$rego_log")"
count() { grep -oE "^ +[0-9]+ $1" "$mocha_log" | grep -oE '[0-9]+' || echo 0; }
printf '\ntests: %d passed, %d failed, %d skipped\n' "$(( ${rego_passed:-0} + $(count passing) ))" "$(count failing)" "$(count pending)"
rm -f "$rego_log" "$mocha_log"
