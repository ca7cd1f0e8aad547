"""StreamingService: the seed API. Orchestrates the three ports and returns `Result`s, never raises
for an operational failure (bad URL, server down, disk full): the caller shows the reason."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from video_streaming.domain.camera import SourceUrl, mask_url, parse_source_url, recording_prefix, slugify
from video_streaming.domain.errors import InvalidInput, RecordingFailed, SourceUnavailable, VidStreamError
from video_streaming.domain.recording import Recording
from video_streaming.domain.result import Result
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.domain.stream import Stream
from video_streaming.ports import FFmpegService, MediaMTXClient, NoDiagnostics, SourceDiagnostics, StorageService

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class PlaybackUrls:
    """Where MediaMTX serves its paths. `rtsp_base` is also what the recorder reads."""

    rtsp_base: str = "rtsp://localhost:8554"
    hls_base: str = "http://localhost:8888"
    srt_base: str = "srt://localhost:8890"
    rtmp_base: str = "rtmp://localhost:1935"
    webrtc_base: str = "http://localhost:8889"
    # The server's read-only login for the app's own readers (tiles, recorders). Only the `reader_*` URLs
    # carry it, and they go to libvlc or to ffmpeg through a pipe: never to a command line, log or screen.
    reader_user: str = ""
    reader_password: str = field(default="", repr=False)

    def rtsp(self, path: str) -> str:
        return f"{self.rtsp_base}/{path}"

    def _userinfo(self) -> str:
        return f"{quote(self.reader_user, safe='')}:{quote(self.reader_password, safe='')}@" if self.reader_user else ""

    def reader_rtsp(self, path: str) -> str:
        return self.rtsp(path).replace("://", "://" + self._userinfo(), 1)

    def serves(self, url: str) -> bool:
        """Is `url` a stream of this server (a camera pushing into it)? Then it is read with the reader login."""
        parts, base = urlsplit(url), urlsplit(self.rtsp_base)
        return (parts.scheme.lower(), parts.hostname, parts.port) == (base.scheme.lower(), base.hostname, base.port)

    def for_reader(self, path: str) -> dict[str, str]:
        """`all(path)` with the reader login in each, for the app's own players."""
        urls = self.all(path)
        if not self.reader_user:
            return urls
        user, password = self.reader_user, self.reader_password
        urls["rtsp"] = self.reader_rtsp(path)
        urls["hls"] = urls["hls"].replace("://", "://" + self._userinfo(), 1)
        urls["srt"] = f"{self.srt_base}?streamid=read:{path}:{user}:{password}"
        urls["rtmp"] = f"{self.rtmp(path)}?{urlencode({'user': user, 'pass': password})}"
        return urls

    def hls(self, path: str) -> str:
        return f"{self.hls_base}/{path}/index.m3u8"

    def srt(self, path: str) -> str:
        return f"{self.srt_base}?streamid=read:{path}"

    def rtmp(self, path: str) -> str:
        return f"{self.rtmp_base}/{path}"

    def reader_rtmp(self, path: str) -> str:
        """MediaMTX takes an RTMP reader's login from the query string (keep it off command lines)."""
        if not self.reader_user:
            return self.rtmp(path)
        return f"{self.rtmp(path)}?user={quote(self.reader_user, safe='')}&pass={quote(self.reader_password, safe='')}"

    def webrtc(self, path: str) -> str:
        return f"{self.webrtc_base}/{path}/whep"

    def all(self, path: str) -> dict[str, str]:
        """Every way to play `path`, by transport name."""
        return {"rtsp": self.rtsp(path), "hls": self.hls(path), "srt": self.srt(path), "rtmp": self.rtmp(path),
                "webrtc": self.webrtc(path)}  # fmt: skip


def source_of(stream: Stream) -> SourceUrl:
    """The stream's source with its login apart (a stream made outside `start_stream` has only its URL)."""
    return stream.source or parse_source_url(stream.source_url)


