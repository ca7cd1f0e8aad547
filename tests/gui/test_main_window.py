"""The main window on the real core (MediaMTX + synthetic cameras + MinIO): the wall plays, one click
records into the catalog and onto disk, a dropped camera shows offline and comes back, health shows
in the status bar, and the camera dialog refuses a malformed URL.

Each scenario is one coroutine on the qasync loop, as the app runs: Qt paints, VLC plays and the
core's tasks progress together while the test awaits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import qasync

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import CameraFactory, S3Target
from tests.gui.test_wall import mean_brightness, screen_pixels
from video_streaming.catalog import SegmentState
from video_streaming.core import VidStreamCore
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera
from vidstream_desktop.camera_dialog import CameraDialog
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.tile import VideoTile

pytestmark = pytest.mark.gui


async def until(predicate: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def moving_picture(tile: VideoTile) -> None:
    # "live" is reported on VLC's first video output; give the first decoded picture a moment to land. A relay
    # that has just been restarted (the camera came back) can hold the picture for up to ~1 s after its first
    # frames while libvlc resyncs to the new stream's clock: the picture must move within 3 s, not at once.
    await until(lambda: mean_brightness(screen_pixels(tile.surface)) > 30, 3, f"{tile.camera_name} shows a picture")
    first = screen_pixels(tile.surface)
    assert mean_brightness(first) > 30, "black tile"
    await until(lambda: screen_pixels(tile.surface) != first, 3, f"{tile.camera_name}'s picture moving (frozen tile)")


async def start_wall(
    window: MainWindow, core: VidStreamCore, mediamtx: MediaMTXServer, camera_factory: CameraFactory, count: int
) -> list[str]:
    camera_ids = []
    for index in range(1, count + 1):
        camera_factory(f"cam{index}")
        camera_ids.append(str(core.add_camera(f"Camera {index}", mediamtx.endpoints.rtsp_url(f"cam{index}")).value.id))
    await core.start()
    await window.attach_core(core).populate()
    return camera_ids


def test_demo_wall_plays_records_with_one_click_and_reports_health(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)

    async def scenario() -> None:
        camera_ids = await start_wall(window, core, mediamtx, camera_factory, 4)
        tiles = window.grid.tiles()
        assert [t.camera_id for t in tiles] == camera_ids
        for tile in tiles:
            await until(lambda tile=tile: tile.state == "live", 20, f"{tile.camera_name} live")
        for tile in tiles:
            await moving_picture(tile)

        # One click on the tile's record button records through the core; the REC dot follows.
        first = tiles[0]
        window.grid.record_clicked.emit(0)
        await until(lambda: core.is_recording(camera_ids[0]) and first.is_recording, 5, "recording started")
        assert not tiles[1].is_recording
        await asyncio.sleep(4.5)
        recording = core.active_recordings[camera_ids[0]]
        assert any(Path(core.service.recording_dirs[recording.id]).glob("*.mp4"))
        window.grid.record_clicked.emit(0)
        await until(lambda: not core.is_recording(camera_ids[0]) and not first.is_recording, 10, "recording stopped")
        row = core.catalog.recording(recording.id)
        assert row is not None and row.status == "stopped" and row.ended_at is not None
        assert await core.archiver.drain(timeout=20), core.archiver.status
        segments = core.catalog.segments(recording_id=str(recording.id))
        assert segments and all(s.state is SegmentState.ARCHIVED for s in segments)

        # Health reaches the status bar.
        health = await window.wall.refresh_health()  # type: ignore[union-attr]
        assert health.mediamtx_ok and health.cameras_online == 4
        assert window.health_bar.mediamtx.level == "ok" and "4/4" in window.health_bar.cameras.text()

    run(qasync_loop, scenario(), timeout=120)


def test_record_all_starts_every_camera_at_once_and_lists_each_failure(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    from video_streaming.runtime.ports import free_tcp_port

    core = qt_core_factory(minio)
    camera_factory("cam1")
    # First in the list: a camera nobody answers for (its start waits for MediaMTX's ready timeout).
    dead = str(core.add_camera("Dead camera", f"rtsp://127.0.0.1:{free_tcp_port()}/none").value.id)
    live = str(core.add_camera("Live camera", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    assert [str(c.id) for c in core.cameras()] == [dead, live]

    async def scenario() -> None:
        await core.start()
        wall = window.attach_core(core)
        window.resize(1500, 860)
        await asyncio.sleep(0.2)
        width = window.width()
        window.actions_by_name["record_all"].trigger()
        took = await until(lambda: core.is_recording(live), 5, "the live camera records")
        print(f"the live camera recorded {took * 1000:.0f} ms after Record all, the dead one still starting")
        assert not core.is_recording(dead)

        # The failure is listed where it stays: the alerts list opens by itself and keeps it.
        await until(lambda: any("Dead camera" in text for text in window.alerts.texts()), 30, "failure listed")
        assert window.alerts_dock.isVisible()
        item = window.alerts.list.item(0).text()
        assert "Cannot record Dead camera" in item and window.alerts.unread == 0  # read: the list is open
        window.toggle_alerts()
        assert not window.alerts_dock.isVisible()
        # A long alert is cut to the status bar's width instead of widening the window.
        window.show_alert("warning", "Camera 12: " + "the camera sent something the recorder did not expect " * 6)
        await asyncio.sleep(0.2)
        assert window.width() == width, (window.width(), width)
        line = window.alert_label
        assert line.text().endswith("…") and line.toolTip() == line.full_text()
        assert window.alerts.unread == 1 and "1" in window.alerts_button.text()
        assert wall is window.wall
        await core.stop_recording(live)

    run(qasync_loop, scenario(), timeout=90)


def test_tiles_tell_the_truth_connecting_stalled_offline_paused_and_agree_with_the_status_bar(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    from video_streaming.runtime.ports import free_tcp_port

    core = qt_core_factory(minio)
    synthetic = camera_factory("cam1")

    async def scenario() -> None:
        await core.start()
        wall = window.attach_core(core)
        await wall.populate()  # an empty wall; the health poll runs from here
        dead = str(core.add_camera("Dead camera", f"rtsp://127.0.0.1:{free_tcp_port()}/none").value.id)
        live = str(core.add_camera("Live camera", mediamtx.endpoints.rtsp_url("cam1")).value.id)
        wall.reload_camera_list()
        first, second = window.grid.tiles()[:2]

        # A camera being connected says so at once, by name, although its stream takes seconds to fail.
        starting = wall._spawn(wall.show_camera(first, dead))
        await asyncio.sleep(0.1)
        assert first.camera_name == "Dead camera" and first.state == "connecting"
        assert "Dead camera" in first.surface.hint.text() and first.bar.name_label.full_text() == "Dead camera"
        # ... and once it failed, the tile offers only what can work: no recording, snapshot or sound.
        await starting
        assert first.state == "error"
        assert first.bar.usable_tools() == ["tileMaximizeButton"], first.bar.usable_tools()

        await wall.show_camera(second, live)
        await until(lambda: second.state == "live", 20, "live camera plays")
        await moving_picture(second)
        assert "tileRecordButton" in second.bar.usable_tools() and "tileSnapshotButton" in second.bar.usable_tools()
        assert await wall.toggle_recording(live)
        # A double-click on a camera already on the wall adds no second copy and leaves the first playing.
        window.camera_list.camera_activated.emit(live)
        await asyncio.sleep(1.0)
        assert len(wall.tiles_showing(live)) == 1 and second.state == "live"
        await wall.refresh_health()
        assert "1/1" in window.health_bar.cameras.text()

        # The picture stops: "stalled" within a second of the last new picture on screen, and the status
        # bar says so at the same moment; then offline, and REC shows the recording paused.
        last_change, picture = time.monotonic(), screen_pixels(second.surface)
        synthetic.stop()
        stalled_at = None
        while stalled_at is None:
            await asyncio.sleep(0.04)
            now_picture = screen_pixels(second.surface)
            if now_picture != picture:
                last_change, picture = time.monotonic(), now_picture
            if second.state == "stalled":
                stalled_at = time.monotonic()
            assert time.monotonic() - last_change < 3, f"still {second.state} 3 s after the picture stopped"
        print(f"stalled {(stalled_at - last_change) * 1000:.0f} ms after the last new picture")
        assert stalled_at - last_change <= 1.0
        assert "0/1" in window.health_bar.cameras.text(), window.health_bar.cameras.text()
        assert "STALLED" in second.bar.state_label.text() and second.bar.usable_tools() != ["tileMaximizeButton"]
        await until(lambda: second.state == "offline", 5, "stalled, then offline")
        await until(lambda: second.is_recording_paused, 15, "REC shows the recording paused")
        assert "paused" in second.bar.rec_label.text() and second.bar.rec_label.isVisible()

        # The camera comes back: live again, REC no longer paused.
        synthetic.start()
        await until(lambda: second.state == "live", 30, "live again")
        await until(lambda: not second.is_recording_paused and core.is_recording(live), 30, "recording resumed")
        assert "paused" not in second.bar.rec_label.text()
        await until(lambda: "1/1" in window.health_bar.cameras.text(), 5, "status bar online again")
        await core.stop_recording(live)

    run(qasync_loop, scenario(), timeout=150)


def test_layout_switch_keeps_cameras_and_a_dropped_camera_recovers(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)

    async def scenario() -> None:
        camera_ids = await start_wall(window, core, mediamtx, camera_factory, 2)
        tile = window.grid.tiles()[0]
        await until(lambda: tile.state == "live", 20, "live")
        window.actions_by_name["layout:3x3"].trigger()
        assert window.grid.layout_name == "3x3" and window.grid.tiles()[0] is tile
        assert window.actions_by_name["layout:3x3"].isChecked()
        window.actions_by_name["layout:2x2"].trigger()
        assert window.grid.tiles()[0].camera_id == camera_ids[0]
        await until(lambda: tile.state == "live", 20, "still live after the layout switch")

        # The camera publishing cam1 stops: the tile says so, then recovers with no user action.
        publisher = next(c for c in fixture_cameras(camera_factory) if c.publish_url.endswith("/cam1"))
        publisher.stop()
        await until(lambda: tile.state != "live", 15, "tile notices the camera dropped")
        publisher.start()
        await until(lambda: tile.state == "live", 25, "tile back live by itself")
        await moving_picture(tile)

    run(qasync_loop, scenario(), timeout=120)


def fixture_cameras(factory: CameraFactory) -> list[SyntheticCamera]:
    for cell in factory.__closure__ or ():
        if isinstance(cell.cell_contents, list):
            return list(cell.cell_contents)
    raise AssertionError("camera_factory keeps no camera list")


def test_camera_dialog_refuses_a_malformed_url(qtbot) -> None:  # type: ignore[no-untyped-def]
    async def never_called(url: str, username: str, password: str) -> str:
        raise AssertionError("the probe must not run for an invalid URL")

    dialog = CameraDialog(never_called, ["srt", "hls"])
    qtbot.addWidget(dialog)
    dialog.name.setText("Front door")
    dialog.url.setText("htp:/front door")
    dialog.buttons.accepted.emit()
    assert dialog.result() != CameraDialog.DialogCode.Accepted
    assert "scheme" in dialog.error.text() or "spaces" in dialog.error.text()
    dialog.url.setText("rtsp://10.0.0.5/stream")
    dialog.username.setText("admin")
    dialog.password.setText("s3cret/!")
    assert dialog.validate() == ""
    assert dialog.source() == ("rtsp://10.0.0.5/stream", "admin", "s3cret/!")  # joined only by the core
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.buttons.accepted.emit()
    assert dialog.result() == CameraDialog.DialogCode.Accepted


def test_camera_dialog_tests_in_seconds_splits_a_password_and_asks_before_saving_a_failed_camera(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target,
) -> None:  # fmt: skip
    from video_streaming.runtime.ports import free_tcp_port

    core = qt_core_factory(minio)
    port = free_tcp_port()  # nothing listens there

    async def scenario() -> None:
        await core.start()
        window.attach_core(core)
        dialog = window._dialog(None)
        dialog.show()
        asked: list[str] = []
        answers = [False, True]
        dialog.confirm = lambda title, question: asked.append(question) or answers.pop(0)  # type: ignore[func-returns-value]
        dialog.name.setText("Gate")
        # A password typed into the URL moves to its (masked) field.
        dialog.url.setText(f"rtsp://admin:hunter2@127.0.0.1:{port}/stream")
        dialog.url.editingFinished.emit()
        assert dialog.url.text() == f"rtsp://127.0.0.1:{port}/stream"
        assert (dialog.username.text(), dialog.password.text()) == ("admin", "hunter2")
        assert "hunter2" not in dialog.url.text() + dialog.probe_result.text()

        # A dead address is reported in seconds, as the only message shown.
        dialog.error.setText("an old problem")
        began = time.monotonic()
        dialog.test_button.click()
        await until(lambda: dialog.test_button.isEnabled() and "Failed" in dialog.probe_result.text(), 3,
                    "the test reports the dead address")  # fmt: skip
        print(f"connection test failed after {(time.monotonic() - began) * 1000:.0f} ms")
        assert "nothing accepts connections" in dialog.probe_result.text()
        assert dialog.error.text() == ""

        # OK asks before saving a camera that just failed its test; "no" keeps the dialog open.
        dialog.buttons.accepted.emit()
        assert len(asked) == 1 and "nothing accepts connections" in asked[0]
        assert dialog.result() != CameraDialog.DialogCode.Accepted and dialog.isVisible()
        dialog.buttons.accepted.emit()
        assert dialog.result() == CameraDialog.DialogCode.Accepted and len(asked) == 2
        assert dialog.source() == (f"rtsp://127.0.0.1:{port}/stream", "admin", "hunter2")

        # A long message makes the dialog taller instead of being cut off.
        dialog.show()
        dialog._show(dialog.error, "the camera answered something unexpected; " * 12)
        await asyncio.sleep(0.1)
        label = dialog.error
        assert label.height() >= label.heightForWidth(label.width()), (label.height(), label.width())
        dialog.close()

    run(qasync_loop, scenario(), timeout=60)


def test_full_screen_shows_only_the_wall_and_alerts_reach_a_rotating_log(  # type: ignore[no-untyped-def]
    qapp, window: MainWindow, tmp_path: Path
) -> None:
    import logging

    from PySide6.QtWidgets import QDockWidget, QToolBar

    from video_streaming.log_setup import configure_logging
    from vidstream_desktop.help_dialog import HelpDialog

    chrome = [*window.findChildren(QToolBar), window.findChildren(QDockWidget)[0], window.statusBar()]
    assert all(widget.isVisible() for widget in chrome)
    window.actions_by_name["fullscreen"].trigger()
    qapp.processEvents()
    assert window.isFullScreen() and window.grid.isVisible()
    assert not any(widget.isVisible() for widget in chrome) and not window.tabs.tabBar().isVisible()
    window.actions_by_name["leave"].trigger()
    qapp.processEvents()
    assert not window.isFullScreen() and all(widget.isVisible() for widget in chrome)
    assert window.tabs.tabBar().isVisible()

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    window.log_file = tmp_path / "data" / "logs" / "vidstream-desktop.log"
    configure_logging(log_file=window.log_file)
    try:
        window.show_alert("error", "Gate: recording stopped: [rtsp @ 0x55d] method DESCRIBE failed: 404 Not Found")
        for handler in root.handlers:
            handler.flush()
        assert "method DESCRIBE failed: 404 Not Found" in window.log_file.read_text(encoding="utf-8")
        assert any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers)
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    help_dialog = HelpDialog(window.shortcuts(), window, open_log_folder=window.open_log_folder)
    assert window.log_folder() == tmp_path / "data" / "logs"
    assert any(b.text() == "Open log folder" for b in help_dialog.buttons.buttons())
    help_dialog.deleteLater()


def test_help_lists_the_shortcuts(window: MainWindow) -> None:
    keys = dict(window.shortcuts())
    assert keys["F11"] == window.tr("Full screen")
    assert "Alt+2" in keys and "Ctrl+R" in keys and "F1" in keys


def test_small_tiles_play_the_sub_stream_and_a_maximised_tile_the_main_stream(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    from video_streaming.runtime.synthetic_camera import CameraSpec

    core = qt_core_factory(minio)
    camera_factory("main1")
    camera_factory("sub1", CameraSpec(width=320, height=180, label="sub"))
    camera_id = str(core.add_camera("Dual", mediamtx.endpoints.rtsp_url("main1"),
                                    sub_stream_url=mediamtx.endpoints.rtsp_url("sub1")).value.id)  # fmt: skip

    async def scenario() -> None:
        await core.start()
        await window.attach_core(core).populate()
        tile = window.grid.tiles()[0]
        await until(lambda: tile.state == "live", 20, "live")
        sub_path = core.sub_streams[camera_id].path_name
        assert sub_path in (tile.player.target.url if tile.player.target else ""), "a small tile shows the sub-stream"
        window.grid.toggle_maximize(tile)
        await until(lambda: camera_id in core.streams, 10, "main stream provisioned")
        main_path = core.streams[camera_id].path_name
        await until(lambda: bool(tile.player.target) and main_path in tile.player.target.url, 10, "maximised: main")
        await until(lambda: tile.state == "live", 20, "main stream live")
        await moving_picture(tile)
        window.grid.toggle_maximize(tile)  # back to the wall: the small tile returns to the sub-stream
        await until(lambda: bool(tile.player.target) and sub_path in tile.player.target.url, 10, "back to sub")
        await until(lambda: tile.state == "live", 20, "sub-stream live again")

    run(qasync_loop, scenario(), timeout=90)


def test_a_detached_tile_records_and_shows_rec_like_the_wall(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    camera_factory: CameraFactory, minio: S3Target,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)

    async def scenario() -> None:
        (camera_id,) = await start_wall(window, core, mediamtx, camera_factory, 1)
        on_wall = window.grid.tile_at(0)
        await until(lambda: on_wall.state == "live", 15, "the wall's tile plays")
        window.keyboard.focus_tile(0)
        window.control_room.detach_tile()
        detached = window.monitors.windows[-1].grid.tile_at(0)
        await until(lambda: detached.camera_id == camera_id and detached.state == "live", 15, "the detached tile")
        try:
            detached.bar.record_button.click()  # Record in the detached window
            await until(lambda: core.is_recording(camera_id), 10, "recording from the detached tile")
            await until(lambda: detached.bar.rec_label.isVisibleTo(detached.bar)
                        and on_wall.bar.rec_label.isVisibleTo(on_wall.bar), 5, "REC on both tiles")  # fmt: skip
            on_wall.bar.record_button.click()  # and stopped from the wall: the detached tile follows
            await until(lambda: not core.is_recording(camera_id), 10, "stopped from the wall")
            await until(lambda: not detached.bar.rec_label.isVisibleTo(detached.bar), 5, "REC gone when detached")
        finally:
            window.monitors.shut_all()

    run(qasync_loop, scenario(), timeout=90)
