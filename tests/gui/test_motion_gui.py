"""Motion in the main window, on the real core: a scripted camera published to MediaMTX lights its tile's
border (pixels on screen) within 500 ms of the detector's start notice, brings its camera into the chosen
alarm tile, and the events panel lists the event live, filters by camera and asks to play from the event
start minus the pre-roll."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtTest import QTest

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.fixtures.waiting import until
from video_streaming.motion.detector import MotionSettings, Polygon
from video_streaming.motion.service import MotionNotice, NoticeKind
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import SWING_REGION, MotionScript, ScriptedCamera
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.motion_search import MOMENT_ROLE, MotionSearchDialog
from vidstream_desktop.recordings.model import local_time
from vidstream_desktop.wall.tile import VideoTile

pytestmark = pytest.mark.gui
MOTION_BORDER = QColor("#ff9f1c")


def border_pixels(tile: VideoTile) -> list[QColor]:
    """The tile's top border row, from the screen (what the operator sees)."""
    origin = tile.mapToGlobal(QPoint(0, 0))
    image = QGuiApplication.primaryScreen().grabWindow(0, origin.x(), origin.y(), tile.width(), 1).toImage()
    return [image.pixelColor(x, 0) for x in range(4, image.width() - 4, 16)]


def lit(tile: VideoTile) -> bool:
    pixels = border_pixels(tile)
    return bool(pixels) and all(abs(p.red() - 255) < 20 and abs(p.green() - 159) < 20 and p.blue() < 60 for p in pixels)


# Regions drawn a little inside the picture's edges (a click on the very edge is outside it).
BLOCK_BAND = ((0.3, 0.45), (0.98, 0.45), (0.98, 0.7), (0.3, 0.7))  # where the scripted block moves
SWING_CORNER = ((0.02, 0.02), (0.28, 0.02), (0.28, 0.28), (0.02, 0.28))  # inside the swing's mask


async def search_motion(
    window: MainWindow, camera_id: str, start: float, end: float, region: Polygon,
    expected: list[tuple[int, int]], pre_roll: timedelta,
) -> None:  # fmt: skip
    """Open motion search from the events panel, draw `region` with the mouse, search around [start, end]
    and compare the moments found with `expected` (epoch seconds); the first one found plays from its start
    minus the pre-roll."""
    assert window.motion is not None
    window.motion.events_panel.search_button.click()
    dialog = next(d for d in window.findChildren(MotionSearchDialog) if d.isVisible())
    try:
        dialog.camera.setCurrentIndex(dialog.camera.findData(camera_id))
        assert dialog.editor.still is not None, "no picture to draw the region on"
        await until(lambda: dialog.editor.width() > 100, 5, "the dialog laid out")
        for corner in region:  # Search takes the corners clicked so far as the region
            QTest.mouseClick(dialog.editor, Qt.MouseButton.LeftButton, pos=dialog.editor.to_widget(corner).toPoint())
        drawn = dialog.editor.region
        assert all(abs(a - b) < 0.01 for p, q in zip(drawn, region, strict=True) for a, b in zip(p, q, strict=True))
        dialog.set_range(datetime.fromtimestamp(start - 30, UTC), datetime.fromtimestamp(end + 5, UTC))
        QTest.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
        await until(lambda: dialog._search is not None and dialog._search.done(), 10, "the search answered")
        found = [dialog.results.item(i).data(MOMENT_ROLE) for i in range(dialog.results.count())]
        assert [int(moment.timestamp()) for moment in found] == [a for a, _ in expected], dialog.summary.text()
        texts = [dialog.results.item(i).text() for i in range(dialog.results.count())]
        assert all(f"({b - a} s)" in text for (a, b), text in zip(expected, texts, strict=True)), texts
        if not expected:
            assert dialog.summary.text() == dialog.tr("No motion in the region then")
            return
        dialog.results.itemActivated.emit(dialog.results.item(0))
        recordings = window.recordings_panel
        assert recordings is not None and window.tabs.currentWidget() is recordings
        moment = datetime.fromtimestamp(expected[0][0], UTC) - pre_roll
        await until(lambda: f"{local_time(moment):%Y-%m-%d %H:%M:%S}" in recordings.message.text(), 10,
                    "the browser asked for the moment minus the pre-roll")  # fmt: skip
        window.tabs.setCurrentIndex(0)
    finally:
        dialog.close()


