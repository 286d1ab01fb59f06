#!/usr/bin/env bash
# README command 1: sets up, synthesizes the reference CDKTF stacks and scans them, then scans the
# bundled examples and prints the reports. Succeeds when the stacks and the secure example are clean
# (exit 0) and the insecure example is caught (exit 1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

problems=0

# Runs sescheck, prints its output, and checks its exit code against the one expected.
expect_exit() {
  local expected="$1" what="$2"
  shift 2
  printf '\n== %s\n$ sescheck %s\n' "$what" "$*"
  local code=0
  ./bin/sescheck "$@" || code=$?
  if [ "$code" -eq "$expected" ]; then
    printf '== exit %s, as expected\n' "$code"
  else
    printf '== exit %s, expected %s: %s did not behave as it should\n' "$code" "$expected" "$what" >&2
    problems=$((problems + 1))
  fi
}

./bin/sescheck rules
printf '\n== synthesizing the reference stacks (what `cdktf synth` runs: npx tsx stacks/main.ts)\n'
npx tsx stacks/main.ts
expect_exit 0 "the reference stacks (cdktf.out): no finding" config cdktf.out
expect_exit 0 "a compliant plan (examples/secure): no finding" plan examples/secure/plan.json
expect_exit 1 "a non-compliant plan (examples/insecure): its findings" plan examples/insecure/plan.json

if [ "$problems" -ne 0 ]; then
  printf '\ndemo: %s scan(s) did not give the expected result\n' "$problems" >&2
  exit 1
fi
printf '\ndemo: the reference stacks and the secure example are clean, and the insecure example is caught\n'
