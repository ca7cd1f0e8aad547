"""Which of MediaMTX's reading protocols can carry a camera's video (MediaMTX v1.20.1, its README's
table of readers). RTSP carries anything; the others only some codecs: MediaMTX refuses an SRT, RTMP or
HLS reader of an M-JPEG camera, and a player asking again and again only sees "no stream"."""

from __future__ import annotations

from video_streaming.domain.codecs import VIDEO_CODECS

# Reading protocol -> the video codecs MediaMTX sends over it. RTSP: every codec.
VIDEO_BY_TRANSPORT: dict[str, frozenset[str]] = {
    # The wall's relay reads RTSP (a muted H.264 tile: RTMP) and muxes MPEG-TS (ffmpeg 5's MPEG-TS muxer: no
    # M-JPEG, AV1 or VP9), or multipart JPEG for an M-JPEG camera (adapters/live_relay.py, relay_format).
    "relay": frozenset({"H265", "H264", "MPEG-4 Video", "MPEG-1/2 Video", "M-JPEG"}),
    "srt": frozenset({"H265", "H264", "MPEG-4 Video", "MPEG-1/2 Video"}),
    "rtmp": frozenset({"H264", "H265", "AV1", "VP9"}),
    "hls": frozenset({"H264", "H265", "AV1", "VP9"}),
    "webrtc": frozenset({"H264", "H265", "AV1", "VP9", "VP8"}),
}


def video_codec(tracks: list[str]) -> str | None:
    """The first video codec among MediaMTX's track names ("H264", "M-JPEG", ...)."""
    return next((codec for codec in tracks if codec in VIDEO_CODECS), None)


def carries(transport: str, codec: str | None) -> bool:
    """Can MediaMTX send video in `codec` over `transport`? (Unknown codec: assume it can.)"""
    if codec is None or transport == "rtsp":
        return True
    carried = VIDEO_BY_TRANSPORT.get(transport)
    return carried is None or codec in carried


def transports_carrying(codec: str) -> list[str]:
    return ["rtsp", *(name for name, codecs in VIDEO_BY_TRANSPORT.items() if codec in codecs)]
