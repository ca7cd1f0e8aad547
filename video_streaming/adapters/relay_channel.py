"""The private channel from a live relay's ffmpeg to its player: a FIFO in a folder only this account can
enter. It replaced a loopback UDP port, which any local account could bind beside the player (the port had
to allow address reuse for libvlc) and read the camera's picture from.

- ffmpeg writes to the FIFO through an inherited descriptor (its stdout); the player opens it by name,
  as `stream:///…/relay-<random>.ts`. libvlc's file access serves `file://`, `fd://` and `stream://`
  alike, but only a `stream://` input is read as a live source (the others "can control pace": libvlc
  reads them by its own clock and never recovers it from the stream's, and 16 relayed players ran
  0.3-1.5 s behind the camera, against 0.13-0.15 s over `stream://` or the former UDP). The name is
  random and unlinked when the relay closes, so a player that opens late finds nothing rather than
  whatever a reused descriptor number (`fd://N`) points at by then.
- The channel keeps a write end of its own for its whole life: a restarted ffmpeg writes into the same
  FIFO and the player never reads an end of stream (MPEG-TS resyncs on the next packet), as it kept
  listening on the same port before.
- While no player reads (between a player going offline and the next one starting), the channel reads
  and drops what arrives, through a reading end of its own opened non-blocking. A datagram nobody
  listened for was lost the same way; a FIFO nobody reads would instead fill, stop ffmpeg, and hand the
  next player seconds of old pictures (ffmpeg's and MediaMTX's socket buffers behind it).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import select
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

from video_streaming.private_files import PRIVATE_FILE_MODE

# Room for a 1080p key frame (~300 KB) while the player's input thread sleeps between reads, like the
# 1 MiB send buffer of the former UDP channel (1 MiB is also Linux's default limit for an unprivileged
# process, fs.pipe-max-size). A full FIFO only makes ffmpeg wait: nothing is lost.
FIFO_BYTES = 1 << 20
# Whole MPEG-TS packets (188 bytes): ffmpeg writes whole ones, so the next player mostly starts on a boundary.
DRAIN_CHUNK = 188 * 348
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux's value; Python has the name from 3.10


FOLDER_PREFIX = "vidstream-relay-"


def private_channel_folder() -> Path:
    """A new folder of this account's (0700, random name) for the process's relay FIFOs: in the login's
    runtime folder where there is one (itself 0700, on tmpfs), else the temporary folder. Its name carries
    the process id, so the folders that killed processes left behind are removed here."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime if runtime and os.path.isdir(runtime) else tempfile.gettempdir())
    remove_abandoned_folders(base)
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=base))  # mkdtemp makes it 0700


def remove_abandoned_folders(base: Path) -> None:
    """Our channel folders whose process is gone (a crash or SIGKILL skips the clean-up at exit)."""
    for folder in base.glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        with contextlib.suppress(OSError, ValueError):
            info = folder.lstat()  # not followed: a link someone planted in /tmp is left alone
            if info.st_uid == os.geteuid() and stat.S_ISDIR(info.st_mode) and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process by now: not ours to judge
    return True


def remove_channel_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class RelayChannel:
    """One relay's FIFO: `write_fd` goes to each ffmpeg run, `player_url` to each player."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"relay-{secrets.token_hex(8)}.ts"
        os.mkfifo(self.path, PRIVATE_FILE_MODE)
        try:
            # The reading end first: opening a FIFO for writing waits until someone reads it.
            self._drain_fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            self.write_fd = os.open(self.path, os.O_WRONLY | os.O_CLOEXEC)
        except OSError:
            with contextlib.suppress(OSError):
                self.path.unlink()
            raise
        with contextlib.suppress(OSError):  # a lower limit leaves the default 64 KiB: slower, still lossless
            fcntl.fcntl(self.write_fd, _F_SETPIPE_SZ, FIFO_BYTES)
        self._state = threading.Condition()
        self._players = 0
        self._closed = False
        self.dropped_bytes = 0  # what the drainer (and discard) threw away, over the channel's life
        self._drainer = threading.Thread(target=self._drain, name=f"relay-drain-{self.path.name}", daemon=True)
        self._drainer.start()

    @property
    def player_url(self) -> str:
        return "stream://" + quote(str(self.path))  # libvlc decodes it as a file URL's path

    @property
    def players(self) -> int:
        """How many players read (attached and not yet detached)."""
        return self._players

    def attach_player(self) -> None:
        """A player is about to read: stop dropping what arrives."""
        with self._state:
            self._players += 1

    def detach_player(self) -> None:
        """The player is gone: drop what arrives until the next one reads."""
        with self._state:
            self._players = max(0, self._players - 1)
            self._state.notify_all()

    def discard(self) -> None:
        """Throw away what waits in the FIFO now (the writer must be stopped first, or this races it)."""
        with self._state, contextlib.suppress(BlockingIOError):
            # Under the lock: the drainer closes its reading end only after close(), which needs the lock.
            while not self._closed and (chunk := os.read(self._drain_fd, DRAIN_CHUNK)):
                self.dropped_bytes += len(chunk)

    def close(self) -> None:
        """No player can open it any more; the drainer closes the reading end and ends (at once: with no
        writer left its poll reports the hang-up)."""
        with self._state:
            if self._closed:
                return
            self._closed = True
            self._state.notify_all()
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self.write_fd)

    def join(self, timeout: float) -> bool:
        self._drainer.join(timeout)
        return not self._drainer.is_alive()

    def _drain(self) -> None:
        poller = select.poll()
        poller.register(self._drain_fd, select.POLLIN)
        try:
            while True:
                with self._state:
                    self._state.wait_for(lambda: self._closed or self._players == 0)
                    if self._closed:
                        return
                events = poller.poll(250)  # also wakes for a player's attach within a quarter second
                with self._state:
                    if self._closed:
                        return
                    if self._players or not events:
                        continue
                try:
                    chunk = os.read(self._drain_fd, DRAIN_CHUNK)
                    if not chunk:
                        return  # no writer at all: closed
                    self.dropped_bytes += len(chunk)
                except BlockingIOError:
                    pass  # a player that is still stopping read it first
        finally:
            os.close(self._drain_fd)
