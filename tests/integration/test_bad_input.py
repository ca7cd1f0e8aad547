"""Bad input on real servers: a web page where a camera should be, a camera that accepts and never answers,
segments damaged on disk, and garbage left by a crash. Each time the operator gets the reason and what to
do, within a bounded time; nothing already recorded is lost; no MediaMTX path or ffmpeg is left behind."""

from __future__ import annotations

import asyncio
import dataclasses
import http.server
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.fixtures.core import TEST_TUNING, CoreFactory
from tests.fixtures.servers import CameraFactory, S3Target
from tests.fixtures.waiting import until
from video_streaming.catalog import SegmentState
from video_streaming.consistency import check
from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import VidStreamError
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import CameraSpec

READY_TIMEOUT = 4.0  # the service's wait for media, shortened from 10 s to keep the test brisk
PROBE_BUDGET = 2 * 2.0 + 1.0  # the diagnosis: a connection and one exchange, 2 s each at most, and slack
REPO = Path(__file__).resolve().parents[2]
SMALL = CameraSpec(label="good", width=320, height=180, fps=15, bitrate_kbps=300)


class _WebPage(http.server.BaseHTTPRequestHandler):
    """What many cameras serve on port 80: a login page."""

    def do_GET(self) -> None:
        body = b"<!doctype html><html><head><title>IP Camera</title></head><body>Login</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def web_page() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, name="web-page", daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


