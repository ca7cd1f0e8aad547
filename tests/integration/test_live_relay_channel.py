"""The live relay's channel to its player is private: real MediaMTX and ffmpeg. The relay's ffmpeg opens no
socket but its RTSP connection to the media server (no UDP port another account could bind beside the
player, as the former loopback channel allowed), and the FIFO it writes to can be opened by this account
alone. A restarted ffmpeg writes into the same FIFO without the reader ever seeing an end of stream, and
what arrives while no player reads is dropped, not kept for the next one."""

from __future__ import annotations

import array
import fcntl
import os
import select
import signal
import stat
import subprocess
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.fixtures.environment import missing_prerequisite
from tests.fixtures.field_cameras import FieldCamera, FieldPublisher
from tests.fixtures.local_user import as_other_user
from tests.fixtures.servers import wait_path_ready
from tests.fixtures.waiting import until_sync
from video_streaming.adapters.live_relay import FFmpegLiveRelay, FFmpegLiveRelays
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera

TS_PACKET = 188


@pytest.fixture
def relays() -> Iterator[FFmpegLiveRelays]:
    opened = FFmpegLiveRelays()
    if not opened.available:
        missing_prerequisite("the live relay needs ffmpeg (make setup installs it)")
    yield opened
    assert opened.close_all(5), "a relay did not end within 5 s"


def channel_path(relay: FFmpegLiveRelay) -> Path:
    parts = urlsplit(relay.player_url)
    assert parts.scheme == "stream", relay.player_url
    return Path(unquote(parts.path))


def running(relay: FFmpegLiveRelay, timeout: float = 10.0) -> int:
    until_sync(lambda: relay.pid is not None, timeout, "the relay's ffmpeg runs")
    assert relay.pid is not None
    return relay.pid


def read_for(reader: int, seconds: float) -> bytes:
    """What the reader gets within `seconds`; fails on an end of stream."""
    data = bytearray()
    deadline = time.monotonic() + seconds
    poller = select.poll()
    poller.register(reader, select.POLLIN)
    while time.monotonic() < deadline:
        if poller.poll(50):
            try:
                chunk = os.read(reader, 1 << 16)
            except BlockingIOError:
                continue
            assert chunk, "the player's side of the channel read an end of stream"
            data += chunk
    return bytes(data)


def first_bytes(reader: int, timeout: float = 10.0, at_least: int = 4096) -> bytes:
    """What the reader gets once `at_least` bytes have come (a slow probe on a loaded machine may take seconds)."""
    data = bytearray()
    deadline = time.monotonic() + timeout
    while len(data) < at_least and time.monotonic() < deadline:
        data += read_for(reader, 0.2)
    return bytes(data)


def is_mpeg_ts(data: bytes) -> bool:
    start = data.find(b"\x47")
    packets = data[start:]
    return len(packets) >= 10 * TS_PACKET and all(packets[i] == 0x47 for i in range(0, 10 * TS_PACKET, TS_PACKET))


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def sockets_by_table(pid: int) -> dict[str, list[list[str]]]:
    """The process's sockets, by the kernel table that lists them (tcp, tcp6, udp, udp6, raw, raw6, unix)."""
    mine = socket_inodes(pid)
    found: dict[str, list[list[str]]] = {}
    for table in ("tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw", "raw6", "unix"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        lines = path.read_text().splitlines()[1:]
        inode_column = 6 if table == "unix" else 9
        rows = [line.split() for line in lines]
        hits = [row for row in rows if len(row) > inode_column and row[inode_column] in mine]
        if hits:
            found[table] = hits
    return found


def test_the_relay_opens_no_socket_but_its_rtsp_connection(  # type: ignore[no-untyped-def]
    relays, mediamtx: MediaMTXServer, camera: SyntheticCamera,
) -> None:  # fmt: skip
    relay = relays.open(mediamtx.endpoints.rtsp_url("cam1"))
    assert isinstance(relay, FFmpegLiveRelay)
    relay.attach_player()
    reader = os.open(channel_path(relay), os.O_RDONLY | os.O_NONBLOCK)
    try:
        pid = running(relay)
        assert is_mpeg_ts(read_for(reader, 2.0)), "the camera's MPEG-TS comes through the channel"
        tables = sockets_by_table(pid)
        assert set(tables) == {"tcp"}, f"sockets other than one TCP connection: {tables}"
        [connection] = tables["tcp"]
        remote_port = int(connection[2].split(":")[1], 16)
        state = connection[3]
        assert remote_port == mediamtx.endpoints.rtsp_port and state == "01", connection  # ESTABLISHED, not LISTEN
        assert len(socket_inodes(pid)) == 1
    finally:
        os.close(reader)


def test_only_this_account_can_open_the_channel(  # type: ignore[no-untyped-def]
    relays, mediamtx: MediaMTXServer, camera: SyntheticCamera,
) -> None:  # fmt: skip
    relay = relays.open(mediamtx.endpoints.rtsp_url("cam1"))
    assert isinstance(relay, FFmpegLiveRelay)
    pid = running(relay)
    path = channel_path(relay)
    fifo, folder = path.stat(), path.parent.stat()
    assert stat.S_ISFIFO(fifo.st_mode) and stat.S_IMODE(fifo.st_mode) == 0o600 and fifo.st_uid == os.geteuid()
    assert stat.S_IMODE(folder.st_mode) == 0o700 and folder.st_uid == os.geteuid()
    written_to = os.stat(f"/proc/{pid}/fd/1")  # ffmpeg's stdout is that FIFO, nothing else
    assert (written_to.st_dev, written_to.st_ino) == (fifo.st_dev, fifo.st_ino)

    # Another account gets at it neither by its name nor through ffmpeg's descriptor: to watch, or to write
    # pictures of its own into the tile.
    for target in (str(path), f"/proc/{pid}/fd/1"):
        watch = as_other_user(["timeout", "5", "head", "-c", "188", target])
        assert watch.returncode != 0 and not watch.stdout, (target, watch)
        assert "Permission denied" in watch.stderr, (target, watch.stderr)
        spoof = as_other_user(["timeout", "5", "tee", target], input="G" * 188)
        assert spoof.returncode != 0 and "Permission denied" in spoof.stderr, (target, spoof.stderr)
    listing = as_other_user(["ls", str(path.parent)])
    assert listing.returncode != 0 and "relay-" not in listing.stdout

    relay.close()
    assert relay.wait_closed(5)
    assert not path.exists(), "a closed relay's FIFO is removed: a late player opens nothing"


def test_a_restarted_relay_writes_into_the_same_channel_and_the_player_reads_no_end(  # type: ignore[no-untyped-def]
    relays, mediamtx: MediaMTXServer, camera: SyntheticCamera,
) -> None:  # fmt: skip
    relay = relays.open(mediamtx.endpoints.rtsp_url("cam1"))
    assert isinstance(relay, FFmpegLiveRelay)
    relay.attach_player()
    url = relay.player_url
    reader = os.open(channel_path(relay), os.O_RDONLY | os.O_NONBLOCK)
    try:
        first = running(relay)
        assert read_for(reader, 1.0)
        os.kill(first, signal.SIGKILL)  # ffmpeg gone, as when a camera drops: restarted after the back-off
        until_sync(lambda: relay.pid not in (None, first), 10, "the relay's ffmpeg is started again")
        assert is_mpeg_ts(read_for(reader, 2.0)), "the same reader gets the new run's stream"
        assert relay.player_url == url
    finally:
        os.close(reader)


def bytes_written(pid: int) -> int:
    fields = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
    return int(fields["wchar"])


def pending_bytes(fd: int) -> int:
    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count)
    return count[0]


