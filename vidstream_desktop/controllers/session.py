"""The app's session: settings, secrets, the embedded servers (when used) and the core.

Everything slow (starting MinIO, waiting for servers) happens off the Qt thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from video_streaming.bootstrap import (
    EmbeddedStack,
    build_core,
    default_secret_store,
    ensure_archive_ready,
    register_demo_cameras,
    start_embedded_stack,
)
from video_streaming.config import Settings
from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import VidStreamError
from video_streaming.health import Health
from video_streaming.secrets import SecretStore
from video_streaming.upkeep import Upkeep

log = logging.getLogger(__name__)
RETENTION_FIRST_SWEEP_S = 60.0


@dataclass
class SessionOptions:
    settings: Settings
    demo: bool = True
    secrets: SecretStore | None = None
    catalog_path: Path | None = None


@dataclass
class AppSession:
    options: SessionOptions
    stack: EmbeddedStack | None = None
    core: VidStreamCore | None = None
    _archive_task: asyncio.Future[None] | None = None
    _retention_task: asyncio.Future[None] | None = None
    upkeep: Upkeep | None = None

    async def start(self) -> VidStreamCore:
        settings = self.options.settings
        store = self.options.secrets or default_secret_store(settings)
        if self.options.demo or settings.mediamtx.embedded:
            # Servers start in a worker thread: the window is already up and painting meanwhile.
            self.stack = await asyncio.to_thread(start_embedded_stack, settings, store, False)
        core = build_core(settings, store, self.stack, catalog_path=self.options.catalog_path)
        self.core = core
        if self.stack is not None and self.stack.cameras:
            register_demo_cameras(core, self.stack)
        await core.start()
        self._archive_task = asyncio.ensure_future(self._prepare_archive(core))
        self.upkeep = Upkeep(core, self.stack.revive if self.stack is not None else None)
        # Expire recordings on time while the app runs: a sweep a minute after start (the window first), then hourly.
        self._retention_task = asyncio.ensure_future(self.upkeep.expire_on_time(RETENTION_FIRST_SWEEP_S))
        return core

    async def _prepare_archive(self, core: VidStreamCore) -> None:
        try:
            if self.stack is not None and self.stack.minio is not None:
                await asyncio.to_thread(self.stack.minio.wait_ready, 30.0)
            await ensure_archive_ready(core)
            core.archiver.wake()
        except VidStreamError as error:
            message = f"archive not ready: {error}"
            core.alert("error", message)

    async def tick(self) -> Health:
        """The runtime loop's cycle, as `serve` runs it: app-owned servers revived, then the core's poll."""
        assert self.upkeep is not None and self.core is not None, "the session has not started"
        return await self.upkeep.tick()

    async def stop(self) -> None:
        for task in (self._retention_task, self._archive_task):
            if task is not None:
                task.cancel()
        if self.core is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.core.close(), timeout=15)
        if self.stack is not None:
            await asyncio.to_thread(self.stack.stop)
