"""Behaviour of the recordings browser: reads the catalog, merges the archive, resolves what to play,
downloads and exports, shares links, deletes under the retention rules, and makes thumbnails.

Widgets stay thin and call this object; everything that touches the disk, the database or the network
runs in coroutines on the qasync loop (or on worker threads under them), so the window never waits."""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from video_streaming.bookmarks import HoldOutcome
from video_streaming.catalog import RecordingRow, SegmentRow, SegmentState
from video_streaming.core import CatalogChange, VidStreamCore
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import NotFound, RetentionLocked, VidStreamError
from video_streaming.evidence import EvidenceExport
from video_streaming.export import ExportResult, download_recording, export_range
from video_streaming.investigation_commands import export_signed
from video_streaming.share_links import DEFAULT_SHARE_SECONDS
from video_streaming.thumbnails import ThumbnailCache
from vidstream_desktop.recordings.model import RecordingQuery

log = logging.getLogger(__name__)

SPAN_JOIN_TOLERANCE_S = 1.5  # segments closer than this draw as one span
PLAYBACK_LINK_SECONDS = 6 * 3600  # archive links handed to the player outlive any viewing session


@dataclass(frozen=True)
class PlaybackItem:
    """One segment as the player sees it: where it sits in time and where its bytes are."""

    segment_id: int
    recording_id: str
    start: datetime
    duration: float
    local_path: str | None
    object_key: str
    archived: bool

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration)


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    state: str  # "local", "archived" or "recording"
    recording_id: str


@dataclass(frozen=True)
class TimelineData:
    camera_id: str
    start: datetime
    end: datetime
    spans: list[Span]
    gaps: list[tuple[datetime, datetime]]
    motion: list[tuple[datetime, datetime]] = field(default_factory=list)  # motion events, drawn as a band
    bookmarks: list[tuple[datetime, datetime, str]] = field(default_factory=list)  # (start, end, name)


class JobState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class DownloadJob:
    id: str
    title: str
    folder: Path
    recording_id: str | None = None
    camera_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    state: JobState = JobState.RUNNING
    done_bytes: int = 0
    total_bytes: int = 0
    result: ExportResult | None = None
    # A signed evidence package of several cameras (export_evidence): its target, and what was written.
    camera_ids: tuple[str, ...] = ()
    destination: Path | None = None
    overlay: bool = False
    evidence: EvidenceExport | None = None
    error_kind: str = ""
    error: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)
    task: asyncio.Task[Any] | None = None


def items_from_segments(segments: list[SegmentRow]) -> list[PlaybackItem]:
    usable = [s for s in segments if s.state in (SegmentState.CLOSED, SegmentState.ARCHIVED)]
    usable.sort(key=lambda s: (s.start, s.file_name))
    items = []
    for index, segment in enumerate(usable):
        duration = segment.duration
        if index + 1 < len(usable):  # the catalog's first-segment duration can overshoot the next start
            duration = min(duration, max((usable[index + 1].start - segment.start).total_seconds(), 0.1))
        archived = segment.state is SegmentState.ARCHIVED
        items.append(PlaybackItem(segment.id, segment.recording_id, segment.start, max(duration, 0.1),
                                  segment.local_path, segment.object_key, archived))  # fmt: skip
    return items


def spans_from_segments(segments: list[SegmentRow]) -> list[Span]:
    """Recorded stretches: consecutive segments of one recording in one state, drawn as one bar."""
    spans: list[Span] = []
    for item in items_from_segments(segments):
        state = "archived" if item.archived else "local"
        last = spans[-1] if spans else None
        if (last is not None and last.recording_id == item.recording_id and last.state == state
                and (item.start - last.end).total_seconds() <= SPAN_JOIN_TOLERANCE_S):  # fmt: skip
            spans[-1] = Span(last.start, max(last.end, item.end), state, last.recording_id)
        else:
            spans.append(Span(item.start, item.end, state, item.recording_id))
    return spans


