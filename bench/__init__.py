"""VidStream benchmarks: measurements on the real parts (MediaMTX, MinIO, ffmpeg, libvlc under Xvfb), written
as JSON to bench/results/ and summarised in bench/REPORT.md. Benchmarks, not tests: nothing here fails
because something is slow; every number comes with the baseline measured beside it in the same run."""

from __future__ import annotations

import importlib
from types import ModuleType

# Run order: cheap and headless first, so a broken display costs the least.
BENCHMARKS: dict[str, str] = {
    "catalog": "bench.catalog_query",
    "motion": "bench.motion",
    "control_plane": "bench.control_plane",
    "sites": "bench.sites",
    "archive": "bench.archive",
    "recording": "bench.recording",
    "ttff": "bench.ttff",
    "latency": "bench.latency",
    "cpu_tiles": "bench.cpu_tiles",
    "ui": "bench.ui_responsiveness",
}


def load_module(name: str) -> ModuleType:
    return importlib.import_module(BENCHMARKS[name])
