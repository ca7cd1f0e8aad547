"""The wall from the keyboard, as control rooms work it: cameras have short numbers (their place in the
camera list), typing a number and Enter puts that camera in the focused tile, the arrow keys move the
focus from tile to tile, and a click focuses a tile too."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QApplication, QLineEdit, QTextEdit, QWidget

from vidstream_desktop.wall.grid import LAYOUT_SPECS, CameraGrid
from vidstream_desktop.wall.info_bar import repolish
from vidstream_desktop.wall.tile import VideoTile

Cell = tuple[int, int, int]  # row, column, span
MAX_DIGITS = 4
_DIRECTIONS = {
    Qt.Key.Key_Left: (0, -1),
    Qt.Key.Key_Right: (0, 1),
    Qt.Key.Key_Up: (-1, 0),
    Qt.Key.Key_Down: (1, 0),
}
_DIGITS = {getattr(Qt.Key, f"Key_{digit}"): str(digit) for digit in range(10)}


def neighbour(cells: list[Cell], index: int, direction: tuple[int, int]) -> int:
    """The tile next to tile `index` in `direction` (row step, column step), or `index` at the edge.
    Tiles may span several cells (the big tile of 1+5): the nearest tile whose cells lie that way wins,
    overlapping rows (or columns) first."""
    row, column, span = cells[index]
    d_row, d_column = direction
    best, best_key = index, (float("inf"), float("inf"))
    for other, (o_row, o_column, o_span) in enumerate(cells):
        if other == index:
            continue
        if d_column:
            gap = (o_column - (column + span)) if d_column > 0 else (column - (o_column + o_span))
            overlap = min(row + span, o_row + o_span) - max(row, o_row)
            offset = abs(o_row - row)
        else:
            gap = (o_row - (row + span)) if d_row > 0 else (row - (o_row + o_span))
            overlap = min(column + span, o_column + o_span) - max(column, o_column)
            offset = abs(o_column - column)
        if gap < 0:
            continue
        key = (gap + (0 if overlap > 0 else 1000), offset)
        if key < best_key:
            best, best_key = other, key
    return best


def _types_text(widget: QWidget | None) -> bool:
    """Keys typed into a field or a list belong to it, not to the wall."""
    return isinstance(widget, QLineEdit | QTextEdit | QAbstractSpinBox | QAbstractItemView)


class WallKeyboard(QObject):
    camera_requested = Signal(int, str)  # tile index, camera id
    entry_changed = Signal(str)  # what the operator has typed so far, or why it was refused

    def __init__(self, grid: CameraGrid, camera_ids: Callable[[], list[str]], window: QWidget) -> None:
        super().__init__(window)
        self.grid = grid
        self.wall_window = window
        self._camera_ids = camera_ids
        self.entry = ""
        self.focused_index = 0
        grid.layout_changed.connect(self._keep_focus_in_layout)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # keys and clicks reach whichever child has the focus
        self._show_focus()

    # ---- commands ----------------------------------------------------------------------------------

    def focus_tile(self, index: int) -> None:
        self.focused_index = max(0, min(index, len(self.grid.tiles()) - 1))
        self._show_focus()

    def move_focus(self, direction: tuple[int, int]) -> None:
        cells = LAYOUT_SPECS[self.grid.layout_name].cells()
        self.focus_tile(neighbour(cells, self.focused_index, direction))

    def type_digit(self, digit: str) -> None:
        self.entry = (self.entry + digit)[-MAX_DIGITS:]
        self.entry_changed.emit(self.tr("Camera {0}… (Enter puts it in the focused tile)").format(self.entry))

    def erase_digit(self) -> None:
        self.entry = self.entry[:-1]
        self.entry_changed.emit(self.tr("Camera {0}…").format(self.entry) if self.entry else "")

    def confirm(self) -> None:
        entry, self.entry = self.entry, ""
        if not entry:
            return
        cameras = self._camera_ids()
        number = int(entry)
        if not 1 <= number <= len(cameras):
            refusal = self.tr("No camera {0}: cameras are numbered 1 to {1}")
            self.entry_changed.emit(refusal.format(number, len(cameras)))
            return
        self.entry_changed.emit("")
        self.camera_requested.emit(self.focused_index, cameras[number - 1])

    def cancel(self) -> bool:
        if not self.entry:
            return False
        self.entry = ""
        self.entry_changed.emit("")
        return True

    # ---- events ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(watched, QWidget):
            tile = self._tile_of(watched)
            if tile is not None:
                self.focus_tile(self.grid.tiles().index(tile))
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self.wall_window or _types_text(QApplication.focusWidget()):
            return False
        if not self.grid.isVisible():
            return False  # another tab (recordings) has the window: its keys are its own
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Alt+1 and the like are the window's shortcuts
        key = Qt.Key(event.key())
        if key in _DIGITS:
            self.type_digit(_DIGITS[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.entry:
            self.confirm()
        elif key == Qt.Key.Key_Backspace and self.entry:
            self.erase_digit()
        elif key == Qt.Key.Key_Escape:
            return self.cancel()  # with nothing typed, Esc stays the window's (leave full screen)
        elif key in _DIRECTIONS and self.grid.maximized_tile is None:
            self.move_focus(_DIRECTIONS[key])
        else:
            return False
        return True

    def _tile_of(self, widget: QWidget) -> VideoTile | None:
        seen: QWidget | None = widget
        while seen is not None:
            if isinstance(seen, VideoTile):
                return seen if seen in self.grid.tiles() else None
            seen = seen.parentWidget()
        return None

    def _keep_focus_in_layout(self, *_: object) -> None:
        self.focus_tile(self.focused_index)

    def _show_focus(self) -> None:
        for index, tile in enumerate(self.grid.all_tiles()):
            focused = index == self.focused_index
            if bool(tile.property("keyboardFocus")) != focused:
                tile.setProperty("keyboardFocus", focused)
                repolish(tile)

    @property
    def focused_tile(self) -> VideoTile:
        return self.grid.tiles()[self.focused_index]
