"""The glass end of glass-to-glass: grab each picture's barcode band off the X screen, over and over, and
note when each new frame first shows up.

A frame's latency is (the first grab that shows it) - (the wall-clock time written into it). The grab
time is the midpoint of the XGetImage round trip; the frame became visible at most one sampling period
earlier, so every sample over-states the true latency by U(0, period): the period is reported with the
results as the measurement's resolution.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.barcode import BandSampler, VideoRect, latency_ms
from bench.xgrab import XGrabber


@dataclass
class TileCapture:
    rect: VideoRect
    latencies_ms: list[float] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)  # frame counter of each new frame seen
    undecodable_grabs: int = 0
    grabs: int = 0


@dataclass
class Capture:
    tiles: list[TileCapture]
    duration_s: float
    iterations: int
    period_ms: list[float]

    def all_latencies(self) -> list[float]:
        return [value for tile in self.tiles for value in tile.latencies_ms]

    def frames_seen(self) -> int:
        return sum(len(tile.frames) for tile in self.tiles)


def capture(
    rects: Sequence[VideoRect],
    *,
    min_frames: int,
    min_seconds: float,
    max_seconds: float,
    pause_s: float = 0.003,
) -> Capture:
    """Sample every rect until each has shown `min_frames` new frames and `min_seconds` passed (or
    `max_seconds` passed). A short pause between rounds leaves the two cores to the players."""
    grabber = XGrabber()
    samplers = [BandSampler(rect) for rect in rects]
    tiles = [TileCapture(rect) for rect in rects]
    last_frame: list[int | None] = [None] * len(rects)
    periods: list[float] = []
    started = time.monotonic()
    previous = started
    iterations = 0
    try:
        while True:
            now = time.monotonic()
            elapsed = now - started
            if elapsed > max_seconds:
                break
            if elapsed > min_seconds and all(len(t.frames) >= min_frames for t in tiles):
                break
            for index, sampler in enumerate(samplers):
                before = time.time() * 1000
                pixels = grabber.grab_bgrx(sampler.x, sampler.y, sampler.width, sampler.height)
                after = time.time() * 1000
                tile = tiles[index]
                tile.grabs += 1
                decoded = sampler.decode(pixels)
                if decoded is None:
                    tile.undecodable_grabs += 1
                    continue
                code, frame = decoded
                if frame != last_frame[index]:
                    if last_frame[index] is not None:  # the first frame seen may have been there for a while
                        tile.latencies_ms.append(latency_ms((before + after) / 2, code))
                        tile.frames.append(frame)
                    last_frame[index] = frame
            iterations += 1
            end = time.monotonic()
            periods.append((end - previous) * 1000)
            previous = end
            if pause_s:
                time.sleep(pause_s)
    finally:
        grabber.close()
    return Capture(tiles, time.monotonic() - started, iterations, periods)


def wait_decodable(rects: Sequence[VideoRect], timeout_s: float) -> list[bool]:
    """Wait until every rect shows a readable barcode; which ones did."""
    grabber = XGrabber()
    samplers = [BandSampler(rect) for rect in rects]
    ok = [False] * len(rects)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline and not all(ok):
            for index, sampler in enumerate(samplers):
                if not ok[index]:
                    pixels = grabber.grab_bgrx(sampler.x, sampler.y, sampler.width, sampler.height)
                    ok[index] = sampler.decode(pixels) is not None
            time.sleep(0.02)
    finally:
        grabber.close()
    return ok
