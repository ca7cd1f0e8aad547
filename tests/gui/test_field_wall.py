"""Field cameras on the wall: a codec that the transports this VLC opens cannot carry (M-JPEG: MediaMTX
sends it over RTSP only) is said in plain words on the tile, with no reconnect loop; the camera records.
A camera that is down when the app starts says on its tile that it is being retried, and plays and records
by itself once it is up; a camera that reboots at another picture size plays on at its new size."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
import qasync

from tests.fixtures.core import TEST_TUNING, CoreFactory
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


def test_a_camera_down_at_start_says_it_is_retried_on_its_tile_then_plays_and_records(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    tuning = dataclasses.replace(TEST_TUNING, ready_timeout=3.0, camera_retry_min_backoff=0.5)
    core = qt_core_factory(minio, tuning=tuning)
    camera_id = str(core.add_camera("Late", mediamtx.endpoints.rtsp_url("late")).value.id)  # nothing publishes yet
    publisher = FieldPublisher(FieldCamera(width=320, height=240), mediamtx.endpoints.rtsp_url("late"), tmp_path)

    def said_on_the_tile(tile_texts: tuple[str, str]) -> str:
        return next((text for text in tile_texts if "waiting for the camera, retrying in" in text), "")

    async def scenario() -> None:
        await core.start()
        core.keep_camera(camera_id, record=True)
        wall = window.attach_core(core)
        await wall.populate()
        (tile,) = wall.tiles_showing(camera_id)

        def texts() -> tuple[str, str]:
            return tile.surface.hint.text(), tile.bar.state_label.toolTip()

        await until(lambda: bool(said_on_the_tile(texts())), 30, "the tile says the camera is retried")
        said = said_on_the_tile(texts())
        assert " s" in said.split("retrying in", 1)[1], said
        assert tile.state != "live" and not core.is_recording(camera_id)
        assert "tileSnapshotButton" not in tile.bar.usable_tools()  # no picture to take

        publisher.start()  # the camera comes up
        await until(lambda: tile.state == "live", 45, "the tile plays once the camera is up")
        await moving_picture(tile)
        await until(lambda: core.is_recording(camera_id), 30, "the kept camera records")
        assert not said_on_the_tile(texts()), texts()

    try:
        run(qasync_loop, scenario(), timeout=120)
    finally:
        publisher.stop()


def test_a_camera_rebooting_at_another_resolution_plays_on_at_its_new_size(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    publisher = FieldPublisher(FieldCamera(width=320, height=180), mediamtx.endpoints.rtsp_url("gate"), tmp_path)
    publisher.start()
    try:
        wait_path_ready(mediamtx, "gate")
        core = qt_core_factory(minio)
        camera_id = str(core.add_camera("Gate", mediamtx.endpoints.rtsp_url("gate")).value.id)

        async def scenario() -> None:
            await core.start()
            wall = window.attach_core(core)
            await wall.populate()
            (tile,) = wall.tiles_showing(camera_id)
            await until(lambda: tile.state == "live", 20, "live")
            await moving_picture(tile)
            assert tile.player.video_size() == (320, 180), tile.player.video_size()

            publisher.stop()  # the camera reboots with a new stream profile
            publisher.start(FieldCamera(width=640, height=360))
            await until(lambda: tile.state == "live" and tile.player.video_size() == (640, 360), 45,
                        "live again at the new size")  # fmt: skip
            await moving_picture(tile)

        run(qasync_loop, scenario(), timeout=120)
    finally:
        publisher.stop()
