"""The wall's default live path: MediaMTX's RTMP (H.264) or RTSP through one supervised ffmpeg relay per tile to
libvlc through a private FIFO. Real MediaMTX, ffmpeg and libvlc under Xvfb: pixels on screen, a camera that drops and
returns, retiring tiles, a killed app, and the DEGRADED state of a picture that is not current."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest
import qasync

from tests.fixtures.environment import missing_prerequisite
from tests.fixtures.qt import close_window, run
from tests.fixtures.servers import wait_path_ready
from tests.fixtures.waiting import until, until_sync
from tests.gui.test_wall import (  # noqa: F401 - themed is a fixture
    assert_moving_picture,
    mean_brightness,
    screen_pixels,
    themed,
    wait_state,
)
from video_streaming.bootstrap import mediamtx_rtmp_route
from video_streaming.ports import LiveRelay, LiveRelays
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.ports import free_tcp_port
from video_streaming.service import PlaybackUrls
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.grid import CameraGrid
from vidstream_desktop.wall.live_player import LivePlayer
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import Transport, detect_transports, shared_relays, wait_for_retired_players

pytestmark = pytest.mark.gui

RETIRE_LIMIT_S = 0.2


@pytest.fixture(autouse=True)
def relay_available() -> None:
    if Transport.RELAY not in detect_transports():
        missing_prerequisite("the live relay needs ffmpeg and libvlc's file and ts plugins")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, just not yet reaped by its parent
        return stat.read().split(") ")[-1][0] != "Z"


@pytest.fixture
def wall16(qtbot, themed) -> Iterator[CameraGrid]:  # type: ignore[no-untyped-def]  # noqa: F811
    wall = CameraGrid(layout_name="4x4")
    wall.resize(1600, 960)
    wall.move(0, 0)
    qtbot.addWidget(wall)
    wall.show()
    qtbot.waitExposed(wall)
    yield wall
    for tile in wall.all_tiles():
        tile.clear()
    assert wall.stop_all(wait_s=10), "a player or relay did not stop within 10 s"


def changes_within(qtbot, tile: VideoTile, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    """Does the tile show a lit picture that changes on screen within `seconds`?"""
    first = screen_pixels(tile.surface)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        qtbot.wait(150)
        now = screen_pixels(tile.surface)
        if now != first and mean_brightness(now) > 30:
            return True
    return False


def relay_to(tile: VideoTile, mediamtx: MediaMTXServer, path: str, video_codec: str | None = None) -> None:
    tile.assign(path, path, mediamtx.endpoints.rtsp_url(path), Transport.RELAY, video_codec=video_codec)


@pytest.fixture
def relays() -> Iterator[LiveRelays]:
    """The process's relays, with no RTMP route again afterwards (the app sets its core's)."""
    shared = shared_relays()
    yield shared
    shared.set_rtmp_route(None)


def route_over_rtmp(relays: LiveRelays, mediamtx: MediaMTXServer) -> None:
    """What the app's core sets for the embedded server: H.264 from its RTMP listener."""
    e = mediamtx.endpoints
    relays.set_rtmp_route(mediamtx_rtmp_route(PlaybackUrls(rtsp_base=e.rtsp_url("").rstrip("/"),
                                                           rtmp_base=e.rtmp_url("").rstrip("/"))))  # fmt: skip


def rtmp_readers(mediamtx: MediaMTXServer) -> list[str]:
    """The paths of MediaMTX's RTMP connections that read, one entry per connection."""
    e = mediamtx.endpoints
    listed = httpx.get(f"{e.api_url}/v3/rtmpconns/list", auth=(e.api_user, e.api_password), timeout=3).json()
    return [str(conn["path"]) for conn in listed["items"] if conn["state"] == "read"]


def sixteen_tiles_over_rtmp(wall16, mediamtx, camera_factory, relays) -> list[VideoTile]:  # type: ignore[no-untyped-def]
    """Two H.264 cameras on the 16 tiles, relayed from MediaMTX's RTMP as the app's wall does; not yet live."""
    route_over_rtmp(relays, mediamtx)
    camera_factory("cam1", wait=False)
    camera_factory("cam2", wait=False)
    for path in ("cam1", "cam2"):
        wait_path_ready(mediamtx, path)
    tiles = wall16.tiles()
    assert len(tiles) == 16
    for index, tile in enumerate(tiles):
        relay_to(tile, mediamtx, f"cam{index % 2 + 1}", video_codec="H264")
    return tiles


