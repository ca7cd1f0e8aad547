"""Exports and downloads on real servers: a synthetic camera recorded by the core through MediaMTX into
MinIO, then cut, joined and fetched back; link expiry, credentials, outages, full disks, a second catalog."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests.fixtures.core import TEST_TUNING, CoreFactory, s3_storage
from tests.fixtures.environment import tmpfs
from tests.fixtures.servers import S3Target, ffprobe_json
from video_streaming.catalog import Catalog, SegmentRow, SegmentState
from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import DiskFull, ServerUnreachable, Unauthorized
from video_streaming.export import ExportCancelled, FootageSource, cache_path, download_recording, export_range
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera
from video_streaming.thumbnails import ThumbnailCache

# The camera burns "cam1  YYYY-MM-DD HH:MM:SS  #frame" into the bottom of its 640x360 picture; this box
# holds the label and the clock but not the frame counter.
CLOCK_BOX = "320:34:0:322"


def ffmpeg_children() -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(os.getpid()), "ffmpeg"], capture_output=True, text=True, check=False)
    return {int(pid) for pid in found.stdout.split()}


@pytest.fixture(autouse=True)
def no_stray_ffmpeg() -> Iterator[None]:
    """Every export waits for (or kills) its ffmpeg: an ffmpeg child born during a test must be gone once the
    test and its fixtures are done (the cameras of longer-lived fixtures were there before)."""
    before = ffmpeg_children()
    yield
    stray = ffmpeg_children() - before
    assert not stray, f"ffmpeg children still running after the test: {sorted(stray)}"


async def record(core: VidStreamCore, mediamtx: MediaMTXServer, seconds: float) -> tuple[str, str]:
    """(camera id, recording id) of `seconds` recorded and archived."""
    await core.start()
    camera_id = str(core.add_camera("Front door", mediamtx.endpoints.rtsp_url("cam1"), retention_days=7).value.id)
    result = await core.record(camera_id)
    assert result.is_success, result.error
    await asyncio.sleep(seconds)
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    return camera_id, str(result.value.id)


def clock_region(source: str | Path, offset: float | None) -> np.ndarray:
    """The clock box of the frame at `offset` seconds (None: the last frame), as grey levels."""
    seek = ["-ss", f"{offset:.3f}"] if offset is not None else ["-sseof", "-0.5"]
    frames = [] if offset is None else ["-frames:v", "1"]
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", *seek, "-i", str(source), *frames, "-map", "0:v",
         "-vf", f"crop={CLOCK_BOX}", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True, timeout=20,
    ).stdout  # fmt: skip
    width, height = (int(v) for v in CLOCK_BOX.split(":")[:2])
    assert len(raw) >= width * height, f"no frame at {offset} s of {source}"
    return np.frombuffer(raw[-width * height :], dtype=np.uint8).reshape(height, width).astype(np.int16)


def assert_same_picture(found: np.ndarray, expected: np.ndarray, other_second: np.ndarray) -> None:
    """`found` shows the same clock as `expected`; `other_second` (a second away) proves the check can fail."""
    same, different = np.abs(found - expected).mean(), np.abs(other_second - expected).mean()
    print(f"clock box difference: {same:.2f} (same moment) vs {different:.2f} (a second away)")
    assert same < 1.0 and different > 2.0, (same, different)


async def archive_link(core: VidStreamCore, key: str) -> str:
    return (await core.service.recording_url(key, expires_in=120)).value


def video_stats(path: Path) -> tuple[float, int]:
    info = ffprobe_json(path, "-count_frames", "-select_streams", "v")
    stream = info["streams"][0]  # type: ignore[index]
    return float(info["format"]["duration"]), int(stream["nb_read_frames"])  # type: ignore[index]


def segment_at(segments: list[SegmentRow], index: int) -> SegmentRow:
    assert len(segments) > index, f"only {len(segments)} segments were recorded"
    return segments[index]


async def test_range_from_the_archive_has_the_right_length_and_pictures(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path
) -> None:
    core = core_factory(minio)
    # The range below ends 5.5 s after the third segment starts (about 10.5 s in): record 11 s, not just 10 (a
    # 10 s recording held 10.2 s once the recorder stopped pre-buffering a probe's worth of earlier frames).
    camera_id, recording_id = await record(core, mediamtx, 11)
    segments = core.catalog.segments(recording_id=recording_id)
    assert all(s.state is SegmentState.ARCHIVED and s.local_path is None for s in segments), "local copies remain"
    start = segment_at(segments, 2).start + timedelta(seconds=0.5)
    end = start + timedelta(seconds=5)
    cache = tmp_path / "cache"
    (tmp_path / "out").mkdir()
    reported: list[tuple[int, int]] = []

    began = time.monotonic()
    result = await export_range(core, camera_id, start, end, tmp_path / "out", lambda d, t: reported.append((d, t)),
                                cache_dir=cache)  # fmt: skip
    took = time.monotonic() - began
    print(f"range export of 5 s from the archive: {took * 1000:.0f} ms, {result.downloaded_bytes} bytes fetched")

    # Every segment came from the archive (the archiver deleted the local copies), checked and cached.
    assert result.from_archive == result.segments >= 3 and result.downloaded_bytes > 0
    assert result.path.parent == tmp_path / "out" and result.path.suffix == ".mp4"
    assert not list((tmp_path / "out").glob(".*partial")), "the temporary file was left behind"
    duration, frames = video_stats(result.path)
    assert abs(duration - 5.0) <= 1.0 and abs(frames - 125) <= 25, (duration, frames)
    assert reported and reported[-1][0] == reported[-1][1] > result.downloaded_bytes

    # Its first picture is the camera's picture at `start`: the burnt-in clock equals the archived
    # segment's at the same offset (and differs from the one a second earlier, so the check can fail).
    source = segment_at(segments, 2)
    url = await archive_link(core, source.object_key)
    expected = clock_region(url, 0.5)
    earlier = await archive_link(core, segment_at(segments, 1).object_key)
    assert_same_picture(clock_region(result.path, 0.0), expected, clock_region(earlier, 0.5))
    # Its last picture is the camera's just before `end`, in the segment holding `end`.
    last = next(s for s in reversed(segments) if s.start <= end)
    before_end = (end - last.start).total_seconds() - 0.04
    final = clock_region(await archive_link(core, last.object_key), before_end)
    a_second_earlier = clock_region(await archive_link(core, last.object_key), before_end - 1.0)
    assert_same_picture(clock_region(result.path, None), final, a_second_earlier)

    # A thumbnail of the archived segment, straight from its link, then from the disk cache.
    thumbnails = ThumbnailCache(tmp_path / "thumbs", core.media_files, width=160)
    picture = await thumbnails.thumbnail(url, 0.5, key=source.object_key)
    assert picture is not None and picture.read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    assert ffprobe_json(picture)["streams"][0]["width"] == 160  # type: ignore[index]
    made = picture.stat().st_mtime_ns
    other_url = (await core.service.recording_url(source.object_key, expires_in=60)).value
    assert await thumbnails.thumbnail(other_url, 0.5, key=source.object_key) == picture
    assert picture.stat().st_mtime_ns == made, "the cached thumbnail was made again"
    assert await thumbnails.thumbnail(url, 999.0, key=source.object_key) is None  # past the end: no picture

    # A second export of the same range reads the download cache: nothing fetched again.
    again = await export_range(core, camera_id, start, end, tmp_path / "again.mp4", cache_dir=cache)
    assert again.downloaded_bytes == 0 and again.path == tmp_path / "again.mp4"
    assert any(entry[2] == "export" and entry[3] == camera_id for entry in core.catalog.audit_log())

    # Wrong credentials: Unauthorized, not a vague failure.
    stranger = s3_storage(S3Target(minio.endpoint_url, minio.access_key, "wrong-secret", minio.bucket, minio.server))
    with pytest.raises(Unauthorized):
        await export_range(FootageSource(core.catalog, stranger, core.media_files), camera_id, start, end,
                           tmp_path / "x.mp4",
                           cache_dir=tmp_path / "cache2")  # fmt: skip

    # A shared link reads the segment until it expires.
    link = (await core.service.recording_url(source.object_key, expires_in=2)).value
    assert httpx.get(link, timeout=5).content == (cache_path(cache, source.object_key)).read_bytes()
    await asyncio.sleep(3)
    assert httpx.get(link, timeout=5).status_code == 403


async def test_local_copies_are_used_and_a_full_disk_is_refused_up_front(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path
) -> None:
    core = core_factory(minio, tuning=dataclasses.replace(TEST_TUNING, keep_local=True))
    _, recording_id = await record(core, mediamtx, 7)
    row = core.catalog.recording(recording_id)
    assert row is not None and row.state == "archived"

    # The whole recording from local disk: a storage with the wrong secret is never even asked.
    stranger = s3_storage(S3Target(minio.endpoint_url, minio.access_key, "wrong-secret", minio.bucket, minio.server))
    result = await download_recording(FootageSource(core.catalog, stranger, core.media_files), recording_id, tmp_path,
                                      cache_dir=tmp_path / "cache")  # fmt: skip
    assert result.from_archive == 0 and result.downloaded_bytes == 0 and result.segments == row.segments
    duration, _ = video_stats(result.path)
    expected = sum(float(ffprobe_json(s.local_path or "")["format"]["duration"])  # type: ignore[index]
                   for s in core.catalog.segments(recording_id=recording_id))  # fmt: skip
    assert abs(duration - expected) <= 1.0, (duration, expected)
    assert any(e[2] == "download" and e[3] == recording_id for e in core.catalog.audit_log())

    # A folder with less room than the recording: DiskFull before anything is written.
    assert row.size > 512 * 1024
    with tmpfs(tmp_path / "small", "512k") as small:
        with pytest.raises(DiskFull, match="not enough free space") as raised:
            await download_recording(core, recording_id, small, cache_dir=tmp_path / "cache")
        assert str(small) in str(raised.value) and "MiB" in str(raised.value)
        assert list(small.iterdir()) == []


async def test_cancelled_and_interrupted_downloads_resume(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, private_minio: S3Target,
    tmp_path: Path,
) -> None:  # fmt: skip
    core = core_factory(private_minio)
    _, recording_id = await record(core, mediamtx, 6)
    first = core.catalog.segments(recording_id=recording_id)[0]
    cache = tmp_path / "cache"
    partial = cache_path(cache, first.object_key).with_name(Path(first.object_key).name + ".part")
    # Small ranged reads, so a download can be caught half-way.
    storage = s3_storage(private_minio, part_size=32 * 1024)
    source = FootageSource(core.catalog, storage, core.media_files)

    # 1. Cancelled after the first chunk: ExportCancelled, the partial download stays.
    cancel = threading.Event()
    with pytest.raises(ExportCancelled):
        await download_recording(source, recording_id, tmp_path / "a.mp4",
                                 lambda done, total: cancel.set(), cancel, cache_dir=cache)  # fmt: skip
    assert 0 < partial.stat().st_size < first.size
    assert not (tmp_path / "a.mp4").exists()

    # 2. The archive goes away mid-download: a clear "unreachable", more of the file kept.
    kept = partial.stat().st_size
    stopped = threading.Event()

    def stop_archive(done: int, total: int) -> None:
        if done > kept and not stopped.is_set():  # the first report is the resumed head
            stopped.set()
            private_minio.server.stop()

    with pytest.raises(ServerUnreachable):
        await download_recording(source, recording_id, tmp_path / "a.mp4", stop_archive,
                                 cache_dir=cache)  # fmt: skip
    assert partial.stat().st_size > kept

    # 3. Back again: the download resumes where it stopped and the checksum matches.
    private_minio.server.start()
    result = await download_recording(source, recording_id, tmp_path / "a.mp4", cache_dir=cache)
    total = sum(s.size for s in core.catalog.segments(recording_id=recording_id))
    assert result.resumed_bytes > kept and result.downloaded_bytes < total
    assert not partial.exists() and cache_path(cache, first.object_key).stat().st_size == first.size
    duration, _ = video_stats(result.path)
    assert 4.0 <= duration <= 8.0


async def test_a_second_workstation_merges_the_archive_and_exports_from_it(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path
) -> None:
    core = core_factory(minio)
    _, recording_id = await record(core, mediamtx, 7)
    original = core.catalog.segments(recording_id=recording_id)

    other = Catalog(tmp_path / "other" / "catalog.sqlite3")  # knows nothing, not even the camera
    merge = other.merge_archive_listing(await core.storage.list_files(""), default_segment_seconds=2)
    assert merge.recordings == [recording_id] and merge.segments == len(original)
    assert other.merge_archive_listing(await core.storage.list_files("")).recordings == [], "merged twice"
    row = other.recording(recording_id)
    assert row is not None and row.state == "archived" and row.segments == len(original)
    assert row.camera_id.startswith("front-door-") and row.started_at == original[0].start
    merged = other.segments(recording_id=recording_id)
    assert [s.object_key for s in merged] == [s.object_key for s in original]
    assert [s.size for s in merged] == [s.size for s in original]

    # The merged catalog is enough to export: times come from the keys, bytes from the archive.
    start = original[1].start + timedelta(seconds=0.5)
    result = await export_range(FootageSource(other, core.storage, core.media_files), row.camera_id, start,
                                start + timedelta(seconds=3), tmp_path / "clip.mp4",
                                cache_dir=tmp_path / "cache")  # fmt: skip
    duration, _ = video_stats(result.path)
    assert abs(duration - 3.0) <= 1.0 and result.from_archive == result.segments
    other.close()


# The whole caption (label, clock and frame counter): a different picture for every frame.
CAPTION_BOX = "640:34:0:322"


def captions(source: str | Path) -> tuple[np.ndarray, list[float]]:
    """Every frame's caption (grey levels) and its presentation time (s), decoded as players do."""
    width, height = (int(v) for v in CAPTION_BOX.split(":")[:2])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(source), "-map", "0:v", "-vf", f"crop={CAPTION_BOX}",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True,
                         timeout=30).stdout  # fmt: skip
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, height, width).astype(np.int16)
    probed = ffprobe_json(source, "-select_streams", "v", "-show_entries", "frame=best_effort_timestamp_time")
    times = [float(f["best_effort_timestamp_time"]) for f in probed["frames"]]  # type: ignore[index, union-attr]
    assert len(times) == len(frames), (len(times), len(frames))
    return frames, times


