"""Alerts that stay readable: every warning and error the core or the wall raised, newest first, with the
time it happened, in a list the operator opens from the status bar (a status-bar line alone is gone after a
few seconds, and cut short when it is long)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

LEVEL_COLORS = {"error": "#e5484d", "warning": "#f5a524"}
MAX_ALERTS = 500  # the oldest go first; the log file keeps everything


@dataclass(frozen=True)
class Alert:
    at: datetime
    level: str  # "error", "warning" or "info"
    text: str


class ElidedLabel(QLabel):
    """One line of plain text that is cut with "…" to the width it is given instead of widening its window;
    the whole text is in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width() - 4, 0)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class AlertsList(QWidget):
    """The list itself; `count_changed` tells the status-bar button how many are unread."""

    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertsList")
        self.alerts: list[Alert] = []
        self.unread = 0
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.clicked.connect(self.clear)
        self.empty = QLabel(self.tr("No alerts"), self)
        bar = QHBoxLayout()
        bar.addWidget(self.empty, 1)
        bar.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)
        self._sync()

    def add(self, level: str, text: str, at: datetime | None = None) -> Alert:
        alert = Alert(at or datetime.now().astimezone(), level, text)
        self.alerts.insert(0, alert)
        item = QListWidgetItem(f"{alert.at:%H:%M:%S}  {text}")
        item.setToolTip(text)
        item.setData(Qt.ItemDataRole.UserRole, level)
        if level in LEVEL_COLORS:
            item.setForeground(QColor(LEVEL_COLORS[level]))
        self.list.insertItem(0, item)
        while len(self.alerts) > MAX_ALERTS:
            self.alerts.pop()
            self.list.takeItem(self.list.count() - 1)
        if level in LEVEL_COLORS:
            self.unread += 1
        self._sync()
        return alert

    def texts(self) -> list[str]:
        return [alert.text for alert in self.alerts]

    def mark_read(self) -> None:
        self.unread = 0
        self._sync()

    def clear(self) -> None:
        self.alerts.clear()
        self.list.clear()
        self.unread = 0
        self._sync()

    def _sync(self) -> None:
        self.empty.setVisible(not self.alerts)
        self.clear_button.setEnabled(bool(self.alerts))
        self.count_changed.emit(self.unread)