def test_relay_is_the_default_transport_where_ffmpeg_and_the_plugins_are() -> None:
    assert detect_transports()[0] is Transport.RELAY


def test_sixteen_relayed_tiles_show_sixteen_moving_pictures(qtbot, wall16, mediamtx, camera_factory, relays) -> None:  # type: ignore[no-untyped-def]
    # Two cameras on two loaded cores: every tile still has a relay and a player of its own, reading the
    # H.264 cameras from MediaMTX's RTMP as the app's wall does.
    tiles = sixteen_tiles_over_rtmp(wall16, mediamtx, camera_factory, relays)
    for tile in tiles:
        wait_state(qtbot, tile, "live", timeout_s=30)
    tile_relays = [tile.player.relay for tile in tiles]
    assert all(relay is not None and relay.pid for relay in tile_relays)
    assert len({relay.player_url for relay in tile_relays if relay is not None}) == 16, "two tiles share a channel"
    assert all(relay is not None and relay.source_protocol == "rtmp" for relay in tile_relays)
    assert sorted(rtmp_readers(mediamtx)) == sorted(["cam1", "cam2"] * 8), "MediaMTX sees 16 RTMP readers"
    # Every tile shows a picture that changes. On two loaded cores a tile can miss its pictures for up to a
    # second (measured at load average 11: the SRT path too; such a tile turns DEGRADED): each gets 3 s.
    frozen = [tile.camera_id for tile in tiles if not changes_within(qtbot, tile, 3.0)]
    assert not frozen, f"tiles never showed a new picture in 3 s: {frozen}"
    # The command line of every relay names no login and no stream address, only the script on a pipe.
    for relay in tile_relays:
        assert relay is not None and relay.pid is not None
        argv = Path(f"/proc/{relay.pid}/cmdline").read_bytes().split(b"\0")
        assert not any(b"rtsp://" in arg or b"rtmp://" in arg for arg in argv), argv


def test_a_layout_switched_away_and_back_shows_every_tile_at_once_then_lets_hidden_ones_go(  # type: ignore[no-untyped-def]
    qtbot, wall16, mediamtx, camera_factory, relays, monkeypatch,
) -> None:  # fmt: skip
    tiles = sixteen_tiles_over_rtmp(wall16, mediamtx, camera_factory, relays)
    for tile in tiles:
        wait_state(qtbot, tile, "live", timeout_s=30)
    pids = [tile.player.relay.pid for tile in tiles]

    wall16.set_layout("1x1")
    hidden = tiles[1:]
    assert all(tile.warm and not tile.isVisible() for tile in hidden), "hidden tiles keep their streams"
    wall16.set_layout("4x4")
    # Back at once: the same players and relays, live (on two loaded cores perhaps degraded), no reconnect,
    # each picture moving.
    assert all(tile.state in ("live", "degraded") for tile in tiles), [tile.state for tile in tiles]
    assert [tile.player.relay.pid for tile in tiles] == pids
    assert not any(tile.warm for tile in tiles)
    frozen = [tile.camera_id for tile in tiles if not changes_within(qtbot, tile, 3.0)]
    assert not frozen, f"tiles shown again without a new picture in 3 s: {frozen}"

    # Hidden for longer than WARM_S: the stream goes (no decoding for what nobody sees), the camera stays.
    monkeypatch.setattr(VideoTile, "WARM_S", 0.5)
    wall16.set_layout("1x1")
    qtbot.waitUntil(lambda: all(t.player.relay is None and not t.warm for t in hidden), timeout=10_000)
    assert [tile.camera_id for tile in hidden] == [f"cam{index % 2 + 1}" for index in range(1, 16)]
    assert tiles[0].state == "live" and tiles[0].player.relay.pid == pids[0]
    wall16.set_layout("4x4")
    for tile in tiles:
        wait_state(qtbot, tile, "live", timeout_s=30)


def rtsp_readers(mediamtx: MediaMTXServer) -> list[str]:
    e = mediamtx.endpoints
    listed = httpx.get(f"{e.api_url}/v3/rtspsessions/list", auth=(e.api_user, e.api_password), timeout=3).json()
    return [str(session["path"]) for session in listed["items"] if session["state"] == "read"]


