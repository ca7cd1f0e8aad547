"""PTZ from the wall, only for cameras added from ONVIF with a PTZ profile: drag in the tile to pan and
tilt (the farther from where the drag began, the faster; releasing stops), the wheel zooms a step, and
in a maximised tile the arrow keys pan and tilt while held. Commands go through PtzControl (one after
the other, as coroutines on the Qt loop); which camera has PTZ is kept in the settings."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QSettings, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from video_streaming.domain.onvif import PtzVelocity
from video_streaming.onvif_cameras import PtzControl
from vidstream_desktop.wall.grid import CameraGrid
from vidstream_desktop.wall.tile import VideoTile

Spawn = Callable[[Coroutine[Any, Any, Any]], Any]
DRAG_THRESHOLD_PX = 8
DEAD_ZONE = 0.05
WHEEL_ZOOM_SPEED, WHEEL_STEP_S = 0.5, 0.3
KEY_SPEED = 0.5
_KEY_VELOCITY = {
    Qt.Key.Key_Left: PtzVelocity(pan=-KEY_SPEED),
    Qt.Key.Key_Right: PtzVelocity(pan=KEY_SPEED),
    Qt.Key.Key_Up: PtzVelocity(tilt=KEY_SPEED),
    Qt.Key.Key_Down: PtzVelocity(tilt=-KEY_SPEED),
}


def drag_velocity(dx: float, dy: float, width: int, height: int) -> PtzVelocity:
    """A drag of half the tile's width is full speed; up on the screen tilts up."""

    def speed(offset: float, half: float) -> float:
        value = max(-1.0, min(1.0, offset / max(half, 1.0)))
        return 0.0 if abs(value) < DEAD_ZONE else round(value, 2)

    return PtzVelocity(pan=speed(dx, width / 2), tilt=speed(-dy, height / 2))


@dataclass(frozen=True)
class PtzBinding:
    address: str
    profile_token: str


class PtzBindings:
    """Which cameras have PTZ, and through which ONVIF device and profile (no secret here)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def save(self, camera_id: str, binding: PtzBinding) -> None:
        self.settings.setValue(f"ptz/{camera_id}/address", binding.address)
        self.settings.setValue(f"ptz/{camera_id}/profile", binding.profile_token)

    def get(self, camera_id: str) -> PtzBinding | None:
        address = str(self.settings.value(f"ptz/{camera_id}/address", "") or "")
        profile = str(self.settings.value(f"ptz/{camera_id}/profile", "") or "")
        return PtzBinding(address, profile) if camera_id and address and profile else None

    def forget(self, camera_id: str) -> None:
        self.settings.remove(f"ptz/{camera_id}")


Credentials = Callable[[str], tuple[str, str] | None]  # camera id -> (user, password), or None if unknown
MakeControl = Callable[[str, str, str, str], PtzControl]  # address, user, password, profile token


class PtzCameras:
    """The PTZ control of each camera that has one, made on first use and kept (with the camera's
    password in memory only for its commands)."""

    def __init__(self, bindings: PtzBindings, credentials: Credentials, make: MakeControl) -> None:
        self.bindings = bindings
        self._credentials = credentials
        self._make = make
        self._controls: dict[str, PtzControl] = {}

    def control_for(self, camera_id: str) -> PtzControl | None:
        if camera_id in self._controls:
            return self._controls[camera_id]
        binding = self.bindings.get(camera_id)
        credentials = self._credentials(camera_id) if binding else None
        if binding is None or credentials is None:
            return None
        control = self._make(binding.address, credentials[0], credentials[1], binding.profile_token)
        self._controls[camera_id] = control
        return control

    def forget(self, camera_id: str) -> None:
        self.bindings.forget(camera_id)
        self._controls.pop(camera_id, None)

    def has_ptz(self, camera_id: str) -> bool:
        return self.bindings.get(camera_id) is not None


def show_ptz_badges(tiles: Iterable[VideoTile], steerable: Callable[[str], bool]) -> None:
    """A PTZ camera's tile says so in its footer (drag, wheel and held arrows steer it); no other tile does."""
    for tile in tiles:
        tile.bar.set_ptz(bool(tile.camera_id) and steerable(tile.camera_id))


