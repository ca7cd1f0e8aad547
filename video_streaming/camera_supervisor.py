"""Keeps configured cameras started: each in a task of its own (one slow or dead camera delays no other),
retried with back-off for as long as it is wanted, with its state and last real reason for the operator.

Once a camera runs, MediaMTX keeps pulling its source and the recorder restarts by itself after a drop;
what needs a retry here is a camera that could not be started at all (down, refused, unreachable), and a
recording the recorder gave up on."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from video_streaming.domain.result import Result

log = logging.getLogger(__name__)

# Failures a retry cannot cure: the camera's settings must change first.
PERMANENT_KINDS = frozenset({"invalid_input", "not_supported"})


@dataclass
class CameraState:
    state: str = "starting"  # "starting", "running", "waiting" (for the camera, retrying) or "stopped"
    reason: str = ""  # the last real reason it is not running
    retry_at: float = 0.0  # wall-clock time (epoch seconds) of the next try while waiting
    attempts: int = 0  # failed tries since it last ran

    def describe(self, now: float | None = None) -> str:
        """What the operator reads in the camera list and on the tile."""
        if self.state == "waiting":
            seconds = max(0, round(self.retry_at - (time.time() if now is None else now)))
            text = f"waiting for the camera, retrying in {seconds} s"
            return f"{text}: {self.reason}" if self.reason else text
        if self.state == "stopped":
            return f"stopped: {self.reason}" if self.reason else "stopped"
        return self.state


Starter = Callable[[str], Awaitable[Result[Any]]]


class CameraSupervisor:
    def __init__(
        self, start: Starter, *, wanted: Callable[[str], bool], min_backoff: float = 2.0, max_backoff: float = 60.0,
        on_change: Callable[[str, CameraState], None] | None = None,
    ) -> None:  # fmt: skip
        self._start = start
        self._wanted = wanted  # is the camera still configured and enabled?
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.on_change = on_change
        self.states: dict[str, CameraState] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._lost: dict[str, asyncio.Event] = {}
        self.started: set[str] = set()  # cameras brought up since the last `take_started()`

    def keep(self, camera_id: str) -> None:
        """Start the camera now and keep it started (no-op when already kept)."""
        task = self._tasks.get(camera_id)
        if task is not None and not task.done():
            return
        self._lost[camera_id] = asyncio.Event()
        self._set(camera_id, CameraState("starting"))
        self._tasks[camera_id] = asyncio.create_task(self._keep(camera_id), name=f"camera-{camera_id}")

    def is_kept(self, camera_id: str) -> bool:
        task = self._tasks.get(camera_id)
        return task is not None and not task.done()

    def lost(self, camera_id: str, reason: str) -> None:
        """The camera stopped running for good (its recording failed): start it again, with back-off."""
        if (event := self._lost.get(camera_id)) is not None:
            self.states.setdefault(camera_id, CameraState()).reason = reason
            event.set()

    async def release(self, camera_id: str) -> None:
        task = self._tasks.pop(camera_id, None)
        self._lost.pop(camera_id, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.states.pop(camera_id, None)

    async def close(self) -> None:
        for camera_id in list(self._tasks):
            await self.release(camera_id)

    def take_started(self) -> set[str]:
        started, self.started = self.started, set()
        return started

    def _set(self, camera_id: str, state: CameraState) -> None:
        self.states[camera_id] = state
        if self.on_change is not None:
            try:
                self.on_change(camera_id, state)
            except Exception:  # a listener's bug must not stop the camera's supervision
                log.exception("camera state listener failed")

    async def _keep(self, camera_id: str) -> None:
        backoff = self.min_backoff
        attempts = 0
        while self._wanted(camera_id):
            self._set(camera_id, CameraState("starting", self.states.get(camera_id, CameraState()).reason,
                                             attempts=attempts))  # fmt: skip
            result = await self._start(camera_id)
            if result.is_success:
                attempts, backoff = 0, self.min_backoff
                self.started.add(camera_id)
                self._set(camera_id, CameraState("running"))
                lost = self._lost[camera_id]
                await lost.wait()
                lost.clear()
                reason = self.states.get(camera_id, CameraState()).reason
            else:
                error = result.error
                reason = error.message if error is not None else "it did not start"
                if error is not None and error.kind in PERMANENT_KINDS:
                    self._set(camera_id, CameraState("stopped", reason, attempts=attempts + 1))
                    return
            attempts += 1
            self._set(camera_id, CameraState("waiting", reason, time.time() + backoff, attempts))
            log.info("camera %s: retrying in %.0f s: %s", camera_id, backoff, reason)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff)
        self.states.pop(camera_id, None)


def write_states(path: Path, states: dict[str, CameraState]) -> None:
    """For `vidstream cameras list` run beside `vidstream serve`: the recorder's view of its cameras."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"written": time.time(), "cameras": {k: asdict(v) for k, v in states.items()}}))
    temporary.replace(path)


def read_states(path: Path, max_age: float = 30.0) -> dict[str, CameraState]:
    """The states a running recorder wrote, or nothing when none wrote them lately."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if time.time() - float(data.get("written", 0)) > max_age:
        return {}
    return {key: CameraState(**value) for key, value in (data.get("cameras") or {}).items()}
