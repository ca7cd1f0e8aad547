"""Retention policy: how long a finished recording is kept, and optionally how much a camera may use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from video_streaming.domain.errors import InvalidInput

MAX_RETENTION_DAYS = 3650


@dataclass(frozen=True)
class RetentionPolicy:
    """Keep a recording `days` days after it ended. `max_bytes` caps a camera's archive (oldest go first);
    `locked` refuses manual deletion before the deadline (compliance mode)."""

    days: int
    max_bytes: int | None = None
    locked: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise InvalidInput(f"retention days must be a whole number, got {self.days!r}")
        if not 1 <= self.days <= MAX_RETENTION_DAYS:
            raise InvalidInput(
                f"retention days must be between 1 and {MAX_RETENTION_DAYS}, got {self.days}",
                "choose how many days recordings are kept after they end",
            )
        if self.max_bytes is not None and self.max_bytes <= 0:
            raise InvalidInput(f"retention size cap must be positive, got {self.max_bytes}")

    @property
    def duration(self) -> timedelta:
        return timedelta(days=self.days)

    def deadline(self, ended_at: datetime) -> datetime:
        return ended_at + self.duration
