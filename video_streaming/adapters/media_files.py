"""The MediaFiles port on ffprobe and ffmpeg: a recorded file's duration, stream shape and stills, and joining files
into one MP4 with ffmpeg's concat demuxer and `-c copy` (an hour of footage joins in seconds)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from video_streaming.adapters.ffmpeg import probe_duration
from video_streaming.adapters.frame_grab import grab_frame
from video_streaming.adapters.media_probe import stream_shape
from video_streaming.domain.errors import DiskFull, VidStreamError
from video_streaming.ports import MediaFiles, StreamShape
from video_streaming.private_files import child_environment


class FFmpegMediaFiles(MediaFiles):
    def __init__(self, ffmpeg: str = "ffmpeg") -> None:
        self._ffmpeg = ffmpeg

    async def duration(self, path: Path) -> float:
        return await probe_duration(path)

    async def shape(self, path: Path) -> StreamShape | None:
        return await stream_shape(path)

    async def still(self, source: str | Path, offset: float, output: Path, *, width: int | None = None) -> bool:
        return await grab_frame(source, offset, output, width=width, ffmpeg=shutil.which(self._ffmpeg))

    async def join(
        self, files: Sequence[Path], output: int, *, inpoint: float | None, outpoint: float | None,
        work_dir: Path, on_written: Callable[[int], None], check_stop: Callable[[], None],
    ) -> None:  # fmt: skip
        ffmpeg = shutil.which(self._ffmpeg)
        if ffmpeg is None:
            raise VidStreamError("ffmpeg is not installed", "install it: apt-get install ffmpeg")
        listing = work_dir / "segments.ffconcat"
        await asyncio.to_thread(listing.write_text, concat_list(files, inpoint, outpoint), encoding="utf-8")
        # ffmpeg writes through the caller's descriptor, never by a name someone else could swap.
        process = await asyncio.create_subprocess_exec(
            *join_argv(ffmpeg, listing, Path(f"/proc/self/fd/{output}")), pass_fds=(output,),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=child_environment(),
        )  # fmt: skip
        try:
            stderr = await _follow(process, on_written, check_stop)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        if process.returncode != 0:
            if "no space left" in stderr.lower():
                raise DiskFull("the disk filled up during the export", "free some space")
            raise VidStreamError(f"ffmpeg could not join the segments: {stderr.strip()[-300:] or process.returncode}")


def concat_list(files: Sequence[Path], inpoint: float | None, outpoint: float | None) -> str:
    """The ffconcat script: every file once, the first cut at `inpoint`, the last at `outpoint` (seconds into
    each file). The in point keeps the packets from the key frame before it, with timestamps before zero,
    and `join_argv` keeps those timestamps (`-copyts`), so the MP4 muxer hides them with an edit list
    instead of showing them. (A `-ss` seek on the joined input instead made ffmpeg hide everything before
    the start behind the edit list, whole segments included, and listing the first file twice to help that
    seek put it into the file twice.)"""
    lines = ["ffconcat version 1.0"]
    for index, path in enumerate(files):
        escaped = str(path.resolve()).replace("'", "'\\''")
        lines.append(f"file '{escaped}'")
        if index == 0 and inpoint is not None:
            lines.append(f"inpoint {inpoint:.6f}")
        if index == len(files) - 1 and outpoint is not None:
            lines.append(f"outpoint {outpoint:.6f}")
    return "\n".join(lines) + "\n"


def join_argv(ffmpeg: str, listing: Path, output: Path) -> list[str]:
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-nostats", "-progress", "pipe:1",
        # Only local files: a segment whose bytes are a playlist (an archive can answer anything) must not
        # make ffmpeg fetch what it names; the whitelist carries over to every file the listing opens.
        "-copyts", "-protocol_whitelist", "file,pipe,fd", "-f", "concat", "-safe", "0", "-i", str(listing),
        "-map", "0:v", "-map", "0:a?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(output),
    ]  # fmt: skip


async def _follow(
    process: asyncio.subprocess.Process, on_written: Callable[[int], None], check_stop: Callable[[], None]
) -> str:
    """Read ffmpeg's -progress lines (bytes written so far) until it exits; `check_stop` raising ends it."""
    assert process.stdout is not None and process.stderr is not None
    stderr_task = asyncio.ensure_future(process.stderr.read())
    try:
        while True:
            check_stop()
            try:
                line = await asyncio.wait_for(process.stdout.readline(), timeout=0.2)
            except TimeoutError:
                continue
            if not line:
                break
            key, _, value = line.decode("ascii", "replace").strip().partition("=")
            if key == "total_size" and value.isdigit():
                on_written(int(value))
        await process.wait()
        return (await stderr_task).decode("utf-8", "replace")
    finally:
        stderr_task.cancel()
