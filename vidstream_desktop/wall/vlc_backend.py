"""libvlc for the wall: one shared instance, embedding a player in a Qt widget, and which transports the
local libvlc can actually open.

Player teardown lives here too: `MediaPlayer.stop()` joins VLC's input and output threads. Measured here
that is 20-40 ms for a live SRT player, up to ~650 ms for one still connecting, and 0.6-4.5 s for one
caught in libvlc's SRT reconnect loop after its camera dropped (forever without `:poll-timeout`, see
media_options), so retired players are stopped and released off the Qt thread.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import vlc
from PySide6.QtWidgets import QWidget

from video_streaming.bootstrap import build_live_relays
from video_streaming.ports import LiveRelays
from vidstream_desktop.wall.srt_probe import load_libsrt

log = logging.getLogger(__name__)


class Transport(StrEnum):
    """How a tile reads a camera from MediaMTX. Declared in the order of lowest live delay."""

    RELAY = "relay"  # MediaMTX's RTMP or RTSP through a local ffmpeg relay (live_relay) to a private FIFO
    SRT = "srt"
    RTSP = "rtsp"
    RTMP = "rtmp"
    HLS = "hls"

    @property
    def label(self) -> str:
        return self.name

    @property
    def reads(self) -> str:
        """The media server's protocol behind it (the key of `PlaybackUrls.all`)."""
        return "rtsp" if self is Transport.RELAY else self.value


# The relay first: ~80-120 ms glass-to-glass against ~330 ms over SRT (MediaMTX's SRT listener adds 120 ms
# of SRT latency and a PCR 100 ms behind; `python -m bench latency`). SRT's delay is steady, VLC's RTSP
# demux adds a fixed ~250 ms, libvlc's own RTMP (through libavformat) stays seconds behind and HLS is seconds
# by design.
DEFAULT_ORDER: tuple[Transport, ...] = (Transport.RELAY, Transport.SRT, Transport.RTSP, Transport.RTMP, Transport.HLS)

# Every plugin a transport needs, by file stem (libvlc's module file names are the same on all platforms).
REQUIRED_PLUGINS: dict[Transport, tuple[str, ...]] = {
    Transport.RELAY: ("libfilesystem_plugin", "libts_plugin"),
    Transport.SRT: ("libaccess_srt_plugin",),
    Transport.RTSP: ("liblive555_plugin",),
    Transport.RTMP: ("libavio_plugin",),
    Transport.HLS: ("libadaptive_plugin", "libhttp_plugin"),
}

SRT_LATENCY_MS = 20
# The relay's MPEG-TS arrives packet by packet on loopback. Measured on a quiet machine (one 640x360@25
# tile, 3 x 5 s): with 30 or 45 ms of cache libvlc stalled the picture for 0.7-0.9 s at a time and showed
# 11-20 of the 25 pictures a second; with 60 or 80 ms the longest gap was 50-90 ms and none was dropped.
# Frame-threaded decoding would hold two more frames, so relayed tiles decode on one thread (a wall's
# small tiles read sub-streams; one core decodes several 640x360 streams).
RELAY_CACHING_MS = 60
# A camera at this many frames a second or fewer gets two more frame intervals of relay cache. libvlc 3's H.264
# packetizer hands a frame on only when the next one begins, so each frame reaches the clock one interval
# late, and a big frame then still has to be decoded and scaled: with 60 ms of cache every frame of a 5 or
# 6 fps stream was dropped as late (measured: 35 of 75 lost in 5 s, the screen never changed while decoding
# went on), 7 fps lost most, 8 fps and up none; 1080p at 5 fps still lost 27 of 61 with one more interval
# (200 ms) and none with two (400 ms).
RELAY_LOW_FPS = 10.0
SRT_POLL_TIMEOUT_MS = 100
# HLS delivers whole segments: a sub-second cache only makes the player starve between them.
HLS_MIN_CACHING_MS = 1500

INSTANCE_ARGS: tuple[str, ...] = (
    "--no-osd",  # no title, volume or snapshot path drawn over the picture
    "--no-video-title-show",
    "--no-snapshot-preview",
    "--quiet",
)
LINUX_INSTANCE_ARGS: tuple[str, ...] = (
    "--no-xlib",  # Xlib modules need XInitThreads() before any X call, long past in a Qt app: xcb only
    # Software output works everywhere, including Xvfb and remote X where there is no GPU.
    "--vout=xcb_x11",
)


def instance_args(platform: str = sys.platform) -> list[str]:
    args = list(INSTANCE_ARGS)
    if platform.startswith("linux"):
        args += LINUX_INSTANCE_ARGS
    extra = os.environ.get("VIDSTREAM_VLC_ARGS", "").split()
    return args + extra


_instance: Any = None
_instance_lock = threading.Lock()
_relays: LiveRelays | None = None