class SilentListener:
    """Accepts connections and never says a word: a hung camera, or a port that waits for the client."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.socket.getsockname()[1])
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="silent-listener", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    def open_connections(self) -> int:
        """How many accepted connections the other side has not closed yet (what it sent is read and dropped)."""
        still_open = 0
        for connection in list(self.connections):
            connection.setblocking(False)
            try:
                while connection.recv(65536):
                    pass
            except BlockingIOError:  # nothing more to read, and no end of stream: still open
                still_open += 1
            except OSError:  # reset by the other side
                pass
        return still_open

    def close(self) -> None:
        self.socket.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def silent_listener() -> Iterator[SilentListener]:
    listener = SilentListener()
    try:
        yield listener
    finally:
        listener.close()


def config_paths(mediamtx: MediaMTXServer) -> set[str]:
    e = mediamtx.endpoints
    listing = httpx.get(f"{e.api_url}/v3/config/paths/list", auth=(e.api_user, e.api_password), timeout=3).json()
    return {p["name"] for p in listing["items"]} - {"all_others"}


def recorder_processes(marker: str = "") -> list[int]:
    """ffmpeg recorders running on this machine (they write a segment list), optionally only those whose
    command line names `marker` (a recording's folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        text = b" ".join(argv).decode("utf-8", "replace")
        if argv and argv[0].endswith(b"ffmpeg") and "-segment_list" in text and marker in text:
            found.append(int(entry.name))
    return found


async def good_recording(core: VidStreamCore, mediamtx: MediaMTXServer) -> tuple[str, str]:
    """A camera recording before the bad input arrives: it must come through untouched."""
    camera_id = str(core.add_camera("Good", mediamtx.endpoints.rtsp_url("good")).value.id)
    started = await core.record(camera_id)
    assert started.is_success, started.error
    return camera_id, str(started.value.id)


async def assert_good_recording_kept(core: VidStreamCore, camera_id: str, recording_id: str) -> None:
    assert core.is_recording(camera_id), "the good camera stopped recording"
    # It keeps recording across the bad input: a few more segments close (the bad camera may fail fast).
    await until(lambda: len(core.catalog.segments(recording_id=recording_id)) >= 3, 20, "three good segments")
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    segments = core.catalog.segments(recording_id=recording_id)
    assert len(segments) >= 3 and all(s.state is SegmentState.ARCHIVED for s in segments)
    assert not core.catalog.gaps(recording_id), "the bad input disturbed the good recording"
    report = await check(core)
    assert report.clean, report.lines()


async def try_bad_camera(core: VidStreamCore, url: str) -> tuple[str, float, str, str]:
    """Record a camera at `url`; returns (camera id, seconds until the answer, message, hint)."""
    camera_id = str(core.add_camera(f"Bad {len(core.cameras())}", url).value.id)
    started = time.monotonic()
    result = await core.record(camera_id)
    elapsed = time.monotonic() - started
    assert result.is_failure and result.error is not None, f"{url} was accepted as a camera"
    assert result.error.kind == "source_unavailable", result.error
    assert not core.is_recording(camera_id) and camera_id not in core.streams
    return camera_id, elapsed, result.error.message, result.error.hint


@pytest.mark.timeout(120)
async def test_a_web_page_where_a_camera_should_be_is_named_as_such_and_leaves_nothing_behind(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target,
    web_page: int,
) -> None:  # fmt: skip
    camera_factory("good", SMALL)
    core = core_factory(minio, segment_seconds=2, tuning=dataclasses.replace(TEST_TUNING, ready_timeout=READY_TIMEOUT))
    await core.start()
    good_camera, good_recording_id = await good_recording(core, mediamtx)
    good_paths = config_paths(mediamtx)

    expectations = {
        f"http://127.0.0.1:{web_page}/": "serves a web page",  # taken for an HLS stream
        f"rtsp://127.0.0.1:{web_page}/stream1": "answers HTTP, not RTSP",  # the camera's web port, not RTSP's
        f"rtmp://127.0.0.1:{web_page}/live/cam": "answers HTTP, not RTMP",
    }
    for url, reason in expectations.items():
        _, elapsed, message, hint = await try_bad_camera(core, url)
        assert reason in message, message
        assert f"127.0.0.1:{web_page}" in message and hint, (message, hint)
        assert elapsed < READY_TIMEOUT + PROBE_BUDGET, f"{url}: {elapsed:.1f} s to fail"
        assert config_paths(mediamtx) == good_paths, "a failed camera left its path on MediaMTX"
        assert len(recorder_processes(str(core.recordings_dir))) == 1, "a recorder runs for a failed camera"

    await assert_good_recording_kept(core, good_camera, good_recording_id)
    assert config_paths(mediamtx) == good_paths  # the good camera's stream stays live until it is stopped
    assert recorder_processes(str(core.recordings_dir)) == []


@pytest.mark.timeout(120)
async def test_a_camera_that_accepts_and_never_answers_fails_in_bounded_time_and_is_let_go(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target,
    silent_listener: SilentListener,
) -> None:  # fmt: skip
    camera_factory("good", SMALL)
    core = core_factory(minio, segment_seconds=2, tuning=dataclasses.replace(TEST_TUNING, ready_timeout=READY_TIMEOUT))
    await core.start()
    good_camera, good_recording_id = await good_recording(core, mediamtx)
    good_paths = config_paths(mediamtx)

    for url in (f"http://127.0.0.1:{silent_listener.port}/live.m3u8",
                f"rtsp://user:secret@127.0.0.1:{silent_listener.port}/stream"):  # fmt: skip
        _, elapsed, message, hint = await try_bad_camera(core, url)
        assert "accepted the connection but did not answer" in message and hint, (message, hint)
        assert "secret" not in message + hint
        assert elapsed < READY_TIMEOUT + PROBE_BUDGET, f"{url}: {elapsed:.1f} s to fail"
        assert config_paths(mediamtx) == good_paths, "a failed camera left its path on MediaMTX"
        assert len(recorder_processes(str(core.recordings_dir))) == 1, "a recorder runs for a failed camera"
    # MediaMTX and the diagnosis hang up on the silent camera once the path is gone: nothing keeps pulling.
    deadline = time.monotonic() + 5
    while silent_listener.open_connections() and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert silent_listener.open_connections() == 0, "connections to the failed camera were left open"
    assert silent_listener.connections, "nothing ever tried the silent camera"

    await assert_good_recording_kept(core, good_camera, good_recording_id)


async def test_a_connection_test_reports_a_wrong_host_name_or_an_unroutable_address_within_3_s(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, minio: S3Target
) -> None:
    """The camera dialog's "Test connection" (`probe_camera`): the operator waits on it, so a name that does not
    resolve (`.invalid` never does, RFC 6761) or an address nothing answers at is reported in seconds, naming
    the host, with what to do, and nothing stays provisioned on MediaMTX."""
    core = core_factory(minio)
    await core.start()
    paths_before = config_paths(mediamtx)
    cases = {
        "rtsp://admin:secret@no-such-camera.invalid:554/stream1": "no-such-camera.invalid",
        "rtsp://admin:secret@192.0.2.10:554/stream1": "192.0.2.10:554",  # TEST-NET-1: routed nowhere
    }
    for url, named in cases.items():
        started = time.monotonic()
        with pytest.raises(VidStreamError) as raised:
            await core.probe_camera(url)
        elapsed = time.monotonic() - started
        print(f"{named}: {raised.value.message} ({elapsed * 1000:.0f} ms)")
        assert elapsed <= 3.0, f"{url}: {elapsed:.1f} s to report"
        assert named in raised.value.message and raised.value.hint, (raised.value.message, raised.value.hint)
        assert "secret" not in raised.value.message + raised.value.hint
    assert config_paths(mediamtx) == paths_before, "a probe left its path on MediaMTX"


async def test_a_start_abandoned_by_its_caller_leaves_no_path(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, minio: S3Target, silent_listener: SilentListener
) -> None:
    core = core_factory(minio)
    await core.start()
    camera_id = str(core.add_camera("Hung", f"rtsp://127.0.0.1:{silent_listener.port}/stream").value.id)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(1.5):  # the window closes, or a caller's own deadline passes
            await core.start_camera(camera_id)
    assert config_paths(mediamtx) == set(), "the abandoned start left its path on MediaMTX"


@pytest.mark.timeout(120)
async def test_segments_damaged_on_disk_before_upload_are_archived_as_they_are_and_reported(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, private_minio: S3Target
) -> None:
    camera_factory("good", SMALL)
    core = core_factory(private_minio, segment_seconds=2)
    alerts: list[tuple[str, str]] = []
    core.alert_listeners.append(lambda level, text: alerts.append((level, text)))
    await core.start()
    private_minio.server.stop()  # the segments wait on disk, where the damage happens
    camera_id = str(core.add_camera("Dock", mediamtx.endpoints.rtsp_url("good")).value.id)
    recording_id = str((await core.record(camera_id)).value.id)
    deadline = time.monotonic() + 20
    while len(core.catalog.segments(recording_id=recording_id)) < 4 and time.monotonic() < deadline:
        await asyncio.sleep(0.25)
    await core.stop_recording(camera_id)
    segments = core.catalog.segments(recording_id=recording_id)
    assert len(segments) >= 4
    cut, garbled = Path(segments[1].local_path or ""), Path(segments[2].local_path or "")
    cut_size = cut.stat().st_size // 2
    os.truncate(cut, cut_size)  # a disk error: the tail of the file is gone
    garbled.write_bytes(os.urandom(garbled.stat().st_size))  # overwritten from the first byte

    private_minio.server.start()
    assert await core.archiver.drain(timeout=30)
    damaged = core.archiver.status.damaged
    assert set(damaged) == {segments[1].object_key, segments[2].object_key}, damaged
    assert "cut short" in damaged[segments[1].object_key]
    assert "not an MP4 recording" in damaged[segments[2].object_key]
    told = [text for level, text in alerts if level == "error" and "damaged on disk" in text]
    assert len(told) == 2 and all(text.startswith("Dock: segment ") for text in told), alerts
    # Nothing is dropped: the damaged files are archived as they are, beside the intact ones.
    after = {s.id: s for s in core.catalog.segments(recording_id=recording_id)}
    assert all(s.state is SegmentState.ARCHIVED for s in after.values())
    assert after[segments[1].id].size == cut_size
    for segment in after.values():
        stored = await core.storage.stat_file(segment.object_key)
        assert stored is not None and stored.size == segment.size
    assert recorder_processes(str(core.recordings_dir)) == []
    report = await check(core)
    assert report.clean, report.lines()


# A recorder that dies mid-recording (SIGKILL: no clean-up runs), in a process of its own.
_CRASHING_RECORDER = """
import asyncio, json, sys
from pathlib import Path
from tests.fixtures.core import make_core
from tests.fixtures.servers import S3Target
from video_streaming.runtime.mediamtx_server import MediaMTXEndpoints, MediaMTXServer

config = json.loads(sys.argv[1])
async def main():
    work = Path(config["work"])
    mediamtx = MediaMTXServer(work / "client-of-mediamtx", MediaMTXEndpoints(**config["endpoints"]))
    target = S3Target(config["endpoint_url"], config["access_key"], config["secret_key"], config["bucket"], None)
    core = make_core(work, mediamtx, target, segment_seconds=2, data_dir=Path(config["data"]))
    await core.start()
    camera = core.add_camera("Crashing", config["camera_url"]).value
    recording = (await core.record(str(camera.id))).value
    print(json.dumps({"recording": str(recording.id), "dir": str(core.service.recording_dirs[recording.id])}),
          flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
"""


@pytest.mark.timeout(150)
async def test_garbage_left_by_a_crash_is_adopted_archived_and_reported_and_no_recorder_survives(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target,
    tmp_path: Path,
) -> None:  # fmt: skip
    camera_factory("good", SMALL)
    data = tmp_path / "data"
    config = {"work": str(tmp_path), "data": str(data), "endpoints": asdict(mediamtx.endpoints),
              "endpoint_url": minio.endpoint_url, "access_key": minio.access_key, "secret_key": minio.secret_key,
              "bucket": minio.bucket, "camera_url": mediamtx.endpoints.rtsp_url("good")}  # fmt: skip
    recorder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CRASHING_RECORDER, json.dumps(config), cwd=REPO, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        assert recorder.stdout is not None
        started = json.loads(await asyncio.wait_for(recorder.stdout.readline(), timeout=60))
        await asyncio.sleep(5)  # a few segments closed and catalogued
        assert recorder_processes(started["dir"]), "the recorder never started ffmpeg"
    finally:
        recorder.send_signal(signal.SIGKILL)
        await asyncio.wait_for(recorder.wait(), timeout=10)
    # Its ffmpeg must not go on recording, unsupervised, into the folder the next run adopts.
    deadline = time.monotonic() + 5
    while recorder_processes(started["dir"]) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert recorder_processes(started["dir"]) == [], "ffmpeg outlived the recorder that crashed"

    recording_dir = Path(started["dir"])
    garbage = recording_dir / f"{datetime.now(UTC):%Y%m%dT%H%M%S}Z-9.mp4"
    garbage.write_bytes(b"\x00" * 512 + os.urandom(4096))  # what a crash can leave: a header never written
    core = core_factory(minio, data_dir=data)
    await core.start()  # adopts what the catalog never heard of, then archives everything
    assert await core.archiver.drain(timeout=30)

    segments = core.catalog.segments(recording_id=started["recording"])
    garbage_key = next(s.object_key for s in segments if s.file_name == garbage.name)
    assert core.archiver.status.damaged.keys() == {garbage_key}, core.archiver.status.damaged
    assert "not an MP4 recording" in core.archiver.status.damaged[garbage_key]
    left = {p.name for p in recording_dir.glob("*.mp4")}
    assert not left, f"left on disk after archiving: {left}"
    assert len(segments) >= 3 and all(s.state is SegmentState.ARCHIVED for s in segments)
    row = core.catalog.recording(started["recording"])
    assert row is not None and row.status == "stopped" and "interrupted" in row.last_error
    report = await check(core)
    assert report.clean, report.lines()
