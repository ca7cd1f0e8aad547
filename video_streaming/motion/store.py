"""Motion events and the motion-search grid in the catalog (tables motion_events and motion_grid)."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from video_streaming.catalog import Catalog
from video_streaming.motion.detector import GreyFrame, MotionSettings, Region
from video_streaming.motion.events import MotionEvent
from video_streaming.motion.grid import CHUNK_SECONDS, GridChunk, decode_chunk


def grey_to_pgm(frame: GreyFrame) -> bytes:
    """A binary PGM: Qt and every image viewer read it, and it needs no image library here."""
    height, width = frame.shape
    return f"P5 {width} {height} 255\n".encode() + np.ascontiguousarray(frame, dtype=np.uint8).tobytes()


@dataclass(frozen=True)
class StoredEvent:
    id: int
    camera_id: str
    start: float
    end: float | None
    peak_at: float
    peak_area: float
    regions: tuple[Region, ...]


class MotionStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def settings(self, camera_id: str) -> MotionSettings:
        """A camera's motion settings; detection is off for a camera until the operator turns it on."""
        rows = self.catalog.db.query("SELECT settings FROM motion_settings WHERE camera_id = ?", (camera_id,))
        if not rows:
            return MotionSettings(enabled=False)
        values = json.loads(rows[0]["settings"])
        masks = tuple(tuple((float(x), float(y)) for x, y in polygon) for polygon in values.get("masks", []))
        return MotionSettings(bool(values["enabled"]), int(values["sensitivity"]), float(values["min_area"]), masks)

    def save_settings(self, camera_id: str, settings: MotionSettings) -> None:
        values = {"enabled": settings.enabled, "sensitivity": settings.sensitivity, "min_area": settings.min_area,
                  "masks": [list(map(list, polygon)) for polygon in settings.masks]}  # fmt: skip
        with self.catalog.db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO motion_settings (camera_id, settings) VALUES (?, ?)",
                (camera_id, json.dumps(values)),
            )

    def add_event(self, event: MotionEvent) -> int:
        with self.catalog.db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO motion_events (camera_id, started_at, ended_at, peak_at, peak_area, regions) "
                "VALUES (?, ?, ?, ?, ?, '[]')",
                (event.camera_id, event.start, event.end, event.peak_at or event.start, event.peak_area),
            )
            event.id = int(cursor.lastrowid or 0)
        return event.id

    def finish_event(self, event: MotionEvent) -> None:
        if event.id is None:
            self.add_event(event)
        regions = json.dumps([[r.left, r.top, r.right, r.bottom, r.area] for r in event.regions])
        thumbnail = grey_to_pgm(event.thumbnail) if event.thumbnail is not None else None
        with self.catalog.db.transaction() as db:
            db.execute(
                "UPDATE motion_events SET ended_at=?, peak_at=?, peak_area=?, regions=?, thumbnail=? WHERE id=?",
                (event.end, event.peak_at, event.peak_area, regions, thumbnail, event.id),
            )

    def events(
        self, camera_id: str | None = None, since: datetime | None = None, until: datetime | None = None,
        limit: int = 500,
    ) -> list[StoredEvent]:  # fmt: skip
        """Newest first. An event still open (end None) overlaps every later time."""
        where: list[str] = []
        params: list[object] = []
        if camera_id is not None:
            where.append("camera_id = ?")
            params.append(camera_id)
        if since is not None:
            where.append("(ended_at IS NULL OR ended_at >= ?)")
            params.append(since.timestamp())
        if until is not None:
            where.append("started_at < ?")
            params.append(until.timestamp())
        sql = "SELECT id, camera_id, started_at, ended_at, peak_at, peak_area, regions FROM motion_events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.catalog.db.query(sql + " ORDER BY started_at DESC LIMIT ?", (*params, limit))
        return [
            StoredEvent(
                row["id"],
                row["camera_id"],
                row["started_at"],
                row["ended_at"],
                row["peak_at"],
                row["peak_area"],
                tuple(Region(*values) for values in json.loads(row["regions"])),
            )
            for row in rows
        ]

    def thumbnail(self, event_id: int) -> bytes | None:
        rows = self.catalog.db.query("SELECT thumbnail FROM motion_events WHERE id = ?", (event_id,))
        return bytes(rows[0]["thumbnail"]) if rows and rows[0]["thumbnail"] is not None else None

    def close_open_events(self, watched: Collection[str] = ()) -> int:
        """After a crash: events left open end where they were last known to run (their peak). Cameras being
        watched now keep theirs: an open event of theirs is the motion in progress."""
        marks = ", ".join("?" for _ in watched)
        keep = f" AND camera_id NOT IN ({marks})" if watched else ""
        with self.catalog.db.transaction() as db:
            cursor = db.execute(
                f"UPDATE motion_events SET ended_at = MAX(peak_at, started_at) WHERE ended_at IS NULL{keep}",
                tuple(watched),
            )
            return int(cursor.rowcount)

    def save_grid(self, chunk: GridChunk) -> None:
        """A chunk written twice (a restart within the minute) keeps both halves: the cells are ORed."""
        rows = self.catalog.db.query(
            "SELECT cells FROM motion_grid WHERE camera_id = ? AND chunk_start = ?", (chunk.camera_id, chunk.start)
        )
        if rows:
            stored = decode_chunk(bytes(rows[0]["cells"]))
            merged = stored | np.frombuffer(chunk.cells, dtype=np.uint8).reshape(stored.shape)
            chunk = GridChunk(chunk.camera_id, chunk.start, merged.tobytes())
        with self.catalog.db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO motion_grid (camera_id, chunk_start, cells) VALUES (?, ?, ?)",
                (chunk.camera_id, chunk.start, chunk.encode()),
            )

    def grid_chunks(self, camera_id: str, since: float, until: float) -> list[tuple[int, bytes]]:
        rows = self.catalog.db.query(
            "SELECT chunk_start, cells FROM motion_grid WHERE camera_id = ? AND chunk_start >= ? AND chunk_start < ?",
            (camera_id, int(since) - CHUNK_SECONDS, until),
        )
        return [(int(row[0]), bytes(row[1])) for row in rows]
