"""Faults injected into real processes: MediaMTX killed, the recorder daemon SIGKILLed, a full disk.
Each ends with `vidstream check` finding nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.core import CoreFactory
from tests.fixtures.environment import tmpfs
from tests.fixtures.servers import CameraFactory, S3Target
from tests.fixtures.waiting import processes_mentioning, until, until_sync
from video_streaming.bootstrap import EmbeddedStack
from video_streaming.catalog import SegmentState
from video_streaming.consistency import check
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import CameraSpec


async def test_mediamtx_killed_is_noticed_reprovisioned_and_recording_resumes(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target
) -> None:
    cameras = [camera_factory("cam1"), camera_factory("cam2")]
    stack = EmbeddedStack(mediamtx, None, cameras)
    core = core_factory(minio)
    await core.start()
    ids = [str(core.add_camera(f"Cam {i}", mediamtx.endpoints.rtsp_url(f"cam{i}")).value.id) for i in (1, 2)]
    recordings = [(await core.record(camera_id)).value for camera_id in ids]
    await until(lambda: all(core.catalog.segments(recording_id=str(r.id)) for r in recordings), 15,
                "a segment of each camera before the kill")  # fmt: skip

    mediamtx.kill()
    killed = time.monotonic()
    while (await core.poll()).mediamtx_ok:
        await asyncio.sleep(0.5)  # the app polls once a second
    assert time.monotonic() - killed < 2.0, "the app did not notice MediaMTX was gone within 2 s"

    await asyncio.sleep(1)  # the media server stays down for a moment
    back = time.monotonic()  # revive() restarts MediaMTX first, then waits for the cameras to publish
    assert set(await asyncio.to_thread(stack.revive)) >= {"media server"}
    while True:
        health = await core.poll()  # re-provisions the missing paths
        ready = [health.paths.get(core.streams[c].path_name, {}).get("ready") for c in ids]
        resumed = [any(p.name.endswith(tuple(f"-{n}.mp4" for n in range(1, 30)))
                       for p in core.service.recording_dirs[r.id].glob("*.mp4")) for r in recordings]  # fmt: skip
        if all(ready) and all(resumed):
            break
        assert time.monotonic() - back < 5.0, f"not resumed within 5 s: ready={ready} recording={resumed}"
        await asyncio.sleep(0.25)

    resumed_at = {str(r.id): len(core.catalog.segments(recording_id=str(r.id))) for r in recordings}
    await until(lambda: all(len(core.catalog.segments(recording_id=k)) > n for k, n in resumed_at.items()), 15,
                "a segment closed after the restart")  # fmt: skip
    for camera_id in ids:
        await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    for recording in recordings:
        assert core.catalog.gaps(str(recording.id)), "the outage is not recorded as a gap"
    report = await check(core)
    assert report.clean, report.lines()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "small-disk", "4m") as mount_point:
        yield mount_point


async def test_full_disk_stops_recording_with_a_clear_error_and_loses_nothing(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory,
    private_minio: S3Target, small_disk: Path, tmp_path: Path,
) -> None:  # fmt: skip
    camera_factory("cam1", CameraSpec(label="busy", bitrate_kbps=4000, audio=False))
    core = core_factory(private_minio, segment_seconds=1, recordings_dir=small_disk)
    alerts: list[tuple[str, str]] = []
    core.alert_listeners.append(lambda level, text: alerts.append((level, text)))
    await core.start()
    camera_id = str(core.add_camera("Busy", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    private_minio.server.stop()  # nothing can leave the disk: it must fill
    recording = (await core.record(camera_id)).value
    deadline = time.monotonic() + 40
    while core.is_recording(camera_id) and time.monotonic() < deadline:
        await asyncio.sleep(0.25)
    assert not core.is_recording(camera_id), "recording went on with a full disk"
    assert any(level == "error" and "disk" in text for level, text in alerts), alerts
    row = core.catalog.recording(recording.id)
    assert row is not None and row.status == "error" and "full" in row.last_error
    kept = core.catalog.segments(recording_id=str(recording.id))
    assert kept and all(Path(s.local_path or "").exists() for s in kept), "recorded segments were lost"
    refused = await core.record(camera_id)
    assert refused.is_failure and refused.error is not None and refused.error.kind == "disk_full"

    # Space returns once the archive is back and the segments are uploaded.
    private_minio.server.start()
    assert await core.archiver.drain(timeout=40)
    assert all(s.state is SegmentState.ARCHIVED for s in core.catalog.segments(recording_id=str(recording.id)))
    again = await core.record(camera_id)
    assert again.is_success, again.error
    await until(lambda: core.catalog.segments(recording_id=str(again.value.id)), 15, "a segment once space is back")
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    report = await check(core)
    assert report.clean, report.lines()


def cli(tmp_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "video_streaming.cli", "--data-dir", str(tmp_path / "data"), *args]


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "xdg")}


def test_recorder_daemon_sigkilled_mid_recording_recovers_everything(tmp_path: Path) -> None:
    daemon = subprocess.Popen(cli(tmp_path, "serve", "--demo"), env=cli_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        started = time.monotonic()
        ok_lines = 0
        assert daemon.stdout is not None
        while ok_lines < 4 and time.monotonic() - started < 60:
            line = daemon.stdout.readline()
            ok_lines += line.rstrip().endswith(": ok")
        assert ok_lines == 4, "the daemon did not start recording its cameras"
        recordings = tmp_path / "data" / "recordings"
        # About 2 s of each camera on disk (demo cameras send 800 kb/s, one segment file per recording so far).
        until_sync(lambda: len({p.parent for p in recordings.rglob("*.mp4") if p.stat().st_size > 200_000}) >= 4,
                   30, "a few seconds of each camera on disk")  # fmt: skip
    finally:
        daemon.send_signal(signal.SIGKILL)  # a crash: no clean-up code runs
        daemon.wait(timeout=10)
    # Its servers and recorders stop with it (parent-death signal).
    until_sync(lambda: not processes_mentioning(str(tmp_path / "data")), 10, "the daemon's children ending")

    restarted = subprocess.run(cli(tmp_path, "serve", "--demo", "--duration", "3"), env=cli_env(tmp_path),
                               capture_output=True, text=True, timeout=120)  # fmt: skip
    assert restarted.returncode == 0, restarted.stdout[-2000:] + restarted.stderr[-2000:]
    listed = subprocess.run(cli(tmp_path, "recordings", "list"), env=cli_env(tmp_path), capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    rows = [line for line in listed.stdout.splitlines() if line.strip()]
    assert len(rows) == 8, listed.stdout  # 4 interrupted + 4 from the second run
    assert all(line.endswith("archived") for line in rows), listed.stdout
    checked = subprocess.run(cli(tmp_path, "check"), env=cli_env(tmp_path), capture_output=True, text=True,
                             timeout=60)  # fmt: skip
    assert checked.returncode == 0 and checked.stdout.strip().endswith("clean"), checked.stdout
