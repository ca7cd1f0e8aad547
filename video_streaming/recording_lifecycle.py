"""The recording use cases: start (disk checked first), stop, record every camera at once; the recorder's
events filed in the catalog as segments and gaps; after a crash, recordings closed and their files adopted."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from video_streaming.announcer import Announcer
from video_streaming.archiver import Archiver
from video_streaming.camera_registry import CameraRegistry
from video_streaming.catalog import Catalog
from video_streaming.domain.camera import parse_segment_file_name, segment_key_under
from video_streaming.domain.errors import DiskFull, VidStreamError
from video_streaming.domain.recording import Recording
from video_streaming.domain.result import Result
from video_streaming.live_streams import LiveStreams
from video_streaming.ports import SegmentRecorder
from video_streaming.recorder_events import (
    RecorderEvent,
    RecordingFailedEvent,
    RecordingGap,
    RecordingNotice,
    SegmentClosed,
)
from video_streaming.replay import FootagePart, recent_footage
from video_streaming.retention import disk_state
from video_streaming.segment_integrity import without_footage
from video_streaming.service import StreamingService

DurationProbe = Callable[[Path], Awaitable[float]]  # seconds of footage in a (possibly partial) file, 0.0 unknown
LostCamera = Callable[[str, str], None]  # (camera id, why): its recording failed for good


class RecordingLifecycle:
    def __init__(
        self, *, service: StreamingService, catalog: Catalog, recorder: SegmentRecorder, archiver: Archiver,
        live: LiveStreams, cameras: CameraRegistry, announcer: Announcer, recordings_dir: Path,
        min_free_bytes: int, probe_duration: DurationProbe,
    ) -> None:  # fmt: skip
        self.service = service
        self.catalog = catalog
        self.recorder = recorder
        self.archiver = archiver
        self.live = live
        self.cameras = cameras
        self.announcer = announcer
        self.recordings_dir = recordings_dir
        self.min_free_bytes = min_free_bytes
        self.probe_duration = probe_duration
        self.on_lost: LostCamera | None = None  # the camera supervisor records a kept camera again
        self.active: dict[str, Recording] = {}  # camera id -> recording
        self._open_gaps: dict[str, datetime] = {}
        self._gap_reasons: dict[str, str] = {}  # camera id -> why its recording is paused right now
        recorder.on_event = self.on_recorder_event

    def is_recording(self, camera_id: str) -> bool:
        return camera_id in self.active

    def is_paused(self, camera_id: str) -> bool:
        """Recording, but in a gap: the camera dropped and the recorder waits for it to come back."""
        return camera_id in self.active and camera_id in self._open_gaps

    def gap_reason(self, camera_id: str) -> str | None:
        return self._gap_reasons.get(camera_id)

    async def recent_footage(self, camera_id: str, seconds: float = 30.0) -> list[FootagePart]:
        """This machine's footage of the camera's last `seconds` (instant replay), the file being written included."""
        recording = self.active.get(camera_id)
        folder = self.service.recording_dirs.get(recording.id) if recording is not None else None
        now = datetime.now(UTC)
        since = now - timedelta(seconds=seconds)
        return await asyncio.to_thread(recent_footage, self.catalog, camera_id, since, now, folder)

    async def record(self, camera_id: str) -> Result[Recording]:
        if (existing := self.active.get(camera_id)) is not None:
            return Result.ok(existing)
        camera = self.catalog.camera(camera_id)
        if camera is not None and camera.site:
            site = self.cameras.site_name(camera)
            return Result.fail("not_supported", f"{camera.name} is recorded by the recorder of site {site}",
                               "its recordings appear under Recordings")  # fmt: skip
        disk = await asyncio.to_thread(disk_state, self.recordings_dir, self.min_free_bytes)
        if disk.low:
            error = DiskFull(
                f"only {disk.free_bytes // 2**20} MiB free for recordings",
                "free disk space; recordings already made are kept until archived",
            )
            self.announcer.alert("error", str(error))
            return Result.from_exception(error)
        stream_result = await self.live.start(camera_id)
        if stream_result.is_failure:
            return Result(error=stream_result.error)
        camera = self.cameras.camera(camera_id)
        result = await self.service.start_recording(stream_result.value, retention_policy=camera.retention)
        if result.is_success:
            recording = result.value
            self.active[camera_id] = recording
            local_dir = self.service.recording_dirs[recording.id]
            self.catalog.add_recording(recording, camera_id, str(local_dir))
            self.catalog.audit("operator", "record-start", str(recording.id), camera.name)
            self.announcer.changed("recording-started", camera_id, str(recording.id))
        return result

    async def stop(self, camera_id: str) -> Result[Recording]:
        recording = self.active.get(camera_id)
        if recording is None:
            return Result.fail("not_found", "this camera is not recording")
        # Still listed as recording until ffmpeg has closed the last segment: the REC dot stays honest.
        result = await self.service.stop_recording(recording)
        self.active.pop(camera_id, None)
        self._open_gaps.pop(camera_id, None)
        if result.is_success and recording.ended_at is not None:
            self.catalog.finish_recording(recording.id, recording.status.value, recording.ended_at)
            self.catalog.audit("operator", "record-stop", str(recording.id))
            self.announcer.changed("recording-ended", camera_id, str(recording.id))
        self.archiver.wake()
        return result

    async def record_all(self) -> dict[str, Result[Recording]]:
        """Every enabled camera of this machine not recording yet, all at once: a camera that takes its full
        timeout to fail delays no other. What each start gave, by camera id."""
        wanted = [str(c.id) for c in self.cameras.cameras()
                  if c.enabled and not c.site and str(c.id) not in self.active]  # fmt: skip
        results = await asyncio.gather(*(self.record(camera_id) for camera_id in wanted))
        return dict(zip(wanted, results, strict=True))

    def _recording_by_id(self, recording_id: uuid.UUID) -> tuple[str, Recording] | None:
        return next(((c, r) for c, r in self.active.items() if r.id == recording_id), None) or next(
            ((str(r.camera_id), r) for r in self.service.recordings.values() if r.id == recording_id), None
        )

    def on_recorder_event(self, event: RecorderEvent) -> None:
        found = self._recording_by_id(event.recording_id)
        if found is None:
            return
        camera_id, recording = found
        if isinstance(event, SegmentClosed):
            self._gap_reasons.pop(camera_id, None)
            self._catalog_segment(camera_id, recording, event)
        elif isinstance(event, RecordingGap):
            if event.ended_at is None:
                # The recorder reads MediaMTX, which knows why the camera itself went away (EOF, 401, ...).
                reason = self.live.source_error(camera_id) or event.reason
                self._gap_reasons[camera_id] = reason
                self._open_gaps[camera_id] = event.started_at
                self.catalog.open_gap(str(recording.id), event.started_at, reason)
                self.announcer.alert("warning", f"{self.cameras.name_of(camera_id)}: recording paused: {reason}")
            else:
                self._gap_reasons.pop(camera_id, None)
                self._open_gaps.pop(camera_id, None)
                self.catalog.close_gap(str(recording.id), event.started_at, event.ended_at)
                self.announcer.alert("info", f"{self.cameras.name_of(camera_id)}: recording resumed")
            self.announcer.changed("gap", camera_id, str(recording.id))
        elif isinstance(event, RecordingNotice):
            self.catalog.audit("system", "record-notice", str(recording.id), event.message)
            self.announcer.alert("warning", f"{self.cameras.name_of(camera_id)}: {event.message}")
        elif isinstance(event, RecordingFailedEvent):
            self.active.pop(camera_id, None)
            self._open_gaps.pop(camera_id, None)
            with contextlib.suppress(VidStreamError):
                recording.mark_error(event.error.message)
            self.catalog.finish_recording(recording.id, "error", datetime.now(UTC), event.error.message)
            self.announcer.changed("recording-ended", camera_id, str(recording.id))
            self.announcer.alert("error", f"{self.cameras.name_of(camera_id)}: recording stopped: {event.error}")
            self._gap_reasons.pop(camera_id, None)
            if self.on_lost is not None:
                self.on_lost(camera_id, event.error.message)

    def _catalog_segment(self, camera_id: str, recording: Recording, event: SegmentClosed) -> None:
        # The key comes from the prefix fixed when the recording started: a rename never splits a recording.
        key = segment_key_under(recording.storage_path, event.path.name)
        if without_footage(event.path):  # empty, or a header alone: in the catalog it would never play
            event.path.unlink(missing_ok=True)
            return
        size = event.path.stat().st_size
        self.catalog.add_segment(str(recording.id), camera_id, event.path, key, event.start, event.duration, size,
                                 event.partial)  # fmt: skip
        self.announcer.changed("segment", camera_id, str(recording.id))
        self.archiver.wake()

    async def recover(self) -> int:
        """After a crash: close recordings left open, adopt segment files the catalog never heard of.
        Returns how many files were adopted. Nothing is deleted here."""
        adopted = 0
        known = self.catalog.known_segment_paths()
        running = {r.id for r in self.active.values()}
        for row in self.catalog.recordings(status="recording", limit=100_000):
            if uuid.UUID(row.id) in running:
                continue
            local_dir = Path(row.local_dir)
            ended = row.started_at
            for path in sorted(local_dir.glob("*.mp4")) if local_dir.is_dir() else []:
                parsed = parse_segment_file_name(path.name)
                if parsed is None or str(path) in known:
                    ended = max(ended, parsed[0]) if parsed else ended
                    continue
                if path.stat().st_size == 0:  # a header alone is adopted: the archiver and check judge it
                    continue
                duration = await self.probe_duration(path)
                key = segment_key_under(row.storage_prefix, path.name)
                self.catalog.add_segment(row.id, row.camera_id, path, key, parsed[0], duration,
                                         path.stat().st_size, partial=True)  # fmt: skip
                adopted += 1
                ended = max(ended, parsed[0] + timedelta(seconds=duration))
            self.catalog.finish_recording(row.id, "stopped", ended, "interrupted: the recorder stopped unexpectedly")
            self.catalog.audit("system", "recover", row.id, f"adopted {adopted} segment(s)")
        self.archiver.wake()
        return adopted
