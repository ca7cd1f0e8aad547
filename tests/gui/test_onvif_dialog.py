"""The camera dialog against a real third-party ONVIF camera (ipycam in its own network namespace):
"Find cameras" lists it by a unicast probe, "Read from camera" fills the main and sub-stream URLs
(credentials stay in their fields), and a wrong password is a clear message that changes nothing."""

from __future__ import annotations

import pytest
import qasync

from tests.fixtures.onvif_camera import OnvifTestCamera, onvif_camera  # noqa: F401 - fixture by name
from tests.fixtures.qt import wait_until
from video_streaming.bootstrap import build_onvif_service
from vidstream_desktop.camera_dialog import CameraDialog

pytestmark = pytest.mark.gui


async def no_probe(url: str, username: str, password: str) -> str:
    raise AssertionError("the connection test is not part of this scenario")


def test_find_then_read_an_onvif_camera_fills_the_dialog(  # type: ignore[no-untyped-def]
    qtbot, qasync_loop: qasync.QEventLoop, onvif_camera: OnvifTestCamera  # noqa: F811
) -> None:
    dialog = CameraDialog(no_probe, ["srt"], onvif=build_onvif_service(timeout=10))
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.onvif_panel
    assert panel is not None

    panel.address.setText(onvif_camera.address)
    panel.find_button.click()
    wait_until(qasync_loop, lambda: panel.found.count() == 1 and panel.find_button.isEnabled())
    assert panel.found.isVisible()
    panel.found.itemClicked.emit(panel.found.item(0))
    assert panel.address.text() == onvif_camera.device_address

    dialog.username.setText(onvif_camera.username)
    dialog.password.setText("wrong")
    panel.read_button.click()
    wait_until(qasync_loop, lambda: "refused the user name or password" in panel.status.text())
    assert dialog.url.text() == "" and dialog.sub_stream.text() == ""

    dialog.password.setText(onvif_camera.password)
    panel.read_button.click()
    wait_until(qasync_loop, lambda: dialog.url.text() != "")
    camera_rtsp = f"rtsp://{onvif_camera.address}:{onvif_camera.rtsp_port}"
    assert dialog.url.text() == f"{camera_rtsp}/video_main"
    assert dialog.sub_stream.text() == f"{camera_rtsp}/video_sub"
    assert dialog.name.text() == onvif_camera.name
    assert "640x360 H.264" in panel.status.text() and "320x180 H.264" in panel.status.text()
    assert "PTZ" in panel.status.text()
    assert dialog.onvif_streams is not None and dialog.onvif_streams.ptz_profile is not None
    assert dialog.onvif_streams.ptz_profile.token == "Profile_Main"  # kept for the wall's PTZ on OK
    assert onvif_camera.password not in dialog.url.text() + dialog.sub_stream.text() + panel.status.text()
    # On OK the login travels to the core beside the URL (the core keeps the password in the secret store).
    assert dialog.validate() == ""
    assert dialog.source() == (f"rtsp://{onvif_camera.address}:{onvif_camera.rtsp_port}/video_main",
                               onvif_camera.username, onvif_camera.password)  # fmt: skip


def test_an_address_that_is_no_camera_is_a_clear_message(  # type: ignore[no-untyped-def]
    qtbot, qasync_loop: qasync.QEventLoop
) -> None:
    dialog = CameraDialog(no_probe, [], onvif=build_onvif_service(timeout=5))
    qtbot.addWidget(dialog)
    panel = dialog.onvif_panel
    assert panel is not None
    panel.address.setText("not a host!")
    dialog.username.setText("operator")
    dialog.password.setText("secret")
    panel.read_button.click()
    wait_until(qasync_loop, lambda: "is not an IP address or host name" in panel.status.text())
    assert panel.read_button.isEnabled() and dialog.url.text() == ""
