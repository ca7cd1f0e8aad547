"""Digital zoom of a video picture: which part of the picture is shown (ZoomView, plain arithmetic), how that
becomes libvlc's crop geometry at the video's full resolution (VideoZoom), and the small overview in a tile's
footer that shows where the zoomed view is (ZoomOverview).

libvlc crops in the decoder's own pixels and scales the crop to the window, so a zoomed picture keeps the
stream's full resolution (no upscaled screenshot); the crop is in pixels, so it is worked out again whenever
the video size changes (a tile switching from its sub-stream to the main stream when it is zoomed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

MAX_FACTOR = 8.0
WHEEL_STEP = 1.25  # factor per wheel notch


@dataclass(frozen=True)
class ZoomView:
    """The shown part of the picture: `factor` times magnified, centred at (`center_x`, `center_y`) in
    fractions of the whole picture. Always inside the picture."""

    factor: float = 1.0
    center_x: float = 0.5
    center_y: float = 0.5

    @property
    def zoomed(self) -> bool:
        return self.factor > 1.0001

    @property
    def span(self) -> float:
        """Width (and height) of the shown part, as a fraction of the picture's."""
        return 1.0 / self.factor

    def visible(self) -> tuple[float, float, float, float]:
        """(left, top, width, height) of the shown part, in fractions of the picture."""
        span = self.span
        return (self.center_x - span / 2, self.center_y - span / 2, span, span)

    def zoomed_about(self, x: float, y: float, factor: float) -> ZoomView:
        """Zoom to `factor`, keeping the picture point under (`x`, `y`) (fractions of the *view*) where it is."""
        factor = min(max(factor, 1.0), MAX_FACTOR)
        left, top, span, _ = self.visible()
        point_x, point_y = left + x * span, top + y * span
        new_span = 1.0 / factor
        return ZoomView(factor, point_x - x * new_span + new_span / 2, point_y - y * new_span + new_span / 2).clamped()

    def panned(self, dx: float, dy: float) -> ZoomView:
        """Move the shown part by (`dx`, `dy`) fractions of the view (a drag to the right shows what is left)."""
        return ZoomView(self.factor, self.center_x - dx * self.span, self.center_y - dy * self.span).clamped()

    def clamped(self) -> ZoomView:
        half = self.span / 2
        return ZoomView(self.factor, min(max(self.center_x, half), 1 - half), min(max(self.center_y, half), 1 - half))

    def crop_geometry(self, width: int, height: int) -> str:
        """libvlc's crop geometry in video pixels for a `width` x `height` video; "" when not zoomed (or unknown).

        libvlc 3 reads "AxB+X+Y" with A and B as the crop's right and bottom edges, not its width and height
        (measured: "480x90+320+0" shows the top-right quarter of a 640x360 picture): hence x + w, y + h."""
        if not self.zoomed or width <= 0 or height <= 0:
            return ""
        left, top, span, _ = self.visible()
        crop_width, crop_height = max(2, round(width * span)), max(2, round(height * span))
        x = min(max(round(left * width), 0), width - crop_width)
        y = min(max(round(top * height), 0), height - crop_height)
        return f"{x + crop_width}x{y + crop_height}+{x}+{y}"


class VideoZoom:
    """One picture's zoom: keeps the view and hands libvlc its crop for the current video size."""

    def __init__(self, apply_crop: Callable[[str], None], video_size: Callable[[], tuple[int, int]]) -> None:
        self._apply_crop = apply_crop
        self._video_size = video_size
        self.view = ZoomView()
        self.listeners: list[Callable[[ZoomView], None]] = []

    @property
    def zoomed(self) -> bool:
        return self.view.zoomed

    def video_size(self) -> tuple[int, int]:
        return self._video_size()

    def set_view(self, view: ZoomView) -> None:
        was = self.view
        self.view = view.clamped() if view.zoomed else ZoomView()
        self.reapply()
        if self.view != was:
            for listener in list(self.listeners):
                listener(self.view)

    def reset(self) -> None:
        self.set_view(ZoomView())

    def reapply(self) -> None:
        """After the video (or its size) changed: the same view, in the new video's pixels."""
        width, height = self._video_size()
        self._apply_crop(self.view.crop_geometry(width, height))


class ZoomOverview(QWidget):
    """A thumbnail frame with the shown part marked, in a footer, while zoomed; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("zoomOverview")
        self.setFixedSize(QSize(32, 18))
        self.view = ZoomView()
        self.hide()

    def show_view(self, view: ZoomView) -> None:
        self.view = view
        self.setVisible(view.zoomed)
        self.setToolTip(self.tr("Digital zoom {0}×: wheel to zoom, drag to move, zoom all the way out to leave")
                        .format(f"{view.factor:.1f}"))  # fmt: skip
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        frame = QRectF(0.5, 0.5, self.width() - 1.0, self.height() - 1.0)
        painter.setPen(QPen(QColor("#8b939c"), 1))
        painter.setBrush(QColor("#0b0c0e"))
        painter.drawRect(frame)
        left, top, span, _ = self.view.visible()
        shown = QRectF(frame.left() + left * frame.width(), frame.top() + top * frame.height(),
                       max(span * frame.width(), 2.0), max(span * frame.height(), 2.0))  # fmt: skip
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#f5a524"))
        painter.drawRect(shown)
        painter.end()
