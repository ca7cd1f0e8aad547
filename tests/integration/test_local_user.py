"""What another account on the same workstation can reach (#15): run as uid 65534 with setpriv."""

from __future__ import annotations

import configparser
import os
import stat
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.fixtures.core import CoreFactory
from tests.fixtures.local_user import as_other_user, shared_home  # noqa: F401
from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from video_streaming.catalog.rows import SegmentRow
from video_streaming.core import VidStreamCore
from video_streaming.evidence import export_evidence, verify_evidence
from video_streaming.export import export_range
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.minio_server import MinIOServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera

ROOT = Path(__file__).resolve().parents[2]
# Opens the file again and again for a while, keeps every handle it got, then reads them all at the end:
# a handle opened on an earlier version must not show a later one's passwords.
SNOOPER = """
import os, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
handles, deadline = [], time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        handles.append(os.open(path, os.O_RDONLY))
    except OSError:
        pass
seen = set()
for handle in handles:
    os.lseek(handle, 0, 0)
    data = os.read(handle, 1 << 20)
    if b'"pass"' in data:
        seen.add(data)
print(len(handles), len(seen))
"""


def test_another_user_never_gets_a_handle_on_mediamtx_config(shared_home: Path) -> None:  # noqa: F811
    work_dir = shared_home / "run" / "mediamtx"
    MediaMTXServer(work_dir)  # the first write; later ones replace it while the other user watches
    config = work_dir / "mediamtx.runtime.yml"
    snooper = subprocess.Popen(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", SNOOPER,
         str(config), "3"], stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    inodes = set()
    stop = threading.Event()
    threading.Timer(3.0, stop.set).start()
    while not stop.is_set() and len(inodes) < 200:
        MediaMTXServer(work_dir)  # writes a fresh config with new passwords, as each start does
        inodes.add(config.stat().st_ino)
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
    out, _ = snooper.communicate(timeout=30)
    handles, configs_seen = (int(v) for v in out.split())
    assert (handles, configs_seen) == (0, 0), "another user opened the MediaMTX config holding the passwords"
    assert len(inodes) > 1, "each write must be a new file: an old handle would show the new passwords"
    assert stat.S_IMODE(work_dir.stat().st_mode) == 0o700
    assert not list(work_dir.glob(".*.tmp")), "no temporary copy is left behind"


def test_data_dir_catalog_and_recordings_are_private(shared_home: Path) -> None:  # noqa: F811
    data = shared_home / "vidstream"
    config = shared_home / "config.toml"
    config.write_text(f'data_dir = "{data}"\ndemo_cameras = 0\n[storage]\nkind = "local"\n')
    env = {**os.environ, "XDG_CONFIG_HOME": str(shared_home / ".config"), "HOME": str(shared_home)}
    added = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0o022); from video_streaming.cli import main; "
         "sys.exit(main(sys.argv[1:]))", "--config", str(config), "cameras", "add", "Door",
         "rtsp://10.0.0.1/stream"], capture_output=True, text=True, env=env, timeout=60, cwd=ROOT, check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert (data / "catalog.sqlite3").exists()
    for folder in (data, data / "recordings", data / "run"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in data.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is open to others"
    listing = as_other_user(["ls", str(data)])
    assert listing.returncode != 0 and "Permission denied" in listing.stderr
    reading = as_other_user(["cat", str(data / "catalog.sqlite3")])
    assert reading.returncode != 0


def test_another_user_cannot_read_minio_objects(shared_home: Path) -> None:  # noqa: F811
    server = MinIOServer(shared_home / "minio")  # started by a program whose umask is 022
    old = os.umask(0o022)
    server.start()
    try:
        target = S3Target(server.endpoint_url, server.credentials.access_key, server.credentials.secret_key,
                          "archive", server)  # fmt: skip
        client = target.client()
        client.create_bucket(Bucket="archive")  # type: ignore[attr-defined]
        client.put_object(Bucket="archive", Key="cam/seg.mp4", Body=b"FOOTAGE" * 1000)  # type: ignore[attr-defined]
        stored = [p for p in (shared_home / "minio").rglob("*") if p.is_file()]
        assert any("seg.mp4" in str(p) for p in stored)
        for path in stored:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is open to others"
        found = as_other_user(["find", str(shared_home / "minio"), "-type", "f"])
        assert "seg.mp4" not in found.stdout
        assert as_other_user(["cat", *map(str, stored)]).stdout == ""
    finally:
        server.stop()
        os.umask(old)


@pytest.mark.parametrize("setting", ["StateDirectoryMode=0700", "UMask=0077"])
def test_recorder_service_keeps_its_state_private(setting: str) -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "installer" / "vidstream-recorder.service")
    key, value = setting.split("=")
    assert unit["Service"].get(key) == value


