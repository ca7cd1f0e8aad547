"""Remote recorder sites on a workstation: their cameras listed here, played from their media servers,
followed when a site's recorder restarts and streams them on new paths."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping
from pathlib import Path

from video_streaming.announcer import Announcer
from video_streaming.catalog import Catalog
from video_streaming.domain.camera import MAX_NAME_LENGTH, Camera, SourceUrl
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.result import Result
from video_streaming.domain.retention import RetentionPolicy
from video_streaming.domain.stream import Stream
from video_streaming.health import Health
from video_streaming.sites import DirectoryCamera, RemoteSite, SiteDirectory
from video_streaming.stream_table import StreamTable

log = logging.getLogger(__name__)
RESYNC_SOON_S = 5.0  # a site with moved cameras or errors is read again this soon
RESYNC_S = 30.0


class SiteSync:
    def __init__(
        self, catalog: Catalog, table: StreamTable, sites: Mapping[str, RemoteSite], work_dir: Path,
        announcer: Announcer,
    ) -> None:  # fmt: skip
        self.catalog = catalog
        self.table = table
        self.sites = sites
        self.work_dir = work_dir
        self.announcer = announcer
        self._moved_cameras: set[str] = set()
        self._cameras_changed = False
        self._next_sync = 0.0

    def site_of_stream(self, camera_id: str) -> RemoteSite | None:
        if camera_id not in self.table.from_sites:
            return None
        camera = self.catalog.camera(camera_id)
        return self.sites.get(camera.site) if camera is not None else None

    def site_key_of(self, camera_id: str) -> str:
        """The site a live camera plays from ("" for this machine's own cameras)."""
        site = self.site_of_stream(camera_id)
        return site.key if site is not None else ""

    async def sync_sites(self) -> dict[str, str]:
        """Read every site's camera directory (all sites at once), add or update their cameras, and follow
        cameras whose recorder now streams them on another path. Returns {site key: error} for the sites
        that could not be read; their cameras stay listed, with their recordings."""
        await asyncio.gather(*(self.sync_site(site) for site in self.sites.values()))
        return {key: site.error for key, site in self.sites.items() if site.error}

    async def sync_site(self, site: RemoteSite) -> None:
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
                self._cameras_changed = True
                self.announcer.changed("camera", str(camera.id))
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
        for sub in (False, True):
            streams = self.table.kind(sub)
            stream = streams.get(camera_id)
            if stream is None or camera_id not in self.table.from_sites:
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

    async def start_site_stream(self, camera: Camera, sub: bool) -> Result[Stream]:
        """A site's camera plays from the path its recorder streams it on (nothing is provisioned here)."""
        site = self.sites.get(camera.site)
        if site is None:
            return Result.fail("not_found", f"{camera.name}: site {camera.site!r} is no longer configured",
                               "add the site back to the settings, or remove the camera")  # fmt: skip
        if site.directory is None:
            await self.sync_site(site)
        if site.directory is None:
            return Result.fail("unreachable", site.error or f"site {site.name} cannot be reached")
        entry = next((c for c in site.directory.cameras if c.id == camera.id), None)
        path = (entry.sub_path if sub else entry.path) if entry is not None else ""
        if not path:
            return Result.fail("source_unavailable", f"{camera.name} is not streaming at site {site.name}",
                               "its recorder lists it as stopped; start it there")  # fmt: skip
        camera_id = str(camera.id)
        stream = self._running_site_stream(camera_id, site, path)
        self.table.kind(sub)[camera_id] = stream
        self.table.from_sites.add(camera_id)
        return Result.ok(stream)

    async def poll(self, health: Health) -> None:
        """One list call per site (all at once). A site's path that vanished means its recorder restarted
        (new paths): read its directory again, at most every few seconds."""
        sites = list(self.sites.values())
        health.sites_total = len(sites)
        listed = await asyncio.gather(*(site.mediamtx.list_paths() for site in sites), return_exceptions=True)
        now = asyncio.get_running_loop().time()
        resync = now >= self._next_sync
        for site, paths in zip(sites, listed, strict=True):
            if isinstance(paths, VidStreamError):
                site.paths = {}
                health.site_errors[site.key] = f"site {site.name}: {paths}"
                continue
            if isinstance(paths, BaseException):
                raise paths
            site.paths = paths
            health.paths.update(paths)
            playing = self.table.playing_from_sites()
            resync = resync or any(s.path_name not in paths for c, s in playing if self.site_key_of(c) == site.key)
        if resync:
            self._next_sync = now + (RESYNC_SOON_S if self._moved_cameras or health.site_errors else RESYNC_S)
            await self.sync_sites()
        for site in sites:
            if site.error and site.key not in health.site_errors:
                health.site_errors[site.key] = site.error
        health.moved_cameras, self._moved_cameras = self._moved_cameras, set()
        health.cameras_changed, self._cameras_changed = self._cameras_changed, False
