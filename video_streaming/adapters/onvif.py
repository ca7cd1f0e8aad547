"""ONVIF through the kept client libraries: onvif-zeep-async for the device, media and PTZ services,
WSDiscovery for the discovery messages. Every call is bounded by an explicit timeout; library errors become
the domain's errors with a message an operator can act on. Passwords are never logged."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit
from xml.dom import minidom

from onvif import ONVIFCamera
from onvif.exceptions import ONVIFAuthError, ONVIFError, ONVIFTimeoutError
from wsdiscovery.actions import constructProbe, parseProbeMatchMessage
from wsdiscovery.message import createSOAPMessage
from wsdiscovery.namespaces import NS_ACTION_PROBE_MATCH, NS_ADDRESSING

from video_streaming.adapters.onvif_replies import tolerate_undeclared_prefixes
from video_streaming.domain.errors import InvalidInput, ServerUnreachable, Unauthorized, VidStreamError
from video_streaming.domain.onvif import (
    DeviceAddress,
    DiscoveredDevice,
    NotOnvifDevice,
    OnvifDevice,
    OnvifProfile,
    PtzPreset,
    PtzVelocity,
    name_from_scopes,
)
from video_streaming.ports import OnvifClient, PtzTarget

log = logging.getLogger(__name__)
WS_DISCOVERY_PORT = 3702
MULTICAST_GROUP = "239.255.255.250"
_AUTH_FAULTS = ("not authorized", "notauthorized", "sender not authorized", "authority failure", "unauthorized")


class ZeepOnvifClient(OnvifClient):
    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout

    def _require_credentials(self, username: str, password: str) -> None:
        # The library cannot sign a request without both, and an anonymous ONVIF camera is rare and unsafe.
        if not username or not password:
            raise InvalidInput("the camera's ONVIF user name and password are both needed",
                               "enter the user the camera's own settings define for ONVIF")  # fmt: skip

    @contextlib.asynccontextmanager
    async def _camera(self, address: DeviceAddress, username: str, password: str) -> AsyncIterator[ONVIFCamera]:
        camera = ONVIFCamera(address.host, address.port, username or None, password or None, adjust_time=True)
        try:
            async with asyncio.timeout(self.timeout):
                await camera.update_xaddrs()
            yield camera
        except (TimeoutError, VidStreamError):
            raise
        except Exception as error:
            raise _domain_error(error, address) from None
        finally:
            with contextlib.suppress(Exception):
                await camera.close()

    async def _call(self, address: DeviceAddress, operation: Any, params: dict[str, Any] | None = None) -> Any:
        try:
            async with asyncio.timeout(self.timeout):
                return await operation(params)
        except TimeoutError:
            raise ServerUnreachable(f"the camera at {address} did not answer in {self.timeout:g} s") from None
        except VidStreamError:
            raise
        except Exception as error:
            raise _domain_error(error, address) from None

    async def read_device(self, address: DeviceAddress, username: str, password: str) -> OnvifDevice:
        self._require_credentials(username, password)
        try:
            async with self._camera(address, username, password) as camera:
                devicemgmt = await camera.create_devicemgmt_service()
                info = await self._call(address, devicemgmt.GetDeviceInformation)
                media = await camera.create_media_service()
                profiles = await self._call(address, media.GetProfiles)
                read = []
                for profile in profiles or []:
                    read.append(await self._profile(address, media, profile))
        except TimeoutError:
            raise ServerUnreachable(f"the camera at {address} did not answer in {self.timeout:g} s") from None
        return OnvifDevice(
            address=address,
            manufacturer=str(getattr(info, "Manufacturer", "") or ""),
            model=str(getattr(info, "Model", "") or ""),
            profiles=tuple(read),
        )

    async def _profile(self, address: DeviceAddress, media: Any, profile: Any) -> OnvifProfile:
        encoder = getattr(profile, "VideoEncoderConfiguration", None)
        resolution = getattr(encoder, "Resolution", None)
        stream_url = ""
        if encoder is not None:
            setup = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}
            request = {"StreamSetup": setup, "ProfileToken": profile.token}
            answer = await self._call(address, media.GetStreamUri, request)
            stream_url = str(getattr(answer, "Uri", "") or "")
        return OnvifProfile(
            token=str(profile.token),
            name=str(getattr(profile, "Name", "") or profile.token),
            encoding=str(getattr(encoder, "Encoding", "") or ""),
            width=int(getattr(resolution, "Width", 0) or 0),
            height=int(getattr(resolution, "Height", 0) or 0),
            stream_url=stream_url,
            ptz=getattr(profile, "PTZConfiguration", None) is not None,
        )

    async def discover(self, unicast_to: DeviceAddress | None, timeout: float) -> list[DiscoveredDevice]:
        """One probe (WSDiscovery builds and parses the messages) from a socket of our own, read until
        `timeout`: a unicast probe to one device, or multicast to the local network's discovery group."""
        loop = asyncio.get_running_loop()
        received: asyncio.Queue[tuple[bytes, str]] = asyncio.Queue()

        class _Receiver(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
                received.put_nowait((data, str(addr[0])))

        envelope = constructProbe(None, None)
        message = createSOAPMessage(envelope).encode("utf-8")
        if unicast_to is not None:
            target = (unicast_to.host, WS_DISCOVERY_PORT)
            sock = socket.socket(socket.AF_INET6 if ":" in unicast_to.host else socket.AF_INET, socket.SOCK_DGRAM)
        else:
            target = (MULTICAST_GROUP, WS_DISCOVERY_PORT)
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.setblocking(False)
        transport, _ = await loop.create_datagram_endpoint(_Receiver, sock=sock)
        found: dict[str, DiscoveredDevice] = {}
        try:
            transport.sendto(message, target)
            deadline = loop.time() + timeout
            while (left := deadline - loop.time()) > 0:
                try:
                    data, sender = await asyncio.wait_for(received.get(), left)
                except TimeoutError:
                    break
                for device in _probe_matches(data, sender, envelope.getMessageId()):
                    found.setdefault(device.service_url, device)
                if unicast_to is not None and found:
                    break  # the one device asked has answered: no need to wait out the timeout
        finally:
            transport.close()
        return sorted(found.values(), key=lambda device: (device.name, device.service_url))

    # ---- PTZ ---------------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _ptz(self, target: PtzTarget) -> AsyncIterator[Any]:
        self._require_credentials(target.username, target.password)
        try:
            async with self._camera(target.address, target.username, target.password) as camera:
                yield tolerate_undeclared_prefixes(await camera.create_ptz_service())
        except TimeoutError:
            raise ServerUnreachable(f"the camera at {target.address} did not answer in {self.timeout:g} s") from None

    async def ptz_move(self, target: PtzTarget, velocity: PtzVelocity) -> None:
        speed = {"PanTilt": {"x": velocity.pan, "y": velocity.tilt}, "Zoom": {"x": velocity.zoom}}
        async with self._ptz(target) as ptz:
            await self._call(target.address, ptz.ContinuousMove,
                             {"ProfileToken": target.profile_token, "Velocity": speed})  # fmt: skip

    async def ptz_stop(self, target: PtzTarget) -> None:
        async with self._ptz(target) as ptz:
            await self._call(target.address, ptz.Stop,
                             {"ProfileToken": target.profile_token, "PanTilt": True, "Zoom": True})  # fmt: skip

    async def ptz_presets(self, target: PtzTarget) -> list[PtzPreset]:
        async with self._ptz(target) as ptz:
            answer = await self._call(target.address, ptz.GetPresets, {"ProfileToken": target.profile_token})
        presets = []
        for item in answer or []:
            token = str(getattr(item, "token", "") or "")
            if token:
                presets.append(PtzPreset(token, str(getattr(item, "Name", "") or token)))
        return presets

    async def ptz_save_preset(self, target: PtzTarget, name: str, token: str | None = None) -> str:
        request: dict[str, Any] = {"ProfileToken": target.profile_token, "PresetName": name}
        if token:
            request["PresetToken"] = token
        async with self._ptz(target) as ptz:
            answer = await self._call(target.address, ptz.SetPreset, request)
        saved = str(answer or token or "")
        if not saved:
            raise NotOnvifDevice(f"the camera at {target.address} kept the preset but named no token for it",
                                 "recall it from the camera's own list of presets")  # fmt: skip
        return saved

    async def ptz_goto_preset(self, target: PtzTarget, token: str) -> None:
        async with self._ptz(target) as ptz:
            await self._call(target.address, ptz.GotoPreset,
                             {"ProfileToken": target.profile_token, "PresetToken": token})  # fmt: skip

    async def ptz_remove_preset(self, target: PtzTarget, token: str) -> None:
        async with self._ptz(target) as ptz:
            await self._call(target.address, ptz.RemovePreset,
                             {"ProfileToken": target.profile_token, "PresetToken": token})  # fmt: skip


def _probe_matches(data: bytes, sender: str, message_id: str) -> list[DiscoveredDevice]:
    try:
        dom = minidom.parseString(data)
        actions = dom.getElementsByTagNameNS(NS_ADDRESSING, "Action")
        action = "".join(node.data for node in actions[0].childNodes if isinstance(node, minidom.Text)).strip()
        # WS-Discovery names the answer ".../ProbeMatches"; some devices (ipycam among them) send the
        # singular ".../ProbeMatch" with the same body, which the library's own dispatcher drops.
        if action not in (NS_ACTION_PROBE_MATCH, NS_ACTION_PROBE_MATCH.removesuffix("es")):
            return []
        envelope = parseProbeMatchMessage(dom)
    except Exception:  # a stray or broken datagram on the discovery port is not ours to fail on
        return []
    if envelope.getRelatesTo() != message_id:
        return []
    devices = []
    for match in envelope.getProbeResolveMatches():
        scopes = tuple(str(scope.getValue() if hasattr(scope, "getValue") else scope) for scope in match.getScopes())
        for service_url in match.getXAddrs():
            parts = urlsplit(service_url)
            if not parts.hostname:
                continue
            default_port = 443 if parts.scheme == "https" else 80
            address = DeviceAddress(parts.hostname, parts.port or default_port)
            devices.append(DiscoveredDevice(address, service_url, name_from_scopes(list(scopes)), scopes))
    return devices


def _domain_error(error: BaseException, address: DeviceAddress) -> VidStreamError:
    text = f"{error} {getattr(error, '__cause__', '') or ''}".lower()
    if isinstance(error, ONVIFAuthError) or any(fault in text for fault in _AUTH_FAULTS) or " 401" in text:
        return Unauthorized(f"the camera at {address} refused the user name or password",
                            "check both; they are the camera's ONVIF user, not VidStream's")  # fmt: skip
    if "not supported" in text or "actionnotsupported" in text:
        # A SOAP fault from a camera that is ONVIF but lacks this one operation (ipycam: RemovePreset).
        return VidStreamError(f"the camera at {address} does not support this ONVIF operation",
                              "use the camera's own web page for it")  # fmt: skip
    if isinstance(error, ONVIFTimeoutError | TimeoutError):
        return ServerUnreachable(f"the camera at {address} did not answer in time")
    if _unreachable(error):
        return ServerUnreachable(f"nothing answers at {address}", "check the address, the port and the network")
    if isinstance(error, ONVIFError):
        log.info("ONVIF call to %s failed: %s", address, type(error.__cause__ or error).__name__)
    return NotOnvifDevice(f"the device at {address} does not answer as an ONVIF camera",
                          "check the port: ONVIF is often on 80, 8000 or 8080")  # fmt: skip


def _unreachable(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionError | OSError) and not isinstance(seen, TimeoutError):
            return True
        name = type(seen).__name__
        if name in ("ClientConnectorError", "ServerDisconnectedError", "ClientOSError"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
