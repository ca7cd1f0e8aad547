"""Behaviour of the live wall: which camera plays in which tile, recording, snapshots, health.

Widgets (CameraGrid, VideoTile, CameraListWidget) stay thin; this object talks to the core with
coroutines on the qasync loop, so the window never waits for the network."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal

from video_streaming.core import CatalogChange, Health, VidStreamCore
from video_streaming.domain.camera import slugify
from video_streaming.live_transports import carries, transports_carrying
from vidstream_desktop.wall.camera_list import CameraListWidget
from vidstream_desktop.wall.grid import CameraGrid
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import Transport, opens_with_login

log = logging.getLogger(__name__)
POLL_INTERVAL_MS = 1000


def snapshot_folder() -> Path:
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(pictures or Path.home()) / "VidStream"


class WallController(QObject):
    health_changed = Signal(object)  # Health
    message = Signal(str)  # transient status-bar text
    alert = Signal(str, str)  # level, text
    recording_changed = Signal(str, bool)  # camera id, recording

    def __init__(
        self,
        core: VidStreamCore,
        grid: CameraGrid,
        camera_list: CameraListWidget,
        transports: list[Transport],
        settings: QSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.core = core
        self.grid = grid
        self.camera_list = camera_list
        self.transports = transports or [Transport.HLS]
        self.settings = settings
        self._tasks: set[asyncio.Task[Any]] = set()
        self.last_health: Health | None = None
        grid.camera_dropped_on_tile.connect(self._on_drop)
        grid.record_clicked.connect(self._on_record_clicked)
        grid.snapshot_clicked.connect(self._on_snapshot_clicked)
        grid.layout_changed.connect(self._save_wall)
        grid.layout_changed.connect(self._refresh_stream_choice)
        grid.maximized_changed.connect(self._refresh_stream_choice)
        grid.zoom_changed.connect(self._refresh_stream_choice)
        grid.tile_state_changed.connect(self._tiles_changed)
        grid.tamper_acknowledged.connect(self.acknowledge_tamper)
        self._other_grids: list[CameraGrid] = []  # detached windows' grids (add_grid)
        self._showing_sub: dict[int, bool] = {}  # id(tile) -> whether it shows the sub-stream
        self._unplayable: dict[int, str] = {}  # id(tile) -> why no transport this VLC opens carries its codec
        camera_list.camera_activated.connect(self._on_camera_activated)
        core.alert_listeners.append(lambda level, text: self.alert.emit(level, text))
        core.change_listeners.append(self._core_changed)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_INTERVAL_MS)
        self._poll_timer.timeout.connect(self._poll)
        self._loop = asyncio.get_event_loop()
        self._polling: asyncio.Task[Any] | None = None
        # Each second's cycle (set by the app: the session's Upkeep.tick, which revives app-owned servers
        # first, as `serve` does); the core's bare poll when the wall runs without a session (tests).
        self.tick: Callable[[], Coroutine[Any, Any, Health]] | None = None

    # ---- helpers -----------------------------------------------------------------------------------

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = self._loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("wall task failed", exc_info=error)
            self.alert.emit("error", str(error))

    def _poll(self) -> None:
        # Skip a tick rather than pile up polls when the server is slow, or when no loop is running.
        if self._loop.is_running() and (self._polling is None or self._polling.done()):
            self._polling = self._spawn(self.refresh_health())

    def transport_for(self, camera_id: str) -> Transport:
        """The camera's override if the local libvlc can open it, else the lowest-latency one."""
        override = str(self.settings.value(f"cameras/{camera_id}/transport", "") or "")
        if override in {t.value for t in self.transports}:
            return Transport(override)
        return self.transports[0]

    def set_transport(self, camera_id: str, transport: str) -> None:
        self.settings.setValue(f"cameras/{camera_id}/transport", transport)
        for tile in self.tiles_showing(camera_id):
            self._spawn(self.show_camera(tile, camera_id))

    def tiles_showing(self, camera_id: str) -> list[VideoTile]:
        """Every tile showing the camera: the wall's and those of its detached windows."""
        grids = [self.grid, *self._other_grids]
        return [tile for grid in grids for tile in grid.all_tiles() if tile.camera_id == camera_id]

    def add_grid(self, grid: CameraGrid) -> None:
        """A detached window's grid: its tiles' Record and Snapshot buttons work as on the wall, and REC,
        motion and health reach them (through `tiles_showing`)."""
        self._other_grids.append(grid)
        grid.record_clicked.connect(lambda index: self._record_tile(grid.tile_at(index)))
        grid.snapshot_clicked.connect(lambda index: self._snapshot_tile(grid.tile_at(index)))
        grid.tile_state_changed.connect(self._tiles_changed)
        grid.tamper_acknowledged.connect(self.acknowledge_tamper)
        grid.destroyed.connect(lambda *_: self._other_grids.remove(grid) if grid in self._other_grids else None)

    # ---- start-up and layout -----------------------------------------------------------------------

    def reload_camera_list(self) -> None:
        cameras = self.core.cameras()
        self.camera_list.set_cameras([(str(c.id), c.name) for c in cameras])

    async def populate(self) -> None:
        """Restore the saved wall, or fill tiles with the cameras in order (remote sites' cameras included)."""
        for problem in self.core.setup_problems:  # told before this controller listened to the core
            self.alert.emit("error", problem)
        if self.core.sites:
            for problem in (await self.core.sync_sites()).values():
                self.alert.emit("warning", problem)
        self.reload_camera_list()
        cameras = [c for c in self.core.cameras() if c.enabled]
        known = {str(c.id) for c in cameras}
        layout = str(self.settings.value("wall/layout", "") or "")
        if layout:
            self.grid.set_layout(layout)
        saved = self.settings.value("wall/assignment", []) or []
        assignment = [c for c in (saved if isinstance(saved, list) else [saved]) if c in known]
        if not assignment:
            assignment = [str(c.id) for c in cameras]
        tiles = self.grid.all_tiles()
        await asyncio.gather(
            *(
                self.show_camera(tiles[i], camera_id)
                for i, camera_id in enumerate(assignment)
                if i < len(tiles) and camera_id
            )
        )
        self._poll_timer.start()

    def _save_wall(self, *_: object) -> None:
        self.settings.setValue("wall/layout", self.grid.layout_name)
        self.settings.setValue("wall/assignment", [tile.camera_id for tile in self.grid.all_tiles()])

    def save_named_layout(self, name: str) -> None:
        self.settings.setValue(f"layouts/{name}/grid", self.grid.layout_name)
        self.settings.setValue(f"layouts/{name}/assignment", [tile.camera_id for tile in self.grid.all_tiles()])

    def named_layouts(self) -> list[str]:
        self.settings.beginGroup("layouts")
        names = sorted(self.settings.childGroups())
        self.settings.endGroup()
        return names

    async def restore_named_layout(self, name: str) -> None:
        grid_name = str(self.settings.value(f"layouts/{name}/grid", "") or "")
        if not grid_name:
            return
        self.grid.set_layout(grid_name)
        assignment = self.settings.value(f"layouts/{name}/assignment", []) or []
        tiles = self.grid.all_tiles()
        for index, camera_id in enumerate(assignment if isinstance(assignment, list) else [assignment]):
            if index < len(tiles) and camera_id and camera_id != tiles[index].camera_id:
                await self.show_camera(tiles[index], str(camera_id))
        self._save_wall()

    # ---- live ------------------------------------------------------------------------------------

    def wants_sub_stream(self, tile: VideoTile) -> bool:
        """Small tiles show the camera's sub-stream; a maximised, single, big (1+N) or zoomed tile the main one."""
        # A tile of a wall on another monitor (wall/detached.py) is judged by its own grid.
        if not tile.in_layout:
            return True  # shown later, by a layout that has more than one tile (it is not the first)
        parent = tile.parentWidget()
        grid = parent if isinstance(parent, CameraGrid) else self.grid
        if grid.maximized_tile is tile or len(grid.tiles()) == 1 or tile.zoom.zoomed:
            return False
        return not (grid.layout_name.startswith("1+") and grid.index_of(tile) == 0)

    def _refresh_stream_choice(self, *_: object) -> None:
        """After a maximise or a layout change, switch tiles between main and sub-stream where needed."""
        for tile in self.grid.tiles():
            camera_id = tile.camera_id
            if camera_id and self.core.has_sub_stream(camera_id):
                wanted = self.wants_sub_stream(tile)
                if self._showing_sub.get(id(tile)) != wanted:
                    self._spawn(self.show_camera(tile, camera_id))

    async def show_camera(self, tile: VideoTile, camera_id: str) -> None:
        camera = self.core.catalog.camera(camera_id)
        if camera is None:
            return
        tile.show_connecting(camera_id, camera.name)
        sub = self.wants_sub_stream(tile) and camera.sub_stream is not None
        self._showing_sub[id(tile)] = sub
        result = await self.core.start_camera(camera_id, sub_stream=sub)
        if result.is_failure:
            tile.assign(camera_id, camera.name, "", self.transport_for(camera_id))
            tile.set_problem(str(result.error))
            self.alert.emit("warning", f"{camera.name}: {result.error}")
            if not camera.site:
                self.core.keep_camera(camera_id)  # retried with back-off; the tile opens once it is up
            return
        transport = self.transport_for(camera_id)
        # MediaMTX carries some codecs over some protocols only (M-JPEG: RTSP, so the relay), and libvlc's HLS
        # cannot send a login: pick a transport this VLC opens that carries the camera to it.
        codec = await self.core.live_video_codec(camera_id, sub_stream=sub)
        urls = self.core.live_urls(camera_id, sub_stream=sub)

        def plays(candidate: Transport) -> bool:
            return carries(candidate.value, codec) and opens_with_login(candidate, urls.get(candidate.reads, ""))

        if not plays(transport):
            usable = [t for t in self.transports if plays(t)]
            if not usable:
                tile.assign(camera_id, camera.name, "", transport)
                if carries(transport.value, codec):
                    self._unplayable[id(tile)] = self.tr(
                        "cannot play over {0}: this VLC's {0} player cannot send the media server's login; "
                        "choose another transport for the camera").format(transport.value.upper())  # fmt: skip
                else:
                    carrying = ", ".join(name.upper() for name in transports_carrying(codec or ""))
                    self._unplayable[id(tile)] = self.tr(
                        "cannot play {0} live: the media server sends it over {1} only, which this VLC cannot "
                        "open").format(codec, carrying)  # fmt: skip
                tile.set_problem(self._unplayable[id(tile)])
                tile.set_recording(self.core.is_recording(camera_id))
                return
            transport = usable[0]
        self._unplayable.pop(id(tile), None)
        url = urls.get(transport.reads, "")
        tile.assign(camera_id, camera.name, url, transport, video_codec=codec)
        self._show_recording(camera_id)
        tile.set_tamper(self.core.tampered(camera_id))
        self._save_wall()

    def _on_drop(self, index: int, camera_id: str) -> None:
        self._spawn(self.show_camera(self.grid.tile_at(index), camera_id))

    def _on_camera_activated(self, camera_id: str) -> None:
        if shown := [t for t in self.tiles_showing(camera_id) if t in self.grid.tiles()]:
            # Already on the wall: a second copy by a double-click is never what was meant (drag it onto
            # another tile for that).
            self.message.emit(self.tr("{0} is already on the wall").format(shown[0].camera_name))
            shown[0].setFocus()
            return
        tile = self.grid.first_empty_tile() or (self.grid.tiles()[0] if self.grid.tiles() else None)
        if tile is not None:
            self._spawn(self.show_camera(tile, camera_id))

    # ---- recording -------------------------------------------------------------------------------

    def _on_record_clicked(self, index: int) -> None:
        self._record_tile(self.grid.tile_at(index))

    def _record_tile(self, tile: VideoTile) -> None:
        if tile.camera_id:
            self._spawn(self.toggle_recording(tile.camera_id))

    async def toggle_recording(self, camera_id: str) -> bool:
        """Start or stop recording the camera. Returns whether it is recording afterwards."""
        camera = self.core.catalog.camera(camera_id)
        name = camera.name if camera else camera_id
        if self.core.is_recording(camera_id):
            await self.core.stop_recording(camera_id)
            self.message.emit(self.tr("Stopped recording {0}").format(name))
        else:
            result = await self.core.record(camera_id)
            if result.is_failure:
                self.alert.emit("error", self.tr("Cannot record {0}: {1}").format(name, result.error))
            else:
                self.message.emit(self.tr("Recording {0}").format(name))
        self._show_recording(camera_id)
        return self.core.is_recording(camera_id)

    def _name(self, camera_id: str) -> str:
        camera = self.core.catalog.camera(camera_id)
        return camera.name if camera else camera_id

    def _core_changed(self, change: CatalogChange) -> None:
        if change.what in ("gap", "recording-started", "recording-ended") and change.camera_id:
            self._show_recording(change.camera_id)  # REC, "REC paused" and off follow the recorder at once

    def _show_recording(self, camera_id: str) -> None:
        recording = self.core.is_recording(camera_id)
        paused = self.core.is_recording_paused(camera_id)
        on_motion = not recording and self.core.is_recording_event(camera_id)
        for tile in self.tiles_showing(camera_id):
            tile.set_recording(recording, paused, event=on_motion)
        self.recording_changed.emit(camera_id, recording)

    def show_tamper(self, camera_id: str) -> None:
        kinds = self.core.tampered(camera_id)
        for tile in self.tiles_showing(camera_id):
            tile.set_tamper(kinds)

    def acknowledge_tamper(self, camera_id: str) -> None:
        """The operator clicked a tile's "moved" badge: the camera's new view becomes its normal one."""
        if camera_id and self.core.acknowledge_tamper(camera_id):
            self.message.emit(self.tr("{0}: alert acknowledged; its present view is now the normal one")
                              .format(self._name(camera_id)))  # fmt: skip
        self.show_tamper(camera_id)

    async def record_all(self) -> None:
        """Every camera at once (the core starts them in parallel: one that does not answer delays no other);
        each failure is an alert of its own."""
        outcomes = await self.core.record_all()
        for camera_id, result in outcomes.items():
            if result.is_failure:
                self.alert.emit("error", self.tr("Cannot record {0}: {1}").format(self._name(camera_id), result.error))
            self._show_recording(camera_id)
        started = [camera_id for camera_id, result in outcomes.items() if result.is_success]
        if len(started) == 1:
            self.message.emit(self.tr("Recording {0}").format(self._name(started[0])))
        elif started:
            self.message.emit(self.tr("Recording {0} cameras").format(len(started)))

    async def stop_all(self) -> None:
        for camera_id in list(self.core.active_recordings):
            await self.toggle_recording(camera_id)

    # ---- snapshots ---------------------------------------------------------------------------------

    def _on_snapshot_clicked(self, index: int) -> None:
        self._snapshot_tile(self.grid.tile_at(index))

    def _snapshot_tile(self, tile: VideoTile) -> None:
        if not tile.camera_id:
            return
        folder = snapshot_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slugify(tile.camera_name)}-{datetime.now():%Y%m%d-%H%M%S}.png"
        if tile.snapshot(path):
            self.message.emit(self.tr("Snapshot saved to {0}").format(path))
        else:
            self.alert.emit("warning", self.tr("No picture to save yet for {0}").format(tile.camera_name))

    # ---- health ------------------------------------------------------------------------------------

    async def refresh_health(self) -> Health:
        health = await (self.tick or self.core.poll)()
        self.last_health = health
        for camera_id in health.moved_cameras | health.started_cameras:  # new path, or a camera back at last
            for tile in self.tiles_showing(camera_id):
                self._spawn(self.show_camera(tile, camera_id))
        if health.moved_cameras or health.cameras_changed:
            self.reload_camera_list()
        for camera_id in {*self.core.streams, *self.core.sub_streams}:
            main = self.core.streams.get(camera_id)
            sub = self.core.sub_streams.get(camera_id)
            main_path, sub_path = (main.path_name if main else None), (sub.path_name if sub else None)
            online = health.path_ready(main_path) or health.path_ready(sub_path)
            self.camera_list.set_status(camera_id, online, self.core.is_recording(camera_id))
            site_problem = health.site_errors.get(self.core.site_key_of(camera_id), "")
            for tile in self.tiles_showing(camera_id):
                path = sub_path if self._showing_sub.get(id(tile)) else main_path
                kept = health.camera_states.get(camera_id)
                if kept is not None and kept.state == "waiting":
                    tile.set_problem(kept.describe())  # "waiting for the camera, retrying in N s: <reason>"
                elif site_problem:
                    tile.set_problem(self.tr("site unreachable: {0}").format(site_problem))
                elif not health.mediamtx_ok and not self.core.site_key_of(camera_id):
                    tile.set_problem(self.tr("media server unreachable"))
                elif not health.has_path(path):
                    tile.set_problem(self.tr("no such path on the media server"))
                elif not health.path_ready(path):
                    tile.set_problem(self.tr("offline: the camera is not sending"))
                else:
                    tile.set_problem(self._unplayable.get(id(tile)))  # a codec no transport here carries
        for camera_id, kept in health.camera_states.items():
            if kept.state == "waiting" and camera_id not in self.core.streams:
                for tile in self.tiles_showing(camera_id):
                    tile.set_problem(kept.describe())
        for camera_id in list(self.core.streams):
            if self.core.is_recording(camera_id) != any(t.is_recording for t in self.tiles_showing(camera_id)):
                self._show_recording(camera_id)
        self.health_changed.emit(self.as_the_wall_shows(health))
        return health

    def as_the_wall_shows(self, health: Health) -> Health:
        """The server's health, with each camera on the wall counted online only while a tile of it shows a
        live picture: the media server keeps a dropped camera's path ready for seconds after its tile has
        stalled, and the status bar must not call a camera online that the wall shows frozen."""
        online = 0
        for camera_id, stream in self.core.streams.items():
            # A tile that replays shows no live picture: the camera is judged by its path meanwhile.
            tiles = [t for t in self.tiles_showing(camera_id) if t in self.grid.tiles() and t.in_place is None]
            if tiles:
                online += any(tile.state in ("live", "degraded") for tile in tiles)
            else:
                online += health.path_ready(stream.path_name)
        degraded = sum(tile.is_degraded for tile in self.grid.tiles())
        return dataclasses.replace(health, cameras_online=online, tiles_degraded=degraded)

    def _tiles_changed(self) -> None:
        if self.last_health is not None:
            self.health_changed.emit(self.as_the_wall_shows(self.last_health))

    async def shutdown(self) -> None:
        self._poll_timer.stop()
        for task in list(self._tasks):
            task.cancel()
