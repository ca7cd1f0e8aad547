"""The run-end mend on real ffmpeg: a segment whose last frame was cut off loses that frame and nothing
else; a clean segment, or one damaged elsewhere, is left byte for byte as it was."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from video_streaming.adapters.segment_tail import drop_cut_off_last_frame, tail_decode_errors

FFMPEG = shutil.which("ffmpeg") or "ffmpeg"


def recorded_segment(path: Path) -> Path:
    """Three seconds of a 320x180@10 camera with audio, written as the recorder writes (fragmented MP4)."""
    subprocess.run([FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=10",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "3",
                    "-c:v", "libx264", "-g", "10", "-bf", "0", "-c:a", "aac", "-f", "mp4",
                    "-movflags", "+frag_keyframe+empty_moov+default_base_moof", str(path)],
                   check=True, timeout=60)  # fmt: skip
    return path


def video_packets(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time,size,pos", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True, timeout=30).stdout  # fmt: skip
    packets: list[dict[str, str]] = json.loads(out)["packets"]
    return packets


def audio_packets(path: Path) -> int:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-count_packets", "-show_entries",
                          "stream=nb_read_packets", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True, timeout=30).stdout  # fmt: skip
    return int(out.strip())


def cut_off(path: Path, frame: int) -> None:
    """Rewrite `path` with the second half of one frame's bytes missing, as a frame whose end never arrived:
    the H.264 stream comes out as Annex B, loses the bytes, and goes back in beside the untouched audio."""
    raw = path.with_suffix(".h264")
    subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(path), "-map", "0:v", "-c", "copy", "-f", "h264", str(raw)],
                   check=True, timeout=30)  # fmt: skip
    packet = video_packets(raw)[frame]
    size, pos = int(packet["size"]), int(packet["pos"])
    data = raw.read_bytes()
    raw.write_bytes(data[: pos + size // 2] + data[pos + size :])
    joined = path.with_suffix(".joined.mp4")
    subprocess.run([FFMPEG, "-v", "error", "-y", "-framerate", "10", "-i", str(raw), "-i", str(path), "-map", "0:v",
                    "-map", "1:a", "-c", "copy", "-f", "mp4", "-movflags",
                    "+frag_keyframe+empty_moov+default_base_moof", str(joined)], check=True, timeout=30)  # fmt: skip
    raw.unlink()
    joined.replace(path)


async def test_a_cut_off_last_frame_is_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    segment = recorded_segment(tmp_path / "seg.mp4")
    cut_off(segment, -1)
    before = video_packets(segment)
    assert await tail_decode_errors(segment, FFMPEG), "the garbled last frame should not decode"
    assert await drop_cut_off_last_frame(segment, FFMPEG)
    after = video_packets(segment)
    assert [p["pts_time"] for p in after] == [p["pts_time"] for p in before[:-1]]
    assert await tail_decode_errors(segment, FFMPEG) == ""
    assert audio_packets(segment) > 40  # the audio of all three seconds stays


async def test_a_clean_segment_and_one_damaged_before_its_end_are_left_as_they_are(tmp_path: Path) -> None:
    clean = recorded_segment(tmp_path / "clean.mp4")
    clean_bytes = clean.read_bytes()
    assert not await drop_cut_off_last_frame(clean, FFMPEG)
    assert clean.read_bytes() == clean_bytes

    damaged = recorded_segment(tmp_path / "damaged.mp4")
    cut_off(damaged, -3)  # the damage is not the last frame: dropping it would not help
    damaged_bytes = damaged.read_bytes()
    assert await tail_decode_errors(damaged, FFMPEG)
    assert not await drop_cut_off_last_frame(damaged, FFMPEG)
    assert damaged.read_bytes() == damaged_bytes
    assert not list(tmp_path.glob(".*.tail"))  # the failed mend's scratch file is gone
