"""A recording: an FFmpeg capture of one stream, stored as segments and archived to S3."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from video_streaming.domain.clock import require_aware, utc_now
from video_streaming.domain.errors import InvalidTransition
from video_streaming.domain.retention import RetentionPolicy


class RecordingStatus(StrEnum):
    RECORDING = "recording"
    STOPPED = "stopped"
    ERROR = "error"


def _default_policy() -> RetentionPolicy:
    return RetentionPolicy(30)


@dataclass(eq=False)
class Recording:
    stream_id: Any
    retention_policy: RetentionPolicy = field(default_factory=_default_policy)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    camera_id: Any = None
    status: RecordingStatus = RecordingStatus.RECORDING
    started_at: datetime = field(default_factory=utc_now)
    ended_at: datetime | None = None
    # Key prefix of the recording's segments in the archive (set by the service when it starts).
    storage_path: str = ""
    last_error: str = ""

    def stop(self, at: datetime | None = None) -> None:
        if self.status is not RecordingStatus.RECORDING:
            raise InvalidTransition(f"cannot stop a recording that is {self.status.value}", "it has already ended")
        self.status = RecordingStatus.STOPPED
        self.ended_at = require_aware(at, "stop time") if at else utc_now()

    def mark_error(self, reason: str = "", at: datetime | None = None) -> None:
        if self.status is RecordingStatus.STOPPED:
            raise InvalidTransition("cannot mark a finished recording as failed")
        self.status = RecordingStatus.ERROR
        self.last_error = reason
        if self.ended_at is None:
            self.ended_at = require_aware(at, "error time") if at else utc_now()

    def is_active(self) -> bool:
        return self.status is RecordingStatus.RECORDING

    @property
    def delete_after(self) -> datetime | None:
        return None if self.ended_at is None else self.retention_policy.deadline(self.ended_at)

    def should_be_deleted(self, now: datetime | None = None) -> bool:
        """True once the recording has ended and its retention period has passed. Never while recording."""
        deadline = self.delete_after
        if self.is_active() or deadline is None:
            return False
        moment = require_aware(now, "now") if now else utc_now()
        return moment >= deadline
