"""The pure ONVIF rules (addresses, which profile is the main and which the sub-stream, unsupported
codecs) and the service on a fake ONVIF port."""

from __future__ import annotations

import pytest

from video_streaming.adapters.onvif_replies import declare_missing_prefixes
from video_streaming.domain.errors import InvalidInput
from video_streaming.domain.onvif import (
    DeviceAddress,
    DiscoveredDevice,
    OnvifDevice,
    OnvifProfile,
    PtzPreset,
    PtzVelocity,
    UnsupportedCodec,
    choose_streams,
    name_from_scopes,
    parse_device_address,
)
from video_streaming.onvif_cameras import OnvifCameraService
from video_streaming.ports import OnvifClient, PtzTarget


def profile(token: str, encoding: str, width: int, height: int, ptz: bool = False) -> OnvifProfile:
    return OnvifProfile(token, token, encoding, width, height, f"rtsp://cam/{token}", ptz)


def device(*profiles: OnvifProfile) -> OnvifDevice:
    return OnvifDevice(DeviceAddress("192.0.2.10"), "Maker", "Model", profiles)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.0.2.10", DeviceAddress("192.0.2.10", 80)),
        (" 192.0.2.10:8080 ", DeviceAddress("192.0.2.10", 8080)),
        ("camera-3.local:8000", DeviceAddress("camera-3.local", 8000)),
        ("[2001:db8::5]:8080", DeviceAddress("2001:db8::5", 8080)),
        ("2001:db8::5", DeviceAddress("2001:db8::5", 80)),
        ("http://192.0.2.10:8899/onvif/device_service", DeviceAddress("192.0.2.10", 8899)),
    ],
)
def test_device_addresses(text: str, expected: DeviceAddress) -> None:
    assert parse_device_address(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty"), ("cam:99999", "port"), ("cam:http", "port"), ("rtsp://cam", "http"), ("bad host!", "host")],
)
def test_bad_device_addresses_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_device_address(text)


def test_largest_playable_profile_is_main_smallest_is_sub() -> None:
    offered = (profile("mid", "H264", 1280, 720), profile("mjpeg", "JPEG", 3840, 2160),
               profile("big", "H265", 2560, 1440), profile("small", "H264", 640, 360))  # fmt: skip
    streams = choose_streams(device(*offered))
    assert (streams.main.token, streams.main.codec) == ("big", "H.265")
    assert streams.sub is not None and streams.sub.token == "small"


def test_one_profile_has_no_sub_stream() -> None:
    streams = choose_streams(device(profile("only", "H264", 1920, 1080), profile("same", "H264", 1920, 1080)))
    assert streams.main.token == "only" and streams.sub is None
    assert not streams.has_ptz


def test_ptz_is_known_from_any_profile_and_prefers_the_main_one() -> None:
    streams = choose_streams(device(profile("a", "H264", 1920, 1080), profile("b", "H264", 640, 360, ptz=True)))
    assert streams.has_ptz and streams.ptz_profile is not None and streams.ptz_profile.token == "b"
    both = choose_streams(device(profile("a", "H264", 1920, 1080, ptz=True), profile("b", "H264", 640, 360, ptz=True)))
    assert both.ptz_profile is not None and both.ptz_profile.token == "a"


def test_no_h264_or_h265_profile_is_a_clear_message() -> None:
    with pytest.raises(UnsupportedCodec, match=r"no H\.264 or H\.265 profile \(it offers: JPEG, MPEG4\)"):
        choose_streams(device(profile("a", "JPEG", 1920, 1080), profile("b", "MPEG4", 640, 360)))
    with pytest.raises(UnsupportedCodec, match="it offers: none"):
        choose_streams(device())


def test_name_from_scopes() -> None:
    scopes = ("onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/name/Front%20door")
    assert name_from_scopes(scopes) == "Front door"
    assert name_from_scopes(("onvif://www.onvif.org/hardware/X",)) == ""


