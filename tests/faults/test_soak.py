"""Soak: 16 cameras recorded and archived for ten minutes (VIDSTREAM_SOAK_SECONDS) on loopback.

Memory and file descriptors must stay flat (a leak of one descriptor per segment, or a list that grows with
every segment, shows up as a climb between the first and the last third of the run), and not one segment
may be lost: every file ffmpeg wrote is catalogued, archived and in S3 at its size, and each recording's
timeline has no holes. The measured numbers go to soak.json in VIDSTREAM_SOAK_RESULTS (`make soak` sets it to
bench/results), else to the test's own temporary folder: a test run never writes into the checkout."""

from __future__ import annotations

import asyncio
import csv
import itertools
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.core import CoreFactory, record_synthetic_cameras
from tests.fixtures.servers import CameraFactory, S3Target
from video_streaming.catalog import SegmentRow, SegmentState
from video_streaming.consistency import check
from video_streaming.core import VidStreamCore
from video_streaming.runtime.mediamtx_server import MediaMTXServer

SOAK_SECONDS = float(os.environ.get("VIDSTREAM_SOAK_SECONDS", "600"))
CAMERAS = 16
SEGMENT_SECONDS = 5
# Small pictures at a low rate: 16 encoders, 16 recorders, MediaMTX and MinIO share two cores.
SPEC: dict[str, object] = {"width": 192, "height": 108, "fps": 10, "bitrate_kbps": 150, "audio": False}
SAMPLE_EVERY = 5.0
WARM_UP = min(60.0, SOAK_SECONDS * 0.2)  # caches, pools and the first segments settle
HOLE_TOLERANCE = 1.5  # file names carry whole seconds: a contiguous timeline can look 1 s off either way
MiB = 2**20
RESULTS = os.environ.get("VIDSTREAM_SOAK_RESULTS", "")


@dataclass
class Sample:
    t: float  # seconds since recording started
    rss_mib: float  # this process (the core: catalog, archiver, recorder supervision)
    python_heap_mib: float  # what Python objects hold (tracemalloc): finer than RSS, no allocator noise
    fds: int
    threads: int
    mediamtx_rss_mib: float
    minio_rss_mib: float
    segments: int
    pending_upload: int
    load_1min: float


@pytest.fixture
def traced_heap() -> Iterator[None]:
    # pathlib interns every path component, so the names of segment files churn through the interpreter's
    # table of interned strings, and that table doubles once (a 2 MiB step) a minute or two into the run.
    # Grow it now, before tracing starts: a step in mid-run is not growth of anything the core keeps.
    sized = [sys.intern(f"soak-presize-{index}") for index in range(100_000)]
    del sized
    tracemalloc.start()  # one frame per allocation, the cheapest tracing: only the total is read
    try:
        yield
    finally:
        tracemalloc.stop()


