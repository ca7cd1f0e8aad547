"""Tamper and motion recording on the wall, on the real core and servers: a camera turned to another scene shows
a MOVED badge on its tile (pixels on screen) that stays until the operator clicks it (audited, and the core's
state clears); a camera that records on motion shows REC while its event recording is open and not before or
after; the camera dialog's Motion tab shows the camera's settings on its still frame and saves them."""

from __future__ import annotations

from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from tests.integration.test_motion_real import start_camera
from video_streaming.domain.camera import RecordingMode
from video_streaming.motion.detector import MotionSettings
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import MotionScript
from vidstream_desktop.camera_dialog import CameraDialog, CameraForm
from vidstream_desktop.main_window import MainWindow
from vidstream_desktop.wall.tile import VideoTile

pytestmark = pytest.mark.gui
TAMPER_AMBER = QColor("#f5a524")
TURNED_AT = 8.0
MOTION = (14.0, 17.0)  # seconds after the yard camera's start


async def _no_probe(url: str, username: str, password: str) -> str:
    raise AssertionError("no probe in this test")


def badge_is_amber_on_screen(tile: VideoTile) -> bool:
    """The middle row of the tamper badge, grabbed from the screen: mostly the badge's amber."""
    button = tile.bar.tamper_button
    if not button.isVisible():
        return False
    origin = button.mapToGlobal(QPoint(0, button.height() // 2))
    image = QGuiApplication.primaryScreen().grabWindow(0, origin.x(), origin.y(), button.width(), 1).toImage()
    pixels = [image.pixelColor(x, 0) for x in range(image.width())]
    amber = [p for p in pixels if abs(p.red() - 245) < 16 and abs(p.green() - 165) < 16 and p.blue() < 60]
    return len(amber) >= len(pixels) // 2


def test_moved_stays_until_acknowledged_and_an_event_recording_shows_rec(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, window: MainWindow, qt_core_factory: CoreFactory, mediamtx: MediaMTXServer,
    minio: S3Target, tmp_path: Path,
) -> None:  # fmt: skip
    turned = MotionScript(moves=(), swing=False, tamper="turned", tampered_at=TURNED_AT)
    pole_camera, _ = start_camera(mediamtx, tmp_path, "pole", turned)
    yard_camera, _ = start_camera(mediamtx, tmp_path, "yard", MotionScript(moves=(MOTION,), swing=False))
    core = qt_core_factory(minio)

    async def scenario() -> None:
        pole = str(core.add_camera("Pole", mediamtx.endpoints.rtsp_url("pole")).value.id)
        yard = str(core.add_camera("Yard", mediamtx.endpoints.rtsp_url("yard")).value.id)
        core.set_motion_settings(pole, MotionSettings())
        await core.start()
        await core.set_recording_mode(yard, RecordingMode.MOTION)
        await window.attach_core(core).populate()
        assert core.motion is not None and core.motion_recording is not None
        pole_tile = next(t for t in window.grid.tiles() if t.camera_id == pole)
        yard_tile = next(t for t in window.grid.tiles() if t.camera_id == yard)
        await until(lambda: core.motion_recording is not None and core.motion_recording.armed(yard), 20, "yard armed")
        await until(lambda: core.motion is not None and core.motion.frames_seen(pole) > 5, 20, "pole watched")
        assert not pole_tile.bar.tamper_button.isVisible(), "a still, normal picture raised a tamper badge"
        assert not yard_tile.bar.rec_label.isVisible(), "REC before any motion"

        # The motion event opens a recording: REC on the yard's tile while it is open, with its own tooltip;
        # the Record button still offers to start an operator's recording.
        await until(lambda: core.is_recording_event(yard), MOTION[0] + 20, "the event recording opens")
        await until(lambda: yard_tile.bar.rec_label.isVisible(), 2, "REC on the tile")
        assert "motion" in yard_tile.bar.rec_label.toolTip()
        assert not yard_tile.is_recording and yard_tile.is_recording_event
        assert yard_tile.bar.record_button.toolTip() == "Start recording"

        # The turned camera: MOVED, amber on screen, and it stays (the scene stays the other one).
        await until(lambda: "MOVED" in pole_tile.bar.tamper_text(), TURNED_AT + 20, "the MOVED badge")
        await until(lambda: badge_is_amber_on_screen(pole_tile), 2, "the badge painted")
        seen = core.motion.frames_seen(pole)
        await until(lambda: core.motion is not None and core.motion.frames_seen(pole) >= seen + 15, 10, "3 s more")
        assert core.tampered(pole) == frozenset({"moved"}) and "MOVED" in pole_tile.bar.tamper_text()
        pole_tile.bar.tamper_button.click()  # the operator has looked at it
        await until(lambda: not pole_tile.bar.tamper_button.isVisible(), 2, "the badge gone")
        assert core.tampered(pole) == frozenset()
        assert any(action == "tamper-acknowledged" and target == pole
                   for _at, _actor, action, target, _detail in core.catalog.audit_log())  # fmt: skip
        assert any("Pole: the picture is normal again" in text for text in window.alerts.texts())
        # The present view is the normal one now: no new MOVED while the camera keeps showing it.
        seen = core.motion.frames_seen(pole)
        await until(lambda: core.motion is not None and core.motion.frames_seen(pole) >= seen + 15, 10, "3 s more")
        assert not pole_tile.bar.tamper_button.isVisible() and core.tampered(pole) == frozenset()

        # The event recording ends after its post-roll: REC goes off.
        await until(lambda: not core.is_recording_event(yard), 40, "the event recording ends")
        await until(lambda: not yard_tile.bar.rec_label.isVisible(), 2, "REC off")
        assert [r.status for r in core.catalog.recordings(yard)] == ["stopped"]

        # Editing the pole camera: the Motion tab shows its still frame and settings, and saves a change.
        item = window.camera_list.item_for(pole)
        assert item is not None
        window.camera_list.setCurrentItem(item)
        shown: list[CameraDialog] = []
        real_dialog = window._dialog

        def editing(initial: CameraForm | None, camera_id: str | None = None) -> CameraDialog:
            made = real_dialog(initial, camera_id)
            shown.append(made)
            assert made.motion_form is not None
            made.motion_form.sensitivity.setValue(80)
            made.exec = lambda: CameraDialog.DialogCode.Accepted  # type: ignore[method-assign]
            return made

        window._dialog = editing  # type: ignore[method-assign]
        window.edit_camera()
        form = shown[0].motion_form
        assert form is not None and form.editor.still is not None and form.editor.still.width() == 320
        assert form.enabled.isChecked()
        assert core.motion.store.settings(pole).sensitivity == 80
        await until(lambda: core.motion is not None and (core.motion.settings_of(pole) or MotionSettings()).sensitivity
                    == 80, 20, "detection restarted with the new settings")  # fmt: skip

    try:
        run(qasync_loop, scenario(), timeout=150)
    finally:
        pole_camera.stop()
        yard_camera.stop()


def test_the_camera_dialog_draws_masks_in_its_motion_tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    still = QImage(320, 180, QImage.Format.Format_Grayscale8)
    still.fill(QColor(90, 90, 90))
    stored = ((0.0, 0.0), (0.2, 0.0), (0.2, 0.2))
    initial = CameraForm("Yard", "rtsp://10.0.0.5/stream", "", None, "", 30, "")
    dialog = CameraDialog(_no_probe, ["srt"], initial, motion=(MotionSettings(sensitivity=70, masks=(stored,)), still))
    qtbot.addWidget(dialog)
    dialog.resize(640, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.tabs is not None and dialog.motion_form is not None
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["Camera", "Motion"]
    dialog.tabs.setCurrentWidget(dialog.motion_form)
    editor = dialog.motion_form.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.width() > 0)
    corners = ((0.5, 0.5), (0.9, 0.5), (0.9, 0.9))
    for x, y in corners:
        qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=editor.to_widget((x, y)).toPoint())
    dialog.motion_form.close_button.click()
    motion = dialog.form().motion
    assert motion is not None and motion.sensitivity == 70 and motion.masks[0] == stored
    assert len(motion.masks) == 2 and len(motion.masks[1]) == 3
    for (x, y), (want_x, want_y) in zip(motion.masks[1], corners, strict=True):
        assert abs(x - want_x) < 0.01 and abs(y - want_y) < 0.01
    # A mask too small to be one: the dialog refuses with the reason and shows the Motion tab.
    dialog.tabs.setCurrentIndex(0)
    dialog.motion_form.editor.masks.append(((0.1, 0.1), (2.0, 0.1), (0.1, 0.4)))
    problem = dialog.validate()
    assert problem.startswith("Motion: ") and "outside the picture" in problem
    assert dialog.tabs.currentWidget() is dialog.motion_form
    # Without motion settings (no detection in the build): no tabs, and the form carries none.
    plain = CameraDialog(_no_probe, ["srt"], initial)
    qtbot.addWidget(plain)
    assert plain.tabs is None and plain.form().motion is None
    dialog.hide()  # nothing is painted once the test's still frame is gone