def shared_relays() -> LiveRelays:
    """The process's live relays (one ffmpeg per tile reading over Transport.RELAY), like the one libvlc
    instance; every relay still running is ended at exit (and by the kernel if the app is killed)."""
    global _relays
    with _instance_lock:
        if _relays is None:
            _relays = build_live_relays()
            atexit.register(_relays.close_all)
    return _relays


def shared_instance() -> Any:
    """The one `vlc.Instance` of the process: every tile's player is created from it, so plugins are
    loaded once and all players share VLC's clock and threads."""
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = vlc.Instance(instance_args())
            if _instance is None:
                raise RuntimeError("libvlc could not be initialised (is VLC installed?)")
            load_libsrt()  # also turns libsrt's per-handshake stderr logging down
    return _instance


def player_video_size(player: Any) -> tuple[int, int]:
    """The decoded picture's size in pixels ((0, 0) without a player or before a picture)."""
    if player is None:
        return (0, 0)
    try:
        width, height = player.video_get_size(0)
    except vlc.VLCException:
        return (0, 0)
    return (int(width), int(height))


def attach_player_to_widget(player: Any, widget: QWidget, platform: str = sys.platform) -> None:
    """Make `player` draw into `widget`'s native window and leave mouse and keys to Qt."""
    handle = int(widget.winId())
    if platform.startswith("linux") or platform.startswith("freebsd"):
        player.set_xwindow(handle)
    elif platform == "win32":
        player.set_hwnd(handle)
    elif platform == "darwin":
        player.set_nsobject(handle)
    else:
        raise NotImplementedError(f"no libvlc embedding for platform {platform!r}")
    # Otherwise VLC's window swallows double-clicks, hover and drops meant for the tile.
    player.video_set_mouse_input(False)
    player.video_set_key_input(False)


def opens_with_login(transport: Transport, url: str) -> bool:
    """Can a tile read `url` over `transport` when the URL carries a login? libvlc's HLS player fetches the
    segments by the playlist's relative names and leaves the URL's login behind, so against a server that
    wants one (the app's own MediaMTX: no anonymous readers) it never plays; SRT and RTMP pass it on."""
    return transport is not Transport.HLS or not urlsplit(url).password


def relay_frame_wait_ms(camera_fps: float) -> int:
    """The relay cache a camera of `camera_fps` needs beyond RELAY_CACHING_MS (0: none; see RELAY_LOW_FPS)."""
    return 0 if camera_fps <= 0 or camera_fps > RELAY_LOW_FPS else int(2000 / camera_fps + 0.999)


def media_options(
    transport: Transport, caching_ms: int, relay_container: str | None = None, frame_wait_ms: int = 0
) -> list[str]:
    """libvlc media options for a live read over `transport` with `caching_ms` of network buffer; a relay
    says what it writes (`LiveRelay.container`: "ts" or "mjpeg") and a slow camera adds `frame_wait_ms`."""
    caching = max(0, int(caching_ms))
    if transport is Transport.RELAY:
        # libvlc's file access reads the relay's FIFO (stream://) and takes its delay from file-caching; the
        # demuxer is named, not probed (a probe on a live FIFO waits for data). libvlc's demuxer names
        # happen to match the containers' ("ts"; "mjpeg" also reads multipart JPEG).
        return [f":file-caching={RELAY_CACHING_MS + max(frame_wait_ms, 0)}", f":demux={relay_container or 'ts'}",
                ":avcodec-threads=1"]  # fmt: skip
    if transport is Transport.HLS:
        caching = max(caching, HLS_MIN_CACHING_MS)
    options = [f":network-caching={caching}"]
    if transport is Transport.SRT:
        options.append(f":latency={SRT_LATENCY_MS}")  # VLC takes SRT latency in ms (ffmpeg in µs)
        # libvlc 3's SRT input reconnects inside one read while the server refuses (a camera that dropped)
        # and can lose a stop request meanwhile: 5 of 25 drops, measured, left a player that never stopped,
        # even with the camera back. A poll timeout ends a read after 100 ms without an event and the next
        # read sees the stop. (While the server keeps refusing the loop never goes quiet: such a stop waits
        # for the camera or for the server to go.) Live reads are unaffected: a 25 fps stream brings data
        # every 40 ms, and an empty read is simply retried.
        options.append(f":poll-timeout={SRT_POLL_TIMEOUT_MS}")
    elif transport is Transport.RTSP:
        options.append(":rtsp-tcp")  # interleaved over TCP survives packet loss that UDP would not
    return options


# ---------------------------------------------------------------------------------------------------
# Which transports this libvlc can open


