"""A camera's motion settings: on/off, sensitivity, minimum area, and masks drawn as polygons on a still
frame (click to add a corner, double-click or "Close mask" to finish one)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from video_streaming.domain.errors import InvalidInput
from video_streaming.motion.detector import MotionSettings, Point, Polygon

MASK_FILL = QColor(229, 72, 77, 90)
MASK_EDGE = QColor(229, 72, 77)


class MaskEditor(QWidget):
    """Shows the still frame and the masks; corners are kept as fractions of the picture."""

    changed = Signal()
    fill, edge = MASK_FILL, MASK_EDGE

    def __init__(self, still: QImage | None, masks: tuple[Polygon, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.still = still
        self.masks: list[Polygon] = list(masks)
        self.drawing: list[Point] = []
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def picture_rect(self) -> QRectF:
        """The 16:9 area the picture fills, centred in the widget."""
        width = min(float(self.width()), self.height() * 16 / 9)
        height = width * 9 / 16
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def to_fraction(self, position: QPointF) -> Point:
        area = self.picture_rect()
        x = min(max((position.x() - area.left()) / area.width(), 0.0), 1.0)
        y = min(max((position.y() - area.top()) / area.height(), 0.0), 1.0)
        return (round(x, 4), round(y, 4))

    def to_widget(self, point: Point) -> QPointF:
        area = self.picture_rect()
        return QPointF(area.left() + point[0] * area.width(), area.top() + point[1] * area.height())

    def close_mask(self) -> bool:
        """Finish the polygon being drawn; fewer than three corners is not a mask (dropped)."""
        corners, self.drawing = self.drawing, []
        closed = len(corners) >= 3
        if closed:
            self.masks.append(tuple(corners))
        self.update()
        self.changed.emit()
        return closed

    def clear(self) -> None:
        self.masks, self.drawing = [], []
        self.update()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.picture_rect().contains(event.position()):
            self.drawing.append(self.to_fraction(event.position()))
            self.update()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.close_mask()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b0c0e"))
        area = self.picture_rect()
        if self.still is not None and not self.still.isNull():
            painter.drawImage(area, self.still)
        else:
            painter.fillRect(area, QColor("#1b1e22"))
            painter.setPen(QColor("#5c636b"))
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), self.tr("No picture yet: masks still apply"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self.edge, 2))
        painter.setBrush(self.fill)
        for mask in self.masks:
            painter.drawPolygon(QPolygonF([self.to_widget(point) for point in mask]))
        if self.drawing:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF([self.to_widget(point) for point in self.drawing]))
            for point in self.drawing:
                painter.drawEllipse(self.to_widget(point), 3, 3)
        painter.end()


class MotionSettingsForm(QWidget):
    """On/off, sensitivity, smallest area and the mask editor: the camera dialog's Motion tab and the motion
    dialog (Ctrl+M) are both this form."""

    def __init__(self, settings: MotionSettings, still: QImage | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("motionSettingsForm")
        self.enabled = QCheckBox(self.tr("Detect motion on this camera"), self)
        self.enabled.setChecked(settings.enabled)
        self.sensitivity = QSlider(Qt.Orientation.Horizontal, self)
        self.sensitivity.setRange(1, 100)
        self.sensitivity.setValue(settings.sensitivity)
        self.min_area = QDoubleSpinBox(self)
        self.min_area.setRange(0.01, 50.0)
        self.min_area.setDecimals(2)
        self.min_area.setSuffix(" %")
        self.min_area.setValue(settings.min_area * 100)
        self.editor = MaskEditor(still, settings.masks, self)
        self.close_button = QPushButton(self.tr("Close mask"), self)
        self.clear_button = QPushButton(self.tr("Clear masks"), self)
        self.close_button.clicked.connect(self.editor.close_mask)
        self.clear_button.clicked.connect(self.editor.clear)
        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow(self.tr("Sensitivity"), self.sensitivity)
        form.addRow(self.tr("Smallest moving area"), self.min_area)
        buttons_row = QHBoxLayout()
        hint = QLabel(self.tr("Masks: click corners on the picture, double-click to close"), self)
        hint.setWordWrap(True)
        buttons_row.addWidget(hint, 1)
        buttons_row.addWidget(self.close_button)
        buttons_row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons_row)
        layout.addWidget(self.editor, 1)

    def settings(self) -> MotionSettings:
        """Raises InvalidInput with the reason when the values do not make settings."""
        if self.editor.drawing:
            self.editor.close_mask()
        return MotionSettings(
            enabled=self.enabled.isChecked(), sensitivity=self.sensitivity.value(),
            min_area=self.min_area.value() / 100, masks=tuple(self.editor.masks),
        )  # fmt: skip


class MotionDialog(QDialog):
    def __init__(
        self, camera_name: str, settings: MotionSettings, still: QImage | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Motion detection: {0}").format(camera_name))
        self.form = MotionSettingsForm(settings, still, self)
        # The form's parts, as the dialog's own (scripted use and tests reach them here).
        self.enabled, self.sensitivity, self.min_area = self.form.enabled, self.form.sensitivity, self.form.min_area
        self.editor, self.close_button, self.clear_button = (
            self.form.editor, self.form.close_button, self.form.clear_button,
        )  # fmt: skip
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def settings(self) -> MotionSettings:
        return self.form.settings()

    def accept(self) -> None:
        try:
            self.settings()
        except InvalidInput as error:
            self.error.setText(str(error))
            return
        super().accept()
