"""PTZ from the wall against the real third-party camera (ipycam in its namespace): the wheel zooms, a
drag pans while held and stops on release, held arrow keys in a maximised tile pan, and a tile whose
camera has no PTZ sends nothing. What the camera did is read back from its picture (see
tests/fixtures/onvif_camera_main.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.fixtures.onvif_camera import (  # noqa: F401 - onvif_camera: the fixture, by name
    OnvifTestCamera,
    grab_frame,
    onvif_camera,
    red_at_centre,
    red_slope,
)
from tests.fixtures.qt import run, wait_until
from video_streaming.bootstrap import build_onvif_service
from video_streaming.onvif_cameras import PtzControl
from vidstream_desktop.wall.grid import CameraGrid
from vidstream_desktop.wall.ptz import PtzBinding, PtzBindings, PtzCameras, PtzMouse, drag_velocity, show_ptz_badges
from vidstream_desktop.wall.ptz_presets import PtzPresetsDialog
from vidstream_desktop.wall.vlc_backend import Transport

pytestmark = pytest.mark.gui


def mouse(widget, kind: QEvent.Type, at: QPointF, buttons: Qt.MouseButton) -> None:  # type: ignore[no-untyped-def]
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    QApplication.sendEvent(widget, QMouseEvent(kind, at, widget.mapToGlobal(at), button, buttons,
                                               Qt.KeyboardModifier.NoModifier))  # fmt: skip


def wheel(widget, steps: int) -> None:  # type: ignore[no-untyped-def]
    at = QPointF(widget.width() / 2, widget.height() / 2)
    QApplication.sendEvent(widget, QWheelEvent(at, widget.mapToGlobal(at), QPoint(), QPoint(0, 120 * steps),
                                               Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                               Qt.ScrollPhase.NoScrollPhase, False))  # fmt: skip


def test_wheel_zooms_drag_pans_and_release_stops(  # type: ignore[no-untyped-def]
    qtbot, qasync_loop: qasync.QEventLoop, onvif_camera: OnvifTestCamera  # noqa: F811
) -> None:
    grid = CameraGrid(layout_name="2x2")
    grid.resize(800, 450)
    qtbot.addWidget(grid)
    grid.show()
    qtbot.waitExposed(grid)
    ptz_tile, plain_tile = grid.tile_at(0), grid.tile_at(1)
    ptz_tile.assign("cam-ptz", "Gate", "", Transport.HLS)
    plain_tile.assign("cam-plain", "Hall", "", Transport.HLS)
    control = build_onvif_service().ptz(onvif_camera.device_address, onvif_camera.username,
                                        onvif_camera.password, "Profile_Main")  # fmt: skip
    sent: list[Coroutine[Any, Any, Any]] = []
    tasks: list[asyncio.Task[Any]] = []

    def spawn(coroutine: Coroutine[Any, Any, Any]) -> None:
        sent.append(coroutine)
        tasks.append(asyncio.ensure_future(coroutine))

    def ptz_for(camera_id: str) -> PtzControl | None:
        return control if camera_id == "cam-ptz" else None

    PtzMouse(ptz_for, spawn, grid)
    unzoomed = red_slope(run(qasync_loop, asyncio.to_thread(grab_frame, onvif_camera)))

    # A camera without PTZ: wheel and drag send nothing (and the drag is not swallowed).
    surface = plain_tile.surface
    wheel(surface, 3)
    mouse(surface, QEvent.Type.MouseButtonPress, QPointF(50, 50), Qt.MouseButton.LeftButton)
    mouse(surface, QEvent.Type.MouseMove, QPointF(150, 50), Qt.MouseButton.LeftButton)
    mouse(surface, QEvent.Type.MouseButtonRelease, QPointF(150, 50), Qt.MouseButton.NoButton)
    assert sent == []

    surface = ptz_tile.surface
    for _ in range(4):
        wheel(surface, 1)  # four steps in: each zooms for a moment
    wait_until(qasync_loop, lambda: all(task.done() for task in tasks), timeout=30)
    zoomed = run(qasync_loop, asyncio.to_thread(grab_frame, onvif_camera))
    assert red_slope(zoomed) < unzoomed / 1.3, (red_slope(zoomed), unzoomed)
    assert not control.moving

    centre = red_at_centre(zoomed)
    middle = QPointF(surface.width() / 2, surface.height() / 2)
    mouse(surface, QEvent.Type.MouseButtonPress, middle, Qt.MouseButton.LeftButton)
    mouse(surface, QEvent.Type.MouseMove, middle + QPointF(surface.width() / 3, 0), Qt.MouseButton.LeftButton)
    wait_until(qasync_loop, lambda: control.moving, timeout=15)
    wait_until(qasync_loop, lambda: red_at_centre(grab_frame(onvif_camera)) > centre + 15, timeout=20)
    mouse(surface, QEvent.Type.MouseButtonRelease, middle, Qt.MouseButton.NoButton)
    wait_until(qasync_loop, lambda: not control.moving and all(task.done() for task in tasks), timeout=15)
    stopped = red_at_centre(run(qasync_loop, asyncio.to_thread(grab_frame, onvif_camera)))
    run(qasync_loop, asyncio.sleep(1.0))  # a second after the release: the picture stays put
    assert abs(red_at_centre(run(qasync_loop, asyncio.to_thread(grab_frame, onvif_camera))) - stopped) < 3

    # Maximised, the arrow keys pan while held.
    grid.toggle_maximize(ptz_tile)
    grid.setFocus()
    QApplication.sendEvent(grid, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier))
    wait_until(qasync_loop, lambda: control.moving, timeout=15)
    wait_until(qasync_loop, lambda: red_at_centre(grab_frame(onvif_camera)) < stopped - 15, timeout=20)
    QApplication.sendEvent(grid, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier))
    wait_until(qasync_loop, lambda: not control.moving and all(task.done() for task in tasks), timeout=15)
    grid.stop_all()


def test_drag_speed_and_bindings(tmp_path: Path) -> None:
    assert drag_velocity(200, 0, 400, 200) == drag_velocity(400, 0, 400, 200)  # half the width is full speed
    assert drag_velocity(100, -50, 400, 200).pan == 0.5 and drag_velocity(100, -50, 400, 200).tilt == 0.5
    assert drag_velocity(5, 3, 400, 200).still  # the dead zone
    bindings = PtzBindings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert bindings.get("cam") is None
    bindings.save("cam", PtzBinding("192.0.2.10:8080", "Profile_Main"))
    assert bindings.get("cam") == PtzBinding("192.0.2.10:8080", "Profile_Main")
    made: list[tuple[str, ...]] = []

    def make(*target: str) -> PtzControl:
        made.append(target)
        return build_onvif_service().ptz(*target)

    cameras = PtzCameras(bindings, lambda camera_id: ("admin", "pw") if camera_id == "cam" else None, make)
    control = cameras.control_for("cam")
    assert control is not None and cameras.control_for("cam") is control  # made once, then kept
    assert made == [("192.0.2.10:8080", "admin", "pw", "Profile_Main")]
    assert cameras.control_for("other") is None  # no PTZ binding: no PTZ
    cameras.forget("cam")
    assert bindings.get("cam") is None and cameras.control_for("cam") is None


def test_only_a_ptz_cameras_tile_shows_the_ptz_badge(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    grid = CameraGrid(layout_name="2x2")
    grid.resize(800, 450)
    qtbot.addWidget(grid)
    grid.show()
    qtbot.waitExposed(grid)
    bindings = PtzBindings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    bindings.save("cam-ptz", PtzBinding("192.0.2.7:80", "Profile_Main"))
    cameras = PtzCameras(bindings, lambda _camera_id: None, lambda *_target: None)  # type: ignore[arg-type, return-value]
    grid.tile_at(0).show_connecting("cam-ptz", "Gate")
    grid.tile_at(1).show_connecting("cam-plain", "Hall")
    show_ptz_badges(grid.all_tiles(), cameras.has_ptz)
    badges = [tile.bar.ptz_label.isVisibleTo(grid) for tile in grid.tiles()]
    assert badges == [True, False, False, False]
    # The camera loses its PTZ binding (edited without ONVIF): the badge goes.
    cameras.forget("cam-ptz")
    show_ptz_badges(grid.all_tiles(), cameras.has_ptz)
    assert not grid.tile_at(0).bar.ptz_label.isVisibleTo(grid)
    grid.stop_all()


def test_the_presets_dialog_keeps_lists_recalls_and_reports_what_the_camera_refuses(  # type: ignore[no-untyped-def]
    qtbot, qasync_loop: qasync.QEventLoop, onvif_camera: OnvifTestCamera  # noqa: F811
) -> None:
    control = build_onvif_service().ptz(onvif_camera.device_address, onvif_camera.username,
                                        onvif_camera.password, "Profile_Main")  # fmt: skip
    dialog = PtzPresetsDialog("Gate", control, asyncio.ensure_future)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_until(qasync_loop, lambda: not dialog.busy, timeout=15)
    before = dialog.presets.count()

    dialog.name.setText("Loading dock")
    dialog.save_button.click()
    assert dialog.busy and not dialog.save_button.isEnabled()  # one call at a time, the window still paints
    wait_until(qasync_loop, lambda: not dialog.busy, timeout=15)
    names = [dialog.presets.item(row).text() for row in range(dialog.presets.count())]
    assert dialog.presets.count() == before + 1 and "Loading dock" in names, names
    assert dialog.status.text() == "Kept as Loading dock" and dialog.name.text() == ""

    dialog.presets.setCurrentRow(names.index("Loading dock"))
    dialog.go_button.click()
    wait_until(qasync_loop, lambda: not dialog.busy, timeout=15)
    assert dialog.status.text() == "Moved to Loading dock"

    dialog.remove_button.click()  # this camera has no RemovePreset: said, and the list stays as it was
    wait_until(qasync_loop, lambda: not dialog.busy, timeout=15)
    assert "does not support" in dialog.status.text() and dialog.presets.count() == before + 1

    dialog.name.setText("   ")
    dialog.save_button.click()
    wait_until(qasync_loop, lambda: not dialog.busy, timeout=15)
    assert "needs a name" in dialog.status.text()
    dialog.close()
