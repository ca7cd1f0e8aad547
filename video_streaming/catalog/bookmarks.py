"""Bookmarks: a named time range on one camera or a whole layout, and the recordings they protect."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import bookmark_from_row
from video_streaming.domain.bookmark import Bookmark


class BookmarkRepository(Repository):
    def add_bookmark(self, bookmark: Bookmark) -> None:
        with self.db.transaction() as db:
            db.execute("INSERT INTO bookmarks (id, name, note, started_at, ended_at, created_at, created_by) "
                       "VALUES (?,?,?,?,?,?,?)",
                       (str(bookmark.id), bookmark.name, bookmark.note, bookmark.start.timestamp(),
                        bookmark.end.timestamp(), (bookmark.created_at or datetime.now(UTC)).timestamp(),
                        bookmark.created_by))  # fmt: skip
            db.executemany("INSERT INTO bookmark_cameras (bookmark_id, camera_id) VALUES (?,?)",
                           [(str(bookmark.id), camera_id) for camera_id in bookmark.camera_ids])  # fmt: skip

    def remove_bookmark(self, bookmark_id: str) -> bool:
        with self.db.transaction() as db:  # its cameras go with it (ON DELETE CASCADE)
            return db.execute("DELETE FROM bookmarks WHERE id=?", (bookmark_id,)).rowcount > 0

    def bookmarks(
        self, *, text: str = "", camera_ids: Sequence[str] | None = None, since: datetime | None = None,
        until: datetime | None = None, limit: int = 1000,
    ) -> list[Bookmark]:  # fmt: skip
        """Bookmarks overlapping [since, until] on any of `camera_ids`, whose name or note contains `text`
        (case-insensitive), newest range first."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if text:
            where.append("(instr(lower(b.name), ?) > 0 OR instr(lower(b.note), ?) > 0)")
            params += [text.lower(), text.lower()]
        if camera_ids:
            where.append(f"b.id IN (SELECT bookmark_id FROM bookmark_cameras WHERE camera_id IN "
                         f"({','.join('?' * len(camera_ids))}))")  # fmt: skip
            params += list(camera_ids)
        if since:
            where.append("b.ended_at >= ?")
            params.append(since.timestamp())
        if until:
            where.append("b.started_at <= ?")
            params.append(until.timestamp())
        with self.db.lock:
            rows = self.db.connection.execute(f"SELECT * FROM bookmarks b WHERE {' AND '.join(where)} "
                                    "ORDER BY b.started_at DESC, b.id LIMIT ?", [*params, limit]).fetchall()
            ids = [row["id"] for row in rows]
            marks = self.db.connection.execute(
                "SELECT bookmark_id, camera_id FROM bookmark_cameras "
                f"WHERE bookmark_id IN ({','.join('?' * len(ids))}) ORDER BY rowid", ids
            ).fetchall() if ids else []  # fmt: skip
        cameras: dict[str, list[str]] = {}
        for bookmark_id, camera_id in marks:
            cameras.setdefault(bookmark_id, []).append(camera_id)
        return [bookmark_from_row(row, cameras.get(row["id"], [])) for row in rows]

    def bookmark(self, bookmark_id: str) -> Bookmark | None:
        try:
            wanted = str(uuid.UUID(bookmark_id))
        except ValueError:
            return None
        with self.db.lock:
            rows = self.db.connection.execute("SELECT * FROM bookmarks WHERE id=?", (wanted,)).fetchall()
            cameras = [row[0] for row in self.db.connection.execute(
                "SELECT camera_id FROM bookmark_cameras WHERE bookmark_id=? ORDER BY rowid", (wanted,))]  # fmt: skip
        return bookmark_from_row(rows[0], cameras) if rows else None

    def bookmarked_recording_ids(self) -> set[str]:
        """Recordings (not deleted) that some bookmark marks at any moment: retention keeps them."""
        rows = self.db.query(
            """SELECT DISTINCT r.id FROM recordings r JOIN bookmark_cameras bc ON bc.camera_id = r.camera_id
               JOIN bookmarks b ON b.id = bc.bookmark_id
               WHERE r.deleted_at IS NULL AND r.started_at <= b.ended_at
                 AND COALESCE(r.ended_at, 1e12) >= b.started_at"""
        )
        return {row[0] for row in rows}
