"""Motion detection through the core on a media server that, like the app's own, lets nobody read anonymously:
the detector reads the camera's sub-stream path with the reader login (over RTMP for H.264), and the login
never appears on the reader's ffmpeg command line. Real MediaMTX (no anonymous user), a scripted camera
pushing with its own publish login, the real ffmpeg reader."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.servers import wait_path_ready
from tests.fixtures.waiting import until
from video_streaming.adapters.local_storage import LocalFolderStorage
from video_streaming.bootstrap import EmbeddedStack, build_core
from video_streaming.config import Settings
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.service import MotionNotice, NoticeKind
from video_streaming.runtime.mediamtx_server import MediaMTXServer, Publisher
from video_streaming.runtime.scripted_camera import SWING_REGION, MotionScript, ScriptedCamera
from video_streaming.secrets import SecretStore


@pytest.fixture
def guarded_mediamtx(tmp_path: Path) -> Iterator[MediaMTXServer]:
    server = MediaMTXServer(tmp_path / "mediamtx")  # as the app runs it: no anonymous reads or publishing
    server.publishers = [Publisher("yard-camera", "yard-push-secret", "yard")]
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_the_core_detects_motion_on_a_server_that_needs_the_reader_login(
    guarded_mediamtx: MediaMTXServer, tmp_path: Path
) -> None:
    server = guarded_mediamtx
    push_url = server.endpoints.rtsp_url("yard").replace("rtsp://", "rtsp://yard-camera:yard-push-secret@", 1)
    camera = ScriptedCamera(push_url, tmp_path / "yard.log", MotionScript(moves=((5.0, 8.0),)))
    camera.start()
    settings = Settings(data_dir=str(tmp_path / "core"), demo_cameras=0)
    core = build_core(settings, SecretStore(tmp_path / "secrets.json", use_keyring=False), EmbeddedStack(server, None),
                      storage=LocalFolderStorage(tmp_path / "archive"))  # fmt: skip
    try:
        wait_path_ready(server, "yard")
        yard = core.add_camera("Yard", server.endpoints.rtsp_url("yard")).value
        core.set_motion_settings(str(yard.id), MotionSettings(masks=(SWING_REGION,)))
        notices: list[MotionNotice] = []
        assert core.motion is not None
        core.motion.listeners.append(notices.append)
        await core.start()
        started = await core.start_motion(str(yard.id))
        assert started.is_success and started.value is True, started.error
        await until(lambda: core.motion is not None and core.motion.frames_seen(str(yard.id)) > 5, 20,
                    "frames from the guarded server")  # fmt: skip
        await until(lambda: any(n.kind is NoticeKind.STARTED for n in notices), 20, "the scripted motion")
        readers = [pid for pid in await asyncio.to_thread(ffmpeg_pids)]
        assert readers, "the reader's ffmpeg runs"
        for pid in readers:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            assert server.endpoints.reader_password.encode() not in argv, "the reader login on a command line"
            assert b"concat" in argv, "the source comes from a script on a pipe"
        # An H.264 camera is read over RTMP (whole frames: no frame held back by the RTP depacketizer).
        watched = core.sub_streams.get(str(yard.id)) or core.streams[str(yard.id)]  # the path MediaMTX pulls into
        path = wait_path_ready(server, watched.path_name)
        assert any(reader.get("type") == "rtmpConn" for reader in path.get("readers", [])), path.get("readers")
    finally:
        await asyncio.wait_for(core.close(), timeout=30)
        camera.stop()


def ffmpeg_pids() -> list[int]:
    """This process's ffmpeg children that decode to grey frames (the motion readers)."""
    import os

    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"rawvideo" in cmdline and b"gray" in cmdline:
            found.append(int(entry.name))
    return found
