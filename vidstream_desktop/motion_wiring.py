"""Motion in the main window: the Events tab beside the camera list, tiles lit while their camera moves,
the alarm tile, and the motion settings of the selected camera. Made once a core is attached."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget, QToolBar

from video_streaming.core import VidStreamCore
from video_streaming.motion.detector import MotionSettings
from vidstream_desktop.controllers.wall_controller import WallController
from vidstream_desktop.events_panel import EventsPanel, MotionRelay, MotionWall
from vidstream_desktop.motion_dialog import MotionDialog
from vidstream_desktop.motion_search import MotionSearchDialog
from vidstream_desktop.wall.alarm import AlarmTile

if TYPE_CHECKING:
    from vidstream_desktop.main_window import MainWindow


class MotionControls(QObject):
    def __init__(self, window: MainWindow, core: VidStreamCore, wall: WallController) -> None:
        super().__init__(window)
        self.window = window
        self.core = core
        relay = MotionRelay(core, window)
        self.lights = MotionWall(core, relay, wall, window)
        self.events_panel = EventsPanel(core, relay, window)
        dock = QDockWidget(self.tr("Events"), window)  # short: it shares the narrow left column with "Cameras"
        dock.setObjectName("eventsDock")
        dock.setWidget(self.events_panel)
        # A tab beside the camera list: a dock of its own would widen a window that is already shown (a
        # 1440-pixel screen then cut the window's right edge off).
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        window.tabifyDockWidget(window.cameras_dock, dock)
        window.cameras_dock.raise_()
        self.events_panel.play_requested.connect(self._play_event)
        action = window._action("motion", self.tr("Motion detection…"), "camera", self.edit, "Ctrl+M")
        toolbar = window.findChild(QToolBar, "wallToolbar")
        if toolbar is not None:
            toolbar.addAction(action)
        window._action("motion_search", self.tr("Search motion…"), "camera", self.search, "Ctrl+Shift+M")
        self.events_panel.search_requested.connect(self.search)
        self.alarm = AlarmTile(window.grid, wall.show_camera, window._spawn, window.settings, window)
        relay.notice.connect(self.alarm.on_notice)
        window._action("alarm_tile", self.tr("Alarm tile: the focused tile (again: none)"), "camera",
                       self.choose_alarm_tile, "Ctrl+Alt+A")  # fmt: skip
        self.lights.start_all()

    def choose_alarm_tile(self) -> None:
        self.alarm.choose(self.window.keyboard.focused_index)
        chosen = self.alarm.index is not None
        text = self.tr("Cameras in motion now come to the alarm tile") if chosen else self.tr("No alarm tile")
        self.window.statusBar().showMessage(text, 5000)

    def dialog_page(self, camera_id: str | None) -> tuple[MotionSettings, QImage | None] | None:
        """What the camera dialog's Motion tab starts from: the camera's settings and a still frame to draw masks
        on (a new camera: detection off, no picture yet). None: no motion detection in this build."""
        if self.core.motion is None:
            return None
        if camera_id is None:
            return MotionSettings(enabled=False), None
        picture = self.core.motion.still_picture(camera_id)
        return self.core.motion.store.settings(camera_id), (QImage.fromData(picture) if picture else None)

    def apply(self, camera_id: str, settings: MotionSettings | None, restart: bool = True) -> None:
        """Keep the settings from the camera dialog; restart detection with them (unless the caller restarts the
        camera anyway) when they changed."""
        if settings is None or self.core.motion is None or settings == self.core.motion.store.settings(camera_id):
            return
        self.core.set_motion_settings(camera_id, settings)
        if restart:
            self.window._spawn(self.core.start_motion(camera_id))

    def dialog(self) -> MotionDialog | None:
        """The selected camera's motion settings dialog (None without a selection or motion detection)."""
        camera = self.window.selected_camera()
        if camera is None or self.core.motion is None:
            return None
        picture = self.core.motion.still_picture(str(camera.id))
        still = QImage.fromData(picture) if picture else None
        return MotionDialog(camera.name, self.core.motion.store.settings(str(camera.id)), still, self.window)

    def edit(self) -> None:
        dialog = self.dialog()
        if dialog is not None and dialog.exec() == MotionDialog.DialogCode.Accepted:
            self.save(dialog)

    def save(self, dialog: MotionDialog) -> None:
        camera = self.window.selected_camera()
        if camera is None:
            return
        self.core.set_motion_settings(str(camera.id), dialog.settings())
        self.window._spawn(self.core.start_motion(str(camera.id)))

    def search_dialog(self) -> MotionSearchDialog:
        """Motion search, on the selected camera to begin with; a moment found plays in the recordings browser."""
        camera = self.window.selected_camera()
        dialog = MotionSearchDialog(self.core, str(camera.id) if camera is not None else None, self.window)
        dialog.play_requested.connect(self._play_event)
        return dialog

    def search(self) -> None:
        dialog = self.search_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the wall keeps playing, and a found moment can be played while it is open

    def _play_event(self, camera_id: str, moment: object) -> None:
        if isinstance(moment, datetime):
            self.window.play_recorded(camera_id, moment)
