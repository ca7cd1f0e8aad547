"""Recording on motion, end to end on the real servers: a scripted camera with a burnt-in clock published to
MediaMTX, the core's ring recorder (ffmpeg), the motion detector, the archiver and MinIO. The recording an
event promotes starts 5 s before the scripted motion and ends 10 s after it, read from the clock in the
archived files themselves; nothing of the still stretches reaches the archive; the ring stays within its bound."""

from __future__ import annotations

import asyncio
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

from tests.fixtures.clock import TravelClock
from tests.fixtures.core import CoreFactory
from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from tests.integration.test_demo_clock import HEIGHT, WIDTH, caption_mask, shown_second, text_extent
from tests.integration.test_motion_real import start_camera
from video_streaming import export
from video_streaming.catalog import RecordingRow, SegmentState
from video_streaming.consistency import check
from video_streaming.domain.camera import RecordingMode, parse_segment_file_name
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.ring import RING_FOLDER
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import CAPTION_REGION, MotionScript

FPS = 25
MOTION = (16.0, 19.0)  # seconds after the camera's first frame: still before (long enough to fill the ring) and after
LABEL = "Clock"


def decoded_frames(path: Path) -> list[np.ndarray]:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-fps_mode", "passthrough",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True,
                         timeout=60).stdout  # fmt: skip
    size = WIDTH * HEIGHT
    return [np.frombuffer(raw, np.uint8, size, i * size).reshape(HEIGHT, WIDTH) for i in range(len(raw) // size)]


def clock_span(path: Path) -> tuple[float, float]:
    """When the file's first and last pictures were made, from the burnt-in clock: the picture where the clock
    turns to a new second was made at that second; the frames around it are 1/FPS apart."""
    frames = [caption_mask(frame) for frame in decoded_frames(path)]
    inside = text_extent(LABEL)
    turns = [i for i in range(1, len(frames)) if np.count_nonzero(frames[i - 1][inside] != frames[i][inside]) > 30]
    assert turns, f"the clock never turns in {path.name} ({len(frames)} frames)"
    parsed = parse_segment_file_name(path.name)
    assert parsed is not None
    named = parsed[0]

    def second_at(index: int) -> float:
        around = named + timedelta(seconds=index / FPS)
        return shown_second(frames[index], LABEL, around, inside).timestamp()

    first, last = turns[0], turns[-1]
    return second_at(first) - first / FPS, second_at(last) + (len(frames) - 1 - last) / FPS


async def test_motion_mode_archives_the_event_with_its_pre_and_post_roll_and_nothing_else(
    core_factory: CoreFactory, minio: S3Target, mediamtx: MediaMTXServer, tmp_path: Path
) -> None:
    camera, origin = start_camera(mediamtx, tmp_path, "yard", MotionScript(moves=(MOTION,), swing=False, clock=LABEL))
    clock = TravelClock()
    core = core_factory(minio, clock=clock)
    try:
        await core.start()
        assert core.motion_recording is not None
        added = core.add_camera("Yard", mediamtx.endpoints.rtsp_url("yard"))
        assert added.is_success, added.error
        camera_id = str(added.value.id)
        core.set_motion_settings(camera_id, MotionSettings(enabled=False, masks=(CAPTION_REGION,)))
        await core.set_recording_mode(camera_id, RecordingMode.MOTION)
        assert core.camera(camera_id).recording_mode is RecordingMode.MOTION
        started = await core.start_motion(camera_id)  # detection is off in its settings: motion mode turns it on
        assert started.is_success and started.value is True, started.error
        assert core.motion_recording.armed(camera_id) and core.motion is not None and core.motion.watching(camera_id)
        ring = core.motion_recording.ring_folder(camera_id)
        assert RING_FOLDER in ring.parts and ring.is_relative_to(core.recordings_dir)

        most_in_ring = 0
        catalogued_from_ring: list[str] = []

        async def watch_ring() -> None:
            nonlocal most_in_ring
            while True:
                most_in_ring = max(most_in_ring, len(list(ring.glob("*.mp4"))))
                catalogued_from_ring.extend(p for p in core.catalog.known_segment_paths() if RING_FOLDER in p)
                await asyncio.sleep(0.1)

        watcher = asyncio.create_task(watch_ring())
        try:

            def finished() -> list[RecordingRow]:
                rows = core.catalog.recordings(camera_id)
                return [r for r in rows if r.status == "stopped" and r.segments and r.archived_segments == r.segments]

            # The post-roll ends 10 s after the motion; then the still camera goes on for a while, unrecorded.
            await until(lambda: finished(), timeout=MOTION[1] + 10 + 30, what="the event recording archived")
            still_until = origin + MOTION[1] + 10 + 12
            await until(lambda: time.time() >= still_until, timeout=40, what="a still stretch after the post-roll")
            assert not core.motion_recording.event_recording(camera_id), "a recording opened on the still picture"
            # `vidstream check` looks at every file under the recordings folder: the ring's are not orphans to adopt.
            assert list(ring.glob("*.mp4")), "the ring should hold the still picture's last seconds now"
            report = await check(core)
            assert not [p for p in report.local_orphans + report.empty if RING_FOLDER in p], report.local_orphans
        finally:
            watcher.cancel()
        bound = core.motion_recording.max_ring_files
        assert most_in_ring <= bound, (most_in_ring, bound)
        assert most_in_ring >= 3, most_in_ring  # the ring did hold the still stretch (and deleted it)
        assert catalogued_from_ring == [], "the catalog (the archiver's queue) saw a ring segment"

        recordings = core.catalog.recordings(camera_id)
        assert len(recordings) == 1, recordings
        recording = recordings[0]
        segments = core.catalog.segments(recording.id)
        assert segments and all(s.state is SegmentState.ARCHIVED for s in segments)
        archived = await core.storage.list_files("")
        assert sorted(o.key for o in archived) == sorted(s.object_key for s in segments), "archived outside the event"

        first_key, last_key = segments[0].object_key, segments[-1].object_key
        first_file, last_file = tmp_path / "first" / Path(first_key).name, tmp_path / "last" / Path(last_key).name
        for key, local in ((first_key, first_file), (last_key, last_file)):
            local.parent.mkdir()
            await core.storage.download_file(key, str(local))
        first_made, _ = clock_span(first_file)
        _, last_made = clock_span(last_file)
        motion_start, motion_end = origin + MOTION[0], origin + MOTION[1]
        print(
            f"ring held at most {most_in_ring} files (bound {bound}); recording from "
            f"{first_made - motion_start:+.2f} s to motion, {last_made - motion_end:+.2f} s after it, "
            f"{len(segments)} segments"
        )
        assert first_made <= motion_start - 5.0, first_made - motion_start
        assert last_made >= motion_end + 10.0, last_made - motion_end
        # Only the pre-roll of the still stretch before the motion, and the post-roll after it (whole segments).
        assert first_made >= motion_start - 5.0 - 6.0, first_made - motion_start
        assert last_made <= motion_end + 10.0 + 6.0, last_made - motion_end
        # The recording's times are its segments' (named in whole seconds, as the recorder writes them).
        assert recording.ended_at is not None and recording.started_at.timestamp() <= first_made + 1.0
        assert recording.ended_at.timestamp() >= last_made - 1.0

        # Export and retention take the event recording like any other: one file of its footage, then expired
        # (archive and local copy) once its retention has passed.
        exported = await export.export_range(core, camera_id, recording.started_at - timedelta(seconds=30),
                                             recording.ended_at + timedelta(seconds=30), tmp_path / "event.mp4",
                                             cache_dir=tmp_path / "cache")  # fmt: skip
        assert abs(exported.duration - recording.duration) <= 1.0, (exported.duration, recording.duration)
        clock.ahead_by(timedelta(days=recording.retention_days + 1))
        swept = await core.retention.sweep()
        assert swept.expired == [recording.id], swept
        assert await core.storage.list_files("") == []
    finally:
        await core.close()
        camera.stop()
    assert list(ring.glob("*.mp4")) == [], "ring files left after the core closed"
