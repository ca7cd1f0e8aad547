"""Digital zoom on the wall, on the real core, MediaMTX and libvlc: a camera whose picture is four coloured
quarters (red, green, blue, white) plays in a tile of a 2x2 wall from its sub-stream; the wheel over the red
quarter fills the whole tile with red (pixels on screen) and switches the tile to the main stream; a drag moves
the zoomed view to the green quarter; zooming all the way out shows the four quarters again, from the
sub-stream. The pure view arithmetic is checked alone too."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import delete_now, run
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.fixtures.waiting import until
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import wait_for_retired_players
from vidstream_desktop.wall.zoom_mouse import ZoomMouse, picture_rect
from vidstream_desktop.wall.zoom_view import ZoomView

pytestmark = pytest.mark.gui
RED, GREEN, BLUE, WHITE = QColor(255, 0, 0), QColor(0, 255, 0), QColor(0, 0, 255), QColor(255, 255, 255)


def quarters_picture(width: int, height: int) -> list[str]:
    """ffmpeg's input and H.264 encoding of the four-quarter picture (the noise makes every frame a new one)."""
    half_w, half_h = width // 2, height // 2
    boxes = [(half_w, 0, "lime"), (0, half_h, "blue"), (half_w, half_h, "white")]
    picture = ",".join([f"color=c=red:s={width}x{height}:r=25",
                        *(f"drawbox=x={x}:y={y}:w={half_w}:h={half_h}:color={c}:t=fill" for x, y, c in boxes),
                        "noise=alls=2:allf=t"])  # fmt: skip
    return ["-f", "lavfi", "-i", picture, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", "25", "-pix_fmt", "yuv420p"]  # fmt: skip


FFMPEG = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"]


@pytest.fixture
def quarters_camera(mediamtx: MediaMTXServer, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The camera's main stream (640x360) and its sub-stream (320x180), as camera URLs."""
    urls = (mediamtx.endpoints.rtsp_url("quarters"), mediamtx.endpoints.rtsp_url("quarters-sub"))
    processes = []
    for index, (url, (width, height)) in enumerate(zip(urls, ((640, 360), (320, 180)), strict=True)):
        with (tmp_path / f"publisher{index}.log").open("wb") as log:
            argv = [*FFMPEG, "-re", *quarters_picture(width, height), "-f", "rtsp", "-rtsp_transport", "tcp", url]
            processes.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=log))
    try:
        wait_path_ready(mediamtx, "quarters")
        wait_path_ready(mediamtx, "quarters-sub")
        yield urls
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=5)


def colours_at(tile: VideoTile, points: list[tuple[float, float]]) -> list[QColor]:
    """Screen pixels of the tile's picture at `points` (fractions of the picture as shown)."""
    surface = tile.surface
    shown = picture_rect(surface, tile.player.video_size())
    origin = surface.mapToGlobal(QPoint(0, 0))
    image: QImage = QGuiApplication.primaryScreen().grabWindow(0, origin.x(), origin.y(), surface.width(),
                                                               surface.height()).toImage()  # fmt: skip
    return [image.pixelColor(int(shown.left() + x * shown.width()), int(shown.top() + y * shown.height()))
            for x, y in points]  # fmt: skip


def near(colour: QColor, want: QColor) -> bool:
    return all(abs(a - b) <= 40 for a, b in ((colour.red(), want.red()), (colour.green(), want.green()),
                                             (colour.blue(), want.blue())))  # fmt: skip


def wheel(tile: VideoTile, x: float, y: float, notches: int) -> None:
    """Wheel notches over the picture point (`x`, `y`) (fractions of the shown picture)."""
    surface = tile.surface
    shown = picture_rect(surface, tile.player.video_size())
    local = QPointF(shown.left() + x * shown.width(), shown.top() + y * shown.height())
    event = QWheelEvent(local, QPointF(surface.mapToGlobal(local)), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)  # fmt: skip
    QApplication.sendEvent(surface, event)


SPREAD = [(0.1, 0.1), (0.9, 0.1), (0.5, 0.5), (0.1, 0.9), (0.9, 0.9)]
QUARTERS = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)]


