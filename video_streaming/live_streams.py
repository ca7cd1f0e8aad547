"""Live streams: each camera provisioned on the media server once (main stream and sub-stream), re-provisioned
when the server restarts, kicked when a camera that was away answers again, and probed for the dialog."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from video_streaming.camera_registry import CameraRegistry
from video_streaming.domain.camera import SourceUrl, mask_url
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.result import Result
from video_streaming.domain.stream import Stream
from video_streaming.health import source_answers
from video_streaming.live_transports import video_codec
from video_streaming.ports import MediaServer
from video_streaming.service import StreamingService, source_of
from video_streaming.site_sync import SiteSync
from video_streaming.stream_table import StreamTable

log = logging.getLogger(__name__)
KICK_EVERY_S = 1.0  # at most this often per path: a camera that answers but does not stream is not hammered


class LiveStreams:
    def __init__(
        self, service: StreamingService, mediamtx: MediaServer, cameras: CameraRegistry, table: StreamTable,
        sites: SiteSync, alert: Callable[[str, str], None],
    ) -> None:  # fmt: skip
        self.service = service
        self.mediamtx = mediamtx
        self.cameras = cameras
        self.table = table
        self.sites = sites
        self.alert = alert
        self._last_kick: dict[str, float] = {}

    async def start(self, camera_id: str, sub_stream: bool = False) -> Result[Stream]:
        """Provision the camera's main stream (recorded, shown big) or its sub-stream (small tiles).
        Asking for a sub-stream the camera does not have gives the main stream."""
        try:
            camera = self.cameras.camera(camera_id)
        except VidStreamError as error:
            return Result.from_exception(error)
        use_sub = sub_stream and camera.sub_stream is not None
        streams = self.table.kind(use_sub)
        if (existing := streams.get(camera_id)) is not None and existing.is_active():
            return Result.ok(existing)
        if camera.site:
            return await self.sites.start_site_stream(camera, use_sub)
        source = self.cameras.source(camera, sub_stream=use_sub)
        if self.service.urls.serves(camera.source.url):
            try:
                await self.cameras.sync_publishers()
            except VidStreamError as error:
                return Result.from_exception(error)
        result = await self.service.start_stream(str(camera.id), source)
        if result.is_success:
            streams[camera_id] = result.value
        return result

    async def stop(self, camera_id: str) -> None:
        """Remove the camera's paths from the media server (a site's paths belong to its recorder: kept)."""
        site_camera = camera_id in self.table.from_sites
        self.table.from_sites.discard(camera_id)
        for streams in (self.table.main, self.table.sub):
            stream = streams.pop(camera_id, None)
            if stream is not None and not site_camera:
                await self.service.stop_stream(stream)

    def has_sub_stream(self, camera_id: str) -> bool:
        camera = self.cameras.catalog.camera(camera_id)
        return camera is not None and camera.sub_stream is not None

    def urls(self, camera_id: str, sub_stream: bool = False) -> dict[str, str]:
        """Where the app's own players read the camera, with the read login (a site's camera: its server)."""
        stream = self.table.shown(camera_id, sub_stream)
        if stream is None:
            return {}
        site = self.sites.site_of_stream(camera_id)
        urls = site.urls if site is not None else self.service.urls
        return urls.for_reader(stream.path_name)

    async def video_codec(self, camera_id: str, sub_stream: bool = False) -> str | None:
        """The video codec the camera's live stream carries, as MediaMTX names it (None: not known yet)."""
        stream = self.table.shown(camera_id, sub_stream)
        if stream is None or camera_id in self.table.from_sites:
            return None
        try:
            status = await self.service.stream_status(stream)
        except VidStreamError:
            return None
        return video_codec(list(status.get("tracks") or []))

    def source_error(self, camera_id: str) -> str | None:
        """Why the media server cannot pull the camera now, in words (None: no reason known)."""
        stream = self.table.main.get(camera_id)
        return self.mediamtx.source_error(stream.path_name) if stream is not None else None

    async def probe(self, source: SourceUrl) -> str:
        """What the camera at `source` sends ("H264, MPEG-4 Audio 1280x720"): provisioned on MediaMTX for a
        moment. A wrong host name or a dead address fails in seconds, with what to do about it."""
        problem = await self.mediamtx.reachability_problem(source.url)
        if problem is not None:
            raise VidStreamError(mask_url(problem.reason), problem.hint)
        result = await self.service.start_stream("probe", source)
        if result.is_failure:
            raise VidStreamError(str(result.error))
        try:
            status = await self.service.stream_status(result.value)
            video = status.get("video") or {}
            size = f" {video.get('width')}x{video.get('height')}" if video.get("width") else ""
            return ", ".join(status.get("tracks", [])) + size
        finally:
            await self.service.stop_stream(result.value)

    async def reprovision(self) -> None:
        """Provision every stream again (the media server restarted, or someone removed our paths)."""
        for sub in (False, True):
            for camera_id, stream in list(self.table.kind(sub).items()):
                if camera_id in self.table.from_sites:  # served by its site's MediaMTX, not ours
                    continue
                camera = self.cameras.catalog.camera(camera_id)
                if camera is not None:  # its login may have changed since
                    stream.source = self.cameras.source(camera, sub_stream=sub)
                    stream.source_url = stream.source.url
                result = await self.service.restore_stream(stream)
                if result.is_failure:
                    self.alert("warning", f"{self.cameras.name_of(camera_id)}: {result.error}")

    async def follow_server(self, paths: dict[str, dict[str, Any]]) -> None:
        """After a listing of the server's paths: provision again what it lost, kick what came back."""
        if any(s.path_name not in paths for s in self.table.own()):
            await self.reprovision()
        await self._kick_returned_sources(paths)

    async def _kick_returned_sources(self, paths: dict[str, dict[str, Any]]) -> None:
        """MediaMTX retries a failed pull only every 5 s. When a stream's path is not ready but its camera
        answers on the network again, re-provision the path so the pull (and the recording) resume at
        once instead of up to 5 s later."""
        now = asyncio.get_running_loop().time()
        for stream in self.table.own():
            state = paths.get(stream.path_name)
            if state is None or state.get("ready") or now - self._last_kick.get(stream.path_name, 0.0) < KICK_EVERY_S:
                continue
            if not await source_answers(stream.source_url):
                continue
            self._last_kick[stream.path_name] = now
            try:
                await self.mediamtx.stop_stream(stream.path_name)
                await self.mediamtx.start_source(stream.path_name, source_of(stream))
            except VidStreamError as error:
                log.warning("could not restart the pull of %s: %s", stream.path_name, error)
