"""Keyboard shortcuts, listed where operators look for them (F1)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class HelpDialog(QDialog):
    def __init__(
        self, shortcuts: list[tuple[str, str]], parent: QWidget | None = None,
        open_log_folder: Callable[[], None] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(460, 420)
        table = QTableWidget(len(shortcuts), 2)
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (keys, action) in enumerate(shortcuts):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(action))
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        if open_log_folder is not None:
            logs = buttons.addButton(self.tr("Open log folder"), QDialogButtonBox.ButtonRole.ActionRole)
            logs.setToolTip(self.tr("The full text of every alert, to send to whoever supports this workstation"))
            logs.clicked.connect(open_log_folder)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
