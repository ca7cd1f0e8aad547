"""One tile's live picture: a libvlc player that reports honestly whether video is on screen and keeps
reconnecting by itself when the camera drops.

libvlc says "Playing" long before a picture exists and keeps saying it after the camera has gone (an SRT
read simply stops delivering), so "live" is taken from the video output and frozen playback is caught
by a watchdog that looks at VLC's decoded-frame counters. SRT reads are preceded by one handshake of our
own (srt_probe), so libvlc is never left looping against a server that refuses the stream.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import vlc
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from video_streaming.ports import LiveRelay, LiveRelays, RelayState, RelayStatus
from vidstream_desktop.wall.live_health import Degradation, StatsSample, judge
from vidstream_desktop.wall.relay_feed import RelayFeed
from vidstream_desktop.wall.srt_probe import ProbeOutcome, ProbeResult, probe_srt_async
from vidstream_desktop.wall.vlc_backend import (
    Transport,
    attach_player_to_widget,
    detect_transports,
    media_options,
    player_video_size,
    relay_frame_wait_ms,
    retire_player,
    shared_instance,
)

log = logging.getLogger(__name__)


class PlayerState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    DEGRADED = "degraded"  # a picture is shown, but not all of it is current: pictures dropped, packets lost
    STALLED = "stalled"  # was live, and no new picture for a moment: the frozen frame is not live any more
    OFFLINE = "offline"  # temporary: a reconnect is scheduled
    ERROR = "error"  # permanent until the next play(): retrying cannot help
    STOPPED = "stopped"


# libvlc events watched per connection, and the short names they travel under to the Qt thread.
WATCHED_EVENTS: dict[str, str] = {
    "MediaPlayerVout": "vout",
    "MediaPlayerPlaying": "playing",
    "MediaPlayerEncounteredError": "error",
    "MediaPlayerEndReached": "ended",
}


def vout_count(event: Any) -> int:
    """The video output count of a MediaPlayerVout event. python-vlc declares the field 64 bits wide
    where libvlc writes a C int, so only the low 32 bits are meaningful."""
    return ctypes.c_int32(int(event.u.new_count) & 0xFFFFFFFF).value


def _probe_result(done: Future[ProbeResult]) -> ProbeResult:
    try:
        return done.result()
    except Exception as error:  # a broken probe must not keep the camera off the wall: let libvlc try
        log.warning("SRT probe failed: %s", error)
        return ProbeResult(ProbeOutcome.NOT_PROBED, str(error))


@dataclass(frozen=True)
class StreamTarget:
    url: str
    transport: Transport
    caching_ms: int
    video_codec: str | None = None  # as the media server names it ("H264", "M-JPEG"); None: not known


class LivePlayer(QObject):
    """Owns the libvlc player of one tile. All methods are for the Qt thread; none waits on the network
    (stopping happens on a worker thread), only snapshot() waits up to a frame for the next picture."""

    state_changed = Signal(str, str)  # state (a PlayerState value), human-readable detail
    stats_updated = Signal(float, float)  # displayed frames per second, received kbit/s
    # libvlc calls back on its own threads; this queued signal carries events over to the Qt thread.
    _vlc_event = Signal(int, str, float, int)  # connection generation, event name, monotonic time, vouts
    _probe_done = Signal(int, object)  # connection generation, ProbeResult; from a probe thread

    WATCHDOG_INTERVAL_MS = 200  # frame counters read 5 times a second: a stopped picture is told within 1 s
    STALLED_AFTER_S = 0.6  # no new frame for this long: "stalled" (at 25 fps, 15 frames missed)
    STALL_TIMEOUT_S = 3.0  # no new frame for this long while live: the camera stopped sending
    SILENT_CONNECT_TIMEOUT_S = 4.0  # not one byte since connecting: nobody is publishing
    CONNECT_TIMEOUT_S = 12.0  # bytes arrive but no picture (waiting for a key frame, say)
    BACKOFF_INITIAL_S = 0.5
    BACKOFF_MAX_S = 8.0
    LIVE_AFTER_PICTURES = 2  # new pictures after the first one before a connection is called live
    HEALTHY_AFTER_S = 3.0  # a degraded picture is called live again after this long without a sign of trouble
    # libvlc drops a burst of late pictures while its clock settles after a connect (measured: ~12 at once,
    # within 2 s of the first picture, on every tile): judged only from then on.
    JUDGE_AFTER_LIVE_S = 3.0

    def __init__(
        self, surface: QWidget, parent: QObject | None = None, instance: Any = None, probe_srt: bool = True,
        relays: LiveRelays | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._surface = surface
        self._instance = instance
        self._probe_srt = probe_srt
        self._feed = RelayFeed(relays, self)
        self.last_probe: ProbeResult | None = None
        self._player: Any = None
        self._media: Any = None
        self._reading: LiveRelay | None = None  # the relay the current player reads, if any
        self._reading_container = ""  # and what that player was told it carries
        self._events: Any = None  # python-vlc keeps callbacks on this object: hold it while attached
        self._generation = 0
        self._target: StreamTarget | None = None
        self._state = PlayerState.STOPPED
        self._detail = ""
        self._muted = True  # a wall of cameras all talking at once helps nobody
        self._backoff_s = self.BACKOFF_INITIAL_S
        self._connect_started = 0.0
        self._last_progress = 0.0
        self._last_frame_counts = (-1, -1)
        self._first_picture_at: float | None = None  # of the current connection
        self._pictures_at_first = 0
        self._frame_samples: deque[StatsSample] = deque(maxlen=10)  # two seconds of watchdog reads
        self._frame_wait_ms = 0  # see _needs_frame_wait
        self._health_samples: deque[StatsSample] = deque(maxlen=10)  # the same, once the picture is judged
        self._live_since = 0.0
        self._last_trouble = 0.0
        self.degradation: Degradation | None = None  # why the picture is not current, while DEGRADED
        self.time_to_first_frame_ms: float | None = None
        self.connection_count = 0  # connects since construction, reconnects included

        self._vlc_event.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._probe_done.connect(self._on_probe_done, Qt.ConnectionType.QueuedConnection)
        self._feed.status_changed.connect(self._on_relay_status)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(self.WATCHDOG_INTERVAL_MS)
        self._watchdog.timeout.connect(self._check_progress)
        self._reconnect_timer = QTimer(self)
        self._reconnect_timer.setSingleShot(True)
        self._reconnect_timer.timeout.connect(self._connect)

    # ----------------------------------------------------------------------------------------------
    # Public API

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def detail(self) -> str:
        return self._detail

    @property
    def target(self) -> StreamTarget | None:
        return self._target

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def next_retry_s(self) -> float:
        """The delay the next reconnect will wait."""
        return self._backoff_s

    def play(self, url: str, transport: Transport, caching_ms: int = 100, video_codec: str | None = None) -> None:
        self._target = StreamTarget(url, Transport(transport), caching_ms, video_codec)
        self._frame_wait_ms = 0  # a slow camera's extra relay cache, learnt from its first seconds of play
        self._backoff_s = self.BACKOFF_INITIAL_S
        self._reconnect_timer.stop()
        self._close_relay()
        if not url:
            self._release_player()
            self._set_state(PlayerState.ERROR, self.tr("no stream address"))
            return
        label = self._target.transport.label
        if self._target.transport not in detect_transports():
            self._release_player()
            self._set_state(
                PlayerState.ERROR, self.tr("this VLC cannot open {transport} streams").format(transport=label)
            )
            return
        if self._target.transport is Transport.RELAY and not self._open_relay(url):
            return
        self._set_state(PlayerState.CONNECTING, self.tr("connecting over {transport}").format(transport=label))
        self._connect()

    def stop(self) -> None:
        self._target = None
        self._reconnect_timer.stop()
        self._watchdog.stop()
        self._release_player()
        self._close_relay()
        self._frame_samples.clear()
        self._health_samples.clear()
        self._set_state(PlayerState.STOPPED, "")

    @property
    def relay(self) -> LiveRelay | None:
        """The relay feeding this player (Transport.RELAY only)."""
        return self._feed.relay

    def _open_relay(self, url: str) -> bool:
        codec = self._target.video_codec if self._target is not None else None
        try:
            self._feed.open(url, audio=not self._muted, video_codec=codec)
        except OSError as error:
            self._release_player()
            self._set_state(PlayerState.ERROR, self.tr("the live relay cannot start: {0}").format(error))
            return False
        return True

    def _close_relay(self) -> None:
        self._feed.close()

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        if self._player is not None:
            self._player.audio_set_mute(muted)
        target = self._target
        relay = self._feed.relay
        if not muted and target is not None and relay is not None and not relay.audio and relay.carries_audio:
            # A muted tile's relay carries no sound: the first unmute starts one that does (a brief reconnect).
            self._close_relay()
            self._release_player()
            if self._open_relay(target.url):
                self._connect()

    def snapshot(self, path: str | Path) -> bool:
        """Write the next picture at its native size to `path` (PNG; libvlc waits for it, up to a frame
        interval, ~15-45 ms measured at 25 fps). False when nothing is shown."""
        if self._player is None or self._state not in (PlayerState.LIVE, PlayerState.DEGRADED):
            return False
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return bool(self._player.video_take_snapshot(0, str(path), 0, 0) == 0)

    def decoded_frames(self) -> int:
        stats = self._read_stats()
        return int(stats.decoded_video) if stats is not None else 0

    def displayed_frames(self) -> int:
        stats = self._read_stats()
        return int(stats.displayed_pictures) if stats is not None else 0

    def set_crop(self, geometry: str) -> None:
        """Digital zoom: show only this part of the picture ("WxH+X+Y" in video pixels; "" shows all of it)."""
        if self._player is not None:
            self._player.video_set_crop_geometry(geometry or None)

    def video_size(self) -> tuple[int, int]:
        return player_video_size(self._player)

    # ----------------------------------------------------------------------------------------------
    # Connection lifecycle

    @Slot()
    def _connect(self) -> None:
        target = self._target
        if target is None:
            return
        self._release_player()
        self.connection_count += 1
        self._connect_started = time.monotonic()
        if self._state is not PlayerState.OFFLINE:  # a retry stays "offline" until there is something to show
            self._set_state(
                PlayerState.CONNECTING,
                self.tr("connecting over {transport}").format(transport=target.transport.label),
            )
        if target.transport is Transport.SRT and self._probe_srt:
            generation = self._generation
            emit = self._probe_done.emit
            probe_srt_async(target.url).add_done_callback(lambda done: emit(generation, _probe_result(done)))
            return
        self._start_vlc(target)

    @Slot(int, object)
    def _on_probe_done(self, generation: int, result: ProbeResult) -> None:
        if generation != self._generation or self._target is None:
            return  # stopped or re-targeted while the probe ran
        self.last_probe = result
        if result.outcome is ProbeOutcome.REFUSED:
            self._go_offline(self.tr("offline: camera not sending"))
        elif result.outcome is ProbeOutcome.UNREACHABLE:
            self._go_offline(self.tr("offline: server not reachable"))
        else:
            self._start_vlc(self._target)

    def _start_vlc(self, target: StreamTarget) -> None:
        instance = self._instance or shared_instance()
        self._generation += 1
        generation = self._generation
        player = instance.media_player_new()
        attach_player_to_widget(player, self._surface)
        relay = self._feed.relay
        if relay is not None:
            relay.attach_player()  # detached again when this player is retired (_release_player)
            self._reading_container = relay.container
        self._reading = relay
        media = instance.media_new(relay.player_url if relay is not None else target.url)
        container = relay.container if relay else None
        for option in media_options(target.transport, target.caching_ms, container, self._frame_wait_ms):
            media.add_option(option)
        player.set_media(media)
        player.audio_set_mute(self._muted)
        events = player.event_manager()
        for vlc_name, short_name in WATCHED_EVENTS.items():
            events.event_attach(getattr(vlc.EventType, vlc_name), self._make_callback(generation, short_name))
        self._player, self._media, self._events = player, media, events
        self._last_progress = time.monotonic()
        self._last_frame_counts = (-1, -1)
        self._first_picture_at = None
        self._frame_samples.clear()
        self._health_samples.clear()
        self._set_state(
            PlayerState.CONNECTING, self.tr("connecting over {transport}").format(transport=target.transport.label)
        )
        if player.play() != 0:
            self._go_offline(self.tr("VLC could not start the stream"))
            return
        self._watchdog.start()

    def _make_callback(self, generation: int, name: str) -> Any:
        emit = self._vlc_event.emit

        def on_event(event: Any) -> None:
            # On a VLC thread: libvlc must not be called from here, and widgets not touched.
            count = vout_count(event) if name == "vout" else 0
            emit(generation, name, time.monotonic(), count)

        return on_event

    def _release_player(self) -> None:
        """Detach from the current player and hand it to the reaper thread to stop and release."""
        player, events = self._player, self._events
        self._player = self._media = self._events = None
        self._generation += 1  # late events of the old player are ignored
        reading, self._reading = self._reading, None
        if reading is not None:
            # What the relay sends until the next player is dropped: a FIFO nobody reads would fill, and
            # the next player would start seconds behind the camera.
            reading.detach_player()
        if player is None:
            return
        for vlc_name in WATCHED_EVENTS:
            # Detaching waits for a callback in flight, so none can fire once this loop is done.
            events.event_detach(getattr(vlc.EventType, vlc_name))
        retire_player(player)

    def _go_offline(self, detail: str) -> None:
        self._watchdog.stop()
        self._release_player()
        self._frame_samples.clear()
        self._health_samples.clear()
        self.degradation = None
        self._set_state(PlayerState.OFFLINE, detail)
        if self._target is not None:
            log.debug("%s offline (%s); retry in %.1f s", self._target.url, detail, self._backoff_s)
            self._reconnect_timer.start(int(self._backoff_s * 1000))
            self._backoff_s = min(self._backoff_s * 2, self.BACKOFF_MAX_S)

    def _go_live(self, first_frame_at: float) -> None:
        self.time_to_first_frame_ms = max(0.0, (first_frame_at - self._connect_started) * 1000)
        self._backoff_s = self.BACKOFF_INITIAL_S
        self._last_progress = self._live_since = time.monotonic()
        self.degradation = None
        self._set_state(PlayerState.LIVE, "")
        if self._player is not None:
            self._player.audio_set_mute(self._muted)

    def _set_state(self, state: PlayerState, detail: str) -> None:
        if (state, detail) == (self._state, self._detail):
            return
        self._state, self._detail = state, detail
        self.state_changed.emit(state.value, detail)

    @Slot(object)
    def _on_relay_status(self, status: RelayStatus) -> None:
        if status.state is RelayState.FAILED:
            self._watchdog.stop()
            self._release_player()
            self._reconnect_timer.stop()
            self._set_state(PlayerState.ERROR, self.tr("the live relay cannot start: {0}").format(status.detail))
        elif status.state is RelayState.RUNNING and self._player is not None and self._reading is not None \
                and self._reading.container != self._reading_container:  # fmt: skip
            self._connect()  # the relay found the camera's codec for itself (uncarried_mjpeg): another demuxer
        elif status.state is RelayState.RESTARTING and self._state in (PlayerState.CONNECTING, PlayerState.OFFLINE):
            # The relay's own words say more than "no picture": "404 Not Found", "Connection refused"...
            self._set_state(self._state, self.tr("offline: {0}; retrying in {1:.0f} s").format(
                status.detail, max(1.0, status.retry_in_s)))  # fmt: skip

    # ----------------------------------------------------------------------------------------------
    # What libvlc and the watchdog report

    @Slot(int, str, float, int)
    def _on_vlc_event(self, generation: int, name: str, at: float, vouts: int) -> None:
        if generation != self._generation or self._player is None:
            return  # from a player already retired
        if name == "error":
            self._go_offline(self.tr("offline: the stream could not be opened"))
        elif name == "ended":
            self._go_offline(self.tr("offline: the stream ended"))
        elif self._state is PlayerState.CONNECTING and (vouts > 0 or self._video_is_out()):
            # A video output exists once the first picture is decoded; its size may not be known yet.
            self._picture_appeared(at)

    def _picture_appeared(self, at: float) -> None:
        if self._first_picture_at is None:
            self._first_picture_at = at
            self._pictures_at_first = self.displayed_frames()

    def _pictures_flow(self) -> bool:
        """LIVE once pictures follow the first one: libvlc can hold its first picture for up to a second
        while its clock starts (measured: 0.6-0.9 s over the relay, up to 0.55 s over SRT), and a still
        picture under a LIVE label is what this player must never show."""
        return (self._first_picture_at is not None
                and self.displayed_frames() - self._pictures_at_first >= self.LIVE_AFTER_PICTURES)  # fmt: skip

    def _video_is_out(self) -> bool:
        if self._player is None or self._player.has_vout() <= 0:
            return False
        return self.video_size() != (0, 0)

    def _target_transport(self) -> Transport | None:
        return self._target.transport if self._target is not None else None

    @Slot()
    def _check_progress(self) -> None:
        if self._player is None:
            return
        now = time.monotonic()
        stats = self._read_stats()
        if self._state is PlayerState.CONNECTING:
            if self._video_is_out():  # the Vout event can precede the size being known
                self._picture_appeared(now)
            if self._pictures_flow() and self._first_picture_at is not None:
                self._go_live(self._first_picture_at)
                return
            waited = now - self._connect_started
            received = stats is not None and (stats.read_bytes > 0 or stats.demux_read_bytes > 0)
            # libvlc's RTMP (avformat) and HLS inputs report no bytes for ~7.5 s while opening (measured in
            # bench/): only SRT's silence means nobody publishes.
            # The relay's first bytes come within ~0.5 s when the camera sends: its silence means the same.
            srt = self._target_transport() in (Transport.SRT, Transport.RELAY)
            silent_limit = self.SILENT_CONNECT_TIMEOUT_S if srt else 15.0
            if not received and waited > silent_limit:
                self._go_offline(self.tr("offline: camera not sending"))
            elif waited > (self.CONNECT_TIMEOUT_S if srt else 20.0):
                self._go_offline(self.tr("offline: no picture within {seconds:.0f} s").format(seconds=waited))
            return
        showing = (PlayerState.LIVE, PlayerState.DEGRADED, PlayerState.STALLED)
        if self._state not in showing or stats is None:
            return
        if self._needs_frame_wait():
            return  # reconnecting with the cache this slow camera needs
        counts = (int(stats.decoded_video), int(stats.displayed_pictures))
        if counts != self._last_frame_counts:
            self._last_frame_counts = counts
            self._last_progress = now
            if self._state is PlayerState.STALLED:
                # Judged on at once (only a new connection waits for libvlc's clock): on a loaded machine
                # short stalls come often, and a wait after each would keep a struggling tile from ever
                # being called DEGRADED.
                self._set_state(PlayerState.LIVE, "")
        elif now - self._last_progress > self.STALL_TIMEOUT_S:
            self._go_offline(self.tr("offline: camera not sending"))
            return
        elif now - self._last_progress > self.STALLED_AFTER_S:
            if self._state is not PlayerState.STALLED:
                self._frame_samples.clear()
                self._health_samples.clear()
                self.degradation = None
                self._set_state(PlayerState.STALLED, self.tr("no new picture: the camera stopped sending"))
            return
        sample = StatsSample(
            now, counts[0], counts[1], int(stats.lost_pictures),
            int(stats.demux_corrupted) + int(stats.demux_discontinuity),
        )  # fmt: skip
        self._frame_samples.append(sample)
        if now - self._live_since >= self.JUDGE_AFTER_LIVE_S:
            self._health_samples.append(sample)  # only after the start-up drops: see JUDGE_AFTER_LIVE_S
            self._judge_picture(now)
        first, last = self._frame_samples[0], self._frame_samples[-1]
        if last.at > first.at:
            fps = (last.displayed - first.displayed) / (last.at - first.at)
            # libvlc reports bitrates in bytes per microsecond: times 8000 gives kbit/s.
            self.stats_updated.emit(max(fps, 0.0), max(float(stats.demux_bitrate) * 8000, 0.0))

    def _needs_frame_wait(self) -> bool:
        """A relayed camera this slow has every frame dropped as late with the fast path's cache (see
        RELAY_LOW_FPS): open it again, once, with one more frame interval of cache."""
        if self._target_transport() is not Transport.RELAY or self._frame_wait_ms:
            return False
        wait = relay_frame_wait_ms(self.camera_fps())
        if not wait:
            return False
        self._frame_wait_ms = wait
        log.info("relayed camera at %.1f fps: reopened with %d ms more cache", self.camera_fps(), wait)
        self._connect()
        return True

    def camera_fps(self) -> float:
        """The frame rate the stream declares (0 when it declares none)."""
        if self._player is None:
            return 0.0
        try:
            return max(0.0, float(self._player.get_fps()))
        except (vlc.VLCException, AttributeError, TypeError):
            return 0.0

    def _judge_picture(self, now: float) -> None:
        """LIVE only while the picture is current: dropped or late pictures, lost packets or a frame rate
        well under the camera's turn the tile DEGRADED, with the reason, until a quiet spell."""
        trouble = judge(list(self._health_samples), self.camera_fps())
        if trouble is not None:
            self._last_trouble = now
            self.degradation = trouble
            self._set_state(PlayerState.DEGRADED, self.describe(trouble))
        elif self._state is PlayerState.DEGRADED and now - self._last_trouble > self.HEALTHY_AFTER_S:
            self.degradation = None
            self._set_state(PlayerState.LIVE, "")

    def describe(self, trouble: Degradation) -> str:
        if trouble.kind == "packets":
            return self.tr("packets lost: {0} in {1:.0f} s").format(trouble.count, trouble.seconds)
        if trouble.kind == "decoder":
            return self.tr("decoder behind: {0} pictures dropped in {1:.0f} s").format(trouble.count, trouble.seconds)
        return self.tr("showing {0:.0f} of the camera's {1:.0f} fps").format(trouble.shown_fps, trouble.camera_fps)

    def _read_stats(self) -> Any:
        if self._media is None:
            return None
        stats = vlc.MediaStats()
        return stats if self._media.get_stats(stats) else None
