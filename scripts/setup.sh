#!/usr/bin/env bash
# Sets up everything nbtrace needs on a fresh Debian machine, idempotently:
# a venv in .venv with the pinned Python packages, the npm packages, the lab extension
# build, nbtrace installed in the venv (editable); with --tests also Debian's Chromium
# and Valgrind, and the UI-test packages. Each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV="$ROOT/.venv"
WITH_TESTS=0
[ "${1:-}" = "--tests" ] && WITH_TESTS=1

say() { printf '\n== %s\n' "$*"; }
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v python3 >/dev/null || { echo "python3 (3.10 or newer) is needed" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20 and npm are needed to build the extension from source" >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
  say "Python venv"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
export PATH="$VENV/bin:$PATH"

PY_HASH=$(hash_of pyproject.toml requirements/constraints.txt)
if ! stamp_ok "$VENV/.nbtrace-deps" "$PY_HASH"; then
  say "Python packages (pinned by requirements/constraints.txt)"
  pip install -q -c requirements/constraints.txt \
    "jupyterlab" "hatchling" "hatch-nodejs-version" "hatch-jupyter-builder" "editables"
fi

NPM_HASH=$(hash_of package-lock.json)
if ! stamp_ok node_modules/.nbtrace-stamp "$NPM_HASH"; then
  say "npm packages"
  npm ci --no-audit --no-fund
  echo "$NPM_HASH" > node_modules/.nbtrace-stamp
fi

SRC_HASH=$( (find src style -type f -print0 | sort -z | xargs -0 cat; cat package.json tsconfig.json) | sha256sum | cut -c1-16)
if ! stamp_ok sdk/nbtrace/labextension/.nbtrace-stamp "$SRC_HASH"; then
  say "Lab extension build"
  npm run build
  echo "$SRC_HASH" > sdk/nbtrace/labextension/.nbtrace-stamp
fi

if ! stamp_ok "$VENV/.nbtrace-deps" "$PY_HASH" || ! python -c "import nbtrace" 2>/dev/null; then
  say "nbtrace into the venv (editable, with its test and example extras)"
  # `labextension develop` (below) makes the venv's copy of the extension a symlink to the
  # build output; an install through that symlink would write install.json into the source.
  link="$VENV/share/jupyter/labextensions/nbtrace"
  if [ -L "$link" ]; then rm "$link"; fi
  rm -f sdk/nbtrace/labextension/install.json
  HATCH_JUPYTER_BUILDER_SKIP_NPM=1 pip install -q -c requirements/constraints.txt --no-build-isolation -e ".[test,examples]"
  echo "$PY_HASH" > "$VENV/.nbtrace-deps"
fi
# Link the built extension into the venv's JupyterLab (idempotent).
jupyter labextension develop --overwrite . >/dev/null 2>&1

if [ "$WITH_TESTS" = 1 ]; then
  # Chromium is Galata's browser; Valgrind counts instructions for bench/instruction_counts.py.
  missing=""
  command -v chromium >/dev/null || missing="$missing chromium"
  command -v valgrind >/dev/null || missing="$missing valgrind"
  if [ -n "$missing" ]; then
    say "Debian packages:$missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
  UI_HASH=$(hash_of ui-tests/package-lock.json)
  if ! stamp_ok ui-tests/node_modules/.nbtrace-stamp "$UI_HASH"; then
    say "UI-test packages"
    (cd ui-tests && npm ci --no-audit --no-fund)
    echo "$UI_HASH" > ui-tests/node_modules/.nbtrace-stamp
  fi
fi
say "Set up: $(jupyter labextension list 2>&1 | grep -E '^\s+nbtrace' | xargs)"
