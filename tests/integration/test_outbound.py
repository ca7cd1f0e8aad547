"""Nothing leaves the app that should not (#15): loopback servers are never reached through HTTP(S)_PROXY
(the API's Basic auth, the archive's signed requests; the proxy here is a closed port, so using it fails
the call), and child processes get none of the app's secrets."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.fixtures.servers import S3Target
from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.adapters.frame_grab import grab_frame
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.adapters.s3 import S3Storage
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.ports import free_tcp_port
from video_streaming.runtime.synthetic_camera import SyntheticCamera


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
