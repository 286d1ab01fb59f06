#!/usr/bin/env bash
# Installs the tools `npm run bench -- compare` measures sescheck against, pinned, into .tools/
# (gitignored; not part of CI): conftest with `go install` (Go's module proxy) at
# .tools/bin/conftest, and Checkov from PyPI into its own venv at .tools/checkov-venv (its command:
# .tools/bin/checkov). OPA itself comes from scripts/install-opa.sh. A tool already there at the
# pinned version is kept.
#
#   bash scripts/install-bench-tools.sh             conftest and Checkov
#   bash scripts/install-bench-tools.sh conftest    one of them
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/tool-versions.sh"
mkdir -p "$root/.tools/bin"
# The physical directory: .tools may be a symlink, and a venv records its own path.
tools="$(cd "$root/.tools" && pwd -P)"
bin="$tools/bin"

# A `go install` build reports "Conftest: dev"; its module version is in the binary's build info.
conftest_version() { go version -m "$1" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/open-policy-agent/conftest" { print $3 }'; }

conftest() {
  if [ -x "$bin/conftest" ] && [ "$(conftest_version "$bin/conftest")" = "v$CONFTEST_VERSION" ]; then
    echo "$bin/conftest"; return
  fi
  command -v go >/dev/null 2>&1 || { echo "conftest needs Go (go install github.com/open-policy-agent/conftest@v$CONFTEST_VERSION)" >&2; exit 2; }
  echo "installing conftest v$CONFTEST_VERSION with go install (a few minutes)..." >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/conftest@v$CONFTEST_VERSION" >&2
  [ "$(conftest_version "$bin/conftest")" = "v$CONFTEST_VERSION" ] || { echo "installed conftest is not v$CONFTEST_VERSION" >&2; exit 2; }
  echo "$bin/conftest"
}

checkov() {
  local venv="$tools/checkov-venv"
  if [ -x "$venv/bin/checkov" ] && [ "$("$venv/bin/checkov" --version 2>/dev/null)" = "$CHECKOV_VERSION" ]; then
    ln -sf ../checkov-venv/bin/checkov "$bin/checkov"; echo "$bin/checkov"; return
  fi
  command -v python3 >/dev/null 2>&1 || { echo "Checkov needs python3" >&2; exit 2; }
  echo "installing checkov $CHECKOV_VERSION into $venv (a few minutes)..." >&2
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2
  [ "$("$venv/bin/checkov" --version)" = "$CHECKOV_VERSION" ] || { echo "installed checkov is not $CHECKOV_VERSION" >&2; exit 2; }
  ln -sf ../checkov-venv/bin/checkov "$bin/checkov"
  echo "$bin/checkov"
}

if [ $# -eq 0 ]; then set -- conftest checkov; fi
for tool in "$@"; do
  case "$tool" in
    conftest) conftest ;;
    checkov) checkov ;;
    *) echo "unknown tool $tool: conftest or checkov" >&2; exit 2 ;;
  esac
done
