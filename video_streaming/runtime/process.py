"""A child process the app owns: started in its own session, logged to a file, stopped for sure."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import cast

from video_streaming.domain.camera import mask_url
from video_streaming.private_files import child_environment


def _libc_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return cast(Callable[..., int], ctypes.CDLL("libc.so.6", use_errno=True).prctl)
    except OSError:
        return None


# Looked up here, in the parent: between fork and exec the child should not import or load libraries
# (another thread of a busy parent may hold a lock the child would wait on forever).
_PRCTL = _libc_prctl()


def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGTERM when the app dies, so a crash never leaves servers behind."""
    if _PRCTL is not None:
        pr_set_pdeathsig = 1
        _PRCTL(pr_set_pdeathsig, signal.SIGTERM)


def private_child() -> None:  # pragma: no cover - runs in the child between fork and exec
    """What an app-owned server writes (MinIO's objects, MediaMTX's files, logs) is ours alone, whatever
    the umask of the program that embeds the core."""
    os.umask(0o077)
    die_with_parent()


# Never handed to a child: the app's own secrets, and the cloud keys only the app's S3 client uses.
class ManagedProcess:
    def __init__(self, name: str, argv: Sequence[str], log_path: Path, env: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.env = dict(env) if env is not None else None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._process.poll() if self._process else None

    def start(self) -> None:
        if self.running:
            return
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        environment = child_environment(self.env)
        # A server's log tells what it served and to whom: 0600 whatever the embedding program's umask.
        descriptor = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        with open(descriptor, "ab") as log:
            # Own session: a Ctrl-C in the terminal reaches the app, which then stops children in order.
            self._process = subprocess.Popen(  # noqa: S603 - argv is a list built by the app, no shell
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
                start_new_session=True,
                preexec_fn=private_child if sys.platform.startswith("linux") else None,
            )

    def stop(self, timeout: float = 5.0) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL, as a crash would: used by fault tests and as the last resort of stop()."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)

    def log_tail(self, max_bytes: int = 4000) -> str:
        try:
            data = self.log_path.read_bytes()[-max_bytes:]
        except OSError:
            return ""
        return mask_url(data.decode("utf-8", "replace"))
