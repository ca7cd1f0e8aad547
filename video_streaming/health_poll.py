"""The health poll: what the wall's status bar and tiles, and `serve`'s camera states, show every second.
One list call to the media server whatever the number of cameras; paths it lost are provisioned again and
cameras that answer again are kicked; then the sites, the kept cameras, the upload queue and the disk."""

from __future__ import annotations

import asyncio

from video_streaming.archiver import Archiver
from video_streaming.catalog import Catalog
from video_streaming.domain.errors import VidStreamError
from video_streaming.health import Health
from video_streaming.kept_cameras import KeptCameras
from video_streaming.live_streams import LiveStreams
from video_streaming.ports import MediaServer
from video_streaming.recording_lifecycle import RecordingLifecycle
from video_streaming.retention import disk_state
from video_streaming.site_sync import SiteSync
from video_streaming.stream_table import StreamTable


class HealthPoll:
    def __init__(
        self, mediamtx: MediaServer, live: LiveStreams, sites: SiteSync, kept: KeptCameras, table: StreamTable,
        recording: RecordingLifecycle, catalog: Catalog, archiver: Archiver,
    ) -> None:  # fmt: skip
        self.mediamtx = mediamtx
        self.live = live
        self.sites = sites
        self.kept = kept
        self.table = table
        self.recording = recording
        self.catalog = catalog
        self.archiver = archiver

    async def poll(self) -> Health:
        health = Health(cameras_total=len(self.table.main), recordings=len(self.recording.active))
        try:
            health.paths = await self.mediamtx.list_paths()
            health.mediamtx_ok = True
        except VidStreamError as error:
            health.mediamtx_error = str(error)
        if health.mediamtx_ok:
            await self.live.follow_server(health.paths)
        if self.sites.sites:
            await self.sites.poll(health)
        health.started_cameras = self.kept.take_started()
        health.camera_states = self.kept.states()
        health.cameras_online = sum(1 for s in self.table.main.values() if health.path_ready(s.path_name))
        health.upload_queue = self.catalog.pending_upload_count()
        status = self.archiver.status
        health.storage_ok = not status.last_error
        health.storage_error = status.last_error
        disk = await asyncio.to_thread(disk_state, self.recording.recordings_dir, self.recording.min_free_bytes)
        health.disk_free_bytes, health.disk_low = disk.free_bytes, disk.low
        return health
