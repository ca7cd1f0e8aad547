#!/usr/bin/env bash
# The bench's own tools, in a venv apart from the project's (the aws CLI pins a botocore of its own):
# `python -m bench archive` compares the archiver with `aws s3 cp` from here and never installs at run time.
set -euo pipefail
CACHE_DIR="${VIDSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidstream}"
VENV="$CACHE_DIR/bench-venv"
PYTHON="${PYTHON:-python3}"
WANT="awscli>=1.36,<2"
STAMP="$VENV/.bench-stamp"

if [[ -x "$VENV/bin/aws" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
    exit 0
fi
echo "Preparing the bench tools (aws CLI) in $VENV ..."
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$WANT"
echo "$WANT" > "$STAMP"
