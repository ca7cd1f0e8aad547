"""A PTZ camera's presets: recall one (double-click or "Go to"), keep where the camera looks now under a
name, remove one. Thin: the calls are PtzControl's (video_streaming.onvif_cameras); each runs as a
coroutine on the Qt loop and the buttons wait while it does, so the dialog never blocks."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
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
from video_streaming.domain.onvif import PtzPreset
from video_streaming.onvif_cameras import PtzControl

OK_COLOUR, ERROR_COLOUR = "#30a46c", "#e5484d"
Spawn = Callable[[Coroutine[Any, Any, Any]], Any]


class PtzPresetsDialog(QDialog):
    def __init__(self, camera_name: str, control: PtzControl, spawn: Spawn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Presets of {0}").format(camera_name))
        self.control = control
        self._spawn = spawn
        self.busy = False
        self.presets = QListWidget()
        self.presets.itemActivated.connect(lambda _item: self.go_to())
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Name, e.g. Gate"))
        self.go_button = QPushButton(self.tr("Go to"))
        self.save_button = QPushButton(self.tr("Keep the current position"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.go_button.clicked.connect(self.go_to)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.go_button, self.remove_button):
            buttons.addWidget(button)
        keep = QHBoxLayout()
        keep.addWidget(self.name, 1)
        keep.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.presets, 1)
        layout.addLayout(buttons)
        layout.addLayout(keep)
        layout.addWidget(self.status)
        self.resize(420, 360)
        self.reload()

    def selected(self) -> PtzPreset | None:
        item = self.presets.currentItem()
        preset = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return preset if isinstance(preset, PtzPreset) else None

    def reload(self) -> None:
        self._run(self._load(), "")

    def go_to(self) -> None:
        preset = self.selected()
        if preset is not None:
            self._run(self.control.goto_preset(preset.token), self.tr("Moved to {0}").format(preset.name))

    def save(self) -> None:
        name = self.name.text().strip()
        self._run(self._save(name), self.tr("Kept as {0}").format(name))

    def remove(self) -> None:
        preset = self.selected()
        if preset is not None:
            self._run(self._remove(preset), self.tr("Removed {0}").format(preset.name))

    async def _load(self) -> None:
        presets = await self.control.presets()
        current = self.selected()
        self.presets.clear()
        for preset in presets:
            item = QListWidgetItem(preset.name)
            item.setData(Qt.ItemDataRole.UserRole, preset)
            self.presets.addItem(item)
            if current is not None and preset.token == current.token:
                self.presets.setCurrentItem(item)

    async def _save(self, name: str) -> None:
        await self.control.save_preset(name)
        self.name.clear()
        await self._load()

    async def _remove(self, preset: PtzPreset) -> None:
        await self.control.remove_preset(preset.token)
        await self._load()

    def _run(self, call: Coroutine[Any, Any, Any], done: str) -> None:
        if self.busy:
            call.close()
            return
        self._set_busy(True)
        self._spawn(self._finish(call, done))

    async def _finish(self, call: Coroutine[Any, Any, Any], done: str) -> None:
        try:
            await call
        except VidStreamError as error:
            self._say(str(error), ERROR_COLOUR)
        else:
            self._say(done, OK_COLOUR)
        finally:
            self._set_busy(False)

    def _say(self, text: str, colour: str) -> None:
        self.status.setStyleSheet(f"color: {colour}")
        self.status.setText(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.go_button, self.save_button, self.remove_button):
            button.setEnabled(not busy)
