"""From per-frame motion to events and tamper alerts: pure state machines fed with (time, frame) in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from video_streaming.motion.detector import FrameMotion, GreyFrame, Region


@dataclass
class MotionEvent:
    """Times are epoch seconds (UTC). `end` is None while the event is open."""

    camera_id: str
    start: float
    end: float | None = None
    peak_at: float = 0.0
    peak_area: float = 0.0
    regions: tuple[Region, ...] = ()
    thumbnail: GreyFrame | None = field(default=None, repr=False)
    id: int | None = None


@dataclass
class MotionEventTracker:
    """An event opens on the first moving frame and closes `end_after` seconds after the last one; its end is
    that last moving frame, so a 1 s quiet spell inside one movement does not split it in two."""

    camera_id: str
    end_after: float = 1.0
    current: MotionEvent | None = None
    _last_motion: float = 0.0

    def update(self, at: float, motion: FrameMotion, frame: GreyFrame) -> tuple[MotionEvent | None, MotionEvent | None]:
        """(the event that started with this frame, the event that ended before it)."""
        started: MotionEvent | None = None
        ended: MotionEvent | None = None
        if self.current is not None and not motion.moving and at - self._last_motion >= self.end_after:
            ended = self.current
            ended.end = self._last_motion
            self.current = None
        if motion.moving:
            if self.current is None:
                self.current = started = MotionEvent(self.camera_id, start=at)
            self._last_motion = at
            if motion.area > self.current.peak_area or self.current.thumbnail is None:
                self.current.peak_at, self.current.peak_area = at, motion.area
                self.current.regions = motion.regions
                self.current.thumbnail = frame.copy()
        return started, ended

    def close(self, at: float) -> MotionEvent | None:
        """The camera stops: the open event ends with its last moving frame."""
        event, self.current = self.current, None
        if event is not None:
            event.end = self._last_motion or at
        return event


class Tamper(StrEnum):
    FROZEN = "frozen"  # the picture has not changed by a single grey level: a hung encoder or a still image
    BLINDED = "blinded"  # a featureless picture: the lens covered, sprayed or pointed at a light
    MOVED = "moved"  # the whole scene changed and stayed changed: the camera was turned (or the light changed)


@dataclass
class TamperWatch:
    """Raises each kind once when it starts and tells when it is over (None in the pair's second place)."""

    frozen_after: float = 5.0
    blinded_after: float = 3.0
    moved_after: float = 2.0
    frozen_level: float = 0.5  # mean grey-level change per pixel under which two frames are the same picture
    blinded_contrast: float = 6.0  # standard deviation of the grey picture under which it shows nothing
    active: set[Tamper] = field(default_factory=set)
    _previous: GreyFrame | None = field(default=None, repr=False)
    _same_since: float | None = None
    _dull_since: float | None = None
    _reference: GreyFrame | None = field(default=None, repr=False)  # the scene before a whole-frame change
    _changed_at: float | None = None

    def update(self, at: float, frame: GreyFrame, motion: FrameMotion) -> list[tuple[Tamper, bool]]:
        changes: list[tuple[Tamper, bool]] = []
        previous, self._previous = self._previous, frame
        if previous is not None:
            still = float(np.abs(np.subtract(frame, previous, dtype=np.int16)).mean()) < self.frozen_level
            self._same_since = (self._same_since or at) if still else None
            changes += self._set(
                Tamper.FROZEN, self._same_since is not None and at - self._same_since >= self.frozen_after
            )
        # Every other pixel of every other row: the same contrast for a featureless picture, a quarter of the work.
        dull = float(frame[::2, ::2].std(dtype=np.float32)) < self.blinded_contrast
        self._dull_since = (self._dull_since or at) if dull else None
        changes += self._set(
            Tamper.BLINDED, self._dull_since is not None and at - self._dull_since >= self.blinded_after
        )
        if motion.recalibrated and self._changed_at is None and previous is not None:
            self._reference, self._changed_at = previous, at
        if self._changed_at is not None and self._reference is not None and at - self._changed_at >= self.moved_after:
            # Still different from the scene before the change: not a flash, the view itself changed. A covered
            # lens changes the whole view too: that is told as blinded, not also as a moved camera.
            differs = np.abs(frame.astype(np.int16) - self._reference.astype(np.int16)) > 24
            changes += self._set(Tamper.MOVED, float(differs.mean()) > 0.5 and not dull)
            self._reference, self._changed_at = None, None
        return changes

    def acknowledge(self, kind: Tamper) -> None:
        """A moved camera stays "moved" until the operator has seen it."""
        self.active.discard(kind)

    def _set(self, kind: Tamper, on: bool) -> list[tuple[Tamper, bool]]:
        if on and kind not in self.active:
            self.active.add(kind)
            return [(kind, True)]
        if not on and kind in self.active and kind is not Tamper.MOVED:
            self.active.discard(kind)
            return [(kind, False)]
        return []
