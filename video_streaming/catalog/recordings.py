"""Recordings: added when they start, finished, marked deleted; listed with their segment totals."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import RECORDING_SELECT, RecordingRow, SegmentState, from_epoch, recording_from_row
from video_streaming.domain.recording import Recording
from video_streaming.domain.retention import RetentionPolicy


class RecordingRepository(Repository):
    def add_recording(self, recording: Recording, camera_id: str, local_dir: str) -> None:
        with self.db.transaction() as db:
            db.execute(
                """INSERT OR IGNORE INTO recordings (id, camera_id, stream_id, status, started_at, retention_days,
                   locked, storage_prefix, local_dir, recorded_here) VALUES (?,?,?,?,?,?,?,?,?,1)""",
                (str(recording.id), camera_id, str(recording.stream_id), recording.status.value,
                 recording.started_at.timestamp(), recording.retention_policy.days,
                 int(recording.retention_policy.locked), recording.storage_path, local_dir),
            )  # fmt: skip

    def finish_recording(self, recording_id: uuid.UUID | str, status: str, ended_at: datetime, error: str = "") -> None:
        with self.db.transaction() as db:
            db.execute(
                "UPDATE recordings SET status=?, ended_at=COALESCE(ended_at, ?), last_error=? WHERE id=?",
                (status, ended_at.timestamp(), error, str(recording_id)),
            )

    def is_recording_deleted(self, recording_id: str) -> bool:
        rows = self.db.query("SELECT deleted_at FROM recordings WHERE id=?", (recording_id,))
        return bool(rows) and rows[0]["deleted_at"] is not None

    def mark_recording_deleted(self, recording_id: str, at: datetime) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE recordings SET deleted_at=? WHERE id=?", (at.timestamp(), recording_id))
            db.execute(
                "UPDATE segments SET state=?, local_path=NULL WHERE recording_id=?",
                (SegmentState.EXPIRED.value, recording_id),
            )

    def recordings(
        self,
        camera_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        status: str | None = None,
        limit: int = 1000,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[RecordingRow]:
        where = ["r.deleted_at IS NULL"]
        params: list[Any] = []
        if camera_id:
            where.append("r.camera_id = ?")
            params.append(camera_id)
        if since:
            where.append("COALESCE(r.ended_at, 1e12) >= ?")
            params.append(since.timestamp())
        if until:
            where.append("r.started_at <= ?")
            params.append(until.timestamp())
        if status:
            where.append("r.status = ?")
            params.append(status)
        order = "DESC" if newest_first else "ASC"
        sql = (f"{RECORDING_SELECT} WHERE {' AND '.join(where)} GROUP BY r.id "
               f"ORDER BY r.started_at {order} LIMIT ? OFFSET ?")  # fmt: skip
        return [recording_from_row(row) for row in self.db.query(sql, [*params, limit, offset])]

    def recording(self, recording_id: uuid.UUID | str) -> RecordingRow | None:
        rows = self.db.query(f"{RECORDING_SELECT} WHERE r.id = ? GROUP BY r.id", (str(recording_id),))
        return recording_from_row(rows[0]) if rows else None

    def retention_terms(self, recording_id: uuid.UUID | str) -> tuple[RetentionPolicy, datetime | None] | None:
        """A recording's policy and end, by primary key: what the archiver needs for every segment it locks,
        without the per-recording aggregate of `recording()` (which grows with the recording)."""
        rows = self.db.query("SELECT retention_days, locked, ended_at FROM recordings WHERE id=?", (str(recording_id),))
        if not rows:
            return None
        row = rows[0]
        return RetentionPolicy(row["retention_days"], locked=bool(row["locked"])), from_epoch(row["ended_at"])
