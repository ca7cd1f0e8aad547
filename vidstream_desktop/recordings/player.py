"""The recordings player: the wall's libvlc embedding, playing a recording segment after segment.

A recording is a row of segment files. The panel plays them in turn (local file when present, else a
time-limited archive link: nothing is downloaded first) and keeps one wall-clock timeline over them, so the
seek bar and the time shown are the camera's own time, gaps included. libvlc events hop to the Qt thread
through a queued signal; position is polled on the Qt thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import vlc
from PySide6.QtCore import QPointF, QRectF, QStandardPaths, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPainter, QPixmap, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from video_streaming.domain.camera import slugify
from vidstream_desktop.recordings.controller import PlaybackItem
from vidstream_desktop.recordings.model import format_duration, local_time
from vidstream_desktop.resources import COLORS, icon
from vidstream_desktop.wall.tile import VideoSurface
from vidstream_desktop.wall.vlc_backend import (
    attach_player_to_widget,
    player_video_size,
    retire_player,
    shared_instance,
)
from vidstream_desktop.wall.zoom_view import VideoZoom, ZoomOverview

log = logging.getLogger(__name__)

Resolver = Callable[[PlaybackItem, bool], Awaitable[str]]  # item, prefer the archive -> path or URL
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)
POLL_MS = 200
REVERSE_TICK_MS = 250  # reverse play shows one key frame a tick ...
REVERSE_STEP_S = 1.0  # ... one key-frame interval (the recorders' cameras send one a second) back each
EVENTS = {
    "MediaPlayerPlaying": "playing",
    "MediaPlayerPaused": "paused",
    "MediaPlayerEndReached": "ended",
    "MediaPlayerEncounteredError": "error",
    "MediaPlayerVout": "vout",
}


def frame_step_icon(size: int = 16) -> QIcon:
    """A play triangle against a bar: "one frame forward" (the icon set has no such glyph)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(COLORS["text"]))
    painter.drawPolygon(QPolygonF([QPointF(3, 3), QPointF(11, 8), QPointF(3, 13)]))
    painter.drawRect(QRectF(11.5, 3, 2, 10))
    painter.end()
    return QIcon(pixmap)


class SeekSlider(QSlider):
    """A seek bar: a click puts the handle where it lands and seeks there (a plain QSlider moves one page
    towards the click); a drag goes on from there and seeks on release."""

    jumped = Signal(int)  # the value clicked

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > self.minimum():
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            style = self.style()
            groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                          QStyle.SubControl.SC_SliderGroove, self)  # fmt: skip
            handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                          QStyle.SubControl.SC_SliderHandle, self)  # fmt: skip
            span = max(groove.width() - handle.width(), 1)
            x = int(event.position().x() - groove.x() - handle.width() / 2)
            self.setValue(QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), x, span))
            self.jumped.emit(self.value())
        super().mousePressEvent(event)


def snapshot_folder() -> Path:
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(pictures or Path.home()) / "VidStream"


