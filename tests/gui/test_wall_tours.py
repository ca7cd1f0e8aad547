"""Tours on the real wall widgets: a tile cycles through cameras with its dwell time, the pointer over it
pauses it (a full dwell follows), a click holds it until the next click; the wall cycles through layouts;
the dialog refuses a tour of fewer than two steps; the alarm tile takes the cameras in motion one at a time."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication

from video_streaming.motion.service import MotionNotice, NoticeKind
from vidstream_desktop.resources import load_theme
from vidstream_desktop.wall.alarm import AlarmTile
from vidstream_desktop.wall.grid import CameraGrid
from vidstream_desktop.wall.tours import TourDialog, TourManager, TourPlan

pytestmark = pytest.mark.gui
DWELL_S = 0.3


@pytest.fixture
def grid(qtbot, qapp: QApplication):  # type: ignore[no-untyped-def]
    load_theme(qapp)
    grid = CameraGrid(layout_name="2x2")
    grid.resize(800, 450)
    qtbot.addWidget(grid)
    grid.show()
    qtbot.waitExposed(grid)
    yield grid
    grid.stop_all()


def hover(widget, inside: bool) -> None:  # type: ignore[no-untyped-def]
    if inside:
        QApplication.sendEvent(widget, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    else:
        QApplication.sendEvent(widget, QEvent(QEvent.Type.Leave))


def test_a_tile_tour_cycles_and_pauses_on_hover_and_click(qtbot, grid: CameraGrid) -> None:  # type: ignore[no-untyped-def]
    tile = grid.tile_at(1)
    shown: list[str] = []
    tours = TourManager()
    runner = tours.start(TourPlan(("cam-a", "cam-b", "cam-c"), DWELL_S), shown.append, tile)
    assert shown == ["cam-a"] and tile.property("tour") == "running"
    qtbot.waitUntil(lambda: len(shown) >= 4, timeout=5000)
    assert shown[:4] == ["cam-a", "cam-b", "cam-c", "cam-a"]  # round and round

    hover(tile, inside=True)
    assert runner.paused and tile.property("tour") == "paused"
    with qtbot.assertNotEmitted(runner.stepped, wait=round(DWELL_S * 3000)):
        pass  # three dwell times with the pointer on the tile: it stays
    hover(tile, inside=False)
    assert not runner.paused
    with qtbot.waitSignal(runner.stepped, timeout=round(DWELL_S * 3000)):
        pass

    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    hover(tile, inside=False)  # a click holds the tour even with the pointer gone
    assert runner.paused and "click to go on" in tile.toolTip()
    with qtbot.assertNotEmitted(runner.stepped, wait=round(DWELL_S * 3000)):
        pass
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert not runner.paused
    with qtbot.waitSignal(runner.stepped, timeout=round(DWELL_S * 3000)):
        pass

    count = len(shown)
    tours.stop_all()
    assert tile.property("tour") == ""
    with qtbot.assertNotEmitted(runner.stepped, wait=round(DWELL_S * 2000)):
        pass
    assert len(shown) == count


def test_a_wall_tour_cycles_layouts(qtbot, grid: CameraGrid) -> None:  # type: ignore[no-untyped-def]
    tours = TourManager()
    tours.start(TourPlan(("1x1", "3x3"), DWELL_S), grid.set_layout, grid)
    assert grid.layout_name == "1x1" and len(grid.tiles()) == 1
    qtbot.waitUntil(lambda: grid.layout_name == "3x3", timeout=3000)
    assert len([tile for tile in grid.tiles() if tile.isVisible()]) == 9
    qtbot.waitUntil(lambda: grid.layout_name == "1x1", timeout=3000)
    tours.stop_all()


def test_the_tour_dialog_needs_two_steps(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = TourDialog("Tour", [("a", "1  Alpha"), ("b", "2  Bravo"), ("c", "3  Charlie")])
    qtbot.addWidget(dialog)
    dialog.dwell.setValue(15)
    dialog.choices.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.plan() == TourPlan(("a", "c"), 15.0)
    dialog.choices.item(2).setCheckState(Qt.CheckState.Unchecked)
    dialog.buttons.accepted.emit()
    assert dialog.result() != TourDialog.DialogCode.Accepted
    assert dialog.error.text() == "Pick at least two steps."


def run_now(coroutine) -> None:  # type: ignore[no-untyped-def]
    """Runs a coroutine that never suspends (the fake `show` below) to its end, with no event loop."""
    with contextlib.suppress(StopIteration):
        coroutine.send(None)


def notice(kind: NoticeKind, camera_id: str) -> MotionNotice:
    return MotionNotice(kind, camera_id, at=0.0)


def test_motion_brings_its_camera_into_the_alarm_tile_one_at_a_time(qtbot, grid: CameraGrid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shown: list[tuple[int, str]] = []

    async def show(tile, camera_id: str) -> None:  # type: ignore[no-untyped-def]
        shown.append((grid.tiles().index(tile), camera_id))
        tile.show_connecting(camera_id, camera_id.upper())

    alarm = AlarmTile(grid, show, run_now, settings)
    badge = grid.tile_at(3).bar.alarm_label
    alarm.on_notice(notice(NoticeKind.STARTED, "cam-a"))
    assert shown == [] and not badge.isVisibleTo(grid), "no alarm tile chosen: motion moves nothing"
    alarm.on_notice(notice(NoticeKind.ENDED, "cam-a"))

    alarm.choose(3)
    assert badge.isVisibleTo(grid) and badge.property("active") is False
    assert not any(tile.bar.alarm_label.isVisibleTo(grid) for tile in grid.tiles()[:3])
    alarm.on_notice(notice(NoticeKind.STARTED, "cam-a"))
    assert shown == [(3, "cam-a")] and grid.tile_at(3).camera_id == "cam-a"
    assert badge.property("active") is True and grid.tile_at(3).has_motion
    # A second camera in motion waits while the first still moves, then follows it.
    alarm.on_notice(notice(NoticeKind.STARTED, "cam-b"))
    assert shown == [(3, "cam-a")]
    alarm.on_notice(notice(NoticeKind.ENDED, "cam-a"))
    assert shown[-1] == (3, "cam-b") and grid.tile_at(3).camera_id == "cam-b" and badge.property("active") is True
    # All quiet: the last alarm camera stays for the operator to look at, the badge dims.
    alarm.on_notice(notice(NoticeKind.ENDED, "cam-b"))
    assert grid.tile_at(3).camera_id == "cam-b" and badge.property("active") is False
    # With the tile quiet, the next motion takes it at once.
    alarm.on_notice(notice(NoticeKind.STARTED, "cam-a"))
    assert shown[-1] == (3, "cam-a")
    alarm.on_notice(notice(NoticeKind.FEED_LOST, "cam-a"))
    assert badge.property("active") is False

    # The choice is kept for the next start; a layout without that tile has no alarm tile meanwhile.
    assert AlarmTile(grid, show, run_now, settings).index == 3
    grid.set_layout("1x1")
    assert alarm.tile is None
    alarm.on_notice(notice(NoticeKind.STARTED, "cam-c"))
    assert shown[-1] == (3, "cam-a"), "an alarm reached a tile the layout does not show"
    grid.set_layout("2x2")
    assert badge.isVisibleTo(grid)
    # Choosing it again: no alarm tile.
    alarm.choose(3)
    assert alarm.index is None and not badge.isVisibleTo(grid)
    assert AlarmTile(grid, show, run_now, settings).index is None
