"""One cell of the wall: a native video surface that libvlc draws into, and the info bar under it.

The tile only shows; connecting, reconnecting and deciding what "live" means is LivePlayer's job.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QEnterEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vidstream_desktop.wall.info_bar import TileInfoBar, repolish
from vidstream_desktop.wall.live_player import LivePlayer, PlayerState
from vidstream_desktop.wall.mime import camera_id_from_mime, carries_camera
from vidstream_desktop.wall.vlc_backend import Transport
from vidstream_desktop.wall.zoom_view import VideoZoom, ZoomView


class VideoSurface(QWidget):
    """A black native window of its own, so libvlc can be given its handle. Mouse events are left to
    bubble up to the tile: VLC is told not to take them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tileVideo")
        # Native for VLC, without making every ancestor native too (that costs flicker and memory).
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

        # Painted on the surface itself: VLC's own window covers it while a picture is shown.
        self.hint = QLabel(self)
        self.hint.setObjectName("tileHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.hint)


class VideoTile(QFrame):
    record_clicked = Signal()
    snapshot_clicked = Signal()
    mute_toggled = Signal(bool)
    maximize_clicked = Signal()
    double_clicked = Signal()
    camera_dropped = Signal(str)  # camera id
    tamper_acknowledged = Signal(str)  # camera id: the operator clicked its "moved" badge
    zoom_changed = Signal(bool)  # zoomed in (digital zoom) or back to the whole picture
    replay_clicked = Signal()
    in_place_closed = Signal(QWidget)  # what was shown in place of the live picture is taken away: dispose of it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(160, 90)
        self._camera_id = ""
        self._camera_name = ""
        self._transport: Transport | None = None
        self._url = ""
        self._caching_ms = 100
        self._video_codec: str | None = None
        self._recording = False
        self._paused = False
        self._event_recording = False  # REC of a motion event (the camera records on motion)
        self._setting_up = False  # shown as connecting while the core provisions the stream (no player yet)
        self._problem: str | None = None  # a reason known from elsewhere, shown while not live
        self._in_place: QWidget | None = None  # shown instead of the live picture (instant replay)
        # A tile the layout stops showing keeps playing, hidden, for WARM_S (see suspend).
        self.in_layout = True  # set by the grid: a tile outside its layout plays nothing new
        self._cool_down = QTimer(self)
        self._cool_down.setSingleShot(True)
        self._cool_down.timeout.connect(self._stop_hidden)

        self.surface = VideoSurface(self)
        self.bar = TileInfoBar(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.surface, 1)
        layout.addWidget(self.bar)

        self.player = LivePlayer(self.surface, self)
        self.player.state_changed.connect(self._show_state)
        # Digital zoom (wall/zoom_mouse.py): kept while the tile shows the same camera, worked out again for
        # each new picture (the main stream replaces the sub-stream while zoomed).
        self.zoom = VideoZoom(self.player.set_crop, self.player.video_size)
        self.zoom.listeners.append(self._on_zoom)
        self.player.state_changed.connect(lambda state, _detail: self.zoom.reapply() if state == "live" else None)
        self.player.stats_updated.connect(self.set_stats)

        self.bar.record_clicked.connect(self.record_clicked)
        self.bar.snapshot_clicked.connect(self.snapshot_clicked)
        self.bar.maximize_clicked.connect(self.maximize_clicked)
        self.bar.replay_clicked.connect(self.replay_clicked)
        self.bar.mute_toggled.connect(self._on_mute_toggled)
        self.bar.tamper_acknowledged.connect(lambda: self.tamper_acknowledged.emit(self._camera_id))
        self._show_state(PlayerState.STOPPED.value, "")

    # ----------------------------------------------------------------------------------------------
    # Read-only state

    @property
    def camera_id(self) -> str:
        return self._camera_id

    @property
    def camera_name(self) -> str:
        return self._camera_name

    @property
    def transport(self) -> Transport | None:
        return self._transport

    @property
    def url(self) -> str:
        """What the player reads (with the server's login, if any: never shown)."""
        return self._url

    @property
    def state(self) -> str:
        if self._setting_up and self.player.state is PlayerState.STOPPED:
            return PlayerState.CONNECTING.value
        return self.player.state.value

    @property
    def is_degraded(self) -> bool:
        """A picture is shown but is not current (the reason is the state's detail)."""
        return self.player.state is PlayerState.DEGRADED

    @property
    def is_recording(self) -> bool:
        return self._recording

    @property
    def is_muted(self) -> bool:
        return self.player.muted

    @property
    def is_empty(self) -> bool:
        return not self._camera_id

    # ----------------------------------------------------------------------------------------------
    # Commands

    def assign(
        self, camera_id: str, name: str, url: str, transport: Transport, caching_ms: int = 100,
        video_codec: str | None = None,
    ) -> None:  # fmt: skip
        """Show camera `camera_id` read from `url`; replaces whatever the tile showed. `video_codec` (as the
        media server names it, None when not known) lets the relay pick a container that carries it."""
        if camera_id != self._camera_id:
            self.zoom.reset()
        self._cool_down.stop()
        self.back_to_live(resume=False)  # a new stream for the tile: it shows it live
        self._camera_id, self._camera_name = camera_id, name
        self._url, self._transport, self._caching_ms = url, Transport(transport), caching_ms
        self._video_codec = video_codec
        self._problem = None
        self._setting_up = False
        self.bar.set_name(name)
        self.bar.set_transport(self._transport.label)
        if self.in_layout:
            self.player.play(url, self._transport, caching_ms, video_codec)
        else:
            self.player.stop()  # kept for when the layout shows the tile: resume() plays it then

    def show_connecting(self, camera_id: str, name: str) -> None:
        """Say at once which camera is coming, while its stream is still being set up (that can take seconds,
        and up to the server's timeout for a camera that does not answer)."""
        self._cool_down.stop()
        self.player.stop()
        self._camera_id, self._camera_name, self._url, self._transport = camera_id, name, "", None
        self._problem = None
        self._setting_up = True
        self.bar.set_name(name)
        self.bar.set_transport("")
        self._show_state(PlayerState.CONNECTING.value, self.tr("setting up the stream"))

    def clear(self) -> None:
        self._cool_down.stop()
        self.back_to_live(resume=False)
        self._setting_up = False
        self.set_motion(False)
        self.bar.set_tamper(frozenset())
        self.zoom.reset()
        self.player.stop()
        self._camera_id = self._camera_name = self._url = ""
        self._transport = None
        self._problem = None
        self.bar.set_name("")
        self.bar.set_transport("")
        self.set_recording(False)
        self._show_state(PlayerState.STOPPED.value, "")

    # How long a tile the layout no longer shows keeps its stream. Each new stream's first picture waits for
    # the camera's next key frame and for the relay to start (0.3-1.2 s at a 1 s key-frame interval): a
    # layout switched away and back within this time shows every tile at once, for the CPU of decoding the
    # hidden tiles meanwhile (as a maximised tile's neighbours do).
    WARM_S = 30.0

    def suspend(self, warm: bool = False) -> None:
        """Stop the stream but keep the assignment, for a tile the layout does not show. `warm`: only after
        WARM_S, unless the tile is shown again before."""
        # An unmuted tile goes quiet at once: sound from a picture nobody sees would puzzle the operator.
        if warm and self._camera_id and self.player.state is not PlayerState.STOPPED and self.player.muted:
            if not self._cool_down.isActive():
                self._cool_down.start(int(self.WARM_S * 1000))
            return
        self._cool_down.stop()
        self.player.stop()

    def _stop_hidden(self) -> None:
        if not self.isVisible():  # shown again meanwhile: resume() stopped the timer; this is a late shot
            self.player.stop()

    @property
    def warm(self) -> bool:
        """Hidden by the layout and still playing (until WARM_S has passed)."""
        return self._cool_down.isActive()

    def resume(self) -> None:
        """Reconnect a suspended tile to its camera (not while it replays: it goes live when that ends). A
        warm one is still playing: nothing to do. A tile outside the layout stays as it is (the grid resumes
        it when the layout shows it)."""
        if not self.in_layout:
            return
        self._cool_down.stop()
        if self._in_place is not None:
            return
        if self._camera_id and self._transport is not None and self.player.state is PlayerState.STOPPED:
            self.player.play(self._url, self._transport, self._caching_ms, self._video_codec)

    def set_recording(self, recording: bool, paused: bool = False, event: bool = False) -> None:
        """`event`: not the operator's recording but a motion event's (REC shown; Record still starts one)."""
        self._recording, self._paused = recording, recording and paused
        self._event_recording = event and not recording
        self.bar.set_recording(recording, self._paused, self._event_recording)
        self._offer_tools(self.player.state.value)

    @property
    def is_recording_event(self) -> bool:
        return self._event_recording

    @property
    def is_recording_paused(self) -> bool:
        return self._paused

    def set_motion(self, active: bool) -> None:
        """Light the border while the camera's motion detector sees motion."""
        if bool(self.property("motion")) != active:
            self.setProperty("motion", active)
            repolish(self)

    def _on_zoom(self, view: ZoomView) -> None:
        self.bar.show_zoom(view)
        self.zoom_changed.emit(view.zoomed)

    def set_tamper(self, kinds: frozenset[str]) -> None:
        """The camera's tamper conditions, as a badge in the bar (see TileInfoBar.set_tamper)."""
        self.bar.set_tamper(kinds)

    @property
    def has_motion(self) -> bool:
        return bool(self.property("motion"))

    def set_muted(self, muted: bool) -> None:
        self.player.set_muted(muted)
        self.bar.set_muted(muted)

    def set_stats(self, fps: float | None, kbps: float | None) -> None:
        parts, locale = [], QLocale()
        if fps is not None:
            parts.append(self.tr("{fps} fps").format(fps=locale.toString(fps, "f", 0)))
        if kbps is not None:
            if kbps >= 1000:
                parts.append(self.tr("{mbps} Mb/s").format(mbps=locale.toString(kbps / 1000, "f", 1)))
            else:
                parts.append(self.tr("{kbps} kb/s").format(kbps=locale.toString(kbps, "f", 0)))
        self.bar.set_stats_text(" · ".join(parts))

    def set_problem(self, reason: str | None) -> None:
        """A reason the caller knows better than the player (from the server's API: "unauthorized",
        "no such path"); shown instead of the player's guess while the tile is not live."""
        self._problem = reason
        self._show_state(self.player.state.value, self.player.detail)

    def snapshot(self, path: str | Path) -> bool:
        return self.player.snapshot(path)

    # ----------------------------------------------------------------------------------------------
    # Presentation

    def _on_mute_toggled(self, muted: bool) -> None:
        self.player.set_muted(muted)
        self.mute_toggled.emit(muted)

    # ----------------------------------------------------------------------------------------------
    # In place of the live picture (instant replay)

    @property
    def in_place(self) -> QWidget | None:
        return self._in_place

    def show_in_place(self, widget: QWidget, state_text: str, tooltip: str) -> None:
        """Show `widget` where the live picture is; the live stream stops meanwhile, its camera stays."""
        self.back_to_live(resume=False)
        self.player.stop()
        self._in_place = widget
        self.surface.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget, 1)
        widget.show()
        self.bar.set_state("replay", state_text, tooltip)
        self.bar.set_stats_text("")

    def back_to_live(self, resume: bool = True) -> None:
        """Take the widget shown in place away (the caller disposes of it) and play the live stream again."""
        widget, self._in_place = self._in_place, None
        if widget is not None:
            widget.hide()
            layout = self.layout()
            if layout is not None:
                layout.removeWidget(widget)
            self.surface.show()
            self._show_state(self.player.state.value, self.player.detail)
            self.in_place_closed.emit(widget)
        if resume:
            self.resume()

    def _show_state(self, state: str, detail: str) -> None:
        if self._in_place is not None:
            return  # the footer says REPLAY until the tile is back to live
        texts = {
            PlayerState.LIVE.value: self.tr("LIVE"),
            PlayerState.DEGRADED.value: self.tr("DEGRADED"),
            PlayerState.STALLED.value: self.tr("STALLED"),
            PlayerState.CONNECTING.value: self.tr("CONNECTING"),
            PlayerState.OFFLINE.value: self.tr("OFFLINE"),
            PlayerState.ERROR.value: self.tr("ERROR"),
            PlayerState.STOPPED.value: self.tr("STOPPED"),
        }
        showing = state in (PlayerState.LIVE.value, PlayerState.DEGRADED.value)
        if not showing and self._problem:
            detail = self._problem
        empty = not self._camera_id
        self.bar.set_state(state, "" if empty else texts.get(state, state.upper()), detail)
        self.bar.set_clock_visible(not empty)
        if not showing:
            self.set_stats(None, None)
        self._offer_tools(state)
        if empty:
            hint = self.tr("Drag a camera here")
        elif state == PlayerState.CONNECTING.value:
            hint = self.tr("Connecting to {0}…").format(self._camera_name)
        elif state in (PlayerState.OFFLINE.value, PlayerState.ERROR.value):
            hint = detail or self.tr("Camera offline")
        else:
            hint = ""
        self.surface.hint.setText(hint)
        self.surface.hint.setProperty("state", "empty" if empty else state)
        repolish(self.surface.hint)

    def _offer_tools(self, state: str) -> None:
        picture = state in (PlayerState.LIVE.value, PlayerState.DEGRADED.value, PlayerState.STALLED.value)
        # A stream the core could not start cannot be recorded either; a recording can always be stopped.
        recordable = self._recording or bool(self._url) or state == PlayerState.CONNECTING.value
        self.bar.set_usable(record=recordable, snapshot=state in (PlayerState.LIVE.value, PlayerState.DEGRADED.value),
                             mute=picture, replay=self._recording or self._event_recording)  # fmt: skip

    # ----------------------------------------------------------------------------------------------
    # Mouse and drops

    def enterEvent(self, event: QEnterEvent) -> None:
        self.bar.set_tools_visible(not self.is_empty)  # nothing to record, mute or snap in an empty tile
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.bar.set_tools_visible(False)
        super().leaveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if carries_camera(event.mimeData()):
            event.acceptProposedAction()
            self._set_drop_target(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if carries_camera(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_target(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drop_target(False)
        camera_id = camera_id_from_mime(event.mimeData())
        if camera_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.camera_dropped.emit(camera_id)

    def _set_drop_target(self, active: bool) -> None:
        self.setProperty("dropTarget", active)
        repolish(self)
