"""Field cameras on the wall: a codec that the transports this VLC opens cannot carry (M-JPEG: MediaMTX
sends it over RTSP only) is said in plain words on the tile, with no reconnect loop; the camera records."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import qasync

from tests.fixtures.core import CoreFactory
from tests.fixtures.field_cameras import FieldCamera, FieldPublisher
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.gui.test_main_window import moving_picture, until
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.vlc_backend import Transport, detect_transports

pytestmark = pytest.mark.gui


def test_an_mjpeg_camera_says_why_it_cannot_play_live_instead_of_reconnecting_and_still_records(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    publisher = FieldPublisher(FieldCamera(video="mjpeg", width=320, height=240), mediamtx.endpoints.rtsp_url("mj"),
                               tmp_path)  # fmt: skip
    publisher.start()
    try:
        wait_path_ready(mediamtx, "mj")
        core = qt_core_factory(minio)
        camera_id = str(core.add_camera("Dock", mediamtx.endpoints.rtsp_url("mj")).value.id)

        async def scenario() -> None:
            await core.start()
            await window.attach_core(core).populate()
            tile = window.grid.tiles()[0]
            transports = detect_transports()
            if Transport.RTSP in transports or Transport.RELAY in transports:  # both read MediaMTX's RTSP
                await until(lambda: tile.state == "live", 20, "live over RTSP or the relay")
                await moving_picture(tile)
            else:
                await until(lambda: "M-JPEG" in tile.bar.state_label.toolTip(), 10, "the reason on the tile")
                reason = tile.bar.state_label.toolTip()
                assert "RTSP" in reason and "cannot play" in reason, reason
                await asyncio.sleep(2.5)  # long enough for a reconnect loop to show itself
                assert tile.player.connection_count == 0, "the tile kept trying a transport that cannot carry it"
                assert "M-JPEG" in tile.bar.state_label.toolTip()
            recorded = await core.record(camera_id)
            assert recorded.is_success, recorded.error

        run(qasync_loop, scenario(), timeout=60)
    finally:
        publisher.stop()
