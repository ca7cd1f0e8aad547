"""Is a recorded segment still what the recorder wrote? A cheap look before it is archived.

The recorder writes fragmented MP4: `ftyp`, `moov`, then `moof`/`mdat` pairs (and `mfra` when ffmpeg
closes the file). Walking the box headers reads a few bytes per fragment, so damage on disk (a file cut
short, overwritten, or not a recording at all) is found without decoding a frame. A partial segment (the
recorder was killed) may end inside its last box; anything else must end exactly on a box boundary."""

from __future__ import annotations

import struct
from pathlib import Path

_HEADER = struct.Struct(">I4s")
_LARGE_SIZE = struct.Struct(">Q")
_MAX_FTYP = 1024  # ftyp holds a brand and a short list of compatible brands


def _printable_type(raw: bytes) -> bool:
    return all(0x20 <= byte < 0x7F for byte in raw)


def _preview(raw: bytes) -> str:
    text = raw[:16].decode("ascii", "replace")
    return "".join(ch if ch.isprintable() and ch != "\ufffd" else "." for ch in text)


def segment_damage(path: Path, *, recorded_size: int = 0, partial: bool = False) -> str | None:
    """Why the segment at `path` is damaged, in words for the operator; None when it looks intact.
    `recorded_size` is the size the catalog noted when the recorder closed the file (0: unknown)."""
    size = path.stat().st_size
    if recorded_size and size < recorded_size:
        return f"cut short on disk: {size} of the {recorded_size} bytes the recorder wrote remain"
    with open(path, "rb") as handle:
        offset, boxes = 0, list[bytes]()
        while offset < size:
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < _HEADER.size:
                return None if partial else f"cut short: {len(header)} stray bytes after the last complete box"
            box_size, raw_type = _HEADER.unpack_from(header)
            if box_size == 1 and len(header) == 16:
                box_size = _LARGE_SIZE.unpack_from(header, 8)[0]
            elif box_size == 0:  # "to the end of the file"
                box_size = size - offset
            if not boxes and (raw_type != b"ftyp" or not 8 <= box_size <= _MAX_FTYP):
                return f"not an MP4 recording: it starts with {_preview(header)!r}"
            if box_size < 8 or not _printable_type(raw_type):
                return f"garbled at byte {offset}: no MP4 box starts there"
            boxes.append(raw_type)
            if offset + box_size > size:
                return None if partial else f"cut short: its last box lacks {offset + box_size - size} bytes"
            offset += box_size
    if not partial and b"moov" not in boxes:
        return "no track description (moov box): players cannot open it"
    return None


def without_footage(path: Path) -> bool:
    """Whether a recorder's file is known to hold no media: empty, or MP4 boxes that end cleanly without one
    fragment. A run stopped before its first frame still writes `ftyp`, `moov` and `mfra` as ffmpeg closes
    it: a file that opens and plays nothing. Anything else (damaged or not MP4) is not called empty here:
    segment_damage says what is wrong with it."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            offset = 0
            while offset + _HEADER.size <= size:
                handle.seek(offset)
                header = handle.read(16)
                box_size, raw_type = _HEADER.unpack_from(header)
                if raw_type in (b"moof", b"mdat") or not _printable_type(raw_type):
                    return False
                if box_size == 1 and len(header) == 16:
                    box_size = _LARGE_SIZE.unpack_from(header, 8)[0]
                if box_size < 8:
                    return False
                offset += box_size
            return offset == size
    except FileNotFoundError:  # gone: it holds nothing either
        return True
    except OSError:
        return False
