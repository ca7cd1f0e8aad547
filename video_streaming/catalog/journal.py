"""The journal: gaps in recordings (the camera dropped) and the audit trail of who did what."""

from __future__ import annotations

from datetime import UTC, datetime

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import from_epoch


class JournalRepository(Repository):
    def open_gap(self, recording_id: str, started_at: datetime, reason: str) -> int:
        with self.db.transaction() as db:
            cursor = db.execute("INSERT INTO gaps (recording_id, started_at, reason) VALUES (?,?,?)",
                                (recording_id, started_at.timestamp(), reason))  # fmt: skip
            return int(cursor.lastrowid or 0)

    def close_gap(self, recording_id: str, started_at: datetime, ended_at: datetime) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE gaps SET ended_at=? WHERE recording_id=? AND started_at=? AND ended_at IS NULL",
                       (ended_at.timestamp(), recording_id, started_at.timestamp()))  # fmt: skip

    def gaps(self, recording_id: str) -> list[tuple[datetime, datetime | None, str]]:
        rows = self.db.query("SELECT * FROM gaps WHERE recording_id=? ORDER BY started_at", (recording_id,))
        return [(from_epoch(r["started_at"]) or datetime.now(UTC), from_epoch(r["ended_at"]), r["reason"])
                for r in rows]  # fmt: skip

    def audit(self, actor: str, action: str, target: str, detail: str = "") -> None:
        with self.db.transaction() as db:
            db.execute("INSERT INTO audit (at, actor, action, target, detail) VALUES (?,?,?,?,?)",
                       (datetime.now(UTC).timestamp(), actor, action, target, detail))  # fmt: skip

    def audit_log(self, limit: int = 200) -> list[tuple[datetime, str, str, str, str]]:
        rows = self.db.query("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))
        return [(from_epoch(r["at"]) or datetime.now(UTC), r["actor"], r["action"], r["target"], r["detail"])
                for r in rows]  # fmt: skip
