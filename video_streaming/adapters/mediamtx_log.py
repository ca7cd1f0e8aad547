"""Why MediaMTX cannot pull a camera, from MediaMTX itself.

MediaMTX v1.20.1's API says only `ready: false` for a source it cannot pull (no error field in
/v3/paths/get); the reason is in its log, one line per failed try:

    2026/12/01 23:14:02 ERR [path 5f0c…] [RTSP source] bad status code: 401 (Unauthorized)
    2026/12/01 23:14:19 ERR [path 5f0c…] [RTSP source] EOF
    2026/12/01 23:12:40 ERR [path 9a1e…] [RTSP source] dial tcp 127.0.0.1:1: connect: connection refused

The app starts its own MediaMTX and owns that log, so the last such line of a path (unless the path
came online after it) is the real reason, worded here for the operator with MediaMTX's text kept."""

from __future__ import annotations

import re
from pathlib import Path

_SOURCE_ERROR = re.compile(r"\b(?:ERR|WAR) \[path (?P<path>[^\]]+)\] \[(?P<source>[^\]]*source)\] (?P<text>.+)$")
_ONLINE = re.compile(r"\bINF \[path (?P<path>[^\]]+)\] (?:stream is available|\[[^\]]*source\] ready)")

# (what MediaMTX says, lowercased) -> what it means for the operator
_MEANINGS: list[tuple[str, str]] = [
    ("401", "the camera refused the credentials"),
    ("403", "the camera refused access"),
    ("404", "the camera has no stream at this path"),
    ("connection refused", "nothing accepts connections at the camera's address"),
    ("no route to host", "the camera's address cannot be reached"),
    ("no such host", "the camera's host name cannot be resolved"),
    ("i/o timeout", "the camera does not answer (timeout)"),
    ("timed out", "the camera does not answer (timeout)"),
    ("deadline exceeded", "the camera does not answer (timeout)"),
    ("eof", "the camera closed the connection (it stopped or restarted)"),
    ("connection reset", "the camera closed the connection (it stopped or restarted)"),
    ("terminated", "the camera ended the stream"),
    ("codec", "the camera sends a codec that cannot be used"),
    ("supported", "the camera sends a codec that cannot be used"),
    ("no tracks", "the camera sends no media tracks"),
]


def describe_source_error(text: str) -> str:
    """MediaMTX's words for a failed pull, with what they mean in front."""
    lowered = text.lower()
    meaning = next((meaning for needle, meaning in _MEANINGS if needle in lowered), "")
    return f"{meaning} (MediaMTX: {text})" if meaning else f"MediaMTX: {text}"


class MediaMTXLog:
    """Reads the tail of a MediaMTX log file (cheap: the last `tail_bytes` only)."""

    def __init__(self, path: Path, tail_bytes: int = 256 * 1024) -> None:
        self.path = path
        self.tail_bytes = tail_bytes

    def _tail(self) -> list[str]:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, 2)
                size = handle.tell()
                handle.seek(max(0, size - self.tail_bytes))
                data = handle.read()
        except OSError:
            return []
        return data.decode("utf-8", "replace").splitlines()

    def source_error(self, path_name: str) -> str | None:
        """MediaMTX's last reason for not pulling `path_name` (raw), or None when it is online since."""
        for line in reversed(self._tail()):
            if path_name not in line:
                continue
            if (online := _ONLINE.search(line)) is not None and online["path"] == path_name:
                return None
            if (error := _SOURCE_ERROR.search(line)) is not None and error["path"] == path_name:
                return error["text"].strip()
        return None
