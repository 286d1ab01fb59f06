#!/usr/bin/env bash
# Builds the scheduled scan's Lambda package (build/lambda.zip, or the path given): the npm package
# as `npm pack` makes it (compiled CLI and handlers, policy wasm, Rego sources, validators) with its
# production dependencies from npm-shrinkwrap.json, laid out so the handler is
# dist/src/lambda/scan-account.handler.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/build/lambda.zip}")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
(cd "$root" && npm pack --pack-destination "$stage" --silent >/dev/null)
tar xzf "$stage"/sescheck-*.tgz -C "$stage"
cd "$stage/package"
npm ci --omit=dev --omit=peer --ignore-scripts --no-audit --no-fund --loglevel=error >&2
mkdir -p "$(dirname "$out")"
rm -f "$out"
zip -qr -X "$out" .
echo "$out"
