"""Export: one camera's footage between two moments, or a whole recording, as a single MP4 file.

Each segment comes from the local disk when it is still there, else from the archive into a download cache
(the storage adapter resumes an interrupted `.part` file with ranged reads and checks the SHA-256 recorded
at upload). ffmpeg's concat demuxer then joins the segments with `-c copy`: nothing is re-encoded, so an
hour of footage exports in seconds. The start is cut with the first file's `inpoint`, the end with the last
file's `outpoint` (see `_concat_list`).

Copy mode cannot cut between key frames: the file starts at the key frame at or before `start` and carries
an MP4 edit list telling players to begin at `start` itself (ffmpeg-based players honour it; one that
ignores edit lists shows at most one key-frame interval more, and never anything twice). Gaps in a
recording (the camera dropped out) are skipped: the clip jumps over them. The file appears under its final
name only once complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import platformdirs

from video_streaming.catalog import Catalog, SegmentRow, SegmentState
from video_streaming.domain.camera import slugify
from video_streaming.domain.clock import require_aware
from video_streaming.domain.errors import (
    DiskFull,
    InvalidInput,
    NotFound,
    StorageFailed,
    Unauthorized,
    VidStreamError,
)
from video_streaming.ports import ArchiveStorage, MediaFiles, StreamShape
from video_streaming.private_files import private_dir

log = logging.getLogger(__name__)

ExportProgress = Callable[[int, int], None]
"""Called with (bytes done, bytes expected): archive downloads first, then the joined file as ffmpeg writes it."""

MiB = 1024 * 1024
DISK_MARGIN_BYTES = 256 * 1024  # the MP4 index and the concat list on top of the media itself
DEFAULT_CACHE_LIMIT_BYTES = 2 * 1024 * MiB
WORK_PREFIX = ".export-"  # per-export folders inside the cache, never pruned


class Source(Protocol):
    """What an export reads and joins with: VidStreamCore fits, and so does a FootageSource."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def storage(self) -> ArchiveStorage: ...

    @property
    def media_files(self) -> MediaFiles: ...


@dataclass(frozen=True)
class FootageSource:
    """A catalog, an archive and the media tools put together without a core (a second workstation's merged
    catalog, an archive reached with other credentials)."""

    catalog: Catalog
    storage: ArchiveStorage
    media_files: MediaFiles


class ExportCancelled(VidStreamError):
    kind = "cancelled"


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int  # bytes of the file written
    duration: float  # seconds, as ffprobe reads the file
    start: datetime  # the range actually covered (the request clamped to what was recorded)
    end: datetime
    segments: int
    from_archive: int  # segments read from the archive (downloaded now or found in the download cache)
    downloaded_bytes: int  # bytes fetched from the archive by this call
    resumed_bytes: int  # bytes of earlier interrupted downloads that were reused
    elapsed: float  # seconds
    missing_segments: int = 0  # in the catalog, but neither on this disk nor in the archive: left out
    # Every file written, in order, when the footage changes resolution or codec (a camera rebooted with
    # other settings): one MP4 per shape, `path` first, then `name-part2.mp4`, ... (else just `path`).
    parts: tuple[Path, ...] = ()


@dataclass
class _Input:
    segment: SegmentRow
    path: Path
    from_archive: bool
    duration: float = 0.0

    @property
    def start(self) -> datetime:
        return self.segment.start

    @property
    def end(self) -> datetime:
        return self.segment.start + timedelta(seconds=self.duration)


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("vidstream")) / "segments"


def cache_path(cache_dir: Path, object_key: str) -> Path:
    """Where a downloaded segment is kept: its archive key below the cache folder, never outside it."""
    parts = [part for part in object_key.split("/") if part]
    if not parts or any(part in {".", ".."} for part in parts):
        raise InvalidInput(f"{object_key!r} is not an archive key")
    return cache_dir.joinpath(*parts)


