#!/usr/bin/env bash
# Puts the pinned OPA CLI at .tools/bin/opa and prints its path. Uses, in order: one already
# there, an `opa` on PATH of the pinned version, `go install` (Go's module proxy), or the
# official release binary checked against its published SHA-256.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/tool-versions.sh"
bin="$root/.tools/bin"
mkdir -p "$bin"

version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: //p'; }

if [ -x "$bin/opa" ] && [ "$(version_of "$bin/opa")" = "$OPA_VERSION" ]; then
  echo "$bin/opa"; exit 0
fi
if command -v opa >/dev/null 2>&1 && [ "$(version_of "$(command -v opa)")" = "$OPA_VERSION" ]; then
  ln -sf "$(command -v opa)" "$bin/opa"; echo "$bin/opa"; exit 0
fi
if command -v go >/dev/null 2>&1; then
  echo "installing opa v$OPA_VERSION with go install (about 2 minutes)..." >&2
  GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/opa@v$OPA_VERSION" >&2
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) asset=opa_linux_amd64_static ;;
    Linux-aarch64) asset=opa_linux_arm64_static ;;
    Darwin-x86_64) asset=opa_darwin_amd64 ;;
    Darwin-arm64) asset=opa_darwin_arm64_static ;;
    *) echo "no OPA release binary for $(uname -s)-$(uname -m): install Go, or opa v$OPA_VERSION on PATH" >&2; exit 2 ;;
  esac
  url="https://github.com/open-policy-agent/opa/releases/download/v$OPA_VERSION/$asset"
  echo "downloading $url" >&2
  curl -fsSL -o "$bin/opa.download" "$url"
  expected="$(curl -fsSL "$url.sha256" | awk '{print $1}')"
  actual="$( (sha256sum "$bin/opa.download" 2>/dev/null || shasum -a 256 "$bin/opa.download") | awk '{print $1}')"
  if [ "$expected" != "$actual" ]; then
    rm -f "$bin/opa.download"; echo "checksum mismatch for $asset" >&2; exit 2
  fi
  chmod +x "$bin/opa.download"; mv "$bin/opa.download" "$bin/opa"
fi
[ "$(version_of "$bin/opa")" = "$OPA_VERSION" ] || { echo "installed opa is not v$OPA_VERSION" >&2; exit 2; }
echo "$bin/opa"
