"""Cameras and finished recordings put straight into a catalog (and a fake archive), for the unit tests of
retention, the size cap and bookmarks."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

from tests.unit.fakes import FakeStorage
from video_streaming.catalog import Catalog
from video_streaming.domain.camera import Camera, recording_prefix, segment_file_name
from video_streaming.domain.recording import Recording
from video_streaming.domain.retention import RetentionPolicy


def camera(catalog: Catalog, name: str, max_bytes: int | None = None) -> Camera:
    """A camera that keeps its footage one day, and at most `max_bytes` of it."""
    made = dataclasses.replace(Camera.create(name, f"rtsp://127.0.0.1:8554/{name.lower()}"),
                               retention=RetentionPolicy(1, max_bytes=max_bytes))  # fmt: skip
    catalog.save_camera(made)
    return made


def archived(
    catalog: Catalog, storage: FakeStorage, tmp_path: Path, cam: Camera, start: datetime, *, uploaded: bool = True
) -> str:
    """A stopped one-minute recording of one 1000-byte segment, archived unless `uploaded` is False (then it
    exists only on this disk); returns its id."""
    recording = Recording(stream_id="s", retention_policy=cam.retention, camera_id=str(cam.id), started_at=start)
    recording.storage_path = recording_prefix(cam.key, recording.id, start)
    catalog.add_recording(recording, str(cam.id), "")
    local = tmp_path / str(recording.id) / segment_file_name(start)
    local.parent.mkdir()
    local.write_bytes(b"x" * 1000)
    key = recording.storage_path + local.name
    segment_id = catalog.add_segment(str(recording.id), str(cam.id), local, key, start, 60.0, 1000)
    if uploaded:
        storage.objects[key] = local.read_bytes()
        catalog.mark_archived(segment_id, "0" * 64, 1000)
    catalog.finish_recording(recording.id, "stopped", start + timedelta(seconds=60))
    return str(recording.id)


def keys_of(catalog: Catalog, recording_id: str) -> set[str]:
    return {s.object_key for s in catalog.segments(recording_id)}