def time_of_picture(picture: np.ndarray, frames: np.ndarray, times: list[float]) -> float:
    """When `picture` was shown in the source: the time of the one frame with the same caption. (The same
    bytes decode to the same pixels; the next frame differs in its counter, a few digits of the strip.)"""
    differences = np.abs(frames - picture).mean(axis=(1, 2))
    best = int(np.argmin(differences))
    runner_up = float(np.partition(differences, 1)[1])
    assert differences[best] < 0.05 < runner_up, (float(differences[best]), runner_up)
    return times[best]


def frames_ignoring_edit_lists(path: Path) -> int:
    info = ffprobe_json(path, "-ignore_editlist", "1", "-count_frames", "-select_streams", "v")
    return int(info["streams"][0]["nb_read_frames"])  # type: ignore[index]


async def test_a_range_across_segments_holds_only_its_footage_from_the_key_frame_before_it(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path
) -> None:
    core = core_factory(minio, segment_seconds=4, tuning=dataclasses.replace(TEST_TUNING, keep_local=True))
    camera_id, recording_id = await record(core, mediamtx, 13)
    segments = core.catalog.segments(recording_id=recording_id)
    first, second = segment_at(segments, 1), segment_at(segments, 2)
    start = first.start + timedelta(seconds=2.5)  # late in one segment ...
    end = second.start + timedelta(seconds=1.5)  # ... to early in the next
    span = (end - start).total_seconds()

    result = await export_range(core, camera_id, start, end, tmp_path / "clip.mp4", cache_dir=tmp_path / "cache")
    assert result.segments == 2

    # Players that ignore edit lists see at most one key-frame interval (25 frames) more than the range: no
    # segment twice, nothing from before the key frame at or before the start.
    fps = camera.spec.fps
    raw_frames = frames_ignoring_edit_lists(result.path)
    print(f"{span:.2f} s asked: {raw_frames} frames with edit lists ignored")
    assert span * fps - 1 <= raw_frames <= span * fps + fps + 1, raw_frames

    # Decoded normally, the first picture is the camera's at the start and the last its picture at the end
    # (each within a frame), found by the caption the camera burnt into each frame.
    shown, _ = captions(result.path)
    assert abs(len(shown) - span * fps) <= 2, len(shown)
    first_frames, first_times = captions(first.local_path or "")
    second_frames, second_times = captions(second.local_path or "")
    began = time_of_picture(shown[0], first_frames, first_times)
    ended = time_of_picture(shown[-1], second_frames, second_times)
    print(f"first picture {began:.3f} s into its segment (asked 2.5), last {ended:.3f} s (asked 1.5)")
    assert abs(began - 2.5) <= 1 / fps + 0.001 and abs(ended - 1.5) <= 1 / fps + 0.001, (began, ended)
