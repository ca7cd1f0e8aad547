"""Recordings an archive listing holds that the catalog does not know yet, added from their keys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from video_streaming.catalog.database import Repository
from video_streaming.catalog.rows import SegmentState, camera_from_row
from video_streaming.domain.archive_key import ArchiveKey, parse_archive_key
from video_streaming.domain.camera import Camera
from video_streaming.domain.recording import RecordingStatus
from video_streaming.domain.retention import MAX_RETENTION_DAYS, RetentionPolicy
from video_streaming.ports import StoredObject


@dataclass
class ArchiveMergeResult:
    recordings: list[str] = field(default_factory=list)  # ids of the recordings added
    segments: int = 0


class ArchiveListingRepository(Repository):
    def merge_archive_listing(
        self, objects: Iterable[StoredObject], default_segment_seconds: float = 60.0
    ) -> ArchiveMergeResult:
        """Add the recordings an archive listing holds but this catalog does not know (made on another
        workstation, or before this catalog existed). Keys follow `segment_key`; others are ignored.

        A listing has no durations: a segment lasts until the next one starts, at most
        `default_segment_seconds`, which is also the last segment's length. A key is matched to a camera of
        its own origin only: a site's (`@site/`) to that site's cameras, an unmarked one to this machine's,
        by the id in the key (renaming a camera keeps it). A hostile site's listing therefore cannot file
        recordings under a local camera. An unknown or ambiguous camera's recordings are filed under its key."""
        by_origin: dict[tuple[str, str], list[Camera]] = {}
        for known_camera in (camera_from_row(row) for row in self.db.query("SELECT * FROM cameras")):
            by_origin.setdefault((known_camera.site, known_camera.id.hex[:8]), []).append(known_camera)
        by_recording: dict[str, list[tuple[ArchiveKey, StoredObject]]] = {}
        for item in objects:
            parsed = parse_archive_key(item.key)
            if parsed is not None:
                by_recording.setdefault(parsed.recording_id, []).append((parsed, item))
        known = {row[0] for row in self.db.query("SELECT id FROM recordings")}
        merge = ArchiveMergeResult()
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
            with self.db.transaction() as db:
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
