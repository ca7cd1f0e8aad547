"""Live relay into a local player: ffmpeg `-c copy` from the media server's RTMP (H.264, see `use_rtmp`) or its
RTSP (interleaved over TCP) to MPEG-TS in a private FIFO that one player reads (relay_channel: no other local
account can open it, and the relay opens no socket but its connection to the server). One relay per playing
tile (a tile a smaller layout hides keeps its relay for a while: VideoTile.WARM_S).

Why a relay: Debian's libvlc has no RTSP client, and MediaMTX's SRT listener adds a fixed 120 ms of SRT
latency plus a PCR 100 ms behind the DTS. Measured with `python -m bench latency` (640x360@25 H.264):
the relayed tile is ~80 ms glass-to-glass over RTMP, ~120 ms over RTSP, ~330 ms over SRT (README, "Measured").

Each relay is supervised on a thread of its own: ffmpeg is restarted with back-off when it exits (a camera
that drops and returns), killed at once when its tile lets go of it, and sent SIGTERM by the kernel if the
app dies, even by SIGKILL (PR_SET_PDEATHSIG, set in the child before exec). The source URL may carry the
media server's read login: it reaches ffmpeg as an ffconcat script on an inherited pipe, never on the
command line.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from video_streaming.adapters.ffmpeg import (
    FAST_PROBE,
    READER_PROTOCOLS,
    SCRIPT_PROTOCOLS,
    input_script,
    is_rtmp,
    transport_options,
)
from video_streaming.adapters.recorder_codecs import RtmpRoute
from video_streaming.adapters.relay_channel import RelayChannel, private_channel_folder, remove_channel_folder
from video_streaming.domain.camera import mask_url
from video_streaming.ports import LiveRelay, LiveRelays, RelayState, RelayStatus
from video_streaming.private_files import child_environment
from video_streaming.runtime.process import die_with_parent

log = logging.getLogger(__name__)

# ffmpeg writes to its stdout, which is the channel's FIFO.
RELAY_DESTINATION = "pipe:1"

# Output side of the relay (measured into libvlc, see the module docstring): the muxer's default 0.7 s
# mux delay and 100 ms PCR period are both time the player waits; a PES of unbounded length keeps a
# frame in one unit; every packet leaves at once.
RELAY_OUTPUT: tuple[str, ...] = (
    "-f", "mpegts", "-muxdelay", "0.01", "-omit_video_pes_length", "0", "-pcr_period", "20",
    "-flush_packets", "1",
)  # fmt: skip
# -copyinkf: stream copy otherwise drops what comes before the first packet it takes for a key frame, and
# over MediaMTX's RTSP that was a whole key-frame interval every time (the second key frame after joining
# was the first picture, ~0.8 s later than over SRT); libvlc finds the key frame itself.
VIDEO_ONLY: tuple[str, ...] = ("-map", "0:v:0", "-c:v", "copy", "-copyinkf")
# Sound, for the one tile an operator listens to: the camera's first audio track (if any) as AAC, whatever it
# was (MPEG-TS has no place for G.711, which most cameras send). A 1 µs interleave limit sends every packet
# as it comes: the muxer never holds a picture back to wait for sound.
WITH_AUDIO: tuple[str, ...] = (
    "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "copy", "-copyinkf", "-c:a", "aac", "-b:a", "64k",
    "-max_interleave_delta", "1",
)  # fmt: skip


# The media server's SDP names the codecs and carries their parameters: a relay that only copies the video
# need not look at the stream first (~0.15 s sooner, measured as the first byte out). Sound is encoded, and
# its encoder wants the decoded format: the recorder's short probe.
VIDEO_PROBE: tuple[str, ...] = ("-fflags", "nobuffer", "-analyzeduration", "0", "-probesize", "32")
# Over RTMP the first FLV tag names the codec and carries its parameters, and the first picture is a key
# frame (MediaMTX starts a reader at one). `nobuffer` would throw away the packets read while probing, which
# over FLV is that key frame: the first picture then came a whole key-frame interval later (1.9 s against
# 0.5 s median, 12 starts at a 1 s GOP). No frame-rate guess (`fpsprobesize 0`): it waits for frames.
RTMP_VIDEO_PROBE: tuple[str, ...] = ("-analyzeduration", "0", "-probesize", "32", "-fpsprobesize", "0")


def relay_probe(audio: bool, source_url: str = "") -> list[str]:
    if is_rtmp(source_url):
        return list(RTMP_VIDEO_PROBE)
    return list(FAST_PROBE if audio else VIDEO_PROBE)


def source_options(audio: bool, source_url: str = "") -> list[str]:
    """The input's options, in the script. A video-only RTSP relay sets up the video track alone: with two
    tracks ffmpeg times each from its own first packet until the first RTCP report, then steps the video
    by up to ~1 s (measured by the recorder), which libvlc showed as a picture frozen that long. RTMP times
    every track from one clock and needs no such care."""
    if is_rtmp(source_url):
        return relay_probe(audio, source_url)
    return relay_probe(audio) + ([] if audio else ["-allowed_media_types", "video"])


def use_rtmp(audio: bool, video_codec: str | None) -> bool:
    """Which relays read the media server's RTMP instead of its RTSP: H.264 without sound. ffmpeg's RTP
    H.264 depacketizer holds each frame until the next one begins (one frame interval, 40 ms at 25 fps);
    RTMP delivers whole frames (`python -m bench latency`, README). ffmpeg 5.1 reads no H.265 from FLV, and a
    relay with sound keeps RTSP, where every audio codec the camera sends arrives."""
    return not audio and video_codec == "H264"


@dataclass(frozen=True)
class RelayFormat:
    """What the relay muxes into its channel: `container` names it for the player (LiveRelay.container)."""

    container: str
    output: tuple[str, ...]
    carries_audio: bool


MPEG_TS = RelayFormat("ts", RELAY_OUTPUT, carries_audio=True)
# ffmpeg's MPEG-TS muxer has no stream type for M-JPEG (it writes "private data" no player reads). Multipart
# JPEG (`mpjpeg`, what M-JPEG cameras serve over HTTP) writes each frame with its boundary after it, and
# libvlc's mjpeg demuxer stamps each frame as it arrives (a live source). Measured into libvlc through the
# FIFO (640x360@25 M-JPEG barcode camera, 2 runs): mpjpeg and raw `-f mjpeg` 110-194 ms behind the camera,
# first picture 1.1 s after the start; NUT (libvlc's avformat demuxer) as late but its first picture after
# 2.0-2.3 s; Matroska showed nothing.
MJPEG_PARTS = RelayFormat("mjpeg", ("-f", "mpjpeg", "-flush_packets", "1"), carries_audio=False)


def relay_format(video_codec: str | None) -> RelayFormat:
    """The container for a camera whose video the media server calls `video_codec` (None: not known)."""
    return MJPEG_PARTS if video_codec == "M-JPEG" else MPEG_TS


def uncarried_mjpeg(line: str) -> bool:
    """ffmpeg's warning when MPEG-TS got an M-JPEG track: the relay then learns the codec it was not told (a
    site's camera, say) and writes multipart JPEG from its next run."""
    return "codec mjpeg" in line and "private data stream" in line


