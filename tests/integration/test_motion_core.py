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


async def test_a_camera_with_a_sub_stream_is_watched_on_its_sub_stream(
    core_factory: CoreFactory, minio: S3Target, mediamtx: MediaMTXServer, tmp_path: Path
) -> None:
    main = ScriptedCamera(mediamtx.endpoints.rtsp_url("yard-main"), tmp_path / "main.log", MotionScript())
    sub = ScriptedCamera(mediamtx.endpoints.rtsp_url("yard-sub"), tmp_path / "sub.log",
                         MotionScript(width=320, height=180, fps=5, bitrate_kbps=256))  # fmt: skip
    for camera in (main, sub):
        camera.start()
    try:
        for path in ("yard-main", "yard-sub"):
            wait_path_ready(mediamtx, path)
        core = core_factory(minio)
        await core.start()
        assert core.motion is not None
        yard = core.add_camera("Yard", mediamtx.endpoints.rtsp_url("yard-main"),
                               sub_stream_url=mediamtx.endpoints.rtsp_url("yard-sub")).value  # fmt: skip
        camera_id = str(yard.id)
        core.set_motion_settings(camera_id, MotionSettings())
        started = await core.start_motion(camera_id)
        assert started.is_success and started.value is True, started.error
        await until(lambda: core.motion is not None and core.motion.frames_seen(camera_id) > 3, 20, "frames")
        # The media server says who reads what: the detector is the sub-stream path's reader, and the main
        # stream (which no tile shows here) is not read at all.
        stream = core.sub_streams.get(camera_id)
        assert stream is not None, "the sub-stream was never provisioned"
        assert (await core.service.stream_status(stream))["readers"] >= 1
        main_stream = core.streams.get(camera_id)
        assert main_stream is None or (await core.service.stream_status(main_stream))["readers"] == 0
        assert core.motion.still_picture(camera_id) is not None
    finally:
        for camera in (main, sub):
            camera.stop()
