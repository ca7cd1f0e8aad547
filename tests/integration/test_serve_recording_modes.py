"""`vidstream serve` records each camera as its mode says: a continuous one all along, a manual one not at all,
one in motion mode only around its scripted motion (one recording, archived, far shorter than the run)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.fixtures.servers import S3Target
from tests.integration.test_motion_real import start_camera
from tests.integration.test_serve_attached import site_config
from video_streaming.catalog import Catalog
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import MotionScript
from video_streaming.runtime.synthetic_camera import SyntheticCamera

MOTION = (14.0, 17.0)


def test_serve_records_continuous_manual_and_motion_cameras_each_as_set(
    tmp_path: Path, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config(mediamtx, minio))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "VIDSTREAM_SECRET_MEDIAMTX_API": mediamtx.endpoints.api_password,
           "VIDSTREAM_SECRET_S3_SECRET_KEY": minio.secret_key}  # fmt: skip

    def vidstream(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "video_streaming.cli", "--config", str(config), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)

    ids = {}
    for name, mode in (("Cont", "continuous"), ("Hand", "manual")):
        added = vidstream("cameras", "add", name, mediamtx.endpoints.rtsp_url("cam1"), "--mode", mode)
        assert added.returncode == 0, added.stderr[-2000:]
        ids[name] = added.stdout.strip()
    added = vidstream("cameras", "add", "Yard", mediamtx.endpoints.rtsp_url("yard"), "--mode", "motion")
    ids["Yard"] = added.stdout.strip()
    # The clock-free scripted camera: its caption-free picture needs no mask; it moves once, MOTION s after it starts.
    yard, origin = start_camera(mediamtx, tmp_path, "yard", MotionScript(moves=(MOTION,), swing=False))
    try:
        run_for = origin + MOTION[1] + 10 + 6 - time.time()  # past the post-roll, with a still stretch after it
        served = vidstream("serve", "--duration", f"{run_for:.0f}")
        assert served.returncode == 0, served.stderr[-3000:]
    finally:
        yard.stop()
    assert "Yard: ok" in served.stdout and "Hand: ok" in served.stdout, served.stdout

    catalog = Catalog(tmp_path / "data" / "vidstream" / "catalog.sqlite3")
    by_camera = {name: catalog.recordings(camera_id) for name, camera_id in ids.items()}
    assert by_camera["Hand"] == [], "a manual camera was recorded"
    assert len(by_camera["Cont"]) == 1 and by_camera["Cont"][0].segments >= 3
    (event,) = by_camera["Yard"]
    assert event.status == "stopped" and event.archived_segments == event.segments > 0, event
    # From about 5 s before the motion to 10 s after it: whole 2 s segments, never the whole run.
    assert MOTION[1] - MOTION[0] + 15 <= event.duration <= MOTION[1] - MOTION[0] + 15 + 8, event.duration
    assert event.started_at.timestamp() <= origin + MOTION[0] - 5
    client = minio.client()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=minio.bucket).get("Contents", [])]  # type: ignore[attr-defined]
    yard_keys = sorted(k for k in keys if f"-{ids['Yard'].replace('-', '')[:8]}/" in k)
    assert yard_keys and all(event.id in key for key in yard_keys), yard_keys
    assert not any(f"-{ids['Hand'].replace('-', '')[:8]}/" in k for k in keys)
    catalog.close()
