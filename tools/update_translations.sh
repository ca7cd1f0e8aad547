#!/usr/bin/env bash
# Refresh the translation sources from the code (lupdate keeps existing translations), then compile
# them (lrelease). Edit resources/i18n/*.ts with pyside6-linguist or any text editor.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VIDSTREAM_VENV:-${VIDSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidstream}/venv}"
cd "$ROOT"
for ts in resources/i18n/*.ts; do
    "$VENV/bin/pyside6-lupdate" $(find vidstream_desktop -name '*.py' | sort) -ts "$ts" -no-obsolete
    "$VENV/bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done
