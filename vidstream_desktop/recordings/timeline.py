"""Timelines: one row per camera showing what was recorded (spans) and where the camera dropped out (gaps)
over a day, zoomable down to a minute with the wheel. A click asks to play from that moment; zoomed in, a
strip of thumbnails under each row shows what the camera saw (grabbed lazily, cached on disk)."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from vidstream_desktop.recordings.controller import Span, TimelineData
from vidstream_desktop.recordings.model import local_time
from vidstream_desktop.resources import COLORS

log = logging.getLogger(__name__)

ThumbnailProvider = Callable[[str, datetime], Awaitable[Path | None]]  # camera id, moment

NAME_WIDTH = 132  # the camera name's gutter, shared by the ruler so the times line up
RIGHT_MARGIN = 10
BAR_TOP, BAR_HEIGHT = 6, 20
MOTION_BAND_HEIGHT = 4  # fits between the bar and the row's end
ROW_HEIGHT = 32
THUMB_HEIGHT = 40
THUMB_WIDTH = 71  # 16:9
THUMB_GAP = 6
DAY_SECONDS = 24 * 3600.0
MIN_SPAN_SECONDS = 60.0  # the closest zoom: one minute across (frames a second or two apart)
THUMBS_BELOW_SECONDS = 2 * 3600.0  # thumbnails once at most two hours are shown
# Steps for ticks and thumbnails, in seconds: one is chosen so they stay readable and stable when panning.
NICE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600)

STATE_COLORS = {"archived": COLORS["accent"], "local": COLORS["green"], "recording": COLORS["red"]}
GAP_COLOR = COLORS["amber"]  # not the red of "recording": a gap is where nothing was recorded
BOOKMARK_COLOR = "#b48cff"  # a colour no span, gap or motion mark uses
BOOKMARK_TOP, BOOKMARK_HEIGHT = 1, BAR_TOP - 2  # a strip above the bar


def nice_step(seconds_per_pixel: float, min_pixels: float) -> int:
    wanted = seconds_per_pixel * min_pixels
    return next((step for step in NICE_STEPS if step >= wanted), NICE_STEPS[-1])


class TimeWindow:
    """What part of time the rows show: `start` and `seconds` across the track, within one day."""

    def __init__(self, day_start: datetime) -> None:
        self.day_start = day_start
        self.start = day_start
        self.seconds = DAY_SECONDS

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    @property
    def day_end(self) -> datetime:
        return self.day_start + timedelta(seconds=DAY_SECONDS)

    def zoom(self, anchor: datetime, factor: float) -> None:
        """Scale around `anchor` (it stays under the mouse), between one minute and the whole day."""
        seconds = min(max(self.seconds * factor, MIN_SPAN_SECONDS), DAY_SECONDS)
        fraction = (anchor - self.start).total_seconds() / self.seconds
        self.seconds = seconds
        self.pan_to(anchor - timedelta(seconds=fraction * seconds))

    def pan_to(self, start: datetime) -> None:
        latest = self.day_end - timedelta(seconds=self.seconds)
        self.start = min(max(start, self.day_start), latest)

    def show_day(self, day_start: datetime) -> None:
        self.day_start = day_start
        self.start = day_start
        self.seconds = DAY_SECONDS


class _TrackGeometry:
    """Converts between time and x over a widget's track (everything right of the name gutter)."""

    def __init__(self, widget: QWidget, window: TimeWindow) -> None:
        self.left = NAME_WIDTH
        self.width = max(widget.width() - NAME_WIDTH - RIGHT_MARGIN, 1)
        self.time_window = window

    def x_for(self, moment: datetime) -> float:
        return self.left + (moment - self.time_window.start).total_seconds() / self.time_window.seconds * self.width

    def time_at(self, x: float) -> datetime:
        return self.time_window.start + timedelta(seconds=(x - self.left) / self.width * self.time_window.seconds)


