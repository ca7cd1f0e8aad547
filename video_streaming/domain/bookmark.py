"""A bookmark: a named, annotated time range on one or more cameras that an investigator wants kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from video_streaming.domain.clock import require_aware
from video_streaming.domain.errors import InvalidInput

MAX_NAME_LENGTH = 200
MAX_NOTE_LENGTH = 10_000


@dataclass(frozen=True)
class Bookmark:
    name: str
    start: datetime
    end: datetime
    camera_ids: tuple[str, ...]
    note: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def overlaps(self, camera_id: str, start: datetime, end: datetime | None) -> bool:
        """True when this bookmark marks `camera_id` at some moment of [start, end] (end None: still open)."""
        return camera_id in self.camera_ids and start <= self.end and (end is None or end >= self.start)


def new_bookmark(
    name: str, camera_ids: list[str] | tuple[str, ...], start: datetime, end: datetime, note: str = "", *,
    created_by: str, created_at: datetime,
) -> Bookmark:  # fmt: skip
    """A checked bookmark: a name, at least one camera, an aware range that ends after it starts."""
    name = name.strip()
    if not name:
        raise InvalidInput("a bookmark needs a name", "give it a short name, e.g. 'loading dock incident'")
    if len(name) > MAX_NAME_LENGTH or len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a bookmark's name is at most {MAX_NAME_LENGTH} characters, its note {MAX_NOTE_LENGTH}")
    cameras = tuple(dict.fromkeys(c.strip() for c in camera_ids if c.strip()))
    if not cameras:
        raise InvalidInput("a bookmark marks at least one camera")
    try:
        start, end = require_aware(start, "start"), require_aware(end, "end")
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if end <= start:
        raise InvalidInput("the end of a bookmark must come after its start")
    return Bookmark(name, start, end, cameras, note, created_by, created_at)
