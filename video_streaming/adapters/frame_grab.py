"""One frame of a recorded file or archive URL, grabbed by ffmpeg (thumbnails, evidence stills)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from pathlib import Path

from video_streaming.private_files import child_environment

log = logging.getLogger(__name__)

GRAB_TIMEOUT_S = 15.0


def grab_argv(
    ffmpeg: str, source: str, offset: float, output: Path, width: int | None = None, crop: str | None = None
) -> list[str]:
    """One frame at `offset` seconds into `source`, as PNG or JPEG by `output`'s suffix. `-ss` before `-i`
    seeks to the key frame before and decodes up to the exact frame."""
    network = ["-rw_timeout", str(int(GRAB_TIMEOUT_S * 1_000_000))] if "://" in source else []
    # A segment is one MP4 file or object: an archive that answers with a playlist (HLS, concat, ...) must
    # not make ffmpeg fetch whatever it names.
    allowed = ["-protocol_whitelist", "http,https,tcp,tls" if "://" in source else "file", "-f", "mp4"]
    filters = [f for f in (crop and f"crop={crop}", width and f"scale={width}:-2") if f]
    quality = ["-q:v", "4"] if output.suffix.lower() in {".jpg", ".jpeg"} else []
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *network,
        "-ss", f"{max(offset, 0.0):.3f}", *allowed, "-i", source, "-map", "0:v:0", "-frames:v", "1", "-an",
        *(["-vf", ",".join(filters)] if filters else []), *quality, "-update", "1", str(output),
    ]  # fmt: skip


async def grab_frame(
    source: str | Path,
    offset: float,
    output: Path,
    *,
    width: int | None = None,
    crop: str | None = None,
    ffmpeg: str | None = None,
    timeout: float = GRAB_TIMEOUT_S,
) -> bool:
    """Write the frame at `offset` seconds of `source` (a file or URL) to `output`. False when there is no
    frame there (past the end, unreadable source) or ffmpeg took longer than `timeout`."""
    binary = ffmpeg or shutil.which("ffmpeg")
    if binary is None:
        return False
    output.parent.mkdir(parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        *grab_argv(binary, str(source), offset, output, width, crop),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=child_environment(),
    )  # fmt: skip
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except BaseException as error:  # timed out or cancelled: never leave an ffmpeg behind
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        output.unlink(missing_ok=True)
        if isinstance(error, TimeoutError):
            return False
        raise
    if process.returncode != 0 or not output.exists() or output.stat().st_size == 0:
        log.debug("no frame at %.2f s of %s: %s", offset, source, stderr.decode("utf-8", "replace").strip()[-200:])
        output.unlink(missing_ok=True)
        return False
    return True
