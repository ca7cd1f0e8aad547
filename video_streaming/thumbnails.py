"""Thumbnails: single frames grabbed (by the MediaFiles port: ffmpeg) at an offset within a segment, cached on disk.

A segment is read from its local file or straight from an archive URL (ffmpeg seeks with ranged reads, so
a thumbnail of an archived hour costs a few hundred kilobytes, not a download). Cache entries are keyed by
what identifies the picture (the segment's object key or local path, the offset, the size), never by the
URL, whose signature changes with every request.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

from video_streaming.ports import MediaFiles

DEFAULT_WIDTH = 160


class ThumbnailCache:
    """Small JPEG frames on disk, shared by every view; at most `concurrency` ffmpeg grabs at a time."""

    def __init__(self, cache_dir: Path, media: MediaFiles, *, width: int = DEFAULT_WIDTH, concurrency: int = 2) -> None:
        self.cache_dir = cache_dir
        self._media = media
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
                ok = await self._media.still(source, offset, temporary, width=self.width)
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
