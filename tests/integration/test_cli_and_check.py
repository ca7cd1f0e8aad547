"""The headless CLI end to end (embedded MediaMTX, MinIO and demo cameras), and `vidstream check`
finding and repairing what a crash or an operator left behind."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fixtures.core import CoreFactory
from tests.fixtures.servers import S3Target
from video_streaming.catalog import Catalog, SegmentState
from video_streaming.consistency import check
from video_streaming.domain.camera import Camera, recording_prefix, segment_file_name
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera


def vidstream(
    tmp_path: Path, *args: str, timeout: float = 90, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "video_streaming.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, input=stdin)  # fmt: skip


def test_cli_serves_records_lists_and_checks_the_demo(tmp_path: Path) -> None:
    served = vidstream(tmp_path, "serve", "--demo", "--duration", "5")
    assert served.returncode == 0, served.stderr[-2000:]
    assert served.stdout.count(": ok") == 4

    listed = vidstream(tmp_path, "recordings", "list")
    assert listed.returncode == 0, listed.stderr[-2000:]
    rows = [line for line in listed.stdout.splitlines() if line.strip()]
    assert len(rows) == 4 and all(line.endswith("archived") for line in rows)

    checked = vidstream(tmp_path, "check")
    assert checked.returncode == 0 and checked.stdout.strip().endswith("clean"), checked.stdout

    secrets_file = tmp_path / "config" / "vidstream" / "secrets.json"
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    assert "minioadmin" not in secrets_file.read_text()


LISTED = re.compile(r"^(\S+)\s+(.+?)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) -> (\S+(?: \S+)?)\s+([\d.]+) s\s+"
                    r"([\d.]+) MiB\s+(\S+)$")


def test_cli_lists_a_recording_as_it_grows_and_exports_a_range(tmp_path: Path) -> None:
    from tests.integration.test_export import frames_ignoring_edit_lists

    config = tmp_path / "config.toml"
    config.write_text("demo_cameras = 1\n[recording]\nsegment_seconds = 4\n", encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    server = subprocess.Popen([sys.executable, "-m", "video_streaming.cli", "--config", str(config), "serve",
                               "--demo", "--duration", "18"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=env)  # fmt: skip
    try:
        # While it records, the listing says "recording" and counts the time up to the moment it is asked.
        checked, sizes = 0, []  # type: int, list[float]
        deadline = time.monotonic() + 40
        while checked < 3 and time.monotonic() < deadline and server.poll() is None:
            asked = time.time()
            listed = vidstream(tmp_path, "--config", str(config), "recordings", "list")
            answered = time.time()
            assert listed.returncode == 0, listed.stderr[-2000:]
            rows = [LISTED.match(line) for line in listed.stdout.splitlines() if line.strip()]
            if not rows:
                continue
            assert len(rows) == 1 and rows[0] is not None, listed.stdout
            row = rows[0]
            assert row[4] == "recording" and row[7] == "recording", listed.stdout
            started = datetime.strptime(row[3], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
            seconds, size = float(row[5]), float(row[6])
            print(f"listed {seconds:.1f} s, {size:.1f} MiB; {asked - started:.1f}..{answered - started:.1f} s in")
            assert asked - started - 1.5 <= seconds <= answered - started + 1.5, (seconds, asked - started)
            sizes.append(size)
            checked += 1
        if checked != 3:
            server.kill()
            said = server.communicate(timeout=30)[0]
            raise AssertionError(f"the recording was listed {checked} times while recording; serve said: "
                                 f"{said[-3000:]}")  # fmt: skip
        assert sizes == sorted(sizes), sizes
        output, _ = server.communicate(timeout=60)
        assert server.returncode == 0, output[-2000:]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    catalog = Catalog(tmp_path / "data" / "vidstream" / "catalog.sqlite3")
    segments = catalog.segments()
    camera_id = segments[0].camera_id
    catalog.close()
    start = segments[1].start + timedelta(seconds=2.5)
    end = segments[2].start + timedelta(seconds=1.5)
    exported = vidstream(tmp_path, "--config", str(config), "export", "--camera", camera_id, "--from",
                         start.isoformat(), "--to", end.isoformat(), str(tmp_path / "clip.mp4"))  # fmt: skip
    assert exported.returncode == 0, exported.stderr[-2000:]
    assert "100 %" in exported.stderr and str(tmp_path / "clip.mp4") in exported.stdout
    frames = frames_ignoring_edit_lists(tmp_path / "clip.mp4")
    assert 3 * 25 - 1 <= frames <= 3 * 25 + 25 + 1, frames
    unknown = vidstream(tmp_path, "--config", str(config), "export", "--camera", camera_id, "--from",
                        (start - timedelta(days=3)).isoformat(), "--to", (end - timedelta(days=3)).isoformat(),
                        str(tmp_path / "none.mp4"))  # fmt: skip
    assert unknown.returncode == 2 and "recorded nothing" in unknown.stderr
    assert not (tmp_path / "none.mp4").exists()


def test_cli_keeps_camera_passwords_out_of_output_and_catalog(tmp_path: Path) -> None:
    added = vidstream(tmp_path, "cameras", "add", "Front door", "rtsp://admin:hunter2@192.0.2.10/stream")
    assert added.returncode == 0, added.stderr[-2000:]
    listed = vidstream(tmp_path, "cameras", "list")
    assert "Front door" in listed.stdout and "hunter2" not in listed.stdout + listed.stderr
    assert "admin:***@192.0.2.10" in listed.stdout
    catalog = (tmp_path / "data" / "vidstream" / "catalog.sqlite3").read_bytes()
    assert b"hunter2" not in catalog
    bad = vidstream(tmp_path, "cameras", "add", "../../etc", "rtsp://x/y")
    assert bad.returncode == 2 and "slashes" in bad.stderr


def test_secrets_are_stored_without_echo_and_odd_names_refused(tmp_path: Path) -> None:
    stored = vidstream(tmp_path, "secret", "set", "site:warehouse:s3-secret-key", stdin="s3cr3t-value\n")
    assert stored.returncode == 0, stored.stderr[-2000:]
    assert "s3cr3t-value" not in stored.stdout + stored.stderr
    secrets_file = tmp_path / "config" / "vidstream" / "secrets.json"
    assert secrets_file.stat().st_mode & 0o777 == 0o600 and "s3cr3t-value" in secrets_file.read_text()
    assert vidstream(tmp_path, "secret", "set", "../../etc/passwd", stdin="x\n").returncode == 2
    assert vidstream(tmp_path, "secret", "set", "s3-secret-key", stdin="\n").returncode == 2  # empty: refused
    assert vidstream(tmp_path, "secret", "delete", "site:warehouse:s3-secret-key").returncode == 0
    assert "s3cr3t-value" not in secrets_file.read_text()


async def test_check_finds_and_repairs_orphans_and_missing_segments(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    core = core_factory(minio)
    await core.start()
    camera_id = str(core.add_camera("Hall", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    recording = (await core.record(camera_id)).value
    await asyncio.sleep(4.5)
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)
    assert (await check(core)).clean

    segments = core.catalog.segments(recording_id=str(recording.id))
    # Someone deletes an archived object behind our back, and an unknown file and object appear.
    await core.storage.delete_file(segments[0].object_key)
    local_dir = core.service.recording_dirs[recording.id]
    stray = local_dir / "20260101T000000Z-9.mp4"
    stray.write_bytes(b"\0" * 10)
    minio.client().put_object(Bucket=minio.bucket, Key="unknown/2026/01/01/x/y.mp4", Body=b"x")  # type: ignore[attr-defined]

    report = await check(core)
    assert not report.clean
    assert report.missing_remote == [segments[0].object_key]
    assert report.local_orphans == [str(stray)]
    assert report.remote_orphans == ["unknown/2026/01/01/x/y.mp4"]

    repaired = await check(core, repair=True)
    assert any("marked missing" in line for line in repaired.repaired)
    assert any("adopted" in line for line in repaired.repaired)
    assert core.catalog.segment(segments[0].id).state is SegmentState.MISSING  # type: ignore[union-attr]
    assert stray.exists(), "check never deletes"


@pytest.mark.parametrize("holds_another_recorders", [False, True], ids=["empty", "another-recorders"])
async def test_repair_against_a_wrong_bucket_marks_nothing_missing(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path,
    holds_another_recorders: bool,
) -> None:  # fmt: skip
    core = core_factory(minio)
    await core.start()
    camera_id = str(core.add_camera("Hall", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    recording = (await core.record(camera_id)).value
    await asyncio.sleep(3)
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)
    wrong = dataclasses.replace(minio, bucket=f"{minio.bucket}-typo")
    wrong.client().create_bucket(Bucket=wrong.bucket)  # type: ignore[attr-defined]
    if holds_another_recorders:  # footage in the recording layout, of a camera this recorder never had
        start = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
        theirs = recording_prefix(Camera.create("Their gate", "rtsp://10.0.0.9/s").key, uuid.uuid4(), start)
        wrong.client().put_object(Bucket=wrong.bucket, Key=theirs + segment_file_name(start), Body=b"x")  # type: ignore[attr-defined]
    # The same catalog (the same data folder), with settings that now name an empty bucket.
    misconfigured = core_factory(wrong)
    report = await check(misconfigured, repair=True)
    states = {s.state for s in misconfigured.catalog.segments(recording_id=str(recording.id))}
    assert states == {SegmentState.ARCHIVED}, "a wrong bucket made the whole archive 'missing'"
    assert report.missing_remote and report.refused, report.lines()
