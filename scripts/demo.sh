#!/usr/bin/env bash
# README command 1: sets up, then scans the bundled examples and prints the reports.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
./bin/sescheck rules
