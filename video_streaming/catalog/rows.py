"""The catalog's rows as the application reads them, and the conversions from SQLite rows. Times are stored
as UTC epoch seconds (REAL) for cheap range queries and converted to aware datetimes here."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from video_streaming.domain.bookmark import Bookmark
from video_streaming.domain.camera import Camera, RecordingMode, SourceUrl
from video_streaming.domain.recording import Recording, RecordingStatus
from video_streaming.domain.retention import RetentionPolicy


class SegmentState(StrEnum):
    CLOSED = "closed"  # on local disk, waiting for upload
    ARCHIVED = "archived"  # verified in S3 (local copy may or may not remain)
    MISSING = "missing"  # neither on disk nor in S3 (found by `vidstream check`)
    EXPIRED = "expired"  # removed by retention


def to_epoch(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def from_epoch(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


@dataclass(frozen=True)
class SegmentRow:
    id: int
    recording_id: str
    camera_id: str
    file_name: str
    local_path: str | None
    object_key: str
    start: datetime
    duration: float
    size: int
    sha256: str
    state: SegmentState
    partial: bool
    attempts: int
    last_error: str

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration)


@dataclass(frozen=True)
class RecordingRow:
    id: str
    camera_id: str
    camera_name: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    retention_days: int
    locked: bool
    storage_prefix: str
    local_dir: str
    last_error: str
    recorded_here: bool  # False: merged from an archive listing; another recorder's retention applies
    segments: int
    archived_segments: int
    size: int
    duration: float

    def to_recording(self) -> Recording:
        recording = Recording(
            stream_id=None,
            retention_policy=RetentionPolicy(self.retention_days, locked=self.locked),
            id=uuid.UUID(self.id),
            camera_id=self.camera_id,
            status=RecordingStatus(self.status),
            started_at=self.started_at,
            ended_at=self.ended_at,
            storage_path=self.storage_prefix,
            last_error=self.last_error,
        )
        return recording

    @property
    def delete_after(self) -> datetime | None:
        """When retention removes it (the domain's rule: its end plus its retention); None while it records."""
        return None if self.status == "recording" else self.to_recording().delete_after

    @property
    def state(self) -> str:
        """What the operator sees: recording / local / uploading / archived."""
        if self.status == RecordingStatus.RECORDING:
            return "recording"
        if self.segments and self.archived_segments == self.segments:
            return "archived"
        return "uploading" if self.archived_segments else "local"


def camera_from_row(row: sqlite3.Row) -> Camera:
    return Camera(
        name=row["name"],
        source=SourceUrl(row["source_url"], row["username"]),
        id=uuid.UUID(row["id"]),
        sub_stream=SourceUrl(row["sub_stream_url"]) if row["sub_stream_url"] else None,
        retention=RetentionPolicy(row["retention_days"], row["max_bytes"], bool(row["locked"])),
        enabled=bool(row["enabled"]),
        site=row["site"],
        recording_mode=RecordingMode(row["recording_mode"]),
    )


def segment_from_row(row: sqlite3.Row) -> SegmentRow:
    return SegmentRow(
        id=row["id"], recording_id=row["recording_id"], camera_id=row["camera_id"], file_name=row["file_name"],
        local_path=row["local_path"], object_key=row["object_key"], start=from_epoch(row["start"]) or datetime.now(UTC),
        duration=row["duration"], size=row["size"], sha256=row["sha256"], state=SegmentState(row["state"]),
        partial=bool(row["partial"]), attempts=row["attempts"], last_error=row["last_error"],
    )  # fmt: skip


def bookmark_from_row(row: sqlite3.Row, camera_ids: list[str]) -> Bookmark:
    return Bookmark(
        name=row["name"], note=row["note"], start=from_epoch(row["started_at"]) or datetime.now(UTC),
        end=from_epoch(row["ended_at"]) or datetime.now(UTC), camera_ids=tuple(camera_ids),
        created_by=row["created_by"], created_at=from_epoch(row["created_at"]), id=uuid.UUID(row["id"]),
    )  # fmt: skip


RECORDING_SELECT = """
    SELECT r.*, COALESCE(c.name, r.camera_id) AS camera_name,
           COUNT(s.id) AS n_segments,
           SUM(CASE WHEN s.state='archived' THEN 1 ELSE 0 END) AS n_archived,
           COALESCE(SUM(s.size), 0) AS total_size, COALESCE(SUM(s.duration), 0) AS total_duration
    FROM recordings r LEFT JOIN cameras c ON c.id = r.camera_id
    LEFT JOIN segments s ON s.recording_id = r.id
"""

def recording_from_row(row: sqlite3.Row) -> RecordingRow:
    return RecordingRow(
        id=row["id"], camera_id=row["camera_id"], camera_name=row["camera_name"], status=row["status"],
        started_at=from_epoch(row["started_at"]) or datetime.now(UTC), ended_at=from_epoch(row["ended_at"]),
        retention_days=row["retention_days"], locked=bool(row["locked"]), storage_prefix=row["storage_prefix"],
        local_dir=row["local_dir"], last_error=row["last_error"], recorded_here=bool(row["recorded_here"]),
        segments=row["n_segments"] or 0,
        archived_segments=row["n_archived"] or 0, size=row["total_size"] or 0,
        duration=row["total_duration"] or 0.0,
    )  # fmt: skip
