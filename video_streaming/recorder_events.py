"""What a segment recorder tells the application while it records (the recorder port's events).

The recorder adapter (ffmpeg) emits them; the recording lifecycle turns them into catalog rows, gaps and
alerts. They live apart from the adapter so the application layer needs no adapter to read them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from video_streaming.domain.errors import VidStreamError


@dataclass(frozen=True)
class SegmentClosed:
    recording_id: uuid.UUID
    path: Path
    start: datetime
    duration: float
    partial: bool = False  # cut short by a crash or kill: playable, but its end is approximate


@dataclass(frozen=True)
class RecordingGap:
    recording_id: uuid.UUID
    started_at: datetime
    ended_at: datetime | None  # None while the source is still away
    reason: str


@dataclass(frozen=True)
class RecordingFailedEvent:
    recording_id: uuid.UUID
    error: VidStreamError


@dataclass(frozen=True)
class RecordingNotice:
    """Something the operator should know that does not stop the recording (audio left out)."""

    recording_id: uuid.UUID
    message: str


RecorderEvent = SegmentClosed | RecordingGap | RecordingFailedEvent | RecordingNotice
EventSink = Callable[[RecorderEvent], None]