def relay_argv(
    ffmpeg: str, script_fd: int, audio: bool = False, fmt: RelayFormat = MPEG_TS, source_url: str = ""
) -> list[str]:
    """ffmpeg's command line: the source (`source_url`) comes from the script on `script_fd` (see
    `input_script`), the output goes to stdout (the channel's FIFO). Sound only where the container has room
    for it."""
    audio = audio and fmt.carries_audio
    protocols = READER_PROTOCOLS if is_rtmp(source_url) else SCRIPT_PROTOCOLS
    return [
        ffmpeg, "-hide_banner", "-nostats", "-nostdin", "-loglevel", RELAY_LOGLEVEL,
        *relay_probe(audio, source_url),
        "-f", "concat", "-safe", "0", "-protocol_whitelist", protocols, "-i", f"/dev/fd/{script_fd}",
        *(WITH_AUDIO if audio else VIDEO_ONLY), *fmt.output, RELAY_DESTINATION,
    ]  # fmt: skip


# ffmpeg logs at info level with each line's level named (`level+info`): what it says at info is not a reason
# for anything, except "Output #0", which it prints once the output's header is written, i.e. once the input
# gave its first packet. Over RTMP that is the first key frame: how the relay tells RTMP that works for a
# camera from RTMP that does not.
RELAY_LOGLEVEL = "level+info"
QUIET_LEVELS = frozenset({"info", "verbose", "debug", "trace"})
OUTPUT_OPENED = "Output #0"
_LEVEL_TAG = re.compile(r"\[(trace|debug|verbose|info|warning|error|fatal|panic)\](?: |$)")
# What ffmpeg prints, untagged, when a repeated line ends: never a reason (the line it repeats was one).
_REPEATED = re.compile(r"^\s*Last message repeated \d+ times?$")


