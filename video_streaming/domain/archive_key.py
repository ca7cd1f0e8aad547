"""The archive-key grammar, read back: `{camera_key}/{YYYY}/{MM}/{DD}/{recording_id}/{segment file}`, optionally
behind a remote site's `@{site}/` marker. Written by `camera.segment_key_under`; one grammar for both ways."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from video_streaming.domain.camera import CAMERA_KEY_PATTERN, RECORDING_PREFIX_PATTERN, parse_segment_file_name


@dataclass(frozen=True)
class ArchiveKey:
    camera_key: str
    recording_id: str
    start: datetime
    attempt: int
    file_name: str
    prefix: str


SITE_MARKER = "@"  # `@{site}/` before a key: a remote site's recording, seen through this machine's archive
_ARCHIVE_KEY = re.compile(rf"(?:{SITE_MARKER}{CAMERA_KEY_PATTERN}/)?{RECORDING_PREFIX_PATTERN}([^/]+)")
_RECORDING_LAYOUT = re.compile(rf"{CAMERA_KEY_PATTERN}/\d{{4}}/")


def in_recording_layout(key: str) -> bool:
    """The key is under `{camera}/{YYYY}/`, where this machine files recordings (not a site's, nor the
    directory, nor another recorder's folder of a shared bucket)."""
    return _RECORDING_LAYOUT.match(key) is not None


def parse_archive_key(key: str) -> ArchiveKey | None:
    """`{camera_key}/{YYYY}/{MM}/{DD}/{recording_id}/{YYYYmmddTHHMMSS}Z-{n}.mp4` (see `segment_key`), optionally
    behind a remote site's `@{site}/` marker (see adapters/site_storage.py)."""
    match = _ARCHIVE_KEY.fullmatch(key)
    parsed = parse_segment_file_name(match[6]) if match else None
    if match is None or parsed is None:
        return None
    try:
        recording_id = str(uuid.UUID(match[5]))
    except ValueError:
        return None
    return ArchiveKey(match[1], recording_id, parsed[0], parsed[1], match[6], key[: -len(match[6])])
