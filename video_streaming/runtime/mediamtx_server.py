"""Start MediaMTX with the shipped mediamtx.yml on loopback ports and generated API credentials."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from video_streaming.domain.errors import ServerUnreachable
from video_streaming.private_files import private_dir, write_private_file
from video_streaming.runtime.binaries import find_binary, project_file
from video_streaming.runtime.ports import free_tcp_port, free_udp_port
from video_streaming.runtime.process import ManagedProcess

LOOPBACK_IPS = ["127.0.0.1", "::1"]


@dataclass
class MediaMTXEndpoints:
    host: str
    api_port: int
    rtsp_port: int
    rtmp_port: int
    hls_port: int
    srt_port: int
    api_user: str
    api_password: str = field(repr=False)

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}"

    def rtsp_url(self, path: str) -> str:
        return f"rtsp://{self.host}:{self.rtsp_port}/{path}"

    def rtmp_url(self, path: str) -> str:
        return f"rtmp://{self.host}:{self.rtmp_port}/{path}"

    def hls_url(self, path: str) -> str:
        return f"http://{self.host}:{self.hls_port}/{path}/index.m3u8"

    def srt_url(self, path: str) -> str:
        # Latency is left to the reader: VLC takes `:latency=` in ms, ffmpeg `latency=` in µs.
        return f"srt://{self.host}:{self.srt_port}?streamid=read:{path}"

    @classmethod
    def allocate(cls, host: str = "127.0.0.1") -> MediaMTXEndpoints:
        return cls(
            host=host,
            api_port=free_tcp_port(host),
            rtsp_port=free_tcp_port(host),
            rtmp_port=free_tcp_port(host),
            hls_port=free_tcp_port(host),
            srt_port=free_udp_port(host),
            api_user="vidstream-api",
            api_password=secrets.token_urlsafe(24),
        )


def render_config(endpoints: MediaMTXEndpoints, base: dict[str, Any]) -> dict[str, Any]:
    """The shipped config with this instance's addresses and credentials."""
    config = dict(base)
    host = endpoints.host
    config.update(
        {
            "api": True,
            "apiAddress": f"{host}:{endpoints.api_port}",
            "rtspAddress": f"{host}:{endpoints.rtsp_port}",
            "rtmpAddress": f"{host}:{endpoints.rtmp_port}",
            "hlsAddress": f"{host}:{endpoints.hls_port}",
            "srtAddress": f"{host}:{endpoints.srt_port}",
            "authInternalUsers": [
                {
                    "user": "any",
                    "pass": "",
                    "ips": LOOPBACK_IPS,
                    "permissions": [{"action": "publish"}, {"action": "read"}, {"action": "playback"}],
                },
                {
                    "user": endpoints.api_user,
                    "pass": endpoints.api_password,
                    "ips": LOOPBACK_IPS,
                    "permissions": [{"action": "api"}, {"action": "metrics"}],
                },
            ],
        }
    )
    return config


class MediaMTXServer:
    """An app-owned MediaMTX. `restart()` keeps the same ports, as a service manager would."""

    def __init__(self, work_dir: Path, endpoints: MediaMTXEndpoints | None = None) -> None:
        self.work_dir = work_dir
        self.endpoints = endpoints or MediaMTXEndpoints.allocate()
        self.config_path = work_dir / "mediamtx.runtime.yml"
        base = yaml.safe_load(project_file("mediamtx.yml").read_text()) or {}
        private_dir(work_dir)
        # JSON is valid YAML. It holds the API password: a new inode, 0600 from its creation.
        write_private_file(self.config_path, json.dumps(render_config(self.endpoints, base), indent=1))
        self.process = ManagedProcess(
            "mediamtx", [str(find_binary("mediamtx")), str(self.config_path)], work_dir / "mediamtx.log"
        )

    def start(self, timeout: float = 15.0) -> None:
        self.process.start()
        self.wait_ready(timeout)

    def stop(self) -> None:
        self.process.stop()

    def kill(self) -> None:
        self.process.kill()

    def restart(self, timeout: float = 15.0) -> None:
        self.stop()
        self.start(timeout)

    def wait_paths_ready(self, paths: list[str], timeout: float) -> bool:
        """Wait until every path has a ready source; False on timeout (callers carry on regardless)."""
        deadline = time.monotonic() + timeout
        auth = (self.endpoints.api_user, self.endpoints.api_password)
        pending = set(paths)
        while pending and time.monotonic() < deadline:
            for path in list(pending):
                try:
                    response = httpx.get(f"{self.endpoints.api_url}/v3/paths/get/{path}", auth=auth, timeout=1.0)
                except httpx.HTTPError:
                    continue
                if response.status_code == 200 and response.json().get("ready"):
                    pending.discard(path)
            if pending:
                time.sleep(0.1)
        return not pending

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        auth = (self.endpoints.api_user, self.endpoints.api_password)
        while time.monotonic() < deadline:
            if not self.process.running:
                raise ServerUnreachable(
                    f"MediaMTX exited at start (code {self.process.returncode}): {self.process.log_tail(800)}",
                    "check that its ports are free",
                )
            try:
                response = httpx.get(f"{self.endpoints.api_url}/v3/paths/list", auth=auth, timeout=1.0)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise ServerUnreachable(f"MediaMTX did not answer within {timeout:.0f} s", self.process.log_tail(800))
