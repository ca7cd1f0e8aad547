"""The ONVIF part of the camera dialog: read a camera's profiles by its address and credentials (which
fills in the main and sub-stream URLs), or find cameras with WS-Discovery. Thin: the use cases are in
video_streaming.onvif_cameras; every call runs as a coroutine on the Qt loop, so the dialog never blocks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.onvif import OnvifStreams
from video_streaming.onvif_cameras import OnvifCameraService

Credentials = Callable[[], tuple[str, str]]  # () -> (user, password), read from the dialog's own fields
OK_COLOUR, ERROR_COLOUR = "#30a46c", "#e5484d"


class OnvifPanel(QGroupBox):
    streams_read = Signal(object)  # OnvifStreams

    def __init__(self, service: OnvifCameraService, credentials: Credentials, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("ONVIF camera"), parent)
        self._service = service
        self._credentials = credentials
        self._task: asyncio.Task[None] | None = None
        self.discovered_name = ""  # the name the picked device gave in its discovery answer
        self.address = QLineEdit()
        self.address.setObjectName("onvifAddress")
        self.address.setPlaceholderText(self.tr("camera address, e.g. 192.168.1.64 or 192.168.1.64:8080"))
        self.read_button = QPushButton(self.tr("Read from camera"))
        self.read_button.setToolTip(self.tr("Fill in the stream URLs from the camera's ONVIF profiles "
                                            "(uses the user and password below)"))  # fmt: skip
        self.read_button.clicked.connect(self.read_streams)
        self.find_button = QPushButton(self.tr("Find cameras"))
        self.find_button.setToolTip(self.tr("List ONVIF cameras on the local network; with an address "
                                            "typed, ask only that one"))  # fmt: skip
        self.find_button.clicked.connect(self.find_cameras)
        self.found = QListWidget()
        self.found.setObjectName("onvifFound")
        self.found.setMaximumHeight(90)
        self.found.hide()
        self.found.itemActivated.connect(self._use_found)
        self.found.itemClicked.connect(self._use_found)
        self.status = QLabel()
        self.status.setObjectName("onvifStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.read_button)
        row.addWidget(self.find_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.found)
        layout.addWidget(self.status)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.read_button.setEnabled(not busy)
        self.find_button.setEnabled(not busy)
        if text:
            self._show(text, "")

    def _show(self, text: str, colour: str) -> None:
        self.status.setStyleSheet(f"color: {colour}" if colour else "")
        self.status.setText(text)

    def read_streams(self) -> None:
        self._busy(True, self.tr("Reading the camera's profiles…"))
        self._task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        username, password = self._credentials()
        try:
            streams = await self._service.read_streams(self.address.text(), username, password)
        except VidStreamError as error:
            self._show(self.tr("Could not read the camera: {0}").format(error), ERROR_COLOUR)
            return
        except Exception as error:  # every failure is shown, none crashes the dialog
            self._show(self.tr("Could not read the camera: {0}").format(type(error).__name__), ERROR_COLOUR)
            return
        finally:
            self._busy(False)
        self._show(self._describe(streams), OK_COLOUR)
        self.streams_read.emit(streams)

    def _describe(self, streams: OnvifStreams) -> str:
        main = streams.main
        text = self.tr("{0}: main stream {1} {2}").format(streams.device.title, main.resolution, main.codec)
        if streams.sub:
            text += self.tr(", sub-stream {0} {1}").format(streams.sub.resolution, streams.sub.codec)
        else:
            text += self.tr(", no sub-stream")
        if streams.has_ptz:
            text += self.tr(", PTZ")
        return text

    def find_cameras(self) -> None:
        self._busy(True, self.tr("Looking for cameras…"))
        self._task = asyncio.ensure_future(self._find())

    async def _find(self) -> None:
        try:
            devices = await self._service.find_cameras(self.address.text())
        except VidStreamError as error:
            self._show(self.tr("Could not look for cameras: {0}").format(error), ERROR_COLOUR)
            return
        except OSError as error:
            self._show(self.tr("Could not look for cameras: {0}").format(error.strerror or error), ERROR_COLOUR)
            return
        finally:
            self._busy(False)
        self.found.clear()
        unnamed = self.tr("(no name)")
        for device in devices:
            item = QListWidgetItem(f"{device.name or unnamed} — {device.address}")
            item.setData(Qt.ItemDataRole.UserRole, str(device.address))
            item.setData(Qt.ItemDataRole.UserRole + 1, device.name)
            self.found.addItem(item)
        self.found.setVisible(bool(devices))
        if devices:
            self._show(self.tr("%n camera(s) found: pick one, then read it.", "", len(devices)), OK_COLOUR)
        else:
            self._show(self.tr("No ONVIF camera answered."), ERROR_COLOUR)

    def _use_found(self, item: QListWidgetItem) -> None:
        self.address.setText(str(item.data(Qt.ItemDataRole.UserRole)))
        self.discovered_name = str(item.data(Qt.ItemDataRole.UserRole + 1) or "")
