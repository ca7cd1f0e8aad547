"""Closes the timestamp hole after the first frame of a recorder run on a camera with audio.

ffmpeg's RTP input times packets from each track's own first packet until an RTCP sender report arrives,
and from the report's wall clock after it, but only for sources of more than one track. When the audio's
report comes first, the video frames that came before the video's own report keep their first timeline:
measured here, the first frame of a run sat 0.30-0.95 s before the second one (a still first picture,
and in a joined download an average frame rate that reads low). Only the first segment of a run holds
that frame, so the recorder mends it when the segment closes, with one `-c copy` remux (nothing
re-encoded): the frame moves to one frame interval before the next (setts), the audio from before it
is dropped (noise=drop, it had no picture), and both tracks start at 0 again. A track that started later
than the other would need an edit list, which a fragmented MP4 with an empty moov cannot carry."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import shutil
import statistics
from pathlib import Path

from video_streaming.private_files import child_environment

log = logging.getLogger(__name__)
_PACKETS_LOOKED_AT = 40


async def run_briefly(argv: list[str], timeout: float, *, stderr: bool = False) -> tuple[int, bytes]:
    """(exit code, what it printed): its output when it succeeded, else its errors; `stderr` asks for what it
    printed on stderr either way (ffmpeg's decode errors do not change its exit code). -1 on a timeout."""
    process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE, env=child_environment())  # fmt: skip
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return -1, b""
    return process.returncode or 0, out if process.returncode == 0 and not stderr else err


async def leading_hole(path: Path, timeout: float = 10.0) -> tuple[float, float]:
    """(time of the first video frame, seconds it lies too early); the second is 0.0 when its spacing is
    normal, or when the video has B-frames (not mended yet)."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0.0, 0.0
    code, out = await run_briefly([ffprobe, "-v", "error", "-select_streams", "v:0", "-read_intervals",
                            f"%+#{_PACKETS_LOOKED_AT}", "-show_entries", "packet=pts_time,dts_time", "-of", "json",
                            str(path)], timeout)  # fmt: skip
    if code != 0:
        return 0.0, 0.0
    try:
        packets = json.loads(out).get("packets", [])
        pts = [float(p["pts_time"]) for p in packets if p.get("pts_time") not in (None, "N/A")]
        reordered = any(p.get("dts_time") != p.get("pts_time") for p in packets)
    except (ValueError, KeyError):
        return 0.0, 0.0
    if reordered:
        # B-frames: the decode times of the first frames are ffmpeg's guesses, and moving them as below gave
        # frames the MP4 muxer re-timed wrongly. Left as recorded (see docs/pitfalls.md).
        return 0.0, 0.0
    if len(pts) < 4 or pts[0] != min(pts):  # a run starts on its key frame, shown first
        return 0.0, 0.0
    shown = sorted(pts)
    typical = statistics.median(b - a for a, b in itertools.pairwise(shown[1:]))
    gap = shown[1] - shown[0]
    if typical <= 0 or gap <= 1.5 * typical + 0.02:
        return shown[0], 0.0
    return shown[0], gap - typical


async def close_leading_hole(path: Path, ffmpeg: str, timeout: float = 30.0) -> float:
    """Mend `path` in place; returns the seconds closed (0.0: there was no hole, or mending failed)."""
    first, hole = await leading_hole(path)
    if hole <= 0:
        return 0.0
    start = first + hole  # where the first frame belongs: the new zero of both tracks
    move, zero = f"{hole:.6f}/TB", f"{start:.6f}/TB"
    video = (f"setts=pts=if(eq(N\\,0)\\,PTS+{move}\\,PTS)-{zero}:"
             f"dts=if(eq(N\\,0)\\,DTS+{move}-{zero}\\,if(lte(DTS-{zero}\\,PREV_OUTDTS)\\,PREV_OUTDTS+1\\,DTS-{zero}))")
    audio = f"noise=drop=lt(pts*tb\\,{start:.6f}),setts=ts=TS-{zero}"
    fixed = path.with_name(f".{path.name}.retimed")
    code, err = await run_briefly([ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(path),
                            "-map", "0", "-c", "copy", "-bsf:v", video, "-bsf:a", audio, "-f", "mp4", "-movflags",
                            "+frag_keyframe+empty_moov+default_base_moof", str(fixed)], timeout)  # fmt: skip
    if code != 0 or not fixed.exists() or fixed.stat().st_size == 0:
        log.warning("could not close the %.2f s hole after the first frame of %s: %s", hole, path.name,
                    err.decode("utf-8", "replace")[-300:])  # fmt: skip
        fixed.unlink(missing_ok=True)
        return 0.0
    os.replace(fixed, path)
    return hole
