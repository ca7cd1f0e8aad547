"""The alarm tile: one tile of the wall, chosen by the operator, that a motion event brings its camera into.

A camera in motion takes the tile at once, unless the camera already there for an alarm is still in
motion: that one stays until its motion ends (a busy scene must not make the tile flicker), and then the
longest-waiting camera still in motion follows. When all motion is over the last alarm camera stays, so the
operator can still see what happened. The choice is saved with the window's settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from video_streaming.motion.service import MotionNotice, NoticeKind
from vidstream_desktop.wall.grid import CameraGrid
from vidstream_desktop.wall.tile import VideoTile

SETTING = "wall/alarm_tile"
ShowCamera = Callable[[VideoTile, str], Awaitable[None]]


class AlarmTile(QObject):
    brought = Signal(str)  # the camera an alarm brought into the tile

    def __init__(
        self, grid: CameraGrid, show: ShowCamera, spawn: Callable[[Any], None], settings: QSettings,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.grid = grid
        self._show = show
        self._spawn = spawn
        self._settings = settings
        stored = settings.value(SETTING)
        self.index: int | None = int(str(stored)) if stored not in (None, "") else None
        self.in_motion: list[str] = []  # cameras in motion, oldest motion first
        self.showing: str | None = None  # the camera the latest alarm brought in
        self._marked: VideoTile | None = None
        grid.layout_changed.connect(lambda _name: self._mark())
        self._mark()

    @property
    def tile(self) -> VideoTile | None:
        """The alarm tile, while the layout has that many tiles."""
        if self.index is None or self.index >= len(self.grid.tiles()):
            return None
        return self.grid.tile_at(self.index)

    def choose(self, index: int | None) -> None:
        """Make tile `index` the alarm tile (None: no alarm tile). Choosing the alarm tile again clears it."""
        self.index = None if index == self.index else index
        self._settings.setValue(SETTING, "" if self.index is None else self.index)
        self.showing = None
        self._mark()

    def on_notice(self, notice: MotionNotice) -> None:
        if notice.kind is NoticeKind.STARTED:
            self._started(notice.camera_id)
        elif notice.kind in (NoticeKind.ENDED, NoticeKind.FEED_LOST):
            self._ended(notice.camera_id)

    def _started(self, camera_id: str) -> None:
        if camera_id not in self.in_motion:
            self.in_motion.append(camera_id)
        if self.showing is not None and self.showing != camera_id and self.showing in self.in_motion:
            return  # the camera there is still in motion: it keeps the tile, this one waits its turn
        self._bring(camera_id)

    def _ended(self, camera_id: str) -> None:
        if camera_id in self.in_motion:
            self.in_motion.remove(camera_id)
        if camera_id == self.showing:
            waiting = [other for other in self.in_motion if other != camera_id]
            if waiting:
                self._bring(waiting[0])
            else:
                self._mark()

    def _bring(self, camera_id: str) -> None:
        tile = self.tile
        if tile is None:
            return
        self.showing = camera_id
        self._mark()
        self.brought.emit(camera_id)
        if tile.camera_id != camera_id:
            self._spawn(self._show_in(tile, camera_id))
        else:
            tile.set_motion(True)

    async def _show_in(self, tile: VideoTile, camera_id: str) -> None:
        await self._show(tile, camera_id)
        # The border follows motion notices for tiles that showed the camera when they came; this one
        # joined after its notice, so it lights up here (and goes dark with the camera's end notice).
        tile.set_motion(camera_id in self.in_motion and tile.camera_id == camera_id)

    def _mark(self) -> None:
        """The badge on the alarm tile: there while chosen, bright while its camera is in motion."""
        tile = self.tile
        if self._marked is not None and self._marked is not tile:
            self._marked.bar.set_alarm(False)
        self._marked = tile
        if tile is not None:
            tile.bar.set_alarm(True, active=self.showing is not None and self.showing in self.in_motion)
