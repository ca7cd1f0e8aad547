"""Motion through the core: settings kept in the catalog, detection on the camera's provisioned path, tamper
alerts told to the core's alert listeners, the reader gone when the core closes."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.core import CoreFactory
from tests.fixtures.servers import S3Target, wait_path_ready
from tests.fixtures.waiting import until
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.service import MotionNotice, NoticeKind
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import SWING_REGION, MotionScript, ScriptedCamera


async def test_core_watches_a_camera_with_motion_on_and_alerts_a_frozen_one(
    core_factory: CoreFactory, minio: S3Target, mediamtx: MediaMTXServer, tmp_path: Path
) -> None:
    cameras = [
        ScriptedCamera(mediamtx.endpoints.rtsp_url("moving"), tmp_path / "moving.log", MotionScript(moves=((3, 5),))),
        ScriptedCamera(mediamtx.endpoints.rtsp_url("frozen"), tmp_path / "frozen.log", MotionScript(frozen=True)),
    ]
    for camera in cameras:
        camera.start()
    try:
        for path in ("moving", "frozen"):
            wait_path_ready(mediamtx, path)
        core = core_factory(minio)
        await core.start()
        assert core.motion is not None
        notices: list[MotionNotice] = []
        alerts: list[tuple[str, str]] = []
        core.motion.listeners.append(notices.append)
        core.alert_listeners.append(lambda level, text: alerts.append((level, text)))
        moving = core.add_camera("Yard", mediamtx.endpoints.rtsp_url("moving")).value
        frozen = core.add_camera("Gate", mediamtx.endpoints.rtsp_url("frozen")).value
        off = await core.start_motion(str(moving.id))
        assert off.is_success and off.value is False and not core.motion.watching(str(moving.id))  # off by default
        core.set_motion_settings(str(moving.id), MotionSettings(masks=(SWING_REGION,)))
        core.set_motion_settings(str(frozen.id), MotionSettings())
        assert core.motion.store.settings(str(moving.id)).masks == (SWING_REGION,)
        for camera_id in (str(moving.id), str(frozen.id)):
            started = await core.start_motion(camera_id)
            assert started.is_success and started.value is True, started.error
        await until(
            lambda: any(n.kind is NoticeKind.STARTED and n.camera_id == str(moving.id) for n in notices),
            timeout=20, what="motion on the moving camera",
        )  # fmt: skip
        await until(lambda: any("frozen" in text for _, text in alerts), timeout=20, what="frozen alert")
        assert [text for _, text in alerts if "frozen" in text] == ["Gate: the picture is frozen"]
        assert not any(n.kind is NoticeKind.STARTED and n.camera_id == str(frozen.id) for n in notices)
        readers = [watch.source for watch in core.motion._watches.values()]
        await core.stop_camera(str(frozen.id))
        assert not core.motion.watching(str(frozen.id))
        await core.close()
        assert all(getattr(reader, "process", None) is None or reader.process.returncode is not None  # type: ignore[union-attr]
                   for reader in readers)  # fmt: skip
    finally:
        for camera in cameras:
            camera.stop()
