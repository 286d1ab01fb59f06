#!/usr/bin/env bash
# Compiles policies/ (plus any extra policy folders given as arguments) to one wasm module:
# build/policy.wasm, with build/manifest.json recording what it was built from. Entrypoints: the
# report and the rule catalog, and the logging path a live scan reads (lib/logging_path to_read)
# (SESCHECK_BUILD_DIR writes them elsewhere, for a bundle used with --bundle).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
opa="$("$root/scripts/install-opa.sh")"
out="${SESCHECK_BUILD_DIR:-$root/build}"
mkdir -p "$out"
dirs=("$root/policies" "$@")
# Rules name their input schema in METADATA: a field the posture schema does not have is a type error.
node "$root/scripts/opa-schemas.js"
"$opa" check --strict --schema "$root/build/opa-schemas" "${dirs[@]}"
"$opa" build -t wasm \
  -e sescheck/main/report -e sescheck/main/catalog -e sescheck/lib/logging_path/to_read \
  --ignore '*_test.rego' \
  -o "$out/bundle.tar.gz" "${dirs[@]}"
tar -xzf "$out/bundle.tar.gz" -C "$out" /policy.wasm 2>/dev/null || tar -xzf "$out/bundle.tar.gz" -C "$out" policy.wasm
rm -f "$out/bundle.tar.gz"
# The bundle's tar keeps the file private (0600): every user who runs sescheck must read it.
chmod a+r "$out/policy.wasm"
node "$root/scripts/policy-manifest.js" write "$out/manifest.json" "${dirs[@]}"
echo "built $out/policy.wasm from ${dirs[*]}" >&2
