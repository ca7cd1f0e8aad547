"""Start a local MinIO on loopback with generated credentials (never minioadmin outside a test)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from video_streaming.domain.errors import ServerUnreachable
from video_streaming.private_files import private_dir
from video_streaming.runtime.binaries import find_binary
from video_streaming.runtime.ports import free_tcp_port
from video_streaming.runtime.process import ManagedProcess


@dataclass
class MinIOCredentials:
    access_key: str
    secret_key: str = field(repr=False)

    @classmethod
    def generate(cls) -> MinIOCredentials:
        return cls(access_key="vs" + secrets.token_hex(9), secret_key=secrets.token_urlsafe(30))


class MinIOServer:
    def __init__(
        self,
        data_dir: Path,
        credentials: MinIOCredentials | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.credentials = credentials or MinIOCredentials.generate()
        self.host = host
        self.port = port or free_tcp_port(host)
        self.console_port = self._other_port()
        private_dir(data_dir)  # MinIO's stored objects are the footage itself
        self.process = self._process()

    def _process(self) -> ManagedProcess:
        return ManagedProcess(
            "minio",
            [
                str(find_binary("minio")),
                "server",
                str(self.data_dir / "data"),
                "--address",
                f"{self.host}:{self.port}",
                "--console-address",
                f"{self.host}:{self.console_port}",
                "--quiet",
            ],
            self.data_dir / "minio.log",
            env={
                "MINIO_ROOT_USER": self.credentials.access_key,
                "MINIO_ROOT_PASSWORD": self.credentials.secret_key,
                "MINIO_BROWSER": "off",
                "MINIO_UPDATE": "off",
                "MINIO_CALLHOME_ENABLE": "off",
            },
        )

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0, attempts: int = 3) -> None:
        """A port found free can be taken before MinIO binds it (an outgoing connection of another program
        gets it as its local port): MinIO then starts again on ports picked anew."""
        for attempt in range(attempts):
            self.process.start()
            try:
                self.wait_ready(timeout)
                return
            except ServerUnreachable as error:
                exited = not self.process.running  # a timeout is not a taken port
                if not exited or "already in use" not in str(error) or attempt == attempts - 1:
                    raise
            self.port = free_tcp_port(self.host)
            self.console_port = self._other_port()
            self.process = self._process()

    def _other_port(self) -> int:
        """A free port for the console that is not the API's: the system may hand out a port it has just
        handed out (and closed) again, and MinIO then answers on the API port and dies binding the console."""
        port = free_tcp_port(self.host)
        while port == self.port:
            port = free_tcp_port(self.host)
        return port

    def stop(self) -> None:
        self.process.stop()

    def kill(self) -> None:
        self.process.kill()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.process.running:
                raise ServerUnreachable(f"MinIO exited at start: {self.process.log_tail(800)}")
            try:
                ready = httpx.get(f"{self.endpoint_url}/minio/health/ready", timeout=1.0, trust_env=False)
                if ready.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ServerUnreachable(f"MinIO did not become ready within {timeout:.0f} s", self.process.log_tail(800))
