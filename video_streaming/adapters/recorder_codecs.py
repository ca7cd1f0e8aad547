"""How the recorder stores each camera's tracks in MP4 without re-encoding its video.

MP4 has no sample entry for G.711 (`pcm_alaw`, `pcm_mulaw`): ffmpeg refuses the whole output and used to
leave a 0-byte segment behind. The video is always copied; audio is copied when it is AAC, transcoded to
AAC otherwise (Opus too: not every player reads Opus in MP4), and left out, with a notice to the operator,
when even that fails. H.265 is tagged `hvc1` (parameter sets in the sample entry), which Apple's players
require; ffmpeg's default `hev1` plays elsewhere only.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from enum import StrEnum

from video_streaming.domain.codecs import VIDEO_CODECS

COPYABLE_AUDIO = frozenset({"MPEG-4 Audio"})  # MediaMTX's name for AAC
# AAC holds at most 6144 bits a frame per channel: 48 kb/s fits an 8 kHz mono G.711 track and is enough
# for a camera's microphone at any rate.
AAC_BITRATE = "48k"

# Source URL -> MediaMTX's codec names for its tracks ("H264", "G711", ...), or None when unknown.
TrackLookup = Callable[[str], Awaitable[list[str] | None]]
# The recorder's RTSP URL of a MediaMTX path -> the same path over that server's RTMP, with the reader login
# (None: not a path of a server whose RTMP listener is on).
RtmpRoute = Callable[[str], str | None]


def reads_over_rtmp(tracks: list[str]) -> bool:
    """Record this source from MediaMTX's RTMP instead of its RTSP? For H.264 with AAC: ffmpeg's RTSP input
    re-anchors every track of a session of more than one at each RTCP sender report, so presentation times
    step back when the camera falls behind real time, and with B-frames a key frame can land before frames
    already decoded (`ffmpeg -i F -f null -` then stops: docs/pitfalls.md). Over RTMP the times are
    MediaMTX's own, continuous, with their decode times. Measured side by side with the recorder's argv
    (H.264 B-frames + AAC, the publisher paused 0.4-0.7 s every 4 s): RTSP 1 segment in 31 failed the
    decode, RTMP 0 in 78. Video alone never re-anchors (one track), and ffmpeg 5.1 reads neither H.265 nor
    G.711 nor Opus from RTMP, so those stay on RTSP."""
    video = [codec for codec in tracks if codec in VIDEO_CODECS]
    audio = audio_codecs(tracks)
    return video == ["H264"] and bool(audio) and all(codec in COPYABLE_AUDIO for codec in audio)


class AudioMode(StrEnum):
    COPY = "copy"
    AAC = "aac"
    NONE = "none"

    def fallback(self) -> AudioMode | None:
        """What to try when ffmpeg cannot store the audio in this form."""
        return {AudioMode.COPY: AudioMode.AAC, AudioMode.AAC: AudioMode.NONE}.get(self)


def audio_codecs(tracks: list[str]) -> list[str]:
    return [codec for codec in tracks if codec and codec not in VIDEO_CODECS]


def audio_mode_for(tracks: list[str]) -> AudioMode:
    audio = audio_codecs(tracks)
    return AudioMode.COPY if all(codec in COPYABLE_AUDIO for codec in audio) else AudioMode.AAC


def video_tag_for(tracks: list[str]) -> str | None:
    return "hvc1" if "H265" in tracks else None


def stream_args(audio: AudioMode, video_tag: str | None) -> list[str]:
    """ffmpeg's -map / -c options: video copied, audio as `audio` says."""
    tag = ["-tag:v", video_tag] if video_tag else []
    if audio is AudioMode.NONE:
        return ["-map", "0:v", "-c", "copy", *tag]
    if audio is AudioMode.AAC:
        return ["-map", "0:v", "-map", "0:a?", "-c:v", "copy", "-c:a", "aac", "-b:a", AAC_BITRATE, *tag]
    return ["-map", "0:v", "-map", "0:a?", "-c", "copy", *tag]


# Output stream 0:0 is the video (mapped first); a later one that cannot be initialised is audio.
_AUDIO_OUTPUT_FAILED = re.compile(r"error initializing output stream 0:[1-9]|could not find tag for codec "
                                  r"|codec not currently supported in container|error while opening encoder")


def audio_not_storable(stderr: str) -> str | None:
    """ffmpeg's reason when it refused the audio track, else None."""
    lowered = stderr.lower()
    if not _AUDIO_OUTPUT_FAILED.search(lowered):
        return None
    lines = [line.strip() for line in stderr.splitlines()]
    about_codec = [line for line in lines if "codec" in line.lower()]
    about_codec = about_codec or [line for line in lines if "stream" in line.lower()]
    return about_codec[0] if about_codec else "the audio track cannot be stored"
