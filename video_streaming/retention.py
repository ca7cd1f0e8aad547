"""Retention: expire recordings whose time is up (archive and local disk), enforce per-camera size
caps, and guard the local disk. Nothing unarchived is ever deleted to make room, and nothing the archive
holds under object lock is reported as deleted."""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from video_streaming.catalog import Catalog, RecordingRow, SegmentState
from video_streaming.deletion import remove_recording
from video_streaming.domain.archive_key import SITE_MARKER
from video_streaming.domain.clock import Clock, utc_now
from video_streaming.domain.errors import RetentionLocked, VidStreamError
from video_streaming.ports import ArchiveStorage

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    expired: list[str] = field(default_factory=list)  # recording ids removed for age
    over_cap: list[str] = field(default_factory=list)  # recording ids removed for a camera's size cap
    # Recording ids kept because the archive still holds them under object lock; tried again next sweep.
    locked: list[str] = field(default_factory=list)
    # Recording ids past their deadline whose footage never reached the archive: kept, and the operator told.
    unarchived: list[str] = field(default_factory=list)
    # Recording ids a bookmark marks, which would otherwise have gone (age or size cap): kept until it is removed.
    bookmarked: list[str] = field(default_factory=list)
    objects_deleted: int = 0
    local_files_deleted: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False


def unarchived_alert(count: int) -> str:
    return (f"retention: {count} recording(s) are past their retention but never reached the archive; "
            "they are kept on this machine until archived (check the archive connection)")


class RetentionEnforcer:
    def __init__(self, catalog: Catalog, storage: ArchiveStorage, *, clock: Clock = utc_now) -> None:
        self.catalog = catalog
        self.storage = storage
        self.clock = clock

    async def sweep(self, dry_run: bool = False) -> SweepReport:
        report = SweepReport(dry_run=dry_run)
        now = self.clock()
        rows = await asyncio.to_thread(self.catalog.recordings, None, None, None, None, 1_000_000, 0, False)
        # Only what this recorder made, under its own policy: a recording merged from an archive (another
        # workstation's, or a remote site's `@site/` keys) is expired by the recorder that made it.
        finished = [row for row in rows if row.status != "recording" and row.recorded_here
                    and not row.storage_prefix.startswith(SITE_MARKER)]  # fmt: skip
        bookmarked = await asyncio.to_thread(self.catalog.bookmarked_recording_ids)
        for row in finished:
            if not row.to_recording().should_be_deleted(now):
                continue
            if row.id in bookmarked:
                report.bookmarked.append(row.id)
                continue
            if row.archived_segments < row.segments:  # some of it exists only here: never deleted, told instead
                report.unarchived.append(row.id)
                continue
            report.expired.append(row.id)
        already = {*report.expired, *report.unarchived, *report.bookmarked}
        for row in await self._over_size_caps(finished, already, bookmarked, now, report):
            report.over_cap.append(row.id)
        if dry_run:
            return report
        by_id = {row.id: row for row in finished}
        for recording_id in report.expired + report.over_cap:
            await self._delete_recording(by_id[recording_id], now, report)
        return report

    async def _over_size_caps(
        self, finished: list[RecordingRow], already: set[str], bookmarked: set[str], now: datetime,
        report: SweepReport,
    ) -> list[RecordingRow]:
        caps = {str(c.id): c.retention.max_bytes for c in self.catalog.cameras() if c.retention.max_bytes}
        doomed: list[RecordingRow] = []
        for camera_id, cap in caps.items():
            mine = [r for r in finished if r.camera_id == camera_id and r.id not in already]
            total = sum(r.size for r in mine)
            for row in sorted(mine, key=lambda r: r.started_at):  # oldest first
                if total <= (cap or 0):
                    break
                if row.locked or row.archived_segments < row.segments:
                    continue  # locked by policy, or not yet safe in the archive
                if row.id in bookmarked:  # still counts towards the cap: the camera's other footage goes first
                    report.bookmarked.append(row.id)
                    continue
                # The cap removes footage before its deadline, which is what an archive lock forbids. A locked
                # recording is skipped and reported, never deleted with a governance bypass: the lock is there
                # so that no automated process can shorten retention, and a sweep that bypassed it would make
                # it worthless. Lifting a governance lock stays a deliberate act of an archive administrator.
                try:
                    until = await self._archive_lock(row)
                except VidStreamError as error:
                    report.errors.append(f"{row.id}: {error}")
                    break  # the archive cannot be asked; nothing of this camera's is removed this sweep
                if until is not None and until > now:
                    report.locked.append(row.id)
                    log.info("size cap of %s keeps recording %s: the archive locks it until %s",
                             row.camera_name, row.id, f"{until:%Y-%m-%d %H:%M:%S} UTC")  # fmt: skip
                    continue
                doomed.append(row)
                total -= row.size
        return doomed

    async def _archive_lock(self, row: RecordingRow) -> datetime | None:
        """Until when the archive locks the recording. Only its newest archived segment is asked: its lock is
        the latest (locks follow the recording's deadline), so one request tells for the whole recording; an
        older segment locked for longer is still caught when the archive refuses to delete it."""
        archived = await asyncio.to_thread(self.catalog.segments, row.id, SegmentState.ARCHIVED)
        return await self.storage.locked_until(archived[-1].object_key) if archived else None

    async def _delete_recording(self, row: RecordingRow, now: datetime, report: SweepReport) -> None:
        try:
            removed = await remove_recording(self.catalog, self.storage, row, now)
        except RetentionLocked as error:
            # The archive refuses (a lock longer than the recording's deadline, a legal hold, its clock behind
            # ours): not removed, so not reported as removed, and not an error either. Tried again next sweep.
            for listed in (report.expired, report.over_cap):
                if row.id in listed:
                    listed.remove(row.id)
            report.locked.append(row.id)
            log.info("retention keeps recording %s of %s: %s", row.id, row.camera_name, error)
            return
        except VidStreamError as error:
            report.errors.append(f"{row.id}: {error}")
            log.warning("retention could not delete %s from the archive yet: %s", row.id, error)
            return  # try again next sweep; the catalog still lists it
        report.objects_deleted += removed.archived_objects
        report.local_files_deleted += removed.local_files
        await asyncio.to_thread(
            self.catalog.audit,
            "retention",
            "expire",
            row.id,
            f"{row.camera_name} {row.started_at:%Y-%m-%d %H:%M}",
        )
        log.info("retention removed recording %s of %s", row.id, row.camera_name)


@dataclass(frozen=True)
class DiskState:
    free_bytes: int
    total_bytes: int
    low: bool


def disk_state(path: Path, min_free_bytes: int) -> DiskState:
    """Free space where recordings are written; `low` means new recordings must stop (never delete
    unarchived footage to make room)."""
    path.mkdir(parents=True, exist_ok=True)
    usage = shutil.disk_usage(path)
    return DiskState(usage.free, usage.total, usage.free < min_free_bytes)