def test_an_h264_tile_whose_rtmp_does_not_start_is_relayed_from_rtsp(  # type: ignore[no-untyped-def]
    qtbot, wall16, mediamtx, camera, relays, caplog,
) -> None:  # fmt: skip
    caplog.set_level(logging.INFO, logger="video_streaming.adapters.live_relay")
    closed_port = free_tcp_port()  # nothing listens there: the RTMP run ends at once
    relays.set_rtmp_route(lambda url: f"rtmp://127.0.0.1:{closed_port}/cam1?user=reader&pass=s3cret-word")
    wall16.set_layout("1x1")
    tile = wall16.tiles()[0]
    relay_to(tile, mediamtx, "cam1", video_codec="H264")
    wait_state(qtbot, tile, "live", timeout_s=20)
    relay = tile.player.relay
    assert relay is not None and relay.source_protocol == "rtsp"
    assert relay.runs >= 2, "the RTMP run came first"  # type: ignore[attr-defined]
    assert changes_within(qtbot, tile, 3.0), "a moving picture from RTSP"
    assert rtsp_readers(mediamtx) == ["cam1"], "MediaMTX serves the relay over RTSP"
    said = "\n".join(record.getMessage() for record in caplog.records)
    assert "reading RTSP from now on" in said and "s3cret-word" not in said, said


def test_a_dropped_camera_restarts_its_relay_and_the_tile_comes_back(qtbot, wall16, mediamtx, camera, relays) -> None:  # type: ignore[no-untyped-def]
    route_over_rtmp(relays, mediamtx)
    wall16.set_layout("1x1")
    tile = wall16.tiles()[0]
    relay_to(tile, mediamtx, "cam1", video_codec="H264")
    wait_state(qtbot, tile, "live")
    relay = tile.player.relay
    assert relay is not None and relay.source_protocol == "rtmp"
    first_pid, channel = relay.pid, relay.player_url

    camera.stop()
    wait_state(qtbot, tile, "offline", timeout_s=10)
    qtbot.waitUntil(lambda: relay.status.state.value == "restarting", timeout=10_000)
    camera.start()
    wait_path_ready(mediamtx, "cam1")
    wait_state(qtbot, tile, "live", timeout_s=30)
    assert changes_within(qtbot, tile, 3.0), "a moving picture again"
    assert tile.player.relay is relay and relay.player_url == channel, "the tile keeps its relay and channel"
    assert relay.pid is not None and relay.pid != first_pid, "the relay's ffmpeg was started again"
    assert first_pid is not None and not alive(first_pid)
    assert relay.source_protocol == "rtmp", "a camera that gave a picture over RTMP and dropped is read so again"
    assert rtmp_readers(mediamtx) == ["cam1"]


def retire_time(tile: VideoTile) -> tuple[float, bool]:
    """How long `tile.clear()` takes until its libvlc player is released and its relay process is gone."""
    relay = tile.player.relay
    assert relay is not None
    started = time.monotonic()
    tile.clear()
    players_gone = wait_for_retired_players(5)
    relay_gone = relay.wait_closed(5)
    return time.monotonic() - started, players_gone and relay_gone


def test_a_retired_tile_stops_within_200_ms_in_every_state(qtbot, wall16, mediamtx, camera_factory) -> None:  # type: ignore[no-untyped-def]
    camera = camera_factory("cam1")
    wall16.set_layout("2x2")
    tile = wall16.tiles()[0]
    took: dict[str, float] = {}

    relay_to(tile, mediamtx, "cam1")  # connecting: just assigned
    took["connecting"], gone = retire_time(tile)
    assert gone

    relay_to(tile, mediamtx, "cam1")
    wait_state(qtbot, tile, "live")
    took["live"], gone = retire_time(tile)
    assert gone

    relay_to(tile, mediamtx, "ghost")  # nothing published: the relay restarts again and again
    qtbot.waitUntil(lambda: tile.player.relay is not None and tile.player.relay.runs >= 2, timeout=10_000)
    took["restarting"], gone = retire_time(tile)
    assert gone

    # A camera dropping again and again, retired while it is away and while it is back.
    relay_to(tile, mediamtx, "cam1")
    for _ in range(3):
        wait_state(qtbot, tile, "live", timeout_s=30)
        camera.stop()
        qtbot.waitUntil(lambda: tile.state != "live", timeout=10_000)
        camera.start()
        wait_path_ready(mediamtx, "cam1")
    took["dropping"], gone = retire_time(tile)
    assert gone

    slow = {state: round(seconds * 1000) for state, seconds in took.items() if seconds > RETIRE_LIMIT_S}
    assert not slow, f"retiring took longer than {RETIRE_LIMIT_S * 1000:.0f} ms (ms): {slow}; all: {took}"


