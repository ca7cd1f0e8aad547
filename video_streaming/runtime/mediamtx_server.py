"""Start MediaMTX with the shipped mediamtx.yml on loopback ports and generated API credentials."""

from __future__ import annotations

import json
import secrets
import tempfile
import time
from collections.abc import Mapping, Sequence
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
    # The app's own readers (tiles, recorders, thumbnails, pulls of cameras that push here): new every run.
    reader_user: str = "vidstream-reader"
    reader_password: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}"

    def rtsp_url(self, path: str) -> str:
        return f"rtsp://{self.host}:{self.rtsp_port}/{path}"

    def rtmp_url(self, path: str) -> str:
        return f"rtmp://{self.host}:{self.rtmp_port}/{path}"

    def hls_url(self, path: str) -> str:
        return f"http://{self.host}:{self.hls_port}/{path}/index.m3u8"

    def reader_url(self, path: str) -> str:
        """RTSP with this run's reader password: for the app's own readers, never for a command line."""
        return f"rtsp://{self.reader_user}:{self.reader_password}@{self.host}:{self.rtsp_port}/{path}"

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


@dataclass(frozen=True)
class Publisher:
    """A camera that pushes into the app's MediaMTX: it may publish on its one path, with its own password."""

    user: str
    password: str = field(repr=False)
    path: str


def auth_users(
    endpoints: MediaMTXEndpoints, publishers: Sequence[Publisher] = (), anonymous_loopback: bool = False
) -> list[dict[str, Any]]:
    """Who may do what: nobody anonymous (a local user is not the operator), the app's API and reader
    users with this run's passwords, and each pushing camera on its own path only."""
    users: list[dict[str, Any]] = [
        {"user": endpoints.api_user, "pass": endpoints.api_password, "ips": LOOPBACK_IPS,
         "permissions": [{"action": "api"}, {"action": "metrics"}]},
        {"user": endpoints.reader_user, "pass": endpoints.reader_password, "ips": LOOPBACK_IPS,
         "permissions": [{"action": "read"}, {"action": "playback"}]},
    ]  # fmt: skip
    users += [{"user": p.user, "pass": p.password, "ips": [], "permissions": [{"action": "publish", "path": p.path}]}
              for p in publishers]  # fmt: skip
    if anonymous_loopback:  # test servers only: their synthetic cameras publish and are probed without a login
        users.append({"user": "any", "pass": "", "ips": LOOPBACK_IPS,
                      "permissions": [{"action": "publish"}, {"action": "read"}, {"action": "playback"}]})  # fmt: skip
    return users


def render_config(
    endpoints: MediaMTXEndpoints, base: dict[str, Any], publishers: Sequence[Publisher] = (),
    anonymous_loopback: bool = False,
) -> dict[str, Any]:  # fmt: skip
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
            "authInternalUsers": auth_users(endpoints, publishers, anonymous_loopback),
        }
    )
    return config


class MediaMTXServer:
    """An app-owned MediaMTX. `restart()` keeps the same ports, as a service manager would."""

    def __init__(
        self, work_dir: Path, endpoints: MediaMTXEndpoints | None = None, *, anonymous_loopback: bool = False,
        socket_paths: Sequence[str] = (), overrides: Mapping[str, Any] | None = None,
    ) -> None:  # fmt: skip
        """`overrides` replace settings of the rendered config at every write (e.g. a test's camera-side
        server with digest authentication and users of its own)."""
        self.work_dir = work_dir
        self.endpoints = endpoints or MediaMTXEndpoints.allocate()
        self.anonymous_loopback = anonymous_loopback
        self.overrides = dict(overrides or {})
        self.publishers: list[Publisher] = []  # kept for a restart, which reads the config file again
        # Paths fed with MPEG-TS over a Unix socket in a 0700 folder (the demo cameras): only this account
        # can publish there, and no password is needed on the publisher's command line.
        self.sockets: dict[str, Path] = {}
        if socket_paths:
            # Private, and short: a socket's path must fit in 108 bytes (else a 0700 folder of /tmp, left there).
            folder = work_dir / "sockets"
            if len(str(folder / f"{len(socket_paths)}.sock").encode()) > 100:
                folder = Path(tempfile.mkdtemp(prefix="vidstream-mtx-"))
            private_dir(folder)
            self.sockets = {path: folder / f"{index}.sock" for index, path in enumerate(socket_paths)}
        self.config_path = work_dir / "mediamtx.runtime.yml"
        base = yaml.safe_load(project_file("mediamtx.yml").read_text()) or {}
        private_dir(work_dir)
        self._base = base
        self._write_config()
        self.process = ManagedProcess(
            "mediamtx", [str(find_binary("mediamtx")), str(self.config_path)], work_dir / "mediamtx.log"
        )

    def auth_users(self) -> list[dict[str, Any]]:
        return auth_users(self.endpoints, self.publishers, self.anonymous_loopback)

    def _write_config(self) -> None:
        # JSON is valid YAML. It holds the passwords: a new inode, 0600 from its creation.
        config = render_config(self.endpoints, self._base, self.publishers, self.anonymous_loopback)
        config["paths"] = {**{path: {"source": f"unix+mpegts://{sock}"} for path, sock in self.sockets.items()},
                           **(config.get("paths") or {})}  # fmt: skip
        config.update(self.overrides)
        write_private_file(self.config_path, json.dumps(config, indent=1))

    def start(self, timeout: float = 15.0) -> None:
        if not self.process.running:
            self._write_config()  # with the publishers added while it ran
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
                    response = httpx.get(f"{self.endpoints.api_url}/v3/paths/get/{path}", auth=auth, timeout=1.0,
                                         trust_env=False)  # fmt: skip
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
                response = httpx.get(f"{self.endpoints.api_url}/v3/paths/list", auth=auth, timeout=1.0,
                                     trust_env=False)  # fmt: skip
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise ServerUnreachable(f"MediaMTX did not answer within {timeout:.0f} s", self.process.log_tail(800))
