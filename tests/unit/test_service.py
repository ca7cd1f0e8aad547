"""StreamingService on fakes of the three ports: the seed's quick start and use cases as written."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.unit.fakes import FakeFFmpeg, FakeMediaMTX, FakeStorage
from video_streaming import Recording, Result, Stream, StreamingService, StreamStatus
from video_streaming.domain.recording import RecordingStatus
from video_streaming.ports import StorageService


def make_service(
    tmp_path: Path, ffmpeg: FakeFFmpeg | None = None, **mediamtx: object
) -> tuple[StreamingService, FakeMediaMTX, FakeFFmpeg]:
    fake_mediamtx, fake_ffmpeg = FakeMediaMTX(**mediamtx), ffmpeg or FakeFFmpeg()  # type: ignore[arg-type]
    service = StreamingService(fake_mediamtx, fake_ffmpeg, FakeStorage(), recordings_dir=tmp_path, ready_timeout=0.5)
    return service, fake_mediamtx, fake_ffmpeg


async def test_seed_quick_start_as_written(tmp_path: Path) -> None:
    streaming, mediamtx, ffmpeg = make_service(tmp_path, ready_after_polls=2)
    camera_id = uuid.uuid4()

    stream = await streaming.start_stream(camera_id=camera_id, source_url="rtsp://192.168.1.100/stream")
    recording = await streaming.start_recording(stream=stream, retention_days=30)
    await streaming.stop_recording(recording)
    await streaming.stop_stream(stream)

    assert isinstance(stream, Result) and stream.is_success
    assert stream.value.status is StreamStatus.STOPPED
    assert recording.value.status is RecordingStatus.STOPPED
    assert recording.value.retention_policy.days == 30
    assert mediamtx.paths == {} and ffmpeg.running == {}


async def test_surveillance_use_case(tmp_path: Path) -> None:
    streaming, mediamtx, ffmpeg = make_service(tmp_path)
    cameras = [{"id": 1, "url": "rtsp://192.168.1.100/stream"}, {"id": 2, "url": "rtsp://192.168.1.101/stream"}]
    streams = []
    for camera in cameras:
        stream = await streaming.start_stream(camera["id"], camera["url"])
        streams.append(stream)
    recordings = []
    for stream in streams:
        recording = await streaming.start_recording(stream, retention_days=30)
        recordings.append(recording)
    assert all(s.is_success for s in streams) and all(r.is_success for r in recordings)
    assert len(mediamtx.paths) == 2 and len(ffmpeg.running) == 2
    # Each recording reads its stream's path from MediaMTX over RTSP.
    for stream, recording in zip(streams, recordings, strict=True):
        assert ffmpeg.running[recording.value.id][0] == f"rtsp://localhost:8554/{stream.value.id}"


async def test_running_means_the_source_is_ready(tmp_path: Path) -> None:
    streaming, mediamtx, _ = make_service(tmp_path, ready_after_polls=3)
    result = await streaming.start_stream(1, "rtsp://cam/s")
    assert result.value.status is StreamStatus.RUNNING
    assert mediamtx.polls[result.value.path_name] == 4


async def test_a_source_that_never_gets_ready_fails_clearly_and_leaves_nothing(tmp_path: Path) -> None:
    streaming, mediamtx, _ = make_service(tmp_path, never_ready=True)
    result = await streaming.start_stream(1, "rtsp://user:pw@cam/s")
    assert result.is_failure and result.error is not None
    assert result.error.kind == "source_unavailable"
    assert "pw" not in result.error.message and "check the camera URL" in result.error.hint
    assert mediamtx.paths == {}


async def test_bad_url_is_refused_before_mediamtx(tmp_path: Path) -> None:
    streaming, mediamtx, _ = make_service(tmp_path)
    result = await streaming.start_stream(1, "camera-at-the-door")
    assert result.is_failure and result.error is not None and result.error.kind == "invalid_input"
    assert mediamtx.polls == {}


async def test_recording_a_stopped_stream_is_refused(tmp_path: Path) -> None:
    streaming, _, ffmpeg = make_service(tmp_path)
    stream = Stream(camera_id=1, source_url="rtsp://cam/s")
    result = await streaming.start_recording(stream, retention_days=30)
    assert result.is_failure and result.error is not None and "start the stream" in result.error.hint
    assert ffmpeg.running == {}


async def test_a_failed_stream_result_cannot_be_recorded(tmp_path: Path) -> None:
    streaming, _, _ = make_service(tmp_path)
    failed: Result[Stream] = Result.fail("unreachable", "down")
    result = await streaming.start_recording(failed, retention_days=30)
    assert result.is_failure


async def test_stopping_a_stream_stops_its_recordings(tmp_path: Path) -> None:
    streaming, _, ffmpeg = make_service(tmp_path)
    stream = await streaming.start_stream(1, "rtsp://cam/s")
    recording = await streaming.start_recording(stream, retention_days=7)
    await streaming.stop_stream(stream)
    assert ffmpeg.running == {}
    assert isinstance(recording.value, Recording) and recording.value.status is RecordingStatus.STOPPED


async def test_recorder_that_does_not_start_is_a_failure(tmp_path: Path) -> None:
    streaming, _, _ = make_service(tmp_path, FakeFFmpeg(fail=True))
    stream = await streaming.start_stream(1, "rtsp://cam/s")
    result = await streaming.start_recording(stream, retention_days=30)
    assert result.is_failure and result.error is not None and result.error.kind == "recording_failed"


def test_playback_urls_follow_the_seed(tmp_path: Path) -> None:
    streaming, _, _ = make_service(tmp_path)
    stream = Stream(camera_id=1, source_url="rtsp://cam/s")
    urls = streaming.playback_urls(stream)
    assert urls["hls"] == f"http://localhost:8888/{stream.id}/index.m3u8"
    assert urls["rtsp"] == f"rtsp://localhost:8554/{stream.id}"
    assert urls["srt"].endswith(f"streamid=read:{stream.id}")


class SeedStorage(StorageService):
    """A storage written to the seed README: its three methods and nothing more (no receipts, no listing)."""

    def __init__(self) -> None:
        self.uploaded: dict[str, str] = {}

    async def upload_file(self, local_path: str, remote_path: str) -> str:
        self.uploaded[remote_path] = local_path
        return f"seed://{remote_path}"

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        return f"seed://{remote_path}?for={expires_in}"

    async def delete_file(self, remote_path: str) -> None:
        self.uploaded.pop(remote_path, None)


async def test_a_storage_written_to_the_seed_port_still_serves_the_quick_start(tmp_path: Path) -> None:
    """The wide archive port is for the application's own adapters; the seed's StorageService stays as it is."""
    storage = SeedStorage()
    streaming = StreamingService(FakeMediaMTX(), FakeFFmpeg(), storage, recordings_dir=tmp_path, ready_timeout=0.5)
    stream = await streaming.start_stream(camera_id=uuid.uuid4(), source_url="rtsp://192.168.1.100/stream")
    recording = await streaming.start_recording(stream=stream, retention_days=30)
    await streaming.stop_recording(recording)
    await streaming.stop_stream(stream)
    assert stream.is_success and recording.is_success
    link = await streaming.recording_url(recording.value.storage_path, expires_in=60)
    assert link.is_success and link.value == f"seed://{recording.value.storage_path}?for=60"
