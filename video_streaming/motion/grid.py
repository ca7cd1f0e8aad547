"""The motion-search grid: per second, which of the 16x9 cells saw motion (18 bytes), kept in chunks of a
minute so a 30-day search reads ~43,000 small rows and never decodes video."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from video_streaming.motion.detector import GRID_BYTES

CHUNK_SECONDS = 60


@dataclass(frozen=True)
class GridChunk:
    camera_id: str
    start: int  # epoch second of the chunk's first second, a multiple of CHUNK_SECONDS
    cells: bytes  # CHUNK_SECONDS * GRID_BYTES, zlib-compressed by encode()

    def encode(self) -> bytes:
        return zlib.compress(self.cells, 6)


def decode_chunk(blob: bytes) -> npt.NDArray[np.uint8]:
    """(CHUNK_SECONDS, GRID_BYTES) cells of one stored chunk."""
    raw = zlib.decompress(blob)
    if len(raw) != CHUNK_SECONDS * GRID_BYTES:
        raise ValueError(f"a motion grid chunk holds {len(raw)} bytes, expected {CHUNK_SECONDS * GRID_BYTES}")
    return np.frombuffer(raw, dtype=np.uint8).reshape(CHUNK_SECONDS, GRID_BYTES)


@dataclass
class GridAccumulator:
    """ORs each frame's cells into its second; hands back a chunk when time moves past its minute."""

    camera_id: str
    _start: int | None = None
    _cells: npt.NDArray[np.uint8] = field(
        default_factory=lambda: np.zeros((CHUNK_SECONDS, GRID_BYTES), dtype=np.uint8), repr=False
    )
    _any: bool = False

    def add(self, at: float, grid: bytes) -> GridChunk | None:
        second = int(at)
        chunk_start = second - second % CHUNK_SECONDS
        finished = None
        if self._start is not None and chunk_start != self._start:
            finished = self.flush()
        if self._start is None:
            self._start = chunk_start
        if any(grid):
            self._cells[second - chunk_start] |= np.frombuffer(grid, dtype=np.uint8)
            self._any = True
        return finished

    def flush(self) -> GridChunk | None:
        """The current chunk if it saw any motion (quiet minutes are not stored), and start afresh."""
        chunk = None
        if self._start is not None and self._any:
            chunk = GridChunk(self.camera_id, self._start, self._cells.tobytes())
        self._start, self._any = None, False
        self._cells = np.zeros((CHUNK_SECONDS, GRID_BYTES), dtype=np.uint8)
        return chunk


def moments_in_region(
    chunks: list[tuple[int, bytes]], region: bytes, since: float, until: float
) -> list[tuple[int, int]]:
    """[start, end) epoch-second spans, merged, where any cell of `region` saw motion, from stored chunks
    given as (chunk start, compressed blob)."""
    if not chunks or not any(region):
        return []
    starts = np.fromiter((start for start, _ in chunks), dtype=np.int64, count=len(chunks))
    raw = b"".join(zlib.decompress(blob) for _, blob in chunks)  # one buffer: no per-chunk numpy objects
    if len(raw) != len(chunks) * CHUNK_SECONDS * GRID_BYTES:
        raise ValueError("a stored motion grid chunk has the wrong size")
    cells = np.frombuffer(raw, dtype=np.uint8).reshape(len(chunks), CHUNK_SECONDS, GRID_BYTES)
    wanted = np.frombuffer(region, dtype=np.uint8)
    columns = np.flatnonzero(wanted)  # only the bytes the region touches: a small region reads a few of 18
    hits = (cells[:, :, columns] & wanted[columns]).any(axis=2)  # (chunks, seconds)
    chunk_index, offset = np.nonzero(hits)
    seconds = np.sort(starts[chunk_index] + offset)
    seconds = seconds[(seconds >= int(since)) & (seconds < until)]
    if seconds.size == 0:
        return []
    breaks = np.nonzero(np.diff(seconds) > 1)[0]
    span_starts = np.concatenate(([seconds[0]], seconds[breaks + 1]))
    span_ends = np.concatenate((seconds[breaks], [seconds[-1]])) + 1
    return list(zip(span_starts.tolist(), span_ends.tolist(), strict=True))
