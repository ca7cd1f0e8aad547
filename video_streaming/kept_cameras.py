"""Cameras kept started (and recorded, for some) whatever their state: each retried with back-off while it is
down, on its own, for as long as it is configured. `vidstream serve` keeps every camera; the desktop keeps
those its wall shows. The operator's stop of a kept camera's recording keeps it live, unrecorded."""

from __future__ import annotations

import time
from typing import Any

from video_streaming.camera_registry import CameraRegistry
from video_streaming.camera_supervisor import CameraState, CameraSupervisor
from video_streaming.domain.result import Result
from video_streaming.live_streams import LiveStreams
from video_streaming.recording_lifecycle import RecordingLifecycle


class KeptCameras:
    def __init__(
        self, cameras: CameraRegistry, live: LiveStreams, recording: RecordingLifecycle, min_backoff: float = 2.0
    ) -> None:
        self.cameras = cameras
        self.live = live
        self.recording = recording
        self.supervisor = CameraSupervisor(self._start, wanted=self._wanted, min_backoff=min_backoff)
        self._recorded: set[str] = set()
        recording.on_lost = self.supervisor.lost  # a kept camera records again after a back-off

    def keep(self, camera_id: str, record: bool = False) -> None:
        """Start the camera (and record it) in the background, and keep doing so: a camera that is down is
        retried with back-off; one slow camera delays no other."""
        if record:
            self._recorded.add(camera_id)
        self.supervisor.keep(camera_id)

    async def release(self, camera_id: str) -> None:
        """Stop retrying the camera (it stays as it is: running or not)."""
        self._recorded.discard(camera_id)
        await self.supervisor.release(camera_id)

    def stop_recording(self, camera_id: str) -> None:
        """The operator stopped its recording: kept live from now on, not recorded again."""
        self._recorded.discard(camera_id)

    def state(self, camera_id: str) -> CameraState | None:
        """Running, starting, or waiting for the camera (retrying in N s) with the last real reason."""
        state = self.supervisor.states.get(camera_id)
        reason = self.recording.gap_reason(camera_id)
        if state is not None and state.state == "running" and reason:
            # Started, but the camera is away: MediaMTX pulls again and the recorder follows within seconds.
            return CameraState("waiting", self.live.source_error(camera_id) or reason, time.time() + 1.0)
        return state

    def states(self) -> dict[str, CameraState]:
        return {c: s for c in self.supervisor.states if (s := self.state(c)) is not None}

    def take_started(self) -> set[str]:
        return self.supervisor.take_started()

    async def close(self) -> None:
        await self.supervisor.close()

    def _wanted(self, camera_id: str) -> bool:
        camera = self.cameras.catalog.camera(camera_id)
        return camera is not None and camera.enabled

    async def _start(self, camera_id: str) -> Result[Any]:
        if camera_id in self._recorded:
            return await self.recording.record(camera_id)
        return await self.live.start(camera_id)
