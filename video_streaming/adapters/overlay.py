"""A copy of an exported MP4 with the camera's name and the recorded time burnt into the picture (ffmpeg
drawtext). The only export step that re-encodes: the picture changes, so the evidence package keeps the
untouched copy beside it."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from video_streaming.domain.errors import VidStreamError
from video_streaming.private_files import child_environment

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
OverlayProgress = Callable[[float], None]
"""Called with the fraction (0..1) of the clip re-encoded so far."""


def overlay_text(label: str, start: datetime) -> str:
    """drawtext's text: the label, then each frame's time (`start` plus the frame's time in the clip), UTC."""
    clean = "".join(ch for ch in label if ch.isprintable() and ch not in "%\\")[:40]
    return f"{clean}  %{{pts:gmtime:{start.timestamp():.3f}:%Y-%m-%d %H\\:%M\\:%S}} UTC"


def overlay_filter(text_file: Path) -> str:
    font = f"fontfile={FONT}:" if FONT.exists() else ""
    path = str(text_file).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")
    return (f"drawtext={font}textfile='{path}':expansion=normal:x=10:y=10:fontsize=h/18:fontcolor=white:"
            "box=1:boxcolor=black@0.6:boxborderw=4")  # fmt: skip


async def burn_overlay(
    source: Path, target: Path, label: str, start: datetime, duration: float, progress: OverlayProgress | None = None
) -> None:
    """Write `target`: `source` re-encoded (H.264, audio copied) with `label` and the time in its top-left corner.
    `start` is the moment the clip's first frame shows. Raises VidStreamError when ffmpeg fails."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise VidStreamError("ffmpeg is not installed", "install it: apt-get install ffmpeg")
    with tempfile.TemporaryDirectory(prefix=".overlay-", dir=target.parent) as work:
        text_file = Path(work) / "overlay.txt"
        text_file.write_text(overlay_text(label, start), encoding="utf-8")
        partial = Path(work) / target.name
        argv = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-nostats", "-progress", "pipe:1",
                "-i", str(source), "-map", "0:v", "-map", "0:a?", "-vf", overlay_filter(text_file),
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "copy",
                "-movflags", "+faststart", str(partial)]  # fmt: skip
        process = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=child_environment()
        )
        try:
            stderr = await _follow(process, duration, progress)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        if process.returncode != 0:
            raise VidStreamError(f"ffmpeg could not burn the overlay: {stderr.strip()[-300:] or process.returncode}")
        partial.replace(target)


async def _follow(process: asyncio.subprocess.Process, duration: float, progress: OverlayProgress | None) -> str:
    assert process.stdout is not None and process.stderr is not None
    stderr_task = asyncio.ensure_future(process.stderr.read())
    async for line in process.stdout:
        key, _, value = line.decode("ascii", "replace").strip().partition("=")
        if key == "out_time_us" and value.isdigit() and progress is not None and duration > 0:
            progress(min(int(value) / 1e6 / duration, 1.0))
    await process.wait()
    return (await stderr_task).decode("utf-8", "replace")
