"""The catalog's one SQLite connection (WAL): its lock, short transactions, the schema and its migrations.

One transaction per state change, so a crash leaves the catalog consistent. Thread-safe: every call takes
the lock for one short statement or transaction."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


class Database:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        self.connection.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten rows are zeroed, not left in free space: a copied catalog file must not
        # give back a password a camera's URL once held, or a deleted camera's address.
        self.connection.execute("PRAGMA secure_delete=ON")
        self._migrate()

    def erase_old_versions(self) -> None:
        """Rebuild the file (pages freed before secure_delete was on keep what they held) and empty the WAL,
        which still holds pages as they were before the last changes. Seconds for a large catalog: for the
        rare moment a secret leaves it, not for every write."""
        with self.lock:
            self.connection.execute("VACUUM")
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _migrate(self) -> None:
        """A new catalog gets the current schema; an older one runs each migration above its
        `PRAGMA user_version`, in order, in one transaction (columns and tables only ever get added)."""
        db = self.connection
        with self.lock:
            found = db.execute("PRAGMA user_version").fetchone()[0]
            fresh = db.execute("SELECT 1 FROM sqlite_master WHERE name='cameras'").fetchone() is None
            db.execute("BEGIN IMMEDIATE")
            try:
                if not fresh:
                    for version, migrate in _MIGRATIONS:
                        if version > found:
                            migrate(db)
                for statement in _statements(_SCHEMA):  # new tables and indexes (IF NOT EXISTS)
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return list(self.connection.execute(sql, params))


class Repository:
    """A part of the catalog over the shared database (usable alone: `CameraRepository(Database(...))`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