def proc_status(pid: int | str, field: str) -> int:
    """A number from /proc/<pid>/status (VmRSS in kB, Threads, ...); 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def take_sample(t: float, core: VidStreamCore, mediamtx: MediaMTXServer, minio: S3Target) -> Sample:
    return Sample(
        t=round(t, 1),
        rss_mib=proc_status("self", "VmRSS") / 1024,
        python_heap_mib=tracemalloc.get_traced_memory()[0] / MiB,
        fds=len(os.listdir("/proc/self/fd")),
        threads=proc_status("self", "Threads"),
        mediamtx_rss_mib=proc_status(mediamtx.process.pid or 0, "VmRSS") / 1024,
        minio_rss_mib=proc_status(minio.server.process.pid or 0, "VmRSS") / 1024,
        # Counted, not listed: reading every segment row each sample would itself raise RSS as the run goes on.
        segments=core.archiver.status.uploaded_segments + core.catalog.pending_upload_count(),
        pending_upload=core.catalog.pending_upload_count(),
        load_1min=os.getloadavg()[0],
    )


def thirds(samples: list[Sample], name: str) -> tuple[float, float]:
    """Median of the first and of the last third of the samples taken after the warm-up."""
    values = [float(getattr(s, name)) for s in samples if s.t >= WARM_UP]
    third = max(1, len(values) // 3)
    return statistics.median(values[:third]), statistics.median(values[-third:])


def segment_lists(recording_dir: Path) -> set[str]:
    """Every segment ffmpeg reported closed, from the lists it keeps per run."""
    names = set()
    for listing in recording_dir.glob("segments-*.csv"):
        with open(listing, newline="") as handle:
            names |= {Path(row[0]).name for row in csv.reader(handle) if row}
    return names


def holes(segments: list[SegmentRow]) -> list[tuple[str, float]]:
    ordered = sorted(segments, key=lambda s: s.start)
    found = []
    for before, after in itertools.pairwise(ordered):
        hole = (after.start - before.end).total_seconds()
        if abs(hole) > HOLE_TOLERANCE:
            found.append((after.file_name, round(hole, 2)))
    return found


@pytest.mark.soak
@pytest.mark.timeout(SOAK_SECONDS + 420)
async def test_sixteen_cameras_record_and_archive_for_ten_minutes_without_leaks_or_losses(
    traced_heap: None, core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory,
    private_minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    core = core_factory(private_minio, segment_seconds=SEGMENT_SECONDS)
    alerts: list[tuple[str, str]] = []
    core.alert_listeners.append(lambda level, text: alerts.append((level, text)))
    await core.start()
    names = {f"soak{i:02d}": f"Soak {i:02d}" for i in range(1, CAMERAS + 1)}
    ids, recordings = await record_synthetic_cameras(core, mediamtx, camera_factory, names, SPEC)

    # Run as the recorder daemon does: poll once a second. Note every segment file seen on disk on the way.
    began = time.monotonic()
    samples: list[Sample] = []
    seen: dict[str, int] = {}  # "recording id/file name" -> largest size seen
    next_sample = 0.0
    while (elapsed := time.monotonic() - began) < SOAK_SECONDS:
        await core.poll()
        for path in core.recordings_dir.rglob("*.mp4"):
            try:
                size = path.stat().st_size
            except FileNotFoundError:  # archived and removed between the listing and the stat
                continue
            key = f"{path.parent.name}/{path.name}"  # a recording's folder is named by its id
            seen[key] = max(seen.get(key, 0), size)
        if elapsed >= next_sample:
            samples.append(await asyncio.to_thread(take_sample, elapsed, core, mediamtx, private_minio))
            next_sample += SAMPLE_EVERY
        await asyncio.sleep(1.0)

    stopping = time.monotonic()
    for camera_id in ids:
        await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=120), f"{core.catalog.pending_upload_count()} segments not archived"
    drained_in = time.monotonic() - stopping
    # Kept apart from the series: with the recorders stopped, fewer descriptors and threads are open.
    after_stop = await asyncio.to_thread(take_sample, time.monotonic() - began, core, mediamtx, private_minio)

    # ---- zero lost segments -------------------------------------------------------------------------
    segments = core.catalog.segments()
    by_key = {f"{s.recording_id}/{s.file_name}": s for s in segments}
    objects = {o.key: o.size for o in await core.storage.list_files("")}
    produced = {key for key, size in seen.items() if size > 0}
    for recording in recordings:
        produced |= {f"{recording.id}/{name}" for name in segment_lists(core.service.recording_dirs[recording.id])}
    lost = sorted(key for key in produced if key not in by_key)
    assert not lost, f"{len(lost)} segment files ffmpeg wrote are not in the catalog: {lost[:5]}"
    not_archived = [s.object_key for s in segments if s.state is not SegmentState.ARCHIVED]
    assert not not_archived, f"{len(not_archived)} segments not archived: {not_archived[:5]}"
    wrong_size = [s.object_key for s in segments if objects.get(s.object_key) != s.size or s.size <= 0]
    assert not wrong_size, f"{len(wrong_size)} segments missing or at the wrong size in S3: {wrong_size[:5]}"
    shrunk = [key for key, size in seen.items() if key in by_key and size > by_key[key].size]
    assert not shrunk, f"archived smaller than seen on disk: {shrunk[:5]}"
    assert len(objects) == len(segments), "the archive holds objects the catalog does not know"
    assert not core.archiver.status.damaged, core.archiver.status.damaged

    timelines: dict[str, dict[str, Any]] = {}
    for recording in recordings:
        mine = [s for s in segments if s.recording_id == str(recording.id)]
        row = core.catalog.recording(recording.id)
        assert row is not None and row.ended_at is not None
        span = (row.ended_at - row.started_at).total_seconds()
        covered = sum(s.duration for s in mine)
        gaps = len(core.catalog.gaps(str(recording.id)))
        timelines[str(recording.id)] = {"segments": len(mine), "span_s": span, "covered_s": covered,
                                        "holes": holes(mine), "gaps": gaps}  # fmt: skip
    with_holes = {k: v for k, v in timelines.items() if v["holes"] or v["gaps"]}
    short = {k: v for k, v in timelines.items() if v["covered_s"] < v["span_s"] - 5}
    report = await check(core)

    # ---- flat memory and descriptors ----------------------------------------------------------------
    flat: dict[str, dict[str, float]] = {}
    for name in ("rss_mib", "python_heap_mib", "fds", "threads", "mediamtx_rss_mib", "minio_rss_mib"):
        first, last = thirds(samples, name)
        flat[name] = {"first_third_median": first, "last_third_median": last, "growth": last - first}
    write_soak_results(samples, after_stop, flat, timelines, len(segments), drained_in, alerts,
                       Path(RESULTS) if RESULTS else tmp_path)  # fmt: skip

    assert not with_holes, f"holes in recordings: {with_holes}"
    assert not short, f"recordings cover less than their span: {short}"
    assert report.clean, report.lines()
    assert not [a for a in alerts if a[0] != "info"], alerts
    # Bounds: about 1,300 segments close between the thirds' midpoints in ten minutes (650 in `make test`'s
    # five), so one descriptor or one 1 kB object (2 kB in five minutes) kept per segment breaks the first two;
    # the Python heap bound catches what RSS's allocator noise hides (a future kept twice a second per camera
    # grew it by 2 MiB). MinIO's Go heap grows in steps with the objects it holds (first/last third medians
    # 248/291 to 286/380 MiB in runs here): only a runaway is caught there.
    _assert_flat(flat, "fds", slack=20, share=0.10)
    _assert_flat(flat, "threads", slack=10, share=0.10)
    _assert_flat(flat, "python_heap_mib", slack=1.0, share=0.05)
    _assert_flat(flat, "rss_mib", slack=50, share=0.25)
    _assert_flat(flat, "mediamtx_rss_mib", slack=50, share=0.25)
    _assert_flat(flat, "minio_rss_mib", slack=150, share=0.50)


def _assert_flat(flat: dict[str, dict[str, float]], name: str, slack: float, share: float) -> None:
    first, last = flat[name]["first_third_median"], flat[name]["last_third_median"]
    allowed = first + max(slack, first * share)
    assert last <= allowed, f"{name} grew from {first:.1f} to {last:.1f} (allowed up to {allowed:.1f})"


def write_soak_results(
    samples: list[Sample], after_stop: Sample, flat: dict[str, dict[str, float]], timelines: dict[str, dict[str, Any]],
    segments: int, drained_in: float, alerts: list[tuple[str, str]], results_dir: Path,
) -> None:  # fmt: skip
    from bench.common import machine_info, write_result

    config = {"cameras": CAMERAS, "segment_seconds": SEGMENT_SECONDS, "camera": SPEC, "duration_s": SOAK_SECONDS,
              "warm_up_s": WARM_UP, "sample_every_s": SAMPLE_EVERY}  # fmt: skip
    result = {
        "name": "soak",
        "title": f"Soak: {CAMERAS} cameras recorded and archived for {SOAK_SECONDS:.0f} s",
        "command": f"VIDSTREAM_SOAK_SECONDS={SOAK_SECONDS:.0f} python -m pytest tests/faults/test_soak.py",
        "machine": machine_info(),
        "config": config,
        "segments": segments,
        "drained_after_stop_s": drained_in,
        "flat": flat,
        "alerts": alerts,
        "recordings": timelines,
        "samples": [asdict(s) for s in samples],
        "after_stop": asdict(after_stop),
    }
    write_result("soak", result, results_dir)
