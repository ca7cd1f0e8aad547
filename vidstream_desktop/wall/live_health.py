"""Is a live picture current? Judged from libvlc's media statistics over the watchdog's last two seconds.

A tile whose decoder cannot keep up drops or shows late pictures (libvlc counts both as lost), one whose
packets are lost on the way shows corrupted or discontinuous MPEG-TS (smeared pictures until the next key
frame), and either can show far fewer pictures than the camera sends. None of that is "live".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MIN_WINDOW_S = 1.5  # fewer seconds of samples than this say nothing about a rate
DROPPED_SHARE = 0.10  # of the pictures due: more dropped than this is a decoder behind
SLOW_SHARE = 0.6  # showing fewer than this share of the camera's frame rate is not keeping up


@dataclass(frozen=True)
class StatsSample:
    at: float  # monotonic seconds
    decoded: int
    displayed: int
    lost: int  # pictures dropped by libvlc (late, or not decodable)
    damaged: int  # demux corrupted + discontinuity counts (MPEG-TS packets missing or broken)


@dataclass(frozen=True)
class Degradation:
    kind: Literal["packets", "decoder", "slow"]
    count: int = 0
    seconds: float = 0.0
    shown_fps: float = 0.0
    camera_fps: float = 0.0


def judge(samples: Sequence[StatsSample], camera_fps: float) -> Degradation | None:
    """Why the picture over `samples` is not current, or None when it is. `camera_fps` 0: unknown."""
    if len(samples) < 2:
        return None
    first, last = samples[0], samples[-1]
    seconds = last.at - first.at
    if seconds <= 0:
        return None
    damaged = last.damaged - first.damaged
    if damaged > 0:  # even one: the picture is smeared until the next key frame
        return Degradation("packets", damaged, seconds)
    if seconds < MIN_WINDOW_S:
        return None
    dropped = last.lost - first.lost
    shown = last.displayed - first.displayed
    if dropped > 0 and dropped > DROPPED_SHARE * (shown + dropped):
        return Degradation("decoder", dropped, seconds)
    shown_fps = shown / seconds
    if camera_fps > 0 and shown_fps < SLOW_SHARE * camera_fps:
        return Degradation("slow", shown, seconds, shown_fps, camera_fps)
    return None
