"""VidStreamCore: cameras, live streams, recordings, archive and retention wired together.

The desktop app and the headless recorder both drive this object; it holds no Qt and no I/O library
of its own (those are behind the ports and adapters it is given by bootstrap.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from video_streaming.adapters.ffmpeg import (
    FFmpegRecorder,
    RecorderEvent,
    RecordingFailedEvent,
    RecordingGap,
    RecordingNotice,
    SegmentClosed,
    probe_duration,
)
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.archiver import Archiver
from video_streaming.bookmarks import BookmarkService
from video_streaming.camera_supervisor import CameraState, CameraSupervisor
from video_streaming.catalog import Catalog, SegmentRow
from video_streaming.deletion import RecordingDeletion
from video_streaming.domain.camera import (
    MAX_NAME_LENGTH,
    Camera,
    RecordingMode,
    SourceUrl,
    mask_url,
    parse_segment_file_name,
    segment_key_under,
)
from video_streaming.domain.errors import DiskFull, InvalidInput, NotFound, VidStreamError
from video_streaming.domain.recording import Recording
from video_streaming.domain.result import Result
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.domain.stream import Stream
from video_streaming.live_transports import video_codec
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.recording import MotionRecordingService
from video_streaming.motion.service import MotionNotice, MotionService, NoticeKind
from video_streaming.ports import ArchiveStorage
from video_streaming.replay import FootagePart, recent_footage
from video_streaming.retention import RetentionEnforcer, disk_state
from video_streaming.secrets import SecretStore
from video_streaming.service import StreamingService
from video_streaming.sites import DirectoryCamera, RemoteSite, SiteDirectory, directory_of

log = logging.getLogger(__name__)
Alert = Callable[[str, str], None]  # (level, message): "warning" / "error"


@dataclass(frozen=True)
class PublishLogin:
    """A camera pushing into this machine's MediaMTX may publish on `path`, and nowhere else."""

    user: str
    password: str = field(repr=False)
    path: str


@dataclass(frozen=True)
class CatalogChange:
    """What changed in the catalog, told to listeners the moment it happens (the recordings browser follows
    recordings as they start, grow and end without polling). `what` is one of CHANGE_KINDS."""

    what: str
    camera_id: str = ""
    recording_id: str = ""


CHANGE_KINDS = ("camera", "recording-started", "recording-ended", "segment", "gap", "archive-merged")
ChangeListener = Callable[[CatalogChange], None]


def camera_secret_name(camera_id: uuid.UUID | str) -> str:
    return f"camera-password:{camera_id}"


def camera_query_secret_name(camera_id: uuid.UUID | str, sub_stream: bool = False) -> str:
    """Password-like query parameters of a camera's URL (`pwd=`, `passphrase=`...), kept as a secret."""
    return f"camera-query{'-sub' if sub_stream else ''}:{camera_id}"


@dataclass
class Health:
    mediamtx_ok: bool = False
    mediamtx_error: str = ""
    storage_ok: bool = False
    storage_error: str = ""
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    cameras_online: int = 0
    tiles_degraded: int = 0  # set by a wall: tiles whose picture is shown but not current
    cameras_total: int = 0
    recordings: int = 0
    upload_queue: int = 0
    disk_free_bytes: int = 0
    disk_low: bool = False
    sites_total: int = 0  # remote recorder sites this machine shows
    site_errors: dict[str, str] = field(default_factory=dict)  # site key -> why it cannot be reached
    moved_cameras: set[str] = field(default_factory=set)  # site cameras now live on another path: re-open them
    cameras_changed: bool = False  # a site added, renamed or changed cameras: refresh camera lists
    started_cameras: set[str] = field(default_factory=set)  # kept cameras that came up since the last poll
    camera_states: dict[str, CameraState] = field(default_factory=dict)  # kept cameras: running, waiting...

    def has_path(self, path_name: str | None) -> bool:
        """The media server has this path (configured, whether or not a source sends on it)."""
        return bool(path_name) and path_name in self.paths

    def path_ready(self, path_name: str | None) -> bool:
        """A source publishes on the path: readers get pictures."""
        return bool(path_name) and bool(self.paths.get(str(path_name), {}).get("ready"))


# How long start_motion waits for a just-started path to say its codec (see _detector_url).
CODEC_WAIT_S = 0.25
CODEC_WAIT_TRIES = 12