async def one_recorded_segment(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, minio: S3Target
) -> tuple[VidStreamCore, str, SegmentRow]:
    """A started core, its camera "Door" on cam1, and the first segment of a short recording of it."""
    core = core_factory(minio)
    await core.start()
    camera_id = str(core.add_camera("Door", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    started = await core.record(camera_id)
    assert started.is_success, started.error
    recording_id = str(started.value.id)
    await until(lambda: len(core.catalog.segments(recording_id=recording_id)) >= 1, 20, "a closed segment")
    await core.stop_recording(camera_id)
    first = core.catalog.segments(recording_id=recording_id)[0]
    return core, camera_id, first


async def test_export_never_writes_through_a_symlink_another_user_planted(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target,
    shared_home: Path,  # noqa: F811
) -> None:  # fmt: skip
    core, camera_id, first = await one_recorded_segment(core_factory, mediamtx, minio)
    victim = shared_home / "precious.conf"  # a file of the app's user that the other user cannot write
    victim.write_text("keep me\n")
    drop = shared_home / "exports"  # a shared drop folder, sticky like /tmp
    drop.mkdir()
    drop.chmod(0o1777)
    target = drop / "door.mp4"
    # The app's pid is in `ps` for everyone: the other user plants a link at each name it could use.
    for name in (f".door.mp4.{os.getpid()}.partial", "door.mp4"):
        planted = as_other_user(["ln", "-s", str(victim), str(drop / name)])
        assert planted.returncode == 0, planted.stderr
    # From the first segment's own start: under load a recorder's first file can begin seconds after the click.
    await export_range(core, camera_id, first.start, first.start + timedelta(seconds=2), target)
    assert victim.read_bytes() == b"keep me\n", "the export wrote through another user's symlink"
    assert target.is_file() and not target.is_symlink() and target.stat().st_size > 1000


async def test_evidence_export_never_writes_through_links_another_user_planted(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target,
    shared_home: Path,  # noqa: F811
) -> None:  # fmt: skip
    core, camera_id, first = await one_recorded_segment(core_factory, mediamtx, minio)
    victim_file = shared_home / "precious.conf"  # the app's user's: the other user can neither write nor delete it
    victim_file.write_text("keep me\n")
    victim_dir = shared_home / "precious"
    victim_dir.mkdir(mode=0o755)
    drop = shared_home / "exports"  # a shared drop folder, sticky like /tmp
    drop.mkdir()
    drop.chmod(0o1777)
    # Links at every name the export used to write by: its staging folder and the ZIP being written.
    for name, victim in ((".case.zip.partial", victim_dir), (".case.zip.zip-partial", victim_file)):
        planted = as_other_user(["ln", "-s", str(victim), str(drop / name)])
        assert planted.returncode == 0, planted.stderr
    result = await export_evidence(core, [camera_id], first.start, first.start + timedelta(seconds=2),
                                   drop / "case.zip", key_path=shared_home / "keys" / "evidence.pem")  # fmt: skip
    assert victim_file.read_bytes() == b"keep me\n", "the ZIP was written through a planted link"
    assert list(victim_dir.iterdir()) == [] and stat.S_IMODE(victim_dir.stat().st_mode) == 0o755
    assert result.path.is_file() and verify_evidence(result.path).ok
    assert not [p for p in drop.iterdir() if p.name.endswith("partial") and not p.is_symlink()], "nothing left"