def default_export_name(camera: str, start: datetime, end: datetime) -> str:
    """`entrance_20261126T141500Z-20261126T142000Z.mp4` (UTC, as the archive names segments)."""
    return f"{slugify(camera) or 'camera'}_{start:%Y%m%dT%H%M%S}Z-{end:%Y%m%dT%H%M%S}Z.mp4"


def _unpack(source: Source) -> tuple[Catalog, ArchiveStorage, MediaFiles]:
    return source.catalog, source.storage, source.media_files


def _camera_label(catalog: Catalog, camera_id: str) -> str:
    camera = catalog.camera(camera_id)
    return camera.name if camera else camera_id


# ---------------------------------------------------------------------------------------------------
# Public API


async def export_range(
    source: Source,
    camera_id: str,
    start: datetime,
    end: datetime,
    target_path: str | Path,
    progress: ExportProgress | None = None,
    cancel_event: CancelFlag | None = None,
    *,
    cache_dir: Path | None = None,
    actor: str = "operator",
) -> ExportResult:
    """Write `camera_id`'s footage between `start` and `end` (aware datetimes) to `target_path` (a file,
    or a folder to put a file named by `default_export_name` in).

    Raises NotFound (nothing recorded then), DiskFull (checked before anything is written), Unauthorized
    (the archive refused the credentials), ServerUnreachable, VerificationFailed (a download's checksum),
    ExportCancelled (`cancel_event` set, or the task cancelled). Partial downloads stay for the next try."""
    catalog, storage, media = _unpack(source)
    start, end = require_aware(start, "start"), require_aware(end, "end")
    if end <= start:
        raise InvalidInput("the end of the range must come after its start")
    found = await asyncio.to_thread(catalog.segments, None, None, camera_id, start, end)
    segments = [s for s in found if s.state in (SegmentState.CLOSED, SegmentState.ARCHIVED)]
    label = _camera_label(catalog, camera_id)
    if not segments:
        raise NotFound(f"{label} recorded nothing between {start:%Y-%m-%d %H:%M:%S} and {end:%H:%M:%S} UTC")
    target = _target_file(Path(target_path), label, start, end)
    result = await _export(catalog, storage, media, segments, target, (start, end), progress, cancel_event,
                           cache_dir)  # fmt: skip
    await asyncio.to_thread(
        catalog.audit, actor, "export", camera_id,
        f"{label} {result.start.isoformat()} .. {result.end.isoformat()} -> {result.path}",
    )  # fmt: skip
    return result


async def download_recording(
    source: Source,
    recording_id: str,
    target_path: str | Path,
    progress: ExportProgress | None = None,
    cancel_event: CancelFlag | None = None,
    *,
    cache_dir: Path | None = None,
    actor: str = "operator",
) -> ExportResult:
    """A whole recording as one MP4 (its segments joined, nothing trimmed). Errors as `export_range`."""
    catalog, storage, media = _unpack(source)
    row = await asyncio.to_thread(catalog.recording, recording_id)
    if row is None:
        raise NotFound(f"no recording {recording_id}")
    found = await asyncio.to_thread(catalog.segments, str(recording_id))
    segments = [s for s in found if s.state in (SegmentState.CLOSED, SegmentState.ARCHIVED)]
    if not segments:
        raise NotFound(f"recording {recording_id} of {row.camera_name} has no footage left")
    end = max(s.end for s in segments)
    target = _target_file(Path(target_path), row.camera_name, segments[0].start, end)
    result = await _export(catalog, storage, media, segments, target, None, progress, cancel_event, cache_dir)
    await asyncio.to_thread(catalog.audit, actor, "download", str(recording_id),
                            f"{row.camera_name} -> {result.path}")  # fmt: skip
    return result


