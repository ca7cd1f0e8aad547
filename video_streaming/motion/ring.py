"""The pure rules of recording on motion: which short ring segments an event's recording takes, which the
ring may forget, and how far the ring may grow. No I/O: the use case in recording.py moves and deletes files.

Times are epoch seconds (UTC). A ring segment's start comes from its file name, which the recorder writes in
whole seconds, so a segment really starts up to one second after `start`; every rule below leans the safe way
(it takes a segment too many, never one too few)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from video_streaming.domain.errors import InvalidInput

RING_FOLDER = ".motion-ring"  # inside the recordings folder (a promotion is a rename), ignored by `check`
NAME_PRECISION = 1.0  # segment file names carry whole seconds
# A motion event starts at the moment its first moving frame reached the detector, a few hundred ms after the
# camera made it (measured 0.33-0.48 s end to end on loopback): the pre-roll is counted from a second earlier.
DETECTION_DELAY = 1.0


@dataclass(frozen=True)
class RollSettings:
    """How much of the ring an event's recording takes before its first and after its last moving frame."""

    pre_roll: float = 5.0
    post_roll: float = 10.0
    # How long a closed segment may wait for a motion notice before it is forgotten: the notice of a frame
    # that reached the detector before the segment closed can come this much later under load.
    notice_slack: float = 2.0

    def __post_init__(self) -> None:
        for name, value in (("pre-roll", self.pre_roll), ("post-roll", self.post_roll)):
            if not 0 <= value <= 300:
                raise InvalidInput(f"the {name} must be 0 to 300 seconds, not {value:g}")

    @property
    def horizon(self) -> float:
        """How far back from now the ring keeps closed segments (their end, as their names tell it)."""
        return self.pre_roll + DETECTION_DELAY + self.notice_slack + NAME_PRECISION

    def max_ring_files(self, segment_seconds: float) -> int:
        """The most files the ring folder holds at once: the closed segments within the horizon, the one being
        written, and up to two closed but not told yet (the recorder reads its list every 0.5 s and probes each
        closed segment's frames before telling it, which takes longer on a busy machine)."""
        return math.ceil(self.horizon / segment_seconds) + 3


@dataclass(frozen=True)
class RingSegment:
    path: Path
    start: float  # from the file name: whole seconds, at most NAME_PRECISION early
    duration: float

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass
class EventWindow:
    """The span one event recording covers: from the pre-roll before its first event to the post-roll after its
    last one. `until` is None while an event is still open (the recording goes on)."""

    since: float
    until: float | None = None
    events: int = 1

    def wants(self, segment: RingSegment) -> bool:
        # The segment's real end is at least its named end: it holds footage after `since` once that passes it;
        # a segment named at or before `until` may begin before it.
        return segment.end + NAME_PRECISION > self.since and (self.until is None or segment.start <= self.until)

    def complete_with(self, segment: RingSegment) -> bool:
        """Has this segment (taken) reached the end of the post-roll?"""
        return self.until is not None and segment.end >= self.until


def window_for_event(start: float, rolls: RollSettings) -> EventWindow:
    return EventWindow(since=start - rolls.pre_roll - DETECTION_DELAY)


@dataclass
class SegmentRing:
    """The closed ring segments of one camera, oldest first."""

    rolls: RollSettings
    segments: deque[RingSegment] = field(default_factory=deque)

    def add(self, segment: RingSegment) -> None:
        self.segments.append(segment)

    def take(self, window: EventWindow) -> list[RingSegment]:
        """Remove and return the segments the window wants (the rest stay for the next event or expiry)."""
        taken = [s for s in self.segments if window.wants(s)]
        self.segments = deque(s for s in self.segments if not window.wants(s))
        return taken

    def expire(self, now: float) -> list[RingSegment]:
        """Remove and return the segments no event starting now could want any more."""
        expired = []
        while self.segments and self.segments[0].end + NAME_PRECISION <= now - (self.rolls.horizon - NAME_PRECISION):
            expired.append(self.segments.popleft())
        return expired

    def clear(self) -> list[RingSegment]:
        cleared = list(self.segments)
        self.segments.clear()
        return cleared
