"""The ring recorder of motion mode: the ffmpeg recorder with short segments, one job per camera, telling each
closed segment to the motion-recording use case (and nothing to the core, the catalog or the archiver)."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.adapters.recorder_codecs import RtmpRoute, TrackLookup
from video_streaming.motion.recording import FailureSink, RingSegmentSink
from video_streaming.recorder_events import RecorderEvent, RecordingFailedEvent, SegmentClosed

log = logging.getLogger(__name__)
RING_SEGMENT_SECONDS = 2  # short, so the ring holds little more than the pre-roll


class FFmpegRingRecorder:
    def __init__(
        self, segment_seconds: int = RING_SEGMENT_SECONDS, track_lookup: TrackLookup | None = None,
        rtmp_route: RtmpRoute | None = None,
    ) -> None:  # fmt: skip
        """`rtmp_route` as for FFmpegRecorder: the pre-roll of an H.264 + AAC camera is read as its recording is."""
        self.segment_seconds = segment_seconds
        self._recorder = FFmpegRecorder(segment_seconds=segment_seconds, on_event=self._on_event,
                                        track_lookup=track_lookup, rtmp_route=rtmp_route)  # fmt: skip
        self._jobs: dict[str, uuid.UUID] = {}
        self._sinks: dict[uuid.UUID, tuple[RingSegmentSink, FailureSink]] = {}

    async def start(
        self, camera_id: str, source_url: str, folder: Path, on_segment: RingSegmentSink, on_failure: FailureSink
    ) -> None:
        if camera_id in self._jobs:
            return
        job = uuid.uuid4()
        self._sinks[job] = (on_segment, on_failure)
        try:
            await self._recorder.start_recording(job, source_url, str(folder))
        except BaseException:
            self._sinks.pop(job, None)
            raise
        self._jobs[camera_id] = job

    async def stop(self, camera_id: str) -> None:
        job = self._jobs.pop(camera_id, None)
        if job is None:
            return
        await self._recorder.stop_recording(job)  # the last segments are told before it returns
        self._sinks.pop(job, None)

    async def close(self) -> None:
        for camera_id in list(self._jobs):
            await self.stop(camera_id)

    def _on_event(self, event: RecorderEvent) -> None:
        sinks = self._sinks.get(event.recording_id)
        if sinks is None:
            return
        on_segment, on_failure = sinks
        if isinstance(event, SegmentClosed):
            on_segment(event.path, event.start, event.duration)
        elif isinstance(event, RecordingFailedEvent):  # a full disk: the recorder gave up on this job
            log.error("the motion ring recorder stopped: %s", event.error)
            self._jobs = {camera: job for camera, job in self._jobs.items() if job != event.recording_id}
            on_failure(str(event.error))
