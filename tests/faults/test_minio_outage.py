"""The archive (MinIO) unreachable for a minute while four cameras record: segments queue on disk, the
operator sees why, uploads retry with back-off instead of hammering, nothing local is removed before its
verified upload, and everything is archived once the archive returns."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fixtures.core import CoreFactory, record_synthetic_cameras
from tests.fixtures.servers import CameraFactory, S3Target
from video_streaming.bootstrap import CoreTuning
from video_streaming.catalog import SegmentState
from video_streaming.consistency import check
from video_streaming.core import VidStreamCore
from video_streaming.runtime.mediamtx_server import MediaMTXServer

OUTAGE_SECONDS = 60.0
SEGMENT_SECONDS = 3
CAMERAS = 4
MIN_BACKOFF = 0.2
MAX_BACKOFF = 4.0


@dataclass
class DiskWatch:
    """Watches the recordings folder the way an auditor would: any segment file that disappears must by
    then be archived in the catalog (the archiver notes the verified upload before it deletes)."""

    core: VidStreamCore
    seen: dict[Path, int] = field(default_factory=dict)  # path -> last size seen
    removed_unarchived: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    def look(self) -> None:
        now = self._files()
        # Read the catalog after listing the disk: a file gone from the listing was deleted before this read.
        archived = {(s.recording_id, s.file_name) for s in self.core.catalog.segments(state=SegmentState.ARCHIVED)}
        for path, size in self.seen.items():
            if path in now or size == 0:  # the recorder itself drops empty files it never wrote to
                continue
            self.removed.append(path)
            if (path.parent.name, path.name) not in archived:  # a recording's folder is named by its id
                self.removed_unarchived.append(str(path))
        self.seen = now

    def _files(self) -> dict[Path, int]:
        found = {}
        for path in self.core.recordings_dir.rglob("*.mp4"):
            try:
                found[path] = path.stat().st_size
            except FileNotFoundError:  # removed between the listing and the stat: seen next time as gone
                continue
        return found

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.to_thread(self.look)
            await asyncio.sleep(0.2)
        await asyncio.to_thread(self.look)


@pytest.mark.timeout(300)
async def test_archive_down_for_a_minute_queues_retries_with_backoff_and_drains_when_back(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, private_minio: S3Target
) -> None:
    tuning = CoreTuning(upload_min_backoff=MIN_BACKOFF, upload_max_backoff=MAX_BACKOFF)
    core = core_factory(private_minio, segment_seconds=SEGMENT_SECONDS, tuning=tuning)
    await core.start()
    names = {f"yard{i}": f"Yard {i}" for i in range(1, CAMERAS + 1)}
    spec: dict[str, object] = {"width": 320, "height": 180, "fps": 15, "bitrate_kbps": 300}
    ids, recordings = await record_synthetic_cameras(core, mediamtx, camera_factory, names, spec)
    watch_stop = asyncio.Event()
    watch = DiskWatch(core)
    watcher = asyncio.create_task(watch.run(watch_stop))

    # A few segments reach the archive first: the path to MinIO works before the outage.
    assert await _wait_until(lambda: core.archiver.status.uploaded_segments >= CAMERAS, 20)
    archived_before = len(core.catalog.segments(state=SegmentState.ARCHIVED))

    private_minio.server.stop()
    outage_started = time.monotonic()
    watch.removed.clear()  # removals from here on happen with the archive down
    retry_in_seen: list[float] = []
    health_errors: set[str] = set()
    while time.monotonic() - outage_started < OUTAGE_SECONDS:
        health = await core.poll()  # what the app's status bar reads every second
        if health.storage_error:
            health_errors.add(health.storage_error)
        if core.archiver.status.retry_in:
            retry_in_seen.append(core.archiver.status.retry_in)
        # Only an upload already verified as the archive went down may still remove its local copy (the archiver
        # uploads two at a time); nothing else leaves the disk while the archive is away.
        assert not watch.removed_unarchived, f"removed before a verified upload: {watch.removed_unarchived[:3]}"
        assert len(watch.removed) <= 2, f"files left the disk while the archive was down: {watch.removed[:3]}"
        await asyncio.sleep(1.0)

    # Queued on disk: every segment that closed during the outage is CLOSED, its file still there.
    queued = [s for s in core.catalog.segments() if s.state is SegmentState.CLOSED]
    expected = CAMERAS * (OUTAGE_SECONDS / SEGMENT_SECONDS) * 0.8
    assert len(queued) >= expected, f"only {len(queued)} segments queued in {OUTAGE_SECONDS:.0f} s"
    assert all(s.local_path and Path(s.local_path).exists() for s in queued), "a queued segment left the disk"
    assert len(core.catalog.segments(state=SegmentState.ARCHIVED)) == archived_before

    # The operator sees why: the status bar's storage error names the unreachable archive.
    assert "cannot reach the archive" in core.archiver.status.last_error, core.archiver.status.last_error
    assert any("cannot reach the archive" in text for text in health_errors), health_errors

    # Back-off, not a hot loop: the wait between rounds grew to the ceiling, and the number of upload
    # attempts stayed far below what retrying every queued segment without pause would make.
    attempts = sum(s.attempts for s in core.catalog.segments())
    rounds_possible = _rounds_within(OUTAGE_SECONDS + 5, MIN_BACKOFF, MAX_BACKOFF)  # + the checks around the wait
    assert max(retry_in_seen, default=0.0) == MAX_BACKOFF, retry_in_seen
    assert attempts >= 3, "uploads were not retried during the outage"
    assert attempts <= core.archiver.concurrency * rounds_possible, (
        f"{attempts} upload attempts in {OUTAGE_SECONDS:.0f} s for {len(queued)} queued segments: "
        f"at most {core.archiver.concurrency} per round x {rounds_possible} rounds expected"
    )

    # The archive returns: the queue drains without waiting for new segments, nothing is lost.
    back = time.monotonic()
    private_minio.server.start()
    assert await _wait_until(lambda: all(_archived(core, s.id) for s in queued), 60), "the queue did not drain"
    drained_after = time.monotonic() - back
    assert drained_after <= MAX_BACKOFF + 30, f"took {drained_after:.1f} s to archive the queue"

    for camera_id in ids:
        await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=60)
    watch_stop.set()
    await watcher
    assert not watch.removed_unarchived, f"removed before a verified upload: {watch.removed_unarchived[:5]}"
    assert not core.archiver.status.last_error

    segments = core.catalog.segments()
    objects = {o.key: o.size for o in await core.storage.list_files("")}
    for recording in recordings:
        mine = [s for s in segments if s.recording_id == str(recording.id)]
        assert mine, f"recording {recording.id} has no segments"
        assert not core.catalog.gaps(str(recording.id)), "the cameras never dropped: no gap expected"
    for segment in segments:
        assert segment.state is SegmentState.ARCHIVED, segment
        assert objects.get(segment.object_key) == segment.size > 0, segment
    assert not list(core.recordings_dir.rglob("*.mp4")), "local copies remain after verified upload"
    report = await check(core)
    assert report.clean, report.lines()
    print(f"\nqueued during the outage: {len(queued)} segments; upload attempts: {attempts}; "
          f"rounds possible: {rounds_possible}; archived {drained_after:.1f} s after the archive returned; "
          f"{len(segments)} segments in all")  # fmt: skip


def _archived(core: VidStreamCore, segment_id: int) -> bool:
    row = core.catalog.segment(segment_id)
    return row is not None and row.state is SegmentState.ARCHIVED


def _rounds_within(seconds: float, low: float, high: float) -> int:
    """How many retry rounds exponential back-off from `low` to `high` allows in `seconds`."""
    rounds, waited, wait = 0, 0.0, low
    while waited < seconds:
        waited += wait
        wait = min(wait * 2, high)
        rounds += 1
    return rounds + 1  # the attempt that opens the first wait


async def _wait_until(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(predicate):  # type: ignore[arg-type]
            return True
        await asyncio.sleep(0.25)
    return False
