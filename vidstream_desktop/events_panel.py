"""Motion events: the live list (filter by camera, activate to play from the event's start minus the pre-roll)
and the wall's side of motion (a tile's border lit while its camera sees motion)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from video_streaming.core import VidStreamCore
from video_streaming.motion.service import MotionNotice, NoticeKind
from video_streaming.motion.store import StoredEvent, grey_to_pgm
from vidstream_desktop.controllers.wall_controller import WallController

log = logging.getLogger(__name__)
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole
CAMERA_ROLE = Qt.ItemDataRole.UserRole + 1
START_ROLE = Qt.ItemDataRole.UserRole + 2
THUMBNAILS_LISTED = 50  # rows that get their picture when the list is (re)loaded


class MotionRelay(QObject):
    """Carries the core's motion notices into Qt (a signal, so a notice from any thread lands on the GUI's)."""

    notice = Signal(object)  # MotionNotice

    def __init__(self, core: VidStreamCore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        if core.motion is not None:
            core.motion.listeners.append(self.notice.emit)


class EventsPanel(QWidget):
    play_requested = Signal(str, object)  # camera id, datetime to play from
    search_requested = Signal()

    def __init__(self, core: VidStreamCore, relay: MotionRelay, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.camera_filter = QComboBox(self)
        self.camera_filter.setObjectName("eventsCameraFilter")
        self.list = QListWidget(self)
        self.list.setObjectName("eventsList")
        self.list.setIconSize(QSize(64, 36))
        self.search_button = QPushButton(self.tr("Search motion…"), self)
        self.search_button.setToolTip(self.tr("Moments with motion in a region of the picture (Ctrl+Shift+M)"))
        self.search_button.clicked.connect(self.search_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.camera_filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.search_button)
        self.reload_cameras()
        self.camera_filter.currentIndexChanged.connect(lambda _index: self.reload())
        self.list.itemActivated.connect(self._on_activated)
        relay.notice.connect(self._on_notice)

    @property
    def selected_camera(self) -> str | None:
        value = self.camera_filter.currentData()
        return str(value) if value else None

    def reload_cameras(self) -> None:
        current = self.selected_camera
        self.camera_filter.blockSignals(True)
        self.camera_filter.clear()
        self.camera_filter.addItem(self.tr("All cameras"), "")
        for camera in self.core.cameras():
            self.camera_filter.addItem(camera.name, str(camera.id))
        index = self.camera_filter.findData(current or "")
        self.camera_filter.setCurrentIndex(max(index, 0))
        self.camera_filter.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if self.core.motion is None:
            return
        for index, event in enumerate(self.core.motion.store.events(self.selected_camera, limit=300)):
            item = self._item(event)
            if index < THUMBNAILS_LISTED and event.end is not None:  # older rows: text only, the list stays quick
                self._show_thumbnail(item, self.core.motion.store.thumbnail(event.id))
            self.list.addItem(item)

    def _camera_name(self, camera_id: str) -> str:
        camera = self.core.catalog.camera(camera_id)
        return camera.name if camera else camera_id

    def _item(self, event: StoredEvent) -> QListWidgetItem:
        start = datetime.fromtimestamp(event.start, UTC).astimezone()
        if event.end is None:
            length = self.tr("now")
        else:
            length = self.tr("{0} s").format(f"{max(event.end - event.start, 0):.1f}")
        item = QListWidgetItem(f"{start:%Y-%m-%d %H:%M:%S}  {self._camera_name(event.camera_id)}  ({length})")
        item.setData(EVENT_ID_ROLE, event.id)
        item.setData(CAMERA_ROLE, event.camera_id)
        item.setData(START_ROLE, event.start)
        return item

    @staticmethod
    def _show_thumbnail(item: QListWidgetItem, picture: bytes | None) -> None:
        image = QImage.fromData(picture) if picture else QImage()
        if not image.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _on_notice(self, notice: MotionNotice) -> None:
        if notice.kind not in (NoticeKind.STARTED, NoticeKind.ENDED) or notice.event is None:
            return
        if self.selected_camera not in (None, notice.camera_id):
            return
        event = notice.event
        stored = StoredEvent(event.id or 0, event.camera_id, event.start, event.end, event.peak_at, event.peak_area,
                             event.regions)  # fmt: skip
        item = self._item(stored)
        if event.end is not None and event.thumbnail is not None:
            self._show_thumbnail(item, grey_to_pgm(event.thumbnail))
        for row in range(self.list.count()):  # an event that ends replaces its "now" line
            if self.list.item(row).data(EVENT_ID_ROLE) == stored.id:
                self.list.takeItem(row)
                self.list.insertItem(row, item)
                return
        self.list.insertItem(0, item)

    def _on_activated(self, item: QListWidgetItem) -> None:
        start = datetime.fromtimestamp(float(item.data(START_ROLE)), UTC)
        self.play_requested.emit(str(item.data(CAMERA_ROLE)), start - self.core.motion_pre_roll)


class MotionWall(QObject):
    """Lights the tiles of cameras in motion; starts detection for the cameras whose settings have it on."""

    def __init__(
        self, core: VidStreamCore, relay: MotionRelay, wall: WallController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.core = core
        self.wall = wall
        relay.notice.connect(self._on_notice)

    def start_all(self) -> None:
        """On the wall's loop (tasks run once it runs): detection never holds up the window."""
        for camera in self.core.cameras():
            self.wall._spawn(self._start(str(camera.id)))

    async def _start(self, camera_id: str) -> None:
        result = await self.core.start_motion(camera_id)
        if result.is_failure:
            log.warning("motion detection not started for %s: %s", camera_id, result.error)

    def _on_notice(self, notice: MotionNotice) -> None:
        if notice.kind in (NoticeKind.TAMPER, NoticeKind.TAMPER_CLEARED):
            self.wall.show_tamper(notice.camera_id)
            return
        if notice.kind is NoticeKind.STARTED:
            lit = True
        elif notice.kind in (NoticeKind.ENDED, NoticeKind.FEED_LOST):
            lit = False
        else:
            return
        for tile in self.wall.tiles_showing(notice.camera_id):
            tile.set_motion(lit)
