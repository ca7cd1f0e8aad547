"""Archiver: closed segment -> upload -> verify -> catalog -> only then delete the local copy.

Retries with exponential back-off while the archive is unreachable; the queue is the catalog itself,
so it resumes after a restart with nothing lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from video_streaming.catalog import Catalog, SegmentRow, SegmentState
from video_streaming.domain.errors import VerificationFailed, VidStreamError
from video_streaming.ports import ArchiveStorage, UploadReceipt
from video_streaming.segment_integrity import segment_damage

log = logging.getLogger(__name__)
# Failures of the archive as a whole, not of one segment: the rest of a round would fail the same way.
_ARCHIVE_DOWN = {"unreachable", "unauthorized"}


@dataclass
class ArchiverStatus:
    pending: int = 0
    in_flight: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # id -> (name, sent, size)
    uploaded_segments: int = 0
    uploaded_bytes: int = 0
    last_error: str = ""
    retry_in: float = 0.0
    damaged: dict[str, str] = field(default_factory=dict)  # object key -> what is wrong with it (archived as is)


class Archiver:
    def __init__(
        self,
        catalog: Catalog,
        storage: ArchiveStorage,
        *,
        concurrency: int = 2,
        keep_local: bool = False,
        min_backoff: float = 0.5,
        max_backoff: float = 30.0,
    ) -> None:
        self.catalog = catalog
        self.storage = storage
        self.concurrency = concurrency
        self.keep_local = keep_local
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.status = ArchiverStatus()
        # Told about a segment found damaged on disk before upload (it is archived as it is, nothing is dropped).
        self.on_damaged: Callable[[SegmentRow, str], None] | None = None
        # Told once a segment is verified in the archive (the recordings browser shows it "archived" at once).
        self.on_archived: Callable[[SegmentRow], None] | None = None
        self._archive_down = False
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="archiver")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """A segment closed: look at the queue now rather than at the next tick."""
        self._wake.set()

    async def drain(self, timeout: float) -> bool:
        """Wait until nothing is waiting for upload. True when drained within `timeout`."""
        self.wake()
        try:
            async with asyncio.timeout(timeout):
                while self.catalog.pending_upload_count() > 0 or self.status.in_flight:
                    self._idle.clear()
                    self.wake()
                    await self._idle.wait()
        except TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        while True:
            try:
                await self._archive_forever()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not end archiving for the rest of the day
                log.exception("archiver loop failed; restarting it in 5 s")
                self.status.last_error = "internal error in the archiver (see the log)"
                await asyncio.sleep(5)

    async def _archive_forever(self) -> None:
        backoff = self.min_backoff
        while True:
            pending = await asyncio.to_thread(self.catalog.segments, None, SegmentState.CLOSED, None, None, None, 64)
            self.status.pending = len(pending)
            if not pending:
                self._idle.set()
                self._wake.clear()
                await _wait_for_event(self._wake, 5.0)
                continue
            results = await self._upload_batch(pending)
            if any(not ok for ok in results):
                self.status.retry_in = backoff
                self._idle.set()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
            else:
                backoff = self.min_backoff
                self.status.retry_in = 0.0
                self.status.last_error = ""

    async def _upload_batch(self, segments: list[SegmentRow]) -> list[bool]:
        semaphore = asyncio.Semaphore(self.concurrency)
        self._archive_down = False

        async def one(segment: SegmentRow) -> bool:
            async with semaphore:
                if self._archive_down:  # wait for the back-off instead of failing every queued segment
                    return False
                return await self.archive_segment(segment)

        return list(await asyncio.gather(*(one(segment) for segment in segments)))

    async def archive_segment(self, segment: SegmentRow) -> bool:
        local = Path(segment.local_path) if segment.local_path else None
        if local is None or not local.exists():
            # Not on disk: maybe a previous run uploaded it and crashed before noting it.
            return await self._adopt_if_archived(segment)
        size = local.stat().st_size
        self.status.in_flight[segment.id] = (segment.file_name, 0, size)

        def progress(sent: int) -> None:
            name, done, total = self.status.in_flight.get(segment.id, (segment.file_name, 0, size))
            self.status.in_flight[segment.id] = (name, done + sent, total)

        try:
            # The catalog and disk work around an upload runs in one worker-thread call before it and one after
            # it: each hop to a thread and back waits for a core, which on a loaded machine costs milliseconds.
            damage, retain_until = await asyncio.to_thread(self._before_upload, segment, local)
            self._report_damage(segment, damage)
            receipt = await self.storage.upload(str(local), segment.object_key, progress=progress,
                                                retain_until=retain_until)  # fmt: skip
            _check_receipt(receipt, segment, size)
        except (VidStreamError, OSError) as error:
            if isinstance(error, OSError):  # the local disk failed us (unreadable file): retried like the rest
                error = VidStreamError(f"cannot read {segment.file_name}: {error.strerror or error}",
                                       "check the recordings disk")  # fmt: skip
            self._archive_down = self._archive_down or error.kind in _ARCHIVE_DOWN
            self.status.last_error = str(error)
            await asyncio.to_thread(self.catalog.mark_upload_failed, segment.id, str(error))
            log.warning("upload of %s failed, will retry: %s", segment.file_name, error)
            return False
        finally:
            self.status.in_flight.pop(segment.id, None)
        if await asyncio.to_thread(self._record_archived, segment, receipt, local):
            await self._remove_deleted(segment, local)  # deleted while this upload ran: finish the delete
            return True
        self.status.uploaded_segments += 1
        self.status.uploaded_bytes += size
        if self.on_archived is not None:
            self.on_archived(segment)
        return True

    async def _remove_deleted(self, segment: SegmentRow, local: Path) -> None:
        """The recording was deleted (by the operator or retention) while this segment uploaded: the delete
        listed the archive before the object existed, so the object is removed here."""
        try:
            await self.storage.delete_file(segment.object_key)
        except VidStreamError as error:  # a lock or an outage: the object stays, and the log says so
            log.warning("segment %s of a deleted recording stays in the archive: %s", segment.file_name, error)
            return
        local.unlink(missing_ok=True)
        await asyncio.to_thread(self.catalog.mark_segment_expired, segment.id)
        log.info("removed segment %s of a recording deleted during its upload", segment.file_name)

    def _retain_until(self, segment: SegmentRow) -> datetime | None:
        """The recording's retention deadline once it has ended. While it still records, its end is not known:
        the segment's own end stands in, the earliest the deadline can be, so an archive lock never outlasts
        the deadline and never stands in the way of the retention sweep (the lock is a floor, not the rule)."""
        terms = self.catalog.retention_terms(segment.recording_id)
        if terms is None:
            return None
        policy, ended_at = terms
        return policy.deadline(ended_at or segment.end)

    def _before_upload(self, segment: SegmentRow, local: Path) -> tuple[str | None, datetime | None]:
        """(what is wrong with the file on disk, None if nothing or already told; the retention date)."""
        damage = None
        if segment.object_key not in self.status.damaged:
            damage = segment_damage(local, recorded_size=segment.size, partial=segment.partial)
        return damage, self._retain_until(segment)

    def _report_damage(self, segment: SegmentRow, damage: str | None) -> None:
        """A file cut short or garbled on disk is still archived (it is all there is of that moment), but the
        operator is told, once per segment."""
        if damage is None:
            return
        log.error("segment %s is damaged: %s", segment.object_key, damage)
        self.status.damaged[segment.object_key] = damage
        if self.on_damaged is not None:
            self.on_damaged(segment, damage)

    def _record_archived(self, segment: SegmentRow, receipt: UploadReceipt, local: Path) -> bool:
        """Verified by the store, and its receipt is for this file: record it, then (and only then) remove the
        local copy. The SHA-256 is the one the upload computed and the store checked, not a second pass.
        True when the recording was deleted meanwhile (the local copy then stays for `_remove_deleted`)."""
        self.catalog.mark_archived(segment.id, receipt.sha256, receipt.size)
        if self.catalog.is_recording_deleted(segment.recording_id):
            return True
        if not self.keep_local:
            local.unlink(missing_ok=True)
            self.catalog.mark_local_removed(segment.id)
        return False

    async def _adopt_if_archived(self, segment: SegmentRow) -> bool:
        try:
            stored = await self.storage.stat_file(segment.object_key)
        except VidStreamError as error:
            self.status.last_error = str(error)
            return False
        if stored is not None and stored.size > 0:
            await asyncio.to_thread(self.catalog.mark_archived, segment.id, stored.sha256, stored.size)
            await asyncio.to_thread(self.catalog.mark_local_removed, segment.id)
            return True
        log.error("segment %s is neither on disk nor in the archive", segment.file_name)
        await asyncio.to_thread(self.catalog.mark_missing, segment.id)
        return True


def _check_receipt(receipt: UploadReceipt, segment: SegmentRow, size: int) -> None:
    """The store's receipt must name this segment's object and every byte of it: a file that changed size
    while it uploaded, or a store answering for another key, is not archived."""
    if receipt.key != segment.object_key or receipt.size != size or len(receipt.sha256) != 64:
        raise VerificationFailed(
            f"{segment.file_name}: the archive's receipt ({receipt.key}, {receipt.size} bytes) does not match the "
            f"segment ({segment.object_key}, {size} bytes)", "the upload is retried; the local copy is kept",
        )  # fmt: skip


async def _wait_for_event(event: asyncio.Event, timeout: float) -> None:
    # Not asyncio.wait_for: on Python 3.11 it can swallow a cancel that races with the event being set,
    # which left stop() waiting forever.
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()