class RecordingsController(QObject):
    error = Signal(str)  # something the operator must read
    status = Signal(str)  # transient news for the status line
    recordings_changed = Signal()  # the catalog gained or lost recordings
    catalog_changed = Signal(object)  # CatalogChange from the core: a recording started, grew, ended...
    download_added = Signal(object)  # DownloadJob
    download_changed = Signal(object)  # DownloadJob (progress or state); emitted from worker threads too

    def __init__(self, core: VidStreamCore, parent: QObject | None = None, *, cache_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.catalog = core.catalog
        self.cache_dir = cache_dir or core.catalog.path.parent / "cache"
        self.thumbnails = ThumbnailCache(self.cache_dir / "thumbnails", core.media_files)
        self.jobs: dict[str, DownloadJob] = {}
        self._job_ids = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()
        core.change_listeners.append(self._core_changed)

    def _core_changed(self, change: CatalogChange) -> None:
        self.catalog_changed.emit(change)  # a queued signal: safe from any thread the core calls from

    # ---- plumbing ----------------------------------------------------------------------------------

    def spawn(self, coroutine: Coroutine[Any, Any, Any], what: str = "") -> asyncio.Task[Any]:
        """Run `coroutine` on the loop; a failure becomes an error message instead of vanishing."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._tasks.discard(finished)
            if finished.cancelled() or (error := finished.exception()) is None:
                return
            if isinstance(error, VidStreamError):
                self.error.emit(f"{what}: {error}" if what else str(error))
            else:
                log.error("recordings task failed", exc_info=error)
                self.error.emit(f"{what}: {type(error).__name__}: {error}" if what else str(error))

        task.add_done_callback(done)
        return task

    async def shutdown(self) -> None:
        if self._core_changed in self.core.change_listeners:
            self.core.change_listeners.remove(self._core_changed)
        for job in self.jobs.values():
            job.cancel.set()
        me = asyncio.current_task()
        tasks = [t for t in self._tasks if not t.done() and t is not me]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ---- reading the catalog -----------------------------------------------------------------------

    def fetch_page(self, query: RecordingQuery, offset: int, limit: int) -> list[RecordingRow]:
        """For the model's worker thread."""
        return self.catalog.recordings_page(
            camera_ids=query.camera_ids or None, since=query.since, until=query.until,
            sort_key=query.sort_key, descending=query.descending, limit=limit, offset=offset,
        )  # fmt: skip

    def camera_choices(self) -> list[tuple[str, str]]:
        """(id, name) of the cameras to browse: this workstation's, then those only the archive knows
        (named by their archive key)."""
        cameras = [(str(c.id), c.name) for c in self.catalog.cameras()]
        known = {camera_id for camera_id, _ in cameras}
        return cameras + [(c, c) for c in self.catalog.recorded_camera_ids() if c not in known]

    async def count(self, query: RecordingQuery) -> int:
        return await asyncio.to_thread(
            self.catalog.count_recordings_matching, camera_ids=query.camera_ids or None, since=query.since,
            until=query.until,
        )  # fmt: skip

    async def timeline(self, camera_id: str, start: datetime, end: datetime) -> TimelineData:
        def read() -> TimelineData:
            segments = self.catalog.segments(camera_id=camera_id, since=start, until=end)
            spans = spans_from_segments(segments)
            now = utc_now()
            for row in self.catalog.recordings(camera_id=camera_id, since=start, until=end, status="recording"):
                # The segment being written is not in the catalog yet: draw it up to now.
                mine = [s for s in spans if s.recording_id == row.id]
                begin = max((s.end for s in mine), default=row.started_at)
                if now > begin:
                    spans.append(Span(begin, now, "recording", row.id))
            gaps = [(g0, g1 or now) for g0, g1 in self.catalog.gaps_between(camera_id, start, end)]
            motion = [] if self.core.motion is None else [
                (datetime.fromtimestamp(e.start, UTC), datetime.fromtimestamp(e.end, UTC) if e.end else now)
                for e in self.core.motion.store.events(camera_id, since=start, until=end, limit=20000)
            ]  # fmt: skip
            bookmarks = [(b.start, b.end, b.name) for b in self.catalog.bookmarks(camera_ids=[camera_id], since=start,
                                                                                  until=end)]  # fmt: skip
            return TimelineData(camera_id, start, end, sorted(spans, key=lambda s: s.start), gaps, motion, bookmarks)

        return await asyncio.to_thread(read)

    async def playback_at(self, camera_id: str, moment: datetime) -> tuple[list[PlaybackItem], int, float] | None:
        """What to play for "this camera at this moment": the segments of the recording holding `moment` (or
        the next one recorded after it, the same day), the index of the segment to start with, the offset."""

        def find() -> tuple[list[PlaybackItem], int, float] | None:
            around = self.catalog.segments(camera_id=camera_id, since=moment - timedelta(seconds=1),
                                           until=moment + timedelta(hours=24), limit=1)  # fmt: skip
            if not around:
                return None
            recording_id = around[0].recording_id
            items = items_from_segments(self.catalog.segments(recording_id=recording_id))
            if not items:
                return None
            for index, item in enumerate(items):
                if item.start <= moment < item.end or moment < item.start:
                    return items, index, max((moment - item.start).total_seconds(), 0.0)
            return items, len(items) - 1, 0.0

        return await asyncio.to_thread(find)

    async def recording_items(self, recording_id: str) -> list[PlaybackItem]:
        return items_from_segments(await asyncio.to_thread(self.catalog.segments, recording_id))

    async def resolve(self, item: PlaybackItem, prefer_archive: bool = False) -> str:
        """The local file while it exists, else a time-limited archive link (nothing is downloaded)."""
        if not prefer_archive and item.local_path and Path(item.local_path).is_file():
            return item.local_path
        if not item.archived:
            raise NotFound("this part of the recording is not on this disk and not archived yet")
        result = await self.core.service.recording_url(item.object_key, PLAYBACK_LINK_SECONDS)
        if result.error is not None:
            raise VidStreamError(result.error.message, result.error.hint)
        return result.value

    # ---- archive -----------------------------------------------------------------------------------

    async def refresh_from_archive(self) -> int:
        """Add the recordings the archives (this machine's and every site's) hold that this workstation's
        catalog does not know. Returns how many were added."""
        found, failures = await self.core.refresh_archive()
        if found:
            self.recordings_changed.emit()
        for site, problem in failures.items():  # the other archives were still merged
            self.error.emit(self.tr("Archive of {0} not listed: {1}").format(site or self.tr("this machine"), problem))
        if found == 0:
            self.status.emit(self.tr("The archive holds no recordings this workstation does not already list"))
        elif found == 1:
            self.status.emit(self.tr("1 recording found in the archive"))
        else:
            self.status.emit(self.tr("%Ln recordings found in the archive", "", found))
        return found

    async def share_links(self, items: list[PlaybackItem], expires_in: int = DEFAULT_SHARE_SECONDS) -> list[str]:
        return await self.core.share_links.links([item.object_key for item in items if item.archived], expires_in)

    # ---- delete ------------------------------------------------------------------------------------

    def deletion_blocker(self, row: RecordingRow, now: datetime | None = None) -> RetentionLocked | None:
        """Why `row` may not be deleted now (a bookmark, a retention lock), if it may not."""
        return self.core.deletion.blocker(row, now)

    async def bookmark(
        self, name: str, camera_ids: list[str], start: datetime, end: datetime, note: str = "", actor: str = "operator"
    ) -> HoldOutcome:
        """Through the core's bookmark service (saved, audited, held); the timelines re-read on the change."""
        outcome = await self.core.bookmarks.add(name, camera_ids, start, end, note, actor=actor)
        for camera_id in outcome.bookmark.camera_ids:
            self.core.changed("bookmark", camera_id)
        return outcome

    async def delete_recording(self, recording_id: str, actor: str = "operator") -> None:
        """The core's delete (archive copies, local files, catalog entry; audited). Raises RetentionLocked
        (refused), or the archive's error (then nothing is marked deleted)."""
        await self.core.deletion.delete(recording_id, actor)
        self.recordings_changed.emit()
        self.status.emit(self.tr("Recording deleted"))

    # ---- downloads and exports ---------------------------------------------------------------------

    def download(self, row: RecordingRow, folder: Path) -> DownloadJob:
        title = self.tr("{camera}, {start}").format(camera=row.camera_name,
                                                    start=f"{row.started_at.astimezone():%Y-%m-%d %H:%M}")  # fmt: skip
        job = DownloadJob(str(next(self._job_ids)), title, folder, recording_id=row.id)
        return self._start(job)

    def export(self, camera_id: str, start: datetime, end: datetime, folder: Path) -> DownloadJob:
        camera = self.catalog.camera(camera_id)
        name = camera.name if camera else camera_id
        begin, finish = f"{start.astimezone():%Y-%m-%d %H:%M:%S}", f"{end.astimezone():%H:%M:%S}"
        title = self.tr("{camera}, {start} – {end}").format(camera=name, start=begin, end=finish)
        job = DownloadJob(str(next(self._job_ids)), title, folder, camera_id=camera_id, start=start, end=end)
        return self._start(job)

    def export_evidence(
        self, camera_ids: list[str], start: datetime, end: datetime, destination: Path, overlay: bool = False
    ) -> DownloadJob:
        """Several cameras over one range into one signed package (a folder, or a ZIP by its name)."""
        begin, finish = f"{start.astimezone():%Y-%m-%d %H:%M:%S}", f"{end.astimezone():%H:%M:%S}"
        title = self.tr("Evidence: {count} camera(s), {start} – {end}").format(count=len(camera_ids), start=begin,
                                                                             end=finish)  # fmt: skip
        job = DownloadJob(str(next(self._job_ids)), title, destination.parent, start=start, end=end,
                          camera_ids=tuple(camera_ids), destination=destination, overlay=overlay)  # fmt: skip
        return self._start(job)

    def cancel(self, job_id: str) -> None:
        if (job := self.jobs.get(job_id)) is not None and job.state is JobState.RUNNING:
            job.cancel.set()

    def retry(self, job_id: str) -> DownloadJob | None:
        """Start a failed or cancelled job again: downloads resume from their `.part` files."""
        job = self.jobs.get(job_id)
        if job is None or job.state is JobState.RUNNING:
            return job
        job.cancel = threading.Event()
        job.state, job.error, job.error_kind, job.result = JobState.RUNNING, "", "", None
        return self._start(job, announce=False)

    def _start(self, job: DownloadJob, announce: bool = True) -> DownloadJob:
        self.jobs[job.id] = job
        if announce:
            self.download_added.emit(job)
        self.download_changed.emit(job)
        job.task = self.spawn(self._run(job))
        return job

    async def _run(self, job: DownloadJob) -> None:
        await asyncio.to_thread(job.folder.mkdir, parents=True, exist_ok=True)

        def progress(done: int, total: int) -> None:  # called from a download thread too: signals queue
            job.done_bytes, job.total_bytes = done, total
            self.download_changed.emit(job)

        try:
            if job.destination is not None:
                assert job.start is not None and job.end is not None
                job.evidence = await export_signed(
                    self.core, list(job.camera_ids), job.start, job.end, job.destination, progress, job.cancel,
                    overlay=job.overlay,
                )
                self.status.emit(self.tr("Signed {path}").format(path=job.evidence.path))
            elif job.recording_id is not None:
                job.result = await download_recording(self.core, job.recording_id, job.folder, progress, job.cancel,
                                                      cache_dir=self.cache_dir / "segments")  # fmt: skip
            else:
                assert job.camera_id is not None and job.start is not None and job.end is not None
                job.result = await export_range(self.core, job.camera_id, job.start, job.end, job.folder, progress,
                                                job.cancel, cache_dir=self.cache_dir / "segments")  # fmt: skip
            job.state = JobState.DONE
            if job.result is not None:
                self.status.emit(self.tr("Saved {path}").format(path=job.result.path))
        except VidStreamError as error:
            job.state = JobState.CANCELLED if error.kind == "cancelled" else JobState.FAILED
            job.error_kind, job.error = error.kind, str(error)
        except asyncio.CancelledError:
            job.state, job.error_kind, job.error = JobState.CANCELLED, "cancelled", self.tr("cancelled")
            self.download_changed.emit(job)
            raise
        self.download_changed.emit(job)

    # ---- thumbnails --------------------------------------------------------------------------------

    async def thumbnail(self, camera_id: str, moment: datetime) -> Path | None:
        """A small picture of `camera_id` at `moment` (cached), or None when nothing was recorded then."""
        segments = await asyncio.to_thread(self.catalog.segments, None, None, camera_id, moment, moment, 4)
        items = [i for i in items_from_segments(segments) if i.start <= moment < i.end + timedelta(seconds=1)]
        if not items:
            return None
        item = items[-1]
        offset = min(max((moment - item.start).total_seconds(), 0.0), max(item.duration - 0.2, 0.0))
        local = item.local_path and Path(item.local_path).is_file()
        key = item.object_key if item.archived else str(item.local_path)
        cached = self.thumbnails.cached(key, offset)
        if cached is not None:
            return cached
        try:
            source = item.local_path if local and item.local_path else await self.resolve(item, prefer_archive=True)
        except VidStreamError:
            return None
        return await self.thumbnails.thumbnail(source, offset, key)
