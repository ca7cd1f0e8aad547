"""Nothing leaves the app that should not (#15): loopback servers are never reached through HTTP(S)_PROXY
(the API's Basic auth, the archive's signed requests, ffmpeg fetching a presigned link; the proxy here is a
closed port, so using it fails the call), child processes get none of the app's secrets, and ffmpeg reading
a segment fetches nothing the segment names."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.adapters.frame_grab import grab_frame
from video_streaming.adapters.media_files import FFmpegMediaFiles
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.adapters.s3 import S3Storage
from video_streaming.domain.errors import VidStreamError
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.ports import free_tcp_port
from video_streaming.runtime.synthetic_camera import SyntheticCamera


def clip(path: Path, container: str) -> Path:
    """Two seconds of a test picture, made at test time."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=10", "-t", "2",
                    "-c:v", "libx264", "-g", "10", "-f", container, str(path)], check=True, timeout=60)  # fmt: skip
    return path


async def archived_link(minio: S3Target, local: Path) -> str:
    storage = S3Storage(minio.endpoint_url, minio.bucket, minio.access_key, minio.secret_key, max_attempts=1)
    await storage.upload(str(local), f"outbound/{local.name}")
    return await storage.get_file_url(f"outbound/{local.name}", expires_in=300)


@pytest.fixture
def hostile_proxy(monkeypatch: pytest.MonkeyPatch) -> str:
    proxy = f"http://127.0.0.1:{free_tcp_port()}"  # nothing listens there
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    return proxy


async def test_mediamtx_api_on_loopback_bypasses_the_proxy(mediamtx: MediaMTXServer, hostile_proxy: str) -> None:
    e = mediamtx.endpoints
    async with MediaMTXClientImpl(e.host, e.api_port, username=e.api_user, password=e.api_password) as client:
        assert isinstance(await client.list_paths(), dict)


async def test_loopback_archive_bypasses_the_proxy(minio: S3Target, hostile_proxy: str) -> None:
    storage = S3Storage(minio.endpoint_url, minio.bucket, minio.access_key, minio.secret_key, max_attempts=1)
    assert await storage.list_files("") == []


async def test_children_get_none_of_the_apps_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, camera: SyntheticCamera, mediamtx: MediaMTXServer
) -> None:
    monkeypatch.setenv("VIDSTREAM_SECRET_S3_SECRET_KEY", "s3-Key-Not-For-Children")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-Key-Not-For-Children")
    server = MediaMTXServer(tmp_path / "other-mediamtx")
    server.start()
    recorder = FFmpegRecorder(segment_seconds=2)
    recording_id = uuid.uuid4()
    try:
        await recorder.start_recording(recording_id, mediamtx.endpoints.rtsp_url("cam1"), str(tmp_path / "rec"))
        ffmpeg = recorder._jobs[recording_id].process
        assert ffmpeg is not None and server.process.pid is not None
        for pid in (server.process.pid, ffmpeg.pid):
            environment = Path(f"/proc/{pid}/environ").read_bytes()
            assert b"Not-For-Children" not in environment, f"process {pid} inherited a secret"
            assert b"PATH=" in environment
    finally:
        await recorder.close()
        server.stop()


async def test_thumbnail_grabber_does_not_follow_a_playlist(
    mediamtx: MediaMTXServer, camera: SyntheticCamera, tmp_path: Path
) -> None:
    """An archive that answers a segment's link with an HLS playlist (here: MediaMTX's own) must not make
    ffmpeg fetch whatever the playlist names."""
    playlist = mediamtx.endpoints.hls_url("cam1")
    output = tmp_path / "thumb.jpg"
    assert not await grab_frame(playlist, 0.0, output, timeout=20)
    assert not output.exists()


async def test_thumbnail_of_an_archived_segment_goes_straight_to_the_loopback_archive(
    minio: S3Target, hostile_proxy: str, tmp_path: Path
) -> None:
    """The positive side of the test above, through ffmpeg (which honours http_proxy): a presigned link to
    this machine's MinIO is fetched directly, so the grab works although the proxy is a closed port."""
    link = await archived_link(minio, clip(tmp_path / "segment.mp4", "mp4"))
    output = tmp_path / "thumb.jpg"
    assert await grab_frame(link, 0.5, output, timeout=20)
    assert output.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG


async def test_export_does_not_follow_a_segment_that_is_a_playlist(minio: S3Target, tmp_path: Path) -> None:
    """A downloaded segment whose bytes are an HLS playlist naming a remote file (here a presigned link to a
    real clip): the join reads local files only and refuses it. ffmpeg's HLS demuxer already confines a local
    playlist to local protocols; the join's protocol whitelist holds for every other demuxer too."""
    remote = await archived_link(minio, clip(tmp_path / "elsewhere.ts", "mpegts"))
    segment = tmp_path / "segment.mp4"
    segment.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{remote}\n#EXT-X-ENDLIST\n")
    real = clip(tmp_path / "real.mp4", "mp4")
    media = FFmpegMediaFiles()
    for files, refused in (([segment], True), ([real], False)):  # the real file is the control
        output = tmp_path / f"export-{refused}.mp4"
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            join = media.join(files, descriptor, inpoint=None, outpoint=None, work_dir=tmp_path,
                              on_written=lambda _: None, check_stop=lambda: None)  # fmt: skip
            if refused:
                with pytest.raises(VidStreamError):
                    await asyncio.wait_for(join, 30)
            else:
                await asyncio.wait_for(join, 30)
        finally:
            os.close(descriptor)
        assert (output.stat().st_size > 10_000) is not refused


async def test_a_presigned_link_never_reaches_the_grabbers_command_line(minio: S3Target, tmp_path: Path) -> None:
    """A link is a bearer credential and /proc/*/cmdline is world-readable: ffmpeg reads it from a pipe. The
    command line is read off the running grabber (a link to a blackholed port keeps it waiting)."""
    quiet = socket.socket()
    quiet.bind(("127.0.0.1", 0))
    quiet.listen(1)  # accepts, never answers: the grab waits until its timeout
    link = f"http://127.0.0.1:{quiet.getsockname()[1]}/cam/seg.mp4?X-Amz-Signature=deadbeef"
    grab = asyncio.ensure_future(grab_frame(link, 0.0, tmp_path / "thumb.jpg", timeout=20))
    try:
        await until(lambda: grabber_command_lines(tmp_path / "thumb.jpg"), 10, "the grabber running")
        command_lines = grabber_command_lines(tmp_path / "thumb.jpg")
        assert command_lines, "the grabber was not found by its output path"
        assert not [line for line in command_lines if b"X-Amz-Signature" in line or b"127.0.0.1" in line]
    finally:
        grab.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await grab
        quiet.close()
    assert not (tmp_path / "thumb.jpg").exists()
    # and the same path reads a real archived segment (the test above checks the picture)
    assert await grab_frame(await archived_link(minio, clip(tmp_path / "segment.mp4", "mp4")), 0.5, tmp_path / "t.png")


def grabber_command_lines(output: Path) -> list[bytes]:
    lines = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            line = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
            if str(output).encode() in line:
                lines.append(line)
    return lines
