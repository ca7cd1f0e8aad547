"""Instant replay in a live tile, on the real core, MediaMTX, ffmpeg recorder and libvlc: a camera that is not
recorded has nothing to replay (the operator is told, the tile stays live); once it records (60 s segments,
so all of its footage is still in the file being written), the tile's replay button plays its last seconds in
place (REPLAY in the footer, a moving picture from behind live), "Back to live" returns to the live picture,
and a replay played to its end returns to live by itself."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
import qasync
from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import CameraFactory, S3Target
from tests.fixtures.waiting import until
from video_streaming.core import VidStreamCore
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.replay import ReplayView

pytestmark = pytest.mark.gui
FOOTAGE_S = 8.0


def screen_of(widget: QWidget) -> QImage:
    origin = widget.mapToGlobal(QPoint(0, 0))
    return QGuiApplication.primaryScreen().grabWindow(0, origin.x(), origin.y(), widget.width(),
                                                      widget.height()).toImage()  # fmt: skip


async def footage_seconds(core: VidStreamCore, camera_id: str) -> float:
    parts = await core.recent_footage(camera_id)
    return sum(part.duration for part in parts)


def test_a_tile_replays_its_last_seconds_in_place_and_returns_to_live(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, minio: S3Target,
    camera_factory: CameraFactory,
) -> None:  # fmt: skip
    camera = camera_factory("dock")
    core = qt_core_factory(minio, segment_seconds=60)

    async def scenario() -> None:
        camera_id = str(core.add_camera("Dock", camera.publish_url).value.id)
        await core.start()
        wall = window.attach_core(core)
        await wall.populate()
        tile = next(t for t in window.grid.tiles() if t.camera_id == camera_id)
        await until(lambda: tile.state == "live", 20, "the tile live")
        assert "tileReplayButton" not in tile.bar.usable_tools(), "replay offered for a camera not recorded"
        window.actions_by_name["instant_replay"].trigger()  # the focused tile is the first: this camera's
        await until(lambda: "nothing of the last 30 s" in window.statusBar().currentMessage(), 5, "told why not")
        assert tile.in_place is None and tile.state == "live"

        assert await wall.toggle_recording(camera_id)
        assert "tileReplayButton" in tile.bar.usable_tools()
        deadline = time.monotonic() + 30
        while await footage_seconds(core, camera_id) < FOOTAGE_S:
            assert time.monotonic() < deadline, "the recording did not grow"
            await asyncio.sleep(0.2)
        parts = await core.recent_footage(camera_id)
        assert len(parts) == 1 and parts[0].growing, parts  # the open segment: nothing catalogued yet
        recording_start = parts[0].start

        tile.bar.replay_button.click()
        await until(lambda: isinstance(tile.in_place, ReplayView), 5, "the replay in the tile")
        view = tile.in_place
        assert isinstance(view, ReplayView) and view.isVisible() and not tile.surface.isVisible()
        assert tile.bar.state_label.text().endswith("REPLAY")
        await until(lambda: view.player.state == "playing" and view.player.has_picture(), 15, "the replay plays")
        shown = view.player.current_time()
        assert shown is not None and recording_start - timedelta(seconds=1) <= shown
        assert shown <= datetime.now(UTC) - timedelta(seconds=FOOTAGE_S - 3), "the replay is not behind live"
        health = await wall.refresh_health()
        assert wall.as_the_wall_shows(health).cameras_online == 1, "a replaying tile made its camera look offline"
        first = screen_of(view.player.surface)
        await until(lambda: screen_of(view.player.surface) != first, 5, "a moving replayed picture")

        view.live_button.click()
        assert tile.in_place is None and tile.surface.isVisible()
        await until(lambda: tile.state == "live", 20, "live again")

        # A replay played to its end (at 8x) goes back to live by itself.
        tile.bar.replay_button.click()
        await until(lambda: isinstance(tile.in_place, ReplayView), 5, "a second replay")
        second = tile.in_place
        assert isinstance(second, ReplayView)
        await until(lambda: second.player.state == "playing", 15, "the second replay plays")
        second.player.speed.setCurrentIndex(second.player.speed.count() - 1)
        await until(lambda: tile.in_place is None, 20, "back to live at the end of the footage")
        await until(lambda: tile.state == "live", 20, "live after the replay")

    run(qasync_loop, scenario(), timeout=150)