class FakeOnvifClient(OnvifClient):
    def __init__(self, answer: OnvifDevice) -> None:
        self.answer = answer
        self.calls: list[tuple[object, ...]] = []

    async def read_device(self, address: DeviceAddress, username: str, password: str) -> OnvifDevice:
        self.calls.append(("read", address, username, password))
        return self.answer

    async def discover(self, unicast_to: DeviceAddress | None, timeout: float) -> list[DiscoveredDevice]:
        self.calls.append(("discover", unicast_to, timeout))
        return []

    async def ptz_move(self, target: PtzTarget, velocity: PtzVelocity) -> None:
        self.calls.append(("move", target.profile_token, velocity))

    async def ptz_stop(self, target: PtzTarget) -> None:
        self.calls.append(("stop", target.profile_token))

    async def ptz_presets(self, target: PtzTarget) -> list[PtzPreset]:
        self.calls.append(("presets", target.profile_token))
        return [PtzPreset("1", "Gate")]

    async def ptz_save_preset(self, target: PtzTarget, name: str, token: str | None = None) -> str:
        self.calls.append(("save", target.profile_token, name, token))
        return token or "new"

    async def ptz_goto_preset(self, target: PtzTarget, token: str) -> None:
        self.calls.append(("goto", target.profile_token, token))

    async def ptz_remove_preset(self, target: PtzTarget, token: str) -> None:
        self.calls.append(("remove", target.profile_token, token))


async def test_service_parses_the_address_and_trims_the_user() -> None:
    client = FakeOnvifClient(device(profile("main", "H264", 1920, 1080)))
    streams = await OnvifCameraService(client).read_streams("192.0.2.10:8080", " admin ", " pass ")
    assert streams.main.token == "main"
    assert client.calls == [("read", DeviceAddress("192.0.2.10", 8080), "admin", " pass ")]


async def test_service_discovery_is_multicast_without_an_address_and_unicast_with_one() -> None:
    client = FakeOnvifClient(device())
    service = OnvifCameraService(client)
    await service.find_cameras("", timeout=1)
    await service.find_cameras("192.0.2.10", timeout=2)
    assert client.calls == [("discover", None, 1), ("discover", DeviceAddress("192.0.2.10", 80), 2)]
    with pytest.raises(InvalidInput):
        await service.find_cameras("bad host!")


async def test_a_still_velocity_stops_and_a_nudge_ends_with_a_stop() -> None:
    client = FakeOnvifClient(device())
    ptz = OnvifCameraService(client).ptz("192.0.2.10", "admin", "pass", "main")
    await ptz.move(PtzVelocity(pan=0.5))
    assert ptz.moving
    await ptz.move(PtzVelocity())
    await ptz.nudge(PtzVelocity(zoom=-1.0), 0.01)
    assert client.calls == [("move", "main", PtzVelocity(pan=0.5)), ("stop", "main"),
                            ("move", "main", PtzVelocity(zoom=-1.0)), ("stop", "main")]  # fmt: skip
    assert not ptz.moving
    assert "pass" not in repr(ptz.target)


def test_ptz_speeds_are_bounded() -> None:
    with pytest.raises(InvalidInput, match="outside"):
        PtzVelocity(pan=1.5)


async def test_presets_are_named_trimmed_and_refused_without_a_name() -> None:
    client = FakeOnvifClient(device())
    ptz = OnvifCameraService(client).ptz("192.0.2.10", "admin", "pass", "main")
    assert await ptz.save_preset("  Gate ") == "new"
    assert await ptz.save_preset("Gate, wider", token="new") == "new"
    with pytest.raises(InvalidInput, match="needs a name"):
        await ptz.save_preset("   ")
    assert await ptz.presets() == [PtzPreset("1", "Gate")]
    await ptz.goto_preset("1")
    await ptz.remove_preset("1")
    assert client.calls == [("save", "main", "Gate", None), ("save", "main", "Gate, wider", "new"),
                            ("presets", "main"), ("goto", "main", "1"), ("remove", "main", "1")]  # fmt: skip


def test_undeclared_well_known_prefixes_are_declared_on_the_envelope_and_unknown_ones_are_not() -> None:
    from lxml import etree

    reply = (b'<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
             b'xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><ptz:GetPresetsResponse>'
             b'<tptz:Preset token="p1"><tt:Name>Gate</tt:Name></tptz:Preset>'
             b'</ptz:GetPresetsResponse></s:Body></s:Envelope>')  # fmt: skip
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(reply)
    mended = etree.fromstring(declare_missing_prefixes(reply))
    (preset,) = mended.iter("{http://www.onvif.org/ver20/ptz/wsdl}Preset")
    assert preset.get("token") == "p1" and preset.findtext("{http://www.onvif.org/ver10/schema}Name") == "Gate"
    assert declare_missing_prefixes(b"<s:Envelope xmlns:s='x'><s:Body/></s:Envelope>") == (
        b"<s:Envelope xmlns:s='x'><s:Body/></s:Envelope>"
    )  # nothing missing: untouched
    odd = b"<s:Envelope xmlns:s='x'><s:Body><acme:Thing/></s:Body></s:Envelope>"
    assert declare_missing_prefixes(odd) == odd  # a prefix nobody knows is not guessed
