#!/usr/bin/env bash
# The action's first step: gets sescheck and writes its entry point as the step output `cli`.
# INPUT_VERSION empty: builds this action's own checkout (the ref in `uses:`), so the action and
# the CLI are always the same version; otherwise installs that version of the sescheck npm package.
set -euo pipefail
action_root="$(cd "$(dirname "$0")/.." && pwd)"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: this script runs as a step of the sescheck action}"
version="${INPUT_VERSION:-}"

if [ -z "$version" ]; then
  if [ -f "$action_root/dist/src/cli/main.js" ] && [ -f "$action_root/build/policy.wasm" ]; then
    echo "sescheck: using the build in $action_root" >&2
  else
    echo "sescheck: building $action_root (npm ci, OPA, policy.wasm, dist/)" >&2
    bash "$action_root/scripts/setup.sh" >&2
  fi
  cli="$action_root/bin/sescheck"
else
  case "$version" in
    *[!A-Za-z0-9.+~^-]*) echo "sescheck: input version: '$version' is not a version of the sescheck package (for example 0.2.0)" >&2; exit 2 ;;
  esac
  prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sescheck-$version"
  echo "sescheck: installing sescheck@$version from npm into $prefix" >&2
  npm install --no-audit --no-fund --loglevel=error --prefix "$prefix" "sescheck@$version" >&2
  cli="$prefix/node_modules/.bin/sescheck"
fi
[ -f "$cli" ] || { echo "sescheck: no CLI at $cli after setup" >&2; exit 2; }
echo "cli=$cli" >> "$GITHUB_OUTPUT"
