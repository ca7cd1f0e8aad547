"""An M-JPEG camera plays live on the wall: MediaMTX sends M-JPEG over RTSP only and ffmpeg's MPEG-TS cannot
carry it, so the relay writes multipart JPEG for it (adapters/live_relay.py, relay_format). Real MediaMTX,
an ffmpeg M-JPEG camera, ffmpeg relays and libvlc under Xvfb: the tile says LIVE and its pixels move."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtGui import QImage

from tests.fixtures.core import CoreFactory
from tests.fixtures.environment import missing_prerequisite
from tests.fixtures.field_cameras import FieldCamera, FieldPublisher
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.fixtures.waiting import until
from tests.gui.test_wall import mean_brightness, screen_pixels, themed, wait_state  # noqa: F401 - themed is a fixture
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import Transport, detect_transports, wait_for_retired_players

pytestmark = pytest.mark.gui

MJPEG = FieldCamera(video="mjpeg", width=320, height=240)  # RTP/JPEG sizes are multiples of 8


@pytest.fixture(autouse=True)
def relay_available() -> None:
    if Transport.RELAY not in detect_transports():
        missing_prerequisite("the live relay needs ffmpeg and libvlc's file and ts plugins (make setup installs them)")


@pytest.fixture
def mjpeg_camera(mediamtx: MediaMTXServer, tmp_path: Path) -> Iterator[FieldPublisher]:
    publisher = FieldPublisher(MJPEG, mediamtx.endpoints.rtsp_url("mj"), tmp_path)
    publisher.start()
    try:
        tracks = wait_path_ready(mediamtx, "mj").get("tracks")
        assert tracks == ["M-JPEG"], tracks
        yield publisher
    finally:
        publisher.stop()


def distinct_pictures(qtbot, tile: VideoTile, want: int, within_s: float) -> int:  # type: ignore[no-untyped-def]
    """How many different lit pictures the tile shows on screen, sampled until `want` are seen or `within_s`
    ends."""
    seen: list[QImage] = []
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and len(seen) < want:
        image = screen_pixels(tile.surface)
        if mean_brightness(image) > 30 and all(image != other for other in seen):
            seen.append(image)
        qtbot.wait(120)
    return len(seen)


def test_a_relayed_mjpeg_tile_is_live_and_its_picture_moves(qtbot, themed, mediamtx, mjpeg_camera) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(480, 380)
    tile.show()
    qtbot.waitExposed(tile)
    tile.assign("mj", "Dock", mediamtx.endpoints.rtsp_url("mj"), Transport.RELAY, video_codec="M-JPEG")
    relay = tile.player.relay
    assert relay is not None and relay.container == "mjpeg"
    wait_state(qtbot, tile, "live", timeout_s=20)
    assert tile.bar.state_label.property("state") == "live"
    qtbot.waitUntil(lambda: tile.player.video_size() == (320, 240), timeout=3000)
    # The camera sends 10 pictures a second: 5 different ones within 3 s is a moving picture.
    moving = distinct_pictures(qtbot, tile, 5, 3.0)
    assert moving >= 5, f"only {moving} different pictures on screen in 3 s"
    assert tile.state == "live", tile.player.detail
    assert tile.player.connection_count == 1, "no reconnect"
    tile.clear()
    assert relay.wait_closed(5) and wait_for_retired_players(5)


def test_a_relay_not_told_the_codec_finds_mjpeg_itself_and_the_tile_plays(  # type: ignore[no-untyped-def]
    qtbot, themed, mediamtx, mjpeg_camera,  # noqa: F811
) -> None:  # fmt: skip
    # As for a site's camera, whose codec the core does not know: the first run writes MPEG-TS, ffmpeg says
    # the M-JPEG track became "private data", and the relay and then the player switch to multipart JPEG.
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(480, 380)
    tile.show()
    qtbot.waitExposed(tile)
    tile.assign("mj", "Dock", mediamtx.endpoints.rtsp_url("mj"), Transport.RELAY)
    relay = tile.player.relay
    assert relay is not None and relay.container == "ts"
    wait_state(qtbot, tile, "live", timeout_s=20)
    assert relay.container == "mjpeg" and tile.player.relay is relay
    moving = distinct_pictures(qtbot, tile, 5, 3.0)
    assert moving >= 5, f"only {moving} different pictures on screen in 3 s"
    tile.clear()
    assert relay.wait_closed(5) and wait_for_retired_players(5)


def test_an_mjpeg_camera_that_drops_comes_back_on_the_same_relay(  # type: ignore[no-untyped-def]
    qtbot, themed, mediamtx, mjpeg_camera,  # noqa: F811
) -> None:  # fmt: skip
    # A restarted ffmpeg writes a new multipart stream into the same FIFO, after whatever part of a frame the
    # killed one left: libvlc's mjpeg demuxer finds the next boundary and the picture moves again.
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(480, 380)
    tile.show()
    qtbot.waitExposed(tile)
    tile.assign("mj", "Dock", mediamtx.endpoints.rtsp_url("mj"), Transport.RELAY, video_codec="M-JPEG")
    wait_state(qtbot, tile, "live", timeout_s=20)
    relay = tile.player.relay
    assert relay is not None
    first_pid = relay.pid
    mjpeg_camera.stop()
    wait_state(qtbot, tile, "offline", timeout_s=10)
    mjpeg_camera.start()
    wait_path_ready(mediamtx, "mj")
    wait_state(qtbot, tile, "live", timeout_s=30)
    assert tile.player.relay is relay and relay.pid not in (None, first_pid), "the same relay, a new ffmpeg"
    moving = distinct_pictures(qtbot, tile, 5, 3.0)
    assert moving >= 5, f"only {moving} different pictures on screen in 3 s after the camera came back"
    tile.clear()
    assert relay.wait_closed(5) and wait_for_retired_players(5)


def test_the_wall_plays_an_mjpeg_camera_over_the_relay(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target, mjpeg_camera: FieldPublisher,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    camera_id = str(core.add_camera("Dock", mediamtx.endpoints.rtsp_url("mj")).value.id)

    async def scenario() -> None:
        await core.start()
        await window.attach_core(core).populate()
        [tile] = [t for t in window.grid.tiles() if t.camera_id == camera_id]
        await until(lambda: tile.state == "live", 25, "the M-JPEG tile goes live")
        assert tile.transport is Transport.RELAY and tile.bar.transport_label.text() == "RELAY"
        relay = tile.player.relay
        assert relay is not None and relay.container == "mjpeg"
        seen: list[QImage] = []

        def another_picture() -> bool:
            image = screen_pixels(tile.surface)
            if mean_brightness(image) > 30 and all(image != other for other in seen):
                seen.append(image)
            return len(seen) >= 5

        await until(another_picture, 3, "five different pictures on the tile", every=0.12)
        assert tile.state == "live" and tile.player.connection_count == 1, tile.player.detail

    run(qasync_loop, scenario(), timeout=90)
