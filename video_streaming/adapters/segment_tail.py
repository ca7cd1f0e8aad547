"""Drops the cut-off last frame of a recorder run that ended because the camera went away.

A camera that reboots or loses power stops in the middle of sending a frame. MediaMTX forwards the RTP
packets it got, and ffmpeg's RTSP input, at the end of the stream, hands on the part of the frame it has:
the last picture of the run decodes with errors ("Invalid level prefix", "error while decoding MB"),
measured here in 2 of 6 runs whose camera stopped. A player shows a smeared last frame; a strict decoder
or a hardware one may refuse the file. The recorder mends the run's last segment when it closes: decode
its last second, and when that fails, remux it (`-c copy`, nothing re-encoded) without the last video
packet, and keep the result only when its last second then decodes cleanly. Anything else is left as the
camera sent it."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from video_streaming.adapters.segment_timing import run_briefly

log = logging.getLogger(__name__)
_TAIL_SECONDS = 1.0  # decoded from the key frame before it: one GOP and a second at most


async def tail_decode_errors(path: Path, ffmpeg: str, timeout: float = 30.0) -> str | None:
    """What decoding the last second of the video says ("" when clean); None when it could not be run."""
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-sseof", f"-{_TAIL_SECONDS}", "-i", str(path),
            "-map", "0:v:0", "-f", "null", "-"]  # fmt: skip
    code, err = await run_briefly(argv, timeout, stderr=True)
    if code == -1:
        return None
    said = err.decode("utf-8", "replace").strip()
    return said if code == 0 else (said or f"ffmpeg exited {code}")


async def _video_packets(path: Path, timeout: float) -> int:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0
    code, out = await run_briefly([ffprobe, "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                                   "stream=nb_read_packets", "-of", "csv=p=0", str(path)], timeout)  # fmt: skip
    try:
        return int(out.decode().strip().split(",")[0]) if code == 0 else 0
    except ValueError:
        return 0


async def drop_cut_off_last_frame(path: Path, ffmpeg: str, timeout: float = 30.0) -> bool:
    """Mend `path` in place; True when its last video packet was dropped."""
    errors = await tail_decode_errors(path, ffmpeg, timeout)
    if not errors:
        return False
    packets = await _video_packets(path, timeout)
    if packets < 2:
        return False
    fixed = path.with_name(f".{path.name}.tail")
    code, _ = await run_briefly([ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(path),
                                 "-map", "0", "-c", "copy", "-bsf:v", f"noise=drop=eq(n\\,{packets - 1})",
                                 "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof",
                                 str(fixed)], timeout)  # fmt: skip
    if code != 0 or not fixed.exists() or fixed.stat().st_size == 0 or await tail_decode_errors(fixed, ffmpeg, timeout):
        # Not the last frame alone (or the remux failed): keep what the camera sent, and say so.
        log.warning("%s ends in frames that do not decode (%s); left as recorded", path.name, errors[-200:])
        fixed.unlink(missing_ok=True)
        return False
    os.replace(fixed, path)
    return True
