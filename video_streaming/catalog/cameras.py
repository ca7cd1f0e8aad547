"""Cameras (without their passwords: those live in the secret store; see secrets.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import camera_from_row
from video_streaming.domain.camera import Camera


class CameraRepository(Repository):
    def save_camera(self, camera: Camera) -> None:
        with self.db.transaction() as db:
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
        return [camera_from_row(row) for row in self.db.query("SELECT * FROM cameras ORDER BY site, created_at, name")]

    def camera(self, camera_id: uuid.UUID | str) -> Camera | None:
        """By primary key: recorder events, polls and clicks look cameras up all the time."""
        rows = self.db.query("SELECT * FROM cameras WHERE id=?", (str(camera_id),))
        return camera_from_row(rows[0]) if rows else None

    def remove_camera(self, camera_id: uuid.UUID | str) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM cameras WHERE id=?", (str(camera_id),))
