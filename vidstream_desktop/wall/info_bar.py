"""The slim bar under each tile's video: state, camera name, REC, transport, fps/bitrate, clock, tools.

It sits beside the video rather than over it because the video is a native window that would cover any
Qt widget drawn on top of it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPainter, QPaintEvent, QResizeEvent, QTransform
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from vidstream_desktop.resources import icon
from vidstream_desktop.wall.zoom_view import ZoomOverview, ZoomView

BAR_HEIGHT = 24
TOOL_SIZE = QSize(20, 20)
TOOL_ICON_SIZE = QSize(14, 14)
NAME_MIN_WIDTH = 64
# Below this width the state shows as its coloured dot only (the word moves to the tooltip).
COMPACT_STATE_WIDTH = 380
STATE_DOT = "●"


class WallClock(QObject):
    """One clock for every tile, ticking on the second boundary so all tiles change together."""

    ticked = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.text = ""
        self._tick()

    def _tick(self) -> None:
        now = time.time()
        self.text = time.strftime("%H:%M:%S", time.localtime(now))
        self.ticked.emit(self.text)
        self._timer.start(max(1, int((1.0 - now % 1.0) * 1000) + 5))


_clock: WallClock | None = None


def wall_clock() -> WallClock:
    global _clock
    if _clock is None:
        _clock = WallClock(QCoreApplication.instance())
        _clock.destroyed.connect(_forget_clock)
    return _clock


def _forget_clock() -> None:
    global _clock
    _clock = None


class ElidedLabel(QLabel):
    """A label that shortens its text with an ellipsis instead of clipping it or widening the bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(NAME_MIN_WIDTH)

    def set_full_text(self, text: str) -> None:
        self._full_text = text
        self.setToolTip(text)
        self.update()

    def full_text(self) -> str:
        return self._full_text

    def elided_text(self) -> str:
        return self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight, self.width())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._full_text), super().sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        alignment = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(self.contentsRect(), int(alignment), self.elided_text())


