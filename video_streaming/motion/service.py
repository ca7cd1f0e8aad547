"""The motion use cases: watch a camera, keep its events and search grid in the catalog, tell listeners.

Frames come from a FrameSource (the ffmpeg reader in the app, anything that calls back in tests); the
detection itself is the pure code in detector.py and events.py."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from video_streaming.motion.detector import (
    FrameMotion,
    GreyFrame,
    MotionDetector,
    MotionSettings,
    Polygon,
    grid_of_polygon,
)
from video_streaming.motion.events import MotionEvent, MotionEventTracker, Tamper, TamperWatch
from video_streaming.motion.grid import GridAccumulator, moments_in_region
from video_streaming.motion.store import MotionStore, grey_to_pgm

log = logging.getLogger(__name__)


class FrameSource(Protocol):
    def start(self) -> None: ...

    async def stop(self) -> None: ...


FrameSink = Callable[[GreyFrame, float], Awaitable[None]]
StateSink = Callable[[bool, str], None]
SourceFactory = Callable[[str, FrameSink, StateSink], FrameSource]  # (source url, on frame, on state)


class NoticeKind(StrEnum):
    STARTED = "started"  # motion began on a camera (light its tile)
    ENDED = "ended"  # the event is over and stored
    TAMPER = "tamper"  # a tamper condition began
    TAMPER_CLEARED = "tamper-cleared"
    FEED_LOST = "feed-lost"  # the detector gets no frames (restarting with back-off)


@dataclass(frozen=True)
class MotionNotice:
    kind: NoticeKind
    camera_id: str
    at: float
    event: MotionEvent | None = None
    tamper: Tamper | None = None
    detail: str = ""


MotionListener = Callable[[MotionNotice], None]


@dataclass
class _Watch:
    camera_id: str
    settings: MotionSettings
    detector: MotionDetector
    tracker: MotionEventTracker
    tamper: TamperWatch
    grid: GridAccumulator
    source: FrameSource | None = None
    frames: int = 0
    receiving: bool = False
    last_frame: GreyFrame | None = field(default=None, repr=False)


class MotionService:
    def __init__(
        self,
        store: MotionStore,
        source_factory: SourceFactory,
        *,
        end_after: float = 1.0,
        tamper_factory: Callable[[], TamperWatch] = TamperWatch,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.source_factory = source_factory
        self.end_after = end_after
        self.tamper_factory = tamper_factory
        self.clock = clock
        self.listeners: list[MotionListener] = []
        self._watches: dict[str, _Watch] = {}

    # ---- watching ----------------------------------------------------------------------------------

    def watching(self, camera_id: str) -> bool:
        return camera_id in self._watches

    async def close_interrupted_events(self) -> int:
        """Events a killed run left open would say "(now)" for good: they end at their peak, the last moment
        known to have moved. Cameras watched already keep theirs. The write runs in a worker thread."""
        return await asyncio.to_thread(self.store.close_open_events, tuple(self._watches))

    def moving(self, camera_id: str) -> bool:
        watch = self._watches.get(camera_id)
        return watch is not None and watch.tracker.current is not None

    def tampered(self, camera_id: str) -> set[Tamper]:
        watch = self._watches.get(camera_id)
        return set(watch.tamper.active) if watch else set()

    def acknowledge_tamper(self, camera_id: str) -> set[Tamper]:
        """The operator has seen the camera's tamper alert. A moved camera stays "moved" until then (its new
        view is the normal one from now on); frozen and blinded end by themselves when the picture is back, so
        they are left as they are. Returns what was cleared (told to the listeners as TAMPER_CLEARED)."""
        watch = self._watches.get(camera_id)
        if watch is None or Tamper.MOVED not in watch.tamper.active:
            return set()
        watch.tamper.acknowledge(Tamper.MOVED)
        self._tell(MotionNotice(NoticeKind.TAMPER_CLEARED, camera_id, self.clock(), tamper=Tamper.MOVED))
        return {Tamper.MOVED}

    def settings_of(self, camera_id: str) -> MotionSettings | None:
        """The settings the camera is watched with now (None: not watched)."""
        watch = self._watches.get(camera_id)
        return watch.settings if watch else None

    def frames_seen(self, camera_id: str) -> int:
        watch = self._watches.get(camera_id)
        return watch.frames if watch else 0

    def still_picture(self, camera_id: str) -> bytes | None:
        """A grey PGM of the camera (its last frame while watched, else its last event's), to draw masks on."""
        watch = self._watches.get(camera_id)
        if watch is not None and watch.last_frame is not None:
            return grey_to_pgm(watch.last_frame)
        events = self.store.events(camera_id, limit=1)
        return self.store.thumbnail(events[0].id) if events else None

    async def watch(self, camera_id: str, source_url: str, settings: MotionSettings) -> None:
        """Start (or restart with new settings) detection on one camera. Off in its settings: stop it."""
        await self.unwatch(camera_id)
        if not settings.enabled:
            return
        watch = _Watch(
            camera_id, settings, MotionDetector(settings), MotionEventTracker(camera_id, self.end_after),
            self.tamper_factory(), GridAccumulator(camera_id),
        )  # fmt: skip
        watch.source = self.source_factory(
            source_url,
            lambda frame, at: self._on_frame(watch, frame, at),
            lambda receiving, why: self._on_state(watch, receiving, why),
        )
        self._watches[camera_id] = watch
        watch.source.start()

    async def unwatch(self, camera_id: str) -> None:
        watch = self._watches.pop(camera_id, None)
        if watch is None:
            return
        if watch.source is not None:
            await watch.source.stop()
        self._finish(watch, self.clock())

    async def close(self) -> None:
        for camera_id in list(self._watches):
            await self.unwatch(camera_id)

    def _finish(self, watch: _Watch, at: float) -> None:
        event = watch.tracker.close(at)
        if event is not None:
            self._end_event(watch, event, at)
        chunk = watch.grid.flush()
        if chunk is not None:
            self.store.save_grid(chunk)

    # ---- frames ------------------------------------------------------------------------------------

    async def _on_frame(self, watch: _Watch, frame: GreyFrame, at: float) -> None:
        # The numpy part in a worker thread: ~2 ms a frame and camera would add up on the GUI's event loop.
        motion, tampers = await asyncio.to_thread(self._analyse, watch, frame, at)
        if self._watches.get(watch.camera_id) is not watch:
            return  # unwatched meanwhile: its events are closed already
        watch.frames += 1
        watch.last_frame = frame
        started, ended = watch.tracker.update(at, motion, frame)
        if ended is not None:
            self._end_event(watch, ended, at)
        if started is not None:
            self.store.add_event(started)
            self._tell(MotionNotice(NoticeKind.STARTED, watch.camera_id, at, started))
        chunk = watch.grid.add(at, motion.grid)
        if chunk is not None:
            self.store.save_grid(chunk)
        for kind, on in tampers:
            self._tell(MotionNotice(NoticeKind.TAMPER if on else NoticeKind.TAMPER_CLEARED, watch.camera_id, at,
                                    tamper=kind))  # fmt: skip

    @staticmethod
    def _analyse(watch: _Watch, frame: GreyFrame, at: float) -> tuple[FrameMotion, list[tuple[Tamper, bool]]]:
        """Runs in a worker thread; one frame of a camera at a time (the reader awaits it)."""
        motion = watch.detector.process(frame)
        return motion, watch.tamper.update(at, frame, motion)

    def _on_state(self, watch: _Watch, receiving: bool, why: str) -> None:
        was, watch.receiving = watch.receiving, receiving
        if was and not receiving:
            # No frames, no motion: close what is open rather than leave the tile lit for a dead feed.
            self._finish(watch, self.clock())
            watch.detector.reset()
            self._tell(MotionNotice(NoticeKind.FEED_LOST, watch.camera_id, self.clock(), detail=why))

    def _end_event(self, watch: _Watch, event: MotionEvent, at: float) -> None:
        self.store.finish_event(event)
        self._tell(MotionNotice(NoticeKind.ENDED, watch.camera_id, at, event))

    def _tell(self, notice: MotionNotice) -> None:
        for listener in list(self.listeners):
            try:
                listener(notice)
            except Exception:  # a broken listener must not stop detection
                log.exception("motion listener failed")

    # ---- search ------------------------------------------------------------------------------------

    def search(
        self, camera_id: str, region: Polygon, since: datetime, until: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Moments with motion inside a drawn region (fractions of the picture), from the stored grid only."""
        self._store_current_minute(camera_id)
        return self._stored_moments(camera_id, region, since, until)

    async def search_soon(
        self, camera_id: str, region: Polygon, since: datetime, until: datetime
    ) -> list[tuple[datetime, datetime]]:
        """`search` for the GUI: the current minute is taken on the loop (where detection writes it), the
        stored grid is read in a worker thread (30 days are ~43,000 rows: a quarter of a second)."""
        self._store_current_minute(camera_id)
        return await asyncio.to_thread(self._stored_moments, camera_id, region, since, until)

    def _store_current_minute(self, camera_id: str) -> None:
        for watch in self._watches.values():  # what the current minute saw is searchable at once
            if watch.camera_id == camera_id:
                chunk = watch.grid.flush()
                if chunk is not None:
                    self.store.save_grid(chunk)

    def _stored_moments(
        self, camera_id: str, region: Polygon, since: datetime, until: datetime
    ) -> list[tuple[datetime, datetime]]:
        chunks = self.store.grid_chunks(camera_id, since.timestamp(), until.timestamp())
        spans = moments_in_region(chunks, grid_of_polygon(region), since.timestamp(), until.timestamp())
        return [(datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC)) for a, b in spans]
