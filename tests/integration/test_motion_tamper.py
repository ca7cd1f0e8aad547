"""Tamper alerts on the real servers besides the frozen picture (test_motion_core.py): a covered lens and a
camera turned to another scene, each told through the core with its own text, and nothing else raised; the
operator's acknowledgement ends a moved camera's alert."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.core import CoreFactory
from tests.fixtures.servers import S3Target
from tests.fixtures.waiting import until
from tests.integration.test_motion_real import start_camera
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.events import Tamper
from video_streaming.motion.service import MotionNotice, NoticeKind
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import MotionScript

TAMPERED_AT = 8.0


async def test_a_covered_and_a_turned_camera_raise_their_own_alerts(
    core_factory: CoreFactory, minio: S3Target, mediamtx: MediaMTXServer, tmp_path: Path
) -> None:
    scripts = {
        "covered": MotionScript(moves=(), swing=False, tamper="covered", tampered_at=TAMPERED_AT),
        "turned": MotionScript(moves=(), swing=False, tamper="turned", tampered_at=TAMPERED_AT),
    }
    started_cameras = [start_camera(mediamtx, tmp_path, path, script) for path, script in scripts.items()]
    cameras = [camera for camera, _ in started_cameras]
    tampered_at = max(origin for _, origin in started_cameras) + TAMPERED_AT
    try:
        core = core_factory(minio)
        await core.start()
        assert core.motion is not None
        notices: list[MotionNotice] = []
        alerts: list[str] = []
        core.motion.listeners.append(notices.append)
        core.alert_listeners.append(lambda level, text: alerts.append(text))
        ids = {}
        for path, name in (("covered", "Lens"), ("turned", "Pole")):
            ids[path] = str(core.add_camera(name, mediamtx.endpoints.rtsp_url(path)).value.id)
            core.set_motion_settings(ids[path], MotionSettings())
            started = await core.start_motion(ids[path])
            assert started.is_success and started.value is True, started.error

        def tampers(path: str) -> list[Tamper | None]:
            return [n.tamper for n in notices if n.kind is NoticeKind.TAMPER and n.camera_id == ids[path]]

        await until(lambda: tampers("covered") and tampers("turned"), timeout=TAMPERED_AT + 20, what="tamper alerts")
        await until(lambda: len(alerts) >= 2, timeout=2, what="both alerts told")
        assert tampers("covered") == [Tamper.BLINDED] and tampers("turned") == [Tamper.MOVED]
        assert sorted(a for a in alerts if "Lens" in a or "Pole" in a) == [
            "Lens: the picture shows nothing (covered or blinded?)",
            "Pole: the view changed at once (camera moved?)",
        ]
        # Before the tampering both were ordinary still pictures: no alert came early (the later camera's start
        # is the bound: the two started a moment apart).
        assert all(n.at >= tampered_at - 1.0 for n in notices if n.kind is NoticeKind.TAMPER), tampered_at
        assert core.motion.tampered(ids["turned"]) == {Tamper.MOVED}  # stays until acknowledged
        # The operator acknowledges: only a moved camera has something to acknowledge (a covered lens clears
        # when it is uncovered); it is told as cleared, audited, and once is enough.
        assert core.acknowledge_tamper(ids["covered"]) is False
        assert core.motion.tampered(ids["covered"]) == {Tamper.BLINDED}
        assert core.acknowledge_tamper(ids["turned"]) is True
        assert core.motion.tampered(ids["turned"]) == set() and core.tampered(ids["turned"]) == frozenset()
        cleared = [n for n in notices if n.kind is NoticeKind.TAMPER_CLEARED and n.camera_id == ids["turned"]]
        assert [n.tamper for n in cleared] == [Tamper.MOVED]
        assert any(action == "tamper-acknowledged" and target == ids["turned"]
                   for _at, _actor, action, target, _detail in core.catalog.audit_log())  # fmt: skip
        assert "Pole: the picture is normal again (was moved)" in alerts
        assert core.acknowledge_tamper(ids["turned"]) is False
    finally:
        for camera in cameras:
            camera.stop()
