"""`vidstream serve` and `vidstream cameras` with cameras as they are in the field: one that starts late is
recorded once it is up, and `cameras list` says meanwhile what the recorder is waiting for."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.fixtures.field_cameras import CameraServer, FieldCamera, FieldPublisher
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.integration.test_serve_attached import site_config
from video_streaming.runtime.mediamtx_server import MediaMTXServer


class Cli:
    def __init__(self, tmp_path: Path, mediamtx: MediaMTXServer, minio: S3Target) -> None:
        self.config = tmp_path / "config.toml"
        self.config.write_text(site_config(mediamtx, minio))
        self.env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
                    "VIDSTREAM_SECRET_MEDIAMTX_API": mediamtx.endpoints.api_password,
                    "VIDSTREAM_SECRET_S3_SECRET_KEY": minio.secret_key}  # fmt: skip

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "video_streaming.cli", "--config", str(self.config), *args]

    def run(self, *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), capture_output=True, text=True, timeout=timeout, env=self.env,
                              input=stdin)  # fmt: skip

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env)  # fmt: skip


def test_serve_retries_a_camera_that_starts_late_and_cameras_list_says_why(
    tmp_path: Path, mediamtx: MediaMTXServer, minio: S3Target
) -> None:
    cli = Cli(tmp_path, mediamtx, minio)
    assert cli.run("cameras", "add", "Late", mediamtx.endpoints.rtsp_url("late")).returncode == 0
    serve = cli.start("serve", "--duration", "40")
    publisher = FieldPublisher(FieldCamera(), mediamtx.endpoints.rtsp_url("late"), tmp_path)
    try:
        deadline = time.monotonic() + 30
        listed = ""
        while time.monotonic() < deadline and "waiting for the camera, retrying in" not in listed:
            listed = cli.run("cameras", "list").stdout
            time.sleep(0.5)
        assert "waiting for the camera, retrying in" in listed and "no media" in listed, listed
        publisher.start()  # the camera comes up after serve gave up on its first try
        while time.monotonic() < deadline + 30 and "  running" not in listed:
            listed = cli.run("cameras", "list").stdout
            time.sleep(0.5)
        assert "  running" in listed, listed
    finally:
        serve.terminate()
        out, err = serve.communicate(timeout=60)
        publisher.stop()
    assert serve.returncode == 0, err[-3000:]
    assert "Late: waiting for the camera, retrying in" in out and "Late: ok" in out, out
    recordings = cli.run("recordings", "list").stdout
    assert "Late" in recordings, recordings


def test_cameras_add_reads_the_password_from_stdin_and_warns_about_one_in_the_url(
    tmp_path: Path, mediamtx: MediaMTXServer, minio: S3Target
) -> None:
    server = CameraServer(tmp_path / "camera-server")
    server.start()
    publisher = FieldPublisher(FieldCamera(), server.url("gate"), tmp_path)
    publisher.start()
    try:
        wait_path_ready(server.server, "gate")
        cli = Cli(tmp_path, mediamtx, minio)
        added = cli.run("cameras", "add", "Gate", server.url("gate", with_credentials=False).replace(
            "rtsp://", f"rtsp://{server.user}@"), "--password-stdin", stdin=server.password + "\n")  # fmt: skip
        assert added.returncode == 0 and "warning" not in added.stderr, added.stderr
        in_url = cli.run("cameras", "add", "Yard", server.url("gate"))
        assert in_url.returncode == 0, in_url.stderr
        assert "warning: the password in the URL" in in_url.stderr and server.password not in in_url.stderr
        listed = cli.run("cameras", "list").stdout
        assert server.password not in listed and f"{server.user}:***@" in listed, listed
        catalog = (tmp_path / "data" / "vidstream" / "catalog.sqlite3").read_bytes()
        assert server.password.encode() not in catalog
        served = cli.run("serve", "--duration", "4")  # both passwords reach the camera from the keyring
        assert served.returncode == 0, served.stderr[-3000:]
        assert "Gate: ok" in served.stdout and "Yard: ok" in served.stdout, served.stdout
        assert server.password not in served.stdout + served.stderr
    finally:
        publisher.stop()
        server.stop()
