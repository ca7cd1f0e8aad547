"""Recording on motion without servers: the ring rules (ring.py) and the use case (recording.py) with a ring
recorder that writes files the test names, a real SQLite catalog and real files on disk."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.unit.test_catalog_migrations import VERSION_2
from video_streaming.catalog import SCHEMA_VERSION, Catalog
from video_streaming.domain.camera import (
    Camera,
    RecordingMode,
    parse_recording_mode,
    parse_segment_file_name,
    segment_file_name,
)
from video_streaming.domain.errors import InvalidInput
from video_streaming.motion.events import MotionEvent
from video_streaming.motion.recording import FailureSink, MotionRecordingService, RingSegmentSink
from video_streaming.motion.ring import EventWindow, RingSegment, RollSettings, SegmentRing, window_for_event
from video_streaming.motion.service import MotionNotice, NoticeKind

T0 = 1_800_000_000.0  # a whole second


class StepRingRecorder:
    """Writes a 2 s segment file into the ring folder each time the test calls `close_segment`."""

    segment_seconds = 2

    def __init__(self) -> None:
        self.folders: dict[str, Path] = {}
        self.sinks: dict[str, RingSegmentSink] = {}
        self.failures: dict[str, FailureSink] = {}

    async def start(
        self, camera_id: str, source_url: str, folder: Path, on_segment: RingSegmentSink, on_failure: FailureSink
    ) -> None:
        self.folders[camera_id], self.sinks[camera_id] = folder, on_segment
        self.failures[camera_id] = on_failure

    async def stop(self, camera_id: str) -> None:
        self.sinks.pop(camera_id, None)

    def close_segment(self, camera_id: str, start: float) -> Path:
        moment = datetime.fromtimestamp(start, UTC)
        path = self.folders[camera_id] / segment_file_name(moment)
        path.write_bytes(b"fragmented mp4 " + path.name.encode())
        self.sinks[camera_id](path, moment, 2.0)
        return path


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


Setup = tuple[MotionRecordingService, StepRingRecorder, Clock, Catalog, str]


def make_setup(tmp_path: Path, alert: Callable[[str, str], None] | None = None) -> Setup:
    catalog = Catalog(tmp_path / "catalog.db")
    camera = Camera.create("Yard", "rtsp://127.0.0.1:8554/yard")
    catalog.save_camera(camera)
    recorder, clock = StepRingRecorder(), Clock()
    service = MotionRecordingService(catalog, recorder, recordings_dir=tmp_path / "rec",
                                     ring_dir=tmp_path / "rec" / ".motion-ring", clock=clock, alert=alert)  # fmt: skip
    return service, recorder, clock, catalog, str(camera.id)


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return make_setup(tmp_path)


def notice(kind: NoticeKind, camera_id: str, start: float, end: float | None = None) -> MotionNotice:
    return MotionNotice(kind, camera_id, end or start, MotionEvent(camera_id, start, end))


def run(service: MotionRecordingService, recorder: StepRingRecorder, clock: Clock, camera_id: str,
        until: float, since: float = T0) -> None:  # fmt: skip
    """Segments [s, s+2) close at s+2 (+0.3 s for the recorder to tell them) up to `until`."""
    start = since
    while start + 2 <= until:
        clock.now = start + 2.3
        recorder.close_segment(camera_id, start)
        start += 2


def test_roll_settings_bound_the_ring_and_refuse_nonsense() -> None:
    rolls = RollSettings()
    assert rolls.horizon == 5 + 1 + 2 + 1 and rolls.max_ring_files(2) == 5 + 3
    with pytest.raises(InvalidInput):
        RollSettings(pre_roll=-1)
    with pytest.raises(InvalidInput):
        RollSettings(post_roll=1000)


def test_the_window_takes_whole_segments_around_the_event_leaning_the_safe_way() -> None:
    window = window_for_event(T0 + 20.4, RollSettings())  # since = 20.4 - 5 - 1 = 14.4
    named = [RingSegment(Path(f"{s}.mp4"), T0 + s, 2.0) for s in (10, 12, 14, 16)]
    # [12, 14) is named so but may really run until 15: taken; [10, 12) cannot reach 14.4.
    assert [window.wants(s) for s in named] == [False, True, True, True]
    window.until = T0 + 30.0
    assert window.wants(RingSegment(Path("a"), T0 + 30, 2.0)) and not window.wants(RingSegment(Path("b"), T0 + 31, 2))
    assert window.complete_with(RingSegment(Path("c"), T0 + 28, 2.0))
    assert not EventWindow(T0).complete_with(RingSegment(Path("d"), T0 + 100, 2.0))  # open: never complete


def test_the_ring_forgets_what_no_event_could_want() -> None:
    ring = SegmentRing(RollSettings())
    for start in range(0, 20, 2):
        ring.add(RingSegment(Path(f"{start}.mp4"), T0 + start, 2.0))
    expired = ring.expire(T0 + 20.3)
    assert [s.start - T0 for s in expired] == [0, 2, 4, 6, 8]  # ends 2..10 <= 20.3 - 9
    assert [s.start - T0 for s in ring.segments] == [10, 12, 14, 16, 18]


def test_an_event_promotes_its_pre_and_post_roll_and_the_still_rest_is_deleted_unseen(
    setup: Setup, tmp_path: Path
) -> None:
    service, recorder, clock, catalog, camera_id = setup
    assert asyncio.run(service.arm(camera_id, "rtsp://127.0.0.1:8554/yard")).value is True
    ring = service.ring_folder(camera_id)
    run(service, recorder, clock, camera_id, until=T0 + 30)  # 30 s of a still picture
    assert len(list(ring.glob("*.mp4"))) <= service.max_ring_files
    assert catalog.recordings() == [] and catalog.known_segment_paths() == set()
    clock.now = T0 + 30.5
    service.on_motion(notice(NoticeKind.STARTED, camera_id, T0 + 30.4))
    recording = service.event_recording(camera_id)
    assert recording is not None
    taken = catalog.segments(str(recording.id))
    # since = 30.4 - 6 = 24.4: [22, 24) may really end at 25, so it is in; [20, 22) is not.
    assert [s.start.timestamp() - T0 for s in taken] == [22, 24, 26, 28]
    assert all(Path(s.local_path or "").parent == tmp_path / "rec" / recording.storage_path.rstrip("/") for s in taken)
    run(service, recorder, clock, camera_id, since=T0 + 30, until=T0 + 36)  # the event goes on
    service.on_motion(notice(NoticeKind.ENDED, camera_id, T0 + 30.4, T0 + 35.0))  # post-roll until 45
    run(service, recorder, clock, camera_id, since=T0 + 36, until=T0 + 60)
    assert service.event_recording(camera_id) is None
    row = catalog.recording(recording.id)
    assert row is not None and row.status == "stopped" and row.ended_at is not None
    starts = [s.start.timestamp() - T0 for s in catalog.segments(str(recording.id))]
    assert starts == list(range(22, 46, 2))  # [44, 46) reaches 45: the last one taken
    assert row.ended_at.timestamp() - T0 == 46
    # The still minute after the post-roll stayed in the ring and is gone, never catalogued.
    left = [parse_segment_file_name(p.name) for p in ring.glob("*.mp4")]
    assert len(left) <= service.max_ring_files and all(n is not None and n[0].timestamp() - T0 >= 46 for n in left)
    assert len(catalog.known_segment_paths()) == len(starts)
    asyncio.run(service.close())
    assert list(ring.glob("*.mp4")) == []


def test_an_event_within_the_post_roll_joins_the_recording_and_a_later_one_gets_its_own(setup: Setup) -> None:
    service, recorder, clock, catalog, camera_id = setup
    asyncio.run(service.arm(camera_id, "rtsp://127.0.0.1:8554/yard"))
    run(service, recorder, clock, camera_id, until=T0 + 20)
    service.on_motion(notice(NoticeKind.STARTED, camera_id, T0 + 20.1))
    service.on_motion(notice(NoticeKind.ENDED, camera_id, T0 + 20.1, T0 + 21.0))  # post-roll until 31
    run(service, recorder, clock, camera_id, since=T0 + 20, until=T0 + 26)
    service.on_motion(notice(NoticeKind.STARTED, camera_id, T0 + 26.2))  # inside the post-roll
    service.on_motion(notice(NoticeKind.ENDED, camera_id, T0 + 26.2, T0 + 27.0))  # now until 37
    run(service, recorder, clock, camera_id, since=T0 + 26, until=T0 + 80)
    service.on_motion(notice(NoticeKind.STARTED, camera_id, T0 + 80.5))
    assert len(catalog.recordings()) == 2
    first = catalog.recordings(newest_first=False)[0]
    assert first.status == "stopped" and first.ended_at is not None and first.ended_at.timestamp() - T0 == 38
    asyncio.run(service.disarm(camera_id))  # ends the open one with what it has
    second = catalog.recordings()[0]
    assert second.status == "stopped" and second.segments == 4  # 72..80: the pre-roll only


def test_the_recording_mode_is_kept_with_the_camera_and_a_version_2_catalog_gets_it(tmp_path: Path) -> None:
    assert parse_recording_mode(" Motion ") is RecordingMode.MOTION
    with pytest.raises(InvalidInput, match="continuous, motion, manual"):
        parse_recording_mode("sometimes")
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(VERSION_2)
        db.execute("INSERT INTO cameras (id, name, source_url, retention_days, created_at) VALUES "
                   "('3f1c1b3e-0000-4000-8000-000000000001', 'Old', 'rtsp://127.0.0.1/a', 30, 1.0)")  # fmt: skip
    catalog = Catalog(path)
    old = catalog.camera("3f1c1b3e-0000-4000-8000-000000000001")
    assert old is not None and old.recording_mode is RecordingMode.CONTINUOUS  # as every camera recorded before
    catalog.save_camera(replace(old, recording_mode=RecordingMode.MANUAL))
    catalog.close()
    again = Catalog(path)
    assert again.camera(str(old.id)).recording_mode is RecordingMode.MANUAL  # type: ignore[union-attr]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5


def test_a_ring_that_fails_mid_event_keeps_what_it_took_ends_the_recording_and_says_so(tmp_path: Path) -> None:
    alerts: list[tuple[str, str]] = []
    service, recorder, clock, catalog, camera_id = make_setup(tmp_path, lambda *alert: alerts.append(alert))
    asyncio.run(service.arm(camera_id, "rtsp://127.0.0.1:8554/yard"))
    run(service, recorder, clock, camera_id, until=T0 + 20)
    service.on_motion(notice(NoticeKind.STARTED, camera_id, T0 + 20.1))
    recorder.failures[camera_id]("the recordings disk is full")
    assert not service.armed(camera_id) and service.event_recording(camera_id) is None
    (row,) = catalog.recordings()
    assert row.status == "stopped" and row.segments == 4  # its pre-roll, kept for the archiver
    assert alerts == [("error", "Yard: recording on motion stopped: the recordings disk is full")]
    assert list(service.ring_folder(camera_id).glob("*.mp4")) == []  # the still stretch before it: gone


def test_an_event_the_ring_had_nothing_for_leaves_no_empty_recording(setup: Setup) -> None:
    service, _, _, catalog, camera_id = setup
    asyncio.run(service.arm(camera_id, "rtsp://127.0.0.1:8554/yard"))
    service.on_motion(notice(NoticeKind.STARTED, camera_id, T0 + 1.0))  # before the first segment closed
    asyncio.run(service.disarm(camera_id))
    assert catalog.recordings() == []
