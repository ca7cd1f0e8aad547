"""Retention deletes only what this recorder made, never footage the archive does not hold yet, and a delete
that races an upload still removes the uploaded object (#15). Real MediaMTX, ffmpeg and MinIO."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from tests.fixtures.clock import TravelClock
from tests.fixtures.core import CoreFactory, s3_storage
from tests.fixtures.servers import S3Target
from video_streaming.catalog import SegmentState
from video_streaming.core import VidStreamCore
from video_streaming.deletion import remove_late_uploads
from video_streaming.domain.clock import utc_now
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera


async def record_briefly(core: VidStreamCore, mediamtx: MediaMTXServer, days: int) -> tuple[str, str]:
    camera_id = str(core.add_camera("Roof", mediamtx.endpoints.rtsp_url("cam1"), retention_days=days).value.id)
    started = await core.record(camera_id)
    assert started.is_success, started.error
    await asyncio.sleep(3)
    await core.stop_recording(camera_id)
    return camera_id, str(started.value.id)


async def test_a_workstation_never_expires_recordings_merged_from_the_archive(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path
) -> None:
    recorder = core_factory(minio, data_dir=tmp_path / "recorder")
    await recorder.start()
    _, recording_id = await record_briefly(recorder, mediamtx, days=365)
    assert await recorder.archiver.drain(timeout=20)
    prefix = recorder.catalog.recording(recording_id).storage_prefix  # type: ignore[union-attr]
    stored = await recorder.storage.list_files(prefix)
    assert stored

    clock = TravelClock()
    workstation = core_factory(minio, data_dir=tmp_path / "workstation", clock=clock)
    added, errors = await workstation.refresh_archive(2)
    assert (added, errors) == (1, {})
    clock.ahead_by(timedelta(days=40))
    report = await workstation.retention.sweep()
    assert report.expired == [] and report.over_cap == [] and report.objects_deleted == 0
    assert await workstation.storage.list_files(prefix) == stored, "a workstation deleted another's recording"


async def test_footage_that_never_reached_the_archive_is_kept_and_reported(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    clock = TravelClock()
    # Not started: its archiver uploads nothing, as with an archive down for days.
    core = core_factory(minio, clock=clock)
    _, recording_id = await record_briefly(core, mediamtx, days=1)
    segments = core.catalog.segments(recording_id)
    assert segments and all(s.state is SegmentState.CLOSED for s in segments)
    clock.ahead_by(timedelta(days=3))
    report = await core.retention.sweep()
    assert report.expired == [] and report.unarchived == [recording_id]
    assert all(Path(s.local_path).is_file() for s in core.catalog.segments(recording_id) if s.local_path)
    assert core.catalog.recordings(camera_id=None)[0].id == recording_id, "the recording is still listed"


async def test_a_delete_during_the_upload_removes_the_object_once_uploaded(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    core = core_factory(minio)  # not started: the upload below is the only one
    _, recording_id = await record_briefly(core, mediamtx, days=30)
    segment = core.catalog.segments(recording_id)[0]
    # The delete listed the archive while this segment was still uploading (nothing there yet) and marked the
    # recording deleted; the upload then completes.
    assert await core.storage.list_files(segment.object_key) == []
    core.catalog.mark_recording_deleted(recording_id, utc_now())
    assert await core.archiver.archive_segment(segment)
    assert await core.storage.stat_file(segment.object_key) is None, "the deleted recording's segment stayed"
    assert not Path(segment.local_path or "/nonexistent").exists()


async def test_a_segment_that_lands_between_the_listing_and_the_mark_is_removed_too(minio: S3Target) -> None:
    storage = s3_storage(minio)
    prefix = "door-0a1b2c3d/2026/12/01/6bb90796-843d-49c3-806c-033a9bf4baa4/"
    listed = f"{prefix}20261201T120000Z-0.mp4"
    minio.client().put_object(Bucket=minio.bucket, Key=f"{prefix}20261201T120100Z-0.mp4", Body=b"late")  # type: ignore[attr-defined]
    minio.client().put_object(Bucket=minio.bucket, Key=listed, Body=b"locked, say")  # type: ignore[attr-defined]
    await remove_late_uploads(storage, prefix, {listed})
    assert [o.key for o in await storage.list_files(prefix)] == [listed], "only the late upload is removed"
