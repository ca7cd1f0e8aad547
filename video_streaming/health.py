"""What one health poll found: the media server, the archive, the disk, the cameras and the sites."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from video_streaming.camera_supervisor import CameraState


@dataclass
class Health:
    mediamtx_ok: bool = False
    mediamtx_error: str = ""
    storage_ok: bool = False
    storage_error: str = ""
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    cameras_online: int = 0
    tiles_degraded: int = 0  # set by a wall: tiles whose picture is shown but not current
    cameras_total: int = 0
    recordings: int = 0
    upload_queue: int = 0
    disk_free_bytes: int = 0
    disk_low: bool = False
    sites_total: int = 0  # remote recorder sites this machine shows
    site_errors: dict[str, str] = field(default_factory=dict)  # site key -> why it cannot be reached
    moved_cameras: set[str] = field(default_factory=set)  # site cameras now live on another path: re-open them
    cameras_changed: bool = False  # a site added, renamed or changed cameras: refresh camera lists
    started_cameras: set[str] = field(default_factory=set)  # kept cameras that came up since the last poll
    camera_states: dict[str, CameraState] = field(default_factory=dict)  # kept cameras: running, waiting...

    def has_path(self, path_name: str | None) -> bool:
        """The media server has this path (configured, whether or not a source sends on it)."""
        return bool(path_name) and path_name in self.paths

    def path_ready(self, path_name: str | None) -> bool:
        """A source publishes on the path: readers get pictures."""
        return bool(path_name) and bool(self.paths.get(str(path_name), {}).get("ready"))


async def source_answers(source_url: str, timeout: float = 0.5) -> bool:
    """Does the camera's host accept a TCP connection on its port? (Cheap; no credentials sent.)"""
    parts = urlsplit(source_url)
    default_ports = {"rtsp": 554, "rtsps": 322, "rtmp": 1935, "rtmps": 443, "http": 80, "https": 443}
    port = parts.port or default_ports.get(parts.scheme.lower())
    if not parts.hostname or port is None:
        return False
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(parts.hostname, port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True