def prune_cache(cache_dir: Path, max_bytes: int = DEFAULT_CACHE_LIMIT_BYTES) -> int:
    """Delete the least recently written files of the download cache beyond `max_bytes`; returns how many.
    Partial downloads younger than a day are kept: they are an interrupted download's head start."""
    if not cache_dir.is_dir():
        return 0
    files = [(p.stat().st_mtime, p.stat().st_size, p) for p in cache_dir.rglob("*")
             if p.is_file() and not any(part.startswith(WORK_PREFIX) for part in p.parts)]  # fmt: skip
    total = sum(size for _, size, _ in files)
    removed = 0
    day_ago = time.time() - 86_400
    for mtime, size, path in sorted(files):
        if total <= max_bytes:
            break
        if path.name.endswith(".part") and mtime > day_ago:
            continue
        path.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


# ---------------------------------------------------------------------------------------------------
# The steps


def _target_file(target: Path, camera: str, start: datetime, end: datetime) -> Path:
    if target.is_dir():
        target = target / default_export_name(camera, start, end)
    if target.suffix.lower() != ".mp4":
        target = target.with_name(target.name + ".mp4")
    return target


async def _export(
    catalog: Catalog,
    storage: ArchiveStorage,
    media: MediaFiles,
    segments: Sequence[SegmentRow],
    target: Path,
    trim: tuple[datetime, datetime] | None,
    progress: ExportProgress | None,
    cancel_event: CancelFlag | None,
    cache_dir: Path | None,
    cache_limit: int = DEFAULT_CACHE_LIMIT_BYTES,
) -> ExportResult:
    started = time.monotonic()
    cache = cache_dir or default_cache_dir()
    stop = _StopFlag(cancel_event)
    inputs, missing = _plan(segments, cache)
    if not inputs:
        raise NotFound(f"{len(missing)} segment(s) are neither on this disk nor in the archive")
    to_fetch = [i for i in inputs if i.from_archive and not i.path.exists()]
    fetch_bytes = sum(max(i.segment.size - _partial_size(i.path), 0) for i in to_fetch)
    media_bytes = sum(i.segment.size for i in inputs)
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(_check_free_space, target.parent, media_bytes, cache, fetch_bytes)
    reporter = _Reporter(progress, fetch_bytes + media_bytes)
    downloaded = resumed = 0
    work = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix=WORK_PREFIX, dir=cache))
    try:
        if to_fetch:
            await _preflight(storage, to_fetch[0].segment.object_key)
        for item in to_fetch:
            stop.check()
            had = _partial_size(item.path)
            resumed += had
            downloaded += await _download(storage, item, reporter, stop, had)
        stop.check()
        await asyncio.to_thread(_pin, inputs, work)
        chosen, ss, outpoint, covered = await _choose(media, inputs, trim)
        groups = await _split_at_shape_changes(media, chosen)
        parts = [target, *(target.with_name(f"{target.stem}-part{n}{target.suffix}")
                           for n in range(2, len(groups) + 1))]  # fmt: skip
        for index, (group, part) in enumerate(zip(groups, parts, strict=True)):
            last = index == len(groups) - 1
            await _join(media, group, part, ss if index == 0 else None, outpoint if last else None, reporter, stop,
                        work)  # fmt: skip
    except asyncio.CancelledError:
        stop.set()  # a download thread still running stops at its next chunk
        raise
    finally:
        await asyncio.to_thread(shutil.rmtree, work, True)
    size = sum(part.stat().st_size for part in parts)
    duration = sum([await media.duration(part) for part in parts])
    reporter.finish()
    await asyncio.to_thread(prune_cache, cache, cache_limit)
    return ExportResult(
        path=target, size=size, duration=duration, start=covered[0], end=covered[1], segments=len(chosen),
        from_archive=sum(1 for i in chosen if i.from_archive), downloaded_bytes=downloaded, resumed_bytes=resumed,
        elapsed=time.monotonic() - started, missing_segments=len(missing), parts=tuple(parts),
    )  # fmt: skip


