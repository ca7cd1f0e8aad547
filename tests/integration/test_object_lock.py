"""S3 object lock on real MinIO (a single-drive server supports it): uploads carry the recording's retention
deadline, the archive refuses early deletes, retention keeps and reports locked footage, deletes it (every
version) once the date has passed, and a bucket without object lock works as before."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.clock import TravelClock
from tests.fixtures.servers import S3Target
from video_streaming.adapters.s3 import S3Storage
from video_streaming.archiver import Archiver
from video_streaming.catalog import Catalog, SegmentRow
from video_streaming.domain.camera import Camera, recording_prefix, segment_file_name
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import InvalidInput, RetentionLocked, StorageFailed
from video_streaming.domain.recording import Recording
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.retention import RetentionEnforcer

MiB = 2**20


@pytest.fixture
def locked_bucket(minio: S3Target) -> S3Target:
    """The shared MinIO with a fresh bucket created with object lock (hence versioned)."""
    target = dataclasses.replace(minio, bucket=f"lock-{secrets.token_hex(6)}")
    target.client().create_bucket(Bucket=target.bucket, ObjectLockEnabledForBucket=True)  # type: ignore[attr-defined]
    return target


def storage(target: S3Target, **options: Any) -> S3Storage:
    """Files from 5 MiB on go up in parts, so both upload paths (one PUT, multipart) are locked."""
    return S3Storage(target.endpoint_url, target.bucket, target.access_key, target.secret_key,
                     part_size=5 * MiB, multipart_threshold=5 * MiB, **options)  # fmt: skip


def whole_seconds(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def record_requests(store: S3Storage) -> list[tuple[str, dict[str, str]]]:
    """(method, lower-cased headers) of every request the adapter sends from now on."""
    sent: list[tuple[str, dict[str, str]]] = []

    def remember(request: Any, **_: Any) -> None:
        headers = {k.lower(): v.decode() if isinstance(v, bytes) else str(v) for k, v in request.headers.items()}
        sent.append((request.method, headers))

    store.client.meta.events.register("before-send.s3", remember)
    return sent


def versions(target: S3Target, prefix: str) -> tuple[list[str], list[str]]:
    """(keys of stored versions, keys of delete markers) under `prefix`, straight from the server."""
    listing = target.client().list_object_versions(Bucket=target.bucket, Prefix=prefix)  # type: ignore[attr-defined]
    return [v["Key"] for v in listing.get("Versions", [])], [m["Key"] for m in listing.get("DeleteMarkers", [])]


async def test_uploads_are_locked_until_the_deadline_with_a_checksum(locked_bucket: S3Target, tmp_path: Path) -> None:
    store = storage(locked_bucket)
    assert await store.object_lock_mode() == "GOVERNANCE"
    small, large = tmp_path / "small.mp4", tmp_path / "large.mp4"
    small.write_bytes(b"frame" * 1000)
    large.write_bytes(bytes(range(256)) * (12 * 4096 + 7))  # three 5 MiB parts: the multipart path
    deadline = utc_now() + timedelta(days=30, microseconds=250_000)
    sent = record_requests(store)
    for path in (small, large):
        await store.upload(str(path), f"cam/{path.name}", retain_until=deadline)
        retention = locked_bucket.client().get_object_retention(Bucket=locked_bucket.bucket, Key=f"cam/{path.name}")  # type: ignore[attr-defined]
        assert retention["Retention"]["Mode"] == "GOVERNANCE"
        assert retention["Retention"]["RetainUntilDate"] == whole_seconds(deadline)
        assert await store.locked_until(f"cam/{path.name}") == whole_seconds(deadline)
    # S3 wants an integrity checksum on every PUT that sets (or belongs to an upload that sets) a lock.
    lock_starts = [headers for _, headers in sent if headers.get("x-amz-object-lock-mode") == "GOVERNANCE"]
    assert len(lock_starts) == 2  # the single PUT and CreateMultipartUpload
    puts = [headers for method, headers in sent if method == "PUT"]
    assert len(puts) == 4 and all(any(h.startswith("x-amz-checksum-") for h in headers) for headers in puts)


async def test_deleting_a_locked_object_is_refused_and_it_stays(locked_bucket: S3Target, tmp_path: Path) -> None:
    store = storage(locked_bucket)
    (tmp_path / "seg.mp4").write_bytes(b"evidence" * 100)
    deadline = utc_now() + timedelta(days=1)
    await store.upload(str(tmp_path / "seg.mp4"), "cam/seg.mp4", retain_until=deadline)

    with pytest.raises(RetentionLocked, match=f"until {whole_seconds(deadline):%Y-%m-%d %H:%M:%S} UTC"):
        await store.delete_file("cam/seg.mp4")
    # Not hidden behind a delete marker either: the footage is still there and still readable.
    assert versions(locked_bucket, "cam/") == (["cam/seg.mp4"], [])
    stored = await store.stat_file("cam/seg.mp4")
    assert stored is not None and stored.size == 800
    # The server itself refuses to delete the version, whatever client asks.
    client = locked_bucket.client()
    version = client.head_object(Bucket=locked_bucket.bucket, Key="cam/seg.mp4")["VersionId"]  # type: ignore[attr-defined]
    with pytest.raises(Exception, match=r"WORM|AccessDenied"):
        client.delete_object(Bucket=locked_bucket.bucket, Key="cam/seg.mp4", VersionId=version)  # type: ignore[attr-defined]
    assert await store.stat_file("cam/seg.mp4") is not None


async def test_a_date_already_past_uploads_unlocked_and_deletes_every_version(
    locked_bucket: S3Target, tmp_path: Path
) -> None:
    store = storage(locked_bucket)
    (tmp_path / "seg.mp4").write_bytes(b"late" * 100)
    for _ in range(2):  # an upload retried after a failed verification leaves two versions of one key
        await store.upload(str(tmp_path / "seg.mp4"), "cam/seg.mp4", retain_until=utc_now() - timedelta(hours=1))
    assert await store.locked_until("cam/seg.mp4") is None
    await store.delete_file("cam/seg.mp4")
    assert versions(locked_bucket, "cam/") == ([], [])
    await store.delete_file("cam/seg.mp4")  # deleting a missing object is not an error


@dataclasses.dataclass
class ArchivedRecording:
    catalog: Catalog
    camera: Camera
    recording: Recording
    segments: list[SegmentRow]


def archived_recording(tmp_path: Path, ended_at: datetime, running: bool = False) -> ArchivedRecording:
    """A one-day-retention recording of two small segments ending at `ended_at`, in a catalog, not yet uploaded."""
    catalog = Catalog(tmp_path / "catalog.db")
    created = Camera.create("Gate", "rtsp://127.0.0.1:8554/gate", retention_days=1)
    camera = dataclasses.replace(created, retention=RetentionPolicy(1, max_bytes=100))
    catalog.save_camera(camera)
    started_at = ended_at - timedelta(seconds=4)
    recording = Recording(stream_id="gate", retention_policy=camera.retention, camera_id=str(camera.id),
                          started_at=started_at)  # fmt: skip
    recording.storage_path = recording_prefix(camera.key, recording.id, started_at)
    catalog.add_recording(recording, str(camera.id), str(tmp_path / "rec"))
    segments = []
    for offset in (0, 2):
        start = started_at + timedelta(seconds=offset)
        local = tmp_path / "rec" / segment_file_name(start)
        local.parent.mkdir(exist_ok=True)
        local.write_bytes(secrets.token_bytes(600))
        segment_id = catalog.add_segment(str(recording.id), str(camera.id), local,
                                         recording.storage_path + local.name, start, 2.0, 600)  # fmt: skip
        segments.append(catalog.segment(segment_id))
    if not running:
        recording.stop(ended_at)
        catalog.finish_recording(recording.id, "stopped", ended_at)
    return ArchivedRecording(catalog, camera, recording, [s for s in segments if s is not None])


@pytest.fixture
def closing() -> Iterator[list[Catalog]]:
    catalogs: list[Catalog] = []
    yield catalogs
    for catalog in catalogs:
        catalog.close()


async def test_archiver_locks_segments_until_the_recording_deadline(
    locked_bucket: S3Target, tmp_path: Path, closing: list[Catalog]
) -> None:
    made = archived_recording(tmp_path / "ended", ended_at=utc_now() - timedelta(hours=1))
    running = archived_recording(tmp_path / "running", ended_at=utc_now(), running=True)
    closing += [made.catalog, running.catalog]
    store = storage(locked_bucket)
    for case in (made, running):
        archiver = Archiver(case.catalog, store)
        for segment in case.segments:
            assert await archiver.archive_segment(segment)
    for segment in made.segments:  # ended: the recording's own deadline, end + 1 day
        assert await store.locked_until(segment.object_key) == whole_seconds(made.recording.delete_after)  # type: ignore[arg-type]
    for segment in running.segments:  # still recording: the earliest its deadline can be
        assert await store.locked_until(segment.object_key) == whole_seconds(segment.end + timedelta(days=1))


async def test_retention_keeps_and_reports_locked_footage_then_deletes_it_after_the_date(
    locked_bucket: S3Target, tmp_path: Path, closing: list[Catalog]
) -> None:
    # Ended a day (the retention) minus 10 s ago: the archive's lock lifts 10 s from now in real time.
    made = archived_recording(tmp_path, ended_at=whole_seconds(utc_now()) - timedelta(days=1) + timedelta(seconds=10))
    closing.append(made.catalog)
    deadline = made.recording.delete_after
    assert deadline is not None
    store = storage(locked_bucket)
    archiver = Archiver(made.catalog, store)
    for segment in made.segments:
        assert await archiver.archive_segment(segment)
    prefix = made.recording.storage_path
    keys = sorted(s.object_key for s in made.segments)
    recording_id = str(made.recording.id)

    # Before the date, the camera's size cap (100 bytes) wants the space back: the lock wins, and says so.
    clock = TravelClock()
    clock.ahead_by(deadline - timedelta(seconds=30) - utc_now())
    enforcer = RetentionEnforcer(made.catalog, store, clock=clock)
    dry = await enforcer.sweep(dry_run=True)
    assert dry.locked == [recording_id] and dry.over_cap == []
    report = await enforcer.sweep()
    assert report.locked == [recording_id] and report.over_cap == report.expired == report.errors == []
    assert report.objects_deleted == 0 and versions(locked_bucket, prefix) == (keys, [])
    assert made.catalog.recordings(camera_id=str(made.camera.id))

    # Our clock says the deadline has passed, the archive's lock has not: kept and reported, not "expired".
    clock.ahead_by(deadline + timedelta(minutes=1) - utc_now())
    report = await enforcer.sweep()
    assert report.locked == [recording_id] and report.expired == [] and report.errors == []
    assert versions(locked_bucket, prefix) == (keys, [])
    assert made.catalog.recordings(camera_id=str(made.camera.id))

    # Once the date has passed for the archive too, retention deletes every version and leaves no marker.
    await asyncio.sleep(max(0.0, (deadline - utc_now()).total_seconds()) + 1.5)
    report = await enforcer.sweep()
    assert report.expired == [recording_id] and report.locked == [] and report.errors == []
    assert report.objects_deleted == 2 and versions(locked_bucket, prefix) == ([], [])
    assert made.catalog.recordings(camera_id=str(made.camera.id)) == []


async def test_a_bucket_without_object_lock_uploads_without_lock_headers(minio: S3Target, tmp_path: Path) -> None:
    store = storage(minio)
    assert await store.object_lock_mode() is None
    (tmp_path / "seg.mp4").write_bytes(b"plain" * 100)
    sent = record_requests(store)
    await store.upload(str(tmp_path / "seg.mp4"), "cam/seg.mp4", retain_until=utc_now() + timedelta(days=1))
    assert sent and not any(h.startswith("x-amz-object-lock") for _, headers in sent for h in headers)
    assert await store.locked_until("cam/seg.mp4") is None
    head = minio.client().head_object(Bucket=minio.bucket, Key="cam/seg.mp4")  # type: ignore[attr-defined]
    assert "ObjectLockMode" not in head
    await store.delete_file("cam/seg.mp4")
    assert await store.stat_file("cam/seg.mp4") is None


async def test_an_explicit_lock_mode_refuses_a_bucket_that_cannot_lock(minio: S3Target, tmp_path: Path) -> None:
    (tmp_path / "seg.mp4").write_bytes(b"x")
    with pytest.raises(StorageFailed, match="no object lock"):
        await storage(minio, object_lock="compliance").upload_file(str(tmp_path / "seg.mp4"), "seg.mp4")
    # "off" never locks, even where the bucket could.
    assert await storage(minio, object_lock="off").object_lock_mode() is None
    with pytest.raises(InvalidInput, match="object lock"):
        storage(minio, object_lock="always")


async def test_ensure_bucket_creates_a_lockable_bucket_only_when_a_mode_is_chosen(minio: S3Target) -> None:
    chosen = storage(dataclasses.replace(minio, bucket=f"gov-{secrets.token_hex(6)}"), object_lock="governance")
    await chosen.ensure_bucket()
    assert await chosen.object_lock_mode() == "GOVERNANCE"
    default = storage(dataclasses.replace(minio, bucket=f"auto-{secrets.token_hex(6)}"))
    await default.ensure_bucket()
    assert await default.object_lock_mode() is None