def test_what_arrives_while_no_player_reads_is_dropped(  # type: ignore[no-untyped-def]
    relays, mediamtx: MediaMTXServer, camera: SyntheticCamera,
) -> None:  # fmt: skip
    relay = relays.open(mediamtx.endpoints.rtsp_url("cam1"))
    assert isinstance(relay, FFmpegLiveRelay)
    pid = running(relay)
    reader = os.open(channel_path(relay), os.O_RDONLY | os.O_NONBLOCK)
    try:
        # No player while ffmpeg writes 256 KB (~2.5 s of the camera): all of it would be waiting in the FIFO
        # for the next player. A frame or so may be in flight.
        written = bytes_written(pid)
        until_sync(lambda: bytes_written(pid) - written > 256 * 1024, 15, "ffmpeg writes 256 KB")
        relay.attach_player()
        assert pending_bytes(reader) < 64 * 1024
        assert is_mpeg_ts(read_for(reader, 1.0))
        assert relay.pid == pid, "ffmpeg ran on all along"
    finally:
        os.close(reader)


def test_channel_folders_left_by_a_killed_app_are_removed(  # type: ignore[no-untyped-def]
    mediamtx: MediaMTXServer, camera: SyntheticCamera, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()
    abandoned = tmp_path / f"vidstream-relay-{gone.pid}-x1"  # as a SIGKILLed app leaves it: its FIFOs inside
    abandoned.mkdir(mode=0o700)
    os.mkfifo(abandoned / "relay-0.ts", 0o600)
    running_app = tmp_path / f"vidstream-relay-{os.getppid()}-x2"  # a process that is still there
    running_app.mkdir(mode=0o700)
    relays = FFmpegLiveRelays()
    relay = relays.open(mediamtx.endpoints.rtsp_url("cam1"))
    try:
        assert channel_path(relay).parent.parent == tmp_path
        assert not abandoned.exists() and running_app.exists()
    finally:
        assert relays.close_all(5)
    left = sorted(p.name for p in tmp_path.glob("vidstream-relay-*"))
    assert left == [running_app.name], "ours is removed at close too"


def test_every_player_of_an_mjpeg_relay_reads_its_stream_from_the_first_boundary(  # type: ignore[no-untyped-def]
    relays, mediamtx: MediaMTXServer, tmp_path: Path,
) -> None:  # fmt: skip
    # libvlc's mjpeg demuxer opens multipart JPEG only at a boundary, which ffmpeg writes once at the start of
    # its run: a player that comes after another one, or after the channel dropped the start, gets a new run.
    publisher = FieldPublisher(FieldCamera(video="mjpeg", width=320, height=240), mediamtx.endpoints.rtsp_url("mj"),
                               tmp_path)  # fmt: skip
    publisher.start()
    try:
        wait_path_ready(mediamtx, "mj")
        relay = relays.open(mediamtx.endpoints.rtsp_url("mj"), video_codec="M-JPEG")
        assert isinstance(relay, FFmpegLiveRelay) and relay.container == "mjpeg"
        relay.attach_player()
        reader = os.open(channel_path(relay), os.O_RDONLY | os.O_NONBLOCK)
        try:
            first_run = running(relay)
            first = first_bytes(reader)
            assert first.startswith(b"--") and b"Content-type: image/jpeg" in first, first[:80]
            relay.detach_player()  # the next frames are dropped: the stream goes on mid-way
            written = bytes_written(first_run)
            until_sync(lambda: bytes_written(first_run) - written > 20 * 1024, 10, "ffmpeg writes 20 KB unread")
            relay.attach_player()
            second = first_bytes(reader)
            assert second.startswith(b"--"), second[:80]
            assert relay.pid not in (None, first_run), "a new run for the new player"
        finally:
            os.close(reader)
    finally:
        publisher.stop()