def test_motion_lights_the_tile_and_fills_the_events_panel(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    camera = ScriptedCamera(mediamtx.endpoints.rtsp_url("yard"), tmp_path / "yard.log", MotionScript(moves=((18, 21),)))
    camera.start()
    core = qt_core_factory(minio)

    async def scenario() -> None:
        wait_path_ready(mediamtx, "yard")
        yard = core.add_camera("Yard", mediamtx.endpoints.rtsp_url("yard")).value
        other = core.add_camera("Other", "rtsp://127.0.0.1:9/none").value
        core.set_motion_settings(str(yard.id), MotionSettings(masks=(SWING_REGION,)))
        assert core.motion is not None
        started_at: list[float] = []
        core.motion.listeners.append(
            lambda n: started_at.append(time.monotonic()) if n.kind is NoticeKind.STARTED else None
        )
        notices: list[MotionNotice] = []
        core.motion.listeners.append(notices.append)
        await core.start()
        await window.attach_core(core).populate()
        tile = next(t for t in window.grid.tiles() if t.camera_id == str(yard.id))
        # The last tile of the layout, empty, is chosen as the alarm tile (focused, Ctrl+Alt+A).
        alarm_index = len(window.grid.tiles()) - 1
        alarm_tile = window.grid.tile_at(alarm_index)
        assert alarm_tile.is_empty
        window.keyboard.focus_tile(alarm_index)
        window.actions_by_name["alarm_tile"].trigger()
        assert alarm_tile.bar.alarm_label.isVisibleTo(window) and window.motion is not None
        await until(lambda: core.motion is not None and core.motion.frames_seen(str(yard.id)) > 10, 20, "detecting")
        assert not lit(tile) and not tile.has_motion
        await until(lambda: bool(started_at), 25, "motion start")
        await until(lambda: lit(tile), 2, "lit border")
        assert time.monotonic() - started_at[0] <= 0.5, "the border lit more than 500 ms after motion start"
        # The alarm tile now shows the camera in motion, lit, with its badge bright, and goes live.
        await until(lambda: alarm_tile.camera_id == str(yard.id) and lit(alarm_tile), 3, "camera in the alarm tile")
        assert alarm_tile.bar.alarm_label.property("active") is True
        await until(lambda: alarm_tile.state == "live", 10, "the alarm tile plays the camera")
        assert window.motion is not None
        panel = window.motion.events_panel
        assert panel.list.count() == 1 and "Yard" in panel.list.item(0).text()
        await until(lambda: any(n.kind is NoticeKind.ENDED for n in notices), 15, "motion end")
        await until(lambda: not lit(tile), 2, "border back to normal")
        assert not lit(alarm_tile) and alarm_tile.camera_id == str(yard.id), "the alarm camera stays, dimmed"
        assert alarm_tile.bar.alarm_label.property("active") is False
        assert panel.list.count() == 1 and "now" not in panel.list.item(0).text()
        assert not panel.list.item(0).icon().isNull()  # the event's picture at its peak

        # Filter: the other camera has no events; back to all cameras shows it again.
        panel.camera_filter.setCurrentIndex(panel.camera_filter.findData(str(other.id)))
        assert panel.list.count() == 0
        panel.camera_filter.setCurrentIndex(panel.camera_filter.findData(str(yard.id)))
        assert panel.list.count() == 1 and not panel.list.item(0).icon().isNull()  # reloaded from the catalog
        requested: list[tuple[str, datetime]] = []
        panel.play_requested.connect(lambda camera_id, moment: requested.append((camera_id, moment)))
        panel.list.itemActivated.emit(panel.list.item(0))
        event = core.motion.store.events(str(yard.id))[0]
        play_from = datetime.fromtimestamp(event.start, UTC) - core.motion_pre_roll
        assert requested == [(str(yard.id), play_from)]
        # The recordings browser takes it (this camera recorded nothing, and says so for that moment).
        recordings = window.recordings_panel
        assert recordings is not None and window.tabs.currentWidget() is recordings
        await until(lambda: f"{local_time(play_from):%Y-%m-%d %H:%M:%S}" in recordings.message.text(), 10,
                    "the browser asked for the event's start minus the pre-roll")  # fmt: skip
        window.tabs.setCurrentIndex(0)

        # Motion search: a region drawn with the mouse over the block's path finds the event's seconds; the
        # masked corner, where the swing moves all the time, finds nothing.
        assert event.end is not None
        await search_motion(window, str(yard.id), event.start, event.end, BLOCK_BAND,
                            [(int(event.start), int(event.end) + 1)], core.motion_pre_roll)  # fmt: skip
        await search_motion(window, str(yard.id), event.start, event.end, SWING_CORNER, [], core.motion_pre_roll)
        # The recordings timeline draws the stored event as its motion band.
        moment = datetime.fromtimestamp(event.start, UTC)
        hour = timedelta(hours=1)
        timeline = await recordings.controller.timeline(str(yard.id), moment - hour, moment + hour)
        assert timeline.motion == [(moment, datetime.fromtimestamp(event.end, UTC))]

        # The motion dialog of the selected camera shows its current picture and its stored mask; saving a
        # change reaches the catalog and restarts detection with it.
        item = window.camera_list.item_for(str(yard.id))
        assert item is not None
        window.camera_list.setCurrentItem(item)
        dialog = window.motion.dialog()
        assert dialog is not None and dialog.editor.still is not None and dialog.editor.still.width() == 320
        assert dialog.editor.masks == [SWING_REGION] and dialog.enabled.isChecked()
        dialog.sensitivity.setValue(80)
        window.motion.save(dialog)
        saved = core.motion.store.settings(str(yard.id))
        assert saved.sensitivity == 80 and saved.masks == (SWING_REGION,)
        await until(lambda: core.motion is not None and core.motion.settings_of(str(yard.id)) == saved, 15, "restarted")
        await until(lambda: core.motion is not None and core.motion.frames_seen(str(yard.id)) > 3, 15, "detecting")
        # Editing the camera restarts its stream: detection comes back with it.
        await window._restart_camera(str(yard.id))
        assert core.motion.watching(str(yard.id))
        await until(lambda: core.motion is not None and core.motion.frames_seen(str(yard.id)) > 3, 15, "back")

    try:
        run(qasync_loop, scenario(), timeout=120)
    finally:
        camera.stop()


def test_the_timeline_shows_motion_as_a_band_under_the_recording(qtbot) -> None:  # type: ignore[no-untyped-def]
    from vidstream_desktop.recordings.controller import TimelineData
    from vidstream_desktop.recordings.timeline import TimelineWidget, TimeWindow

    day = datetime(2026, 1, 5, tzinfo=UTC)
    window = TimeWindow(day)
    widget = TimelineWidget("cam", "Yard", window)
    qtbot.addWidget(widget)
    widget.resize(1000, widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    busy = (day.replace(hour=12), day.replace(hour=13))
    widget.set_data(TimelineData("cam", day, window.day_end, [], [], [busy]))
    (rect,) = widget.motion_rects()
    image = widget.grab().toImage()
    inside = image.pixelColor(int(rect.center().x()), int(rect.center().y()))
    outside = image.pixelColor(int(rect.left()) - 40, int(rect.center().y()))
    assert inside.red() - inside.blue() > 60, inside.name()  # amber (over the panel) where there was motion
    assert abs(outside.red() - outside.blue()) < 30, outside.name()  # the plain grey track elsewhere
    # Density: a half hour with an event every minute draws denser than a lone one-minute event.
    busy_half_hour = [(day.replace(hour=9, minute=m), day.replace(hour=9, minute=m, second=40)) for m in range(30)]
    lone = (day.replace(hour=16), day.replace(hour=16, minute=1))
    widget.set_data(TimelineData("cam", day, window.day_end, [], [], [*busy_half_hour, lone]))
    rects = widget.motion_rects()
    image = widget.grab().toImage()

    def amber(rect: QRectF) -> int:
        colour = image.pixelColor(int(rect.center().x()), int(rect.center().y()))
        return colour.red() - colour.blue()

    dense, sparse = amber(rects[15]), amber(rects[-1])
    assert dense > sparse + 20, (dense, sparse)
    widget.set_data(TimelineData("cam", day, window.day_end, [], [], []))
    assert widget.motion_rects() == []


def test_the_mask_editor_draws_polygons_in_picture_fractions(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage
    from PySide6.QtTest import QTest

    from vidstream_desktop.motion_dialog import MotionDialog

    still = QImage(320, 180, QImage.Format.Format_Grayscale8)
    still.fill(128)
    dialog = MotionDialog("Yard", MotionSettings(enabled=False), still)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    editor = dialog.editor
    area = editor.picture_rect()

    def at(x: float, y: float) -> QPoint:
        return QPoint(round(area.left() + x * area.width()), round(area.top() + y * area.height()))

    for x, y in ((0.1, 0.1), (0.5, 0.1), (0.5, 0.5)):
        QTest.mouseClick(editor, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(x, y))
    QTest.mouseDClick(editor, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.5, 0.5))
    assert len(editor.masks) == 1
    corners = editor.masks[0]
    assert len(corners) >= 3
    for (x, y), (ex, ey) in zip(corners[:3], ((0.1, 0.1), (0.5, 0.1), (0.5, 0.5)), strict=True):
        assert abs(x - ex) < 0.01 and abs(y - ey) < 0.01
    # Two corners are no mask: dropped when closed.
    QTest.mouseClick(editor, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.8, 0.8))
    QTest.mouseClick(editor, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(0.9, 0.8))
    dialog.close_button.click()
    assert len(editor.masks) == 1 and editor.drawing == []
    # The mask shows on the picture (red over the grey still), nowhere else.
    image = editor.grab().toImage()
    inside, outside = image.pixelColor(at(0.4, 0.2)), image.pixelColor(at(0.8, 0.8))
    assert inside.red() > inside.green() + 30 and abs(outside.red() - outside.green()) < 10
    dialog.enabled.setChecked(True)
    dialog.sensitivity.setValue(70)
    dialog.min_area.setValue(1.5)
    settings = dialog.settings()
    assert settings.enabled and settings.sensitivity == 70 and abs(settings.min_area - 0.015) < 1e-9
    assert settings.masks == tuple(editor.masks)
    dialog.clear_button.click()
    assert dialog.settings().masks == ()
