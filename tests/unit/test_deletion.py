"""The operator's delete of a recording, on a `:memory:` catalog with the storage port faked: refused while
it records, under a bookmark or a retention lock (audited), else archive copies, local files and the catalog
entry all go (audited). The deadline shown in the browser is the domain's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.unit.fakes import FakeStorage
from tests.unit.test_archiver import recorded_segments
from video_streaming.bookmarks import BookmarkService
from video_streaming.catalog import Catalog
from video_streaming.deletion import RecordingDeletion
from video_streaming.domain.camera import Camera
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import InvalidInput, RetentionLocked
from video_streaming.domain.retention import RetentionPolicy


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(":memory:")


async def test_refused_while_recording_under_a_bookmark_and_under_a_lock_then_deleted_and_audited(
    catalog: Catalog, tmp_path: Path
) -> None:
    storage = FakeStorage()
    recording, files = recorded_segments(catalog, tmp_path, 2)
    rid = str(recording.id)
    for segment in catalog.segments(rid):
        await storage.upload_file(segment.local_path or "", segment.object_key)
    deletion = RecordingDeletion(catalog, storage)
    with pytest.raises(InvalidInput, match="stop the recording"):
        await deletion.delete(rid)

    ended = utc_now()
    catalog.finish_recording(rid, "stopped", ended)
    row = catalog.recording(rid)
    assert row is not None and row.delete_after == ended + timedelta(days=7)  # the domain's deadline

    marks = BookmarkService(catalog, storage)
    mark = await marks.add("Break-in", [row.camera_id], row.started_at, ended)
    with pytest.raises(RetentionLocked, match="bookmark 'Break-in'"):
        await deletion.delete(rid)
    await marks.remove(str(mark.bookmark.id))

    camera = catalog.camera(row.camera_id)
    assert camera is not None
    catalog.save_camera(Camera(camera.name, camera.source, camera.id, None, RetentionPolicy(7, locked=True)))
    with pytest.raises(RetentionLocked, match="retention lock until"):
        await deletion.delete(rid)
    assert all(path.exists() for path in files) and len(storage.objects) == 2, "a refused delete touched something"
    assert deletion.blocker(row, now=ended + timedelta(days=8)) is None  # after the deadline it may go

    catalog.save_camera(Camera(camera.name, camera.source, camera.id, None, RetentionPolicy(7)))
    removed = await deletion.delete(rid, actor="alice")
    assert (removed.archived_objects, removed.local_files) == (2, 2)
    assert storage.objects == {} and not any(path.exists() for path in files)
    assert catalog.is_recording_deleted(rid)
    actions = [(entry[1], entry[2]) for entry in catalog.audit_log() if entry[3] == rid]
    assert ("alice", "delete") in actions and actions.count(("operator", "delete-refused")) == 2  # bookmark, lock