def split_level(line: str) -> tuple[str, str]:
    """ffmpeg's `[level] ` tag and the line without it (a line without one counts as a warning)."""
    match = _LEVEL_TAG.search(line)
    if match is None:
        return ("info" if _REPEATED.match(line) else "warning"), line
    return match.group(1), line[: match.start()] + line[match.end() :]


StatusListener = Callable[[RelayStatus], None]
_serial = itertools.count(1)


class FFmpegLiveRelay(LiveRelay):
    """One supervised ffmpeg relay. Created by `FFmpegLiveRelays.open`; `close()` from any thread."""

    BACKOFF_INITIAL_S = 0.5
    BACKOFF_MAX_S = 8.0
    STABLE_AFTER_S = 10.0  # a run this long was a working relay: the next failure starts the back-off afresh

    def __init__(
        self, ffmpeg: str, source_url: str, folder: Path, on_status: StatusListener | None = None,
        audio: bool = False, fmt: RelayFormat = MPEG_TS, fallback_url: str | None = None,
    ) -> None:  # fmt: skip
        """`fallback_url`: where to read from when `source_url` (the media server's RTMP) fails to start."""
        self._ffmpeg = ffmpeg
        self._source_url = source_url
        self._fallback_url = fallback_url
        self._run_wrote = False  # the current run has written its output's header (it had a first packet)
        self.audio = audio and fmt.carries_audio
        self._format = fmt
        self.container = fmt.container
        self.carries_audio = fmt.carries_audio
        self._on_status = on_status
        self._channel = RelayChannel(folder)
        self.name = f"live-relay-{next(_serial)}"
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._status = RelayStatus(RelayState.STARTING)
        self.runs = 0
        self._run_read = False  # a player has read the current run (multipart only: see attach_player)
        self._run_dropped_mark = 0  # the channel's dropped_bytes when the current run started
        self._restart_at_once = False  # the run was ended for a new player: no back-off, no RESTARTING
        self._thread = threading.Thread(target=self._supervise, name=self.name, daemon=True)
        self._thread.start()

    @property
    def player_url(self) -> str:
        """What the player opens: the channel's FIFO, by its random name in a 0700 folder."""
        return self._channel.player_url

    def attach_player(self) -> None:
        with self._lock:  # the supervising thread starts each run under this lock, after what is done here
            if self._format is MJPEG_PARTS:
                self._multipart_from_its_start()
            self._channel.attach_player()

    def _multipart_from_its_start(self) -> None:
        """libvlc's mjpeg demuxer opens a multipart stream only at a boundary, and ffmpeg writes the first one
        once, at the start of its run (then one after each frame): a player that joins a run another player
        read, or whose start the channel drained, would fail to open for as long as that run lasts. Such a
        run is ended (SIGKILL: ~ms), what it left in the FIFO dropped, and the next one starts at once. Called
        with the lock held."""
        process = self._process
        running = process is not None and process.poll() is None
        joined = self._run_read or self._channel.dropped_bytes != self._run_dropped_mark
        self._run_read = True
        if running and joined and process is not None:
            self._restart_at_once = True
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=2.0)
        if not running or joined:
            self._channel.discard()  # a frame cut short by the kill, or an ended run's last frames

    def detach_player(self) -> None:
        self._channel.detach_player()

    @property
    def status(self) -> RelayStatus:
        return self._status

    @property
    def source_protocol(self) -> str:
        return self._source_url.split(":", 1)[0].lower()

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def closed(self) -> bool:
        return self._closing.is_set()

    def close(self) -> None:
        """Stop for good, without waiting: ffmpeg is killed at once (a `-c copy` relay has nothing to
        finish), and the supervising thread reaps it and removes the channel."""
        with self._lock:
            self._closing.set()
            process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()

    def wait_closed(self, timeout: float) -> bool:
        """For tests and shutdown: True once ffmpeg is reaped and the channel removed."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # ----------------------------------------------------------------------------------------------

    def _set_status(self, status: RelayStatus) -> None:
        self._status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a listener's bug must not end the supervision of a running ffmpeg
                log.exception("a relay status listener failed")

    def _supervise(self) -> None:
        backoff = self.BACKOFF_INITIAL_S
        try:
            while not self._closing.is_set():
                started = time.monotonic()
                tail = self._run_once()
                if tail is None or self._closing.is_set():
                    break
                if self._restart_at_once:
                    self._restart_at_once = False
                    continue
                if time.monotonic() - started > self.STABLE_AFTER_S:
                    backoff = self.BACKOFF_INITIAL_S
                reason = mask_url(tail[-1]) if tail else "ffmpeg exited"
                if self._fallback_url is not None:
                    if self._run_wrote:
                        self._fallback_url = None  # RTMP works for this camera: a drop is retried over RTMP
                    else:
                        # RTMP that gave no picture (a listener that is off, a codec ffmpeg cannot read from FLV,
                        # a camera that is down): RTSP from now on, at once, with RTSP's reasons.
                        log.info("%s: RTMP ended (%s); reading RTSP from now on", self.name, reason)
                        self._source_url, self._fallback_url = self._fallback_url, None
                        continue
                log.debug("%s exited (%s); again in %.1f s", self.name, reason, backoff)
                self._set_status(RelayStatus(RelayState.RESTARTING, reason, self.runs, backoff))
                if self._closing.wait(backoff):
                    break
                backoff = min(backoff * 2, self.BACKOFF_MAX_S)
        finally:
            self._channel.close()
            self._channel.join(1.0)
            self._set_status(RelayStatus(RelayState.CLOSED, "", self.runs))

    def _switch_format(self, fmt: RelayFormat) -> None:
        self._format, self.container, self.carries_audio = fmt, fmt.container, fmt.carries_audio
        self.audio = self.audio and fmt.carries_audio

    def _run_once(self) -> deque[str] | None:
        """Run ffmpeg until it exits; its last lines of stderr. None when it cannot be started at all."""
        script_fd, writer = os.pipe()
        try:
            url = self._source_url
            os.write(writer, input_script(url, source_options(self.audio, url), transport_options(url)))
            os.close(writer)  # a few hundred bytes: far below a pipe's buffer, and ffmpeg sees the end
            with self._lock:
                if self._closing.is_set():
                    return deque()
                try:
                    # PR_SET_PDEATHSIG is tied to the thread that forks: this one, which lives until ffmpeg
                    # has been reaped, so the signal comes exactly when the whole app goes.
                    self._run_read = self._channel.players > 0
                    self._run_dropped_mark = self._channel.dropped_bytes
                    self._process = subprocess.Popen(  # noqa: S603 - argv is a list built here, no shell
                        relay_argv(self._ffmpeg, script_fd, self.audio, self._format, url),
                        pass_fds=(script_fd,),
                        stdin=subprocess.DEVNULL,
                        stdout=self._channel.write_fd,
                        stderr=subprocess.PIPE,
                        env=child_environment(),
                        start_new_session=True,
                        preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
                    )
                except OSError as error:
                    self._set_status(RelayStatus(RelayState.FAILED, f"cannot start ffmpeg: {error}", self.runs))
                    return None
        finally:
            os.close(script_fd)
        process = self._process
        self.runs += 1
        self._run_wrote = False
        self._set_status(RelayStatus(RelayState.RUNNING, "", self.runs - 1))
        tail: deque[str] = deque(maxlen=8)
        assert process.stderr is not None
        for raw in process.stderr:
            level, line = split_level(raw.decode("utf-8", "replace").strip())
            if level in QUIET_LEVELS:
                self._run_wrote = self._run_wrote or line.startswith(OUTPUT_OPENED)
                continue
            if line:
                tail.append(line)
            if self._format is MPEG_TS and uncarried_mjpeg(line):
                self._switch_format(MJPEG_PARTS)
                tail.append("the camera sends M-JPEG: relayed as multipart JPEG")
                process.kill()  # this run's picture reaches no player; the player follows `container`
        process.wait()
        process.stderr.close()
        return tail


class FFmpegLiveRelays(LiveRelays):
    """The wall's relays (the `LiveRelays` port): one per playing tile, all ended by `close_all`."""

    def __init__(self, ffmpeg: str = "ffmpeg") -> None:
        self._ffmpeg = shutil.which(ffmpeg) or ""
        # The media server's RTSP URL of a path -> the same path over its RTMP (set_rtmp_route); None where the
        # server's RTMP listener is not known to be on: then every relay reads RTSP.
        self.rtmp_route: RtmpRoute | None = None
        self._relays: set[FFmpegLiveRelay] = set()
        self._lock = threading.Lock()
        self._folder: Path | None = None  # the FIFOs' 0700 folder, made with the first relay

    @property
    def available(self) -> bool:
        """ffmpeg is there, and so are FIFOs (POSIX): without a private channel there is no relay."""
        return bool(self._ffmpeg) and hasattr(os, "mkfifo")

    def open(
        self, source_url: str, on_status: StatusListener | None = None, audio: bool = False,
        video_codec: str | None = None,
    ) -> LiveRelay:  # fmt: skip
        """Start relaying `source_url` (rtsp://, the read login may be in it) into a fresh private channel, in a
        container that carries `video_codec`; from the server's RTMP where `use_rtmp` says so."""
        if not self.available:
            raise FileNotFoundError("ffmpeg was not found: the live relay needs it")
        read_url, fallback = source_url, None
        if self.rtmp_route is not None and use_rtmp(audio, video_codec):
            rtmp_url = self.rtmp_route(source_url)
            if rtmp_url:
                read_url, fallback = rtmp_url, source_url
        with self._lock:
            if self._folder is None or not self._folder.is_dir():
                self._folder = private_channel_folder()
            relay = FFmpegLiveRelay(self._ffmpeg, read_url, self._folder, on_status, audio, relay_format(video_codec),
                                    fallback_url=fallback)  # fmt: skip
            self._relays = {r for r in self._relays if not r.closed}
            self._relays.add(relay)
        return relay

    def set_rtmp_route(self, route: RtmpRoute | None) -> None:
        self.rtmp_route = route

    def active(self) -> list[LiveRelay]:
        with self._lock:
            return [relay for relay in self._relays if not relay.closed]

    def close_all(self, timeout: float = 2.0) -> bool:
        """End every relay; True once all are reaped within `timeout`."""
        with self._lock:
            relays, self._relays = list(self._relays), set()
        for relay in relays:
            relay.close()
        deadline = time.monotonic() + timeout
        closed = all(relay.wait_closed(max(0.0, deadline - time.monotonic())) for relay in relays)
        with self._lock:
            if closed and self._folder is not None and not self._relays:
                remove_channel_folder(self._folder)
                self._folder = None
        return closed
