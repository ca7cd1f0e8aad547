"""The timelines area: day navigation, the time ruler and one TimelineWidget per camera, all showing the
same window of time (zooming or dragging one row moves them all)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vidstream_desktop.recordings.controller import TimelineData
from vidstream_desktop.recordings.timeline import (
    DAY_SECONDS,
    GAP_COLOR,
    MIN_SPAN_SECONDS,
    STATE_COLORS,
    ThumbnailProvider,
    TimelineRuler,
    TimelineWidget,
    TimeWindow,
)

log = logging.getLogger(__name__)

TimelineLoader = Callable[[str, datetime, datetime], Awaitable[TimelineData]]


def local_day_start(day: date) -> datetime:
    zone = datetime.now().astimezone().tzinfo
    return datetime.combine(day, time(0), tzinfo=zone)


class TimelineView(QWidget):
    time_clicked = Signal(str, object)  # camera id, datetime (UTC)
    loaded = Signal()  # every row has its data for the day shown

    def __init__(
        self,
        loader: TimelineLoader,
        thumbnails: ThumbnailProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self._loader = loader
        self._thumbnails = thumbnails
        self.time_window = TimeWindow(local_day_start(date.today()))
        self.rows: dict[str, TimelineWidget] = {}
        self._loading: set[asyncio.Future[TimelineData]] = set()
        self._closed = False

        self.previous_day = QToolButton(self)
        self.previous_day.setText("◀")
        self.previous_day.setToolTip(self.tr("Previous day"))
        self.previous_day.clicked.connect(lambda: self.show_day(self.day - timedelta(days=1)))
        self.next_day = QToolButton(self)
        self.next_day.setText("▶")
        self.next_day.setToolTip(self.tr("Next day"))
        self.next_day.clicked.connect(lambda: self.show_day(self.day + timedelta(days=1)))
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd, ddd")
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.dateChanged.connect(lambda d: self.show_day(date(d.year(), d.month(), d.day())))
        self.today_button = QPushButton(self.tr("Today"), self)
        self.today_button.clicked.connect(lambda: self.show_day(date.today()))
        self.whole_day = QPushButton(self.tr("Whole day"), self)
        self.whole_day.setToolTip(self.tr("Zoom out to the whole day (the wheel zooms in to a minute)"))
        self.whole_day.clicked.connect(self.reset_zoom)
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("timelineZoom")
        legend = QLabel(self)
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setText(" ".join(
            f"<span style='color:{color}'>■</span> {label}"
            for color, label in ((STATE_COLORS["archived"], self.tr("archived")),
                                 (STATE_COLORS["local"], self.tr("on this disk")),
                                 (STATE_COLORS["recording"], self.tr("recording")),
                                 (GAP_COLOR, self.tr("gap")))
        ))  # fmt: skip
        legend.setObjectName("timelineLegend")

        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 2)
        header.setSpacing(6)
        header.addWidget(self.previous_day)
        header.addWidget(self.date_edit)
        header.addWidget(self.next_day)
        header.addWidget(self.today_button)
        header.addSpacing(12)
        header.addWidget(self.whole_day)
        header.addWidget(self.zoom_label)
        header.addStretch(1)
        header.addWidget(legend)

        self.ruler = TimelineRuler(self.time_window, self)
        self._rows_host = QWidget(self)
        self._rows_layout = QVBoxLayout(self._rows_host)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(0)
        self._empty = QLabel(self.tr("No cameras yet"), self._rows_host)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setObjectName("timelineEmpty")
        self._rows_layout.addWidget(self._empty)
        self._rows_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._rows_host)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.ruler)
        layout.addWidget(self.scroll_area, 1)
        self._show_zoom()

    # ---- content -----------------------------------------------------------------------------------

    @property
    def day(self) -> date:
        return self.time_window.day_start.date()

    def set_cameras(self, cameras: list[tuple[str, str]]) -> None:
        """(camera id, name) in display order; rows of cameras no longer listed go away."""
        wanted = dict(cameras)
        for camera_id in [c for c in self.rows if c not in wanted]:
            gone = self.rows.pop(camera_id)
            gone.setParent(None)
            gone.deleteLater()
        for position, (camera_id, name) in enumerate(cameras):
            row = self.rows.get(camera_id) or self._new_row(camera_id, name)
            row.name = name
            self._rows_layout.insertWidget(position, row)
        self._empty.setVisible(not self.rows)
        self.reload()

    def _new_row(self, camera_id: str, name: str) -> TimelineWidget:
        row = TimelineWidget(camera_id, name, self.time_window, self._rows_host)
        row.thumbnail_provider = self._thumbnails
        row.time_clicked.connect(self.time_clicked)
        row.zoom_requested.connect(self._zoom)
        row.pan_requested.connect(self._pan)
        self.rows[camera_id] = row
        return row

    def show_day(self, day: date) -> None:
        if day == self.day and self.time_window.seconds == DAY_SECONDS:
            return
        self.time_window.show_day(local_day_start(day))
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)
        self._changed(reload=True)

    def show_moment(self, moment: datetime, seconds: float | None = None) -> None:
        """Bring `moment` into view (switching day if needed), optionally zoomed to `seconds` around it."""
        day = moment.astimezone().date()
        if day != self.day:
            self.time_window.show_day(local_day_start(day))
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
            self.date_edit.blockSignals(False)
            reload = True
        else:
            reload = False
        if seconds is not None:
            self.time_window.seconds = min(max(seconds, MIN_SPAN_SECONDS), DAY_SECONDS)
        self.time_window.pan_to(moment - timedelta(seconds=self.time_window.seconds / 2))
        self._changed(reload=reload)

    def reset_zoom(self) -> None:
        self.time_window.seconds = DAY_SECONDS
        self.time_window.pan_to(self.time_window.day_start)
        self._changed()

    def set_playhead(self, camera_id: str | None, moment: datetime | None) -> None:
        for row_camera, row in self.rows.items():
            row.set_playhead(moment if row_camera == camera_id else None)

    def reload(self) -> None:
        """Read every row's spans and gaps for the day shown (in the background)."""
        if self._closed:
            return
        start, end = self.time_window.day_start, self.time_window.day_end
        for camera_id, row in self.rows.items():
            future = asyncio.ensure_future(self._loader(camera_id, start, end))
            self._loading.add(future)
            future.add_done_callback(functools.partial(self._row_loaded, row=row, start=start))

    @property
    def is_loading(self) -> bool:
        return bool(self._loading)

    async def aclose(self) -> None:
        """Wait for the rows' reads (a worker thread's catalog read cannot be cancelled; their answers are
        dropped) and cancel their thumbnails (which ends their ffmpeg): after this nothing paints a row that
        no longer exists or reads a catalog about to close."""
        self._closed = True
        thumbnails = [future for row in self.rows.values() for future in row.cancel_thumbnails()]
        await asyncio.gather(*self._loading, *thumbnails, return_exceptions=True)

    def _row_loaded(self, done: asyncio.Future[TimelineData], row: TimelineWidget, start: datetime) -> None:
        self._loading.discard(done)
        if done.cancelled() or self._closed:
            return
        if (error := done.exception()) is not None:
            log.warning("timeline of %s could not be read: %s", row.camera_id, error)
        elif start == self.time_window.day_start and row.camera_id in self.rows:
            row.set_data(done.result())
        if not self._loading:
            self.loaded.emit()

    # ---- zoom and pan ------------------------------------------------------------------------------

    def _zoom(self, anchor: datetime, factor: float) -> None:
        self.time_window.zoom(anchor, factor)
        self._changed()

    def _pan(self, start: datetime) -> None:
        self.time_window.pan_to(start)
        self._changed()

    def _changed(self, reload: bool = False) -> None:
        self._show_zoom()
        self.ruler.update()
        for row in self.rows.values():
            row.updateGeometry()
            row.update()
        if reload:
            self.reload()

    def _show_zoom(self) -> None:
        start, end = self.time_window.start.astimezone(), self.time_window.end.astimezone()
        shape = "%H:%M" if self.time_window.seconds >= 3600 else "%H:%M:%S"
        until = f"{end:{shape}}" if end.date() == start.date() else "24:00"
        hours, minutes = divmod(round(self.time_window.seconds / 60), 60)
        if not hours:
            span = self.tr("{m} min").format(m=minutes)
        elif minutes:
            span = self.tr("{h} h {m:02d} min").format(h=hours, m=minutes)
        else:
            span = self.tr("{h} h").format(h=hours)
        self.zoom_label.setText(f"{start:{shape}} – {until}  ·  {span}")
