"""The camera list beside the wall: one row per camera with a status dot; rows drag onto tiles."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from vidstream_desktop.resources import COLORS
from vidstream_desktop.wall.mime import CAMERA_MIME_TYPE, camera_mime_data

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


class CameraStatus(StrEnum):
    UNKNOWN = "unknown"  # not connected yet (not on the wall, not recording): nothing is known either way
    ONLINE = "online"
    OFFLINE = "offline"
    RECORDING = "recording"


STATUS_COLORS: dict[CameraStatus, str] = {
    CameraStatus.UNKNOWN: "#2f353b",
    CameraStatus.ONLINE: COLORS["green"],
    CameraStatus.OFFLINE: COLORS["amber"],
    CameraStatus.RECORDING: COLORS["red"],
}
DOT_SIZE = 10


@cache
def status_dot(color: str, size: int = DOT_SIZE) -> QIcon:
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class CameraListWidget(QListWidget):
    camera_activated = Signal(str)  # camera id, on double-click or Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)  # dragging onto the wall never removes a row
        self.setIconSize(QSize(DOT_SIZE, DOT_SIZE))
        self.setUniformItemSizes(True)
        self.itemActivated.connect(self._on_item_activated)

    # ----------------------------------------------------------------------------------------------

    def set_cameras(self, cameras: Sequence[tuple[str, str]]) -> None:
        """Replace the rows with (camera id, name) pairs, keeping known statuses and the selection."""
        statuses = {camera_id: self.status_of(camera_id) for camera_id in self.camera_ids()}
        selected = self.selected_camera_id()
        self.clear()
        for number, (camera_id, name) in enumerate(cameras, start=1):
            # The number is the camera's short number on the keyboard (number + Enter, see wall/keyboard.py).
            item = QListWidgetItem(f"{number}  {name}")
            item.setData(CAMERA_ID_ROLE, camera_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            self.addItem(item)
            self._show_status(item, statuses.get(camera_id) or CameraStatus.UNKNOWN)
            if camera_id == selected:
                item.setSelected(True)

    def set_status(self, camera_id: str, online: bool, recording: bool) -> None:
        item = self.item_for(camera_id)
        if item is None:
            return
        if recording:
            self._show_status(item, CameraStatus.RECORDING)
        else:
            self._show_status(item, CameraStatus.ONLINE if online else CameraStatus.OFFLINE)

    def camera_ids(self) -> list[str]:
        return [str(self.item(row).data(CAMERA_ID_ROLE)) for row in range(self.count())]

    def item_for(self, camera_id: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(CAMERA_ID_ROLE) == camera_id:
                return item
        return None

    def status_of(self, camera_id: str) -> CameraStatus | None:
        item = self.item_for(camera_id)
        return None if item is None else CameraStatus(item.data(STATUS_ROLE))

    def selected_camera_id(self) -> str | None:
        items = self.selectedItems()
        return str(items[0].data(CAMERA_ID_ROLE)) if items else None

    # ----------------------------------------------------------------------------------------------
    # Drag source

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME_TYPE]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        if not items:
            return QMimeData()
        item = items[0]
        return camera_mime_data(str(item.data(CAMERA_ID_ROLE)), item.text())

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    # ----------------------------------------------------------------------------------------------

    def _show_status(self, item: QListWidgetItem, status: CameraStatus) -> None:
        item.setData(STATUS_ROLE, status.value)
        item.setIcon(status_dot(STATUS_COLORS[status]))
        tooltips = {
            CameraStatus.UNKNOWN: self.tr("{name}: not connected yet (put it on the wall or record it)"),
            CameraStatus.ONLINE: self.tr("{name}: online"),
            CameraStatus.OFFLINE: self.tr("{name}: offline"),
            CameraStatus.RECORDING: self.tr("{name}: recording"),
        }
        item.setToolTip(tooltips[status].format(name=item.text()))

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.camera_activated.emit(str(item.data(CAMERA_ID_ROLE)))
