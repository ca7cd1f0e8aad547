"""Segments: the upload queue (closed -> archived), their local copies, expiry and what `check` finds missing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import SegmentRow, SegmentState, segment_from_row


class SegmentRepository(Repository):
    def add_segment(
        self, recording_id: str, camera_id: str, local_path: Path, object_key: str, start: datetime,
        duration: float, size: int, partial: bool = False,
    ) -> int:  # fmt: skip
        with self.db.transaction() as db:
            db.execute(
                """INSERT INTO segments (recording_id, camera_id, file_name, local_path, object_key, start, duration,
                   size, state, partial) VALUES (?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(recording_id, file_name) DO UPDATE SET duration=excluded.duration,
                   size=excluded.size, partial=excluded.partial WHERE segments.state='closed'""",
                (recording_id, camera_id, local_path.name, str(local_path), object_key, start.timestamp(),
                 duration, size, SegmentState.CLOSED.value, int(partial)),
            )  # fmt: skip
            row = db.execute(
                "SELECT id FROM segments WHERE recording_id=? AND file_name=?",
                (recording_id, local_path.name),
            ).fetchone()
            return int(row[0])

    def segments(
        self, recording_id: str | None = None, state: SegmentState | None = None, camera_id: str | None = None,
        since: datetime | None = None, until: datetime | None = None, limit: int = 100_000,
    ) -> list[SegmentRow]:  # fmt: skip
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if recording_id:
            where.append("recording_id=?")
            params.append(recording_id)
        if state:
            where.append("state=?")
            params.append(state.value)
        if camera_id:
            where.append("camera_id=?")
            params.append(camera_id)
        if since:
            # The lower bound on `start` lets the (camera, start) index skip older history; no segment
            # lasts longer than the recorder's maximum segment length (3600 s).
            where.append("start >= ? AND start + duration >= ?")
            params.extend([since.timestamp() - 3600, since.timestamp()])
        if until:
            where.append("start <= ?")
            params.append(until.timestamp())
        sql = f"SELECT * FROM segments WHERE {' AND '.join(where)} ORDER BY start LIMIT ?"
        return [segment_from_row(row) for row in self.db.query(sql, [*params, limit])]

    def segment(self, segment_id: int) -> SegmentRow | None:
        rows = self.db.query("SELECT * FROM segments WHERE id=?", (segment_id,))
        return segment_from_row(rows[0]) if rows else None

    def known_segment_paths(self) -> set[str]:
        return {row[0] for row in self.db.query("SELECT local_path FROM segments WHERE local_path IS NOT NULL")}

    def mark_archived(self, segment_id: int, sha256: str, size: int) -> None:
        with self.db.transaction() as db:
            db.execute(
                "UPDATE segments SET state=?, sha256=?, size=?, archived_at=?, last_error='' WHERE id=?",
                (SegmentState.ARCHIVED.value, sha256, size, datetime.now(UTC).timestamp(), segment_id),
            )

    def mark_upload_failed(self, segment_id: int, error: str) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE segments SET attempts=attempts+1, last_error=? WHERE id=?", (error, segment_id))

    def mark_local_removed(self, segment_id: int) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE segments SET local_path=NULL WHERE id=?", (segment_id,))

    def mark_segment_expired(self, segment_id: int) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE segments SET state=?, local_path=NULL WHERE id=?",
                       (SegmentState.EXPIRED.value, segment_id))  # fmt: skip

    def mark_missing(self, segment_id: int) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE segments SET state=?, local_path=NULL WHERE id=?",
                       (SegmentState.MISSING.value, segment_id))  # fmt: skip

    def pending_upload_count(self) -> int:
        return int(self.db.query("SELECT COUNT(*) FROM segments WHERE state='closed'")[0][0])
