"""Recording on motion: a camera in motion mode records short segments into a local ring that the catalog and
the archiver never see; a motion event promotes the ring segments around it into an ordinary recording.

The recording covers [first event start - pre-roll, last event end + post-roll]; an event that starts before
the post-roll of the previous one is over joins its recording. A promoted segment is moved into the recording's
folder and entered in the catalog like any recorded segment, so the archiver uploads it, verifies it and only
then deletes it, and retention and export see nothing special. Ring segments no event wants are deleted where
they lie, never uploaded."""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from video_streaming.catalog import Catalog
from video_streaming.domain.camera import parse_segment_file_name, recording_prefix, segment_key_under
from video_streaming.domain.errors import NotFound, VidStreamError
from video_streaming.domain.recording import Recording
from video_streaming.domain.result import Result
from video_streaming.motion.ring import EventWindow, RingSegment, RollSettings, SegmentRing, window_for_event
from video_streaming.motion.service import MotionNotice, NoticeKind

log = logging.getLogger(__name__)

RingSegmentSink = Callable[[Path, datetime, float], None]  # (closed file, its named start, its duration)
FailureSink = Callable[[str], None]  # why the ring stopped for good (a full disk); it is not restarted


class RingRecorder(Protocol):
    """Records one camera into a folder in short segments and tells each one as it closes (the ffmpeg
    recorder in the app)."""

    segment_seconds: int

    async def start(
        self, camera_id: str, source_url: str, folder: Path, on_segment: RingSegmentSink, on_failure: FailureSink
    ) -> None: ...

    async def stop(self, camera_id: str) -> None: ...


ChangeSink = Callable[[str, str, str], None]  # (what, camera id, recording id): the core's `changed`


@dataclass
class _Armed:
    camera_id: str
    folder: Path
    ring: SegmentRing
    window: EventWindow | None = None
    recording: Recording | None = None
    recording_dir: Path | None = None
    taken_until: float = 0.0  # the named end of the last segment promoted into the recording
    promoted: list[str] = field(default_factory=list)  # file names promoted into the current recording
    stopping: bool = False  # disarm has begun: no new event recording; the ring's last segments are settled
    stopped: asyncio.Event = field(default_factory=asyncio.Event)


