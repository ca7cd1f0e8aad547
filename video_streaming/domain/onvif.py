"""What an ONVIF camera tells about itself (profiles, stream addresses, PTZ), and the pure rules that
turn it into a VidStream camera's main and sub-stream. No I/O here: the ONVIF client is a port."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from video_streaming.domain.errors import InvalidInput, VidStreamError

# Codecs MediaMTX, ffmpeg and the wall all carry; ONVIF spells H.265 both ways.
PLAYABLE_ENCODINGS = {"H264": "H.264", "H265": "H.265", "HEVC": "H.265"}
DEFAULT_ONVIF_PORT = 80
_HOST_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-.]{0,251}[A-Za-z0-9])?")


class NotOnvifDevice(VidStreamError):
    kind = "not_onvif"


class UnsupportedCodec(VidStreamError):
    kind = "unsupported_codec"


@dataclass(frozen=True)
class DeviceAddress:
    host: str
    port: int = DEFAULT_ONVIF_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_device_address(raw: str) -> DeviceAddress:
    """`host`, `host:port`, `[v6]:port` or an `http://host:port/...` device URL. Raises InvalidInput."""
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("camera address is empty", "enter the camera's IP address or host name")
    if "://" in text:
        scheme, _, rest = text.partition("://")
        if scheme.lower() not in ("http", "https"):
            raise InvalidInput(f"an ONVIF address is http(s), not {scheme}://", "enter host or host:port")
        text = rest.split("/", 1)[0]
    port = DEFAULT_ONVIF_PORT
    if text.startswith("["):
        host, _, tail = text[1:].partition("]")
        if tail.startswith(":"):
            port = _port(tail[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = _port(port_text)
    else:
        host = text
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.fullmatch(host):
            raise InvalidInput(f"{host!r} is not an IP address or host name", "for example 192.168.1.64") from None
    return DeviceAddress(host, port)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise InvalidInput(f"port {text!r} is not a number from 1 to 65535")
    return int(text)


@dataclass(frozen=True)
class OnvifProfile:
    token: str
    name: str
    encoding: str  # as the device says it: H264, H265, JPEG, MPEG4 ...
    width: int
    height: int
    stream_url: str  # as the device reports it (no credentials)
    ptz: bool = False

    @property
    def playable(self) -> bool:
        return self.encoding.upper() in PLAYABLE_ENCODINGS

    @property
    def codec(self) -> str:
        return PLAYABLE_ENCODINGS.get(self.encoding.upper(), self.encoding)

    @property
    def resolution(self) -> str:
        return f"{self.width}x{self.height}"


@dataclass(frozen=True)
class OnvifDevice:
    address: DeviceAddress
    manufacturer: str
    model: str
    profiles: tuple[OnvifProfile, ...]

    @property
    def title(self) -> str:
        return " ".join(part for part in (self.manufacturer, self.model) if part) or str(self.address)


@dataclass(frozen=True)
class OnvifStreams:
    """The camera as VidStream will use it: the largest playable profile is the main stream (recorded,
    big tiles), the smallest other one the sub-stream (small tiles)."""

    device: OnvifDevice
    main: OnvifProfile
    sub: OnvifProfile | None

    @property
    def has_ptz(self) -> bool:
        return self.ptz_profile is not None

    @property
    def ptz_profile(self) -> OnvifProfile | None:
        """The profile PTZ commands go to: the main stream's when it has PTZ."""
        return self.main if self.main.ptz else next((p for p in self.device.profiles if p.ptz), None)


def choose_streams(device: OnvifDevice) -> OnvifStreams:
    playable = [profile for profile in device.profiles if profile.playable and profile.stream_url]
    if not playable:
        found = ", ".join(sorted({p.encoding or "?" for p in device.profiles})) or "none"
        raise UnsupportedCodec(
            f"the camera has no H.264 or H.265 profile (it offers: {found})",
            "switch a stream to H.264 or H.265 in the camera's own settings",
        )
    by_size = sorted(playable, key=lambda profile: profile.width * profile.height, reverse=True)
    main = by_size[0]
    smaller = [p for p in by_size[1:] if p.width * p.height < main.width * main.height]
    return OnvifStreams(device, main, smaller[-1] if smaller else None)


@dataclass(frozen=True)
class DiscoveredDevice:
    """A device that answered a WS-Discovery probe."""

    address: DeviceAddress
    service_url: str
    name: str
    scopes: tuple[str, ...]


def name_from_scopes(scopes: tuple[str, ...] | list[str]) -> str:
    """ONVIF devices put their name in a scope `onvif://www.onvif.org/name/<name>`."""
    from urllib.parse import unquote

    for scope in scopes:
        if "onvif://www.onvif.org/name/" in scope:
            return unquote(scope.rsplit("/name/", 1)[1]).strip()
    return ""


@dataclass(frozen=True)
class PtzVelocity:
    """Continuous-move speeds in ONVIF's generic velocity space, each from -1 to 1 (pan right, tilt up
    and zoom in are positive)."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0

    def __post_init__(self) -> None:
        for value in (self.pan, self.tilt, self.zoom):
            if not -1.0 <= value <= 1.0:
                raise InvalidInput(f"PTZ speed {value} is outside -1..1")

    @property
    def still(self) -> bool:
        return self.pan == self.tilt == self.zoom == 0.0


@dataclass(frozen=True)
class PtzPreset:
    """A position the camera keeps under a token it chose, with the operator's name for it."""

    token: str
    name: str