class TimelineWidget(QWidget):
    """One camera's row. Give it data with `set_data`; it paints, and reports clicks and wheel zooms."""

    time_clicked = Signal(str, object)  # camera id, datetime (UTC)
    zoom_requested = Signal(object, float)  # anchor datetime, factor (<1 zooms in)
    pan_requested = Signal(object)  # new window start
    thumbnail_ready = Signal()

    def __init__(self, camera_id: str, name: str, window: TimeWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera_id = camera_id
        self.name = name
        self.time_window = window
        self.data: TimelineData | None = None
        self.playhead: datetime | None = None
        self.thumbnail_provider: ThumbnailProvider | None = None
        self._thumbs: dict[float, QPixmap | None] = {}  # slot epoch -> picture (None: nothing there)
        self._pending: dict[float, asyncio.Future[Path | None]] = {}  # slot epoch -> its picture being made
        self._press: tuple[float, datetime] | None = None
        self._dragged = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setMinimumWidth(NAME_WIDTH + 200)
        self.setToolTip(self.tr("Click to play from that moment; wheel to zoom; drag to move"))

    # ---- state -------------------------------------------------------------------------------------

    def set_data(self, data: TimelineData) -> None:
        self.data = data
        self.update()

    def set_playhead(self, moment: datetime | None) -> None:
        self.playhead = moment
        self.update()

    @property
    def shows_thumbnails(self) -> bool:
        return self.time_window.seconds <= THUMBS_BELOW_SECONDS and self.thumbnail_provider is not None

    def sizeHint(self) -> QSize:
        return QSize(800, ROW_HEIGHT + (THUMB_HEIGHT + 4 if self.shows_thumbnails else 0))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def geometry_for_time(self) -> _TrackGeometry:
        return _TrackGeometry(self, self.time_window)

    def span_rects(self) -> list[tuple[Span, QRectF]]:
        """Where each recorded span is drawn (clipped to the track); what the tests and the tooltip read."""
        if self.data is None:
            return []
        track = self.geometry_for_time()
        rects = []
        for span in self.data.spans:
            if span.end <= self.time_window.start or span.start >= self.time_window.end:
                continue
            x0 = max(track.x_for(span.start), track.left)
            x1 = min(track.x_for(span.end), track.left + track.width)
            rects.append((span, QRectF(x0, BAR_TOP, max(x1 - x0, 1.0), BAR_HEIGHT)))
        return rects

    def gap_rects(self) -> list[QRectF]:
        if self.data is None:
            return []
        track = self.geometry_for_time()
        rects = []
        for start, end in self.data.gaps:
            if end <= self.time_window.start or start >= self.time_window.end:
                continue
            x0 = max(track.x_for(start), track.left)
            x1 = min(track.x_for(end), track.left + track.width)
            rects.append(QRectF(x0, BAR_TOP, max(x1 - x0, 2.0), BAR_HEIGHT))
        return rects

    def motion_rects(self) -> list[QRectF]:
        """The motion band under the bar: one translucent mark an event, so busy times show denser."""
        if self.data is None:
            return []
        track = self.geometry_for_time()
        rects = []
        for start, end in self.data.motion:
            if end <= self.time_window.start or start >= self.time_window.end:
                continue
            x0 = max(track.x_for(start), track.left)
            x1 = min(track.x_for(end), track.left + track.width)
            rects.append(QRectF(x0, BAR_TOP + BAR_HEIGHT + 1, max(x1 - x0, 2.0), MOTION_BAND_HEIGHT))
        return rects

    def bookmark_rects(self) -> list[tuple[str, QRectF]]:
        """(name, where it is drawn) of each bookmark of this camera in view: a strip above the bar."""
        if self.data is None:
            return []
        track = self.geometry_for_time()
        rects = []
        for start, end, name in self.data.bookmarks:
            if end <= self.time_window.start or start >= self.time_window.end:
                continue
            x0 = max(track.x_for(start), track.left)
            x1 = min(track.x_for(end), track.left + track.width)
            rects.append((name, QRectF(x0, BOOKMARK_TOP, max(x1 - x0, 3.0), BOOKMARK_HEIGHT)))
        return rects

    def thumbnail_slots(self) -> list[datetime]:
        """Moments with a thumbnail under the bar: on a stable grid, only where something was recorded."""
        if not self.shows_thumbnails or self.data is None:
            return []
        track = self.geometry_for_time()
        step = nice_step(self.time_window.seconds / track.width, THUMB_WIDTH + THUMB_GAP)
        first = math.ceil(self.time_window.start.timestamp() / step) * step
        candidates = []
        moment = first
        while moment < self.time_window.end.timestamp():
            candidates.append(datetime.fromtimestamp(moment, self.time_window.start.tzinfo))
            moment += step
        slots = [at for at in candidates if any(span.start <= at < span.end for span in self.data.spans)]
        for span in self.data.spans:  # a short recording between two grid moments still gets its picture
            middle = span.start + (span.end - span.start) / 2
            if self.time_window.start <= middle < self.time_window.end and not any(
                span.start <= at < span.end for at in slots
            ):
                slots.append(middle)
        slots.sort()
        spaced: list[datetime] = []
        for at in slots:  # never two pictures on top of each other
            if not spaced or track.x_for(at) - track.x_for(spaced[-1]) >= THUMB_WIDTH + THUMB_GAP:
                spaced.append(at)
        return spaced

    # ---- painting ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        track = self.geometry_for_time()
        painter.fillRect(self.rect(), QColor(COLORS["panel"]))
        painter.setPen(QColor(COLORS["text"]))
        metrics = painter.fontMetrics()
        name = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 16)
        painter.drawText(QRectF(8, BAR_TOP, NAME_WIDTH - 12, BAR_HEIGHT),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), name)  # fmt: skip
        bar = QRectF(track.left, BAR_TOP, track.width, BAR_HEIGHT)
        painter.fillRect(bar, QColor("#1b1e22"))
        self._paint_ticks(painter, track)
        for span, rect in self.span_rects():
            painter.fillRect(rect, QColor(STATE_COLORS.get(span.state, COLORS["accent"])))
        gap_brush = QBrush(QColor(GAP_COLOR), Qt.BrushStyle.BDiagPattern)
        for rect in self.gap_rects():
            painter.fillRect(rect, QColor(229, 72, 77, 70))
            painter.fillRect(rect, gap_brush)
        for rect in self.motion_rects():
            painter.fillRect(rect, QColor(255, 159, 28, 110))
        for _, rect in self.bookmark_rects():
            painter.fillRect(rect, QColor(BOOKMARK_COLOR))
        if self.shows_thumbnails:
            self._paint_thumbnails(painter, track)
        if self.playhead is not None and self.time_window.start <= self.playhead <= self.time_window.end:
            x = track.x_for(self.playhead)
            painter.setPen(QPen(QColor("#ffffff"), 2))
            painter.drawLine(QPointF(x, BAR_TOP - 4), QPointF(x, BAR_TOP + BAR_HEIGHT + 4))
        painter.setPen(QColor(COLORS["border"]))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()

    def _paint_ticks(self, painter: QPainter, track: _TrackGeometry) -> None:
        step = nice_step(self.time_window.seconds / track.width, 60)
        painter.setPen(QColor(COLORS["border"]))
        moment = math.ceil(self.time_window.start.timestamp() / step) * step
        while moment <= self.time_window.end.timestamp():
            x = track.x_for(datetime.fromtimestamp(moment, self.time_window.start.tzinfo))
            painter.drawLine(QPointF(x, BAR_TOP), QPointF(x, BAR_TOP + BAR_HEIGHT))
            moment += step

    def _paint_thumbnails(self, painter: QPainter, track: _TrackGeometry) -> None:
        top = ROW_HEIGHT
        for slot in self.thumbnail_slots():
            key = slot.timestamp()
            x = track.x_for(slot) - THUMB_WIDTH / 2
            x = min(max(x, track.left), track.left + track.width - THUMB_WIDTH)
            target = QRectF(x, top, THUMB_WIDTH, THUMB_HEIGHT)
            picture = self._thumbs.get(key)
            if picture is not None and not picture.isNull():
                painter.drawPixmap(target.toRect(), picture)
            else:
                painter.fillRect(target, QColor("#1b1e22"))
                if key not in self._thumbs:
                    self._request_thumbnail(slot)
            painter.setPen(QColor(COLORS["border"]))
            painter.drawRect(target)

    def _request_thumbnail(self, slot: datetime) -> None:
        key = slot.timestamp()
        if key in self._pending or self.thumbnail_provider is None:
            return
        future = asyncio.ensure_future(self.thumbnail_provider(self.camera_id, slot))
        self._pending[key] = future

        def done(finished: asyncio.Future[Path | None]) -> None:
            self._pending.pop(key, None)
            if finished.cancelled():  # the row is closing: nothing to paint
                return
            path = None if finished.exception() else finished.result()
            self._thumbs[key] = QPixmap(str(path)) if path else None
            self.update()
            self.thumbnail_ready.emit()

        future.add_done_callback(done)

    def thumbnails_loaded(self) -> int:
        return sum(1 for picture in self._thumbs.values() if picture is not None)

    def cancel_thumbnails(self) -> list[asyncio.Future[Path | None]]:
        """Cancel the pictures still being made (the row is going away); the futures, to wait for."""
        pending = list(self._pending.values())
        for future in pending:
            future.cancel()
        return pending

    # ---- input -------------------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if not delta:
            event.ignore()
            return
        anchor = self.geometry_for_time().time_at(event.position().x())
        self.zoom_requested.emit(anchor, 0.8 ** (delta / 120))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and event.position().x() >= NAME_WIDTH:
            self._press = (event.position().x(), self.time_window.start)
            self._dragged = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        x0, start0 = self._press
        dx = event.position().x() - x0
        if abs(dx) > 4:
            self._dragged = True
        if self._dragged:
            seconds = -dx / self.geometry_for_time().width * self.time_window.seconds
            self.pan_requested.emit(start0 + timedelta(seconds=seconds))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and not self._dragged and event.button() == Qt.MouseButton.LeftButton:
            self.time_clicked.emit(self.camera_id, self.geometry_for_time().time_at(event.position().x()))
        self._press = None

    def event(self, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent
        from PySide6.QtWidgets import QToolTip

        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            x = event.pos().x()
            if x >= NAME_WIDTH:
                moment = self.geometry_for_time().time_at(x)
                inside = [s for s, r in self.span_rects() if r.left() <= x <= r.right()]
                text = f"{self.name} · {local_time(moment):%H:%M:%S}"
                if inside:
                    text += " · " + {"archived": self.tr("archived"), "local": self.tr("on this disk"),
                                     "recording": self.tr("recording")}.get(inside[0].state, "")  # fmt: skip
                else:
                    text += " · " + self.tr("nothing recorded")
                marks = [name for name, r in self.bookmark_rects() if r.left() <= x <= r.right()]
                if marks:
                    text += " · " + self.tr("bookmark: {0}").format(", ".join(marks))
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().event(event)  # type: ignore[arg-type]


class TimelineRuler(QWidget):
    """The times above the rows, on the same track geometry."""

    def __init__(self, window: TimeWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time_window = window
        self.setFixedHeight(20)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        track = _TrackGeometry(self, self.time_window)
        painter.fillRect(self.rect(), QColor(COLORS["window"]))
        painter.setPen(QColor(COLORS["text_dim"]))
        step = nice_step(self.time_window.seconds / track.width, 64)
        moment = math.ceil(self.time_window.start.timestamp() / step) * step
        while moment <= self.time_window.end.timestamp():
            at = datetime.fromtimestamp(moment, self.time_window.start.tzinfo)
            x = track.x_for(at)
            label = f"{local_time(at):%H:%M}" if step >= 60 else f"{local_time(at):%H:%M:%S}"
            width = painter.fontMetrics().horizontalAdvance(label)
            painter.drawLine(QPointF(x, 14), QPointF(x, 20))
            left = min(max(x - width / 2, track.left - width / 2), self.width() - width - 2)
            painter.drawText(QPointF(left, 12), label)
            moment += step
        painter.end()