class MotionRecordingService:
    def __init__(
        self,
        catalog: Catalog,
        recorder: RingRecorder,
        *,
        recordings_dir: Path,
        ring_dir: Path,
        rolls: RollSettings | None = None,
        changed: ChangeSink | None = None,
        segment_added: Callable[[], None] | None = None,
        alert: Callable[[str, str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.catalog = catalog
        self.recorder = recorder
        self.recordings_dir = recordings_dir
        self.ring_dir = ring_dir
        self.rolls = rolls or RollSettings()
        self._changed = changed or (lambda what, camera_id, recording_id: None)
        self._segment_added = segment_added or (lambda: None)  # the archiver's wake
        self._alert = alert or (lambda level, text: None)  # the core's alert: (level, message)
        self.clock = clock
        self._armed: dict[str, _Armed] = {}

    # ---- arming ------------------------------------------------------------------------------------

    def armed(self, camera_id: str) -> bool:
        """The camera has a ring (True until a disarm has stopped it and deleted its files)."""
        return camera_id in self._armed

    def ring_folder(self, camera_id: str) -> Path:
        return self.ring_dir / camera_id

    @property
    def max_ring_files(self) -> int:
        return self.rolls.max_ring_files(self.recorder.segment_seconds)

    def event_recording(self, camera_id: str) -> Recording | None:
        """The event recording the camera is adding to now (None between events)."""
        armed = self._armed.get(camera_id)
        return armed.recording if armed is not None else None

    async def arm(self, camera_id: str, source_url: str) -> Result[bool]:
        """Start the camera's ring. What an earlier run left in it was never wanted by an event: deleted."""
        existing = self._armed.get(camera_id)
        if existing is not None and not existing.stopping:
            return Result.ok(True)
        if existing is not None:  # a disarm is emptying the folder: start again after it
            await existing.stopped.wait()
        folder = self.ring_folder(camera_id)
        await asyncio.to_thread(_empty_folder, folder)
        armed = _Armed(camera_id, folder, SegmentRing(self.rolls))
        self._armed[camera_id] = armed
        try:
            await self.recorder.start(camera_id, source_url, folder, lambda *closed: self._on_segment(armed, *closed),
                                      lambda why: self._on_failure(armed, why))  # fmt: skip
        except VidStreamError as error:
            self._armed.pop(camera_id, None)
            return Result.from_exception(error)
        log.info("camera %s records on motion (ring of %d s segments)", camera_id, self.recorder.segment_seconds)
        return Result.ok(True)

    async def disarm(self, camera_id: str) -> None:
        """Stop the ring. An event recording in progress keeps what it has taken and ends there."""
        armed = self._armed.get(camera_id)
        if armed is None:
            return
        if armed.stopping:
            await armed.stopped.wait()
            return
        armed.stopping = True
        try:
            await self.recorder.stop(camera_id)  # its last segments are told (taken or dropped) before this returns
            if armed.recording is not None:
                self._finish(armed)
            for segment in armed.ring.clear():
                segment.path.unlink(missing_ok=True)
            await asyncio.to_thread(_empty_folder, armed.folder)
        finally:
            if self._armed.get(camera_id) is armed:
                del self._armed[camera_id]
            armed.stopped.set()

    async def close(self) -> None:
        for camera_id in list(self._armed):
            await self.disarm(camera_id)

    # ---- events ------------------------------------------------------------------------------------

    def on_motion(self, notice: MotionNotice) -> None:
        """A motion listener: an event's start opens (or extends) a recording, its end sets the post-roll."""
        armed = self._armed.get(notice.camera_id)
        if armed is None or notice.event is None or (armed.stopping and notice.kind is NoticeKind.STARTED):
            return
        if notice.kind is NoticeKind.STARTED:
            if armed.window is not None:  # still inside the previous event's post-roll: one recording
                armed.window.until = None
                armed.window.events += 1
            else:
                window = window_for_event(notice.event.start, self.rolls)
                wanted = [s for s in armed.ring.segments if window.wants(s)]
                try:  # the recording starts where its first segment does, at most the pre-roll before the event
                    self._open_recording(armed, min([window.since, *(s.start for s in wanted)]))
                except (VidStreamError, OSError) as error:
                    log.error("camera %s: cannot start its event recording: %s", notice.camera_id, error)
                    return
                armed.window = window
            self._take(armed, armed.ring.take(armed.window))
        elif notice.kind is NoticeKind.ENDED and armed.window is not None and notice.event.end is not None:
            armed.window.until = notice.event.end + self.rolls.post_roll
            if armed.taken_until >= armed.window.until:
                self._finish(armed)
        elif notice.kind is NoticeKind.FEED_LOST and armed.window is not None and armed.window.until is None:
            # The detector's feed is gone, so no end will come: the post-roll counts from now.
            armed.window.until = self.clock() + self.rolls.post_roll

    def _on_failure(self, armed: _Armed, why: str) -> None:
        """The ring stopped (a full disk): what the open recording took is kept; no more events are recorded."""
        if self._armed.get(armed.camera_id) is armed:
            del self._armed[armed.camera_id]
        armed.stopped.set()
        self._finish(armed)
        for segment in armed.ring.clear():  # never wanted by an event; and the disk needs the room
            segment.path.unlink(missing_ok=True)
        camera = self.catalog.camera(armed.camera_id)
        self._alert("error", f"{camera.name if camera else armed.camera_id}: recording on motion stopped: {why}")

    def _on_segment(self, armed: _Armed, path: Path, start: datetime, duration: float) -> None:
        segment = RingSegment(path, start.timestamp(), duration)
        if (armed.stopping or self._armed.get(armed.camera_id) is not armed) and armed.recording is None:
            path.unlink(missing_ok=True)  # disarmed meanwhile
            return
        if armed.window is not None and armed.window.wants(segment):
            self._take(armed, [segment])
            if armed.window.complete_with(segment):
                self._finish(armed)
            return
        armed.ring.add(segment)
        for old in armed.ring.expire(self.clock()):
            old.path.unlink(missing_ok=True)

    # ---- the recording -----------------------------------------------------------------------------

    def _open_recording(self, armed: _Armed, since: float) -> None:
        camera = self.catalog.camera(armed.camera_id)
        if camera is None:
            raise NotFound(f"no camera with id {armed.camera_id}")
        started = datetime.fromtimestamp(since, UTC)
        recording = Recording(stream_id=None, retention_policy=camera.retention, camera_id=armed.camera_id,
                              started_at=started)  # fmt: skip
        recording.storage_path = recording_prefix(camera.key, recording.id, started)
        folder = self.recordings_dir / recording.storage_path.rstrip("/")
        folder.mkdir(parents=True, exist_ok=True)
        self.catalog.add_recording(recording, armed.camera_id, str(folder))
        self.catalog.audit("system", "record-on-motion", str(recording.id), camera.name)
        armed.recording, armed.recording_dir, armed.promoted = recording, folder, []
        self._changed("recording-started", armed.camera_id, str(recording.id))

    def _take(self, armed: _Armed, segments: list[RingSegment]) -> None:
        """Move each segment into the recording's folder, then catalog it: a crash between the two leaves a file
        the recovery at start adopts (the recording is still 'recording'), never a row without its file."""
        recording, folder = armed.recording, armed.recording_dir
        assert recording is not None and folder is not None
        for segment in segments:
            size = segment.path.stat().st_size if segment.path.exists() else 0
            if size == 0:
                segment.path.unlink(missing_ok=True)
                continue
            target = _free_name(folder, segment.path.name)
            segment.path.replace(target)
            key = segment_key_under(recording.storage_path, target.name)
            self.catalog.add_segment(str(recording.id), armed.camera_id, target, key,
                                     datetime.fromtimestamp(segment.start, UTC), segment.duration, size)  # fmt: skip
            armed.taken_until = max(armed.taken_until, segment.end)
            armed.promoted.append(target.name)
            self._changed("segment", armed.camera_id, str(recording.id))
        if segments:
            self._segment_added()

    def _finish(self, armed: _Armed) -> None:
        recording = armed.recording
        if recording is None:
            return
        ended = datetime.fromtimestamp(max(armed.taken_until, recording.started_at.timestamp()), UTC)
        recording.stop(ended)
        self.catalog.finish_recording(recording.id, recording.status.value, ended)
        if not armed.promoted:  # the ring had nothing for it (stopped at once): no empty recording in the list
            self.catalog.mark_recording_deleted(str(recording.id), ended)
        log.info("event recording %s: %d segment(s) promoted", recording.id, len(armed.promoted))
        armed.recording, armed.recording_dir, armed.window, armed.taken_until = None, None, None, 0.0
        self._changed("recording-ended", armed.camera_id, str(recording.id))
        self._segment_added()


def _free_name(folder: Path, name: str) -> Path:
    """The segment's own name in the recording folder, or the next free attempt number (a ring restarted within
    the same second names its first file like the last one of the run before)."""
    target = folder / name
    parsed = parse_segment_file_name(name)
    attempt = parsed[1] if parsed else 0
    while target.exists() and parsed is not None:
        attempt += 1000
        target = folder / f"{name.split('Z-')[0]}Z-{attempt}.mp4"
    return target


def _empty_folder(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