def _unwrap(item: T | Result[T], what: str) -> T:
    """The seed's quick start passes the `Result` of start_stream straight into start_recording."""
    if isinstance(item, Result):
        if item.is_failure:
            raise InvalidInput(f"cannot use a failed {what}: {item.error}")
        return item.value
    return item


class StreamingService:
    def __init__(
        self,
        mediamtx: MediaMTXClient,
        ffmpeg_service: FFmpegService,
        storage_service: StorageService,
        *,
        urls: PlaybackUrls | None = None,
        recordings_dir: str | Path = "recordings",
        ready_timeout: float = 10.0,
        camera_keys: Callable[[Any], str] | None = None,
        diagnostics: SourceDiagnostics | None = None,
    ) -> None:
        self.mediamtx = mediamtx
        # Why a camera gives no media (its server's log, a web page, a silent port...), from the media server
        # adapter when it can say (bootstrap passes it); the seed's bare port says only "not ready".
        self.diagnostics = diagnostics or NoDiagnostics()
        self.ffmpeg = ffmpeg_service
        self.storage = storage_service
        self.urls = urls or PlaybackUrls()
        self.recordings_dir = Path(recordings_dir)
        self.ready_timeout = ready_timeout
        self._camera_key = camera_keys or (lambda camera_id: slugify(str(camera_id)))
        self.streams: dict[uuid.UUID, Stream] = {}
        self.recordings: dict[uuid.UUID, Recording] = {}
        self.recording_dirs: dict[uuid.UUID, Path] = {}

    # ---- streams ----------------------------------------------------------------------------------

    async def start_stream(self, camera_id: Any, source_url: str | SourceUrl) -> Result[Stream]:
        """Provision the camera on the media server and wait for its first media. `source_url` is a URL
        (the seed's form, its login in it) or a SourceUrl whose login travels apart: the app's own cameras
        come that way, so the stream keeps an address without secrets."""
        try:
            # Garbage is refused before it reaches MediaMTX.
            source = source_url if isinstance(source_url, SourceUrl) else parse_source_url(source_url)
        except VidStreamError as error:
            return Result.from_exception(error)
        shown = source_url if isinstance(source_url, str) else source.url
        stream = Stream(camera_id=camera_id, source_url=shown, source=source)
        stream.start()
        try:
            await self.mediamtx.start_source(stream.path_name, source)
        except VidStreamError as error:
            stream.mark_error(error.message)
            return Result.from_exception(error)
        try:
            await self._wait_ready(stream)
        except VidStreamError as error:
            stream.mark_error(error.message)
            await self._forget_path(stream)
            return Result.from_exception(error)
        except asyncio.CancelledError:  # the caller gave up (window closed, its own deadline): no stray path
            await asyncio.shield(self._forget_path(stream))
            raise
        stream.mark_running()
        self.streams[stream.id] = stream
        log.info("stream %s for camera %s running from %s", stream.id, camera_id, mask_url(shown))
        return Result.ok(stream)

    async def _wait_ready(self, stream: Stream) -> None:
        deadline = time.monotonic() + self.ready_timeout
        delay = 0.05
        started = time.monotonic()
        asked = False
        while True:
            status = await self.mediamtx.get_stream_status(stream.path_name)
            if status.get("ready"):
                return
            if not asked and time.monotonic() - started >= 1.0:
                asked = True  # once: a camera that says no now says it again; MediaMTX keeps trying anyway
                if (refused_now := await self.diagnostics.refusal(source_of(stream))) is not None:
                    raise SourceUnavailable(f"the camera gives no media ({mask_url(stream.source_url)}): "
                                            f"{mask_url(refused_now.reason)}", refused_now.hint)  # fmt: skip
            # MediaMTX tries again only 5 s after a failed pull: once it said why, waiting longer is waste.
            refused = self.diagnostics.source_error(stream.path_name)
            if (refused is not None and time.monotonic() - started >= 1.0) or time.monotonic() >= deadline:
                where = mask_url(stream.source_url)
                message = (f"the camera gives no media ({where})" if refused is not None
                           else f"the camera sent no media within {self.ready_timeout:.0f} s ({where})")  # fmt: skip
                hint = "check the camera URL, its credentials and that it is on the network"
                diagnosis = await self.diagnostics.explain_not_ready(source_of(stream), path_name=stream.path_name)
                if diagnosis is not None:
                    message, hint = f"{message}: {mask_url(diagnosis.reason)}", diagnosis.hint
                raise SourceUnavailable(message, hint)
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    async def _forget_path(self, stream: Stream) -> None:
        try:
            await self.mediamtx.stop_stream(stream.path_name)
        except VidStreamError as error:
            log.warning("could not remove path %s: %s", stream.path_name, error)

    async def stop_stream(self, stream: Stream | Result[Stream]) -> Result[Stream]:
        try:
            target = _unwrap(stream, "stream")
            for recording in [r for r in self.recordings.values() if r.stream_id == target.id and r.is_active()]:
                await self.stop_recording(recording)
            await self.mediamtx.stop_stream(target.path_name)
            target.stop()
        except VidStreamError as error:
            return Result.from_exception(error)
        self.streams.pop(target.id, None)
        return Result.ok(target)

    async def restore_stream(self, stream: Stream) -> Result[Stream]:
        """Provision an existing stream again (after MediaMTX restarted), keeping its id and URLs."""
        try:
            await self.mediamtx.start_source(stream.path_name, source_of(stream))
        except VidStreamError as error:
            if error.kind != "path_exists":
                return Result.from_exception(error)
        return Result.ok(stream)

    async def stream_status(self, stream: Stream) -> dict[str, Any]:
        return await self.mediamtx.get_stream_status(stream.path_name)

    def playback_urls(self, stream: Stream) -> dict[str, str]:
        return self.urls.all(stream.path_name)

    def hls_url(self, stream: Stream) -> str:
        return self.urls.hls(stream.path_name)

    # ---- recordings -------------------------------------------------------------------------------

    async def start_recording(
        self,
        stream: Stream | Result[Stream],
        retention_days: int = 30,
        *,
        retention_policy: RetentionPolicy | None = None,
    ) -> Result[Recording]:
        try:
            target = _unwrap(stream, "stream")
            if not target.is_active():
                raise InvalidInput(f"the stream is {target.status.value}", "start the stream before recording it")
            policy = retention_policy or RetentionPolicy(retention_days)
            recording = Recording(stream_id=target.id, retention_policy=policy, camera_id=target.camera_id)
            camera_key = self._camera_key(target.camera_id)
            recording.storage_path = recording_prefix(camera_key, recording.id, recording.started_at)
            output_dir = self.recordings_dir / recording.storage_path.rstrip("/")
            started = await self.ffmpeg.start_recording(
                recording.id, self.urls.reader_rtsp(target.path_name), str(output_dir)
            )
            if not started:
                raise RecordingFailed("the recorder did not start", "check that ffmpeg is installed")
        except VidStreamError as error:
            return Result.from_exception(error)
        except OSError as error:
            return Result.fail(
                "recording_failed",
                f"cannot write recordings: {error.strerror}",
                "check the recordings folder's permissions and free space",
            )
        self.recordings[recording.id] = recording
        self.recording_dirs[recording.id] = output_dir
        return Result.ok(recording)

    async def stop_recording(self, recording: Recording | Result[Recording]) -> Result[Recording]:
        try:
            target = _unwrap(recording, "recording")
            if not target.is_active():
                return Result.ok(target)
            await self.ffmpeg.stop_recording(target.id)
            target.stop()
        except VidStreamError as error:
            return Result.from_exception(error)
        return Result.ok(target)

    async def recording_url(self, remote_path: str, expires_in: int = 3600) -> Result[str]:
        return await _capture(self.storage.get_file_url(remote_path, expires_in))


async def _capture(operation: Awaitable[T]) -> Result[T]:
    try:
        return Result.ok(await operation)
    except VidStreamError as error:
        return Result.from_exception(error)
