"""The harness side of bench.wall_app: start it, read its JSON events, send commands, always stop it."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import REPO_DIR, python_cmd


class WallProcess:
    def __init__(self, options: dict[str, Any], log_path: Path) -> None:
        self.options = options
        self.log_path = log_path
        self.process: subprocess.Popen[str] | None = None
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                python_cmd("bench.wall_app", json.dumps(self.options)),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                cwd=REPO_DIR,
                env={**os.environ, "QT_QPA_PLATFORM": "xcb"},
                start_new_session=True,
            )
        self._reader = threading.Thread(target=self._read, name="wall-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            line = line.strip()
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    self._events.put(json.loads(line))
        self._events.put({"event": "exited"})

    def wait_event(self, name: str, timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"bench wall: no {name!r} within {timeout_s:.0f} s (log: {self.log_path})")
            try:
                event = self._events.get(timeout=remaining)
            except queue.Empty:
                continue
            if event.get("event") == name:
                return event
            if event.get("event") == "exited":
                raise RuntimeError(f"bench wall exited before {name!r} (log: {self.log_path})")

    def send(self, command: str) -> None:
        if self.process and self.process.stdin and self.process.poll() is None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.process.stdin.write(command + "\n")
                self.process.stdin.flush()

    def stop(self, timeout_s: float = 10.0) -> None:
        process = self.process
        if process is None:
            return
        self.send("quit")
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> WallProcess:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
