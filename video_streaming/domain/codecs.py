"""Codec names as the media server's API gives them for a path's tracks (MediaMTX v1.20)."""

from __future__ import annotations

VIDEO_CODECS = frozenset({"H264", "H265", "AV1", "VP9", "VP8", "M-JPEG", "MPEG-4 Video", "MPEG-1/2 Video"})
