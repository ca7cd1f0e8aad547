#!/usr/bin/env bash
# Create (or refresh) the project's virtualenv outside the repo. Re-installs only when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE_DIR="${VIDSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidstream}"
VENV="${VIDSTREAM_VENV:-$CACHE_DIR/venv}"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.vidstream-stamp"
WANT="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1) $ROOT"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
    exit 0
fi
echo "Preparing Python environment in $VENV ..."
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
echo "$WANT" > "$STAMP"
