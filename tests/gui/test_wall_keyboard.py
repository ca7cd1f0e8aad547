"""The wall from the keyboard: a number and Enter put that camera in the focused tile, the arrow keys
(and a click) move the focus, keys typed into a field stay there, and F1 lists it all. Checked on the
widgets and on the focus frame's pixels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from tests.fixtures.qt import delete_now
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.resources import load_theme
from vidstream_desktop.wall.camera_list import CameraListWidget
from vidstream_desktop.wall.grid import LAYOUT_SPECS, CameraGrid
from vidstream_desktop.wall.keyboard import WallKeyboard, neighbour
from vidstream_desktop.wall.tile import VideoTile

pytestmark = pytest.mark.gui
FOCUS_COLOUR = (0x4D, 0xA3, 0xFF)  # blue: amber is motion


@pytest.fixture
def wall(qtbot, qapp: QApplication):  # type: ignore[no-untyped-def]
    load_theme(qapp)
    window = QWidget()
    window.resize(900, 600)
    field = QLineEdit()
    grid = CameraGrid(layout_name="3x3")
    cameras = CameraListWidget()
    cameras.set_cameras([("id-front", "Front door"), ("id-yard", "Yard"), ("id-dock", "Dock")])
    layout = QVBoxLayout(window)
    layout.addWidget(field)
    layout.addWidget(grid, 1)
    qtbot.addWidget(window)
    keyboard = WallKeyboard(grid, cameras.camera_ids, window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.setFocus()
    yield window, grid, keyboard, field, cameras
    grid.stop_all()


def border_colour(tile: VideoTile) -> tuple[int, int, int]:
    image = tile.grab().toImage()
    colour = image.pixelColor(0, image.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def test_arrows_move_the_focus_and_the_frame_shows_it(qtbot, wall) -> None:  # type: ignore[no-untyped-def]
    window, grid, keyboard, _, _ = wall
    assert keyboard.focused_index == 0
    assert border_colour(grid.tile_at(0)) == FOCUS_COLOUR
    assert border_colour(grid.tile_at(1)) != FOCUS_COLOUR

    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Down)
    assert keyboard.focused_index == 4  # 3x3: (0,0) -> (0,1) -> (1,1)
    qtbot.waitUntil(lambda: border_colour(grid.tile_at(4)) == FOCUS_COLOUR)
    assert border_colour(grid.tile_at(0)) != FOCUS_COLOUR
    for _ in range(5):
        qtbot.keyClick(window, Qt.Key.Key_Left)
    assert keyboard.focused_index == 3  # stops at the edge

    qtbot.mouseClick(grid.tile_at(8).surface, Qt.MouseButton.LeftButton)
    assert keyboard.focused_index == 8

    grid.set_layout("2x2")
    assert keyboard.focused_index == 3  # kept inside the smaller layout


def test_number_and_enter_put_that_camera_in_the_focused_tile(qtbot, wall) -> None:  # type: ignore[no-untyped-def]
    window, _, keyboard, _, cameras = wall
    assert cameras.item(1).text() == "2  Yard"  # the short number is shown with the name
    qtbot.keyClick(window, Qt.Key.Key_Right)
    with qtbot.waitSignal(keyboard.camera_requested) as request:
        qtbot.keyClick(window, Qt.Key.Key_2)
        assert keyboard.entry == "2"
        qtbot.keyClick(window, Qt.Key.Key_Return)
    assert request.args == [1, "id-yard"]
    assert keyboard.entry == ""

    shown: list[str] = []
    keyboard.entry_changed.connect(shown.append)
    with qtbot.assertNotEmitted(keyboard.camera_requested):
        qtbot.keyClick(window, Qt.Key.Key_9)
        qtbot.keyClick(window, Qt.Key.Key_Return)
    assert shown[-1] == "No camera 9: cameras are numbered 1 to 3"

    qtbot.keyClick(window, Qt.Key.Key_1)
    qtbot.keyClick(window, Qt.Key.Key_Backspace)
    qtbot.keyClick(window, Qt.Key.Key_3)
    with qtbot.waitSignal(keyboard.camera_requested) as request:
        qtbot.keyClick(window, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert request.args == [1, "id-dock"]

    qtbot.keyClick(window, Qt.Key.Key_2)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert keyboard.entry == ""


def test_keys_typed_into_a_field_or_with_alt_are_not_the_walls(qtbot, wall) -> None:  # type: ignore[no-untyped-def]
    window, _, keyboard, field, _ = wall
    field.setFocus()
    qtbot.keyClicks(field, "12")
    qtbot.keyClick(field, Qt.Key.Key_Right)
    assert field.text() == "12" and keyboard.entry == "" and keyboard.focused_index == 0
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert keyboard.entry == ""


def test_the_big_tile_of_1_plus_5_has_neighbours_on_both_sides() -> None:
    cells = LAYOUT_SPECS["1+5"].cells()  # big 2x2 at (0,0); then (0,2), (1,2), (2,0), (2,1), (2,2)
    assert neighbour(cells, 0, (0, 1)) == 1
    assert neighbour(cells, 0, (1, 0)) == 3
    assert neighbour(cells, 2, (0, -1)) == 0
    assert neighbour(cells, 4, (-1, 0)) == 0
    assert neighbour(cells, 1, (-1, 0)) == 1  # top edge


def test_f1_lists_the_keyboard(qapp: QApplication, tmp_path: Path) -> None:
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        keys = dict(window.shortcuts())
        assert keys["Camera number, Enter"] == "Show that camera in the focused tile"
        assert keys["Arrow keys, click"] == "Move the focus between tiles"
        assert keys["Ctrl+T"] == "Tour in the focused tile…"
        assert keys["Ctrl+Shift+T"] == "Tour of saved layouts…"
    finally:
        window.grid.stop_all()
        delete_now(window)
