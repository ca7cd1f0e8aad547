"""A live stream: one camera source provisioned as a MediaMTX path."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from video_streaming.domain.camera import SourceUrl
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import InvalidTransition


class StreamStatus(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    ERROR = "error"


# Which states each transition may leave from. mark_error is allowed from anywhere: a fault can be
# noticed at any moment, even after an operator stopped the stream (the seed's own example does that).
_ALLOWED_FROM: dict[str, frozenset[StreamStatus]] = {
    "start": frozenset({StreamStatus.STOPPED, StreamStatus.ERROR}),
    "mark_running": frozenset({StreamStatus.STARTING, StreamStatus.ERROR}),
    "stop": frozenset({StreamStatus.STARTING, StreamStatus.RUNNING, StreamStatus.ERROR}),
    "mark_error": frozenset(StreamStatus),
}


@dataclass(eq=False)
class Stream:
    """A camera's live stream. Its `id` is also the MediaMTX path name the stream is served on."""

    camera_id: Any
    source_url: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    status: StreamStatus = StreamStatus.STOPPED
    created_at: datetime = field(default_factory=utc_now)
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    last_error: str = ""
    # The source with its login kept apart (the app's own streams); joined only by the media server's adapter.
    source: SourceUrl | None = field(default=None, repr=False)

    @property
    def path_name(self) -> str:
        return str(self.id)

    def _transition(self, action: str, target: StreamStatus) -> None:
        if self.status not in _ALLOWED_FROM[action]:
            raise InvalidTransition(
                f"cannot {action.replace('_', ' ')} a stream that is {self.status.value}",
                "check the stream's status before changing it",
            )
        self.status = target

    def start(self) -> None:
        self._transition("start", StreamStatus.STARTING)
        self.started_at = utc_now()
        self.stopped_at = None
        self.last_error = ""

    def mark_running(self) -> None:
        self._transition("mark_running", StreamStatus.RUNNING)
        self.last_error = ""

    def stop(self) -> None:
        self._transition("stop", StreamStatus.STOPPED)
        self.stopped_at = utc_now()

    def mark_error(self, reason: str = "") -> None:
        self._transition("mark_error", StreamStatus.ERROR)
        self.last_error = reason

    def is_active(self) -> bool:
        return self.status in (StreamStatus.STARTING, StreamStatus.RUNNING)