async def _split_at_shape_changes(media: MediaFiles, inputs: list[_Input]) -> list[list[_Input]]:
    """Runs of inputs that can share one MP4. An MP4 track has one sample entry (size, codec, parameter
    sets) for all its frames: footage from after a camera came back at 1080p joined behind 720p would be
    described as 720p, which browsers and hardware decoders mis-play. A shape can change only where the
    recorder started ffmpeg anew (a new recording or a new run, the `-N` of the file name), so one file of
    each run is probed."""
    groups: list[list[_Input]] = []
    shape: StreamShape | None = None
    run: tuple[str, str] | None = None
    for item in inputs:
        this_run = (item.segment.recording_id, item.segment.file_name.rsplit("-", 1)[-1])
        if this_run != run:
            run = this_run
            probed = await media.shape(item.path)
            if groups and probed is not None and shape is not None and probed != shape:
                groups.append([])
            shape = probed or shape
        if not groups:
            groups.append([])
        groups[-1].append(item)
    return groups


def _pin(inputs: list[_Input], work: Path) -> None:
    """Hard-link every input into the work folder: the archiver may delete a local segment it has just
    uploaded, and the cache may be pruned, while ffmpeg reads. (Across file systems a link is impossible
    and the original path is kept.)"""
    for number, item in enumerate(inputs):
        link = work / f"{number:05d}.mp4"
        try:
            os.link(item.path, link)
        except OSError:
            continue
        item.path = link


def _partial_size(path: Path) -> int:
    partial = path.with_name(path.name + ".part")
    return partial.stat().st_size if partial.exists() else 0


def _plan(segments: Sequence[SegmentRow], cache: Path) -> tuple[list[_Input], list[SegmentRow]]:
    """Local copy first; else the archive (through the cache). A segment in neither is reported missing."""
    inputs: list[_Input] = []
    missing: list[SegmentRow] = []
    for segment in sorted(segments, key=lambda s: (s.start, s.file_name)):
        local = Path(segment.local_path) if segment.local_path else None
        if local is not None and local.is_file() and local.stat().st_size > 0:
            inputs.append(_Input(segment, local, from_archive=False))
        elif segment.state is SegmentState.ARCHIVED:
            inputs.append(_Input(segment, cache_path(cache, segment.object_key), from_archive=True))
        else:
            log.warning("segment %s is not on disk and not archived: left out of the export", segment.file_name)
            missing.append(segment)
    return inputs, missing


def _check_free_space(target_dir: Path, output_bytes: int, cache: Path, fetch_bytes: int) -> None:
    private_dir(cache)  # downloaded footage
    needs = {target_dir: output_bytes + DISK_MARGIN_BYTES}
    if fetch_bytes:
        if os.stat(cache).st_dev == os.stat(target_dir).st_dev:
            needs[target_dir] += fetch_bytes
        else:
            needs[cache] = fetch_bytes + DISK_MARGIN_BYTES
    for folder, need in needs.items():
        free = shutil.disk_usage(folder).free
        if free < need:
            raise DiskFull(
                f"not enough free space in {folder}: the export needs about {_mib(need)}, only {_mib(free)} free",
                "choose another folder or free some space",
            )


def _mib(size: int) -> str:
    return f"{size / MiB:.1f} MiB"


async def _preflight(storage: ArchiveStorage, key: str) -> None:
    """One listing call before any download: a wrong key or an unreachable archive is reported as such
    (a ranged GET refused with a bare 403 would only say 'failed')."""
    with contextlib.suppress(NotImplementedError):
        await storage.list_files(key)


async def _download(storage: ArchiveStorage, item: _Input, reporter: _Reporter, stop: _StopFlag, had: int) -> int:
    item.path.parent.mkdir(parents=True, exist_ok=True)
    fetched = 0

    def on_bytes(count: int) -> None:  # on the download thread
        nonlocal fetched
        stop.check()  # raising here abandons the download; the .part file stays for a resume
        fetched += count
        reporter.add(count)

    try:
        await storage.download_file(item.segment.object_key, str(item.path), on_bytes)
    except StorageFailed as error:
        if re.search(r"\b403\b|forbidden", error.message, re.IGNORECASE):
            raise Unauthorized("the archive refused the credentials", "check the S3 access key") from None
        raise
    return max(fetched - had, 0)  # the adapter reports the resumed head first


