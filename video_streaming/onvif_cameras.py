"""Use cases for ONVIF cameras: read a device's profiles into the main and sub-stream of a camera to add,
and find devices on the network. The dialog calls this; the ONVIF client is a port."""

from __future__ import annotations

from video_streaming.domain.onvif import (
    DiscoveredDevice,
    OnvifStreams,
    choose_streams,
    parse_device_address,
)
from video_streaming.ports import OnvifClient

DEFAULT_DISCOVERY_SECONDS = 3.0


class OnvifCameraService:
    def __init__(self, client: OnvifClient) -> None:
        self.client = client

    async def read_streams(self, address: str, username: str, password: str) -> OnvifStreams:
        """The stream URLs (without credentials), resolutions and codecs to fill a new camera with.
        Raises InvalidInput, Unauthorized, NotOnvifDevice, UnsupportedCodec or ServerUnreachable."""
        device = await self.client.read_device(parse_device_address(address), username.strip(), password)
        return choose_streams(device)

    async def find_cameras(
        self, unicast_address: str = "", timeout: float = DEFAULT_DISCOVERY_SECONDS
    ) -> list[DiscoveredDevice]:
        """WS-Discovery: multicast to the local network, or (an address given) one unicast probe."""
        target = parse_device_address(unicast_address) if unicast_address.strip() else None
        return await self.client.discover(target, timeout)
