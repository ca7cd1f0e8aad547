"""The catalog's schema migrations, keyed by PRAGMA user_version, on real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from video_streaming.catalog import SCHEMA_VERSION, Catalog

# A version-2 catalog as that release wrote it: no `recorded_here` column, no motion tables.
VERSION_2 = """
CREATE TABLE cameras (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, source_url TEXT NOT NULL, username TEXT NOT NULL DEFAULT '',
    sub_stream_url TEXT, retention_days INTEGER NOT NULL, max_bytes INTEGER, locked INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1, created_at REAL NOT NULL, site TEXT NOT NULL DEFAULT ''
);
CREATE TABLE recordings (
    id TEXT PRIMARY KEY, camera_id TEXT NOT NULL, stream_id TEXT NOT NULL, status TEXT NOT NULL,
    started_at REAL NOT NULL, ended_at REAL, retention_days INTEGER NOT NULL, locked INTEGER NOT NULL DEFAULT 0,
    storage_prefix TEXT NOT NULL, local_dir TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
    deleted_at REAL
);
INSERT INTO recordings VALUES ('11111111-1111-1111-1111-111111111111', 'cam', 'stream', 'stopped', 1.0, 2.0, 30,
    0, 'cam/2026/01/01/11111111-1111-1111-1111-111111111111/', '/data/rec/1', '', NULL);
INSERT INTO recordings VALUES ('22222222-2222-2222-2222-222222222222', 'cam', 'stream', 'stopped', 1.0, 2.0, 30,
    0, 'cam/2026/01/01/22222222-2222-2222-2222-222222222222/', '', '', NULL);
PRAGMA user_version=2;
"""


def test_a_new_catalog_starts_at_the_current_version(tmp_path: Path) -> None:
    Catalog(tmp_path / "catalog.db").close()
    with sqlite3.connect(tmp_path / "catalog.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_2_catalog_is_migrated_in_place_and_keeps_its_recordings(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    with sqlite3.connect(path) as db:
        db.executescript(VERSION_2)
    catalog = Catalog(path)
    mine = catalog.recording("11111111-1111-1111-1111-111111111111")
    merged = catalog.recording("22222222-2222-2222-2222-222222222222")
    assert mine is not None and mine.recorded_here, "a recording with a local folder was made here"
    assert merged is not None and not merged.recorded_here, "one without came from an archive listing"
    catalog.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"segments", "gaps", "audit", "motion_events"} <= tables
    Catalog(path).close()  # opening a migrated catalog again changes nothing and does not fail