async def _probe(media: MediaFiles, item: _Input) -> None:
    item.duration = await media.duration(item.path)
    if item.duration <= 0:  # unreadable by ffprobe: trust the catalog rather than drop footage
        item.duration = item.segment.duration


async def _choose(
    media: MediaFiles, inputs: list[_Input], trim: tuple[datetime, datetime] | None
) -> tuple[list[_Input], float | None, float | None, tuple[datetime, datetime]]:
    """The files to join, where to start in the first (seconds) and where to stop in the last.

    The catalog's durations choose the candidates; only the first and last files are probed, since only
    they are cut (the first segment of a recorder run can be listed longer than it is)."""
    if trim is None:
        return inputs, None, None, (inputs[0].start, inputs[-1].segment.end)
    start, end = trim
    chosen = [i for i in inputs if i.segment.end > start and i.start < end]
    while chosen:
        await _probe(media, chosen[0])
        if chosen[0].end > start or len(chosen) == 1:
            break
        chosen.pop(0)
    if not chosen or chosen[0].end <= start:
        raise NotFound(f"nothing was recorded between {start:%H:%M:%S} and {end:%H:%M:%S} UTC")
    first, last = chosen[0], chosen[-1]
    if last is not first:
        await _probe(media, last)
    offset = (start - first.start).total_seconds()
    stop = (end - last.start).total_seconds()
    covered = (max(start, first.start), min(end, last.end))
    return chosen, (offset if offset > 0 else None), (stop if stop < last.duration else None), covered


async def _join(
    media: MediaFiles, inputs: Sequence[_Input], target: Path, inpoint: float | None, outpoint: float | None,
    reporter: _Reporter, stop: _StopFlag, work: Path,
) -> None:  # fmt: skip
    """One MP4 of `inputs` at `target`, which appears only once complete. The in point keeps the packets from
    the key frame before it, hidden by an edit list (see the module's docstring)."""
    # The temporary file is ours from its creation (O_EXCL: a planted file or symlink is refused, and its name
    # is random), and the joiner writes through our descriptor, never by a name someone else could swap.
    descriptor, name = await asyncio.to_thread(tempfile.mkstemp, prefix=f".{target.name}.", suffix=".partial",
                                               dir=target.parent)  # fmt: skip
    temporary = Path(name)
    try:
        await media.join([item.path for item in inputs], descriptor, inpoint=inpoint, outpoint=outpoint,
                         work_dir=work, on_written=reporter.output, check_stop=stop.check)  # fmt: skip
    except DiskFull as full:
        temporary.unlink(missing_ok=True)
        raise DiskFull(f"the disk holding {target.parent} filled up during the export", full.hint) from full
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        os.close(descriptor)
    await asyncio.to_thread(_fsync, temporary)
    temporary.replace(target)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


class _StopFlag:
    """The caller's cancel event, plus our own flag for a cancelled task; read from worker threads too."""

    def __init__(self, external: CancelFlag | None) -> None:
        self._external = external
        self._own = threading.Event()

    def set(self) -> None:
        self._own.set()

    def check(self) -> None:
        if self._own.is_set() or (self._external is not None and self._external.is_set()):
            raise ExportCancelled("the export was cancelled", "partial downloads are kept and resumed next time")


class _Reporter:
    """Adds up download bytes (from a worker thread) and the output's bytes, and reports both together."""

    def __init__(self, callback: ExportProgress | None, expected: int) -> None:
        self._callback = callback
        self._expected = max(expected, 1)
        self._downloaded = 0
        self._written = 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        with self._lock:
            self._downloaded += count
        self._emit()

    def output(self, written: int) -> None:
        self._written = written
        self._emit()

    def finish(self) -> None:
        self._expected = self._downloaded + self._written
        self._emit()

    def _emit(self) -> None:
        if self._callback is not None:
            done = self._downloaded + self._written
            self._callback(done, max(self._expected, done))
