"""Retention on the port fakes: what is past its deadline and safe in the archive goes; footage only on this
disk stays and is told; the size cap takes the oldest first and skips what the archive locks; a delete the
archive refuses keeps the recording listed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.unit.fakes import FakeStorage
from tests.unit.recordings import archived, camera, keys_of
from video_streaming.catalog import Catalog
from video_streaming.domain.camera import recording_prefix, segment_file_name
from video_streaming.ports import StoredObject
from video_streaming.retention import RetentionEnforcer

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def listed(catalog: Catalog) -> set[str]:
    """The recordings the browser lists (a removed one keeps its row, marked deleted, for the audit trail)."""
    return {row.id for row in catalog.recordings(None)}


@pytest.fixture
def catalog() -> Iterator[Catalog]:
    made = Catalog(":memory:")
    yield made
    made.close()


async def test_expired_and_archived_goes_and_footage_only_on_this_disk_stays(catalog: Catalog, tmp_path: Path) -> None:
    storage = FakeStorage()
    gate = camera(catalog, "Gate")
    gone = archived(catalog, storage, tmp_path, gate, T0)
    local_only = archived(catalog, storage, tmp_path, gate, T0 + timedelta(minutes=2), uploaded=False)
    gone_keys = keys_of(catalog, gone)

    early = await RetentionEnforcer(catalog, storage, clock=lambda: T0 + timedelta(hours=23)).sweep()
    assert early.expired == early.unarchived == [] and early.objects_deleted == 0, "nothing is due yet"

    report = await RetentionEnforcer(catalog, storage, clock=lambda: T0 + timedelta(days=1, minutes=5)).sweep()
    assert report.expired == [gone] and report.unarchived == [local_only]
    assert report.objects_deleted == 1 and not gone_keys & set(storage.objects)
    assert listed(catalog) == {local_only}
    assert all(Path(s.local_path).is_file() for s in catalog.segments(local_only))


async def test_the_size_cap_takes_the_oldest_first_and_skips_what_the_archive_locks(
    catalog: Catalog, tmp_path: Path
) -> None:
    storage = FakeStorage(object_lock=True)
    dock = camera(catalog, "Dock", max_bytes=2500)  # three recordings of 1000 bytes: one must go
    oldest, middle, newest = (archived(catalog, storage, tmp_path, dock, T0 + timedelta(minutes=m)) for m in (0, 2, 4))
    for key in keys_of(catalog, oldest):
        storage.locks[key] = T0 + timedelta(days=30)
    sweep = RetentionEnforcer(catalog, storage, clock=lambda: T0 + timedelta(hours=1))  # before any deadline

    dry = await sweep.sweep(dry_run=True)
    assert dry.over_cap == [middle] and dry.locked == [oldest] and dry.objects_deleted == 0
    assert listed(catalog) == {oldest, middle, newest}, "a dry run deletes nothing"

    report = await sweep.sweep()
    assert report.over_cap == [middle] and report.locked == [oldest] and report.expired == []
    assert listed(catalog) == {oldest, newest}
    assert keys_of(catalog, oldest) <= set(storage.objects)


async def test_a_delete_the_archive_refuses_keeps_the_recording_listed(catalog: Catalog, tmp_path: Path) -> None:
    storage = FakeStorage(object_lock=True)
    yard = camera(catalog, "Yard")
    held = archived(catalog, storage, tmp_path, yard, T0)
    for key in keys_of(catalog, held):  # locked for longer than the recording's own deadline
        storage.locks[key] = T0 + timedelta(days=7)

    report = await RetentionEnforcer(catalog, storage, clock=lambda: T0 + timedelta(days=2)).sweep()
    assert report.expired == [] and report.locked == [held] and report.errors == []
    assert listed(catalog) == {held} and keys_of(catalog, held) <= set(storage.objects)


async def test_the_size_cap_never_takes_a_recording_another_workstation_made(catalog: Catalog, tmp_path: Path) -> None:
    """Recordings merged from the shared archive are expired by the recorder that made them: they neither
    count against this camera's cap nor are taken for it, though they are the oldest."""
    storage = FakeStorage()
    dock = camera(catalog, "Dock", max_bytes=2500)
    theirs = {}
    for minutes in (0, 2):  # another workstation recorded the same camera first
        start = T0 + timedelta(minutes=minutes)
        key = recording_prefix(dock.key, uuid.uuid4(), start) + segment_file_name(start)
        storage.objects[key] = b"y" * 1000
        theirs[key] = start
    merged = catalog.merge_archive_listing([StoredObject(key, 1000, "etag", start) for key, start in theirs.items()])
    assert len(merged.recordings) == 2
    ours = [archived(catalog, storage, tmp_path, dock, T0 + timedelta(minutes=m)) for m in (4, 6, 8)]

    report = await RetentionEnforcer(catalog, storage, clock=lambda: T0 + timedelta(hours=1)).sweep()
    assert report.over_cap == [ours[0]], "only this machine's 3000 bytes count against its 2500-byte cap"
    assert set(theirs) <= set(storage.objects), "another workstation's footage was deleted"
    assert len(listed(catalog)) == 4
