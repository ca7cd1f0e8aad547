"""Reasons with an external MediaMTX: configured, not started by the app, so its log is not the app's to read
(and MediaMTX v1.20.1's API says only "not ready" of a source it cannot pull). The camera itself is asked:
a refused login (401) and a path the camera does not serve (404) are told as such, before the start's 10 s timeout."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.fixtures.core import s3_storage
from tests.fixtures.field_cameras import CameraServer, FieldCamera, FieldPublisher
from tests.fixtures.servers import S3Target, wait_path_ready
from video_streaming.bootstrap import build_core
from video_streaming.config import MediaMTXSettings, RecordingSettings, Settings
from video_streaming.core import VidStreamCore
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.secrets import SecretStore


@pytest.fixture
def camera_server(tmp_path: Path) -> Iterator[CameraServer]:
    """The camera's own RTSP server, asking for digest credentials."""
    server = CameraServer(tmp_path / "camera-server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def external_core(tmp_path: Path, mediamtx: MediaMTXServer, minio: S3Target) -> AsyncIterator[VidStreamCore]:
    """A core configured for a MediaMTX it does not run (the test started it): API and reader logins only."""
    endpoints = mediamtx.endpoints
    store = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    store.set("mediamtx-api", endpoints.api_password)
    store.set("mediamtx-reader", endpoints.reader_password)
    settings = Settings(
        mediamtx=MediaMTXSettings(embedded=False, host=endpoints.host, api_port=endpoints.api_port,
                                  username=endpoints.api_user, reader_user=endpoints.reader_user,
                                  rtsp_port=endpoints.rtsp_port, srt_port=endpoints.srt_port,
                                  hls_port=endpoints.hls_port, rtmp_port=endpoints.rtmp_port),
        recording=RecordingSettings(segment_seconds=2, min_free_mb=1), data_dir=str(tmp_path / "data"),
        demo_cameras=0,
    )  # fmt: skip
    core = build_core(settings, store, None, storage=s3_storage(minio))
    yield core
    await asyncio.wait_for(core.close(), timeout=30)


async def test_an_external_mediamtx_still_gets_the_cameras_own_401_and_404(
    external_core: VidStreamCore, camera_server: CameraServer, tmp_path: Path
) -> None:
    publisher = FieldPublisher(FieldCamera(), camera_server.url("gate"), tmp_path)
    publisher.start()
    try:
        wait_path_ready(camera_server.server, "gate")
        await external_core.start()
        wrong = camera_server.url("gate").replace(camera_server.password, "wrong-password")
        loop = asyncio.get_running_loop()
        cases = ((wrong, "refused the credentials (RTSP 401"), (camera_server.url("no-such-stream"), "no stream at"))
        for url, expected in cases:
            camera = external_core.add_camera("cam", url).value
            began = loop.time()
            started = await external_core.record(str(camera.id))
            assert started.is_failure and started.error is not None
            assert expected in started.error.message, started.error.message
            assert loop.time() - began < 7, f"the camera said no at once; the start waited {loop.time() - began:.1f} s"
            assert camera_server.password not in started.error.message
            assert "wrong-password" not in started.error.message

        # The same camera with the right login records: the probe's own exchange did not get in the way.
        good = external_core.add_camera("gate", camera_server.url("gate")).value
        recorded = await external_core.record(str(good.id))
        assert recorded.is_success, recorded.error
        recording_id = str(recorded.value.id)
        async with asyncio.timeout(20):
            while not external_core.catalog.segments(recording_id):
                await asyncio.sleep(0.1)
        publisher.stop()  # the camera reboots
        async with asyncio.timeout(20):
            while not external_core.catalog.gaps(recording_id):
                await asyncio.sleep(0.1)
        (_, _, reason), *_ = external_core.catalog.gaps(recording_id)
        # Without the server's log the recorder's own words are all there is (MediaMTX's "EOF" is in that log).
        assert "stopped sending" in reason, reason
    finally:
        publisher.stop()
