"""One frame of a recorded file or archive URL, grabbed by ffmpeg (thumbnails, evidence stills)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
from pathlib import Path

from video_streaming.private_files import child_environment

log = logging.getLogger(__name__)

GRAB_TIMEOUT_S = 15.0


def grab_argv(
    ffmpeg: str, source: str, offset: float, output: Path, width: int | None = None, crop: str | None = None,
    script_fd: int | None = None,
) -> list[str]:  # fmt: skip
    """One frame at `offset` seconds into `source`, as PNG or JPEG by `output`'s suffix. `-ss` before `-i`
    seeks to the key frame before and decodes up to the exact frame. A URL is not put here: it is named by
    the script of `url_script` on the inherited pipe `script_fd` (a presigned link is a bearer credential,
    and every local user can read a command line)."""
    if "://" in source:
        if script_fd is None:
            raise ValueError("a URL source is read through a script on a pipe")
        # One MP4 object: an archive that answers with a playlist (HLS, concat, ...) must not make ffmpeg
        # fetch whatever it names. Both whitelists carry over to the file the script names.
        source_args = ["-f", "concat", "-safe", "0", "-protocol_whitelist", "pipe,http,https,tcp,tls",
                       "-format_whitelist", "concat,mov", "-i", f"pipe:{script_fd}"]  # fmt: skip
    else:
        source_args = ["-protocol_whitelist", "file", "-f", "mp4", "-i", source]
    filters = [f for f in (crop and f"crop={crop}", width and f"scale={width}:-2") if f]
    quality = ["-q:v", "4"] if output.suffix.lower() in {".jpg", ".jpeg"} else []
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-ss", f"{max(offset, 0.0):.3f}", *source_args, "-map", "0:v:0", "-frames:v", "1", "-an",
        *(["-vf", ",".join(filters)] if filters else []), *quality, "-update", "1", str(output),
    ]  # fmt: skip


def url_script(url: str, timeout: float = GRAB_TIMEOUT_S) -> bytes:
    """An ffconcat script naming `url`, with the I/O timeout that ends a grab from a dead server. A line
    break would start a directive of its own: such a URL is refused (ValueError)."""
    if any(character in url for character in "\r\n\0"):
        raise ValueError("a URL with a line break or NUL")
    quoted = url.replace("'", "'\\''")
    return f"ffconcat version 1.0\nfile '{quoted}'\noption rw_timeout {int(timeout * 1_000_000)}\n".encode()


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
    script_fd = None
    if "://" in str(source):
        try:
            script = url_script(str(source), timeout)
        except ValueError:
            log.warning("not grabbing a frame of a link with a line break in it")
            return False
        script_fd, writer = os.pipe()
        os.write(writer, script)  # a few hundred bytes: far below a pipe's buffer
        os.close(writer)
    try:
        process = await asyncio.create_subprocess_exec(
            *grab_argv(binary, str(source), offset, output, width, crop, script_fd),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=child_environment(),
            pass_fds=(script_fd,) if script_fd is not None else (),
        )  # fmt: skip
    finally:
        if script_fd is not None:
            os.close(script_fd)
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
