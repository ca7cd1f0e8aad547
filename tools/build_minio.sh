#!/usr/bin/env bash
# Build MinIO from its Go module at a pinned version, cached outside the repo.
# MinIO publishes no semver tags on the module proxy, so the pin is the pseudo-version of a commit.
set -euo pipefail

MINIO_VERSION="${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
CACHE_DIR="${VIDSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidstream}"
BIN_DIR="$CACHE_DIR/bin"
TARGET="$BIN_DIR/minio-$MINIO_VERSION"

if [[ -x "$TARGET" ]]; then
    ln -sf "$TARGET" "$BIN_DIR/minio"
    exit 0
fi
command -v go >/dev/null || { echo "build_minio: Go is not installed (apt-get install golang, or install Go >= 1.24)" >&2; exit 1; }

echo "Building MinIO $MINIO_VERSION (one-off, cached in $BIN_DIR) ..."
mkdir -p "$BIN_DIR"
GOBIN_DIR="$(mktemp -d)"
trap 'rm -rf "$GOBIN_DIR"' EXIT
CGO_ENABLED=0 GOBIN="$GOBIN_DIR" go install -trimpath "github.com/minio/minio@$MINIO_VERSION"
mv "$GOBIN_DIR/minio" "$TARGET"
ln -sf "$TARGET" "$BIN_DIR/minio"
echo "MinIO $MINIO_VERSION built: $TARGET"
