"""Segment close -> verified in S3, measured on a live recording through the real core (recorder ->
catalog -> archiver -> MinIO). A watcher polls the recordings folder every 10 ms; a segment's close time
is its file's final mtime, its verified time the catalog's `archived_at`."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import summary


class MtimeWatcher:
    """Polls a folder tree every 10 ms and keeps each .mp4's last seen mtime (files vanish once archived)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.last_mtime: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mtime-watcher", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in self.root.rglob("*.mp4"):
                with contextlib.suppress(OSError):
                    self.last_mtime[path.name + "@" + path.parent.name] = path.stat().st_mtime
            time.sleep(0.01)

    def __enter__(self) -> MtimeWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


async def close_to_verified(mediamtx: Any, minio: Any, work: Path, seconds: float, cameras: int) -> dict[str, Any]:
    from video_streaming.adapters.s3 import S3Storage
    from video_streaming.bootstrap import EmbeddedStack, build_core
    from video_streaming.config import RecordingSettings, Settings
    from video_streaming.secrets import SecretStore

    creds = minio.credentials
    storage = S3Storage(minio.endpoint_url, "bench-live", creds.access_key, creds.secret_key)
    await storage.ensure_bucket()
    settings = Settings(
        recording=RecordingSettings(segment_seconds=2, min_free_mb=1), data_dir=str(work / "core"), demo_cameras=0
    )
    store = SecretStore(work / "secrets.json", use_keyring=False)
    core = build_core(settings, store, EmbeddedStack(mediamtx, None), storage=storage)
    cataloged: dict[str, float] = {}
    add_segment = core.catalog.add_segment

    def timed_add_segment(recording_id: str, camera_id: str, local_path: Path, *args: Any, **kwargs: Any) -> int:
        cataloged[local_path.name + "@" + local_path.parent.name] = time.time()
        return add_segment(recording_id, camera_id, local_path, *args, **kwargs)

    core.catalog.add_segment = timed_add_segment  # type: ignore[method-assign]  # bench instrumentation only
    await core.start()
    camera_ids = []
    try:
        for index in range(cameras):
            added = core.add_camera(f"Bench {index + 1}", mediamtx.endpoints.rtsp_url("arc"))
            camera_ids.append(str(added.value.id))
        settings.recordings_path.mkdir(parents=True, exist_ok=True)
        with MtimeWatcher(settings.recordings_path) as watcher:
            for camera_id in camera_ids:
                result = await core.record(camera_id)
                if result.is_failure:
                    raise RuntimeError(f"recording did not start: {result.error}")
            await asyncio.sleep(seconds)
            for camera_id in camera_ids:
                await core.stop_recording(camera_id)
            drained = await core.archiver.drain(timeout=60)
            await asyncio.sleep(0.1)
    finally:
        await core.close()
    rows = (
        sqlite3.connect(settings.data_path / "catalog.sqlite3")
        .execute("SELECT file_name, object_key, archived_at, partial, local_path, recording_id FROM segments")
        .fetchall()
    )
    delays, to_catalog, catalog_to_verified, skipped = [], [], [], 0
    for file_name, _key, archived_at, partial, _local, recording_id in rows:
        key = f"{file_name}@{recording_id}"  # recordings live in a folder named after their id
        if archived_at is None or key not in watcher.last_mtime or partial:
            skipped += 1
            continue
        closed = watcher.last_mtime[key]
        delays.append((archived_at - closed) * 1000)
        if key in cataloged:
            to_catalog.append((cataloged[key] - closed) * 1000)
            catalog_to_verified.append((archived_at - cataloged[key]) * 1000)
    return {
        "cameras": cameras,
        "seconds": seconds,
        "segment_seconds": 2,
        "drained": drained,
        "segments": len(rows),
        "skipped": skipped,
        "delays_ms": delays,
        "summary": summary(delays),
        "close_to_cataloged": summary(to_catalog),
        "cataloged_to_verified": summary(catalog_to_verified),
    }
