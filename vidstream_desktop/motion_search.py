"""Motion search: draw a region over a camera's picture, pick a time range, and list the moments with motion
in that region. The answer comes from the grid the detector stored while it watched (nothing is decoded), so
30 days of a camera are searched in about a quarter of a second. Activating a moment plays the recording
from it, minus the pre-roll."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import VidStreamError
from video_streaming.motion.detector import Polygon
from vidstream_desktop.motion_dialog import MaskEditor

log = logging.getLogger(__name__)
WHOLE_PICTURE: Polygon = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
MOMENT_ROLE = Qt.ItemDataRole.UserRole


class RegionEditor(MaskEditor):
    """The still frame with one search region (amber): drawing a new one replaces it."""

    fill, edge = QColor(255, 159, 28, 80), QColor(255, 159, 28)

    def close_mask(self) -> bool:
        closed = super().close_mask()
        self.masks = self.masks[-1:]
        self.update()
        return closed

    @property
    def region(self) -> Polygon:
        """The drawn region; the whole picture while none is drawn."""
        if self.drawing:
            self.close_mask()
        return self.masks[0] if self.masks else WHOLE_PICTURE


class MotionSearchDialog(QDialog):
    play_requested = Signal(str, object)  # camera id, aware datetime to play from

    def __init__(self, core: VidStreamCore, camera_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.setWindowTitle(self.tr("Motion search"))
        self.setObjectName("motionSearchDialog")
        self.camera = QComboBox(self)
        for camera in core.cameras():
            self.camera.addItem(camera.name, str(camera.id))
        if camera_id is not None and (index := self.camera.findData(camera_id)) >= 0:
            self.camera.setCurrentIndex(index)
        now = QDateTime.currentDateTime()
        self.since = QDateTimeEdit(now.addDays(-1), self)
        self.until = QDateTimeEdit(now, self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.editor = RegionEditor(None, (), self)
        self.clear_button = QPushButton(self.tr("Whole picture"), self)
        self.clear_button.clicked.connect(self.editor.clear)
        self.search_button = QPushButton(self.tr("Search"), self)
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search_soon)
        self.summary = QLabel(self.tr("Draw a region (click corners, double-click to close), then search"), self)
        self.summary.setWordWrap(True)
        self.results = QListWidget(self)
        self.results.setObjectName("motionSearchResults")
        self.results.itemActivated.connect(self._on_activated)
        form = QFormLayout()
        form.addRow(self.tr("Camera"), self.camera)
        form.addRow(self.tr("From"), self.since)
        form.addRow(self.tr("To"), self.until)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.editor, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.results, 1)
        self.camera.currentIndexChanged.connect(lambda _index: self._show_still())
        self._show_still()
        self._search: asyncio.Task[None] | None = None

    @property
    def camera_id(self) -> str | None:
        value = self.camera.currentData()
        return str(value) if value is not None else None

    def set_range(self, since: datetime, until: datetime) -> None:
        self.since.setDateTime(QDateTime.fromSecsSinceEpoch(int(since.timestamp())))
        self.until.setDateTime(QDateTime.fromSecsSinceEpoch(int(until.timestamp()) + 1))

    def _show_still(self) -> None:
        """The camera's current picture (or its last event's) to draw on; a new camera clears the region."""
        picture = None
        if self.core.motion is not None and self.camera_id is not None:
            picture = self.core.motion.still_picture(self.camera_id)
        self.editor.still = QImage.fromData(picture) if picture else None
        self.editor.clear()

    def search_soon(self) -> None:
        if self._search is not None and not self._search.done():
            self._search.cancel()  # only the latest question is answered
        self._search = asyncio.ensure_future(self.search())

    async def search(self) -> None:
        camera_id, motion = self.camera_id, self.core.motion
        if camera_id is None or motion is None:
            self.summary.setText(self.tr("No camera with motion detection to search"))
            return
        since = datetime.fromtimestamp(self.since.dateTime().toSecsSinceEpoch(), UTC)
        until = datetime.fromtimestamp(self.until.dateTime().toSecsSinceEpoch(), UTC)
        if until <= since:
            self.summary.setText(self.tr("The end of the range must come after its start"))
            return
        self.summary.setText(self.tr("Searching…"))
        self.results.clear()
        try:
            moments = await motion.search_soon(camera_id, self.editor.region, since, until)
        except (VidStreamError, ValueError) as error:
            log.warning("motion search failed: %s", error)
            self.summary.setText(self.tr("The search failed: {0}").format(str(error)))
            return
        for start, end in moments:
            seconds = max(1, round((end - start).total_seconds()))
            item = QListWidgetItem(self.tr("{0} – {1} ({2} s)").format(
                _local(start).toString("ddd yyyy-MM-dd HH:mm:ss"), _local(end).toString("HH:mm:ss"), seconds))
            item.setData(MOMENT_ROLE, start)
            self.results.addItem(item)
        if not moments:
            self.summary.setText(self.tr("No motion in the region then"))
        elif len(moments) == 1:
            self.summary.setText(self.tr("One moment with motion in the region"))
        else:
            self.summary.setText(self.tr("{0} moments with motion in the region").format(len(moments)))

    def _on_activated(self, item: QListWidgetItem) -> None:
        start = item.data(MOMENT_ROLE)
        if isinstance(start, datetime) and self.camera_id is not None:
            self.play_requested.emit(self.camera_id, start - self.core.motion_pre_roll)


def _local(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


