"""ONVIF against a real third-party device (ipycam in a network namespace), through the real clients
(onvif-zeep-async, WSDiscovery): profiles read, stream URLs filled and playing through the real
MediaMTX, unicast discovery, and a clear error for wrong credentials and for a device that is not ONVIF."""

from __future__ import annotations

import asyncio

import pytest

from tests.fixtures.onvif_camera import (  # noqa: F401 - onvif_camera: the fixture, by name
    OnvifTestCamera,
    grab_frame,
    onvif_camera,
    red_at_centre,
    red_slope,
    wait_for_picture,
)
from tests.fixtures.servers import wait_path_ready
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.bootstrap import build_onvif_service
from video_streaming.domain.camera import SourceUrl
from video_streaming.domain.errors import InvalidInput, ServerUnreachable, Unauthorized, VidStreamError
from video_streaming.domain.onvif import NotOnvifDevice, PtzPreset, PtzVelocity
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
    started = asyncio.get_running_loop().time()
    found = await build_onvif_service().find_cameras(onvif_camera.address, timeout=10)
    # The one device asked has answered: the probe does not wait out its timeout.
    assert asyncio.get_running_loop().time() - started < 5

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


async def test_ptz_zooms_and_pans_and_stops_as_the_picture_shows(onvif_camera: OnvifTestCamera) -> None:  # noqa: F811
    # The camera's PTZ answers to GetStatus/GetPresets do not parse (see docs/onvif.md): its picture is
    # what it reports back.
    service = build_onvif_service(timeout=10)
    streams = await service.read_streams(onvif_camera.device_address, onvif_camera.username, onvif_camera.password)
    ptz = service.ptz(onvif_camera.device_address, onvif_camera.username, onvif_camera.password, streams.main.token)
    before = grab_frame(onvif_camera)
    assert 0.3 < red_slope(before) < 0.5, red_slope(before)  # unzoomed: 255 levels over 640 columns

    await ptz.move(PtzVelocity(zoom=1.0))
    zoomed_in = lambda frame: red_slope(frame) < red_slope(before) / 1.5  # noqa: E731
    zoomed = await asyncio.to_thread(wait_for_picture, onvif_camera, zoomed_in, 20)
    await ptz.stop()
    assert zoomed_in(zoomed)
    assert not ptz.moving
    stopped = grab_frame(onvif_camera)
    await asyncio.sleep(1.0)  # a second with no command: a stopped camera's picture stays where it is
    assert abs(red_slope(grab_frame(onvif_camera)) - red_slope(stopped)) < 0.03

    centre = red_at_centre(stopped)
    await ptz.nudge(PtzVelocity(pan=1.0), 1.0)
    panned = await asyncio.to_thread(wait_for_picture, onvif_camera, lambda f: red_at_centre(f) > centre + 15, 10)
    assert red_at_centre(panned) > centre + 15  # panned right: the picture's centre is redder


async def test_a_preset_is_kept_listed_by_name_and_recalled(onvif_camera: OnvifTestCamera) -> None:  # noqa: F811
    """Stored where the camera looks, listed under its name, and recalled after the camera moved away, as
    its picture shows. (The camera's PTZ replies use undeclared namespace prefixes: mended before parsing.)"""
    service = build_onvif_service(timeout=10)
    ptz = service.ptz(onvif_camera.device_address, onvif_camera.username, onvif_camera.password, "Profile_Main")
    await ptz.nudge(PtzVelocity(zoom=1.0), 1.0)  # somewhere other than home, so the recall is seen
    kept = await asyncio.to_thread(grab_frame, onvif_camera)
    token = await ptz.save_preset("Loading dock")
    listed = await ptz.presets()
    assert PtzPreset(token, "Loading dock") in listed, listed

    await ptz.nudge(PtzVelocity(pan=1.0), 1.0)
    away = await asyncio.to_thread(wait_for_picture, onvif_camera,
                                   lambda f: abs(red_at_centre(f) - red_at_centre(kept)) > 15, 10)  # fmt: skip
    assert abs(red_at_centre(away) - red_at_centre(kept)) > 15, "the camera did not move away"
    await ptz.goto_preset(token)
    back = await asyncio.to_thread(wait_for_picture, onvif_camera,
                                   lambda f: abs(red_at_centre(f) - red_at_centre(kept)) < 5, 10)  # fmt: skip
    assert abs(red_at_centre(back) - red_at_centre(kept)) < 5 and abs(red_slope(back) - red_slope(kept)) < 0.03
    # This device has no RemovePreset: a clear refusal, not a crash.
    with pytest.raises(VidStreamError, match="does not support this ONVIF operation"):
        await ptz.remove_preset(token)


async def test_a_stop_never_overtakes_its_move(onvif_camera: OnvifTestCamera) -> None:  # noqa: F811
    service = build_onvif_service(timeout=10)
    ptz = service.ptz(onvif_camera.device_address, onvif_camera.username, onvif_camera.password, "Profile_Main")
    # A press and its release as fast as a mouse can: both on the wire at once. A slow zoom, so a stop
    # that went first would leave it zooming through the whole window below (not at its end stop).
    await asyncio.gather(ptz.move(PtzVelocity(zoom=0.2)), ptz.stop())
    settled = red_slope(grab_frame(onvif_camera))
    await asyncio.sleep(1.5)  # long enough for a zoom the stop missed to show
    assert abs(red_slope(grab_frame(onvif_camera)) - settled) < 0.02, "the camera kept zooming after the stop"
    assert not ptz.moving


async def test_ptz_with_a_wrong_password_is_refused(onvif_camera: OnvifTestCamera) -> None:  # noqa: F811
    ptz = build_onvif_service().ptz(onvif_camera.device_address, onvif_camera.username, "wrong", "Profile_Main")
    with pytest.raises(Unauthorized):
        await ptz.move(PtzVelocity(pan=0.5))