class PtzMouse(QObject):
    """Drags, wheel steps and held arrow keys on a PTZ camera's tile become PTZ commands."""

    def __init__(
        self, ptz_for: Callable[[str], PtzControl | None], spawn: Spawn, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ptz_for = ptz_for
        self._spawn = spawn
        self._origin: QPointF | None = None
        self._dragging: tuple[VideoTile, PtzControl] | None = None
        self._last = PtzVelocity()
        self._held_key: Qt.Key | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(event, QKeyEvent):
            return isinstance(watched, QWidget) and self._key(watched, event)
        if not isinstance(watched, QWidget) or not isinstance(event, QMouseEvent | QWheelEvent):
            return False
        tile = _tile_of(watched)
        if tile is None:
            return False
        if isinstance(event, QWheelEvent):
            return self._wheel(tile, event)
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            steer = not event.modifiers() & Qt.KeyboardModifier.ControlModifier  # Ctrl+drag: digital zoom
            ptz = self._ptz_for(tile.camera_id) if steer else None
            self._origin = event.globalPosition() if ptz else None
            self._dragging = (tile, ptz) if ptz else None
            self._last = PtzVelocity()
        elif kind == QEvent.Type.MouseMove and self._dragging and self._origin is not None:
            offset = event.globalPosition() - self._origin
            if self._last.still and offset.manhattanLength() < DRAG_THRESHOLD_PX:
                return False  # not a drag yet: a click or a double-click stays one
            drag_tile, ptz = self._dragging
            velocity = drag_velocity(offset.x(), offset.y(), drag_tile.width(), drag_tile.height())
            if velocity != self._last:
                self._last = velocity
                self._spawn(ptz.move(velocity))
            return True
        elif kind == QEvent.Type.MouseButtonRelease and self._dragging:
            _, ptz = self._dragging
            moved = not self._last.still
            self._dragging, self._origin, self._last = None, None, PtzVelocity()
            if moved:
                self._spawn(ptz.stop())
                return True
        return False

    def _wheel(self, tile: VideoTile, event: QWheelEvent) -> bool:
        ptz = self._ptz_for(tile.camera_id)
        steps = event.angleDelta().y()
        if ptz is None or steps == 0 or event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # Ctrl: digital zoom
            return False
        self._spawn(ptz.nudge(PtzVelocity(zoom=WHEEL_ZOOM_SPEED if steps > 0 else -WHEEL_ZOOM_SPEED), WHEEL_STEP_S))
        return True

    def _key(self, receiver: QWidget, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if key not in _KEY_VELOCITY or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        tile = _maximised_tile(receiver)
        ptz = self._ptz_for(tile.camera_id) if tile else None
        if ptz is None:
            return False
        if event.isAutoRepeat():
            return True
        if event.type() == QEvent.Type.KeyPress:
            self._held_key = key
            self._spawn(ptz.move(_KEY_VELOCITY[key]))
        elif self._held_key == key:
            self._held_key = None
            self._spawn(ptz.stop())
        return True


def _tile_of(widget: QWidget) -> VideoTile | None:
    seen: QWidget | None = widget
    while seen is not None:
        if isinstance(seen, VideoTile):
            return seen
        seen = seen.parentWidget()
    return None


def _maximised_tile(widget: QWidget) -> VideoTile | None:
    """The maximised tile of the wall in `widget`'s window, if any."""
    window = widget.window()
    grids = ([window] if isinstance(window, CameraGrid) else []) + window.findChildren(CameraGrid)
    for grid in grids:
        if grid.isVisible() and grid.maximized_tile is not None:
            return grid.maximized_tile
    return None
