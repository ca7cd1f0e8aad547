"""Signed evidence export from the recordings browser, on the real core, MediaMTX, ffmpeg and MinIO: two cameras
recorded and archived are exported over one range into one ZIP through the browser's downloads list (progress
in percent, then "Signed … 2 file(s)"), the package verifies with the same check as `vidstream verify`, and the
dialog ticks the cameras asked for and refuses an export without a camera or with a name already taken."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
import qasync

from tests.fixtures.core import CoreFactory
from tests.fixtures.qt import run
from tests.fixtures.servers import CameraFactory, S3Target
from tests.fixtures.waiting import until
from tests.gui.test_recordings import close_panel, open_panel
from video_streaming.evidence import verify_evidence
from vidstream_desktop.recordings.controller import JobState
from vidstream_desktop.recordings.dialogs import EvidenceDialog

pytestmark = pytest.mark.gui


def test_the_browser_exports_two_cameras_as_one_signed_package(  # type: ignore[no-untyped-def]
    qasync_loop: qasync.QEventLoop, qt_core_factory: CoreFactory, camera_factory: CameraFactory, minio: S3Target,
    tmp_path: Path,
) -> None:  # fmt: skip
    cameras = [camera_factory("gate"), camera_factory("yard")]
    core = qt_core_factory(minio)

    async def recorded() -> list[str]:
        await core.start()
        ids = [str(core.add_camera(name, camera.publish_url).value.id) for name, camera in zip(("Gate", "Yard"),
                                                                                           cameras, strict=True)]
        for camera_id in ids:
            assert (await core.record(camera_id)).is_success
        deadline = asyncio.get_running_loop().time() + 30
        while any(len(core.catalog.segments(camera_id=c)) < 3 for c in ids):
            assert asyncio.get_running_loop().time() < deadline, "the cameras did not record"
            await asyncio.sleep(0.2)
        for camera_id in ids:
            await core.stop_recording(camera_id)
        assert await core.archiver.drain(timeout=30)
        return ids

    ids = run(qasync_loop, recorded(), timeout=60)
    panel = open_panel(qasync_loop, core, tmp_path)

    async def scenario() -> None:
        segments = [s for c in ids for s in core.catalog.segments(camera_id=c)]
        start = max(min(s.start for s in segments if s.camera_id == c) for c in ids)
        end = min(max(s.start + timedelta(seconds=s.duration) for s in segments if s.camera_id == c) for c in ids)
        target = tmp_path / "exports" / "dock-incident.zip"

        dialog = EvidenceDialog(panel._cameras, [ids[1]], start, end, tmp_path / "exports", panel)
        assert dialog.chosen_cameras() == [ids[1]]
        dialog.cameras.item(0).setCheckState(dialog.cameras.item(1).checkState())
        dialog.name.setText("dock-incident")
        dialog.as_zip.setChecked(True)
        chosen, begin, finish, path, overlay = dialog.values()
        assert sorted(chosen) == sorted(ids) and path == target and not overlay
        assert (begin, finish) == (start.replace(microsecond=0), end.replace(microsecond=0))

        job = panel.export_evidence(chosen, begin, finish, path)
        row = panel.downloads.rows[job.id]
        await until(lambda: job.state is not JobState.RUNNING, 60, "the evidence export")
        assert job.state is JobState.DONE, job.error
        assert job.evidence is not None and job.evidence.path == target and job.evidence.files == 2
        assert row.detail.text().startswith("Signed dock-incident.zip: 2 file(s)")
        assert job.evidence.fingerprint in row.detail.toolTip()
        checked = await asyncio.to_thread(verify_evidence, target)
        assert checked.ok, checked

        # The dialog refuses what cannot be exported: no camera ticked, or a package that exists already.
        again = EvidenceDialog(panel._cameras, [], start, end, tmp_path / "exports", panel)
        again._accept()
        assert again.result() != EvidenceDialog.DialogCode.Accepted and "camera" in again.problem.text()
        again.cameras.item(0).setCheckState(dialog.cameras.item(0).checkState())
        again.name.setText("dock-incident")
        again.as_zip.setChecked(True)
        again._accept()
        assert "exists already" in again.problem.text()

    try:
        run(qasync_loop, scenario(), timeout=90)
    finally:
        close_panel(qasync_loop, panel)
