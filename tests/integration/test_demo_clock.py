"""The synthetic (demo) cameras burn the wall clock into their picture: what a camera shows as its time
must be the time the picture was made, or the demo looks late (or early) against the tile's own clock."""

from __future__ import annotations

import itertools
import subprocess
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from tests.fixtures.servers import CameraFactory
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import FONT, CameraSpec

WIDTH, HEIGHT = 640, 360
CLOCK_BOX = (0, 322, 330, 34)  # x, y, w, h: the label and the clock, not the frame counter


def caption_mask(gray: np.ndarray) -> np.ndarray:
    """The caption's white text, whatever moves behind its half-transparent box."""
    x, y, w, h = CLOCK_BOX
    return gray[y : y + h, x : x + w] > 200


def rendered_mask(label: str, moment: datetime) -> np.ndarray:
    """The caption the camera would draw at `moment`: the same font, size and place, on black."""
    clock = moment.strftime("%Y-%m-%d %H\\:%M\\:%S")
    size = max(12, HEIGHT // 18)
    drawtext = (f"drawtext=fontfile={FONT}:text='{label}  {clock}  #':x=10:y=h-th-10:fontsize={size}:"
                "fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4")  # fmt: skip
    raw = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"color=black:size={WIDTH}x{HEIGHT}",
                          "-vf", drawtext, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                         capture_output=True, check=True, timeout=20).stdout  # fmt: skip
    return caption_mask(np.frombuffer(raw, dtype=np.uint8).reshape(HEIGHT, WIDTH))


def text_extent(label: str) -> tuple[slice, slice]:
    """Where the caption's text lies in the clock box: above the caption's box the test picture itself can
    be white, so only this part is compared."""
    rows, columns = np.nonzero(rendered_mask(label, datetime(2026, 12, 28, 23, 58, 58, tzinfo=UTC)))
    return slice(rows.min(), rows.max() + 1), slice(columns.min(), columns.max() + 1)


def shown_second(mask: np.ndarray, label: str, around: datetime, inside: tuple[slice, slice]) -> datetime:
    """Which whole second the caption shows, among the few around `around`."""
    candidates = [around.replace(microsecond=0) + timedelta(seconds=s) for s in range(-4, 3)]
    rendered = [rendered_mask(label, c)[inside] for c in candidates]
    # Compared where the candidates differ (their seconds digits): the rest is the same in all of them.
    telling = np.any([r != rendered[0] for r in rendered], axis=0)
    misses = [int(np.count_nonzero((r != mask[inside]) & telling)) for r in rendered]
    best = int(np.argmin(misses))
    assert misses[best] < 0.5 * sorted(misses)[1], misses  # one candidate clearly matches
    return candidates[best]


def test_the_demo_cameras_burnt_in_clock_is_the_wall_clock(
    mediamtx: MediaMTXServer, camera_factory: CameraFactory
) -> None:
    camera_factory("clock", CameraSpec(label="Clock", audio=False))
    # Read the camera back as a player would, noting when each picture arrives.
    reader = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-fflags", "nobuffer", "-flags", "low_delay", "-rtsp_transport", "tcp",
         "-i", mediamtx.endpoints.rtsp_url("clock"), "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert reader.stdout is not None
    try:
        frames: list[tuple[float, np.ndarray]] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            raw = reader.stdout.read(WIDTH * HEIGHT)
            if len(raw) < WIDTH * HEIGHT:
                break
            frames.append((time.time(), caption_mask(np.frombuffer(raw, dtype=np.uint8).reshape(HEIGHT, WIDTH))))
    finally:
        reader.kill()
        reader.wait()
    assert len(frames) > 100, f"only {len(frames)} pictures arrived"
    # The picture whose clock turns to a new second was made at that second: it arrives a transport delay
    # (well under half a second on loopback) after it.
    inside = text_extent("Clock")
    changes = [(at, mask) for (_, before), (at, mask) in itertools.pairwise(frames)
               if np.count_nonzero(before[inside] != mask[inside]) > 30][1:]  # the first may be the stream's start
    assert changes, "the clock never changed"
    offsets = []
    for arrived, mask in changes[:5]:
        second = shown_second(mask, "Clock", datetime.fromtimestamp(arrived, UTC), inside)
        offsets.append(arrived - second.timestamp())
    print("picture arrived this long after the second it shows: " + ", ".join(f"{o * 1000:.0f} ms" for o in offsets))
    # Never early; and the quickest arrival, the transport's own delay with the least waiting for CPU time on
    # a busy machine, is well under half a second (the camera's clock ran 0.9-2 s late).
    assert all(offset >= -0.05 for offset in offsets) and min(offsets) < 0.3, offsets