def test_the_wheel_magnifies_a_region_from_the_main_stream_and_a_drag_moves_it(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, minio: S3Target,
    quarters_camera: tuple[str, str],
) -> None:  # fmt: skip
    core = qt_core_factory(minio)

    async def scenario() -> None:
        main_url, sub_url = quarters_camera
        camera_id = str(core.add_camera("Quarters", main_url, sub_stream_url=sub_url).value.id)
        await core.start()
        wall = window.attach_core(core)
        window.grid.set_layout("2x2")
        await wall.populate()
        tile = next(t for t in window.grid.tiles() if t.camera_id == camera_id)
        await until(lambda: tile.state == "live" and tile.player.video_size() == (320, 180), 20, "the sub-stream")
        assert wall.wants_sub_stream(tile)

        def shows(points: list[tuple[float, float]], colours: list[QColor]) -> bool:
            return all(near(c, w) for c, w in zip(colours_at(tile, points), colours, strict=True))

        await until(lambda: shows(QUARTERS, [RED, GREEN, BLUE, WHITE]), 15, "the four quarters")
        assert not tile.bar.zoom_overview.isVisible()

        wheel(tile, 0.25, 0.25, 7)  # 1.25^7 = 4.8x about the middle of the red quarter
        assert tile.zoom.zoomed and tile.zoom.view.factor == pytest.approx(1.25**7)
        assert tile.bar.zoom_overview.isVisible() and "4.8×" in tile.bar.zoom_overview.toolTip()
        # Zoomed: the tile wants the camera's main stream, and shows it with the same view.
        await until(lambda: tile.state == "live" and tile.player.video_size() == (640, 360), 20, "the main stream")
        assert not wall.wants_sub_stream(tile)
        await until(lambda: shows(SPREAD, [RED] * len(SPREAD)), 15, "red across the whole picture")

        # Drag to the left by one and a half shown widths: the view moves right, into the green quarter.
        surface = tile.surface
        shown = picture_rect(surface, tile.player.video_size())
        start = QPoint(int(shown.center().x()), int(shown.center().y()))
        QTest.mousePress(surface, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for step in range(1, 7):
            QTest.mouseMove(surface, start - QPoint(int(shown.width() * 1.5 * step / 6), 0))
        QTest.mouseRelease(surface, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           start - QPoint(int(shown.width() * 1.5), 0))  # fmt: skip
        left, _top, span, _ = tile.zoom.view.visible()
        assert left > 0.5 and left + span <= 1.0, tile.zoom.view
        await until(lambda: shows(SPREAD, [GREEN] * len(SPREAD)), 15, "green across the whole picture")
        assert window.grid.maximized_tile is None, "the drag was taken for a click"

        wheel(tile, 0.5, 0.5, -20)  # all the way out
        assert not tile.zoom.zoomed and not tile.bar.zoom_overview.isVisible()
        await until(lambda: tile.state == "live" and tile.player.video_size() == (320, 180), 20, "the sub-stream again")
        await until(lambda: shows(QUARTERS, [RED, GREEN, BLUE, WHITE]), 15, "the four quarters again")

    run(qasync_loop, scenario(), timeout=120)


def test_the_zoom_view_keeps_the_point_under_the_cursor_and_stays_inside_the_picture() -> None:
    view = ZoomView().zoomed_about(0.25, 0.25, 4.0)
    left, top, span, _ = view.visible()
    assert span == pytest.approx(0.25)
    assert left + 0.25 * span == pytest.approx(0.25) and top + 0.25 * span == pytest.approx(0.25)
    assert view.crop_geometry(640, 360) == "280x158+120+68"  # libvlc 3's right and bottom edges, then x and y
    corner = ZoomView().zoomed_about(0.0, 0.0, 2.0).panned(0.9, 0.9)  # dragged past the top-left corner
    assert corner.visible()[:2] == (0.0, 0.0)
    assert ZoomView().zoomed_about(0.5, 0.5, 100.0).factor == 8.0
    assert ZoomView().zoomed_about(0.5, 0.5, 0.5) == ZoomView() and ZoomView().crop_geometry(640, 360) == ""


def test_the_recordings_player_zooms_into_a_recording(qapp, qasync_loop: qasync.QEventLoop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from vidstream_desktop.recordings.controller import PlaybackItem
    from vidstream_desktop.recordings.player import PlayerPanel

    clip = tmp_path / "quarters.mp4"
    subprocess.run([*FFMPEG, "-y", *quarters_picture(640, 360), "-t", "12", str(clip)], check=True, timeout=60)

    async def local(item: PlaybackItem, prefer_archive: bool) -> str:
        return str(clip)

    mouse = ZoomMouse(lambda _camera_id: False)  # as the main window's control room makes it, for every player
    panel = PlayerPanel(local)
    panel.resize(640, 420)
    panel.show()
    item = PlaybackItem(1, "r", datetime(2026, 1, 1, tzinfo=UTC), 12.0, str(clip), "k", False)

    def colours(points: list[tuple[float, float]]) -> list[QColor]:
        surface = panel.surface
        shown = picture_rect(surface, panel.zoom.video_size())
        origin = surface.mapToGlobal(QPoint(0, 0))
        image = QGuiApplication.primaryScreen().grabWindow(0, origin.x(), origin.y(), surface.width(),
                                                           surface.height()).toImage()  # fmt: skip
        return [image.pixelColor(int(shown.left() + x * shown.width()), int(shown.top() + y * shown.height()))
                for x, y in points]  # fmt: skip

    async def scenario() -> None:
        panel.load([item], "Quarters")
        await until(lambda: panel.state == "playing" and panel.zoom.video_size() == (640, 360), 15, "playing")
        await until(lambda: all(near(c, w) for c, w in zip(colours(QUARTERS), [RED, GREEN, BLUE, WHITE],
                                                              strict=True)), 10, "the four quarters")  # fmt: skip
        surface = panel.surface
        shown = picture_rect(surface, panel.zoom.video_size())
        local_point = QPointF(shown.left() + 0.75 * shown.width(), shown.top() + 0.75 * shown.height())
        event = QWheelEvent(local_point, QPointF(surface.mapToGlobal(local_point)), QPoint(0, 0), QPoint(0, 120 * 7),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)  # fmt: skip
        QApplication.sendEvent(surface, event)
        assert panel.zoom.zoomed and panel.zoom_overview.isVisible()
        await until(lambda: all(near(c, WHITE) for c in colours(SPREAD)), 10, "white across the picture")

    try:
        run(qasync_loop, scenario(), timeout=60)
    finally:
        panel.shutdown()
        run(qasync_loop, asyncio.to_thread(wait_for_retired_players, 5.0))  # libvlc lets go of the window first
        delete_now(panel)
        mouse.deleteLater()
