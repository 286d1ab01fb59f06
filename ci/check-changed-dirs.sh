#!/usr/bin/env bash
# Runs `sescheck config DIR` once for each directory holding a changed Terraform file, for the
# pre-commit hook (.pre-commit-hooks.yaml) and the GitLab CI template (ci/gitlab/).
#
#   check-changed-dirs.sh [sescheck options] [--files-from LIST] FILE...
#
# Arguments ending in .tf or .tf.json are the changed files; `--files-from LIST` reads more, one a
# line (`-` for stdin); every other argument is passed to sescheck (--fail-on high, --config FILE).
# Directories that no longer hold a Terraform file (all deleted) are skipped. The exit code is the
# worst of the runs: 0 all clean, 1 findings, 2 bad input, 3 a bug in sescheck.
#
# sescheck is $SESCHECK when set, else this checkout's bin/sescheck (built on first use, as
# pre-commit keeps the hook's clone), else `sescheck` on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

options=()
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --files-from)
      [ $# -ge 2 ] || { echo "check-changed-dirs: --files-from needs a file (- for stdin)" >&2; exit 2; }
      list="$2"; [ "$list" = - ] && list=/dev/stdin
      [ -r "$list" ] || { echo "check-changed-dirs: --files-from $2: cannot read it" >&2; exit 2; }
      while IFS= read -r file || [ -n "$file" ]; do
        case "$file" in *.tf|*.tf.json) files+=("$file") ;; esac
      done < "$list"
      shift 2 ;;
    *.tf|*.tf.json) files+=("$1"); shift ;;
    *) options+=("$1"); shift ;;
  esac
done

if [ -n "${SESCHECK:-}" ]; then
  sescheck=("$SESCHECK")
elif [ -f "$root/dist/src/cli/main.js" ] && [ -f "$root/build/policy.wasm" ]; then
  sescheck=(node "$root/bin/sescheck")
elif [ -f "$root/scripts/setup.sh" ] && [ -f "$root/package-lock.json" ]; then
  echo "check-changed-dirs: building sescheck in $root (first use only; about two minutes)" >&2
  bash "$root/scripts/setup.sh" >&2
  sescheck=(node "$root/bin/sescheck")
elif command -v sescheck >/dev/null 2>&1; then
  sescheck=(sescheck)
else
  echo "check-changed-dirs: sescheck not found: install it or set SESCHECK to its path" >&2
  exit 2
fi

# One directory per line, each once, in a stable order; .terraform/ holds downloaded modules.
dirs="$(
  for file in ${files[@]+"${files[@]}"}; do
    case "/$file" in */.terraform/*) continue ;; esac
    dirname -- "$file"
  done | sort -u
)"

worst=0
checked=0
while IFS= read -r dir; do
  [ -n "$dir" ] || continue
  if ! compgen -G "$dir/*.tf" >/dev/null && ! compgen -G "$dir/*.tf.json" >/dev/null; then
    echo "check-changed-dirs: $dir: no Terraform files left, skipped" >&2
    continue
  fi
  case "$dir" in -*) dir="./$dir" ;; esac  # not to be read as an option
  checked=$((checked + 1))
  code=0
  "${sescheck[@]}" config "$dir" ${options[@]+"${options[@]}"} || code=$?
  [ "$code" -gt "$worst" ] && worst=$code
done <<< "$dirs"

[ "$checked" -gt 0 ] || echo "check-changed-dirs: no changed Terraform directory to check" >&2
exit "$worst"
