"""SQLite (WAL) catalog of cameras, recordings, segments, gaps and the audit trail.

One transaction per state change, so a crash leaves the catalog consistent. Times are stored as UTC
epoch seconds (REAL) for cheap range queries and converted to aware datetimes at the boundary."""

from __future__ import annotations

import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from video_streaming.domain.bookmark import Bookmark
from video_streaming.domain.camera import Camera, RecordingMode, SourceUrl, parse_segment_file_name
from video_streaming.domain.recording import Recording, RecordingStatus
from video_streaming.domain.retention import MAX_RETENTION_DAYS, RetentionPolicy
from video_streaming.ports import StoredObject

SCHEMA_VERSION = 5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS cameras (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, source_url TEXT NOT NULL, username TEXT NOT NULL DEFAULT '',
    sub_stream_url TEXT, retention_days INTEGER NOT NULL, max_bytes INTEGER, locked INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1, created_at REAL NOT NULL, site TEXT NOT NULL DEFAULT '',
    recording_mode TEXT NOT NULL DEFAULT 'continuous'
);
CREATE TABLE IF NOT EXISTS recordings (
    id TEXT PRIMARY KEY, camera_id TEXT NOT NULL, stream_id TEXT NOT NULL, status TEXT NOT NULL,
    started_at REAL NOT NULL, ended_at REAL, retention_days INTEGER NOT NULL, locked INTEGER NOT NULL DEFAULT 0,
    storage_prefix TEXT NOT NULL, local_dir TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
    deleted_at REAL,
    -- 1: this recorder made it (its retention applies); 0: merged from an archive listing (another recorder's)
    recorded_here INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS recordings_by_camera ON recordings(camera_id, started_at);
CREATE INDEX IF NOT EXISTS recordings_by_start ON recordings(started_at);
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY, recording_id TEXT NOT NULL, camera_id TEXT NOT NULL, file_name TEXT NOT NULL,
    local_path TEXT, object_key TEXT NOT NULL, start REAL NOT NULL, duration REAL NOT NULL,
    size INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL DEFAULT '', state TEXT NOT NULL,
    partial INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
    archived_at REAL, UNIQUE(recording_id, file_name)
);
CREATE INDEX IF NOT EXISTS segments_by_camera ON segments(camera_id, start);
CREATE INDEX IF NOT EXISTS segments_by_state ON segments(state);
CREATE INDEX IF NOT EXISTS segments_by_recording ON segments(recording_id, start);
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY, recording_id TEXT NOT NULL, started_at REAL NOT NULL, ended_at REAL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS gaps_by_recording ON gaps(recording_id, started_at);
CREATE TABLE IF NOT EXISTS motion_events (
    id INTEGER PRIMARY KEY, camera_id TEXT NOT NULL, started_at REAL NOT NULL, ended_at REAL,
    peak_at REAL NOT NULL, peak_area REAL NOT NULL DEFAULT 0, regions TEXT NOT NULL DEFAULT '[]', thumbnail BLOB
);
CREATE INDEX IF NOT EXISTS motion_events_by_camera ON motion_events(camera_id, started_at);
CREATE INDEX IF NOT EXISTS motion_events_by_start ON motion_events(started_at);
CREATE TABLE IF NOT EXISTS motion_grid (
    camera_id TEXT NOT NULL, chunk_start INTEGER NOT NULL, cells BLOB NOT NULL, PRIMARY KEY(camera_id, chunk_start)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS motion_settings (camera_id TEXT PRIMARY KEY, settings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, at REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS bookmarks (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', started_at REAL NOT NULL,
    ended_at REAL NOT NULL, created_at REAL NOT NULL, created_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bookmarks_by_start ON bookmarks(started_at);
-- one row per camera a bookmark marks (a bookmark may cover a whole layout)
CREATE TABLE IF NOT EXISTS bookmark_cameras (
    bookmark_id TEXT NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE, camera_id TEXT NOT NULL,
    PRIMARY KEY (bookmark_id, camera_id)
);  -- with its rowid: the cameras' order as given
CREATE INDEX IF NOT EXISTS bookmark_cameras_by_camera ON bookmark_cameras(camera_id);
"""


def _statements(script: str) -> Iterator[str]:
    """One SQL statement at a time (`executescript` would commit the migration's transaction)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _v2_sites(db: sqlite3.Connection) -> None:
    """Version 1 had no remote sites."""
    if "site" not in _columns(db, "cameras"):
        db.execute("ALTER TABLE cameras ADD COLUMN site TEXT NOT NULL DEFAULT ''")


def _v3_recorded_here(db: sqlite3.Connection) -> None:
    """Version 2 told its own recordings from merged ones only by their local folder."""
    if "recorded_here" not in _columns(db, "recordings"):
        db.execute("ALTER TABLE recordings ADD COLUMN recorded_here INTEGER NOT NULL DEFAULT 0")
        db.execute("UPDATE recordings SET recorded_here=1 WHERE local_dir != ''")


def _v4_bookmarks(db: sqlite3.Connection) -> None:
    """Version 3 had no bookmarks; their tables come from the schema script (CREATE ... IF NOT EXISTS)."""


def _v5_recording_modes(db: sqlite3.Connection) -> None:
    """Version 4 recorded every camera the same way (continuous, the default it keeps)."""
    if "recording_mode" not in _columns(db, "cameras"):
        db.execute("ALTER TABLE cameras ADD COLUMN recording_mode TEXT NOT NULL DEFAULT 'continuous'")


# (the user_version a migration brings the catalog to, the migration); each is idempotent.
_MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (2, _v2_sites), (3, _v3_recorded_here), (4, _v4_bookmarks), (5, _v5_recording_modes),
]


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
        from datetime import timedelta

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


def _camera(row: sqlite3.Row) -> Camera:
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


def _segment(row: sqlite3.Row) -> SegmentRow:
    return SegmentRow(
        id=row["id"], recording_id=row["recording_id"], camera_id=row["camera_id"], file_name=row["file_name"],
        local_path=row["local_path"], object_key=row["object_key"], start=from_epoch(row["start"]) or datetime.now(UTC),
        duration=row["duration"], size=row["size"], sha256=row["sha256"], state=SegmentState(row["state"]),
        partial=bool(row["partial"]), attempts=row["attempts"], last_error=row["last_error"],
    )  # fmt: skip


def _bookmark(row: sqlite3.Row, camera_ids: list[str]) -> Bookmark:
    return Bookmark(
        name=row["name"], note=row["note"], start=from_epoch(row["started_at"]) or datetime.now(UTC),
        end=from_epoch(row["ended_at"]) or datetime.now(UTC), camera_ids=tuple(camera_ids),
        created_by=row["created_by"], created_at=from_epoch(row["created_at"]), id=uuid.UUID(row["id"]),
    )  # fmt: skip


class Catalog:
    """Thread-safe: one connection guarded by a lock (each call is a short transaction)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        """A new catalog gets the current schema; an older one runs each migration above its
        `PRAGMA user_version`, in order, in one transaction (columns and tables only ever get added)."""
        with self._lock:
            found = self._db.execute("PRAGMA user_version").fetchone()[0]
            fresh = self._db.execute("SELECT 1 FROM sqlite_master WHERE name='cameras'").fetchone() is None
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if not fresh:
                    for version, migrate in _MIGRATIONS:
                        if version > found:
                            migrate(self._db)
                for statement in _statements(_SCHEMA):  # new tables and indexes (IF NOT EXISTS)
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, params))

    # ---- cameras -----------------------------------------------------------------------------------

    def save_camera(self, camera: Camera) -> None:
        with self._transaction() as db:
            db.execute(
                """INSERT INTO cameras (id, name, source_url, username, sub_stream_url, retention_days, max_bytes,
                   locked, enabled, created_at, site, recording_mode) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET name=excluded.name, source_url=excluded.source_url,
                   username=excluded.username, sub_stream_url=excluded.sub_stream_url,
                   retention_days=excluded.retention_days, max_bytes=excluded.max_bytes, locked=excluded.locked,
                   enabled=excluded.enabled, site=excluded.site, recording_mode=excluded.recording_mode""",
                (str(camera.id), camera.name, camera.source.url, camera.source.username,
                 camera.sub_stream.url if camera.sub_stream else None, camera.retention.days,
                 camera.retention.max_bytes, int(camera.retention.locked), int(camera.enabled),
                 datetime.now(UTC).timestamp(), camera.site, camera.recording_mode.value),
            )  # fmt: skip

    def cameras(self) -> list[Camera]:
        """Cameras without their passwords (those live in the keyring; see secrets.py)."""
        return [_camera(row) for row in self._query("SELECT * FROM cameras ORDER BY site, created_at, name")]

    def camera(self, camera_id: uuid.UUID | str) -> Camera | None:
        """By primary key: recorder events, polls and clicks look cameras up all the time."""
        rows = self._query("SELECT * FROM cameras WHERE id=?", (str(camera_id),))
        return _camera(rows[0]) if rows else None

    def remove_camera(self, camera_id: uuid.UUID | str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM cameras WHERE id=?", (str(camera_id),))

    # ---- recordings --------------------------------------------------------------------------------

    def add_recording(self, recording: Recording, camera_id: str, local_dir: str) -> None:
        with self._transaction() as db:
            db.execute(
                """INSERT OR IGNORE INTO recordings (id, camera_id, stream_id, status, started_at, retention_days,
                   locked, storage_prefix, local_dir, recorded_here) VALUES (?,?,?,?,?,?,?,?,?,1)""",
                (str(recording.id), camera_id, str(recording.stream_id), recording.status.value,
                 recording.started_at.timestamp(), recording.retention_policy.days,
                 int(recording.retention_policy.locked), recording.storage_path, local_dir),
            )  # fmt: skip

    def finish_recording(self, recording_id: uuid.UUID | str, status: str, ended_at: datetime, error: str = "") -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE recordings SET status=?, ended_at=COALESCE(ended_at, ?), last_error=? WHERE id=?",
                (status, ended_at.timestamp(), error, str(recording_id)),
            )

    def is_recording_deleted(self, recording_id: str) -> bool:
        rows = self._query("SELECT deleted_at FROM recordings WHERE id=?", (recording_id,))
        return bool(rows) and rows[0]["deleted_at"] is not None

    def mark_recording_deleted(self, recording_id: str, at: datetime) -> None:
        with self._transaction() as db:
            db.execute("UPDATE recordings SET deleted_at=? WHERE id=?", (at.timestamp(), recording_id))
            db.execute(
                "UPDATE segments SET state=?, local_path=NULL WHERE recording_id=?",
                (SegmentState.EXPIRED.value, recording_id),
            )

    _RECORDING_SELECT = """
        SELECT r.*, COALESCE(c.name, r.camera_id) AS camera_name,
               COUNT(s.id) AS n_segments,
               SUM(CASE WHEN s.state='archived' THEN 1 ELSE 0 END) AS n_archived,
               COALESCE(SUM(s.size), 0) AS total_size, COALESCE(SUM(s.duration), 0) AS total_duration
        FROM recordings r LEFT JOIN cameras c ON c.id = r.camera_id
        LEFT JOIN segments s ON s.recording_id = r.id
    """

    def _recording_row(self, row: sqlite3.Row) -> RecordingRow:
        return RecordingRow(
            id=row["id"], camera_id=row["camera_id"], camera_name=row["camera_name"], status=row["status"],
            started_at=from_epoch(row["started_at"]) or datetime.now(UTC), ended_at=from_epoch(row["ended_at"]),
            retention_days=row["retention_days"], locked=bool(row["locked"]), storage_prefix=row["storage_prefix"],
            local_dir=row["local_dir"], last_error=row["last_error"], recorded_here=bool(row["recorded_here"]),
            segments=row["n_segments"] or 0,
            archived_segments=row["n_archived"] or 0, size=row["total_size"] or 0,
            duration=row["total_duration"] or 0.0,
        )  # fmt: skip

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
        sql = (f"{self._RECORDING_SELECT} WHERE {' AND '.join(where)} GROUP BY r.id "
               f"ORDER BY r.started_at {order} LIMIT ? OFFSET ?")  # fmt: skip
        return [self._recording_row(row) for row in self._query(sql, [*params, limit, offset])]

    def recording(self, recording_id: uuid.UUID | str) -> RecordingRow | None:
        rows = self._query(f"{self._RECORDING_SELECT} WHERE r.id = ? GROUP BY r.id", (str(recording_id),))
        return self._recording_row(rows[0]) if rows else None

    def retention_terms(self, recording_id: uuid.UUID | str) -> tuple[RetentionPolicy, datetime | None] | None:
        """A recording's policy and end, by primary key: what the archiver needs for every segment it locks,
        without the per-recording aggregate of `recording()` (which grows with the recording)."""
        rows = self._query("SELECT retention_days, locked, ended_at FROM recordings WHERE id=?", (str(recording_id),))
        if not rows:
            return None
        row = rows[0]
        return RetentionPolicy(row["retention_days"], locked=bool(row["locked"])), from_epoch(row["ended_at"])

    # ---- segments ----------------------------------------------------------------------------------

    def add_segment(
        self, recording_id: str, camera_id: str, local_path: Path, object_key: str, start: datetime,
        duration: float, size: int, partial: bool = False,
    ) -> int:  # fmt: skip
        with self._transaction() as db:
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
        where, params = ["1=1"], []  # type: list[str], list[Any]
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
        return [_segment(row) for row in self._query(sql, [*params, limit])]

    def segment(self, segment_id: int) -> SegmentRow | None:
        rows = self._query("SELECT * FROM segments WHERE id=?", (segment_id,))
        return _segment(rows[0]) if rows else None

    def known_segment_paths(self) -> set[str]:
        return {row[0] for row in self._query("SELECT local_path FROM segments WHERE local_path IS NOT NULL")}

    def mark_archived(self, segment_id: int, sha256: str, size: int) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE segments SET state=?, sha256=?, size=?, archived_at=?, last_error='' WHERE id=?",
                (SegmentState.ARCHIVED.value, sha256, size, datetime.now(UTC).timestamp(), segment_id),
            )

    def mark_upload_failed(self, segment_id: int, error: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE segments SET attempts=attempts+1, last_error=? WHERE id=?", (error, segment_id))

    def mark_local_removed(self, segment_id: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE segments SET local_path=NULL WHERE id=?", (segment_id,))

    def mark_segment_expired(self, segment_id: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE segments SET state=?, local_path=NULL WHERE id=?",
                       (SegmentState.EXPIRED.value, segment_id))  # fmt: skip

    def mark_missing(self, segment_id: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE segments SET state=?, local_path=NULL WHERE id=?",
                       (SegmentState.MISSING.value, segment_id))  # fmt: skip

    def pending_upload_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM segments WHERE state='closed'")[0][0])

    # ---- gaps and audit ----------------------------------------------------------------------------

    def open_gap(self, recording_id: str, started_at: datetime, reason: str) -> int:
        with self._transaction() as db:
            cursor = db.execute("INSERT INTO gaps (recording_id, started_at, reason) VALUES (?,?,?)",
                                (recording_id, started_at.timestamp(), reason))  # fmt: skip
            return int(cursor.lastrowid or 0)

    def close_gap(self, recording_id: str, started_at: datetime, ended_at: datetime) -> None:
        with self._transaction() as db:
            db.execute("UPDATE gaps SET ended_at=? WHERE recording_id=? AND started_at=? AND ended_at IS NULL",
                       (ended_at.timestamp(), recording_id, started_at.timestamp()))  # fmt: skip

    def gaps(self, recording_id: str) -> list[tuple[datetime, datetime | None, str]]:
        rows = self._query("SELECT * FROM gaps WHERE recording_id=? ORDER BY started_at", (recording_id,))
        return [(from_epoch(r["started_at"]) or datetime.now(UTC), from_epoch(r["ended_at"]), r["reason"])
                for r in rows]  # fmt: skip

    def audit(self, actor: str, action: str, target: str, detail: str = "") -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO audit (at, actor, action, target, detail) VALUES (?,?,?,?,?)",
                       (datetime.now(UTC).timestamp(), actor, action, target, detail))  # fmt: skip

    def audit_log(self, limit: int = 200) -> list[tuple[datetime, str, str, str, str]]:
        rows = self._query("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))
        return [(from_epoch(r["at"]) or datetime.now(UTC), r["actor"], r["action"], r["target"], r["detail"])
                for r in rows]  # fmt: skip

    # ---- bookmarks ---------------------------------------------------------------------------------

    def add_bookmark(self, bookmark: Bookmark) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO bookmarks (id, name, note, started_at, ended_at, created_at, created_by) "
                       "VALUES (?,?,?,?,?,?,?)",
                       (str(bookmark.id), bookmark.name, bookmark.note, bookmark.start.timestamp(),
                        bookmark.end.timestamp(), (bookmark.created_at or datetime.now(UTC)).timestamp(),
                        bookmark.created_by))  # fmt: skip
            db.executemany("INSERT INTO bookmark_cameras (bookmark_id, camera_id) VALUES (?,?)",
                           [(str(bookmark.id), camera_id) for camera_id in bookmark.camera_ids])  # fmt: skip

    def remove_bookmark(self, bookmark_id: str) -> bool:
        with self._transaction() as db:  # its cameras go with it (ON DELETE CASCADE)
            return db.execute("DELETE FROM bookmarks WHERE id=?", (bookmark_id,)).rowcount > 0

    def bookmarks(
        self, *, text: str = "", camera_ids: Sequence[str] | None = None, since: datetime | None = None,
        until: datetime | None = None, limit: int = 1000,
    ) -> list[Bookmark]:  # fmt: skip
        """Bookmarks overlapping [since, until] on any of `camera_ids`, whose name or note contains `text`
        (case-insensitive), newest range first."""
        where, params = ["1=1"], []  # type: list[str], list[Any]
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
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM bookmarks b WHERE {' AND '.join(where)} "
                                    "ORDER BY b.started_at DESC, b.id LIMIT ?", [*params, limit]).fetchall()
            ids = [row["id"] for row in rows]
            marks = self._db.execute(
                "SELECT bookmark_id, camera_id FROM bookmark_cameras "
                f"WHERE bookmark_id IN ({','.join('?' * len(ids))}) ORDER BY rowid", ids
            ).fetchall() if ids else []  # fmt: skip
        cameras: dict[str, list[str]] = {}
        for bookmark_id, camera_id in marks:
            cameras.setdefault(bookmark_id, []).append(camera_id)
        return [_bookmark(row, cameras.get(row["id"], [])) for row in rows]

    def bookmark(self, bookmark_id: str) -> Bookmark | None:
        try:
            wanted = str(uuid.UUID(bookmark_id))
        except ValueError:
            return None
        with self._lock:
            rows = self._db.execute("SELECT * FROM bookmarks WHERE id=?", (wanted,)).fetchall()
            cameras = [row[0] for row in self._db.execute(
                "SELECT camera_id FROM bookmark_cameras WHERE bookmark_id=? ORDER BY rowid", (wanted,))]  # fmt: skip
        return _bookmark(rows[0], cameras) if rows else None

    def bookmarked_recording_ids(self) -> set[str]:
        """Recordings (not deleted) that some bookmark marks at any moment: retention keeps them."""
        rows = self._query(
            """SELECT DISTINCT r.id FROM recordings r JOIN bookmark_cameras bc ON bc.camera_id = r.camera_id
               JOIN bookmarks b ON b.id = bc.bookmark_id
               WHERE r.deleted_at IS NULL AND r.started_at <= b.ended_at
                 AND COALESCE(r.ended_at, 1e12) >= b.started_at"""
        )
        return {row[0] for row in rows}

    # ---- browsing and merging the archive (recordings browser) -------------------------------------

    def _browse_where(
        self, camera_ids: Sequence[str] | None, since: datetime | None, until: datetime | None
    ) -> tuple[str, list[Any]]:
        where, params = ["r.deleted_at IS NULL"], []  # type: list[str], list[Any]
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
        with self._lock:  # one consistent read: nothing lands between choosing the page and reading it
            ids = [row[0] for row in self._db.execute(page, [*params, limit, offset])]
            rows = self._db.execute(
                f"{self._RECORDING_SELECT} WHERE r.id IN ({','.join('?' * len(ids))}) GROUP BY r.id", ids
            ).fetchall() if ids else []  # fmt: skip
        by_id = {row["id"]: self._recording_row(row) for row in rows}
        return [by_id[recording_id] for recording_id in ids if recording_id in by_id]

    def count_recordings_matching(
        self, *, camera_ids: Sequence[str] | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> int:
        where, params = self._browse_where(camera_ids, since, until)
        return int(self._query(f"SELECT COUNT(*) FROM recordings r WHERE {where}", params)[0][0])

    def recorded_camera_ids(self) -> list[str]:
        """Every camera id with recordings, including cameras this catalog has no entry for (their
        recordings came from the archive)."""
        return [row[0] for row in self._query(
            "SELECT DISTINCT camera_id FROM recordings WHERE deleted_at IS NULL ORDER BY camera_id")]  # fmt: skip

    def gaps_between(self, camera_id: str, since: datetime, until: datetime) -> list[tuple[datetime, datetime | None]]:
        """Gaps (camera dropped while recording) of one camera's recordings overlapping [since, until]."""
        rows = self._query(
            """SELECT g.started_at, g.ended_at FROM gaps g JOIN recordings r ON r.id = g.recording_id
               WHERE r.camera_id = ? AND r.deleted_at IS NULL AND g.started_at <= ? AND COALESCE(g.ended_at, 1e12) >= ?
               ORDER BY g.started_at""",
            (camera_id, until.timestamp(), since.timestamp()),
        )
        return [(from_epoch(r[0]) or since, from_epoch(r[1])) for r in rows]

    def merge_archive_listing(
        self, objects: Iterable[StoredObject], default_segment_seconds: float = 60.0
    ) -> ArchiveMerge:
        """Add the recordings an archive listing holds but this catalog does not know (made on another
        workstation, or before this catalog existed). Keys follow `segment_key`; others are ignored.

        A listing has no durations: a segment lasts until the next one starts, at most
        `default_segment_seconds`, which is also the last segment's length. A key is matched to a camera of
        its own origin only: a site's (`@site/`) to that site's cameras, an unmarked one to this machine's,
        by the id in the key (renaming a camera keeps it). A hostile site's listing therefore cannot file
        recordings under a local camera. An unknown or ambiguous camera's recordings are filed under its key."""
        by_origin: dict[tuple[str, str], list[Camera]] = {}
        for known_camera in self.cameras():
            by_origin.setdefault((known_camera.site, known_camera.id.hex[:8]), []).append(known_camera)
        by_recording: dict[str, list[tuple[ArchiveKey, StoredObject]]] = {}
        for item in objects:
            parsed = parse_archive_key(item.key)
            if parsed is not None:
                by_recording.setdefault(parsed.recording_id, []).append((parsed, item))
        known = {row[0] for row in self._query("SELECT id FROM recordings")}
        merge = ArchiveMerge()
        for recording_id, items in by_recording.items():
            if recording_id in known:
                continue
            items.sort(key=lambda pair: (pair[0].start, pair[0].attempt))
            first = items[0][0]
            origin = first.prefix[1:].split("/", 1)[0] if first.prefix.startswith("@") else ""
            matches = by_origin.get((origin, first.camera_key.rsplit("-", 1)[-1]), [])
            camera = matches[0] if len(matches) == 1 else None
            camera_id = str(camera.id) if camera else first.camera_key
            # Another recorder made it, under its own policy, which the listing does not tell: none is made up.
            # It is never expired from here (recorded_here=0); the column holds the camera's policy when the
            # camera is known here, else the longest, for display only.
            policy = camera.retention if camera else RetentionPolicy(MAX_RETENTION_DAYS)
            segments = []
            for index, (key, item) in enumerate(items):
                following = items[index + 1][0].start if index + 1 < len(items) else None
                length = default_segment_seconds
                if following is not None:
                    length = min(max((following - key.start).total_seconds(), 0.0), default_segment_seconds)
                segments.append((key, item, length))
            last_key, _, last_length = segments[-1]
            ended = last_key.start.timestamp() + last_length
            with self._transaction() as db:
                db.execute(
                    """INSERT OR IGNORE INTO recordings (id, camera_id, stream_id, status, started_at, ended_at,
                       retention_days, locked, storage_prefix, local_dir) VALUES (?,?,?,?,?,?,?,?,?,'')""",
                    (recording_id, camera_id, "", RecordingStatus.STOPPED.value, first.start.timestamp(), ended,
                     policy.days, int(policy.locked), first.prefix),
                )  # fmt: skip
                for key, item, length in segments:
                    archived_at = item.last_modified.timestamp() if item.last_modified else None
                    db.execute(
                        """INSERT OR IGNORE INTO segments (recording_id, camera_id, file_name, local_path, object_key,
                           start, duration, size, state, archived_at) VALUES (?,?,?,NULL,?,?,?,?,?,?)""",
                        (recording_id, camera_id, key.file_name, item.key, key.start.timestamp(), length, item.size,
                         SegmentState.ARCHIVED.value, archived_at),
                    )  # fmt: skip
            merge.recordings.append(recording_id)
            merge.segments += len(segments)
        return merge


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


@dataclass(frozen=True)
class ArchiveKey:
    camera_key: str
    recording_id: str
    start: datetime
    attempt: int
    file_name: str
    prefix: str


_ARCHIVE_KEY = re.compile(
    r"(?:@[a-z0-9][a-z0-9\-]{0,63}/)?([a-z0-9][a-z0-9\-]{0,63})/(\d{4})/(\d{2})/(\d{2})/([0-9a-f\-]{36})/([^/]+)"
)


def parse_archive_key(key: str) -> ArchiveKey | None:
    """`{camera_key}/{YYYY}/{MM}/{DD}/{recording_id}/{YYYYmmddTHHMMSS}Z-{n}.mp4` (see `segment_key`), optionally
    behind a remote site's `@{site}/` marker (see adapters/site_storage.py)."""
    match = _ARCHIVE_KEY.fullmatch(key)
    parsed = parse_segment_file_name(match[6]) if match else None
    if match is None or parsed is None:
        return None
    try:
        recording_id = str(uuid.UUID(match[5]))
    except ValueError:
        return None
    return ArchiveKey(match[1], recording_id, parsed[0], parsed[1], match[6], key[: -len(match[6])])


@dataclass
class ArchiveMerge:
    recordings: list[str] = field(default_factory=list)  # ids of the recordings added
    segments: int = 0