class PlayerPanel(QWidget):
    position_changed = Signal(object)  # datetime (UTC) of the picture on screen
    state_changed = Signal(str)  # idle / loading / playing / paused / ended / error
    error = Signal(str)
    snapshot_saved = Signal(str)  # path
    _vlc_event = Signal(int, str)  # generation, event name; from libvlc's threads

    def __init__(self, resolver: Resolver, parent: QWidget | None = None, *, instance: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingsPlayer")
        self._resolve = resolver
        self._instance = instance
        self._player: Any = None
        self._events: Any = None
        self._items: list[PlaybackItem] = []
        self._index = -1
        self._title = ""
        self._generation = 0
        self._rate = 1.0
        self._muted = True
        self._state = "idle"
        self._pause_on_picture = False
        self._landing_ms = 0  # where the segment being opened should show its first picture
        self._tried_archive = False
        self._opening: asyncio.Future[Any] | None = None
        self._dragging = False
        self._jumped_to: int | None = None
        self._paused_seek_ms: int | None = None  # where a step back sent the paused player, until it got there

        self.title = QLabel(self.tr("No recording selected"), self)
        self.title.setObjectName("playerTitle")
        self.title.setContentsMargins(4, 0, 4, 0)
        self.surface = VideoSurface(self)
        self.surface.setMinimumSize(320, 180)
        self.surface.hint.setText(self.tr("Pick a recording, or click the timeline"))

        self.play_button = self._tool("play", self.tr("Play / pause (Space)"), self.toggle_play)
        self.step_button = self._tool("", self.tr("Next frame (.)"), self.next_frame)
        self.step_button.setIcon(frame_step_icon())
        self.back_button = self._tool("", self.tr("Previous frame (,)"), self.previous_frame)
        self.back_button.setIcon(QIcon(frame_step_icon().pixmap(16, 16).transformed(QTransform().scale(-1, 1))))
        self.reverse_button = self._tool("", self.tr("Play backwards, key frame by key frame (J)"),
                                         self.toggle_reverse)  # fmt: skip
        self.reverse_button.setIcon(QIcon(icon("play").pixmap(16, 16).transformed(QTransform().scale(-1, 1))))
        self.reverse_button.setCheckable(True)
        self._reverse = QTimer(self)
        self._reverse.setInterval(REVERSE_TICK_MS)
        self._reverse.timeout.connect(self._reverse_tick)
        self.slider = SeekSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        self.slider.sliderPressed.connect(self._on_slider_pressed)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.jumped.connect(self._on_slider_jumped)
        self.time_label = QLabel("--:--:--", self)
        self.time_label.setObjectName("playerTime")
        self.time_label.setMinimumWidth(150)
        self.speed = QComboBox(self)
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip(self.tr("Playback speed"))
        self.speed.currentIndexChanged.connect(lambda i: self.set_speed(float(self.speed.itemData(i))))
        self.mute_button = self._tool("mute", self.tr("Sound on / off"), self.toggle_mute)
        self.snapshot_button = self._tool("snapshot", self.tr("Save a snapshot"), lambda: self.snapshot())
        # Digital zoom (wall/zoom_mouse.py), at the recording's full resolution; a new recording starts unzoomed.
        self.zoom = VideoZoom(self._set_crop, self._video_size)
        self.zoom_overview = ZoomOverview(self)
        self.zoom.listeners.append(self.zoom_overview.show_view)

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 2)
        controls.setSpacing(4)
        for widget in (self.reverse_button, self.play_button, self.back_button, self.step_button):
            controls.addWidget(widget)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.time_label)
        controls.addWidget(self.zoom_overview)
        controls.addWidget(self.speed)
        controls.addWidget(self.mute_button)
        controls.addWidget(self.snapshot_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.surface, 1)
        layout.addLayout(controls)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self._vlc_event.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._update_position)
        self._set_controls_enabled(False)

    def _tool(self, icon_name: str, tip: str, slot: Callable[[], Any]) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(icon_name))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda: slot())
        return button

    # ---- state -------------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    @property
    def items(self) -> list[PlaybackItem]:
        return list(self._items)

    @property
    def index(self) -> int:
        return self._index

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def clip_start(self) -> datetime | None:
        return self._items[0].start if self._items else None

    @property
    def clip_end(self) -> datetime | None:
        return self._items[-1].end if self._items else None

    def current_time(self) -> datetime | None:
        """The camera time of the picture shown (UTC)."""
        if not (0 <= self._index < len(self._items)):
            return None
        item = self._items[self._index]
        ms = self._player.get_time() if self._player is not None else -1
        if self._paused_seek_ms is not None:
            if self._state == "paused" and abs(int(ms) - self._paused_seek_ms) > 20:
                ms = self._paused_seek_ms  # libvlc reports a seek made while paused only once it has landed
            else:
                self._paused_seek_ms = None
        return item.start + timedelta(milliseconds=max(int(ms), 0))

    def current_item(self) -> PlaybackItem | None:
        return self._items[self._index] if 0 <= self._index < len(self._items) else None

    def has_picture(self) -> bool:
        if self._player is None or self._player.has_vout() <= 0:
            return False
        try:
            return bool(self._player.video_get_size(0) != (0, 0))
        except vlc.VLCException:
            return False

    # ---- commands ----------------------------------------------------------------------------------

    def _set_crop(self, geometry: str) -> None:
        if self._player is not None:
            self._player.video_set_crop_geometry(geometry or None)

    def _video_size(self) -> tuple[int, int]:
        return player_video_size(self._player)

    def load(self, items: list[PlaybackItem], title: str, index: int = 0, offset: float = 0.0) -> None:
        """Play `items` (one recording) from `offset` seconds into item `index`."""
        if list(items) != self._items:
            self.zoom.reset()
        self._items = list(items)
        self._title = title
        self.slider.setRange(0, int(self._clip_seconds() * 1000))
        self._set_controls_enabled(bool(items))
        if not items:
            self.stop()
            return
        self._open(max(0, min(index, len(items) - 1)), offset, play=True)

    def seek(self, moment: datetime) -> None:
        """Jump to camera time `moment` within the loaded recording (a gap jumps to what follows it)."""
        if not self._items:
            return
        for index, item in enumerate(self._items):
            if moment < item.end or index == len(self._items) - 1:
                offset = min(max((moment - item.start).total_seconds(), 0.0), max(item.duration - 0.05, 0.0))
                if index == self._index and self._player is not None and self._state in ("playing", "paused"):
                    self._player.set_time(int(offset * 1000))
                    self._update_position()
                else:  # paused stays paused, also while the segment a seek opened is still loading
                    paused = self._state == "paused" or (self._state == "loading" and self._pause_on_picture)
                    self._open(index, offset, play=not paused)
                return

    def play(self) -> None:
        self._stop_reverse()
        self._paused_seek_ms = None
        if self._player is None:
            if self._items:
                self._open(max(self._index, 0), 0.0, play=True)
            return
        if self._state == "ended":
            self._open(0, 0.0, play=True)
            return
        self._player.set_pause(0)

    def pause(self) -> None:
        self._stop_reverse()
        if self._state == "loading":
            self._pause_on_picture = True  # the next segment is still being opened
        elif self._player is not None:
            self._player.set_pause(1)

    def toggle_play(self) -> None:
        if self._state == "playing":
            self.pause()
        else:
            self.play()

    def set_speed(self, rate: float) -> None:
        self._rate = rate
        if self._player is not None:
            self._player.set_rate(rate)
        index = self.speed.findData(rate)
        if index >= 0 and index != self.speed.currentIndex():
            self.speed.setCurrentIndex(index)

    def next_frame(self) -> None:
        """One frame forward (pauses first, as VLC does)."""
        if self._player is not None:
            self._player.next_frame()
            self._set_state("paused")
            QTimer.singleShot(60, self._update_position)

    def previous_frame(self) -> None:
        """One frame back (pauses first). libvlc has no frame step backwards: an exact seek to one frame
        interval earlier, which decodes from the key frame before it."""
        self._stop_reverse()
        self._step_back(self._frame_seconds())

    def toggle_reverse(self) -> None:
        if self._reverse.isActive():
            self.pause()
        elif self._player is not None:
            self._player.set_pause(1)
            self._set_state("paused")
            self._reverse.start()
        self.reverse_button.setChecked(self._reverse.isActive())

    @property
    def reversing(self) -> bool:
        return self._reverse.isActive()

    def _reverse_tick(self) -> None:
        if not self._step_back(REVERSE_STEP_S):
            self._stop_reverse()  # the start of the recording

    def _stop_reverse(self) -> None:
        self._reverse.stop()
        self.reverse_button.setChecked(False)

    def _step_back(self, seconds: float) -> bool:
        """Show the picture `seconds` earlier, paused, across segment boundaries. False at the start."""
        moment, item = self.current_time(), self.current_item()
        if self._player is None or moment is None or item is None or self._state == "loading":
            return self._state == "loading"  # a segment is opening: try again at the next tick
        if self._state == "playing":
            self._player.set_pause(1)
            self._set_state("paused")
        target = moment - timedelta(seconds=seconds)
        if target >= item.start:
            self._paused_seek_ms = int((target - item.start).total_seconds() * 1000)
            self._player.set_time(self._paused_seek_ms)
            QTimer.singleShot(60, self._update_position)
            return True
        if self._index == 0:
            return False
        before = self._items[self._index - 1]
        self._open(self._index - 1, max(min((target - before.start).total_seconds(), before.duration - 0.05), 0.0),
                   play=False)  # fmt: skip
        return True

    def _frame_seconds(self) -> float:
        fps = float(self._player.get_fps() or 0.0) if self._player is not None else 0.0
        return 1.0 / fps if 1.0 <= fps <= 240.0 else 0.04

    def toggle_mute(self) -> None:
        self._muted = not self._muted
        self.mute_button.setIcon(icon("mute" if self._muted else "unmute"))
        if self._player is not None:
            self._player.audio_set_mute(self._muted)

    def snapshot(self, path: str | Path | None = None) -> Path | None:
        """The picture on screen at its native size, as PNG (in Pictures/VidStream unless `path`)."""
        moment = self.current_time()
        if self._player is None or moment is None or not self.has_picture():
            return None
        target = Path(path) if path else snapshot_folder() / (
            f"{slugify(self._title) or 'recording'}_{local_time(moment):%Y%m%d-%H%M%S}.png")  # fmt: skip
        target.parent.mkdir(parents=True, exist_ok=True)
        if self._player.video_take_snapshot(0, str(target), 0, 0) != 0 or not target.exists():
            self.error.emit(self.tr("The snapshot could not be saved"))
            return None
        self.snapshot_saved.emit(str(target))
        return target

    def stop(self) -> None:
        self._stop_reverse()
        self._generation += 1
        self._poll.stop()
        self._release()
        self._index = -1
        self._set_state("idle")

    def shutdown(self) -> None:
        self.stop()
        self._items = []

    # ---- opening segments --------------------------------------------------------------------------

    def _open(self, index: int, offset: float, play: bool, prefer_archive: bool = False) -> None:
        self._paused_seek_ms = None
        self._generation += 1
        generation = self._generation
        self._index = index
        self._tried_archive = prefer_archive
        self._pause_on_picture = not play
        self._landing_ms = int(offset * 1000)
        self._set_state("loading")
        item = self._items[index]
        self.title.setText(f"{self._title} · {local_time(item.start):%Y-%m-%d %H:%M:%S}")
        if self._opening is not None and not self._opening.done():
            self._opening.cancel()
        future = asyncio.ensure_future(self._resolve(item, prefer_archive))
        self._opening = future
        future.add_done_callback(lambda done: self._resolved(done, generation, offset))

    def _resolved(self, done: asyncio.Future[str], generation: int, offset: float) -> None:
        if generation != self._generation or done.cancelled():
            return
        if (problem := done.exception()) is not None:
            self._fail(str(problem))
            return
        source = done.result()
        player = self._ensure_player()
        instance = self._instance or shared_instance()
        media = instance.media_new(source) if "://" in source else instance.media_new_path(source)
        if offset > 0.04:
            media.add_option(f":start-time={offset:.3f}")
        player.set_media(media)
        player.audio_set_mute(self._muted)
        if player.play() != 0:
            self._fail(self.tr("VLC could not open this recording"))
            return
        player.set_rate(self._rate)
        self._poll.start()

    def _ensure_player(self) -> Any:
        if self._player is None:
            instance = self._instance or shared_instance()
            player = instance.media_player_new()
            attach_player_to_widget(player, self.surface)
            events = player.event_manager()
            for vlc_name, name in EVENTS.items():
                events.event_attach(getattr(vlc.EventType, vlc_name), self._callback(name))
            self._player, self._events = player, events
        return self._player

    def _callback(self, name: str) -> Callable[[Any], None]:
        emit = self._vlc_event.emit

        def on_event(_event: Any) -> None:  # on a libvlc thread: no libvlc calls, no widgets here
            emit(self._generation, name)

        return on_event

    def _release(self) -> None:
        player, events = self._player, self._events
        self._player = self._events = None
        if player is None:
            return
        for vlc_name in EVENTS:
            events.event_detach(getattr(vlc.EventType, vlc_name))
        retire_player(player)  # stopping joins libvlc threads: off the Qt thread

    @Slot(int, str)
    def _on_vlc_event(self, generation: int, name: str) -> None:
        if generation != self._generation or self._player is None:
            return
        if name == "vout":
            self.zoom.reapply()  # each segment's picture: the same view, in its own pixels
        if name in ("playing", "vout"):
            if self._pause_on_picture:
                self._pause_once_landed()
            elif name == "playing" and not (self._state == "paused" and self._paused_seek_ms is not None):
                # It may arrive after a pause that landed first (or for a seek made while paused): VLC decides.
                self._set_state("paused" if self._player.get_state() == vlc.State.Paused else "playing")
        elif name == "paused":
            self._set_state("paused")
        elif name == "ended":
            if self._index + 1 < len(self._items):
                self._open(self._index + 1, 0.0, play=True)
            else:
                self._set_state("ended")
                self._update_position()
        elif name == "error":
            item = self._items[self._index]
            if not self._tried_archive and item.archived and item.local_path:
                self._open(self._index, 0.0, play=True, prefer_archive=True)  # the local copy went away
            else:
                self._fail(self.tr("This part of the recording cannot be played"))

    def _fail(self, message: str) -> None:
        self._set_state("error")
        self.surface.hint.setText(message)
        self.error.emit(message)

    # ---- position ----------------------------------------------------------------------------------

    def _clip_seconds(self) -> float:
        if not self._items:
            return 0.0
        return max((self._items[-1].end - self._items[0].start).total_seconds(), 0.0)

    def _pause_once_landed(self) -> None:
        """Pause on the first picture at the requested offset. libvlc shows a picture (and reports time 0)
        before a `:start-time` seek lands: pausing then would leave the wrong moment on screen."""
        if self._player is None or not self.has_picture() or self._player.get_time() < self._landing_ms - 200:
            return
        self._pause_on_picture = False
        self._player.set_pause(1)
        self._set_state("paused")

    def _update_position(self) -> None:
        if self._pause_on_picture:
            self._pause_once_landed()
        moment = self.current_time()
        start = self.clip_start
        if moment is None or start is None:
            return
        elapsed = (moment - start).total_seconds()
        if not self._dragging:
            self.slider.setValue(int(elapsed * 1000))
        self.time_label.setText(
            f"{local_time(moment):%H:%M:%S} · {format_duration(elapsed)} / {format_duration(self._clip_seconds())}"
        )
        self.position_changed.emit(moment)

    def _on_slider_pressed(self) -> None:
        self._dragging = True

    def _on_slider_jumped(self, value: int) -> None:
        self._jumped_to = value  # the release of this click seeks nowhere new
        start = self.clip_start
        if start is not None:
            self.seek(start + timedelta(milliseconds=value))

    def _on_slider_released(self) -> None:
        self._dragging = False
        jumped, self._jumped_to = self._jumped_to, None
        if jumped == self.slider.value():
            return
        start = self.clip_start
        if start is not None:
            self.seek(start + timedelta(milliseconds=self.slider.value()))

    def _set_state(self, state: str) -> None:
        if state == self._state:
            return
        self._state = state
        self.play_button.setIcon(icon("pause" if state == "playing" else "play"))
        if state in ("idle", "error"):
            self._poll.stop()
        self.surface.hint.setText("" if state in ("playing", "paused", "loading") else self.surface.hint.text())
        self.state_changed.emit(state)

    def _set_controls_enabled(self, enabled: bool) -> None:
        for widget in (self.play_button, self.step_button, self.back_button, self.reverse_button, self.slider,
                       self.speed, self.snapshot_button):  # fmt: skip
            widget.setEnabled(enabled)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Space:
            self.toggle_play()
        elif event.key() == Qt.Key.Key_Period:
            self.next_frame()
        elif event.key() == Qt.Key.Key_Comma:
            self.previous_frame()
        elif event.key() == Qt.Key.Key_J:
            self.toggle_reverse()
        else:
            super().keyPressEvent(event)
