"""Removing a recording for good: the operator's delete, and the same steps for retention's expiry.

The archive copies go first, newest first (under S3 object lock the newest segment unlocks last, so a
locked recording is refused before any of it goes), then the local files, then the catalog entry; an
upload that finished meanwhile is removed too. A recording under a retention lock or a bookmark is
refused before anything is touched, and every attempt is audited."""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from video_streaming.catalog import Catalog, RecordingRow, SegmentRow, SegmentState
from video_streaming.domain.clock import Clock, utc_now
from video_streaming.domain.errors import InvalidInput, RetentionLocked, VidStreamError
from video_streaming.ports import ArchiveStorage

log = logging.getLogger(__name__)


async def remove_late_uploads(storage: ArchiveStorage, prefix: str, already: set[str]) -> None:
    """After a recording is marked deleted: remove what its prefix gained since it was listed (an upload that
    finished in between). Later uploads see the mark and remove themselves (Archiver)."""
    if not prefix:
        return
    try:
        for item in await storage.list_files(prefix):
            if item.key not in already:
                await storage.delete_file(item.key)
    except VidStreamError as error:
        log.warning("a segment uploaded during the delete of %s may remain in the archive: %s", prefix, error)



@dataclass(frozen=True)
class Removed:
    archived_objects: int
    local_files: int


async def remove_recording(catalog: Catalog, storage: ArchiveStorage, row: RecordingRow, now: datetime) -> Removed:
    """The archive's copies (raises what the archive raises: RetentionLocked, or an error, and then the
    catalog still lists the recording), the local files, and the catalog's mark, in that order."""
    segments = await asyncio.to_thread(catalog.segments, row.id)
    keys = {s.object_key for s in segments if s.state is SegmentState.ARCHIVED}
    if row.storage_prefix:
        keys |= {o.key for o in await storage.list_files(row.storage_prefix)}
    for key in sorted(keys, reverse=True):
        await storage.delete_file(key)
    local = await asyncio.to_thread(_remove_local, row, segments)
    await asyncio.to_thread(catalog.mark_recording_deleted, row.id, now)
    await remove_late_uploads(storage, row.storage_prefix, keys)
    return Removed(len(keys), local)


def _remove_local(row: RecordingRow, segments: list[SegmentRow]) -> int:
    removed = 0
    for segment in segments:
        if segment.local_path and Path(segment.local_path).is_file():
            Path(segment.local_path).unlink()
            removed += 1
    if row.local_dir and Path(row.local_dir).is_dir():
        shutil.rmtree(row.local_dir, ignore_errors=True)
    return removed


class RecordingDeletion:
    """The operator's delete of one recording (the desktop's Delete, `vidstream recordings delete`)."""

    def __init__(self, catalog: Catalog, storage: ArchiveStorage, *, clock: Clock = utc_now) -> None:
        self.catalog = catalog
        self.storage = storage
        self.clock = clock

    def blocker(self, row: RecordingRow, now: datetime | None = None) -> RetentionLocked | None:
        """Why `row` may not be deleted now, if it may not: a bookmark over it, or a retention lock (the
        recording's or its camera's) whose deadline has not passed."""
        moment = now or self.clock()
        ended = row.ended_at or moment
        marks = self.catalog.bookmarks(camera_ids=[row.camera_id], since=row.started_at, until=ended, limit=1)
        if marks:
            return RetentionLocked(f"this recording is kept by the bookmark {marks[0].name!r}",
                                   "remove the bookmark first (vidstream bookmark remove)")  # fmt: skip
        deadline = self.locked_until(row)
        if deadline is not None and moment < deadline:
            until = f"{deadline.astimezone():%Y-%m-%d %H:%M}"
            return RetentionLocked(f"{row.camera_name}'s recordings are under a retention lock until {until}",
                                   "they can be deleted after that date")  # fmt: skip
        return None

    def locked_until(self, row: RecordingRow) -> datetime | None:
        """The latest retention-lock deadline over `row` (its own lock, its camera's), None without a lock."""
        ended = row.ended_at or self.clock()
        camera = self.catalog.camera(row.camera_id)
        deadlines = []
        if row.locked:
            deadlines.append(row.to_recording().retention_policy.deadline(ended))
        if camera is not None and camera.retention.locked:
            deadlines.append(camera.retention.deadline(ended))
        return max(deadlines) if deadlines else None

    async def delete(self, recording_id: str, actor: str = "operator") -> Removed:
        """Raises InvalidInput (unknown, or still recording), RetentionLocked (refused, audited), or the
        archive's error (then nothing is marked deleted)."""
        row = await asyncio.to_thread(self.catalog.recording, recording_id)
        if row is None or row.status == "recording":
            raise InvalidInput("stop the recording before deleting it" if row else "no such recording")
        if (blocker := await asyncio.to_thread(self.blocker, row)) is not None:
            await asyncio.to_thread(self.catalog.audit, actor, "delete-refused", recording_id, blocker.message)
            raise blocker
        removed = await remove_recording(self.catalog, self.storage, row, self.clock())
        detail = (f"{row.camera_name} {row.started_at:%Y-%m-%d %H:%M:%S} UTC: {removed.archived_objects} archived, "
                  f"{removed.local_files} local")  # fmt: skip
        await asyncio.to_thread(self.catalog.audit, actor, "delete", recording_id, detail)
        return removed
