"""The archiver and the catalog on `:memory:` with the storage port faked: back-off while the archive is down,
a failed verification keeps the local copy, one failed round instead of a failure per queued segment, and
primary-key lookups for cameras and retention terms."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.unit.fakes import FakeStorage
from video_streaming.archiver import Archiver
from video_streaming.catalog import Catalog, SegmentState
from video_streaming.domain.camera import Camera, recording_prefix, segment_file_name, segment_key_under
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import ServerUnreachable, VerificationFailed
from video_streaming.domain.recording import Recording
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.ports import UploadReceipt


class ScriptedStorage(FakeStorage):
    """Fails the first uploads with the given errors, then stores like the fake; records each attempt."""

    def __init__(self, failures: list[Exception], archiver: list[Archiver]) -> None:
        super().__init__()
        self.failures = failures
        self.attempts: list[tuple[str, float]] = []  # (key, the archiver's announced back-off at that moment)
        self._archiver = archiver

    async def upload(self, local_path: str, remote_path: str, **options: Any) -> UploadReceipt:
        self.attempts.append((remote_path, self._archiver[0].status.retry_in))
        if self.failures:
            raise self.failures.pop(0)
        return await super().upload(local_path, remote_path, **options)


def recorded_segments(catalog: Catalog, tmp_path: Path, count: int) -> tuple[Recording, list[Path]]:
    camera = Camera.create("Gate", "rtsp://cam.local/stream")
    catalog.save_camera(camera)
    recording = Recording(stream_id=None, retention_policy=RetentionPolicy(7), camera_id=str(camera.id))
    recording.storage_path = recording_prefix(camera.key, recording.id, recording.started_at)
    local_dir = tmp_path / recording.storage_path
    local_dir.mkdir(parents=True)
    catalog.add_recording(recording, str(camera.id), str(local_dir))
    files = []
    for n in range(count):
        start = recording.started_at + timedelta(seconds=2 * n)
        path = local_dir / segment_file_name(start)
        path.write_bytes(bytes([n]) * 1000)
        key = segment_key_under(recording.storage_path, path.name)
        catalog.add_segment(str(recording.id), str(camera.id), path, key, start, 2.0, 1000)
        files.append(path)
    return recording, files


def archiver_on(catalog: Catalog, failures: list[Exception], **options: Any) -> tuple[Archiver, ScriptedStorage]:
    holder: list[Archiver] = []
    storage = ScriptedStorage(failures, holder)
    archiver = Archiver(catalog, storage, min_backoff=0.01, max_backoff=0.04, **options)
    holder.append(archiver)
    return archiver, storage


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(":memory:")


async def test_uploads_are_retried_with_a_doubling_capped_back_off_and_the_file_stays_until_archived(
    catalog: Catalog, tmp_path: Path
) -> None:
    _, files = recorded_segments(catalog, tmp_path, 1)
    down = [ServerUnreachable("archive unreachable") for _ in range(4)]
    archiver, storage = archiver_on(catalog, down)
    archiver.start()
    try:
        assert await archiver.drain(timeout=10)
    finally:
        await archiver.stop()
    # The back-off announced before each retry: 0.01, 0.02, 0.04, then capped at max_backoff.
    assert [retry_in for _, retry_in in storage.attempts] == [0.0, 0.01, 0.02, 0.04, 0.04]
    [segment] = catalog.segments()
    assert segment.state is SegmentState.ARCHIVED and segment.attempts == 4
    assert not files[0].exists(), "the verified segment's local copy must go"
    assert storage.objects[segment.object_key] == bytes([0]) * 1000


async def test_a_failed_verification_keeps_the_local_copy_and_is_retried(catalog: Catalog, tmp_path: Path) -> None:
    _, files = recorded_segments(catalog, tmp_path, 1)
    archiver, storage = archiver_on(catalog, [VerificationFailed("seg.mp4: checksum mismatch after upload")])
    assert await archiver.archive_segment(catalog.segments()[0]) is False
    [segment] = catalog.segments()
    assert segment.state is SegmentState.CLOSED and files[0].exists()
    assert "checksum mismatch" in segment.last_error and "checksum mismatch" in archiver.status.last_error
    assert await archiver.archive_segment(segment) is True
    assert catalog.segments()[0].state is SegmentState.ARCHIVED and not files[0].exists()
    assert len(storage.attempts) == 2


async def test_a_dead_archive_costs_one_failed_upload_per_round_not_one_per_queued_segment(
    catalog: Catalog, tmp_path: Path
) -> None:
    recorded_segments(catalog, tmp_path, 5)
    archiver, storage = archiver_on(catalog, [ServerUnreachable("archive unreachable")], concurrency=1)
    archiver.start()
    try:
        assert await archiver.drain(timeout=10)
    finally:
        await archiver.stop()
    # One attempt failed and stopped that round; the next round archived all five.
    assert len(storage.attempts) == 6
    assert {s.state for s in catalog.segments()} == {SegmentState.ARCHIVED}


async def test_keep_local_archives_without_removing_the_file(catalog: Catalog, tmp_path: Path) -> None:
    _, files = recorded_segments(catalog, tmp_path, 2)
    archiver, _ = archiver_on(catalog, [], keep_local=True)
    results = await asyncio.gather(*(archiver.archive_segment(s) for s in catalog.segments()))
    assert results == [True, True] and all(f.exists() for f in files)


def test_camera_and_retention_lookups_by_key(catalog: Catalog, tmp_path: Path) -> None:
    recording, _ = recorded_segments(catalog, tmp_path, 3)
    other = Camera.create("Yard", "rtsp://cam.local/yard")
    catalog.save_camera(other)
    assert catalog.camera(other.id) == other
    assert catalog.camera(uuid.uuid4()) is None
    policy, ended = catalog.retention_terms(recording.id)  # type: ignore[misc]
    assert policy.days == 7 and ended is None
    ended_at = utc_now()
    catalog.finish_recording(recording.id, "stopped", ended_at)
    terms = catalog.retention_terms(recording.id)
    assert terms is not None and terms[1] is not None and abs((terms[1] - ended_at).total_seconds()) < 1e-3
    assert catalog.retention_terms(uuid.uuid4()) is None


class ReceiptStorage(FakeStorage):
    """Stores like the fake, then answers with its receipt changed by `alter`."""

    def __init__(self, **alter: Any) -> None:
        super().__init__()
        self.alter = alter

    async def upload(self, local_path: str, remote_path: str, **options: Any) -> UploadReceipt:
        return replace(await super().upload(local_path, remote_path, **options), **self.alter)


async def test_the_catalog_keeps_the_checksum_of_the_receipt_without_hashing_again(
    catalog: Catalog, tmp_path: Path
) -> None:
    recorded_segments(catalog, tmp_path, 1)
    from_the_store = "5" * 64  # not the file's SHA-256: a second pass in the archiver would show
    storage = ReceiptStorage(sha256=from_the_store)
    archiver = Archiver(catalog, storage)
    [segment] = catalog.segments()
    assert await archiver.archive_segment(segment) is True
    [archived] = catalog.segments()
    assert archived.state is SegmentState.ARCHIVED and archived.sha256 == from_the_store and archived.size == 1000
    # The upload carried the retention deadline (the recording still runs: the segment's end stands in).
    assert storage.retained_until[segment.object_key] == RetentionPolicy(7).deadline(segment.end)


@pytest.mark.parametrize("alter", [{"size": 999}, {"key": "other/key.mp4"}, {"sha256": ""}])
async def test_a_receipt_for_other_bytes_keeps_the_local_copy(
    catalog: Catalog, tmp_path: Path, alter: dict[str, Any]
) -> None:
    _, files = recorded_segments(catalog, tmp_path, 1)
    archiver = Archiver(catalog, ReceiptStorage(**alter))
    assert await archiver.archive_segment(catalog.segments()[0]) is False
    [segment] = catalog.segments()
    assert segment.state is SegmentState.CLOSED and files[0].exists()
    assert "receipt" in segment.last_error


async def test_a_segment_uploaded_before_a_crash_is_adopted_with_the_stored_checksum(
    catalog: Catalog, tmp_path: Path
) -> None:
    """The upload went through, then the app died before noting it and the file went: the archive's own
    record of the object (its size, the SHA-256 the upload stored with it) goes into the catalog."""
    _, files = recorded_segments(catalog, tmp_path, 1)
    storage = FakeStorage()
    [segment] = catalog.segments()
    await storage.upload(str(files[0]), segment.object_key)
    files[0].unlink()
    assert await Archiver(catalog, storage).archive_segment(segment) is True
    [adopted] = catalog.segments()
    assert adopted.state is SegmentState.ARCHIVED and adopted.local_path is None
    assert adopted.sha256 == hashlib.sha256(bytes([0]) * 1000).hexdigest() and adopted.size == 1000
