"""Thumbnails: single frames grabbed by ffmpeg at an offset within a segment, cached on disk.

A segment is read from its local file or straight from an archive URL (ffmpeg seeks with ranged reads, so
a thumbnail of an archived hour costs a few hundred kilobytes, not a download). Cache entries are keyed by
what identifies the picture (the segment's object key or local path, the offset, the size), never by the
URL, whose signature changes with every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import shutil
from pathlib import Path

from video_streaming.private_files import child_environment

log = logging.getLogger(__name__)

DEFAULT_WIDTH = 160
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


class ThumbnailCache:
    """Small JPEG frames on disk, shared by every view; at most `concurrency` ffmpeg grabs at a time."""

    def __init__(self, cache_dir: Path, *, width: int = DEFAULT_WIDTH, concurrency: int = 2) -> None:
        self.cache_dir = cache_dir
        self.width = width
        self._limit = asyncio.Semaphore(concurrency)
        self._failed: set[str] = set()  # keys with no frame: not retried every repaint
        self._inflight: dict[str, asyncio.Future[Path | None]] = {}

    def path_for(self, key: str, offset: float) -> Path:
        digest = hashlib.sha1(f"{key}|{offset:.1f}|{self.width}".encode(), usedforsecurity=False).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.jpg"

    def cached(self, key: str, offset: float) -> Path | None:
        path = self.path_for(key, offset)
        return path if path.exists() else None

    async def thumbnail(self, source: str | Path, offset: float, key: str | None = None) -> Path | None:
        """The cached frame at `offset` (to 0.1 s) of `source`, grabbing it first when needed. `key` names
        the picture for the cache (default: the source itself; pass the object key for URLs)."""
        name = key or str(source)
        path = self.path_for(name, offset)
        if path.exists():
            return path
        if path.name in self._failed:
            return None
        if (pending := self._inflight.get(path.name)) is not None:
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if pending.cancelled():  # the grab was abandoned by its first caller, not by this one
                    return None
                raise
        future: asyncio.Future[Path | None] = asyncio.get_running_loop().create_future()
        self._inflight[path.name] = future
        try:
            async with self._limit:
                temporary = path.with_name(f".{path.stem}.{os.getpid()}.jpg")
                ok = await grab_frame(source, offset, temporary, width=self.width)
                if ok:
                    temporary.replace(path)
                else:
                    self._failed.add(path.name)
            future.set_result(path if ok else None)
        except BaseException as error:
            if isinstance(error, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_result(None)
            raise
        finally:
            self._inflight.pop(path.name, None)
        return future.result()
