"""Instant replay: what this machine holds of a camera's last moments, to play in place of its live picture.

The segments closed in the last seconds are in the catalog; the one the recorder is writing now is not yet
(it is catalogued when it closes, and segments last up to an hour), but it is readable as it grows: the
recorder writes each fragment as it is made. So the open file of the camera's recording counts too, up to
now. Nothing here is fetched from the archive: the last 30 seconds of a recording camera are on this disk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from video_streaming.catalog import Catalog
from video_streaming.domain.camera import parse_segment_file_name


@dataclass(frozen=True)
class FootagePart:
    path: Path
    start: datetime
    duration: float  # seconds; for the file being written, up to now
    growing: bool = False  # the recorder is still writing it

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration)


def recent_footage(
    catalog: Catalog, camera_id: str, since: datetime, now: datetime, open_folder: Path | None = None
) -> list[FootagePart]:
    """The local footage of `camera_id` that overlaps [since, now], oldest first: closed segments from the
    catalog, then the file being written in `open_folder` (the camera's recording folder, if it records)."""
    parts = [
        FootagePart(Path(row.local_path), row.start, row.duration)
        for row in catalog.segments(camera_id=camera_id, since=since, until=now)
        if row.local_path and Path(row.local_path).is_file() and row.duration > 0
    ]
    if open_folder is not None and open_folder.is_dir():
        files = [(parse_segment_file_name(file.name), file) for file in open_folder.glob("*.mp4")]
        named = [(parsed[0], file) for parsed, file in files if parsed is not None]
        if named:
            start, newest = max(named)  # the recorder writes one file at a time: its newest
            closed = {Path(row.local_path).name for row in catalog.segments(camera_id=camera_id, since=start)
                      if row.local_path}  # fmt: skip
            if newest.name not in closed and start < now and newest.stat().st_size > 0:
                parts.append(FootagePart(newest, start, (now - start).total_seconds(), growing=True))
    return sorted((part for part in parts if part.end > since), key=lambda part: part.start)
