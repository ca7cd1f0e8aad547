"""Who may watch or publish on the app's own MediaMTX (#15): nobody without this run's login, and the app's
own readers (recorder, tiles) use that login without putting it on a command line."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fixtures.local_user import as_other_user
from video_streaming.bootstrap import EmbeddedStack, build_core, register_demo_cameras, start_embedded_stack
from video_streaming.config import RecordingSettings, Settings, StorageSettings
from video_streaming.core import VidStreamCore
from video_streaming.runtime.synthetic_camera import CameraSpec, SyntheticCamera
from video_streaming.secrets import SecretStore
from vidstream_desktop.wall.srt_probe import ProbeOutcome, probe_srt


@dataclass
class Embedded:
    stack: EmbeddedStack
    core: VidStreamCore
    camera_id: str


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[Embedded]:
    """The desktop's default: app-owned MediaMTX with one demo camera, nothing opened up for tests."""
    settings = Settings(data_dir=str(tmp_path / "data"), demo_cameras=1,
                        storage=StorageSettings(kind="local", local_path=str(tmp_path / "archive")),
                        recording=RecordingSettings(segment_seconds=2, min_free_mb=1))  # fmt: skip
    store = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    stack = start_embedded_stack(settings, store)
    try:
        assert stack.mediamtx is not None
        assert stack.mediamtx.wait_paths_ready(["demo/cam1"], 15.0), stack.mediamtx.process.log_tail(800)
        core = build_core(settings, store, stack)
        camera = register_demo_cameras(core, stack)[0]
        try:
            yield Embedded(stack, core, str(camera.id))
        finally:
            await core.close()
    finally:
        stack.stop()


def command_lines() -> list[str]:
    lines = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            lines.append(cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return lines


async def test_recorder_and_tiles_read_with_a_login_that_no_command_line_shows(embedded: Embedded) -> None:
    core, endpoints = embedded.core, embedded.stack.mediamtx.endpoints  # type: ignore[union-attr]
    started = await core.record(embedded.camera_id)
    assert started.is_success, started.error
    folder = core.service.recording_dirs[started.value.id]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not any(p.stat().st_size > 0 for p in folder.glob("*.mp4")):
        await asyncio.sleep(0.1)
    assert any(p.stat().st_size > 0 for p in folder.glob("*.mp4")), "the recorder got no video with its login"
    everyone_sees = "\n".join(command_lines())
    for secret in (endpoints.reader_password, endpoints.api_password):
        assert secret not in everyone_sees, "a password of the media server is on a command line"
    # The tiles' SRT address carries the login (for libvlc, inside this process): the server lets it in.
    srt = core.live_urls(embedded.camera_id)["srt"]
    assert endpoints.reader_password in srt
    accepted = await asyncio.to_thread(probe_srt, srt)
    assert accepted.outcome is ProbeOutcome.ACCEPTED, accepted
    path = core.streams[embedded.camera_id].path_name
    anonymous = await asyncio.to_thread(probe_srt, core.service.urls.srt(path))
    # Refused, or left unanswered (MediaMTX pauses before it answers a failed login): never let in.
    assert anonymous.outcome in {ProbeOutcome.REFUSED, ProbeOutcome.UNREACHABLE}, anonymous
    await core.stop_recording(embedded.camera_id)


async def test_another_local_user_can_neither_watch_nor_publish(embedded: Embedded) -> None:
    endpoints = embedded.stack.mediamtx.endpoints  # type: ignore[union-attr]
    started = await embedded.core.start_camera(embedded.camera_id)
    assert started.is_success, started.error
    for path in ("demo/cam1", started.value.path_name):
        watched = await asyncio.to_thread(as_other_user, [
            "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=codec_name",
            endpoints.rtsp_url(path)], 20)  # fmt: skip
        assert watched.returncode != 0 and "401" in watched.stderr, f"another user watched {path}: {watched}"
        spoofed = await asyncio.to_thread(as_other_user, [
            "ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "3",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "rtsp", "-rtsp_transport", "tcp",
            endpoints.rtsp_url(path)], 30)  # fmt: skip
        assert spoofed.returncode != 0 and "401" in spoofed.stderr, f"another user published on {path}: {spoofed}"
    # The demo camera still feeds its path: nobody took it over.
    assert embedded.stack.mediamtx.wait_paths_ready(["demo/cam1"], 1.0)  # type: ignore[union-attr]


async def test_hls_answers_no_web_origin(embedded: Embedded) -> None:
    endpoints = embedded.stack.mediamtx.endpoints  # type: ignore[union-attr]
    started = await embedded.core.start_camera(embedded.camera_id)
    assert started.is_success, started.error
    url = endpoints.hls_url(started.value.path_name)
    async with httpx.AsyncClient(timeout=10, trust_env=False, follow_redirects=True) as client:
        anonymous = await client.get(url, headers={"Origin": "http://evil.example"})
        assert anonymous.status_code == 401
        logged_in = await client.get(url, headers={"Origin": "http://evil.example"},
                                     auth=(endpoints.reader_user, endpoints.reader_password))  # fmt: skip
    assert logged_in.status_code in {200, 404}, logged_in.status_code  # 404 until the first HLS segment exists
    assert "access-control-allow-origin" not in logged_in.headers
    assert "access-control-allow-origin" not in anonymous.headers


async def test_a_pushing_camera_publishes_with_its_own_login_and_cannot_be_taken_over(
    embedded: Embedded, tmp_path: Path
) -> None:
    core, endpoints = embedded.core, embedded.stack.mediamtx.endpoints  # type: ignore[union-attr]
    url = f"rtsp://127.0.0.1:{endpoints.rtsp_port}/field/door"
    added = core.add_camera("Door", url.replace("://", "://door:Door-Pa55@"))
    assert added.is_success, added.error
    await core.sync_publishers()
    # The camera itself (a device on the LAN or this machine) pushes with its login. Its own command line is
    # the device's business; the app never runs it.
    device = SyntheticCamera(url.replace("://", "://door:Door-Pa55@"), tmp_path / "door.log", CameraSpec(audio=False))
    device.start()
    try:
        # Pulled from its own path once it publishes (a start before that is told the camera's 404 at once).
        assert await asyncio.to_thread(embedded.stack.mediamtx.wait_paths_ready, ["field/door"], 15.0)  # type: ignore[union-attr]
        started = await core.start_camera(str(added.value.id))
        assert started.is_success, started.error
        wrong = await asyncio.to_thread(as_other_user, publish_argv(url), 30)
        assert wrong.returncode != 0 and "401" in wrong.stderr, wrong
        other_path = await asyncio.to_thread(
            as_other_user, publish_argv(f"rtsp://door:Door-Pa55@127.0.0.1:{endpoints.rtsp_port}/demo/cam9"), 30)
        assert other_path.returncode != 0, "the camera's login published on another path"
        # Even with the camera's own password, nobody takes over while it streams.
        takeover = await asyncio.to_thread(as_other_user, publish_argv(url.replace("://", "://door:Door-Pa55@")), 30)
        assert takeover.returncode != 0, takeover
        assert device.running and embedded.stack.mediamtx.wait_paths_ready(["field/door"], 1.0)  # type: ignore[union-attr]
    finally:
        device.stop()


def publish_argv(url: str) -> list[str]:
    return ["ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "3",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "rtsp", "-rtsp_transport", "tcp", url]  # fmt: skip