def _loaded_library_dir(stem: str) -> Path | None:
    """Directory of a shared library already mapped into this process (Linux only)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)  # address perms offset device inode [pathname]
        if len(fields) == 6 and f"/{stem}.so" in fields[5]:
            return Path(fields[5]).parent
    return None


def plugin_dir_candidates(platform: str = sys.platform) -> list[Path]:
    candidates: list[Path] = []
    for configured in (os.environ.get("VLC_PLUGIN_PATH"), getattr(vlc, "plugin_path", None)):
        if configured:
            candidates += [Path(part) for part in str(configured).split(os.pathsep) if part]
    if platform.startswith("linux"):
        vlc.libvlc_get_version()  # make sure libvlccore is mapped, so its real location can be read
        core_dir = _loaded_library_dir("libvlccore")
        if core_dir is not None:
            candidates.append(core_dir / "vlc" / "plugins")
        multiarch = getattr(sys.implementation, "_multiarch", "x86_64-linux-gnu")
        candidates += [
            Path(f"/usr/lib/{multiarch}/vlc/plugins"),
            Path("/usr/lib64/vlc/plugins"),
            Path("/usr/lib/vlc/plugins"),
            Path("/usr/local/lib/vlc/plugins"),
        ]
    elif platform == "darwin":
        candidates.append(Path("/Applications/VLC.app/Contents/MacOS/plugins"))
    elif platform == "win32":
        for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if root:
                candidates.append(Path(root) / "VideoLAN" / "VLC" / "plugins")
    return candidates


def find_plugin_dir(platform: str = sys.platform) -> Path | None:
    for candidate in plugin_dir_candidates(platform):
        if candidate.is_dir():
            return candidate
    return None


def plugin_stems(plugin_dir: Path) -> set[str]:
    """Module file stems under a libvlc plugin directory (`libaccess_srt_plugin`, ...)."""
    suffixes = {".so", ".dll", ".dylib"}
    return {path.stem for path in plugin_dir.rglob("lib*_plugin.*") if path.suffix in suffixes}


def transports_from_plugins(stems: Iterable[str], order: Sequence[Transport] = DEFAULT_ORDER) -> list[Transport]:
    available = set(stems)
    return [t for t in order if all(plugin in available for plugin in REQUIRED_PLUGINS[t])]


def fallback_transports(platform: str = sys.platform) -> list[Transport]:
    """A guess when the plugin directory cannot be found (a frozen app with plugins built in, say).
    VideoLAN's Windows and macOS builds ship live555 and SRT; Linux distributions often drop live555."""
    if platform in ("win32", "darwin"):
        return list(DEFAULT_ORDER)
    return [Transport.RELAY, Transport.SRT, Transport.RTMP, Transport.HLS]


@cache
def _detect_cached(platform: str) -> tuple[Transport, ...]:
    plugin_dir = find_plugin_dir(platform)
    if plugin_dir is None:
        log.warning("libvlc plugin directory not found; assuming the usual transports")
        return tuple(fallback_transports(platform))
    found = transports_from_plugins(plugin_stems(plugin_dir))
    if Transport.RELAY in found and not shared_relays().available:
        found.remove(Transport.RELAY)  # no ffmpeg to relay with
    log.info("libvlc plugins in %s open: %s", plugin_dir, ", ".join(t.label for t in found) or "nothing")
    return tuple(found)


def detect_transports(plugin_dir: Path | None = None, platform: str = sys.platform) -> list[Transport]:
    """Transports the local libvlc can open, lowest latency first."""
    if plugin_dir is not None:
        return transports_from_plugins(plugin_stems(plugin_dir))
    return list(_detect_cached(platform))


# ---------------------------------------------------------------------------------------------------
# Retiring players off the Qt thread


class _PlayerReaper:
    """Stops and releases each retired player on a thread of its own.

    One thread per player rather than one queue: a `stop()` that hangs inside libvlc (it can, see
    srt_probe) must not hold up the release of every other tile's players."""

    def __init__(self) -> None:
        self._pending = 0
        self._idle = threading.Condition()
        self.last_stop_ms: float | None = None

    def retire(self, player: Any) -> None:
        with self._idle:
            self._pending += 1
        threading.Thread(target=self._stop_and_release, args=(player,), name="vlc-player-stop", daemon=True).start()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every retired player is released; True when they all were."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    @property
    def pending(self) -> int:
        return self._pending

    def _stop_and_release(self, player: Any) -> None:
        try:
            started = time.perf_counter()
            player.stop()
            self.last_stop_ms = (time.perf_counter() - started) * 1000
            if self.last_stop_ms > 1000:
                log.warning("stopping a libvlc player took %.0f ms", self.last_stop_ms)
            player.release()
        except Exception:  # a failing release must not go unnoticed, nor take the process down
            log.exception("releasing a libvlc player failed")
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()


_reaper = _PlayerReaper()


def retire_player(player: Any) -> None:
    """Stop and release `player` without blocking the caller."""
    _reaper.retire(player)


def wait_for_retired_players(timeout: float = 5.0) -> bool:
    return _reaper.wait_idle(timeout)


def players_still_stopping() -> int:
    return _reaper.pending


def last_player_stop_ms() -> float | None:
    """How long the most recent `MediaPlayer.stop()` on the reaper took."""
    return _reaper.last_stop_ms


# Players still stopping when Python exits would be torn down mid-call by interpreter shutdown.
atexit.register(wait_for_retired_players, 3.0)
