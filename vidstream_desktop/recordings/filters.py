"""The filter bar over the recordings table: which camera, and when (presets or an explicit range)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QWidget

from video_streaming.domain.clock import utc_now
from vidstream_desktop.recordings.dialogs import from_qdatetime, to_qdatetime
from vidstream_desktop.recordings.model import local_time

RANGE_PRESETS = ("any", "hour", "today", "yesterday", "week", "custom")


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera = QComboBox(self)
        self.camera.setMinimumWidth(170)
        self.camera.setToolTip(self.tr("Show one camera's recordings"))
        self.preset = QComboBox(self)
        labels = (self.tr("Any time"), self.tr("Last hour"), self.tr("Today"), self.tr("Yesterday"),
                  self.tr("Last 7 days"), self.tr("Between…"))  # fmt: skip
        for key, label in zip(RANGE_PRESETS, labels, strict=True):
            self.preset.addItem(label, key)
        now = utc_now()
        self.since_edit = QDateTimeEdit(to_qdatetime(now - timedelta(days=1)), self)
        self.until_edit = QDateTimeEdit(to_qdatetime(now), self)
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.dash = QLabel("–", self)
        # A range set by code keeps its seconds; the edits show minutes. Editing them drops it.
        self._explicit: tuple[datetime | None, datetime | None] = (None, None)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(QLabel(self.tr("Camera"), self))
        layout.addWidget(self.camera)
        layout.addSpacing(8)
        layout.addWidget(QLabel(self.tr("When"), self))
        layout.addWidget(self.preset)
        layout.addWidget(self.since_edit)
        layout.addWidget(self.dash)
        layout.addWidget(self.until_edit)
        self._show_range_edits(False)

        self.camera.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.since_edit.dateTimeChanged.connect(lambda _v: self._edited())
        self.until_edit.dateTimeChanged.connect(lambda _v: self._edited())

    def set_cameras(self, cameras: list[tuple[str, str]]) -> None:
        """(id, name) choices after "All cameras"; the current choice survives when still offered."""
        current = self.camera.currentData()
        self.camera.blockSignals(True)
        self.camera.clear()
        self.camera.addItem(self.tr("All cameras"), "")
        for camera_id, name in cameras:
            self.camera.addItem(name, camera_id)
        self.camera.setCurrentIndex(max(self.camera.findData(current) if current else 0, 0))
        self.camera.blockSignals(False)

    def camera_id(self) -> str:
        return str(self.camera.currentData() or "")

    def set_values(self, camera_id: str | None, since: datetime | None, until: datetime | None) -> None:
        """Set camera and range together; `changed` is emitted once."""
        widgets = (self.camera, self.preset, self.since_edit, self.until_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.camera.setCurrentIndex(max(self.camera.findData(camera_id or ""), 0))
        custom = since is not None or until is not None
        self.preset.setCurrentIndex(RANGE_PRESETS.index("custom" if custom else "any"))
        if since is not None:
            self.since_edit.setDateTime(to_qdatetime(since))
        if until is not None:
            self.until_edit.setDateTime(to_qdatetime(until))
        self._explicit = (since, until)
        for widget in widgets:
            widget.blockSignals(False)
        self._show_range_edits(custom)
        self.changed.emit()

    def time_range(self, now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
        moment = now or utc_now()
        midnight = local_time(moment).replace(hour=0, minute=0, second=0, microsecond=0)
        preset = self.preset.currentData()
        if preset == "hour":
            return moment - timedelta(hours=1), None
        if preset == "today":
            return midnight, None
        if preset == "yesterday":
            return midnight - timedelta(days=1), midnight
        if preset == "week":
            return moment - timedelta(days=7), None
        if preset == "custom":
            since, until = self._explicit
            return (since or from_qdatetime(self.since_edit.dateTime()),
                    until or from_qdatetime(self.until_edit.dateTime()))  # fmt: skip
        return None, None

    def _preset_changed(self) -> None:
        self._explicit = (None, None)
        self._show_range_edits(self.preset.currentData() == "custom")
        self.changed.emit()

    def _edited(self) -> None:
        self._explicit = (None, None)
        self.changed.emit()

    def _show_range_edits(self, shown: bool) -> None:
        for widget in (self.since_edit, self.dash, self.until_edit):
            widget.setEnabled(shown)
            widget.setVisible(shown)