class VidStreamCore:
    def __init__(
        self,
        *,
        service: StreamingService,
        catalog: Catalog,
        recorder: FFmpegRecorder,
        archiver: Archiver,
        retention: RetentionEnforcer,
        mediamtx: MediaMTXClientImpl,
        storage: ArchiveStorage,
        secrets: SecretStore,
        recordings_dir: Path,
        min_free_bytes: int = 1024**3,
        sites: list[RemoteSite] | None = None,
        work_dir: Path | None = None,
    ) -> None:
        self.service = service
        self.catalog = catalog
        self.recorder = recorder
        self.archiver = archiver
        self.retention = retention
        self.mediamtx = mediamtx
        self.storage = storage
        self.secrets = secrets
        self.recordings_dir = recordings_dir
        self.min_free_bytes = min_free_bytes
        self.alert_listeners: list[Alert] = []
        self.change_listeners: list[ChangeListener] = []
        self.streams: dict[str, Stream] = {}  # camera id -> main stream (recorded, shown big)
        self.motion_over_rtmp = False  # the media server's RTMP listener is on (the embedded one's is)
        self.sub_streams: dict[str, Stream] = {}  # camera id -> sub-stream (small tiles), when it has one
        self.active_recordings: dict[str, Recording] = {}  # camera id -> recording
        self._open_gaps: dict[str, datetime] = {}
        self._last_kick: dict[str, float] = {}
        self.sites: dict[str, RemoteSite] = {site.key: site for site in sites or []}
        self.work_dir = work_dir or recordings_dir.parent / "run"
        self._site_cameras: set[str] = set()  # ids of cameras whose streams play from a remote site
        self._moved_cameras: set[str] = set()
        self._site_cameras_changed = False
        self._next_site_sync = 0.0
        self.setup_problems: list[str] = []  # found while wiring the core (e.g. a site left out); told at start
        # Set by bootstrap for an app-owned MediaMTX: gives each camera that pushes into it a login of its own.
        self.publishers_changed: Callable[[list[PublishLogin]], Awaitable[None]] | None = None
        self._publishers: list[PublishLogin] = []
        # Cameras kept started (and recorded, for those in `_kept_recording`) whatever their state: retried
        # with back-off while down, each on its own.
        self.supervisor = CameraSupervisor(self._start_kept, wanted=self._camera_wanted)
        self._kept_recording: set[str] = set()
        self._gap_reasons: dict[str, str] = {}  # camera id -> why its recording is paused right now
        self.motion: MotionService | None = None  # set by bootstrap; see start_motion
        self.bookmarks = BookmarkService(catalog, storage)
        self.deletion = RecordingDeletion(catalog, storage)
        self.motion_recording: MotionRecordingService | None = None  # cameras in motion mode (bootstrap)
        recorder.on_event = self._on_recorder_event
        archiver.on_damaged = self._on_damaged_segment
        archiver.on_archived = self._on_archived

    # ---- alerts ------------------------------------------------------------------------------------

    def alert(self, level: str, message: str) -> None:
        levels = {"error": logging.ERROR, "warning": logging.WARNING}
        log.log(levels.get(level, logging.INFO), "%s", mask_url(message))
        for listener in list(self.alert_listeners):
            listener(level, mask_url(message))

    def changed(self, what: str, camera_id: str = "", recording_id: str = "") -> None:
        """Tell every change listener; one that fails is logged and never stops the recorder."""
        change = CatalogChange(what, camera_id, recording_id)
        for listener in list(self.change_listeners):
            try:
                listener(change)
            except Exception:
                log.exception("a catalog change listener failed")

    # ---- cameras -----------------------------------------------------------------------------------

    def cameras(self) -> list[Camera]:
        return self.catalog.cameras()

    def camera(self, camera_id: str) -> Camera:
        camera = self.catalog.camera(camera_id)
        if camera is None:
            raise NotFound(f"no camera with id {camera_id}")
        return camera

    def save_camera(self, camera: Camera, password: str | None = None) -> None:
        """Store a camera; its password goes to the secret store, never to the catalog."""
        if password is not None:
            if password:
                self.secrets.set(camera_secret_name(camera.id), password)
            else:
                self.secrets.delete(camera_secret_name(camera.id))
        # A URL shown for editing has no query password, so one that is absent from an edited URL is kept.
        for sub, source in ((False, camera.source), (True, camera.sub_stream)):
            if source is not None and source.secret_query:
                self.secrets.set(camera_query_secret_name(camera.id, sub), source.secret_query)

        self.catalog.save_camera(camera)
        self.changed("camera", str(camera.id))

    def add_camera(
        self, name: str, url: str, *, sub_stream_url: str | None = None, retention_days: int = 30,
        camera_id: uuid.UUID | None = None, password: str | None = None,
    ) -> Result[Camera]:  # fmt: skip
        """`url` may carry user:password; they are split off and the password kept as a secret. A `password`
        given apart (prompted for, read from stdin) takes the place of one in the URL."""
        try:
            camera = Camera.create(name, url, sub_stream_url=sub_stream_url, retention_days=retention_days,
                                   camera_id=camera_id)  # fmt: skip
            self.save_camera(camera, password if password is not None else camera.source.password)
            camera = Camera(camera.name, SourceUrl(camera.source.url, camera.source.username), camera.id,
                            camera.sub_stream, camera.retention, camera.enabled)  # fmt: skip
        except VidStreamError as error:
            return Result.from_exception(error)
        self.catalog.audit("operator", "camera-add", str(camera.id), camera.name)
        return Result.ok(camera)

    def edit_camera(
        self, camera_id: str, *, name: str, url: str, username: str = "", password: str | None = None,
        sub_stream_url: str = "", retention_days: int = 30, recording_mode: RecordingMode | None = None,
    ) -> Result[Camera]:  # fmt: skip
        """Change a camera as its dialog does (the name normalised as on add); `password` None keeps the
        stored one, "" forgets it. A site's camera belongs to its recorder and is refused."""
        try:
            camera = self.camera(camera_id)
            if camera.site:
                raise InvalidInput(f"{camera.name} belongs to site {self.site_name(camera)}",
                                   "change it on that site's recorder")  # fmt: skip
            updated = camera.edited(name=name, source_url=url, username=username, sub_stream_url=sub_stream_url,
                                    retention_days=retention_days,
                                    recording_mode=recording_mode or camera.recording_mode)  # fmt: skip
            self.save_camera(updated, password)
        except VidStreamError as error:
            return Result.from_exception(error)
        self.catalog.audit("operator", "camera-edit", camera_id, updated.name)
        return Result.ok(updated)

    async def probe_camera(self, url: str) -> str:
        """What the camera at `url` sends ("H264, MPEG-4 Audio 1280x720"): provisioned on MediaMTX for a
        moment. A wrong host name or a dead address fails in seconds, with what to do about it."""
        problem = await self.mediamtx.reachability_problem(url)
        if problem is not None:
            raise VidStreamError(mask_url(problem.reason), problem.hint)
        result = await self.service.start_stream("probe", url)
        if result.is_failure:
            raise VidStreamError(str(result.error))
        try:
            status = await self.service.stream_status(result.value)
            video = status.get("video") or {}
            size = f" {video.get('width')}x{video.get('height')}" if video.get("width") else ""
            return ", ".join(status.get("tracks", [])) + size
        finally:
            await self.service.stop_stream(result.value)

    async def remove_camera(self, camera_id: str) -> None:
        await self.release_camera(camera_id)
        await self.stop_camera(camera_id)
        self.secrets.delete(camera_secret_name(camera_id))
        for sub in (False, True):
            self.secrets.delete(camera_query_secret_name(camera_id, sub))
        self.catalog.remove_camera(camera_id)
        self.catalog.audit("operator", "camera-remove", camera_id)
        self.changed("camera", camera_id)

    def source_with_credentials(self, camera: Camera, sub_stream: bool = False) -> str:
        source = camera.sub_stream if sub_stream and camera.sub_stream else camera.source
        if self.service.urls.serves(source.url):  # a camera pushing into our server: pulled with our reader login
            return self.service.urls.with_reader_login(source.url)
        password = self.secrets.get(camera_secret_name(camera.id)) or ""
        query = self.secrets.get(camera_query_secret_name(camera.id, source is camera.sub_stream)) or ""
        return SourceUrl(source.url, source.username or camera.source.username, password, query).with_credentials()

    def publish_logins(self) -> list[PublishLogin]:
        """Cameras that push into this machine's server, each allowed to publish on its own path only, with
        the user and password of its URL. One without a password is refused by the server (and logged)."""
        logins = []
        for camera in self.cameras():
            if camera.site or not self.service.urls.serves(camera.source.url):
                continue
            password = self.secrets.get(camera_secret_name(camera.id)) or ""
            path = urlsplit(camera.source.url).path.lstrip("/")
            if camera.source.username and password and path:
                logins.append(PublishLogin(camera.source.username, password, path))
            else:
                log.info("camera %s pushes into this server without a user and password: it cannot publish",
                         camera.name)  # fmt: skip
        return logins

    async def sync_publishers(self) -> None:
        if self.publishers_changed is None:
            return
        logins = self.publish_logins()
        if logins != self._publishers:
            await self.publishers_changed(logins)
            self._publishers = logins

    # ---- live --------------------------------------------------------------------------------------

    async def start_camera(self, camera_id: str, sub_stream: bool = False) -> Result[Stream]:
        """Provision the camera's main stream (recorded, shown big) or its sub-stream (small tiles).
        Asking for a sub-stream the camera does not have gives the main stream."""
        try:
            camera = self.camera(camera_id)
        except VidStreamError as error:
            return Result.from_exception(error)
        use_sub = sub_stream and camera.sub_stream is not None
        streams = self.sub_streams if use_sub else self.streams
        if (existing := streams.get(camera_id)) is not None and existing.is_active():
            return Result.ok(existing)
        if camera.site:
            return await self._start_site_stream(camera, use_sub)
        source = self.source_with_credentials(camera, sub_stream=use_sub)
        if self.service.urls.serves(camera.source.url):
            try:
                await self.sync_publishers()
            except VidStreamError as error:
                return Result.from_exception(error)
        result = await self.service.start_stream(str(camera.id), source)
        if result.is_success:
            streams[camera_id] = result.value
        return result

    def has_sub_stream(self, camera_id: str) -> bool:
        camera = self.catalog.camera(camera_id)
        return camera is not None and camera.sub_stream is not None

    async def stop_camera(self, camera_id: str) -> None:
        await self.stop_recording(camera_id)
        if self.motion is not None:
            await self.motion.unwatch(camera_id)
        if self.motion_recording is not None:
            await self.motion_recording.disarm(camera_id)
        site_camera = camera_id in self._site_cameras
        self._site_cameras.discard(camera_id)
        for streams in (self.streams, self.sub_streams):
            stream = streams.pop(camera_id, None)
            if stream is not None and not site_camera:  # a site's paths belong to its recorder
                await self.service.stop_stream(stream)

    # ---- motion ------------------------------------------------------------------------------------

    def attach_motion(self, motion: MotionService) -> None:
        self.motion = motion
        motion.listeners.append(self._on_motion_notice)

    def attach_motion_recording(self, recording: MotionRecordingService) -> None:
        """After attach_motion: motion events promote the rings of cameras in motion mode."""
        self.motion_recording = recording
        if self.motion is not None:
            self.motion.listeners.append(recording.on_motion)

    async def set_recording_mode(self, camera_id: str, mode: RecordingMode) -> Camera:
        """Store the mode; a camera leaving motion mode stops its ring (one entering it starts with start_motion)."""
        camera = self.camera(camera_id)
        if camera.site:
            raise VidStreamError(f"{camera.name} is recorded by the recorder of site {self.site_name(camera)}")
        updated = replace(camera, recording_mode=mode)
        self.catalog.save_camera(updated)
        self.catalog.audit("operator", "recording-mode", camera_id, mode.value)
        self.changed("camera", camera_id)
        if mode is not RecordingMode.MOTION and self.motion_recording is not None:
            await self.motion_recording.disarm(camera_id)
        return updated

    def set_motion_settings(self, camera_id: str, settings: MotionSettings) -> None:
        if self.motion is None:
            raise VidStreamError("motion detection is not available in this build")
        self.camera(camera_id)  # an unknown camera is an error, not a row for nobody
        self.motion.store.save_settings(camera_id, settings)

    async def start_motion(self, camera_id: str, record_on_motion: bool = True) -> Result[bool]:
        """Watch a camera for motion (its sub-stream when it has one) if its settings say so, or if it records
        on motion (then its ring starts too, unless `record_on_motion` is False); restart it with the current
        settings. Ok(False): detection is off for this camera."""
        if self.motion is None:
            return Result.ok(False)
        camera = self.catalog.camera(camera_id)
        if camera is not None and camera.site:
            return Result.fail("not_supported", f"{camera.name} is watched for motion by its site's recorder")
        settings = self.motion.store.settings(camera_id)
        on_motion = camera is not None and camera.recording_mode is RecordingMode.MOTION and record_on_motion
        if not settings.enabled and not on_motion:
            await self.motion.unwatch(camera_id)
            return Result.ok(False)
        if on_motion and self.motion_recording is not None:
            main = await self.start_camera(camera_id)
            if main.is_failure:
                return Result(error=main.error)
            # The ring records the main stream, as a continuous recording would (read with the reader login).
            armed = await self.motion_recording.arm(camera_id, self.service.urls.reader_rtsp(main.value.path_name))
            if armed.is_failure:
                return Result(error=armed.error)
        stream = await self.start_camera(camera_id, sub_stream=True)
        if stream.is_failure:
            return Result(error=stream.error)
        detect = replace(settings, enabled=True)
        await self.motion.watch(camera_id, await self._detector_url(camera_id, stream.value.path_name), detect)
        return Result.ok(True)

    async def _detector_url(self, camera_id: str, path: str) -> str:
        """Where the detector reads a camera, with the reader login (nobody reads the embedded server anonymously;
        the reader keeps the login off ffmpeg's command line). H.264 over RTMP: ffmpeg's RTP depacketizer holds
        each H.264 frame until the next one begins, and RTMP delivers whole frames (measured on a 5 fps
        sub-stream: motion noticed 0.56 s after it started over RTSP, 0.36 s over RTMP). Any other codec, or
        one not known within a few seconds, over RTSP (ffmpeg 5.1 reads no H.265 or M-JPEG from RTMP); so is
        every camera of a media server whose RTMP listener is not known to be on (`motion_over_rtmp`)."""
        codec = None
        for _ in range(CODEC_WAIT_TRIES):
            codec = await self.live_video_codec(camera_id, sub_stream=True)
            if codec is not None:
                break
            await asyncio.sleep(CODEC_WAIT_S)
        if codec == "H264" and self.motion_over_rtmp:
            return self.service.urls.reader_rtmp(path)
        return self.service.urls.reader_rtsp(path)

    def _on_motion_notice(self, notice: MotionNotice) -> None:
        tamper_texts = {
            "frozen": "the picture is frozen",
            "blinded": "the picture shows nothing (covered or blinded?)",
            "moved": "the view changed at once (camera moved?)",
        }
        if notice.kind is NoticeKind.TAMPER and notice.tamper is not None:
            text = tamper_texts.get(notice.tamper.value, notice.tamper.value)
            self.alert("warning", f"{self._camera_name(notice.camera_id)}: {text}")
            self.catalog.audit("system", "tamper", notice.camera_id, notice.tamper.value)
        elif notice.kind is NoticeKind.TAMPER_CLEARED and notice.tamper is not None:
            self.alert("info", f"{self._camera_name(notice.camera_id)}: the picture is normal again "
                               f"(was {notice.tamper.value})")  # fmt: skip

    def acknowledge_tamper(self, camera_id: str) -> bool:
        """The operator saw the camera's "moved" alert: its new view is the normal one from now on (audited).
        False: nothing to acknowledge (frozen and blinded end by themselves when the picture is back)."""
        if self.motion is None or not self.motion.acknowledge_tamper(camera_id):
            return False
        self.catalog.audit("operator", "tamper-acknowledged", camera_id, "moved")
        return True

    def all_streams(self) -> list[Stream]:
        """This machine's own streams (the ones it provisions on its MediaMTX)."""
        return [s for c, s in [*self.streams.items(), *self.sub_streams.items()] if c not in self._site_cameras]

    def live_urls(self, camera_id: str, sub_stream: bool = False) -> dict[str, str]:
        stream = (self.sub_streams.get(camera_id) if sub_stream else None) or self.streams.get(camera_id)
        if stream is None:
            return {}
        site = self._site_of_stream(camera_id)
        urls = site.urls if site is not None else self.service.urls
        return urls.for_reader(stream.path_name)  # for the app's own players: with the read login, if any

    async def live_video_codec(self, camera_id: str, sub_stream: bool = False) -> str | None:
        """The video codec the camera's live stream carries, as MediaMTX names it (None: not known yet)."""
        stream = (self.sub_streams.get(camera_id) if sub_stream else None) or self.streams.get(camera_id)
        if stream is None or camera_id in self._site_cameras:
            return None
        try:
            status = await self.service.stream_status(stream)
        except VidStreamError:
            return None
        return video_codec(list(status.get("tracks") or []))

    # ---- kept cameras: started, retried while down -------------------------------------------------

    def keep_camera(self, camera_id: str, record: bool = False) -> None:
        """Start the camera (and record it) in the background, and keep doing so for as long as it is
        configured: a camera that is down is retried with back-off; one slow camera delays no other."""
        if record:
            self._kept_recording.add(camera_id)
        self.supervisor.keep(camera_id)

    async def release_camera(self, camera_id: str) -> None:
        """Stop retrying the camera (it stays as it is: running or not)."""
        self._kept_recording.discard(camera_id)
        await self.supervisor.release(camera_id)

    def camera_state(self, camera_id: str) -> CameraState | None:
        """Running, starting, or waiting for the camera (retrying in N s) with the last real reason."""
        state = self.supervisor.states.get(camera_id)
        reason = self._gap_reasons.get(camera_id)
        if state is not None and state.state == "running" and reason:
            # Started, but the camera is away: MediaMTX pulls again and the recorder follows within seconds.
            return CameraState("waiting", self._source_error(camera_id) or reason, time.time() + 1.0)
        return state

    def _source_error(self, camera_id: str) -> str | None:
        stream = self.streams.get(camera_id)
        return self.mediamtx.source_error(stream.path_name) if stream is not None else None

    def _camera_wanted(self, camera_id: str) -> bool:
        camera = self.catalog.camera(camera_id)
        return camera is not None and camera.enabled

    async def _start_kept(self, camera_id: str) -> Result[Any]:
        if camera_id in self._kept_recording:
            return await self.record(camera_id)
        return await self.start_camera(camera_id)

    # ---- remote sites ------------------------------------------------------------------------------

    def _site_of_stream(self, camera_id: str) -> RemoteSite | None:
        if camera_id not in self._site_cameras:
            return None
        camera = self.catalog.camera(camera_id)
        return self.sites.get(camera.site) if camera is not None else None

    def site_key_of(self, camera_id: str) -> str:
        """The site a live camera plays from ("" for this machine's own cameras)."""
        site = self._site_of_stream(camera_id)
        return site.key if site is not None else ""

    def site_name(self, camera: Camera) -> str:
        site = self.sites.get(camera.site)
        return site.name if site is not None else camera.site

    async def sync_sites(self) -> dict[str, str]:
        """Read every site's camera directory (all sites at once), add or update their cameras, and follow
        cameras whose recorder now streams them on another path. Returns {site key: error} for the sites
        that could not be read; their cameras stay listed, with their recordings."""
        await asyncio.gather(*(self._sync_site(site) for site in self.sites.values()))
        return {key: site.error for key, site in self.sites.items() if site.error}

    async def _sync_site(self, site: RemoteSite) -> None:
        try:
            directory = await site.read_directory(self.work_dir / "sites")
        except VidStreamError as error:
            site.error = f"site {site.name}: {error}"
            return
        except TimeoutError:
            site.error = f"site {site.name}: its archive did not answer in time"
            return
        site.error = ""
        for entry in directory.cameras:
            existing = self.catalog.camera(entry.id)
            if existing is not None and existing.site != site.key:
                log.warning("site %s lists camera %s, which is already a camera here: ignored", site.name, entry.id)
                continue
            camera = self._site_camera(site, entry)
            if camera != existing:
                self.catalog.save_camera(camera)
                self._site_cameras_changed = True
                self.changed("camera", str(camera.id))
            self._follow_site_path(camera, site, directory)

    @staticmethod
    def _site_camera(site: RemoteSite, entry: DirectoryCamera) -> Camera:
        label = f"{site.name} · "
        name = label + entry.name[: max(MAX_NAME_LENGTH - len(label), 8)]
        return Camera(
            name=name[:MAX_NAME_LENGTH].strip(), source=SourceUrl(site.urls.rtsp(entry.path or str(entry.id))),
            id=entry.id, sub_stream=SourceUrl(site.urls.rtsp(entry.sub_path)) if entry.sub_path else None,
            retention=RetentionPolicy(entry.retention_days), site=site.key,
        )  # fmt: skip

    def _follow_site_path(self, camera: Camera, site: RemoteSite, directory: SiteDirectory) -> None:
        """The recorder restarted and streams the camera on a new path: point our stream at it."""
        camera_id = str(camera.id)
        entry = next((c for c in directory.cameras if c.id == camera.id), None)
        for sub, streams in ((False, self.streams), (True, self.sub_streams)):
            stream = streams.get(camera_id)
            if stream is None or camera_id not in self._site_cameras:
                continue
            path = (entry.sub_path if sub else entry.path) if entry is not None else ""
            if path != stream.path_name:
                if path:
                    streams[camera_id] = self._running_site_stream(camera_id, site, path)
                else:
                    stream.mark_error("the site's recorder stopped streaming it")
                self._moved_cameras.add(camera_id)

    @staticmethod
    def _running_site_stream(camera_id: str, site: RemoteSite, path: str) -> Stream:
        stream = Stream(camera_id=camera_id, source_url=site.urls.rtsp(path), id=uuid.UUID(path))
        stream.start()
        stream.mark_running()
        return stream

    async def _start_site_stream(self, camera: Camera, sub: bool) -> Result[Stream]:
        site = self.sites.get(camera.site)
        if site is None:
            return Result.fail("not_found", f"{camera.name}: site {camera.site!r} is no longer configured",
                               "add the site back to the settings, or remove the camera")  # fmt: skip
        if site.directory is None:
            await self._sync_site(site)
        if site.directory is None:
            return Result.fail("unreachable", site.error or f"site {site.name} cannot be reached")
        entry = next((c for c in site.directory.cameras if c.id == camera.id), None)
        path = (entry.sub_path if sub else entry.path) if entry is not None else ""
        if not path:
            return Result.fail("source_unavailable", f"{camera.name} is not streaming at site {site.name}",
                               "its recorder lists it as stopped; start it there")  # fmt: skip
        camera_id = str(camera.id)
        stream = self._running_site_stream(camera_id, site, path)
        (self.sub_streams if sub else self.streams)[camera_id] = stream
        self._site_cameras.add(camera_id)
        return Result.ok(stream)

    def directory(self) -> SiteDirectory:
        """What this machine publishes for workstations (see sites.py)."""
        return directory_of(self.cameras(), self.streams, self.sub_streams, set(self.active_recordings))

    async def refresh_archive(self, default_segment_seconds: float | None = None) -> tuple[int, dict[str, str]]:
        """Merge into the catalog the recordings held by this machine's archive and every site's that the
        catalog does not know yet. Returns (recordings added, {site key or "": why its listing failed})."""
        seconds = default_segment_seconds or float(getattr(self.recorder, "segment_seconds", 60))
        if self.sites:
            await self.sync_sites()  # a site's cameras first, so its recordings file under them
        listing, failures = await self.storage.list_everywhere()
        errors = {key: str(error) for key, error in failures.items()}
        merge = await asyncio.to_thread(self.catalog.merge_archive_listing, listing, seconds)
        if merge.recordings:
            self.changed("archive-merged")
        return len(merge.recordings), errors

    # ---- recording ---------------------------------------------------------------------------------

    def is_recording(self, camera_id: str) -> bool:
        return camera_id in self.active_recordings

    async def recent_footage(self, camera_id: str, seconds: float = 30.0) -> list[FootagePart]:
        """This machine's footage of the camera's last `seconds` (instant replay), the file being written included."""
        recording = self.active_recordings.get(camera_id)
        folder = self.service.recording_dirs.get(recording.id) if recording is not None else None
        now = datetime.now(UTC)
        since = now - timedelta(seconds=seconds)
        return await asyncio.to_thread(recent_footage, self.catalog, camera_id, since, now, folder)

    def is_recording_event(self, camera_id: str) -> bool:
        """A camera in motion mode is adding to an event recording now (not an operator's recording)."""
        return self.motion_recording is not None and self.motion_recording.event_recording(camera_id) is not None

    def tampered(self, camera_id: str) -> frozenset[str]:
        """The camera's tamper conditions now ("frozen", "blinded", "moved")."""
        return frozenset(kind.value for kind in self.motion.tampered(camera_id)) if self.motion else frozenset()

    def is_recording_paused(self, camera_id: str) -> bool:
        """Recording, but in a gap: the camera dropped and the recorder waits for it to come back."""
        return camera_id in self.active_recordings and camera_id in self._open_gaps

    async def record(self, camera_id: str) -> Result[Recording]:
        if (existing := self.active_recordings.get(camera_id)) is not None:
            return Result.ok(existing)
        camera = self.catalog.camera(camera_id)
        if camera is not None and camera.site:
            return Result.fail("not_supported", f"{camera.name} is recorded by the recorder of site "
                               f"{self.site_name(camera)}", "its recordings appear under Recordings")  # fmt: skip
        disk = await asyncio.to_thread(disk_state, self.recordings_dir, self.min_free_bytes)
        if disk.low:
            error = DiskFull(
                f"only {disk.free_bytes // 2**20} MiB free for recordings",
                "free disk space; recordings already made are kept until archived",
            )
            self.alert("error", str(error))
            return Result.from_exception(error)
        stream_result = await self.start_camera(camera_id)
        if stream_result.is_failure:
            return Result(error=stream_result.error)
        camera = self.camera(camera_id)
        result = await self.service.start_recording(stream_result.value, retention_policy=camera.retention)
        if result.is_success:
            recording = result.value
            self.active_recordings[camera_id] = recording
            local_dir = self.service.recording_dirs[recording.id]
            self.catalog.add_recording(recording, camera_id, str(local_dir))
            self.catalog.audit("operator", "record-start", str(recording.id), camera.name)
            self.changed("recording-started", camera_id, str(recording.id))
        return result

    async def stop_recording(self, camera_id: str) -> Result[Recording]:
        self._kept_recording.discard(camera_id)  # the operator's stop: a kept camera stays live, unrecorded
        recording = self.active_recordings.get(camera_id)
        if recording is None:
            return Result.fail("not_found", "this camera is not recording")
        # Still listed as recording until ffmpeg has closed the last segment: the REC dot stays honest.
        result = await self.service.stop_recording(recording)
        self.active_recordings.pop(camera_id, None)
        self._open_gaps.pop(camera_id, None)
        if result.is_success and recording.ended_at is not None:
            self.catalog.finish_recording(recording.id, recording.status.value, recording.ended_at)
            self.catalog.audit("operator", "record-stop", str(recording.id))
            self.changed("recording-ended", camera_id, str(recording.id))
        self.archiver.wake()
        return result

    async def record_all(self) -> list[Result[Recording]]:
        """Every camera at once: a camera that takes its full timeout to fail delays no other."""
        wanted = [str(c.id) for c in self.cameras() if c.enabled and not c.site]
        return list(await asyncio.gather(*(self.record(camera_id) for camera_id in wanted)))

    async def stop_all_recordings(self) -> None:
        for camera_id in list(self.active_recordings):
            await self.stop_recording(camera_id)

    def _recording_by_id(self, recording_id: uuid.UUID) -> tuple[str, Recording] | None:
        return next(((c, r) for c, r in self.active_recordings.items() if r.id == recording_id), None) or next(
            ((str(r.camera_id), r) for r in self.service.recordings.values() if r.id == recording_id), None
        )

    def _on_recorder_event(self, event: RecorderEvent) -> None:
        found = self._recording_by_id(event.recording_id)
        if found is None:
            return
        camera_id, recording = found
        if isinstance(event, SegmentClosed):
            self._gap_reasons.pop(camera_id, None)
            self._catalog_segment(camera_id, recording, event.path, event.start, event.duration, event.partial)
        elif isinstance(event, RecordingGap):
            if event.ended_at is None:
                # The recorder reads MediaMTX, which knows why the camera itself went away (EOF, 401, ...).
                reason = self._source_error(camera_id) or event.reason
                self._gap_reasons[camera_id] = reason
                self._open_gaps[camera_id] = event.started_at
                self.catalog.open_gap(str(recording.id), event.started_at, reason)
                self.alert("warning", f"{self._camera_name(camera_id)}: recording paused: {reason}")
            else:
                self._gap_reasons.pop(camera_id, None)
                self._open_gaps.pop(camera_id, None)
                self.catalog.close_gap(str(recording.id), event.started_at, event.ended_at)
                self.alert("info", f"{self._camera_name(camera_id)}: recording resumed")
            self.changed("gap", camera_id, str(recording.id))
        elif isinstance(event, RecordingNotice):
            self.catalog.audit("system", "record-notice", str(recording.id), event.message)
            self.alert("warning", f"{self._camera_name(camera_id)}: {event.message}")
        elif isinstance(event, RecordingFailedEvent):
            self.active_recordings.pop(camera_id, None)
            self._open_gaps.pop(camera_id, None)
            with contextlib.suppress(VidStreamError):
                recording.mark_error(event.error.message)
            self.catalog.finish_recording(recording.id, "error", datetime.now(UTC), event.error.message)
            self.changed("recording-ended", camera_id, str(recording.id))
            self.alert("error", f"{self._camera_name(camera_id)}: recording stopped: {event.error}")
            self._gap_reasons.pop(camera_id, None)
            self.supervisor.lost(camera_id, event.error.message)  # a kept camera records again after a back-off

    def _on_archived(self, segment: SegmentRow) -> None:
        self.changed("segment", segment.camera_id, segment.recording_id)
        self.bookmarks.segment_archived(segment)

    def _on_damaged_segment(self, segment: SegmentRow, damage: str) -> None:
        """Found by the archiver before upload; the file is archived as it is, the operator should know."""
        self.alert("error", f"{self._camera_name(segment.camera_id)}: segment {segment.file_name} is damaged on "
                            f"disk ({damage}); it is archived as it is")  # fmt: skip

    def _camera_name(self, camera_id: str) -> str:
        camera = self.catalog.camera(camera_id)
        return camera.name if camera else camera_id

    def _catalog_segment(
        self,
        camera_id: str,
        recording: Recording,
        path: Path,
        start: datetime,
        duration: float,
        partial: bool,
    ) -> None:
        key = segment_key_under(recording.storage_path, path.name)
        size = path.stat().st_size if path.exists() else 0
        if size == 0:  # no footage in it: a 0-byte segment in the catalog would never archive or play
            path.unlink(missing_ok=True)
            return
        self.catalog.add_segment(str(recording.id), camera_id, path, key, start, duration, size, partial)
        self.changed("segment", camera_id, str(recording.id))
        self.archiver.wake()

    # ---- health and recovery -----------------------------------------------------------------------

    async def poll(self) -> Health:
        """One MediaMTX list call for every path, whatever the number of cameras."""
        health = Health(cameras_total=len(self.streams), recordings=len(self.active_recordings))
        try:
            health.paths = await self.mediamtx.list_paths()
            health.mediamtx_ok = True
        except VidStreamError as error:
            health.mediamtx_error = str(error)
        if health.mediamtx_ok:
            missing = [s for s in self.all_streams() if s.path_name not in health.paths]
            if missing:  # MediaMTX restarted (or someone removed our paths): provision them again
                await self.reprovision()
            await self._kick_returned_sources(health.paths)
        if self.sites:
            await self._poll_sites(health)
        health.started_cameras = self.supervisor.take_started()
        health.camera_states = {c: s for c in self.supervisor.states if (s := self.camera_state(c)) is not None}
        health.cameras_online = sum(1 for s in self.streams.values() if health.paths.get(s.path_name, {}).get("ready"))
        health.upload_queue = self.catalog.pending_upload_count()
        status = self.archiver.status
        health.storage_ok = not status.last_error
        health.storage_error = status.last_error
        disk = await asyncio.to_thread(disk_state, self.recordings_dir, self.min_free_bytes)
        health.disk_free_bytes, health.disk_low = disk.free_bytes, disk.low
        return health

    async def _poll_sites(self, health: Health) -> None:
        """One list call per site (all at once). A site's path that vanished means its recorder restarted
        (new paths): read its directory again, at most every few seconds."""
        sites = list(self.sites.values())
        health.sites_total = len(sites)
        listed = await asyncio.gather(*(site.mediamtx.list_paths() for site in sites), return_exceptions=True)
        now = asyncio.get_running_loop().time()
        resync = now >= self._next_site_sync
        for site, paths in zip(sites, listed, strict=True):
            if isinstance(paths, VidStreamError):
                site.paths = {}
                health.site_errors[site.key] = f"site {site.name}: {paths}"
                continue
            if isinstance(paths, BaseException):
                raise paths
            site.paths = paths
            health.paths.update(paths)
            playing = [(c, s) for c, s in [*self.streams.items(), *self.sub_streams.items()] if c in self._site_cameras]
            resync = resync or any(s.path_name not in paths for c, s in playing if self.site_key_of(c) == site.key)
        if resync:
            self._next_site_sync = now + (5.0 if self._moved_cameras or health.site_errors else 30.0)
            await self.sync_sites()
        for site in sites:
            if site.error and site.key not in health.site_errors:
                health.site_errors[site.key] = site.error
        health.moved_cameras, self._moved_cameras = self._moved_cameras, set()
        health.cameras_changed, self._site_cameras_changed = self._site_cameras_changed, False

    async def _kick_returned_sources(self, paths: dict[str, dict[str, Any]]) -> None:
        """MediaMTX retries a failed pull only every 5 s. When a stream's path is not ready but its camera
        answers on the network again, re-provision the path so the pull (and the recording) resume at
        once instead of up to 5 s later."""
        now = asyncio.get_running_loop().time()
        for stream in self.all_streams():
            state = paths.get(stream.path_name)
            if state is None or state.get("ready") or now - self._last_kick.get(stream.path_name, 0.0) < 1.0:
                continue
            if not await source_answers(stream.source_url):
                continue
            self._last_kick[stream.path_name] = now
            try:
                await self.mediamtx.stop_stream(stream.path_name)
                await self.mediamtx.start_stream(stream.path_name, stream.source_url)
            except VidStreamError as error:
                log.warning("could not restart the pull of %s: %s", stream.path_name, error)

    async def reprovision(self) -> None:
        for sub, streams in ((False, self.streams), (True, self.sub_streams)):
            for camera_id, stream in list(streams.items()):
                if camera_id in self._site_cameras:  # served by its site's MediaMTX, not ours
                    continue
                camera = self.catalog.camera(camera_id)
                if camera is not None:
                    stream.source_url = self.source_with_credentials(camera, sub_stream=sub)
                await self._restore(camera_id, stream)

    async def _restore(self, camera_id: str, stream: Stream) -> None:
        result = await self.service.restore_stream(stream)
        if result.is_failure:
            self.alert("warning", f"{self._camera_name(camera_id)}: {result.error}")

    async def recover(self) -> int:
        """After a crash: close recordings left open, adopt segment files the catalog never heard of.
        Returns how many files were adopted. Nothing is deleted here."""
        adopted = 0
        known = self.catalog.known_segment_paths()
        for row in self.catalog.recordings(status="recording", limit=100_000):
            if any(r.id == uuid.UUID(row.id) for r in self.active_recordings.values()):
                continue
            local_dir = Path(row.local_dir)
            ended = row.started_at
            for path in sorted(local_dir.glob("*.mp4")) if local_dir.is_dir() else []:
                parsed = parse_segment_file_name(path.name)
                if parsed is None or str(path) in known:
                    ended = max(ended, parsed[0]) if parsed else ended
                    continue
                if path.stat().st_size == 0:
                    continue
                duration = await probe_duration(path)
                key = segment_key_under(row.storage_prefix, path.name)
                self.catalog.add_segment(row.id, row.camera_id, path, key, parsed[0], duration,
                                         path.stat().st_size, partial=True)  # fmt: skip
                adopted += 1
                from datetime import timedelta

                ended = max(ended, parsed[0] + timedelta(seconds=duration))
            self.catalog.finish_recording(row.id, "stopped", ended, "interrupted: the recorder stopped unexpectedly")
            self.catalog.audit("system", "recover", row.id, f"adopted {adopted} segment(s)")
        self.archiver.wake()
        return adopted

    async def start(self) -> None:
        for problem in self.setup_problems:
            self.alert("error", problem)
        try:
            await self.sync_publishers()
        except VidStreamError as error:
            self.alert("error", f"cameras pushing into this machine cannot log in: {error}")
        await self.recover()
        self.archiver.start()

    async def close(self) -> None:
        await self.supervisor.close()
        if self.motion is not None:
            await self.motion.close()  # ends open events: their recordings get their post-roll's end
        if self.motion_recording is not None:
            await self.motion_recording.close()
        await self.stop_all_recordings()
        for camera_id in list(self.streams):
            with contextlib.suppress(VidStreamError):
                await self.stop_camera(camera_id)
        await self.recorder.close()
        await self.archiver.drain(timeout=5)
        await self.archiver.stop()
        await self.mediamtx.aclose()


async def source_answers(source_url: str, timeout: float = 0.5) -> bool:
    """Does the camera's host accept a TCP connection on its port? (Cheap; no credentials sent.)"""
    parts = urlsplit(source_url)
    default_ports = {"rtsp": 554, "rtsps": 322, "rtmp": 1935, "rtmps": 443, "http": 80, "https": 443}
    port = parts.port or default_ports.get(parts.scheme.lower())
    if not parts.hostname or port is None:
        return False
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(parts.hostname, port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True
