"""The process under test: our CameraGrid of VideoTiles on a qasync loop, as the app runs it.

Run by the harness as `python -m bench.wall_app '<json options>'`; it talks JSON lines on stdout and
reads commands on stdin, so the harness can measure this process's CPU and grab its tiles from outside.

Modes:
  play  assign N tiles, report their on-screen geometry and time to first frame, play until "quit"
  ttff  re-assign one tile K times; per assignment: LivePlayer.time_to_first_frame_ms and the time
        until the first barcode is readable on screen (with that frame's number, to split the keyframe
        wait from the pipeline)
  ui    event-loop heartbeat lateness under load conditions (tiles playing, S3 uploads running)
  switch  N tiles live, then K times: the layout switched to 1x1 and back; per switch, the time until each
        tile shows a picture encoded after the switch back (VideoTile.WARM_S from the options)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
import time
from typing import Any

import qasync
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from bench.barcode import BandSampler, fit_rect
from bench.xgrab import XGrabber
from vidstream_desktop.resources import load_theme
from vidstream_desktop.wall.grid import LAYOUT_SPECS, CameraGrid
from vidstream_desktop.wall.live_player import PlayerState
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import Transport, wait_for_retired_players


def emit(event: str, **data: Any) -> None:
    print(json.dumps({"event": event, **data}), flush=True)


class Wall:
    def __init__(self, layout: str, surface: tuple[int, int]) -> None:
        self.window = QWidget()
        self.window.setWindowTitle("VidStream bench wall")
        self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        box = QVBoxLayout(self.window)
        box.setContentsMargins(0, 0, 0, 0)
        self.grid = CameraGrid(self.window, layout_name=layout)
        box.addWidget(self.grid)
        self.size = LAYOUT_SPECS[layout].size
        self.target = surface

    async def show(self) -> None:
        """Show at the top-left corner, sized so every tile's video surface is `target` pixels."""
        n = self.size
        self.window.move(0, 0)
        self.window.resize(n * self.target[0] + 40, n * self.target[1] + 120)
        self.window.show()
        for _ in range(3):
            await asyncio.sleep(0.15)
            surface = self.grid.tiles()[0].surface
            dw, dh = self.target[0] - surface.width(), self.target[1] - surface.height()
            if dw == 0 and dh == 0:
                break
            self.window.resize(self.window.width() + n * dw, self.window.height() + n * dh)
        await asyncio.sleep(0.2)

    def tiles(self, count: int) -> list[VideoTile]:
        return self.grid.tiles()[:count]

    @staticmethod
    def geometry(tile: VideoTile) -> dict[str, int]:
        origin = tile.surface.mapToGlobal(QPoint(0, 0))
        return {"x": origin.x(), "y": origin.y(), "width": tile.surface.width(), "height": tile.surface.height()}


async def wait_live(tiles: list[VideoTile], timeout_s: float) -> list[float | None]:
    """Wait until every tile is live; per tile, ms from now until it was first seen live (20 ms polls)."""
    started = time.monotonic()
    live_after: list[float | None] = [None] * len(tiles)
    while time.monotonic() - started < timeout_s and not all(t is not None for t in live_after):
        for index, tile in enumerate(tiles):
            if live_after[index] is None and tile.player.state is PlayerState.LIVE:
                live_after[index] = (time.monotonic() - started) * 1000
        await asyncio.sleep(0.02)
    return live_after


async def read_command() -> str:
    loop = asyncio.get_running_loop()
    line = await loop.run_in_executor(None, sys.stdin.readline)
    return line.strip() or "quit"


def tile_report(tile: VideoTile, live_after_ms: float | None = None) -> dict[str, Any]:
    return {
        **Wall.geometry(tile),
        "assign_to_live_ms": live_after_ms,
        "state": tile.player.state.value,
        "detail": tile.player.detail,
        "ttff_ms": tile.player.time_to_first_frame_ms,
        "connections": tile.player.connection_count,
        "relay_pid": tile.player.relay.pid if tile.player.relay is not None else None,
        "relay_reads": tile.player.relay.source_protocol if tile.player.relay is not None else None,
        **_picture_counts(tile),
    }


def _picture_counts(tile: VideoTile) -> dict[str, int]:
    """libvlc's counters since the player started: pictures dropped, and MPEG-TS packets lost or broken."""
    stats = tile.player._read_stats()
    if stats is None:
        return {}
    damaged = int(stats.demux_corrupted) + int(stats.demux_discontinuity)
    return {"displayed": int(stats.displayed_pictures), "lost_pictures": int(stats.lost_pictures), "damaged": damaged}


async def mode_play(wall: Wall, options: dict[str, Any]) -> None:
    urls: list[str] = options["urls"]
    transport = Transport(options["transport"])
    tiles = wall.tiles(len(urls))
    for index, (tile, url) in enumerate(zip(tiles, urls, strict=True)):
        tile.assign(f"bench-{index}", f"Bench {index + 1}", url, transport, video_codec=options.get("video_codec"))
    live_after = await wait_live(tiles, float(options.get("live_timeout_s", 25)))
    await asyncio.sleep(float(options.get("settle_s", 1.0)))
    emit("ready", tiles=[tile_report(t, ms) for t, ms in zip(tiles, live_after, strict=True)])
    while (command := await read_command()) != "quit":
        if command == "status":
            emit("status", tiles=[tile_report(t) for t in tiles])


