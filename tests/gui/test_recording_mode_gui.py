"""The camera dialog sets a camera's recording mode (continuous, on motion, only when asked)."""

from __future__ import annotations

import pytest

from video_streaming.domain.camera import RecordingMode
from vidstream_desktop.camera_dialog import CameraDialog, CameraForm

pytestmark = pytest.mark.gui


async def _no_probe(url: str) -> str:
    raise AssertionError("no probe in this test")


def test_the_camera_dialog_shows_and_returns_the_recording_mode(qtbot) -> None:  # type: ignore[no-untyped-def]
    initial = CameraForm("Yard", "rtsp://10.0.0.5/stream", "", None, "", 30, "", RecordingMode.MOTION)
    dialog = CameraDialog(_no_probe, ["srt"], initial)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    choice = dialog.recording_mode
    assert choice.isVisible() and choice.count() == len(RecordingMode)
    assert choice.currentData() == RecordingMode.MOTION.value and "motion" in choice.currentText().lower()
    assert dialog.form().recording_mode is RecordingMode.MOTION
    choice.setCurrentIndex(choice.findData(RecordingMode.MANUAL.value))
    assert dialog.form().recording_mode is RecordingMode.MANUAL
    fresh = CameraDialog(_no_probe, ["srt"])
    qtbot.addWidget(fresh)
    assert fresh.form().recording_mode is RecordingMode.CONTINUOUS  # a new camera records as before