def test_no_relay_outlives_the_wall_when_it_is_killed(mediamtx, camera, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The bench's wall process is the app's grid and tiles on a qasync loop; SIGKILL leaves it no time to
    # stop anything: the kernel's parent-death signal must end every relay.
    options = {"mode": "play", "layout": "2x2", "surface": [320, 180], "transport": "relay",
               "urls": [mediamtx.endpoints.rtsp_url("cam1")] * 3, "live_timeout_s": 30}  # fmt: skip
    wall = subprocess.Popen(
        [sys.executable, "-m", "bench.wall_app", json.dumps(options)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=(tmp_path / "wall.log").open("wb"),
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    try:
        assert wall.stdout is not None
        ready = json.loads(wall.stdout.readline())
        while ready["event"] != "ready":  # "shown" comes first
            ready = json.loads(wall.stdout.readline())
        assert "live" in [t["state"] for t in ready["tiles"]], ready  # the relays carry a picture
        pids = [t["relay_pid"] for t in ready["tiles"]]
        assert all(pids) and all(alive(pid) for pid in pids)
    finally:
        wall.send_signal(signal.SIGKILL)
        wall.wait(10)
    until_sync(lambda: not any(alive(pid) for pid in pids), 3, "every relay ends with the killed wall")


# ---------------------------------------------------------------------------------------------------
# LIVE means live


def broken_ts_packets(count: int) -> bytes:
    """MPEG-TS packets on the video PID (0x100, ffmpeg's first) whose continuity counters skip: what a
    player sees when packets are lost."""
    packets = []
    for index in range(count):
        counter = (index * 3) % 16  # every packet skips two
        header = bytes([0x47, 0x01, 0x00, 0x10 | counter])
        packets.append(header + bytes([0xFF]) * 184)
    return b"".join(packets)


def inject(relay: LiveRelay, packets: bytes, times: int) -> None:
    """Write `packets` into the relay's channel, as this account can (no other can: test_live_relay_channel).
    A write under PIPE_BUF lands whole, though it may split a larger one of ffmpeg's: more damage, as lost
    packets do."""
    path = unquote(urlsplit(relay.player_url).path)
    descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    try:
        for _ in range(times):
            os.write(descriptor, packets)
    finally:
        os.close(descriptor)


def test_lost_packets_turn_a_live_tile_degraded_with_the_reason_then_live_again(  # type: ignore[no-untyped-def]
    qtbot, themed, mediamtx, camera,  # noqa: F811
) -> None:  # fmt: skip
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(640, 400)
    tile.show()
    qtbot.waitExposed(tile)
    relay_to(tile, mediamtx, "cam1")
    wait_state(qtbot, tile, "live")
    qtbot.wait(int((LivePlayer.JUDGE_AFTER_LIVE_S + 0.5) * 1000))
    assert tile.state == "live", f"a healthy picture was judged {tile.state}: {tile.player.detail}"
    assert tile.bar.state_label.property("state") == "live"

    relay = tile.player.relay
    assert relay is not None
    inject(relay, broken_ts_packets(7), times=5)
    wait_state(qtbot, tile, "degraded", timeout_s=5)  # the next read of the stats, or a stalled moment later
    assert tile.is_degraded
    assert tile.player.degradation is not None and tile.player.degradation.kind == "packets"
    assert "packets lost" in tile.player.detail
    assert tile.bar.state_label.property("state") == "degraded"
    assert "DEGRADED" in tile.bar.state_label.text()

    wait_state(qtbot, tile, "live", timeout_s=LivePlayer.HEALTHY_AFTER_S + 4)
    tile.clear()
    assert wait_for_retired_players(5)


@pytest.fixture
def overstating_camera(mediamtx: MediaMTXServer, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A camera that sends 25 pictures a second while its stream says 100 (H.264 VUI timing): a tile
    showing what arrives shows a quarter of the camera's declared rate, as a tile that cannot keep up does."""
    argv = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
            "-bsf:v", "h264_metadata=tick_rate=200",  # two ticks a frame: 100 fps declared
            "-f", "rtsp", "-rtsp_transport", "tcp", mediamtx.endpoints.rtsp_url("fast")]  # fmt: skip
    process = subprocess.Popen(argv, stderr=(tmp_path / "fast.log").open("wb"))
    try:
        wait_path_ready(mediamtx, "fast")
        yield process
    finally:
        process.terminate()
        process.wait(10)


def test_a_tile_showing_far_fewer_pictures_than_the_camera_sends_is_degraded(  # type: ignore[no-untyped-def]
    qtbot, themed, mediamtx, overstating_camera,  # noqa: F811
) -> None:  # fmt: skip
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(640, 400)
    tile.show()
    qtbot.waitExposed(tile)
    relay_to(tile, mediamtx, "fast")
    wait_state(qtbot, tile, "live")
    wait_state(qtbot, tile, "degraded", timeout_s=LivePlayer.JUDGE_AFTER_LIVE_S + 4)
    trouble = tile.player.degradation
    assert trouble is not None and trouble.kind == "slow", trouble
    assert trouble.camera_fps == pytest.approx(100, abs=1)
    assert trouble.shown_fps < 60
    assert "of the camera's 100 fps" in tile.player.detail
    tile.clear()
    assert wait_for_retired_players(5)


# ---------------------------------------------------------------------------------------------------
# A site's camera: the relay reads the site's MediaMTX with the site's read login, kept in the secret store


@pytest.fixture
def site_mediamtx(tmp_path: Path) -> Iterator[MediaMTXServer]:
    """A site's MediaMTX: cameras publish from loopback without a login, and reading takes the site's login."""
    from video_streaming.runtime.mediamtx_server import MediaMTXEndpoints

    endpoints = MediaMTXEndpoints.allocate()
    users = [
        {"user": "any", "pass": "", "ips": ["127.0.0.1/32", "::1/128"], "permissions": [{"action": "publish"}]},
        {"user": "wall", "pass": SITE_READ_PASSWORD, "ips": [], "permissions": [{"action": "read"}]},
        {"user": endpoints.api_user, "pass": endpoints.api_password, "ips": ["127.0.0.1"],
         "permissions": [{"action": "api"}]},
    ]  # fmt: skip
    server = MediaMTXServer(tmp_path / "site-mediamtx", endpoints, overrides={"authInternalUsers": users})
    server.start()
    try:
        yield server
    finally:
        server.stop()


SITE_READ_PASSWORD = "site-read-" + "x7Qp2"


def site_rtsp_url(site_mediamtx: MediaMTXServer, tmp_path: Path, password: str, path: str) -> str:
    from video_streaming.bootstrap import build_site, site_secret_name
    from video_streaming.config import SiteSettings
    from video_streaming.secrets import SecretStore

    endpoints = site_mediamtx.endpoints
    settings = SiteSettings(name="Harbour", api_url=endpoints.api_url, rtsp_port=endpoints.rtsp_port,
                            stream_user="wall", bucket="unused", access_key="unused")  # fmt: skip
    store = SecretStore(tmp_path / f"secrets-{password}.json", use_keyring=False)
    store.set(site_secret_name(settings, "mediamtx-reader"), password)
    store.set(site_secret_name(settings, "s3-secret-key"), "unused")
    return build_site(settings, store).urls.for_reader(path)["rtsp"]


def test_a_site_camera_plays_through_the_relay_with_the_sites_read_login(  # type: ignore[no-untyped-def]
    qtbot, themed, site_mediamtx, tmp_path,  # noqa: F811
) -> None:  # fmt: skip
    from video_streaming.runtime.synthetic_camera import SyntheticCamera

    camera = SyntheticCamera(site_mediamtx.endpoints.rtsp_url("dock"), tmp_path / "dock.log")
    camera.start()
    try:
        wait_path_ready(site_mediamtx, "dock")
        tile = VideoTile()
        qtbot.addWidget(tile)
        tile.resize(640, 400)
        tile.show()
        qtbot.waitExposed(tile)

        tile.assign("dock", "Dock", site_rtsp_url(site_mediamtx, tmp_path, "wrong", "dock"), Transport.RELAY)
        relay = tile.player.relay
        assert relay is not None
        qtbot.waitUntil(lambda: relay.status.state.value == "restarting", timeout=10_000)
        assert "401" in relay.status.detail or "Unauthorized" in relay.status.detail, relay.status.detail
        assert "wrong" not in relay.status.detail
        assert tile.state != "live"

        tile.assign("dock", "Dock", site_rtsp_url(site_mediamtx, tmp_path, SITE_READ_PASSWORD, "dock"), Transport.RELAY)
        wait_state(qtbot, tile, "live")
        qtbot.wait(800)
        assert_moving_picture(qtbot, tile)
        relay = tile.player.relay
        assert relay is not None and relay.pid is not None
        for view in ("cmdline", "environ"):
            assert SITE_READ_PASSWORD.encode() not in Path(f"/proc/{relay.pid}/{view}").read_bytes(), view
        tile.clear()
        assert relay.wait_closed(5) and wait_for_retired_players(5)
    finally:
        camera.stop()


@pytest.fixture
def window(  # type: ignore[no-untyped-def]
    qapp, qasync_loop: qasync.QEventLoop, mediamtx: MediaMTXServer, qt_core_factory, tmp_path: Path
) -> Iterator[MainWindow]:
    # Torn down before the cores and the media server, as the app quits.
    from PySide6.QtCore import QSettings

    from vidstream_desktop.resources import load_theme

    load_theme(qapp)
    main_window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main_window.resize(1000, 700)
    main_window.show()
    yield main_window
    try:
        assert main_window.grid.stop_all(wait_s=10), "a player or relay did not stop"
    finally:
        close_window(qasync_loop, main_window)


def test_the_app_plays_over_the_relay_and_its_status_bar_counts_a_degraded_tile(  # type: ignore[no-untyped-def]
    qasync_loop, window: MainWindow, qt_core_factory, mediamtx: MediaMTXServer, camera_factory, minio,
) -> None:  # fmt: skip
    core = qt_core_factory(minio)
    camera_factory("cam1")
    camera_id = str(core.add_camera("Lobby", mediamtx.endpoints.rtsp_url("cam1")).value.id)

    async def scenario() -> None:
        await core.start()
        wall = window.attach_core(core)
        assert wall.transports[0] is Transport.RELAY
        await wall.populate()
        [tile] = [t for t in window.grid.tiles() if t.camera_id == camera_id]
        await until(lambda: tile.state == "live", 20, "the tile goes live")
        assert tile.transport is Transport.RELAY and tile.bar.transport_label.text() == "RELAY"
        # The embedded server's H.264 camera (with AAC sound, muted) is relayed from its RTMP.
        assert tile.player.relay is not None and tile.player.relay.source_protocol == "rtmp"
        path = core.streams[camera_id].path_name
        assert path in await asyncio.to_thread(rtmp_readers, mediamtx)
        await wall.refresh_health()
        assert not window.health_bar.degraded.isVisible()
        await asyncio.sleep(LivePlayer.JUDGE_AFTER_LIVE_S + 0.5)
        relay = tile.player.relay
        assert relay is not None
        inject(relay, broken_ts_packets(7), times=5)
        await until(lambda: tile.state == "degraded", 5, "the tile is degraded")
        await until(lambda: window.health_bar.degraded.isVisible(), 2, "the status bar counts it")
        assert "Degraded 1" in window.health_bar.degraded.text()
        assert window.health_bar.degraded.level == "warning"
        assert "1/1" in window.health_bar.cameras.text()  # degraded, not offline
        await until(lambda: tile.state == "live", LivePlayer.HEALTHY_AFTER_S + 5, "live again")
        await until(lambda: not window.health_bar.degraded.isVisible(), 2, "the count goes")

    run(qasync_loop, scenario(), timeout=90)


# ---------------------------------------------------------------------------------------------------
# Sound


def relay_argv_of(relay: object) -> list[bytes]:
    pid = getattr(relay, "pid", None)
    assert pid is not None
    return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")


def test_a_tile_is_muted_and_silent_until_unmuted_then_plays_the_cameras_sound(qtbot, themed, mediamtx, camera) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.resize(640, 400)
    tile.show()
    qtbot.waitExposed(tile)
    relay_to(tile, mediamtx, "cam1")  # the synthetic camera sends a 1 kHz tone as AAC
    wait_state(qtbot, tile, "live")
    assert tile.is_muted and tile.bar.mute_button.isChecked() and "tileMuteButton" in tile.bar.usable_tools()
    relay = tile.player.relay
    assert relay is not None and not relay.audio
    assert b"0:a:0?" not in relay_argv_of(relay), "a muted wall relays no sound"
    stats = tile.player._read_stats()
    assert stats is not None and stats.decoded_audio == 0

    tile.bar.mute_button.click()  # unmute: the relay starts again with the sound
    assert not tile.is_muted
    sounding = tile.player.relay
    assert sounding is not None and sounding is not relay and sounding.audio
    assert relay.wait_closed(2)
    wait_state(qtbot, tile, "live")
    qtbot.waitUntil(lambda: (tile.player._read_stats() or stats).decoded_audio > 0, timeout=5000)
    assert changes_within(qtbot, tile, 3.0), "the picture moves with the sound on"

    # Muted again: the same relay. (Whether libvlc's audio output is silent cannot be read back here: Xvfb's
    # dummy audio output keeps no mute state.)
    tile.bar.mute_button.click()
    assert tile.is_muted and tile.bar.mute_button.isChecked() and tile.player.relay is sounding
    tile.clear()
    assert sounding.wait_closed(5) and wait_for_retired_players(5)


@pytest.mark.parametrize("encoder", [["libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"],
                                     ["libx264", "-preset", "veryfast", "-bf", "2"]],
                         ids=["h265", "h264-b-frames"])  # fmt: skip
def test_the_relay_plays_h265_and_b_frames_without_probing_the_stream(  # type: ignore[no-untyped-def]
    qtbot, themed, mediamtx, tmp_path, encoder,  # noqa: F811
) -> None:  # fmt: skip
    # The relay of a muted tile starts with -analyzeduration 0: the codec and its parameters come from the SDP.
    argv = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-c:v", *encoder, "-g", "15",
            "-pix_fmt", "yuv420p", "-f", "rtsp", "-rtsp_transport", "tcp",
            mediamtx.endpoints.rtsp_url("kind")]  # fmt: skip
    publisher = subprocess.Popen(argv, stderr=(tmp_path / "kind.log").open("wb"))
    try:
        wait_path_ready(mediamtx, "kind")
        tile = VideoTile()
        qtbot.addWidget(tile)
        tile.resize(480, 300)
        tile.show()
        qtbot.waitExposed(tile)
        relay_to(tile, mediamtx, "kind")
        wait_state(qtbot, tile, "live")
        qtbot.waitUntil(lambda: tile.player.video_size() == (320, 180), timeout=3000)
        assert changes_within(qtbot, tile, 3.0)
        tile.clear()
        assert wait_for_retired_players(5)
    finally:
        publisher.terminate()
        publisher.wait(10)


def test_an_unmuted_tile_plays_a_g711_cameras_sound(  # type: ignore[no-untyped-def]
    qtbot, themed, mediamtx, tmp_path,  # noqa: F811
) -> None:  # fmt: skip
    # MPEG-TS has no place for G.711 (what most cameras send): the sounding relay encodes it to AAC.
    argv = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15",
            "-re", "-f", "lavfi", "-i", "sine=frequency=800:sample_rate=8000",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p",
            "-c:a", "pcm_alaw", "-ar", "8000", "-ac", "1",
            "-f", "rtsp", "-rtsp_transport", "tcp", mediamtx.endpoints.rtsp_url("alaw")]  # fmt: skip
    publisher = subprocess.Popen(argv, stderr=(tmp_path / "alaw.log").open("wb"))
    try:
        wait_path_ready(mediamtx, "alaw")
        tile = VideoTile()
        qtbot.addWidget(tile)
        tile.resize(480, 300)
        tile.show()
        qtbot.waitExposed(tile)
        relay_to(tile, mediamtx, "alaw")
        wait_state(qtbot, tile, "live")
        tile.bar.mute_button.click()  # unmute
        assert not tile.is_muted and tile.player.relay is not None and tile.player.relay.audio
        wait_state(qtbot, tile, "live")
        qtbot.waitUntil(lambda: (tile.player._read_stats() or vlc_stats_none()).decoded_audio > 0, timeout=8000)
        assert changes_within(qtbot, tile, 3.0)
        tile.clear()
        assert wait_for_retired_players(5)
    finally:
        publisher.terminate()
        publisher.wait(10)


def vlc_stats_none() -> object:
    import vlc

    return vlc.MediaStats()
