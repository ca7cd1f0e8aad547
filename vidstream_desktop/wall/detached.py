"""Walls on other monitors: a layout or a single tile detached into a window of its own, placed on any
screen (full screen there). Which layout is on which screen is saved and restored at the next start; the
main window's shortcuts, F11 and the camera-number keys work in every such window."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from PySide6.QtCore import QObject, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from vidstream_desktop.wall.grid import LAYOUT_SPECS, CameraGrid
from vidstream_desktop.wall.keyboard import WallKeyboard
from vidstream_desktop.wall.tile import VideoTile

SETTINGS_KEY = "monitors/windows"
ShowCamera = Callable[[VideoTile, str], None]


def screen_key(screen: QScreen) -> str:
    """Screens by place, name and size: X screens of one display may all be called "screen"."""
    screens = QGuiApplication.screens()
    size = screen.geometry().size()
    return f"{screens.index(screen)}:{screen.name()}:{size.width()}x{size.height()}"


def find_screen(key: str) -> QScreen:
    """The screen saved as `key`; the one at the same place if it changed; else the primary screen."""
    screens = QGuiApplication.screens()
    for screen in screens:
        if screen_key(screen) == key:
            return screen
    index = key.split(":", 1)[0]
    if index.isdigit() and int(index) < len(screens):
        return screens[int(index)]
    return QGuiApplication.primaryScreen()


@dataclass
class DetachedState:
    screen: str
    layout: str
    assignment: list[str] = field(default_factory=list)
    full_screen: bool = True


class DetachedWall(QWidget):
    closed_by_operator = Signal(object)  # the window
    changed = Signal()

    def __init__(self, layout_name: str, camera_ids: Callable[[], list[str]], shared: Sequence[QAction]) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.grid = CameraGrid(layout_name=layout_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        self._normal_size = QSize(960, 540)
        self.keyboard = WallKeyboard(self.grid, camera_ids, self)
        self.full_screen_action = self._own_action(self.tr("Full screen"), "F11", self.toggle_full_screen)
        self.next_screen_action = self._own_action(self.tr("Move to the next screen"), "Ctrl+Shift+M",
                                                   self.move_to_next_screen)  # fmt: skip
        self._own_action(self.tr("Leave full screen"), "Esc", self._leave)
        # The main window's shortcuts (layouts, recording, tours, help...) work here too.
        self.addActions(list(shared))
        self.grid.layout_changed.connect(lambda _name: self.changed.emit())
        self._quitting = False

    def _own_action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def place_on(self, screen: QScreen, full_screen: bool) -> None:
        if self.isFullScreen():
            self.showNormal()
        self.setScreen(screen)
        area = screen.availableGeometry()
        self._normal_size = QSize(min(self._normal_size.width(), area.width()),
                                  min(self._normal_size.height(), area.height()))  # fmt: skip
        self.setGeometry(QRect(area.topLeft(), self._normal_size))
        if full_screen:
            self._show_full_screen()
        else:
            self.show()
        self.changed.emit()

    def _show_full_screen(self) -> None:
        # The screen's whole rectangle first: a display without a window manager (a kiosk, Xvfb) does
        # not honour the full-screen request by itself.
        self.setGeometry(self.screen().geometry())
        self.showFullScreen()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.setGeometry(QRect(self.screen().availableGeometry().topLeft(), self._normal_size))
        else:
            self._show_full_screen()
        self.changed.emit()

    def _leave(self) -> None:
        if self.keyboard.cancel():
            return
        if self.grid.maximized_tile is not None:
            self.grid.toggle_maximize(self.grid.maximized_tile)
        elif self.isFullScreen():
            self.toggle_full_screen()

    def move_to_next_screen(self) -> None:
        screens = QGuiApplication.screens()
        current = self.screen() if self.screen() in screens else screens[0]
        self.place_on(screens[(screens.index(current) + 1) % len(screens)], self.isFullScreen())

    def state(self) -> DetachedState:
        return DetachedState(screen_key(self.screen()), self.grid.layout_name,
                             [tile.camera_id for tile in self.grid.tiles()], self.isFullScreen())  # fmt: skip

    def shut(self) -> None:
        """Close with the application: the window is kept in the saved state for the next start."""
        self._quitting = True
        self._stop_tiles()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting:
            self._stop_tiles()
            self.closed_by_operator.emit(self)
        super().closeEvent(event)

    def _stop_tiles(self) -> None:
        """Stop every stream, and keep it stopped: the wall may still give a closed window's tiles a camera
        that moves or returns, which a tile outside any layout keeps without playing."""
        self.grid.stop_all()
        for tile in self.grid.all_tiles():
            tile.in_layout = False


class MonitorWindows(QObject):
    """The detached walls of the app, and their saved places."""

    window_opened = Signal(object)  # the new window's CameraGrid: its tiles record and snapshot like the wall's

    def __init__(
        self, settings: QSettings, show_camera: ShowCamera, camera_ids: Callable[[], list[str]],
        shared_actions: Callable[[], Sequence[QAction]], parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.settings = settings
        self._show_camera = show_camera
        self._camera_ids = camera_ids
        self._shared_actions = shared_actions
        self.windows: list[DetachedWall] = []

    def detach(self, layout_name: str, assignment: Sequence[str], screen: QScreen | None = None,
               full_screen: bool = True) -> DetachedWall:  # fmt: skip
        """A new window showing `assignment` in `layout_name`, on `screen` (default: a screen the main
        window is not on, where there is one)."""
        window = DetachedWall(layout_name, self._camera_ids, self._shared_actions())
        window.setWindowTitle(self.tr("VidStream — wall {0}").format(len(self.windows) + 2))
        window.closed_by_operator.connect(self._forget)
        window.changed.connect(self.save)
        window.grid.camera_dropped_on_tile.connect(
            lambda index, camera_id: self._show_camera(window.grid.tile_at(index), camera_id))
        window.keyboard.camera_requested.connect(
            lambda index, camera_id: self._show_camera(window.grid.tile_at(index), camera_id))
        self.windows.append(window)
        self.window_opened.emit(window.grid)
        window.place_on(screen or self._free_screen(), full_screen)
        for tile, camera_id in zip(window.grid.tiles(), assignment, strict=False):
            if camera_id:
                self._show_camera(tile, camera_id)
        self.save()
        return window

    def detach_tile(self, camera_id: str, screen: QScreen | None = None) -> DetachedWall:
        return self.detach("1x1", [camera_id], screen)

    def _free_screen(self) -> QScreen:
        parent = self.parent()
        taken = {parent.screen()} if isinstance(parent, QWidget) else set()
        taken |= {window.screen() for window in self.windows[:-1]}
        screens = QGuiApplication.screens()
        return next((screen for screen in screens if screen not in taken), QGuiApplication.primaryScreen())

    def _forget(self, window: DetachedWall) -> None:
        if window in self.windows:
            self.windows.remove(window)
        self.save()

    def save(self) -> None:
        states = [asdict(window.state()) for window in self.windows]
        self.settings.setValue(SETTINGS_KEY, json.dumps(states))

    def saved(self) -> list[DetachedState]:
        try:
            raw = json.loads(str(self.settings.value(SETTINGS_KEY, "[]") or "[]"))
            return [DetachedState(**item) for item in raw if item.get("layout") in LAYOUT_SPECS]
        except (ValueError, TypeError, AttributeError):
            return []  # an unreadable entry costs the windows' places, never the start

    def restore(self, known_camera_ids: Sequence[str]) -> list[DetachedWall]:
        """Reopen the windows saved at the last run, each on its screen (cameras removed since stay out)."""
        known = set(known_camera_ids)
        for state in self.saved():
            assignment = [camera_id if camera_id in known else "" for camera_id in state.assignment]
            self.detach(state.layout, assignment, find_screen(state.screen), state.full_screen)
        return list(self.windows)

    def shut_all(self) -> None:
        self.save()
        for window in self.windows:
            window.shut()
