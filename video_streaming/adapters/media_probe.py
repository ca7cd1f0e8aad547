"""What a recorded file holds, read with ffprobe: the shape of its streams (to tell where a camera
changed resolution or codec) and the time its frames really cover."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

from video_streaming.private_files import child_environment

StreamShape = tuple[tuple[str, ...], ...]  # per stream: type, codec, and its size or sample format


async def _ffprobe_json(path: Path, *options: str, timeout: float = 20.0) -> dict[str, Any] | None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    process = await asyncio.create_subprocess_exec(
        ffprobe, "-v", "error", "-of", "json", "-protocol_whitelist", "file", *options, str(path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=child_environment(),
    )  # fmt: skip
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return None
    try:
        return dict(json.loads(out or b"{}"))
    except ValueError:
        return None


async def stream_shape(path: Path) -> StreamShape | None:
    """The streams' kinds, codecs and picture sizes / sample formats; None when ffprobe cannot read it.
    Two files of one shape can be joined into one MP4 with a single sample entry per track."""
    data = await _ffprobe_json(path, "-show_entries",
                               "stream=codec_type,codec_name,width,height,sample_rate,channels,profile")  # fmt: skip
    if data is None or not data.get("streams"):
        return None
    shape = []
    for stream in data["streams"]:
        kind = str(stream.get("codec_type", ""))
        detail = (f"{stream.get('width')}x{stream.get('height')}" if kind == "video"
                  else f"{stream.get('sample_rate')}Hz/{stream.get('channels')}")  # fmt: skip
        shape.append((kind, str(stream.get("codec_name", "")), str(stream.get("profile", "")), detail))
    return tuple(shape)


async def frames_span(path: Path) -> float | None:
    """Seconds the video frames cover: from the first frame's time to the last one's end. A recorder's
    first segment starts at the first key frame it got, so this is shorter than the wall-clock time the
    segment was open for."""
    data = await _ffprobe_json(path, "-select_streams", "v:0", "-show_entries",
                               "packet=pts_time,duration_time", timeout=60.0)  # fmt: skip
    packets = (data or {}).get("packets") or []
    times = [(float(p["pts_time"]), float(p.get("duration_time") or 0)) for p in packets
             if p.get("pts_time") not in (None, "N/A")]  # fmt: skip
    if not times:
        return None
    first = min(t for t, _ in times)
    last, last_duration = max(times)
    if not last_duration and len(times) > 1:
        ordered = sorted(t for t, _ in times)
        last_duration = (ordered[-1] - ordered[0]) / (len(ordered) - 1)
    return max(0.0, last + last_duration - first)
