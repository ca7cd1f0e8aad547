"""Motion on the recording side: which cameras are watched, with which stream, recorded on motion or not,
and what the operator is told of tampering. Ties the motion detector and the motion recording to the
cameras and their live streams."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from video_streaming.announcer import Announcer
from video_streaming.camera_registry import CameraRegistry
from video_streaming.domain.camera import Camera, RecordingMode
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.result import Result
from video_streaming.live_streams import LiveStreams
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.recording import MotionRecordingService
from video_streaming.motion.service import MotionNotice, MotionService, NoticeKind

# How long start_motion waits for a just-started path to say its codec (see _detector_url).
CODEC_WAIT_S = 0.25
CODEC_WAIT_TRIES = 12
TAMPER_TEXTS = {
    "frozen": "the picture is frozen",
    "blinded": "the picture shows nothing (covered or blinded?)",
    "moved": "the view changed at once (camera moved?)",
}


class MotionCoordinator:
    def __init__(self, cameras: CameraRegistry, live: LiveStreams, announcer: Announcer) -> None:
        self.cameras = cameras
        self.live = live
        self.announcer = announcer
        self.motion: MotionService | None = None  # set by bootstrap (attach)
        self.recording: MotionRecordingService | None = None  # cameras in motion mode (bootstrap)
        self.over_rtmp = False  # the media server's RTMP listener is on (the embedded one's is)

    def attach(self, motion: MotionService) -> None:
        self.motion = motion
        motion.listeners.append(self._on_notice)

    def attach_recording(self, recording: MotionRecordingService) -> None:
        """After attach: motion events promote the rings of cameras in motion mode."""
        self.recording = recording
        if self.motion is not None:
            self.motion.listeners.append(recording.on_motion)

    async def set_recording_mode(self, camera_id: str, mode: RecordingMode) -> Camera:
        """Store the mode; a camera leaving motion mode stops its ring (one entering it starts with start)."""
        camera = self.cameras.camera(camera_id)
        if camera.site:
            raise VidStreamError(f"{camera.name} is recorded by the recorder of site {self.cameras.site_name(camera)}")
        updated = replace(camera, recording_mode=mode)
        self.cameras.catalog.save_camera(updated)
        self.cameras.catalog.audit("operator", "recording-mode", camera_id, mode.value)
        self.announcer.changed("camera", camera_id)
        if mode is not RecordingMode.MOTION and self.recording is not None:
            await self.recording.disarm(camera_id)
        return updated

    def set_settings(self, camera_id: str, settings: MotionSettings) -> None:
        if self.motion is None:
            raise VidStreamError("motion detection is not available in this build")
        self.cameras.camera(camera_id)  # an unknown camera is an error, not a row for nobody
        self.motion.store.save_settings(camera_id, settings)

    async def start(self, camera_id: str, record_on_motion: bool = True) -> Result[bool]:
        """Watch a camera for motion (its sub-stream when it has one) if its settings say so, or if it records
        on motion (then its ring starts too, unless `record_on_motion` is False); restart it with the current
        settings. Ok(False): detection is off for this camera."""
        if self.motion is None:
            return Result.ok(False)
        camera = self.cameras.catalog.camera(camera_id)
        if camera is not None and camera.site:
            return Result.fail("not_supported", f"{camera.name} is watched for motion by its site's recorder")
        settings = self.motion.store.settings(camera_id)
        on_motion = camera is not None and camera.recording_mode is RecordingMode.MOTION and record_on_motion
        if not settings.enabled and not on_motion:
            await self.motion.unwatch(camera_id)
            return Result.ok(False)
        if on_motion and self.recording is not None:
            main = await self.live.start(camera_id)
            if main.is_failure:
                return Result(error=main.error)
            # The ring records the main stream, as a continuous recording would (read with the reader login).
            armed = await self.recording.arm(camera_id, self.live.service.urls.reader_rtsp(main.value.path_name))
            if armed.is_failure:
                return Result(error=armed.error)
        stream = await self.live.start(camera_id, sub_stream=True)
        if stream.is_failure:
            return Result(error=stream.error)
        detect = replace(settings, enabled=True)
        await self.motion.watch(camera_id, await self._detector_url(camera_id, stream.value.path_name), detect)
        return Result.ok(True)

    async def stop(self, camera_id: str) -> None:
        """The camera goes away: no detector, no ring."""
        if self.motion is not None:
            await self.motion.unwatch(camera_id)
        if self.recording is not None:
            await self.recording.disarm(camera_id)

    async def _detector_url(self, camera_id: str, path: str) -> str:
        """Where the detector reads a camera, with the reader login (nobody reads the embedded server anonymously;
        the reader keeps the login off ffmpeg's command line). H.264 over RTMP: ffmpeg's RTP depacketizer holds
        each H.264 frame until the next one begins, and RTMP delivers whole frames (measured on a 5 fps
        sub-stream: motion noticed 0.56 s after it started over RTSP, 0.36 s over RTMP). Any other codec, or
        one not known within a few seconds, over RTSP (ffmpeg 5.1 reads no H.265 or M-JPEG from RTMP); so is
        every camera of a media server whose RTMP listener is not known to be on (`over_rtmp`)."""
        codec = None
        for _ in range(CODEC_WAIT_TRIES):
            codec = await self.live.video_codec(camera_id, sub_stream=True)
            if codec is not None:
                break
            await asyncio.sleep(CODEC_WAIT_S)
        if codec == "H264" and self.over_rtmp:
            return self.live.service.urls.reader_rtmp(path)
        return self.live.service.urls.reader_rtsp(path)

    def _on_notice(self, notice: MotionNotice) -> None:
        name = self.cameras.name_of(notice.camera_id)
        if notice.kind is NoticeKind.TAMPER and notice.tamper is not None:
            text = TAMPER_TEXTS.get(notice.tamper.value, notice.tamper.value)
            self.announcer.alert("warning", f"{name}: {text}")
            self.cameras.catalog.audit("system", "tamper", notice.camera_id, notice.tamper.value)
        elif notice.kind is NoticeKind.TAMPER_CLEARED and notice.tamper is not None:
            self.announcer.alert("info", f"{name}: the picture is normal again (was {notice.tamper.value})")

    def acknowledge_tamper(self, camera_id: str) -> bool:
        """The operator saw the camera's "moved" alert: its new view is the normal one from now on (audited).
        False: nothing to acknowledge (frozen and blinded end by themselves when the picture is back)."""
        if self.motion is None or not self.motion.acknowledge_tamper(camera_id):
            return False
        self.cameras.catalog.audit("operator", "tamper-acknowledged", camera_id, "moved")
        return True

    def tampered(self, camera_id: str) -> frozenset[str]:
        """The camera's tamper conditions now ("frozen", "blinded", "moved")."""
        return frozenset(kind.value for kind in self.motion.tampered(camera_id)) if self.motion else frozenset()

    def is_recording_event(self, camera_id: str) -> bool:
        """A camera in motion mode is adding to an event recording now (not an operator's recording)."""
        return self.recording is not None and self.recording.event_recording(camera_id) is not None

    async def close(self) -> None:
        if self.motion is not None:
            await self.motion.close()  # ends open events: their recordings get their post-roll's end
        if self.recording is not None:
            await self.recording.close()
