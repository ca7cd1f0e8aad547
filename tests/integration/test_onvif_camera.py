"""ONVIF against a real third-party device (ipycam in a network namespace), through the real clients
(onvif-zeep-async, WSDiscovery): profiles read, stream URLs filled and playing through the real
MediaMTX, unicast discovery, and a clear error for wrong credentials and for a device that is not ONVIF."""

from __future__ import annotations

import pytest

from tests.fixtures.onvif_camera import OnvifTestCamera, onvif_camera  # noqa: F401 - fixture by name
from tests.fixtures.servers import wait_path_ready
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.bootstrap import build_onvif_service
from video_streaming.domain.camera import SourceUrl
from video_streaming.domain.errors import InvalidInput, ServerUnreachable, Unauthorized
from video_streaming.domain.onvif import NotOnvifDevice
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.ports import free_tcp_port


async def test_profiles_fill_main_and_sub_stream_which_play(
    onvif_camera: OnvifTestCamera, mediamtx: MediaMTXServer  # noqa: F811
) -> None:
    service = build_onvif_service(timeout=10)
    streams = await service.read_streams(onvif_camera.device_address, onvif_camera.username, onvif_camera.password)

    assert streams.device.manufacturer == "PythonCam"
    assert (streams.main.codec, streams.main.resolution) == ("H.264", "640x360")
    assert streams.sub is not None
    assert (streams.sub.codec, streams.sub.resolution) == ("H.264", "320x180")
    assert streams.main.stream_url == f"rtsp://{onvif_camera.address}:{onvif_camera.rtsp_port}/video_main"
    assert streams.sub.stream_url.endswith("/video_sub")
    assert streams.has_ptz
    # The URLs the device reported carry no secret and are what the camera is stored with.
    assert onvif_camera.password not in streams.main.stream_url + streams.sub.stream_url

    endpoints = mediamtx.endpoints
    client = MediaMTXClientImpl(host=endpoints.host, port=endpoints.api_port, username=endpoints.api_user,
                                password=endpoints.api_password)  # fmt: skip
    try:
        for path, profile in (("onvif-main", streams.main), ("onvif-sub", streams.sub)):
            url = SourceUrl(profile.stream_url, onvif_camera.username, onvif_camera.password).with_credentials()
            assert await client.start_stream(path, url)
            ready = wait_path_ready(mediamtx, path, timeout=30)
            assert any("H264" in str(track) for track in ready.get("tracks", [])), ready
    finally:
        await client.aclose()


async def test_unicast_discovery_finds_the_camera(onvif_camera: OnvifTestCamera) -> None:  # noqa: F811
    found = await build_onvif_service().find_cameras(onvif_camera.address, timeout=3)

    assert [(str(device.address), device.name) for device in found] == [
        (onvif_camera.device_address, onvif_camera.name)
    ]


async def test_wrong_password_is_a_clear_message(onvif_camera: OnvifTestCamera) -> None:  # noqa: F811
    with pytest.raises(Unauthorized, match="refused the user name or password"):
        await build_onvif_service().read_streams(onvif_camera.device_address, onvif_camera.username, "wrong")
    with pytest.raises(InvalidInput, match="user name and password are both needed"):
        await build_onvif_service().read_streams(onvif_camera.device_address, "", "")


async def test_a_device_that_is_not_onvif(mediamtx: MediaMTXServer) -> None:
    # MediaMTX's control API: a real HTTP server that knows nothing of ONVIF.
    address = f"{mediamtx.endpoints.host}:{mediamtx.endpoints.api_port}"
    with pytest.raises(NotOnvifDevice, match="does not answer as an ONVIF camera"):
        await build_onvif_service(timeout=5).read_streams(address, "operator", "secret")


async def test_nothing_listening_is_unreachable() -> None:
    with pytest.raises(ServerUnreachable, match="nothing answers"):
        await build_onvif_service(timeout=3).read_streams(f"127.0.0.1:{free_tcp_port()}", "operator", "secret")
