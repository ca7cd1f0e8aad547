"""Which transport a tile reads a camera over, on the real core: the app's own MediaMTX wants a login from
every reader, and libvlc's HLS player cannot send one, so a camera set to HLS plays over SRT instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import close_window, run
from tests.fixtures.servers import CameraFactory, S3Target
from tests.fixtures.waiting import until
from tests.gui.test_wall import mean_brightness, screen_pixels
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.resources import load_theme
from vidstream_desktop.wall.vlc_backend import Transport, opens_with_login

pytestmark = pytest.mark.gui


def test_hls_cannot_carry_a_login_and_the_others_can() -> None:
    assert not opens_with_login(Transport.HLS, "http://reader:secret@127.0.0.1:8888/cam/index.m3u8")
    assert opens_with_login(Transport.HLS, "http://127.0.0.1:8888/cam/index.m3u8")
    assert opens_with_login(Transport.SRT, "srt://127.0.0.1:8890?streamid=read:cam:reader:secret")
    assert opens_with_login(Transport.RTMP, "rtmp://reader:secret@127.0.0.1:1935/cam")


@pytest.fixture
def window(  # type: ignore[no-untyped-def]
    qapp,
    qasync_loop: qasync.QEventLoop,
    qt_core_factory: CoreFactory,  # set up first, so the cores are closed after the window, as the app does
    tmp_path: Path,
    mediamtx: MediaMTXServer,
    camera_factory: CameraFactory,
) -> Iterator[MainWindow]:
    load_theme(qapp)
    main_window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main_window.resize(1000, 700)
    main_window.show()
    yield main_window
    assert main_window.grid.stop_all(wait_s=10), "a player did not stop"
    close_window(qasync_loop, main_window)


def test_a_camera_set_to_hls_plays_over_a_transport_that_sends_the_login(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    camera_factory("cam1")
    camera_id = str(core.add_camera("Lobby", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    window.settings.setValue(f"cameras/{camera_id}/transport", Transport.HLS.value)

    async def scenario() -> None:
        await core.start()
        wall = window.attach_core(core)
        if Transport.HLS not in wall.transports:
            pytest.skip("this libvlc cannot open HLS at all")
        await wall.populate()
        [tile] = [t for t in window.grid.tiles() if t.camera_id == camera_id]
        await until(lambda: tile.state == "live", 20, "the tile goes live")
        assert tile.transport is not Transport.HLS and tile.transport in wall.transports
        assert opens_with_login(tile.transport, tile.url)
        first = screen_pixels(tile.surface)
        await until(lambda: screen_pixels(tile.surface) != first and mean_brightness(screen_pixels(tile.surface)) > 30,
                    5, "a moving picture")  # fmt: skip

    run(qasync_loop, scenario(), timeout=90)
