"""The desktop window attached to two remote recorder sites (real MediaMTX, recorders and MinIO): both sites'
cameras play side by side on one wall, and both sites' recordings show up in one recordings browser."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication

from tests.fixtures.qt import close_window, run
from tests.fixtures.servers import S3Target
from tests.fixtures.sites import running_sites, workstation
from tests.gui.test_main_window import until
from tests.gui.test_wall import mean_brightness, screen_pixels
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.resources import load_theme

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qapp, qasync_loop: qasync.QEventLoop, tmp_path: Path, mediamtx: MediaMTXServer) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    load_theme(qapp)
    main_window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main_window.resize(1280, 800)
    main_window.show()
    yield main_window
    close_window(qasync_loop, main_window)


def test_two_sites_on_one_wall_and_in_one_recordings_browser(
    qasync_loop: qasync.QEventLoop, window: MainWindow, mediamtx: MediaMTXServer, minio: S3Target, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_sites(tmp_path / "sites", minio) as sites:
            core = workstation(tmp_path, mediamtx, minio, sites)
            await core.start()
            try:
                wall = window.attach_core(core)
                await wall.populate()
                tiles = [tile for tile in window.grid.tiles() if tile.camera_id]
                assert sorted(t.camera_name for t in tiles) == ["Harbour · Gate", "Warehouse · Dock"]
                for tile in tiles:
                    await until(lambda tile=tile: tile.state == "live", 20, f"{tile.camera_name} live")
                    await until(lambda t=tile: mean_brightness(screen_pixels(t.surface)) > 30, 5, "a picture")
                    first, moved = screen_pixels(tile.surface), f"{tile.camera_name} moves"
                    # A site's stream crosses two servers, started moments ago on a shared machine: allow a stall
                    # after "live", never a frozen tile. The frame counts say which side stalled if it fails.
                    frames = (tile.player.decoded_frames(), tile.player.displayed_frames())
                    try:
                        await until(lambda t=tile, f=first: screen_pixels(t.surface) != f, 8, moved)
                    except AssertionError as frozen:
                        later = (tile.player.decoded_frames(), tile.player.displayed_frames())
                        raise AssertionError(f"{frozen}; {tile.state}, frames {frames} then {later}") from None
                    site = next(s for s in sites if s.camera_id == tile.camera_id)
                    target = tile.player.target
                    assert target is not None
                    # From the site: through the relay from its RTSP port, or straight from its SRT port.
                    endpoints = site.mediamtx.endpoints
                    port = endpoints.rtsp_port if target.transport.value == "relay" else endpoints.srt_port
                    assert f"127.0.0.1:{port}" in target.url, target.url
                health = await wall.refresh_health()
                assert health.cameras_online == 2 and not health.site_errors
                assert "2/2" in window.health_bar.cameras.text()
                assert "Sites 2/2" in window.health_bar.sites.text() and window.health_bar.sites.level == "ok"

                if shots := os.environ.get("VIDSTREAM_SCREENSHOT_DIR"):  # the README's multi-site picture
                    await asyncio.sleep(1.0)
                    QGuiApplication.primaryScreen().grabWindow(0).save(str(Path(shots) / "multi-site.png"))

                # Harbour's media server stops: its tile and the status bar say so, Warehouse plays on.
                sites[1].mediamtx.stop()
                health = await wall.refresh_health()
                assert "harbour" in health.site_errors
                assert "Sites 1/2" in window.health_bar.sites.text() and window.health_bar.sites.level == "warning"
                sites[1].mediamtx.start()

                # A site camera's record button explains who records it instead of pretending.
                assert not await wall.toggle_recording(sites[0].camera_id)
                assert not core.is_recording(sites[0].camera_id)

                panel = window.recordings_panel
                assert panel is not None
                panel.refresh_from_archive()
                for site in sites:
                    recording_id = site.recording_ids[0]
                    await until(lambda r=recording_id: panel.model.index_of(r).isValid(), 15, "archive merged")
                    row = panel.model.row_at(panel.model.index_of(recording_id).row())
                    assert row is not None and row.state == "archived"
                    assert row.camera_name.startswith(site.settings.name + " · ")
                    assert row.camera_id in panel.timeline.rows
                # A recording of a remote site plays from that site's archive.
                panel.select_recording(sites[1].recording_ids[0])
                panel.play_selected()
                await until(lambda: panel.player.state == "playing" and panel.player.has_picture(), 15, "plays")
                panel.player.stop()
            finally:
                assert window.grid.stop_all(wait_s=10), "a player did not stop"  # before the sites go away
                if window.recordings_panel is not None:
                    await window.recordings_panel.aclose()  # its reads and player first, as the app quits
                await core.close()
                await asyncio.sleep(0)

    run(qasync_loop, scenario(), timeout=180)
