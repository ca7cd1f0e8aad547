"""What the recorder's files are known to hold, from their MP4 box headers alone."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from video_streaming.segment_integrity import segment_damage, without_footage


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


HEADER = box(b"ftyp", b"isom\0\0\2\0") + box(b"moov", b"\0" * 40)
FRAGMENT = box(b"moof", b"\0" * 16) + box(b"mdat", b"\1" * 64)


@pytest.mark.parametrize(
    ("content", "empty"),
    [
        (b"", True),
        (HEADER + box(b"mfra", b"\0" * 16), True),  # what ffmpeg leaves of a run stopped before its first frame
        (HEADER + FRAGMENT, False),
        (HEADER + FRAGMENT + box(b"mfra", b"\0" * 16), False),
        (b"not an mp4 at all, but bytes", False),  # damaged files are for segment_damage to name
        (HEADER + b"\0\0", False),  # cut short: maybe a fragment was being written
    ],
)
def test_a_file_is_without_footage_only_when_its_boxes_end_cleanly_without_a_fragment(
    tmp_path: Path, content: bytes, empty: bool
) -> None:
    path = tmp_path / "segment.mp4"
    path.write_bytes(content)
    assert without_footage(path) is empty
    assert without_footage(tmp_path / "gone.mp4") is True


def test_a_header_only_file_is_intact_but_a_cut_one_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "segment.mp4"
    path.write_bytes(HEADER + FRAGMENT)
    assert segment_damage(path) is None
    path.write_bytes(HEADER + FRAGMENT[:-10])
    assert "cut short" in (segment_damage(path) or "")
