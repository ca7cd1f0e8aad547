"""Tours: a tile that cycles through cameras, or the wall that cycles through saved layouts, each step
shown for a dwell time. The pointer over the tile (or the wall) pauses it, so an operator can look
closer; a click holds it until the next click. A motion event bringing its camera into a tile is the
alarm tile's job (alarm.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vidstream_desktop.wall.info_bar import repolish

MIN_DWELL_S, MAX_DWELL_S, DEFAULT_DWELL_S = 2.0, 3600.0, 10.0


@dataclass(frozen=True)
class TourPlan:
    steps: tuple[str, ...]  # camera ids (a tile tour) or saved layout names (a wall tour)
    dwell_s: float

    def __post_init__(self) -> None:
        if len(self.steps) < 2:
            raise ValueError("a tour needs at least two steps")
        if self.dwell_s <= 0:
            raise ValueError("a tour's dwell time must be positive")


class TourRunner(QObject):
    """Shows `plan.steps` one after the other on `watched` (a tile or the whole wall) through `show`."""

    stepped = Signal(int)  # the index of the step now shown
    paused_changed = Signal(bool)

    def __init__(self, plan: TourPlan, show: Callable[[str], None], watched: QWidget) -> None:
        super().__init__(watched)
        self.plan = plan
        self._show = show
        self.watched = watched
        self.index = -1
        self._hovered = False
        self._held = False
        self._timer = QTimer(self)
        self._timer.setInterval(round(plan.dwell_s * 1000))
        self._timer.timeout.connect(self._advance)
        watched.installEventFilter(self)

    @property
    def paused(self) -> bool:
        return self._hovered or self._held

    @property
    def running(self) -> bool:
        return self._timer.isActive() or self.paused

    def start(self) -> None:
        self._hovered = self.watched.underMouse()
        self._advance(force=True)
        self._timer.start()
        self._mark()

    def stop(self) -> None:
        self._timer.stop()
        self._hovered = self._held = False
        self.watched.removeEventFilter(self)
        self.watched.setProperty("tour", "")
        repolish(self.watched)

    def _advance(self, force: bool = False) -> None:
        if self.paused and not force:
            return
        self.index = (self.index + 1) % len(self.plan.steps)
        self._show(self.plan.steps[self.index])
        self.stepped.emit(self.index)

    def _set_pause(self, hovered: bool | None = None, held: bool | None = None) -> None:
        was = self.paused
        self._hovered = self._hovered if hovered is None else hovered
        self._held = self._held if held is None else held
        if self.paused != was:
            if not self.paused:
                self._timer.start()  # a full dwell after the pause, not what was left of the last one
            self._mark()
            self.paused_changed.emit(self.paused)

    def _mark(self) -> None:
        self.watched.setProperty("tour", "paused" if self.paused else "running")
        repolish(self.watched)
        text = self.tr("Tour paused (click to go on)") if self._held else self.tr("Tour: {0} of {1}, every {2:g} s")
        self.watched.setToolTip(text.format(self.index + 1, len(self.plan.steps), self.plan.dwell_s))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.watched:
            kind = event.type()
            if kind == QEvent.Type.Enter:
                self._set_pause(hovered=True)
            elif kind == QEvent.Type.Leave:
                self._set_pause(hovered=False)
            elif kind == QEvent.Type.MouseButtonRelease and getattr(event, "button", lambda: None)() == \
                    Qt.MouseButton.LeftButton:  # fmt: skip
                self._set_pause(held=not self._held)
        return False


class TourDialog(QDialog):
    """Which cameras (or saved layouts) a tour shows, and for how long each."""

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choices = QListWidget()
        for value, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.choices.addItem(item)
        self.dwell = QDoubleSpinBox()
        self.dwell.setRange(MIN_DWELL_S, MAX_DWELL_S)
        self.dwell.setValue(DEFAULT_DWELL_S)
        self.dwell.setSuffix(self.tr(" s"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #e5484d")
        form = QFormLayout()
        form.addRow(self.tr("Show each for"), self.dwell)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Steps, in this order (hover or click pauses the tour):")))
        layout.addWidget(self.choices)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def plan(self) -> TourPlan:
        steps = [
            str(self.choices.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.choices.count())
            if self.choices.item(row).checkState() == Qt.CheckState.Checked
        ]
        return TourPlan(tuple(steps), self.dwell.value())

    def _accept_if_valid(self) -> None:
        try:
            self.plan()
        except ValueError:
            self.error.setText(self.tr("Pick at least two steps."))
            return
        self.accept()


class TourManager(QObject):
    """The running tours of one window: at most one per tile and one for the whole wall."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runners: dict[int, TourRunner] = {}  # keyed by the watched widget's id

    def start(self, plan: TourPlan, show: Callable[[str], None], watched: QWidget) -> TourRunner:
        self.stop(watched)
        runner = TourRunner(plan, show, watched)
        self.runners[id(watched)] = runner
        runner.start()
        return runner

    def stop(self, watched: QWidget) -> None:
        runner = self.runners.pop(id(watched), None)
        if runner is not None:
            runner.stop()

    def stop_all(self) -> None:
        for runner in list(self.runners.values()):
            runner.stop()
        self.runners.clear()
