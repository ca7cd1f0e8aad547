"""Baseline players run side by side with our tiles: plain `cvlc` and a tuned `ffplay`.

cvlc refuses to run as root, so it runs as uid/gid 65534 (setpriv) with a home of its own and a copy of
the X cookie it can read. Each baseline draws into a plain X window the harness creates at a known place
(`cvlc --drawable-xid`, `ffplay -left/-top/-x/-y`), the same size as the tile it is compared with.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.xgrab import XGrabber

NOBODY = 65534


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


def grid_rects(count: int, width: int, height: int, columns: int) -> list[Rect]:
    return [Rect((i % columns) * width, (i // columns) * height, width, height) for i in range(count)]


@contextlib.contextmanager
def unprivileged_home() -> Iterator[dict[str, str]]:
    """Environment for a child running as nobody: its own HOME, and the X cookie copied where it can read."""
    home = Path(tempfile.mkdtemp(prefix="vidstream-bench-nobody-"))
    try:
        os.chmod(home, 0o755)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DISPLAY": os.environ.get("DISPLAY", ""),
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(home),
            "LANG": "C.UTF-8",
        }
        cookie = os.environ.get("XAUTHORITY")
        if cookie and Path(cookie).exists():
            copy = home / ".Xauthority"
            shutil.copyfile(cookie, copy)
            os.chown(copy, NOBODY, NOBODY)
            os.chmod(copy, 0o600)
            env["XAUTHORITY"] = str(copy)
        if os.geteuid() == 0:
            os.chown(home, NOBODY, NOBODY)
        yield env
    finally:
        shutil.rmtree(home, ignore_errors=True)


def cvlc_argv(url: str, window: int, caching_ms: int | None) -> list[str]:
    argv = ["cvlc", "--vout=xcb_x11", "--no-video-title-show", f"--drawable-xid={window}"]
    if caching_ms is not None:
        argv.append(f"--network-caching={caching_ms}")
    argv.append(url)
    if os.geteuid() == 0:  # vlc will not run as root
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
    return argv


FFPLAY_TUNED = [
    "-fflags",
    "nobuffer",
    "-flags",
    "low_delay",
    "-probesize",
    "32",
    "-analyzeduration",
    "0",
    "-sync",
    "video",
]


def ffplay_argv(url: str, rect: Rect) -> list[str]:
    transport = ["-rtsp_transport", "tcp"] if url.startswith("rtsp://") else []  # MediaMTX serves RTSP over TCP only
    return [
        "ffplay",
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostats",
        *FFPLAY_TUNED,
        "-an",
        "-noborder",
        "-left",
        str(rect.x),
        "-top",
        str(rect.y),
        "-x",
        str(rect.width),
        "-y",
        str(rect.height),
        *transport,
        url,
    ]


class ExternalPlayers:
    """N baseline players of one kind; stop() ends every process it started."""

    def __init__(self, kind: str, urls: Sequence[str], rects: Sequence[Rect], log_dir: Path) -> None:
        if kind not in ("cvlc-default", "cvlc-100", "ffplay"):
            raise ValueError(kind)
        self.kind, self.urls, self.rects, self.log_dir = kind, list(urls), list(rects), log_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        self._x: XGrabber | None = None
        self._windows: list[int] = []
        self._home: contextlib.ExitStack | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._home = contextlib.ExitStack()
        try:
            if self.kind.startswith("cvlc"):
                env = self._home.enter_context(unprivileged_home())
                self._x = XGrabber()
                caching = 100 if self.kind == "cvlc-100" else None
                for index, (url, rect) in enumerate(zip(self.urls, self.rects, strict=True)):
                    window = self._x.create_window(rect.x, rect.y, rect.width, rect.height)
                    self._windows.append(window)
                    self._spawn(cvlc_argv(url, window, caching), env, index)
            else:
                env = {**os.environ, "SDL_AUDIODRIVER": "dummy"}
                for index, (url, rect) in enumerate(zip(self.urls, self.rects, strict=True)):
                    self._spawn(ffplay_argv(url, rect), env, index)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, argv: list[str], env: dict[str, str], index: int) -> None:
        with open(self.log_dir / f"{self.kind}-{index}.log", "ab") as log:
            self.processes.append(
                subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True
                )
            )

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes = []
        if self._x is not None:
            for window in self._windows:
                with contextlib.suppress(Exception):
                    self._x.destroy_window(window)
            self._x.close()
            self._x = None
        self._windows = []
        if self._home is not None:
            self._home.close()
            self._home = None

    def __enter__(self) -> ExternalPlayers:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
