#!/usr/bin/env bash
# Puts moto's server (the AWS API emulator the live tests run against) in .venv, pinned to
# MOTO_VERSION from tool-versions.sh. Quick when that version is already there; prints its path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/tool-versions.sh"
venv="$root/.venv"

installed_version() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true; }

if [ -x "$venv/bin/moto_server" ] && [ "$(installed_version)" = "$MOTO_VERSION" ]; then
  echo "$venv/bin/moto_server"; exit 0
fi
python="$(command -v python3 || true)"
[ -n "$python" ] || { echo "python3 is needed for the live tests (moto); install Python 3.9 or newer" >&2; exit 2; }
if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv for moto..." >&2
  "$python" -m venv "$venv" >&2
fi
echo "installing moto[server]==$MOTO_VERSION into .venv (about a minute)..." >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
[ "$(installed_version)" = "$MOTO_VERSION" ] || { echo "moto in .venv is not $MOTO_VERSION" >&2; exit 2; }
echo "$venv/bin/moto_server"
