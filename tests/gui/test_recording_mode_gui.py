"""The camera dialog sets a camera's recording mode (continuous, on motion, only when asked); editing a camera in the
main window to motion mode starts its ring on the real servers, and back to continuous stops it."""

from __future__ import annotations

from pathlib import Path

import pytest
import qasync

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.fixtures.waiting import until
from video_streaming.domain.camera import RecordingMode
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import MotionScript, ScriptedCamera
from vidstream_desktop.camera_dialog import CameraDialog, CameraForm
from vidstream_desktop.main_window import MainWindow

pytestmark = pytest.mark.gui


async def _no_probe(url: str, username: str, password: str) -> str:
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


def test_editing_a_camera_to_motion_mode_starts_its_ring_and_back_stops_it(  # type: ignore[no-untyped-def]
    window: MainWindow, qt_core_factory: CoreFactory, qasync_loop: qasync.QEventLoop, mediamtx: MediaMTXServer,
    minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    camera = ScriptedCamera(mediamtx.endpoints.rtsp_url("gate"), tmp_path / "gate.log", MotionScript(moves=()))
    camera.start()
    core = qt_core_factory(minio)
    shown: list[RecordingMode] = []

    def editing_to(mode: RecordingMode):  # type: ignore[no-untyped-def]
        def dialog(initial: CameraForm | None, camera_id: str | None = None) -> CameraDialog:
            made = CameraDialog(_no_probe, ["srt"], initial, window)
            shown.append(RecordingMode(made.recording_mode.currentData()))
            made.recording_mode.setCurrentIndex(made.recording_mode.findData(mode.value))
            made.exec = lambda: CameraDialog.DialogCode.Accepted  # type: ignore[method-assign]
            return made

        return dialog

    async def scenario() -> None:
        wait_path_ready(mediamtx, "gate")
        gate = str(core.add_camera("Gate", mediamtx.endpoints.rtsp_url("gate")).value.id)
        await core.start()
        await window.attach_core(core).populate()
        assert core.motion_recording is not None and not core.motion_recording.armed(gate)
        item = window.camera_list.item_for(gate)
        assert item is not None
        window.camera_list.setCurrentItem(item)
        window._dialog = editing_to(RecordingMode.MOTION)  # type: ignore[method-assign]
        window.edit_camera()
        assert core.camera(gate).recording_mode is RecordingMode.MOTION
        await until(lambda: core.motion_recording is not None and core.motion_recording.armed(gate), 20, "ring armed")
        ring = core.motion_recording.ring_folder(gate)
        await until(lambda: any(ring.glob("*.mp4")), 15, "ring segments")
        window._dialog = editing_to(RecordingMode.CONTINUOUS)  # type: ignore[method-assign]
        window.edit_camera()
        await until(lambda: core.motion_recording is not None and not core.motion_recording.armed(gate), 20, "disarmed")
        assert core.camera(gate).recording_mode is RecordingMode.CONTINUOUS and not any(ring.glob("*.mp4"))
        assert shown == [RecordingMode.CONTINUOUS, RecordingMode.MOTION]  # the dialog showed the stored mode

    try:
        run(qasync_loop, scenario(), timeout=90)
    finally:
        camera.stop()
