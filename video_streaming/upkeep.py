"""What keeps a running core healthy, the same for `vidstream serve` and the desktop: one tick a second
(servers the app owns brought back after a crash, then the core's poll: paths provisioned again, cameras
that came back kicked, recorder and site state read), and recordings expired on time. Whatever goes wrong
is told as an alert; nothing here stops the recorder.

`serve` drives the ticks with `run`; the desktop's wall drives the same `tick` from its own timer, since the
tiles it updates live on the GUI loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import VidStreamError
from video_streaming.health import Health
from video_streaming.retention import SweepReport, unarchived_alert
from video_streaming.sites import DirectoryPublisher

log = logging.getLogger(__name__)
SWEEP_EVERY_S = 3600.0
TICK_EVERY_S = 1.0
ReviveServers = Callable[[], list[str]]  # restarts what died, returns what it restarted (blocking)


class Upkeep:
    def __init__(
        self, core: VidStreamCore, revive_servers: ReviveServers | None = None,
        publisher: DirectoryPublisher | None = None,
    ) -> None:  # fmt: skip
        self.core = core
        self.revive_servers = revive_servers
        # A recorder (serve) publishes its camera directory for the workstations attached to it as a site.
        self.publisher = publisher

    async def revive(self) -> list[str]:
        """Bring app-owned servers back after a crash or kill (in a worker thread: it waits for them); the
        core's next poll re-provisions their paths. Returns what was restarted."""
        if self.revive_servers is None:
            return []
        try:
            revived = await asyncio.to_thread(self.revive_servers)
        except VidStreamError as error:
            self.core.alert("error", f"could not restart a server: {error}")
            return []
        if revived:
            self.core.alert("warning", "restarted after it stopped: " + ", ".join(revived))
        return revived

    async def tick(self) -> Health:
        """One cycle of the runtime loop: servers revived, the core's poll, the directory published."""
        await self.revive()
        health = await self.core.poll()
        if self.publisher is not None:  # in the background: an archive that is down never holds the loop
            self.publisher.publish_soon(self.core.directory(), asyncio.get_running_loop().time())
        return health

    async def run(
        self, on_health: Callable[[Health], bool], stop: asyncio.Event, every_s: float = TICK_EVERY_S,
        first_sweep_after_s: float | None = None,
    ) -> None:  # fmt: skip
        """Tick every `every_s`, handing each Health to `on_health`, until `stop` is set or `on_health`
        answers False; retention sweeps beside it from `first_sweep_after_s` on (None: none here)."""
        sweeps = None
        if first_sweep_after_s is not None:
            sweeps = asyncio.ensure_future(self.expire_on_time(first_sweep_after_s))
        try:
            while not stop.is_set():
                if not on_health(await self.tick()):
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=every_s)
        finally:
            if sweeps is not None:
                sweeps.cancel()

    async def sweep(self) -> SweepReport | None:
        """One retention sweep: footage goes only once archived and past its retention (RetentionEnforcer)."""
        try:
            report = await self.core.retention.sweep()
        except VidStreamError as error:
            self.core.alert("warning", f"retention sweep failed: {error}")
            return None
        for problem in report.errors:
            self.core.alert("warning", f"retention: {problem}")
        if report.unarchived:
            self.core.alert("error", unarchived_alert(len(report.unarchived)))
        if removed := len(report.expired) + len(report.over_cap):
            log.info("retention removed %d recording(s)", removed)
        if report.locked:
            log.info("retention kept %d recording(s) the archive still locks", len(report.locked))
        return report

    async def expire_on_time(self, first_after_s: float, every_s: float = SWEEP_EVERY_S) -> None:
        """Sweep `first_after_s` from now, then every `every_s`, until cancelled."""
        await asyncio.sleep(first_after_s)
        while True:
            await self.sweep()
            await asyncio.sleep(every_s)
