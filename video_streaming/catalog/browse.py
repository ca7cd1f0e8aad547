"""The recordings browser's read model: pages of recordings in any order, counts, cameras, gaps on a timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import RECORDING_SELECT, RecordingRow, from_epoch, recording_from_row

RECORDING_SORT_KEYS: dict[str, tuple[str, bool]] = {
    # sort key -> (SQL expression, needs the per-recording segment totals)
    "started_at": ("r.started_at", False),
    "ended_at": ("COALESCE(r.ended_at, 1e12)", False),
    "camera": ("COALESCE(c.name, r.camera_id) COLLATE NOCASE", False),
    "duration": ("COALESCE(t.total_duration, 0)", True),
    "size": ("COALESCE(t.total_size, 0)", True),
    # recording < local < uploading < archived, the order of RecordingRow.state
    "state": ("CASE WHEN r.status='recording' THEN 0 WHEN COALESCE(t.n_archived, 0) = 0 THEN 1 "
              "WHEN t.n_archived < t.n_segments THEN 2 ELSE 3 END", True),
}  # fmt: skip


class BrowseReadModel(Repository):
    def _browse_where(
        self, camera_ids: Sequence[str] | None, since: datetime | None, until: datetime | None
    ) -> tuple[str, list[Any]]:
        where: list[str] = ["r.deleted_at IS NULL"]
        params: list[Any] = []
        if camera_ids:
            where.append(f"r.camera_id IN ({','.join('?' * len(camera_ids))})")
            params += list(camera_ids)
        if since:
            where.append("COALESCE(r.ended_at, 1e12) >= ?")
            params.append(since.timestamp())
        if until:
            where.append("r.started_at <= ?")
            params.append(until.timestamp())
        return " AND ".join(where), params

    def recordings_page(
        self, *, camera_ids: Sequence[str] | None = None, since: datetime | None = None,
        until: datetime | None = None, sort_key: str = "started_at", descending: bool = True,
        limit: int = 200, offset: int = 0,
    ) -> list[RecordingRow]:  # fmt: skip
        """One page of recordings overlapping [since, until], sorted by any of RECORDING_SORT_KEYS. The page's
        ids are chosen first (by index when sorting by time), so only those rows pay for the segment totals."""
        expression, needs_totals = RECORDING_SORT_KEYS[sort_key]
        where, params = self._browse_where(camera_ids, since, until)
        direction = "DESC" if descending else "ASC"
        order = f"{expression} {direction}, r.started_at {direction}, r.id {direction}"
        totals = ("LEFT JOIN (SELECT recording_id, SUM(size) AS total_size, SUM(duration) AS total_duration, "
                  "COUNT(*) AS n_segments, SUM(state='archived') AS n_archived FROM segments GROUP BY recording_id) "
                  "t ON t.recording_id = r.id") if needs_totals else ""  # fmt: skip
        page = (f"SELECT r.id FROM recordings r LEFT JOIN cameras c ON c.id = r.camera_id {totals} "
                f"WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?")  # fmt: skip
        with self.db.lock:  # one consistent read: nothing lands between choosing the page and reading it
            ids = [row[0] for row in self.db.connection.execute(page, [*params, limit, offset])]
            rows = self.db.connection.execute(
                f"{RECORDING_SELECT} WHERE r.id IN ({','.join('?' * len(ids))}) GROUP BY r.id", ids
            ).fetchall() if ids else []  # fmt: skip
        by_id = {row["id"]: recording_from_row(row) for row in rows}
        return [by_id[recording_id] for recording_id in ids if recording_id in by_id]

    def count_recordings_matching(
        self, *, camera_ids: Sequence[str] | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> int:
        where, params = self._browse_where(camera_ids, since, until)
        return int(self.db.query(f"SELECT COUNT(*) FROM recordings r WHERE {where}", params)[0][0])

    def recorded_camera_ids(self) -> list[str]:
        """Every camera id with recordings, including cameras this catalog has no entry for (their
        recordings came from the archive)."""
        return [row[0] for row in self.db.query(
            "SELECT DISTINCT camera_id FROM recordings WHERE deleted_at IS NULL ORDER BY camera_id")]  # fmt: skip

    def gaps_between(self, camera_id: str, since: datetime, until: datetime) -> list[tuple[datetime, datetime | None]]:
        """Gaps (camera dropped while recording) of one camera's recordings overlapping [since, until]."""
        rows = self.db.query(
            """SELECT g.started_at, g.ended_at FROM gaps g JOIN recordings r ON r.id = g.recording_id
               WHERE r.camera_id = ? AND r.deleted_at IS NULL AND g.started_at <= ? AND COALESCE(g.ended_at, 1e12) >= ?
               ORDER BY g.started_at""",
            (camera_id, until.timestamp(), since.timestamp()),
        )
        return [(from_epoch(r[0]) or since, from_epoch(r[1])) for r in rows]