def _tool_button(name: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setAutoRaise(True)
    button.setFixedSize(TOOL_SIZE)
    button.setIconSize(TOOL_ICON_SIZE)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    policy = button.sizePolicy()
    policy.setRetainSizeWhenHidden(True)  # revealing the tools on hover must not shift the labels
    button.setSizePolicy(policy)
    return button


class TileInfoBar(QWidget):
    record_clicked = Signal()
    snapshot_clicked = Signal()
    mute_toggled = Signal(bool)
    maximize_clicked = Signal()
    replay_clicked = Signal()
    tamper_acknowledged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tileInfoBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedHeight(BAR_HEIGHT)

        self.state_label = QLabel(self)
        self.state_label.setObjectName("tileState")
        self.name_label = ElidedLabel(self)
        self.name_label.setObjectName("tileName")
        self.rec_label = QLabel(self.tr("● REC"), self)
        self.rec_label.setObjectName("tileRec")
        self.rec_label.setToolTip(self.tr("Recording"))
        self.rec_label.setProperty("paused", False)
        self.rec_label.hide()
        self.alarm_label = QLabel(self.tr("ALARM"), self)
        self.alarm_label.setObjectName("tileAlarm")
        self.alarm_label.setProperty("active", False)
        self.alarm_label.hide()
        # A badge that is also a button: a moved camera's alert stays until the operator has looked at it.
        self.tamper_button = QToolButton(self)
        self.tamper_button.setObjectName("tileTamper")
        self.tamper_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tamper_button.setProperty("sticky", False)
        self.tamper_button.hide()
        self.tamper_button.clicked.connect(self._on_tamper_clicked)
        self.ptz_label = QLabel(self.tr("PTZ"), self)
        self.ptz_label.setObjectName("tilePtz")
        self.ptz_label.setToolTip(self.tr("PTZ camera: drag to pan and tilt, wheel to zoom"))
        self.ptz_label.hide()
        self.zoom_overview = ZoomOverview(self)
        self.transport_label = QLabel(self)
        self.transport_label.setObjectName("tileTransport")
        self.stats_label = QLabel(self)
        self.stats_label.setObjectName("tileStats")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("tileClock")

        self.record_button = _tool_button("tileRecordButton", self)
        self.snapshot_button = _tool_button("tileSnapshotButton", self)
        self.snapshot_button.setIcon(icon("snapshot"))
        self.snapshot_button.setToolTip(self.tr("Save a snapshot"))
        self.mute_button = _tool_button("tileMuteButton", self)
        self.mute_button.setCheckable(True)
        self.replay_button = _tool_button("tileReplayButton", self)
        self.replay_button.setIcon(QIcon(icon("play").pixmap(16, 16).transformed(QTransform().scale(-1, 1))))
        self.replay_button.setToolTip(self.tr("Instant replay: the last 30 s here (Ctrl+I)"))
        self.maximize_button = _tool_button("tileMaximizeButton", self)
        self.maximize_button.setIcon(icon("maximize"))
        self.maximize_button.setToolTip(self.tr("Maximise / restore (double-click)"))
        self.tool_buttons = (self.record_button, self.snapshot_button, self.replay_button, self.mute_button,
                             self.maximize_button)  # fmt: skip

        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 2, 0)
        layout.setSpacing(6)
        layout.addWidget(self.state_label)
        layout.addWidget(self.alarm_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.tamper_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.name_label, 1)
        layout.addWidget(self.rec_label)
        layout.addWidget(self.ptz_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.zoom_overview, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.transport_label, 0, Qt.AlignmentFlag.AlignVCenter)  # a badge, not a full-height box
        layout.addWidget(self.stats_label)
        layout.addWidget(self.clock_label)
        tools = QHBoxLayout()
        tools.setSpacing(0)
        for button in self.tool_buttons:
            tools.addWidget(button)
        layout.addLayout(tools)
        # Shed the least important text first when the tile is too narrow for everything.
        self._optional_labels = (self.stats_label, self.transport_label, self.clock_label)
        # Which optional labels have something to say; _fit() decides which of those there is room for.
        self._wanted: dict[QLabel, bool] = {label: label is self.clock_label for label in self._optional_labels}
        self._state_text = ""
        self._state_tooltip = ""
        self._tools_shown = False
        self._usable: dict[QToolButton, bool] = {button: True for button in self.tool_buttons}

        self.record_button.clicked.connect(self.record_clicked)
        self.snapshot_button.clicked.connect(self.snapshot_clicked)
        self.mute_button.toggled.connect(self._on_mute_toggled)
        self.maximize_button.clicked.connect(self.maximize_clicked)
        self.replay_button.clicked.connect(self.replay_clicked)

        clock = wall_clock()
        self.clock_label.setText(clock.text)
        clock.ticked.connect(self.clock_label.setText)
        self.set_recording(False)
        self.set_muted(True)
        self.set_tools_visible(False)

    # ----------------------------------------------------------------------------------------------

    def set_name(self, name: str) -> None:
        self.name_label.set_full_text(name)

    def set_state(self, state: str, text: str, tooltip: str) -> None:
        """`text` is the word ("LIVE"); the bar prefixes the dot, or shows only the dot when narrow."""
        self._state_text, self._state_tooltip = text, tooltip
        self.state_label.setProperty("state", state)
        repolish(self.state_label)
        self._fit()

    def set_clock_visible(self, visible: bool) -> None:
        self._wanted[self.clock_label] = visible
        self._fit()

    def set_transport(self, label: str) -> None:
        self.transport_label.setText(label)
        self._wanted[self.transport_label] = bool(label)
        self._fit()

    def set_stats_text(self, text: str) -> None:
        self.stats_label.setText(text)
        self._wanted[self.stats_label] = bool(text)
        self._fit()

    def set_recording(self, recording: bool, paused: bool = False, event: bool = False) -> None:
        """`paused`: recording, but the camera dropped and nothing is being written until it is back. `event`:
        a motion event's recording (the camera records on motion); the Record button still offers a start."""
        self.rec_label.setVisible(recording or event)
        self.rec_label.setText(self.tr("❚❚ REC paused") if paused else self.tr("● REC"))
        if paused:
            tip = self.tr("Recording paused: the camera sends nothing; it resumes by itself")
        elif event:
            tip = self.tr("Recording a motion event, from the seconds before it; it ends after the motion")
        else:
            tip = self.tr("Recording")
        self.rec_label.setToolTip(tip)
        self.rec_label.setProperty("paused", paused)
        repolish(self.rec_label)
        self.record_button.setIcon(icon("stop" if recording else "record"))
        self.record_button.setToolTip(self.tr("Stop recording") if recording else self.tr("Start recording"))
        self._fit()

    def set_alarm(self, chosen: bool, active: bool = False) -> None:
        """The alarm tile's badge: shown while this is the alarm tile, bright while its camera is in motion."""
        self.alarm_label.setVisible(chosen)
        self.alarm_label.setProperty("active", chosen and active)
        self.alarm_label.setToolTip(self.tr("Alarm tile: a camera in motion is brought here") if chosen else "")
        repolish(self.alarm_label)
        self._fit()

    def set_tamper(self, kinds: frozenset[str]) -> None:
        """The camera's tamper conditions ("frozen", "blinded", "moved"); empty hides the badge. Frozen and
        blinded end by themselves; "moved" stays until clicked (`tamper_acknowledged`)."""
        words = {"frozen": self.tr("FROZEN"), "blinded": self.tr("BLINDED"), "moved": self.tr("MOVED")}
        shown = [words[kind] for kind in ("moved", "blinded", "frozen") if kind in kinds]
        self.tamper_button.setVisible(bool(shown))
        self.tamper_button.setText("⚠ " + " ".join(shown) if shown else "")
        sticky = "moved" in kinds
        self.tamper_button.setProperty("sticky", sticky)
        self.tamper_button.setCursor(Qt.CursorShape.PointingHandCursor if sticky else Qt.CursorShape.ArrowCursor)
        if sticky:
            tip = self.tr("The view changed at once: the camera may have been turned or moved. Check it, then "
                          "click here: its new view becomes the normal one.")  # fmt: skip
        else:
            tip = self.tr("Tamper alert: it clears by itself when the picture is normal again.")
        self.tamper_button.setToolTip(tip)
        repolish(self.tamper_button)
        self._fit()

    def tamper_text(self) -> str:
        return self.tamper_button.text() if self.tamper_button.isVisibleTo(self) else ""

    def _on_tamper_clicked(self) -> None:
        if self.tamper_button.property("sticky"):
            self.tamper_acknowledged.emit()

    def show_zoom(self, view: ZoomView) -> None:
        """Digital zoom: the overview of where the zoomed view is, shown while zoomed."""
        self.zoom_overview.show_view(view)
        self._fit()

    def set_ptz(self, steerable: bool) -> None:
        if self.ptz_label.isVisibleTo(self) != steerable:
            self.ptz_label.setVisible(steerable)
            self._fit()

    def set_muted(self, muted: bool) -> None:
        self.mute_button.blockSignals(True)  # a state shown, not a click: nobody is told
        self.mute_button.setChecked(muted)
        self.mute_button.blockSignals(False)
        self._show_mute(muted)

    def set_tools_visible(self, visible: bool) -> None:
        self._tools_shown = visible
        for button in self.tool_buttons:
            button.setVisible(visible and self._usable[button])

    def tools_visible(self) -> bool:
        return all(button.isVisibleTo(self) for button in self.tool_buttons if self._usable[button])

    def set_usable(self, record: bool, snapshot: bool, mute: bool, replay: bool = False) -> None:
        """Offer only the tools that can work now (no snapshot without a picture, no recording of a camera
        whose stream could not be started, no replay of a camera that is not being recorded)."""
        for button, usable in ((self.record_button, record), (self.snapshot_button, snapshot),
                               (self.mute_button, mute), (self.replay_button, replay)):  # fmt: skip
            self._usable[button] = usable
        self.set_tools_visible(self._tools_shown)

    def usable_tools(self) -> list[str]:
        return [button.objectName() for button in self.tool_buttons if self._usable[button]]

    # ----------------------------------------------------------------------------------------------

    def _on_mute_toggled(self, muted: bool) -> None:
        self._show_mute(muted)
        self.mute_toggled.emit(muted)

    def _show_mute(self, muted: bool) -> None:
        self.mute_button.setIcon(icon("mute" if muted else "unmute"))
        self.mute_button.setToolTip(self.tr("Unmute") if muted else self.tr("Mute"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Show as many optional labels as fit next to a readable name; hide the rest."""
        compact = self.width() < COMPACT_STATE_WIDTH
        if not self._state_text:
            self.state_label.setText("")
        else:
            self.state_label.setText(STATE_DOT if compact else f"{STATE_DOT} {self._state_text}")
        tooltip = self._state_text if compact else ""
        if self._state_tooltip:
            tooltip = f"{tooltip}: {self._state_tooltip}" if tooltip else self._state_tooltip
        self.state_label.setToolTip(tooltip)

        margins = self._layout.contentsMargins()
        spacing = self._layout.spacing()
        used = margins.left() + margins.right() + NAME_MIN_WIDTH + len(self.tool_buttons) * TOOL_SIZE.width()
        fixed_parts = (self.state_label, self.alarm_label, self.tamper_button, self.rec_label, self.ptz_label,
                       self.zoom_overview)  # fmt: skip
        for fixed in fixed_parts:
            if fixed.isVisibleTo(self) or fixed is self.state_label:
                used += fixed.sizeHint().width() + spacing
        shown: list[QLabel] = []
        for label in reversed(self._optional_labels):  # most important last in the tuple
            if not self._wanted[label]:
                continue
            needed = label.sizeHint().width() + spacing
            if used + needed > self.width():
                break  # strictly by importance: no transport badge where the clock did not fit
            used += needed
            shown.append(label)
        for label in self._optional_labels:
            label.setVisible(label in shown)


def repolish(widget: QWidget) -> None:
    """Re-evaluate style sheet rules that select on a dynamic property that just changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
