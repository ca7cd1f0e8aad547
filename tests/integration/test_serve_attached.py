"""`vidstream serve` as a site's recorder service: attached to an existing MediaMTX (not its own), archiving
into its folder of a shared bucket, publishing its camera directory for workstations, all from a config file
and secrets in the environment, as the systemd unit runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.fixtures.servers import S3Target
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera
from video_streaming.sites import DIRECTORY_KEY


def site_config(mediamtx: MediaMTXServer, minio: S3Target) -> str:
    endpoints = mediamtx.endpoints
    return f"""
demo_cameras = 0
[mediamtx]
embedded = false
host = "127.0.0.1"
api_port = {endpoints.api_port}
username = "{endpoints.api_user}"
rtsp_port = {endpoints.rtsp_port}
srt_port = {endpoints.srt_port}
hls_port = {endpoints.hls_port}
rtmp_port = {endpoints.rtmp_port}
[storage]
kind = "s3"
endpoint_url = "{minio.endpoint_url}"
bucket = "{minio.bucket}"
access_key = "{minio.access_key}"
prefix = "site-a/"
[recording]
segment_seconds = 2
min_free_mb = 1
"""


def test_serve_attaches_records_into_its_prefix_and_publishes_its_directory(
    tmp_path: Path, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config(mediamtx, minio))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "VIDSTREAM_SECRET_MEDIAMTX_API": mediamtx.endpoints.api_password,
           "VIDSTREAM_SECRET_S3_SECRET_KEY": minio.secret_key}  # fmt: skip

    def vidstream(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "video_streaming.cli", "--config", str(config), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)

    added = vidstream("cameras", "add", "Gate", mediamtx.endpoints.rtsp_url("cam1"))
    assert added.returncode == 0, added.stderr[-2000:]
    served = vidstream("serve", "--duration", "8")
    assert served.returncode == 0, served.stderr[-3000:]
    assert "Gate: ok" in served.stdout
    output = served.stdout + served.stderr
    assert mediamtx.endpoints.api_password not in output and minio.secret_key not in output

    client = minio.client()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=minio.bucket).get("Contents", [])]  # type: ignore[attr-defined]
    segments = [key for key in keys if key.endswith(".mp4")]
    assert len(segments) >= 3 and all(key.startswith("site-a/gate-") for key in segments), keys
    directory = json.loads(client.get_object(Bucket=minio.bucket, Key="site-a/" + DIRECTORY_KEY)["Body"].read())  # type: ignore[attr-defined]
    (entry,) = directory["cameras"]
    assert entry["name"] == "Gate" and segments[0].startswith(f"site-a/{entry['key']}/")
    assert entry["path"] == "" and entry["recording"] is False  # a clean stop tells workstations it is not live

    # The attached MediaMTX is left running, without the recorder's paths.
    assert mediamtx.process.running
    endpoints = mediamtx.endpoints
    paths = httpx.get(f"{endpoints.api_url}/v3/paths/list", auth=(endpoints.api_user, endpoints.api_password),
                      timeout=5).json()["items"]  # fmt: skip
    assert [path["name"] for path in paths] == ["cam1"]
    checked = vidstream("check")
    assert checked.returncode == 0 and checked.stdout.strip().endswith("clean"), checked.stdout + checked.stderr
