"""Digital zoom with the mouse: the wheel zooms about the cursor and a drag moves the zoomed view, inside a live
tile's picture or the recordings player's. On a PTZ camera's tile the wheel and a drag steer the camera
(wall/ptz.py), so there the digital zoom takes Ctrl+wheel and Ctrl+drag."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from vidstream_desktop.recordings.player import PlayerPanel
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.zoom_view import WHEEL_STEP, VideoZoom, ZoomView

DRAG_THRESHOLD_PX = 4


def picture_rect(surface: QWidget, video_size: tuple[int, int]) -> QRectF:
    """Where libvlc shows the picture in `surface`: its aspect ratio kept, centred (letterboxed)."""
    width, height = float(surface.width()), float(surface.height())
    video_width, video_height = video_size
    if video_width <= 0 or video_height <= 0 or width <= 0 or height <= 0:
        return QRectF(0, 0, width, height)
    scale = min(width / video_width, height / video_height)
    shown_width, shown_height = video_width * scale, video_height * scale
    return QRectF((width - shown_width) / 2, (height - shown_height) / 2, shown_width, shown_height)


class ZoomMouse(QObject):
    def __init__(self, steerable: Callable[[str], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steerable = steerable  # camera id -> its tile's wheel and drag belong to PTZ
        self._drag: tuple[VideoZoom, QWidget, QPointF, ZoomView] | None = None
        self._dragged = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or not isinstance(event, QMouseEvent | QWheelEvent):
            return False
        kind = event.type()
        if self._drag is not None and kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._move(event)
        if self._drag is not None and kind == QEvent.Type.MouseButtonRelease:
            dragged, self._drag, self._dragged = self._dragged, None, False
            return dragged  # a drag that moved the view is not also a click
        target = _zoom_of(watched)
        if target is None:
            return False
        zoom, surface, camera_id = target
        if camera_id and self._steerable(camera_id) and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False  # the PTZ camera's own wheel and drag
        where = surface.mapFromGlobal(event.globalPosition())
        shown = picture_rect(surface, zoom.video_size())
        if not shown.contains(where):
            return False
        if isinstance(event, QWheelEvent):
            notches = event.angleDelta().y() / 120
            if notches == 0:
                return False
            x = (where.x() - shown.left()) / shown.width()
            y = (where.y() - shown.top()) / shown.height()
            zoom.set_view(zoom.view.zoomed_about(x, y, zoom.view.factor * WHEEL_STEP**notches))
            return True
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton and zoom.zoomed:
            self._drag, self._dragged = (zoom, surface, event.globalPosition(), zoom.view), False
        return False

    def _move(self, event: QMouseEvent) -> bool:
        assert self._drag is not None
        zoom, surface, origin, start = self._drag
        offset = event.globalPosition() - origin
        if not self._dragged and offset.manhattanLength() < DRAG_THRESHOLD_PX:
            return False
        self._dragged = True
        shown = picture_rect(surface, zoom.video_size())
        zoom.set_view(start.panned(offset.x() / max(shown.width(), 1.0), offset.y() / max(shown.height(), 1.0)))
        return True


def _zoom_of(widget: QWidget) -> tuple[VideoZoom, QWidget, str] | None:
    """The zoom of the live tile or recordings player that `widget` is part of, its picture's surface, and the
    tile's camera ("" for the player)."""
    seen: QWidget | None = widget
    while seen is not None:
        if isinstance(seen, VideoTile):
            return (seen.zoom, seen.surface, seen.camera_id) if seen.camera_id else None
        if isinstance(seen, PlayerPanel):
            return seen.zoom, seen.surface, ""
        seen = seen.parentWidget()
    return None
