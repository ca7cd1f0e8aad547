"""VidStreamCore: the façade the desktop app and `vidstream serve` drive, over one application service per
concept. Layered from the bottom, each service using only those below it:

    announcer        alerts and catalog changes, told to listeners
    camera_registry  cameras and their secrets; the only place a camera's URL gets its password
    site_sync        remote sites' cameras, followed onto the paths their recorders stream them on
    live_streams     each camera provisioned once on the media server, re-provisioned, kicked, probed
    recording_lifecycle  start/stop, the recorder's events into the catalog, crash recovery
    motion.coordinator   watched cameras, recording on motion, tamper alerts
    archive_merge    what the archives hold that the catalog does not know yet

    kept_cameras     cameras kept started (and recorded) whatever their state, retried with back-off

    health_poll      the second's poll: media server, sites, kept cameras, upload queue, disk

The façade keeps start and close, and hands each call to the service it belongs to.
It holds no Qt and reaches I/O only through the ports its collaborators are given by bootstrap.py."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from video_streaming.announcer import CHANGE_KINDS, Alert, Announcer, CatalogChange, ChangeListener
from video_streaming.archive_merge import ArchiveMerge
from video_streaming.archiver import Archiver
from video_streaming.bookmarks import BookmarkService
from video_streaming.camera_registry import (
    CameraRegistry,
    PublishersChanged,
    PublishLogin,
    camera_query_secret_name,
    camera_secret_name,
)
from video_streaming.camera_supervisor import CameraState
from video_streaming.catalog import Catalog, SegmentRow
from video_streaming.deletion import RecordingDeletion
from video_streaming.domain.camera import Camera, RecordingMode, SourceUrl
from video_streaming.domain.clock import Clock, utc_now
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.recording import Recording
from video_streaming.domain.result import Result
from video_streaming.domain.stream import Stream
from video_streaming.health import Health
from video_streaming.health_poll import HealthPoll
from video_streaming.kept_cameras import KeptCameras
from video_streaming.live_streams import LiveStreams
from video_streaming.motion.coordinator import MotionCoordinator
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.recording import MotionRecordingService
from video_streaming.motion.ring import RollSettings
from video_streaming.motion.service import MotionService
from video_streaming.ports import ArchiveStorage, MediaFiles, MediaServer, SegmentRecorder
from video_streaming.recording_lifecycle import RecordingLifecycle
from video_streaming.replay import FootagePart
from video_streaming.retention import RetentionEnforcer
from video_streaming.secrets import SecretStore
from video_streaming.service import StreamingService
from video_streaming.share_links import ShareLinks
from video_streaming.site_sync import SiteSync
from video_streaming.sites import RemoteSite, SiteDirectory, directory_of
from video_streaming.stream_table import StreamTable

__all__ = [
    "CHANGE_KINDS", "Alert", "CatalogChange", "ChangeListener", "Health", "PublishLogin", "VidStreamCore",
    "camera_query_secret_name", "camera_secret_name",
]  # fmt: skip


class VidStreamCore:
    def __init__(
        self,
        *,
        service: StreamingService,
        catalog: Catalog,
        recorder: SegmentRecorder,
        archiver: Archiver,
        retention: RetentionEnforcer,
        mediamtx: MediaServer,
        storage: ArchiveStorage,
        secrets: SecretStore,
        recordings_dir: Path,
        media_files: MediaFiles,
        min_free_bytes: int = 1024**3,
        sites: list[RemoteSite] | None = None,
        work_dir: Path | None = None,
        camera_retry_min_backoff: float = 2.0,
        clock: Clock = utc_now,
    ) -> None:
        self.service = service
        self.catalog = catalog
        self.recorder = recorder
        self.archiver = archiver
        self.retention = retention
        self.mediamtx = mediamtx
        self.storage = storage
        self.media_files = media_files  # what export reads and joins recorded files with
        self.secrets = secrets
        self.sites: dict[str, RemoteSite] = {site.key: site for site in sites or []}
        self.work_dir = work_dir or recordings_dir.parent / "run"
        self.setup_problems: list[str] = []  # found while wiring the core (e.g. a site left out); told at start
        # The wall's relays read H.264 from the media server's RTMP through this (None: its listener is not
        # known to be on); see LiveRelays.set_rtmp_route.
        self.live_rtmp_route: Callable[[str], str | None] | None = None
        self.announcer = Announcer()
        self.alert_listeners = self.announcer.alert_listeners
        self.change_listeners = self.announcer.change_listeners
        self.table = StreamTable()
        self.streams, self.sub_streams = self.table.main, self.table.sub
        self.camera_registry = CameraRegistry(catalog, secrets, service.urls, self.announcer, self.sites)
        self.site_sync = SiteSync(catalog, self.table, self.sites, self.work_dir, self.announcer)
        self.live = LiveStreams(service, mediamtx, self.camera_registry, self.table, self.site_sync, self.alert)
        self.recording = RecordingLifecycle(
            service=service, catalog=catalog, recorder=recorder, archiver=archiver, live=self.live,
            cameras=self.camera_registry, announcer=self.announcer, recordings_dir=recordings_dir,
            min_free_bytes=min_free_bytes, probe_duration=media_files.duration,
        )  # fmt: skip
        self.active_recordings = self.recording.active
        self.motion_coordinator = MotionCoordinator(self.camera_registry, self.live, self.announcer)
        self.archive_merge = ArchiveMerge(catalog, storage, self.site_sync, self.announcer)
        self.kept = KeptCameras(self.camera_registry, self.live, self.recording, camera_retry_min_backoff)
        self.supervisor = self.kept.supervisor  # `serve` follows its state changes
        self.health = HealthPoll(mediamtx, self.live, self.site_sync, self.kept, self.table, self.recording, catalog,
                                 archiver)  # fmt: skip
        self.bookmarks = BookmarkService(catalog, storage, clock=clock)
        self.deletion = RecordingDeletion(catalog, storage, clock=clock)
        self.share_links = ShareLinks(catalog, service)
        archiver.on_damaged = self._on_damaged_segment
        archiver.on_archived = self._on_archived

    # ---- what the composition root reads and sets after construction -----------------------------------

    @property
    def recordings_dir(self) -> Path:
        return self.recording.recordings_dir

    @property
    def min_free_bytes(self) -> int:
        return self.recording.min_free_bytes

    @property
    def publishers_changed(self) -> PublishersChanged | None:
        return self.camera_registry.publishers_changed

    @publishers_changed.setter
    def publishers_changed(self, callback: PublishersChanged | None) -> None:
        self.camera_registry.publishers_changed = callback

    @property
    def motion_over_rtmp(self) -> bool:
        return self.motion_coordinator.over_rtmp

    @motion_over_rtmp.setter
    def motion_over_rtmp(self, value: bool) -> None:
        self.motion_coordinator.over_rtmp = value

    @property
    def motion(self) -> MotionService | None:
        return self.motion_coordinator.motion

    @property
    def motion_recording(self) -> MotionRecordingService | None:
        return self.motion_coordinator.recording

    @property
    def motion_pre_roll(self) -> timedelta:
        """How far before a motion moment playback starts: the configured pre-roll, as event recordings keep."""
        rolls = self.motion_recording.rolls if self.motion_recording is not None else RollSettings()
        return timedelta(seconds=rolls.pre_roll)

    # ---- alerts ------------------------------------------------------------------------------------

    def alert(self, level: str, message: str) -> None:
        self.announcer.alert(level, message)

    def changed(self, what: str, camera_id: str = "", recording_id: str = "") -> None:
        self.announcer.changed(what, camera_id, recording_id)

    # ---- cameras -----------------------------------------------------------------------------------

    def cameras(self) -> list[Camera]:
        return self.camera_registry.cameras()

    def camera(self, camera_id: str) -> Camera:
        return self.camera_registry.camera(camera_id)

    def save_camera(self, camera: Camera, password: str | None = None) -> None:
        self.camera_registry.save(camera, password)

    def add_camera(
        self, name: str, url: str, *, sub_stream_url: str | None = None, retention_days: int = 30,
        camera_id: uuid.UUID | None = None, username: str = "", password: str | None = None,
    ) -> Result[Camera]:  # fmt: skip
        return self.camera_registry.add(name, url, sub_stream_url=sub_stream_url, retention_days=retention_days,
                                        camera_id=camera_id, username=username, password=password)  # fmt: skip

    def edit_camera(
        self, camera_id: str, *, name: str, url: str, username: str = "", password: str | None = None,
        sub_stream_url: str = "", retention_days: int = 30, recording_mode: RecordingMode | None = None,
    ) -> Result[Camera]:  # fmt: skip
        return self.camera_registry.edit(
            camera_id, name=name, url=url, username=username, password=password, sub_stream_url=sub_stream_url,
            retention_days=retention_days, recording_mode=recording_mode,
        )  # fmt: skip

    async def probe_camera(self, url: str, *, username: str = "", password: str = "") -> str:
        """What the camera at `url` sends (the dialog's connection test), logged in as given."""
        return await self.live.probe(self.camera_registry.unsaved_source(url, username, password))

    def camera_credentials(self, camera_id: str) -> tuple[str, str]:
        return self.camera_registry.credentials(camera_id)

    async def remove_camera(self, camera_id: str) -> None:
        await self.release_camera(camera_id)
        await self.stop_camera(camera_id)
        self.camera_registry.forget(camera_id)

    def camera_source(self, camera: Camera, sub_stream: bool = False) -> SourceUrl:
        return self.camera_registry.source(camera, sub_stream)

    def publish_logins(self) -> list[PublishLogin]:
        return self.camera_registry.publish_logins()

    async def sync_publishers(self) -> None:
        await self.camera_registry.sync_publishers()

    def site_name(self, camera: Camera) -> str:
        return self.camera_registry.site_name(camera)

    # ---- live --------------------------------------------------------------------------------------

    async def start_camera(self, camera_id: str, sub_stream: bool = False) -> Result[Stream]:
        return await self.live.start(camera_id, sub_stream)

    def has_sub_stream(self, camera_id: str) -> bool:
        return self.live.has_sub_stream(camera_id)

    async def stop_camera(self, camera_id: str) -> None:
        await self.stop_recording(camera_id)
        await self.motion_coordinator.stop(camera_id)
        await self.live.stop(camera_id)

    def all_streams(self) -> list[Stream]:
        """This machine's own streams (the ones it provisions on its MediaMTX)."""
        return self.table.own()

    def live_urls(self, camera_id: str, sub_stream: bool = False) -> dict[str, str]:
        return self.live.urls(camera_id, sub_stream)

    async def live_video_codec(self, camera_id: str, sub_stream: bool = False) -> str | None:
        return await self.live.video_codec(camera_id, sub_stream)

    async def reprovision(self) -> None:
        await self.live.reprovision()

    # ---- motion ------------------------------------------------------------------------------------

    def attach_motion(self, motion: MotionService) -> None:
        self.motion_coordinator.attach(motion)

    def attach_motion_recording(self, recording: MotionRecordingService) -> None:
        self.motion_coordinator.attach_recording(recording)

    async def set_recording_mode(self, camera_id: str, mode: RecordingMode) -> Camera:
        return await self.motion_coordinator.set_recording_mode(camera_id, mode)

    def set_motion_settings(self, camera_id: str, settings: MotionSettings) -> None:
        self.motion_coordinator.set_settings(camera_id, settings)

    async def start_motion(self, camera_id: str, record_on_motion: bool = True) -> Result[bool]:
        return await self.motion_coordinator.start(camera_id, record_on_motion)

    async def set_up_camera(self, camera_id: str, mode: RecordingMode, motion: MotionSettings | None) -> None:
        """A camera just added: its motion settings (None: the defaults) and recording mode kept, then its
        detection started (and its ring, in motion mode)."""
        if motion is not None and self.motion is not None:
            self.set_motion_settings(camera_id, motion)
        if mode is not RecordingMode.CONTINUOUS:
            await self.set_recording_mode(camera_id, mode)
        await self.start_motion(camera_id)

    async def restart_camera(self, camera_id: str) -> None:
        """After an edit: its streams provisioned again from its new settings, its recording and motion
        detection started again if they ran."""
        recording = self.is_recording(camera_id)
        await self.stop_camera(camera_id)
        if recording:
            await self.record(camera_id)
        await self.start_motion(camera_id)

    def acknowledge_tamper(self, camera_id: str) -> bool:
        return self.motion_coordinator.acknowledge_tamper(camera_id)

    def tampered(self, camera_id: str) -> frozenset[str]:
        return self.motion_coordinator.tampered(camera_id)

    def is_recording_event(self, camera_id: str) -> bool:
        return self.motion_coordinator.is_recording_event(camera_id)

    # ---- kept cameras: started, retried while down -------------------------------------------------

    def keep_camera(self, camera_id: str, record: bool = False) -> None:
        self.kept.keep(camera_id, record)

    async def release_camera(self, camera_id: str) -> None:
        await self.kept.release(camera_id)

    def camera_state(self, camera_id: str) -> CameraState | None:
        return self.kept.state(camera_id)

    # ---- remote sites and archives -----------------------------------------------------------------

    def site_key_of(self, camera_id: str) -> str:
        return self.site_sync.site_key_of(camera_id)

    async def sync_sites(self) -> dict[str, str]:
        return await self.site_sync.sync_sites()

    def directory(self) -> SiteDirectory:
        """What this machine publishes for workstations (see sites.py)."""
        return directory_of(self.cameras(), self.streams, self.sub_streams, set(self.active_recordings))

    async def refresh_archive(self, default_segment_seconds: float | None = None) -> tuple[int, dict[str, str]]:
        """Merge into the catalog the recordings held by this machine's archive and every site's that the
        catalog does not know yet. Returns (recordings added, {site key or "": why its listing failed})."""
        return await self.archive_merge.refresh(default_segment_seconds or float(self.recorder.segment_seconds))

    # ---- recording ---------------------------------------------------------------------------------

    def is_recording(self, camera_id: str) -> bool:
        return self.recording.is_recording(camera_id)

    def is_recording_paused(self, camera_id: str) -> bool:
        return self.recording.is_paused(camera_id)

    async def recent_footage(self, camera_id: str, seconds: float = 30.0) -> list[FootagePart]:
        return await self.recording.recent_footage(camera_id, seconds)

    async def record(self, camera_id: str) -> Result[Recording]:
        return await self.recording.record(camera_id)

    async def stop_recording(self, camera_id: str) -> Result[Recording]:
        self.kept.stop_recording(camera_id)
        return await self.recording.stop(camera_id)

    async def record_all(self) -> dict[str, Result[Recording]]:
        return await self.recording.record_all()

    async def stop_all_recordings(self) -> None:
        for camera_id in list(self.active_recordings):
            await self.stop_recording(camera_id)

    async def recover(self) -> int:
        return await self.recording.recover()

    def _on_archived(self, segment: SegmentRow) -> None:
        self.changed("segment", segment.camera_id, segment.recording_id)
        self.bookmarks.segment_archived(segment)

    def _on_damaged_segment(self, segment: SegmentRow, damage: str) -> None:
        """Found by the archiver before upload; the file is archived as it is, the operator should know."""
        self.alert("error", f"{self.camera_registry.name_of(segment.camera_id)}: segment {segment.file_name} is "
                            f"damaged on disk ({damage}); it is archived as it is")  # fmt: skip

    # ---- health, start and close -------------------------------------------------------------------

    async def poll(self) -> Health:
        """One MediaMTX list call for every path, whatever the number of cameras (health_poll)."""
        return await self.health.poll()

    async def start(self) -> None:
        for problem in self.setup_problems:
            self.alert("error", problem)
        try:
            await self.sync_publishers()
        except VidStreamError as error:
            self.alert("error", f"cameras pushing into this machine cannot log in: {error}")
        await self.recover()
        if self.motion is not None:
            await self.motion.close_interrupted_events()
        self.archiver.start()

    async def close(self) -> None:
        await self.kept.close()
        await self.motion_coordinator.close()
        await self.stop_all_recordings()
        for camera_id in list(self.streams):
            with contextlib.suppress(VidStreamError):
                await self.stop_camera(camera_id)
        await self.recorder.close()
        await self.archiver.drain(timeout=5)
        await self.archiver.stop()
        await self.mediamtx.aclose()