async def mode_ttff(wall: Wall, options: dict[str, Any]) -> None:
    url, transport = options["urls"][0], Transport(options["transport"])
    repeats, tile = int(options["repeats"]), wall.tiles(1)[0]
    geometry = Wall.geometry(tile)
    sampler = BandSampler(fit_rect(geometry["x"], geometry["y"], geometry["width"], geometry["height"]))
    grabber = XGrabber()
    results = []
    stagger = random.Random(20260101)
    try:
        for _ in range(repeats):
            tile.clear()
            wait_for_retired_players(3.0)
            # A random pause (fixed seed) so assignments land all over the keyframe interval.
            await asyncio.sleep(float(options.get("gap_s", 0.4)) + stagger.uniform(0.0, 1.0))
            glass: dict[str, Any] = {}
            assigned_wall_ms = time.time() * 1000
            assigned = time.monotonic()

            def look(glass: dict[str, Any] = glass, assigned: float = assigned) -> None:
                if glass:
                    return
                pixels = grabber.grab_bgrx(sampler.x, sampler.y, sampler.width, sampler.height)
                decoded = sampler.decode(pixels)
                if decoded is not None:
                    glass.update(
                        ms=(time.monotonic() - assigned) * 1000,
                        code=decoded[0],
                        frame=decoded[1],
                        wall_ms=time.time() * 1000,
                    )

            poll = QTimer()
            poll.setTimerType(Qt.TimerType.PreciseTimer)
            poll.setInterval(5)
            poll.timeout.connect(look)
            poll.start()
            tile.assign("bench-ttff", "TTFF", url, transport, video_codec=options.get("video_codec"))
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                if glass and tile.player.state is PlayerState.LIVE:
                    break
                await asyncio.sleep(0.01)
            poll.stop()
            results.append(
                {
                    "player_ttff_ms": tile.player.time_to_first_frame_ms
                    if tile.player.state is PlayerState.LIVE
                    else None,
                    "glass_ttff_ms": glass.get("ms"),
                    "first_frame": glass.get("frame"),
                    "first_code_ms": glass.get("code"),
                    "first_seen_wall_ms": glass.get("wall_ms"),
                    "assigned_wall_ms": assigned_wall_ms,
                    "state": tile.player.state.value,
                }
            )
    finally:
        grabber.close()
    emit("ttff", results=results, geometry=geometry)


async def mode_switch(wall: Wall, options: dict[str, Any]) -> None:
    urls, transport, layout = options["urls"], Transport(options["transport"]), options["layout"]
    tiles = wall.tiles(len(urls))
    for index, (tile, url) in enumerate(zip(tiles, urls, strict=True)):
        tile.assign(f"bench-{index}", f"Bench {index + 1}", url, transport, video_codec=options.get("video_codec"))
    await wait_live(tiles, 30)
    await asyncio.sleep(1.0)
    samplers = [BandSampler(fit_rect(**Wall.geometry(tile))) for tile in tiles]
    VideoTile.WARM_S = float(options["warm_s"])
    grabber = XGrabber()
    trials = []
    try:
        for _ in range(int(options["repeats"])):
            wall.grid.set_layout("1x1")
            await asyncio.sleep(float(options["away_s"]))
            back_code = int(time.time() * 1000) % (1 << 24)  # the barcode's clock: encode wall ms mod 2^24
            back = time.monotonic()
            wall.grid.set_layout(layout)
            fresh: list[float | None] = [None] * len(tiles)
            while time.monotonic() - back < 10 and None in fresh:
                for index, sampler in enumerate(samplers):
                    if fresh[index] is None:
                        decoded = sampler.decode(grabber.grab_bgrx(sampler.x, sampler.y, sampler.width, sampler.height))
                        if decoded is not None and (decoded[0] - back_code) % (1 << 24) < (1 << 23):
                            fresh[index] = (time.monotonic() - back) * 1000
                await asyncio.sleep(0.005)
            done = [ms for ms in fresh if ms is not None]
            trials.append({"tiles_ms": fresh, "all_ms": max(done) if len(done) == len(fresh) else None})
            await wait_live(tiles, 30)
            await asyncio.sleep(1.0)
    finally:
        grabber.close()
    emit("switch", trials=trials)


async def mode_ui(wall: Wall, options: dict[str, Any]) -> None:
    from bench.ui_load import run_conditions

    results = await run_conditions(wall, options)
    emit("ui", results=results)


async def main_async(options: dict[str, Any]) -> None:
    if options.get("silent_connect_timeout_s"):  # a bench-only what-if, reported as such
        from vidstream_desktop.wall.live_player import LivePlayer

        LivePlayer.SILENT_CONNECT_TIMEOUT_S = float(options["silent_connect_timeout_s"])
    if options.get("relay_rtmp_base"):  # what the app's core sets for the embedded server: H.264 over its RTMP
        from video_streaming.bootstrap import mediamtx_rtmp_route
        from video_streaming.service import PlaybackUrls
        from vidstream_desktop.wall.vlc_backend import shared_relays

        urls = PlaybackUrls(rtsp_base=options["relay_rtsp_base"], rtmp_base=options["relay_rtmp_base"])
        shared_relays().set_rtmp_route(mediamtx_rtmp_route(urls))
    wall = Wall(options.get("layout", "1x1"), tuple(options.get("surface", (640, 360))))  # type: ignore[arg-type]
    await wall.show()
    emit("shown", window={"width": wall.window.width(), "height": wall.window.height()})
    try:
        mode = options.get("mode", "play")
        if mode == "play":
            await mode_play(wall, options)
        elif mode == "ttff":
            await mode_ttff(wall, options)
        elif mode == "ui":
            await mode_ui(wall, options)
        elif mode == "switch":
            await mode_switch(wall, options)
        else:
            raise ValueError(f"unknown mode {mode}")
    finally:
        wall.grid.stop_all()
        wall.window.close()
        emit("bye")


def main() -> int:
    options = json.loads(sys.argv[1])
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    with contextlib.suppress(Exception):
        load_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main_async(options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
