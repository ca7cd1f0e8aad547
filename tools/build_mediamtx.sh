#!/usr/bin/env bash
# Build MediaMTX from its Go module at a pinned tag, cached outside the repo.
# `go generate` would download hls.js from the internet, which is not reachable here, so the two
# generated, git-ignored files that `//go:embed` needs are written by hand:
#   internal/core/VERSION              the tag
#   internal/servers/hls/hls.min.js    from the npm package hls.js (dist/hls.min.js)
set -euo pipefail

MEDIAMTX_VERSION="${MEDIAMTX_VERSION:-v1.20.1}"
# The version MediaMTX's hlsjsdownloader pins for this tag (internal/servers/hls/hlsjsdownloader/VERSION).
HLSJS_VERSION="${HLSJS_VERSION:-1.7.0}"
CACHE_DIR="${VIDSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidstream}"
BIN_DIR="$CACHE_DIR/bin"
TARGET="$BIN_DIR/mediamtx-$MEDIAMTX_VERSION"

if [[ -x "$TARGET" ]]; then
    ln -sf "$TARGET" "$BIN_DIR/mediamtx"
    exit 0
fi
command -v go >/dev/null || { echo "build_mediamtx: Go is not installed (apt-get install golang, or install Go >= 1.26)" >&2; exit 1; }
command -v npm >/dev/null || { echo "build_mediamtx: npm is needed to fetch hls.js (apt-get install npm)" >&2; exit 1; }

echo "Building MediaMTX $MEDIAMTX_VERSION (one-off, cached in $BIN_DIR) ..."
mkdir -p "$BIN_DIR"
WORK="$(mktemp -d)"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

MODULE_DIR="$(cd "$WORK" && GOFLAGS=-mod=mod go mod download -json "github.com/bluenviron/mediamtx@$MEDIAMTX_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
cp -r "$MODULE_DIR" "$WORK/src"
chmod -R u+w "$WORK/src"

echo "$MEDIAMTX_VERSION" > "$WORK/src/internal/core/VERSION"
(cd "$WORK" && npm pack --silent "hls.js@$HLSJS_VERSION" >/dev/null && tar -xzf hls.js-*.tgz)
cp "$WORK/package/dist/hls.min.js" "$WORK/src/internal/servers/hls/hls.min.js"

(cd "$WORK/src" && CGO_ENABLED=0 go build -trimpath -o "$TARGET.tmp" .)
mv "$TARGET.tmp" "$TARGET"
ln -sf "$TARGET" "$BIN_DIR/mediamtx"
echo "MediaMTX $MEDIAMTX_VERSION built: $TARGET"
