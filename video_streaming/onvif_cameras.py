"""Use cases for ONVIF cameras: read a device's profiles into the main and sub-stream of a camera to add,
find devices on the network, and steer a PTZ camera. The dialog calls this; the ONVIF client is a port."""

from __future__ import annotations

import asyncio

from video_streaming.domain.errors import InvalidInput
from video_streaming.domain.onvif import (
    DiscoveredDevice,
    OnvifStreams,
    PtzPreset,
    PtzVelocity,
    choose_streams,
    parse_device_address,
)
from video_streaming.ports import OnvifClient, PtzTarget

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

    def ptz(self, address: str, username: str, password: str, profile_token: str) -> PtzControl:
        return PtzControl(self.client, PtzTarget(parse_device_address(address), username.strip(), password,
                                                 profile_token))  # fmt: skip


class PtzControl:
    """Continuous pan/tilt/zoom of one camera, as a drag, the arrow keys or the wheel drive it.

    Commands run one after the other in the order given: a stop sent while its move is still on the
    wire must never overtake it (the camera would keep turning)."""

    def __init__(self, client: OnvifClient, target: PtzTarget) -> None:
        self.client = client
        self.target = target
        self._in_order = asyncio.Lock()
        self.moving = False

    async def move(self, velocity: PtzVelocity) -> None:
        """Start (or change) a continuous move; a still velocity stops."""
        async with self._in_order:
            if velocity.still:
                await self.client.ptz_stop(self.target)
            else:
                await self.client.ptz_move(self.target, velocity)
            self.moving = not velocity.still

    async def stop(self) -> None:
        await self.move(PtzVelocity())

    async def presets(self) -> list[PtzPreset]:
        async with self._in_order:
            return await self.client.ptz_presets(self.target)

    async def save_preset(self, name: str, token: str | None = None) -> str:
        """Keep where the camera looks now under `name` (renaming/overwriting preset `token`)."""
        name = name.strip()
        if not name:
            raise InvalidInput("a preset needs a name", "type a name, e.g. 'Gate'")
        async with self._in_order:
            return await self.client.ptz_save_preset(self.target, name, token)

    async def goto_preset(self, token: str) -> None:
        async with self._in_order:
            await self.client.ptz_goto_preset(self.target, token)
            self.moving = False

    async def remove_preset(self, token: str) -> None:
        async with self._in_order:
            await self.client.ptz_remove_preset(self.target, token)

    async def nudge(self, velocity: PtzVelocity, seconds: float) -> None:
        """Move for about `seconds`, then stop (a key tap, a wheel step)."""
        await self.move(velocity)
        try:
            await asyncio.sleep(seconds)
        finally:
            await self.stop()
