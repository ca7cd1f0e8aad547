"""A workstation attached to two remote recorder sites (each a real MediaMTX + recorder + MinIO archive):
their cameras on one list, live from each site's own MediaMTX, and their recordings in one catalog."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.fixtures.servers import S3Target, ffprobe_json
from tests.fixtures.sites import Site, workstation
from video_streaming.consistency import check
from video_streaming.export import download_recording
from video_streaming.retention import RetentionEnforcer
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.sites import DIRECTORY_KEY


async def test_cameras_and_recordings_of_two_sites_on_one_workstation(
    tmp_path: Path, mediamtx: MediaMTXServer, minio: S3Target, two_sites: tuple[Site, Site]
) -> None:
    warehouse, harbour = two_sites
    core = workstation(tmp_path, mediamtx, minio, two_sites)
    await core.start()
    try:
        assert await core.sync_sites() == {}
        names = {camera.name: camera for camera in core.cameras()}
        assert set(names) == {"Warehouse · Dock", "Harbour · Gate"}
        assert {camera.site for camera in names.values()} == {"warehouse", "harbour"}

        # Live: straight from each site's own MediaMTX, on the path its recorder provisioned.
        for site, camera_name in ((warehouse, "Warehouse · Dock"), (harbour, "Harbour · Gate")):
            camera_id = str(names[camera_name].id)
            assert camera_id == site.camera_id  # the recorder's id: its recordings file under the same camera
            assert (await core.start_camera(camera_id)).is_success
            urls = core.live_urls(camera_id)
            site_path = site.recorder.streams[site.camera_id].path_name
            assert urls["srt"] == f"srt://127.0.0.1:{site.mediamtx.endpoints.srt_port}?streamid=read:{site_path}"
            probe = await asyncio.to_thread(ffprobe_json, urls["rtsp"], "-rtsp_transport", "tcp")
            video = [s for s in probe["streams"] if s["codec_type"] == "video"]  # type: ignore[attr-defined]
            assert video and video[0]["width"] == 320
        health = await core.poll()
        assert health.cameras_online == 2 and health.site_errors == {}
        assert not (await core.record(warehouse.camera_id)).is_success  # recorded by the site, not here
        assert core.all_streams() == []  # nothing was provisioned on the workstation's own MediaMTX

        # Recordings: both sites' archives merged, each reachable through its `@site/` marker.
        added, errors = await core.refresh_archive()
        assert (added, errors) == (2, {})
        for site in two_sites:
            row = core.catalog.recording(site.recording_ids[0])
            assert row is not None and row.camera_id == site.camera_id
            assert row.storage_prefix.startswith(f"@{site.settings.key}/")
            segments = core.catalog.segments(recording_id=row.id)
            assert len(segments) >= 2
            link = (await core.service.recording_url(segments[0].object_key, 60)).value
            assert httpx.get(link, timeout=10).status_code == 200
            exported = await download_recording(core, row.id, tmp_path / "exports", cache_dir=tmp_path / "cache")
            duration = float(ffprobe_json(exported.path)["format"]["duration"])  # type: ignore[index]
            assert duration >= 3.0, f"{site.settings.name}: exported {duration:.1f} s of a 5 s recording"
        assert (await core.refresh_archive()) == (0, {})  # idempotent
        # Expiring a site's recordings is its recorder's job, even long past their retention.
        years_later = RetentionEnforcer(
            core.catalog, core.storage, clock=lambda: datetime.now(UTC) + timedelta(days=9999)
        )
        assert (await years_later.sweep()).expired == []
        assert await core.storage.stat_file(segments[0].object_key) is not None
        report = await check(core)
        assert report.clean, report.lines()  # the site directory and the sites' recordings are not orphans
    finally:
        await core.close()
    assert warehouse.mediamtx.process.running and harbour.recorder.streams, "the workstation left the sites alone"


async def test_a_site_going_away_and_its_recorder_restarting(
    tmp_path: Path, mediamtx: MediaMTXServer, minio: S3Target, two_sites: tuple[Site, Site]
) -> None:
    warehouse, harbour = two_sites
    core = workstation(tmp_path, mediamtx, minio, two_sites)
    await core.start()
    try:
        await core.sync_sites()
        for site in two_sites:
            assert (await core.start_camera(site.camera_id)).is_success
        old_path = core.streams[warehouse.camera_id].path_name

        # The Warehouse recorder restarts: new stream, new path, a new directory published.
        await warehouse.recorder.stop_camera(warehouse.camera_id)
        assert (await warehouse.recorder.start_camera(warehouse.camera_id)).is_success
        await warehouse.publish()
        # ... and gains a camera, which the workstation lists at its next directory read.
        added = warehouse.recorder.add_camera("Ramp", warehouse.mediamtx.endpoints.rtsp_url("cam1")).value
        assert (await warehouse.recorder.start_camera(str(added.id))).is_success
        await warehouse.publish()
        health = await core.poll()
        assert warehouse.camera_id in health.moved_cameras and health.cameras_changed
        assert core.catalog.camera(added.id) is not None and core.camera(str(added.id)).name == "Warehouse · Ramp"
        new_path = warehouse.recorder.streams[warehouse.camera_id].path_name
        assert new_path != old_path and core.streams[warehouse.camera_id].path_name == new_path
        assert new_path in core.live_urls(warehouse.camera_id)["rtsp"]

        # The workstation's own MediaMTX restarts: it re-provisions its own paths, never a site's.
        mediamtx.stop()
        mediamtx.start()
        await core.reprovision()  # what poll() runs when its own paths are gone
        own = mediamtx.endpoints
        listed = httpx.get(f"{own.api_url}/v3/paths/list", auth=(own.api_user, own.api_password), timeout=5)
        own_paths = listed.json()["items"]
        assert own_paths == [], [path["name"] for path in own_paths]
        assert (await core.record_all()) == {}  # a site's cameras are recorded by their site

        # Harbour's MediaMTX goes down: its error is reported, Warehouse carries on.
        harbour.mediamtx.stop()
        health = await core.poll()
        assert "harbour" in health.site_errors and "warehouse" not in health.site_errors
        assert "Harbour" in health.site_errors["harbour"]
        assert health.paths.get(new_path, {}).get("ready")
        harbour.mediamtx.start()

        # A hostile or broken directory is refused with a reason; the cameras already known stay.
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
            handle.write(b'{"format": 1, "cameras": [{"id": "x", "name": "../../etc", "key": "../"}]}')
        await harbour.archive.upload_file(handle.name, DIRECTORY_KEY)
        Path(handle.name).unlink()
        errors = await core.sync_sites()
        assert "harbour" in errors and "valid id" in errors["harbour"]
        assert core.catalog.camera(harbour.camera_id) is not None
    finally:
        await core.close()
