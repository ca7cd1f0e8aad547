"""Walls on several monitors, on a real two-screen X server (Xvfb with two screens, started here before
the QApplication): a detached layout goes full screen on the other screen (its pixels show there), F11,
Esc, the shared shortcuts and "next screen" work in it, and which layout is on which screen comes back
at the next start. Run this file in a process of its own (make test does): the display must be ours
before Qt starts."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from tests.fixtures.environment import missing_prerequisite
from vidstream_desktop.resources import load_theme
from vidstream_desktop.wall.detached import MonitorWindows, screen_key
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import Transport

pytestmark = pytest.mark.gui
FOCUS_COLOUR = (0x4D, 0xA3, 0xFF)  # blue: amber is motion


@pytest.fixture(scope="session")
def qapp_args() -> Iterator[list[str]]:
    """pytest-qt builds the QApplication after this: point it at a display with two screens."""
    if QApplication.instance() is not None:
        yield []
        return
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1024x640x24", "-screen", "1", "800x600x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert server.stdout is not None
    display = server.stdout.readline().decode().strip()
    previous = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = f":{display}"
    try:
        yield ["vidstream-test"]
    finally:
        server.terminate()
        server.wait(timeout=10)
        if previous is not None:
            os.environ["DISPLAY"] = previous


@pytest.fixture
def screens(qapp: QApplication) -> list:  # type: ignore[type-arg]
    found = QGuiApplication.screens()
    if len(found) < 2:
        missing_prerequisite("needs the two-screen display of this file: run it in a process of its own")
    load_theme(qapp)
    return found


class Recorder:
    def __init__(self) -> None:
        self.shown: list[tuple[VideoTile, str]] = []
        self.record_all = 0

    def show(self, tile: VideoTile, camera_id: str) -> None:
        """As the wall controller does, without a media server: the tile shows the camera (no address)."""
        self.shown.append((tile, camera_id))
        tile.assign(camera_id, camera_id, "", Transport.HLS)


def make_monitors(tmp_path: Path, qtbot, recorder: Recorder, screen):  # type: ignore[no-untyped-def]
    main = QWidget()
    qtbot.addWidget(main)
    main.setScreen(screen)
    main.resize(400, 300)
    main.show()
    shared = QAction("Record all", main)
    shared.setShortcut(QKeySequence("Ctrl+R"))
    shared.triggered.connect(lambda: setattr(recorder, "record_all", recorder.record_all + 1))
    main.addAction(shared)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monitors = MonitorWindows(settings, recorder.show, lambda: ["cam-a", "cam-b"], lambda: [shared], main)
    return main, monitors, settings


def has_colour(image: QImage, colour: tuple[int, int, int]) -> bool:
    for y in range(0, image.height(), 2):
        for x in range(0, min(image.width(), 40)):
            pixel = image.pixelColor(x, y)
            if (pixel.red(), pixel.green(), pixel.blue()) == colour:
                return True
    return False


def test_a_detached_wall_is_full_screen_on_the_other_screen(qtbot, screens, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    main, monitors, _ = make_monitors(tmp_path, qtbot, recorder, screens[0])
    window = monitors.detach("2x2", ["cam-a", "cam-b"])  # to a screen the main window is not on
    qtbot.waitExposed(window)
    try:
        assert main.screen() is screens[0] and window.screen() is screens[1]
        qtbot.waitUntil(lambda: window.isFullScreen() and window.geometry() == screens[1].geometry())
        assert [(window.grid.tiles().index(tile), camera) for tile, camera in recorder.shown] == [
            (0, "cam-a"), (1, "cam-b")]
        # The wall's pixels are on the second screen (its focused tile's amber frame), not on the first.
        qtbot.waitUntil(lambda: has_colour(screens[1].grabWindow(0).toImage(), FOCUS_COLOUR))
        assert not has_colour(screens[0].grabWindow(0).toImage(), FOCUS_COLOUR)

        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_F11)
        assert not window.isFullScreen()
        qtbot.keyClick(window, Qt.Key.Key_F11)
        qtbot.waitUntil(window.isFullScreen)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        assert not window.isFullScreen()
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert recorder.record_all == 1  # the main window's shortcut, pressed in the other window
        qtbot.keyClick(window, Qt.Key.Key_2)
        qtbot.keyClick(window, Qt.Key.Key_Return)
        assert recorder.shown[-1] == (window.grid.tile_at(0), "cam-b")  # camera numbers work there too

        window.next_screen_action.trigger()
        qtbot.waitUntil(lambda: window.screen() is screens[0])
    finally:
        monitors.shut_all()


def test_which_layout_is_on_which_screen_comes_back(qtbot, screens, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    main, monitors, _ = make_monitors(tmp_path, qtbot, recorder, screens[0])
    assert main.isVisible()  # (the windows' owner must outlive them)
    big = monitors.detach("1+5", ["cam-b", "cam-a"], screens[1])
    single = monitors.detach_tile("cam-a", screens[0])
    single.toggle_full_screen()  # windowed on the first screen
    saved = {(state.layout, state.screen, state.full_screen, tuple(state.assignment)) for state in monitors.saved()}
    assert saved == {("1+5", screen_key(screens[1]), True, ("cam-b", "cam-a", "", "", "", "")),
                     ("1x1", screen_key(screens[0]), False, ("cam-a",))}  # fmt: skip
    monitors.shut_all()
    assert not big.isVisible() and not single.isVisible()
    assert len(monitors.saved()) == 2  # closing with the app keeps them for the next start

    again = Recorder()
    next_main, next_start, _ = make_monitors(tmp_path, qtbot, again, screens[0])
    assert next_main.isVisible()
    restored = next_start.restore(["cam-a"])  # cam-b was removed meanwhile
    try:
        by_layout = {window.grid.layout_name: window for window in restored}
        assert set(by_layout) == {"1+5", "1x1"}
        qtbot.waitUntil(lambda: by_layout["1+5"].isFullScreen() and by_layout["1+5"].screen() is screens[1])
        assert by_layout["1x1"].screen() is screens[0] and not by_layout["1x1"].isFullScreen()
        assert [(by_layout["1+5"].grid.tiles().index(tile), camera) for tile, camera in again.shown
                if tile in by_layout["1+5"].grid.tiles()] == [(1, "cam-a")]  # fmt: skip
        assert by_layout["1x1"].grid.tile_at(0).camera_id == "cam-a"

        by_layout["1x1"].close()  # closed by the operator: gone from the saved places
        assert [state.layout for state in next_start.saved()] == ["1+5"]
    finally:
        next_start.shut_all()
