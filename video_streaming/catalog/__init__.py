"""SQLite (WAL) catalog of cameras, recordings, segments, gaps, bookmarks and the audit trail: one
repository per concept over one connection (database.py), with migrations keyed by `PRAGMA user_version`.

`Catalog` is all of them over one database, which is what the application passes around; a repository can
also be built alone over a `Database` (the motion store is one more, in motion/store.py)."""

from __future__ import annotations

from pathlib import Path

from video_streaming.catalog.archive_listing import ArchiveListingRepository, ArchiveMergeResult
from video_streaming.catalog.bookmarks import BookmarkRepository
from video_streaming.catalog.browse import RECORDING_SORT_KEYS, BrowseReadModel
from video_streaming.catalog.cameras import CameraRepository
from video_streaming.catalog.database import SCHEMA_VERSION, Database, Repository
from video_streaming.catalog.journal import JournalRepository
from video_streaming.catalog.recordings import RecordingRepository
from video_streaming.catalog.rows import RecordingRow, SegmentRow, SegmentState, from_epoch, to_epoch
from video_streaming.catalog.segments import SegmentRepository
from video_streaming.domain.archive_key import ArchiveKey, parse_archive_key

__all__ = [
    "RECORDING_SORT_KEYS", "SCHEMA_VERSION", "ArchiveKey", "ArchiveMergeResult", "Catalog", "Database",
    "RecordingRow", "Repository", "SegmentRow", "SegmentState", "from_epoch", "parse_archive_key", "to_epoch",
]  # fmt: skip


class Catalog(
    CameraRepository, RecordingRepository, SegmentRepository, JournalRepository, BookmarkRepository,
    BrowseReadModel, ArchiveListingRepository,
):  # fmt: skip
    """Thread-safe: one connection guarded by a lock (each call is a short transaction)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(Database(path))
        self.path = self.db.path

    def close(self) -> None:
        self.db.close()
