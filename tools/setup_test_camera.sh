#!/usr/bin/env bash
# The ONVIF test camera (ipycam, a third-party virtual IP camera) in a venv of its own: it pulls in
# opencv-python, whose bundled Qt must never meet the app's PySide6. Tests only; the app never uses it.
# Re-installs only when the pinned requirement below changes.
set -euo pipefail
CACHE_DIR="${VIDSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidstream}"
VENV="${VIDSTREAM_TEST_CAMERA_VENV:-$CACHE_DIR/venv-test-camera}"
PYTHON="${PYTHON:-python3}"
REQUIREMENT="ipycam>=1.3,<1.4"
STAMP="$VENV/.vidstream-stamp"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$REQUIREMENT" ]]; then
    exit 0
fi
echo "Preparing the ONVIF test camera (ipycam) in $VENV ..."
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$REQUIREMENT"
echo "$REQUIREMENT" > "$STAMP"
