"""`vidstream check`: every segment accounted for in the catalog, on local disk and in the archive.

Modelled on Moonfire NVR's `check`: report first; `--repair` only adopts and marks, never deletes."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from video_streaming.catalog import SegmentRow, SegmentState
from video_streaming.core import VidStreamCore
from video_streaming.domain.archive_key import SITE_MARKER, in_recording_layout
from video_streaming.domain.camera import parse_segment_file_name, segment_key_under
from video_streaming.motion.ring import RING_FOLDER
from video_streaming.segment_integrity import without_footage


@dataclass
class CheckReport:
    segments_checked: int = 0
    objects_checked: int = 0
    missing_local: list[str] = field(default_factory=list)  # closed in the catalog, file gone
    missing_remote: list[str] = field(default_factory=list)  # archived in the catalog, object gone
    mismatched: list[str] = field(default_factory=list)  # size or checksum differ
    local_orphans: list[str] = field(default_factory=list)  # files the catalog does not know
    remote_orphans: list[str] = field(default_factory=list)  # objects the catalog does not know
    empty: list[str] = field(default_factory=list)  # files without a frame (a recorder that failed to start)
    repaired: list[str] = field(default_factory=list)
    refused: str = ""  # why --repair changed nothing (e.g. a wrong bucket)

    @property
    def clean(self) -> bool:
        return not (self.missing_local or self.missing_remote or self.mismatched or self.local_orphans
                    or self.remote_orphans or self.empty)  # fmt: skip

    def lines(self) -> list[str]:
        out = [f"checked {self.segments_checked} segment(s) and {self.objects_checked} archived object(s)"]
        for title, items in (
            ("missing on local disk", self.missing_local), ("missing in the archive", self.missing_remote),
            ("size/checksum mismatch", self.mismatched), ("files unknown to the catalog", self.local_orphans),
            ("objects unknown to the catalog", self.remote_orphans),
            ("empty files (no footage)", self.empty), ("repaired", self.repaired),
        ):  # fmt: skip
            if items:
                out.append(f"{title}: {len(items)}")
                out.extend(f"  {item}" for item in items[:50])
        if self.refused:
            out.append(f"not repaired: {self.refused}")
        out.append("clean" if self.clean else "problems found")
        return out


async def check(core: VidStreamCore, repair: bool = False) -> CheckReport:
    report = CheckReport()
    catalog = core.catalog
    everything = await asyncio.to_thread(catalog.segments, None, None, None, None, None, 10_000_000)
    # This machine's archive only: remote sites' recordings are checked by their own recorders.
    segments = [s for s in everything if not s.object_key.startswith(SITE_MARKER)]
    listing = await core.storage.list_files("")
    # Keys under `{camera}/{YYYY}/` are ours; the site directory is not, nor another recorder's folder of a
    # shared bucket when this one archives at the bucket's root.
    remote = {o.key: o for o in listing if in_recording_layout(o.key)}
    report.objects_checked = len(remote)
    known_keys = {s.object_key for s in segments}
    lost_in_archive: list[SegmentRow] = []
    known_paths = {s.local_path for s in segments if s.local_path}
    for segment in segments:
        report.segments_checked += 1
        if segment.state is SegmentState.CLOSED:
            if not segment.local_path or not Path(segment.local_path).exists():
                if segment.object_key in remote:
                    continue  # uploaded before a crash; the archiver adopts it
                report.missing_local.append(segment.object_key)
                if repair:
                    catalog.mark_missing(segment.id)
                    report.repaired.append(f"marked missing: {segment.object_key}")
            elif without_footage(Path(segment.local_path)):  # empty, or a header alone
                # Nothing to archive or play: out of the catalog (marked missing) and off the disk.
                report.empty.append(segment.local_path)
                if repair:
                    catalog.mark_missing(segment.id)
                    Path(segment.local_path).unlink(missing_ok=True)
                    report.repaired.append(f"removed empty segment: {segment.object_key}")
        elif segment.state is SegmentState.ARCHIVED:
            stored = remote.get(segment.object_key)
            if stored is None:
                report.missing_remote.append(segment.object_key)
                lost_in_archive.append(segment)
                continue
            if stored.size != segment.size:
                report.mismatched.append(f"{segment.object_key}: {stored.size} bytes, catalog says {segment.size}")
                continue
            details = await core.storage.stat_file(segment.object_key)
            stored_sha = details.sha256 if details else ""
            if segment.sha256 and stored_sha and stored_sha != segment.sha256:
                report.mismatched.append(f"{segment.object_key}: checksum differs from the catalog")
    archived = sum(1 for s in segments if s.state is SegmentState.ARCHIVED)
    ours_there = any(key in known_keys for key in remote)
    if repair and lost_in_archive and len(lost_in_archive) == archived and not ours_there:
        # Not one archived segment is there, and nothing of ours is (another recorder's footage may be): far
        # likelier a wrong bucket, prefix or endpoint than an archive that lost everything. Marking them all
        # missing would be wrong, and undone by nothing; the operator checks the settings first.
        report.refused = (f"the archive holds none of the {archived} archived segment(s) and nothing of this "
                          "recorder's: check the bucket, prefix and endpoint before repairing")  # fmt: skip
    elif repair:
        for segment in lost_in_archive:
            catalog.mark_missing(segment.id)
            report.repaired.append(f"marked missing: {segment.object_key}")
    report.remote_orphans = sorted(key for key in remote if key not in known_keys)
    await _check_local_files(core, known_paths, report, repair)
    return report


async def _check_local_files(core: VidStreamCore, known: set[str], report: CheckReport, repair: bool) -> None:
    active_dirs = {str(core.service.recording_dirs.get(r.id, "")) for r in core.active_recordings.values()}
    for path in sorted(core.recordings_dir.rglob("*.mp4")) if core.recordings_dir.exists() else []:
        if str(path) in known or str(path.parent) in active_dirs or path.name.endswith(".part"):
            continue
        if RING_FOLDER in path.parts:  # motion mode's ring: never catalogued unless an event promotes it
            continue
        # Left by a recorder that never wrote a frame: nothing to keep. A file with bytes, even a header
        # alone, is moved aside below, never deleted: no recording owns it to say what it is.
        if path.stat().st_size == 0:
            report.empty.append(str(path))
            if repair:
                path.unlink(missing_ok=True)
                report.repaired.append(f"removed empty file {path}")
            continue
        report.local_orphans.append(str(path))
        if not repair:
            continue
        parsed = parse_segment_file_name(path.name)
        try:
            recording_id: uuid.UUID | None = uuid.UUID(path.parent.name)
        except ValueError:
            recording_id = None
        row = core.catalog.recording(recording_id) if recording_id is not None else None
        if parsed is None or row is None or recording_id is None:
            report.repaired.append(f"moved {path} to {_set_aside(core, path)}: no recording in the catalog owns it")
            continue
        key = segment_key_under(row.storage_prefix, path.name)
        duration = await core.recording.probe_duration(path)
        core.catalog.add_segment(row.id, row.camera_id, path, key, parsed[0], duration, path.stat().st_size, True)
        report.repaired.append(f"adopted {path}")


def _set_aside(core: VidStreamCore, path: Path) -> Path:
    """Move a file no recording owns out of the recordings folder (kept, never deleted) so that the next
    check is clean and the operator knows where it is."""
    target = core.recordings_dir.parent / "unadopted" / path.relative_to(core.recordings_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    path.rename(target)
    return target
