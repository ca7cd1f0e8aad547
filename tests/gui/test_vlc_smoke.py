"""python-vlc embedded in a Qt widget under Xvfb renders a synthetic camera read from MediaMTX over SRT."""

from __future__ import annotations

import time

import pytest
import vlc
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import SyntheticCamera

pytestmark = pytest.mark.gui


def grab(widget: QWidget) -> QImage:
    # The screen's pixels, not widget.grab(): VLC draws into the native window behind Qt's back.
    screen = QGuiApplication.primaryScreen()
    origin = widget.mapToGlobal(widget.rect().topLeft())
    return screen.grabWindow(0, origin.x(), origin.y(), widget.width(), widget.height()).toImage()


def mean_brightness(image: QImage) -> float:
    total = 0
    samples = 0
    for y in range(0, image.height(), 8):
        for x in range(0, image.width(), 8):
            color = image.pixelColor(x, y)
            total += color.red() + color.green() + color.blue()
            samples += 1
    return total / max(samples, 1) / 3


def test_vlc_renders_camera_in_a_qt_widget(qtbot, mediamtx: MediaMTXServer, camera: SyntheticCamera) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    widget.setStyleSheet("background: black")
    widget.resize(480, 270)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)

    instance = vlc.Instance(["--no-xlib", "--vout=xcb_x11", "--no-osd", "--quiet", "--no-audio"])
    player = instance.media_player_new()
    player.set_xwindow(int(widget.winId()))
    media = instance.media_new(mediamtx.endpoints.srt_url("cam1"))
    media.add_option(":network-caching=100")
    media.add_option(":latency=20")
    player.set_media(media)
    player.play()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and player.get_state() != vlc.State.Playing:
            qtbot.wait(100)
        assert player.get_state() == vlc.State.Playing
        qtbot.wait(1500)
        first = grab(widget)
        qtbot.wait(600)
        second = grab(widget)
        assert mean_brightness(first) > 30, "the tile stayed black"
        assert first != second, "the picture did not change between two grabs"
    finally:
        player.stop()
        player.release()
        instance.release()
