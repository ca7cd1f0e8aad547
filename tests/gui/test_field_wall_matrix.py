"""Every kind of field camera on one live wall, through the app's own path (a camera-side RTSP server asking
for digest credentials, the app's MediaMTX pulling from it, the wall's transport into libvlc): each tile
says LIVE and its picture, read from the screen, moves.

Kinds are data: a new one is one line in WALL_KINDS. All tiles play at once in one window, as an operator
sees them, which also keeps the test short on a small machine. The big pictures (1080p, 4K) each play on a
wall of their own: slow cameras (5 and 2 fps here) whose every frame libvlc dropped as late until the relay
gave them more cache (RELAY_LOW_FPS in vlc_backend.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtGui import QGuiApplication, QImage

from tests.fixtures.core import CoreFactory
from tests.fixtures.field_cameras import CameraServer, FieldCamera, FieldPublisher
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.gui.test_wall import mean_brightness, screen_pixels
from video_streaming.live_transports import carries
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import detect_transports

pytestmark = pytest.mark.gui

# Tile name -> the camera. Every video codec and form (B-frames or not) and every audio kind of the camera
# matrix (tests/integration/test_field_cameras.py) appears at least once. Tiles are muted, so the audio is
# on the camera's side only, where MediaMTX must still serve the video of such a stream.
WALL_KINDS: dict[str, FieldCamera] = {
    "H.264 + AAC": FieldCamera(audio="aac"),
    "H.264 B-frames + AAC": FieldCamera(audio="aac", bframes=True),
    "H.264 + G.711 A-law": FieldCamera(audio="alaw"),
    "H.265 + G.711 mu-law": FieldCamera(video="h265", audio="mulaw"),
    "H.265 B-frames + Opus": FieldCamera(video="h265", audio="opus", bframes=True),
    "H.264 B-frames, no audio": FieldCamera(bframes=True),
}
# M-JPEG joins the wall wherever a transport this libvlc opens carries it (MediaMTX sends it over RTSP only).
if any(carries(transport.value, "M-JPEG") for transport in detect_transports()):
    WALL_KINDS["M-JPEG"] = FieldCamera(video="mjpeg", width=320, height=240)  # RTP/JPEG sizes: multiples of 8

# Big pictures, cheaply (a low frame rate): each on a wall of its own, so two cores decode them in time.
LARGE_KINDS: dict[str, FieldCamera] = {
    "H.264 1920x1080": FieldCamera(width=1920, height=1080, fps=5, gop=5),  # ~95 KB a frame
    "H.264 3840x2160": FieldCamera(width=3840, height=2160, fps=2, gop=2),  # the largest size: ~450 KB a frame
}

LIVE_TIMEOUT_S = 60.0  # every camera starting at once on two cores, x265 among them
MOVING_TIMEOUT_S = 15.0  # the slowest camera (2 fps) changes its picture every 0.5 s; a loaded machine stalls


@pytest.fixture
def camera_server(tmp_path: Path) -> Iterator[CameraServer]:
    server = CameraServer(tmp_path / "camera-server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def publishers(tmp_path: Path) -> Iterator[list[FieldPublisher]]:
    started: list[FieldPublisher] = []
    yield started
    for publisher in started:
        publisher.stop()


def says_live(tile: VideoTile) -> bool:
    """The bar's word, or on a narrow bar its dot's tooltip."""
    label = tile.bar.state_label
    return label.text().endswith("LIVE") or label.toolTip().startswith("LIVE")


def describe(tile: VideoTile) -> str:
    label = tile.bar.state_label
    return f"{tile.camera_name}: {label.text()} ({label.toolTip()})"


def looks_like_a_picture(image: QImage) -> bool:
    """testsrc2 is bright and colourful; an empty tile is black with at most a line of grey text."""
    colours = {image.pixel(x, y) for y in range(0, image.height(), 16) for x in range(0, image.width(), 16)}
    return mean_brightness(image) > 30 and len(colours) > 12


async def picture_changes(tile: VideoTile, times: int) -> None:
    """The tile's screen pixels change `times` times, each change seen while the tile says LIVE and shows a
    camera's picture: a moving picture, not one frame. On a loaded machine a tile may stall for a moment; it
    then says so, and what it shows meanwhile does not count."""
    previous = screen_pixels(tile.surface)
    seen = 0
    began = time.monotonic()
    while seen < times:
        if time.monotonic() - began > MOVING_TIMEOUT_S:
            raise AssertionError(f"{describe(tile)}: its picture changed {seen} of {times} times while live "
                                 f"within {MOVING_TIMEOUT_S:.0f} s")  # fmt: skip
        await asyncio.sleep(0.05)
        current = screen_pixels(tile.surface)
        if current != previous and tile.state == "live" and says_live(tile) and looks_like_a_picture(current):
            seen += 1
        previous = current


def save_screenshot(window: MainWindow, path: Path) -> None:
    origin = window.mapToGlobal(window.rect().topLeft())
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0, origin.x(), origin.y(), window.width(), window.height()).save(str(path))


def play_wall(
    kinds: dict[str, FieldCamera], loop: qasync.QEventLoop, window: MainWindow, core_factory: CoreFactory,
    camera_server: CameraServer, publishers: list[FieldPublisher], minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    """Publish every kind, add each as an operator would (its URL with the camera's login), open the wall and
    check every tile; a screenshot of the wall is left in `tmp_path` whatever the outcome."""
    for index, camera in enumerate(kinds.values()):
        publisher = FieldPublisher(camera, camera_server.url(f"kind{index}"), tmp_path)
        publisher.start()
        publishers.append(publisher)
    for index in range(len(kinds)):
        wait_path_ready(camera_server.server, f"kind{index}", timeout=30)
    core = core_factory(minio)
    ids = {str(core.add_camera(name, camera_server.url(f"kind{index}")).value.id): name
           for index, name in enumerate(kinds)}  # fmt: skip
    window.settings.setValue("wall/layout", "3x3")

    async def scenario() -> None:
        began = time.monotonic()
        await core.start()
        await window.attach_core(core).populate()
        tiles = [tile for tile in window.grid.tiles() if tile.camera_id]
        assert {tile.camera_id: tile.camera_name for tile in tiles} == ids
        try:
            waiting = list(tiles)
            while waiting:  # all at once: one slow camera must not hide how the others do
                waiting = [tile for tile in waiting if not (tile.state == "live" and says_live(tile))]
                if waiting and time.monotonic() - began > LIVE_TIMEOUT_S:
                    raise AssertionError(f"not live within {LIVE_TIMEOUT_S:.0f} s: {[describe(t) for t in waiting]}")
                await asyncio.sleep(0.1)
            for tile in tiles:
                await picture_changes(tile, times=2)
        finally:
            save_screenshot(window, tmp_path / "field-wall-matrix.png")

    run(loop, scenario(), timeout=LIVE_TIMEOUT_S + len(kinds) * MOVING_TIMEOUT_S + 30)


@pytest.mark.timeout(240)
def test_every_camera_kind_plays_live_and_moving_on_one_wall(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, camera_server: CameraServer,
    publishers: list[FieldPublisher], minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    play_wall(WALL_KINDS, qasync_loop, window, qt_core_factory, camera_server, publishers, minio, tmp_path)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", list(LARGE_KINDS))
def test_a_big_slow_camera_plays_live_and_moving(  # type: ignore[no-untyped-def]
    name: str, qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory,
    camera_server: CameraServer, publishers: list[FieldPublisher], minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    kinds = {name: LARGE_KINDS[name]}
    play_wall(kinds, qasync_loop, window, qt_core_factory, camera_server, publishers, minio, tmp_path)
