"""The control-room tools of the main window: tours, PTZ (drag, wheel, presets and the tile's badge) and
detached windows on other screens. Thin: what runs is in wall/ (tours, ptz, detached) and in the core."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from video_streaming.bootstrap import build_onvif_service
from vidstream_desktop.wall.detached import MonitorWindows
from vidstream_desktop.wall.ptz import PtzBindings, PtzCameras, PtzMouse, show_ptz_badges
from vidstream_desktop.wall.ptz_presets import PtzPresetsDialog
from vidstream_desktop.wall.replay import InstantReplay
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.tours import TourDialog, TourManager
from vidstream_desktop.wall.zoom_mouse import ZoomMouse

if TYPE_CHECKING:
    from vidstream_desktop.main_window import MainWindow


class ControlRoom(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tours = TourManager(window)
        # The ONVIF client is built on first use: its libraries take a while to load.
        self.ptz = PtzCameras(PtzBindings(window.settings), self._camera_credentials,
                              lambda *target: build_onvif_service().ptz(*target))  # fmt: skip
        self.ptz_mouse = PtzMouse(self.ptz.control_for, window._spawn, window)
        self.zoom_mouse = ZoomMouse(self.ptz.has_ptz, window)  # digital zoom in tiles and the recordings player
        window.grid.tile_state_changed.connect(lambda: show_ptz_badges(window.grid.all_tiles(), self.ptz.has_ptz))
        self._replay: InstantReplay | None = None  # made with the core (window.core)
        window.grid.replay_clicked.connect(self.instant_replay)
        self.monitors = MonitorWindows(window.settings, window._show_camera_in, window.camera_list.camera_ids,
                                       self._actions_for_other_windows, window)  # fmt: skip

    def add_actions(self) -> None:
        action = self.window._action
        action("tour_tile", self.tr("Tour in the focused tile…"), "camera", self.start_tile_tour, "Ctrl+T")
        action("tour_wall", self.tr("Tour of saved layouts…"), "layout-3x3", self.start_wall_tour, "Ctrl+Shift+T")
        action("stop_tours", self.tr("Stop the tours"), "stop", self.tours.stop_all, "Ctrl+Alt+T")
        action("ptz_presets", self.tr("PTZ presets of the focused tile…"), "camera", self.open_ptz_presets,
               "Ctrl+Shift+P")  # fmt: skip
        action("detach_layout", self.tr("Layout to a window of its own (another screen)"), "fullscreen",
               self.detach_layout, "Ctrl+D")  # fmt: skip
        action("detach_tile", self.tr("Focused tile to a window of its own"), "fullscreen", self.detach_tile,
               "Ctrl+Shift+D")  # fmt: skip
        action("instant_replay", self.tr("Instant replay in the focused tile (again: back to live)"), "play",
               lambda: self.instant_replay(self.window.keyboard.focused_tile), "Ctrl+I")  # fmt: skip

    def start_tile_tour(self) -> None:
        window = self.window
        cameras = [(camera_id, item.text()) for camera_id in window.camera_list.camera_ids()
                   if (item := window.camera_list.item_for(camera_id)) is not None]  # fmt: skip
        dialog = TourDialog(self.tr("Tour in the focused tile"), cameras, window)
        if dialog.exec() == TourDialog.DialogCode.Accepted:
            index = window.keyboard.focused_index
            self.tours.start(dialog.plan(), lambda camera_id: window._show_camera_in_tile(index, camera_id),
                             window.grid.tile_at(index))  # fmt: skip

    def start_wall_tour(self) -> None:
        window, wall = self.window, self.window.wall
        names = wall.named_layouts() if wall else []
        if len(names) < 2:
            window.statusBar().showMessage(self.tr("A tour of layouts needs two saved layouts (Ctrl+S saves one)"),
                                           5000)  # fmt: skip
            return
        dialog = TourDialog(self.tr("Tour of saved layouts"), [(name, name) for name in names], window)
        if dialog.exec() == TourDialog.DialogCode.Accepted and wall is not None:
            self.tours.start(dialog.plan(), lambda name: window._spawn(wall.restore_named_layout(name)), window.grid)

    def instant_replay(self, tile: VideoTile) -> None:
        """Replay the tile's last 30 s in place, or go back to live if it replays."""
        core = self.window.core
        if core is None:
            return
        if self._replay is None:
            self._replay = InstantReplay(core, self.window._spawn, self)
            self._replay.message.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
        self._replay.toggle(tile)

    def open_ptz_presets(self) -> PtzPresetsDialog | None:
        tile = self.window.keyboard.focused_tile
        control = self.ptz.control_for(tile.camera_id) if tile.camera_id else None
        if control is None:
            self.window.statusBar().showMessage(self.tr("The focused tile shows no PTZ camera"), 5000)
            return None
        dialog = PtzPresetsDialog(tile.camera_name, control, self.window._spawn, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def detach_layout(self) -> None:
        grid = self.window.grid
        self.monitors.detach(grid.layout_name, [tile.camera_id for tile in grid.tiles()])

    def detach_tile(self) -> None:
        camera_id = self.window.keyboard.focused_tile.camera_id
        if not camera_id:
            self.window.statusBar().showMessage(self.tr("The focused tile shows no camera"), 5000)
            return
        self.monitors.detach_tile(camera_id)

    def _actions_for_other_windows(self) -> list[QAction]:
        # F11 and Esc act on the window they are pressed in: each wall window has its own.
        actions = self.window.actions_by_name
        return [action for name, action in actions.items() if name not in ("fullscreen", "leave")]

    def _camera_credentials(self, camera_id: str) -> tuple[str, str] | None:
        core = self.window.core
        camera = core.catalog.camera(camera_id) if core else None
        if core is None or camera is None:
            return None
        return core.camera_credentials(camera_id)  # from the secret store
