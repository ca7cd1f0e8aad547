"""Bookmarks on real servers: a bookmarked recording survives the retention sweep that removes its neighbours
(MediaMTX, ffmpeg, MinIO), and with S3 object lock its archived segments are under a legal hold from the
bookmark's creation until its removal (MinIO with a lock-enabled bucket)."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from datetime import timedelta

import pytest

from tests.fixtures.clock import TravelClock
from tests.fixtures.core import CoreFactory
from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from video_streaming.core import VidStreamCore
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import RetentionLocked
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera


@pytest.fixture
def locked_bucket(minio: S3Target) -> S3Target:
    """The shared MinIO with a fresh bucket created with object lock (as tests/integration/test_object_lock.py)."""
    target = dataclasses.replace(minio, bucket=f"lock-{secrets.token_hex(6)}")
    target.client().create_bucket(Bucket=target.bucket, ObjectLockEnabledForBucket=True)  # type: ignore[attr-defined]
    return target


async def record_three(core: VidStreamCore, mediamtx: MediaMTXServer) -> tuple[str, list[str]]:
    """One camera, three short recordings one after the other, all archived; returns (camera id, recording ids)."""
    camera_id = str(core.add_camera("Dock", mediamtx.endpoints.rtsp_url("cam1"), retention_days=1).value.id)
    recordings = []
    for _ in range(3):
        started = await core.record(camera_id)
        assert started.is_success, started.error
        await asyncio.sleep(2.5)  # footage to keep: about one 2 s segment
        await core.stop_recording(camera_id)
        recordings.append(str(started.value.id))
    assert await core.archiver.drain(timeout=30)
    return camera_id, recordings


def hold_status(target: S3Target, key: str) -> str:
    """The legal hold of the object's current version, straight from the server."""
    try:
        answer = target.client().get_object_legal_hold(Bucket=target.bucket, Key=key)  # type: ignore[attr-defined]
    except Exception as error:  # MinIO answers a version that never had a hold with an error
        if "NoSuchObjectLockConfiguration" in str(error) or "does not have" in str(error):
            return "OFF"
        raise
    return str(answer["LegalHold"]["Status"])


async def test_a_bookmarked_recording_survives_a_sweep_that_deletes_its_neighbours(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    clock = TravelClock()
    core = core_factory(minio, clock=clock)
    await core.start()
    camera_id, (before, marked, after) = await record_three(core, mediamtx)
    middle = core.catalog.recording(marked)
    assert middle is not None and middle.ended_at is not None
    outcome = await core.bookmarks.add("Forklift", [camera_id], middle.started_at + timedelta(seconds=0.5),
                                       middle.ended_at - timedelta(seconds=0.5), "pallet dropped")  # fmt: skip
    assert not outcome.supported, "a bucket without object lock holds nothing"
    prefixes = {rid: core.catalog.recording(rid).storage_prefix for rid in (before, marked, after)}  # type: ignore[union-attr]
    assert all([await core.storage.list_files(prefix) for prefix in prefixes.values()])

    clock.ahead_by(timedelta(days=3))
    report = await core.retention.sweep()
    assert sorted(report.expired) == sorted([before, after]) and report.bookmarked == [marked]
    assert report.errors == []
    for gone in (before, after):
        assert await core.storage.list_files(prefixes[gone]) == []
    kept = await core.storage.list_files(prefixes[marked])
    assert kept and len(kept) == len(core.catalog.segments(marked))
    assert [row.id for row in core.catalog.recordings(camera_id)] == [marked]


async def test_a_bookmark_puts_a_legal_hold_on_minio_and_its_removal_lifts_it(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, locked_bucket: S3Target
) -> None:
    core = core_factory(locked_bucket)
    await core.start()
    camera_id, (before, marked, after) = await record_three(core, mediamtx)
    # The range lies inside the middle recording's longest segment (trimmed at both ends): segment starts
    # come from whole-second file names, so a range over the recording's own times may miss a short tail.
    longest = max(core.catalog.segments(marked), key=lambda segment: segment.duration)
    start, end = longest.start + timedelta(seconds=0.1), longest.end - timedelta(seconds=0.1)
    assert start < end, longest
    # What the catalog says the range holds: that segment, perhaps a neighbour's segment touching it.
    held_keys = sorted({s.object_key for s in core.catalog.segments(None, None, camera_id, start, end)})
    assert longest.object_key in held_keys
    all_keys = {s.object_key for rid in (before, marked, after) for s in core.catalog.segments(rid)}
    other_keys = sorted(all_keys - set(held_keys))
    assert other_keys, "the neighbours have footage outside the range"
    assert {hold_status(locked_bucket, key) for key in all_keys} == {"OFF"}

    outcome = await core.bookmarks.add("Incident", [camera_id], start, end)
    assert outcome.supported and outcome.held == len(held_keys) and outcome.errors == []
    assert {hold_status(locked_bucket, key) for key in held_keys} == {"ON"}
    assert {hold_status(locked_bucket, key) for key in other_keys} == {"OFF"}, "only the bookmarked range is held"
    with pytest.raises(RetentionLocked, match="legal hold"):
        await core.storage.delete_file(held_keys[0])

    await core.bookmarks.remove(str(outcome.bookmark.id))
    assert {hold_status(locked_bucket, key) for key in held_keys} == {"OFF"}
    assert await core.bookmarks.search() == []
    actions = [action for _, _, action, _, _ in core.catalog.audit_log()]
    assert actions[:2] == ["bookmark-remove", "bookmark-add"]


async def test_a_bookmark_made_before_recording_holds_each_segment_as_it_is_archived(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, locked_bucket: S3Target
) -> None:
    core = core_factory(locked_bucket)
    await core.start()
    camera_id = str(core.add_camera("Gate", mediamtx.endpoints.rtsp_url("cam1"), retention_days=1).value.id)
    now = utc_now()
    await core.bookmarks.add("Watch the gate", [camera_id], now, now + timedelta(hours=1))
    started = await core.record(camera_id)
    assert started.is_success, started.error
    await asyncio.sleep(4.5)
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    keys = [s.object_key for s in core.catalog.segments(str(started.value.id))]
    assert len(keys) >= 2

    # Each hold follows its upload on the loop; the archiver's drain does not wait for it.
    await until(lambda: {hold_status(locked_bucket, key) for key in keys} == {"ON"}, 10,
                "every archived segment under a legal hold")  # fmt: skip
