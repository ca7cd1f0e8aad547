"""Where the Go-built MediaMTX and MinIO binaries live (built by tools/, cached outside the repo)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

from video_streaming.domain.errors import VidStreamError


class BinaryMissing(VidStreamError):
    kind = "binary_missing"


def cache_dir() -> Path:
    override = os.environ.get("VIDSTREAM_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("vidstream"))


def find_binary(name: str) -> Path:
    """The cached build of `name`, else one on PATH. Raises BinaryMissing with the command that builds it."""
    candidates = []
    if override := os.environ.get("VIDSTREAM_BIN_DIR"):
        candidates.append(Path(override) / name)
    candidates.append(cache_dir() / "bin" / name)
    for candidate in candidates:
        if candidate.exists() and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    raise BinaryMissing(f"{name} is not installed", f"run `make run` or `bash tools/build_{name}.sh` once to build it")


def project_file(name: str) -> Path:
    """A file shipped at the top of the project (mediamtx.yml), also when installed as a bundle."""
    here = Path(__file__).resolve()
    for base in (here.parents[2], here.parents[1], Path(os.environ.get("VIDSTREAM_HOME", here.parents[2]))):
        if (base / name).exists():
            return base / name
    raise VidStreamError(f"{name} was not found next to the application")
