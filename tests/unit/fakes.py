"""In-memory fakes of the three seed ports (unit tests only; adapters are tested on real servers)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from video_streaming.domain.camera import SecretLookup, SourceUrl
from video_streaming.domain.errors import NotFound, RetentionLocked, StorageFailed
from video_streaming.ports import (
    ArchiveStorage,
    Diagnosis,
    FFmpegService,
    MediaFiles,
    MediaMTXClient,
    MediaServer,
    ProgressCallback,
    SegmentRecorder,
    StoredObject,
    StreamShape,
    UploadReceipt,
)
from video_streaming.recorder_events import EventSink, RecorderEvent


class FakeMediaMTX(MediaMTXClient):
    def __init__(self, ready_after_polls: int = 0, never_ready: bool = False) -> None:
        self.paths: dict[str, str] = {}
        self.polls: dict[str, int] = {}
        self.ready_after_polls = ready_after_polls
        self.never_ready = never_ready

    async def start_stream(self, stream_id: str, source_url: str) -> bool:
        self.paths[stream_id] = source_url
        return True

    async def stop_stream(self, stream_id: str) -> bool:
        return self.paths.pop(stream_id, None) is not None

    async def get_stream_status(self, stream_id: str) -> dict[str, Any]:
        self.polls[stream_id] = self.polls.get(stream_id, 0) + 1
        ready = stream_id in self.paths and not self.never_ready and self.polls[stream_id] > self.ready_after_polls
        return {"exists": stream_id in self.paths, "ready": ready}


class FakeFFmpeg(FFmpegService):
    def __init__(self, fail: bool = False) -> None:
        self.running: dict[uuid.UUID, tuple[str, str]] = {}
        self.fail = fail

    async def start_recording(self, recording_id: uuid.UUID, source_url: str, output_path: str) -> bool:
        if self.fail:
            return False
        self.running[recording_id] = (source_url, output_path)
        return True

    async def stop_recording(self, recording_id: uuid.UUID) -> bool:
        return self.running.pop(recording_id, None) is not None


class FakeMediaServer(FakeMediaMTX, MediaServer):
    """The wide media-server port in memory: `reasons` is what the server would say of a path's source."""

    def __init__(self, secrets: SecretLookup | None = None) -> None:
        super().__init__()
        self.secrets = secrets  # as the composition root gives the adapter the secret store's get
        self.reasons: dict[str, str] = {}
        self.unreachable: dict[str, Diagnosis] = {}  # source URL -> why it cannot be reached
        self.pulled: list[str] = []  # every source URL a path was ever provisioned with
        self.closed = False

    async def start_stream(self, stream_id: str, source_url: str) -> bool:
        self.pulled.append(source_url)
        return await super().start_stream(stream_id, source_url)

    async def list_paths(self) -> dict[str, dict[str, Any]]:
        return {name: {"ready": True, "tracks": ["H264"]} for name in self.paths}

    def source_error(self, stream_id: str) -> str | None:
        return self.reasons.get(stream_id)

    async def reachability_problem(self, source_url: str) -> Diagnosis | None:
        return self.unreachable.get(source_url)

    async def refusal(self, source: SourceUrl) -> Diagnosis | None:
        return None

    async def explain_not_ready(
        self, source: SourceUrl, timeout: float = 2.0, path_name: str | None = None
    ) -> Diagnosis | None:
        return self.unreachable.get(source.url)

    async def aclose(self) -> None:
        self.closed = True


class FakeSegmentRecorder(SegmentRecorder):
    """Records nothing by itself: a test writes the segment files and tells the events with `emit`."""

    def __init__(self, segment_seconds: int = 2) -> None:
        self.segment_seconds = segment_seconds
        self.on_event: EventSink | None = None
        self.running: dict[uuid.UUID, Path] = {}

    async def start_recording(self, recording_id: uuid.UUID, source_url: str, output_path: str) -> bool:
        Path(output_path).mkdir(parents=True, exist_ok=True)
        self.running[recording_id] = Path(output_path)
        return True

    async def stop_recording(self, recording_id: uuid.UUID) -> bool:
        return self.running.pop(recording_id, None) is not None

    def emit(self, event: RecorderEvent) -> None:
        assert self.on_event is not None, "nobody listens to the recorder"
        self.on_event(event)

    async def close(self) -> None:
        self.running.clear()


class FakeMediaFiles(MediaFiles):
    """Every file lasts `seconds` and has one shape; joining is not faked (export is tested on ffmpeg)."""

    def __init__(self, seconds: float = 1.5) -> None:
        self.seconds = seconds

    async def duration(self, path: Path) -> float:
        return self.seconds

    async def shape(self, path: Path) -> StreamShape | None:
        return (("video", "h264", "High", "640x360"),)

    async def still(self, source: str | Path, offset: float, output: Path, *, width: int | None = None) -> bool:
        return False  # no pictures without ffmpeg

    async def join(self, files: Sequence[Path], output: int, **options: Any) -> None:
        raise NotImplementedError("joining needs ffmpeg: export is tested on the real one")


class FakeStorage(ArchiveStorage):
    """The archive port in memory. Each upload is noted with the retention date it asked for.
    `object_lock=True`: an archive with S3 object lock, whose legal holds refuse deletes. `locks` are
    retention locks the archive's own clock still holds: told by `locked_until`, and a delete is refused."""

    def __init__(self, object_lock: bool = False) -> None:
        self.objects: dict[str, bytes] = {}
        self.retained_until: dict[str, datetime | None] = {}
        self.object_lock = object_lock
        self.legal_holds: set[str] = set()
        self.refuse_holds: set[str] = set()  # keys whose hold change fails, as an archive that does not answer
        self.locks: dict[str, datetime] = {}

    async def upload(
        self, local_path: str, remote_path: str, *, progress: ProgressCallback | None = None,
        retain_until: datetime | None = None,
    ) -> UploadReceipt:  # fmt: skip
        data = Path(local_path).read_bytes()
        self.objects[remote_path] = data
        self.retained_until[remote_path] = retain_until
        if progress is not None:
            progress(len(data))
        return UploadReceipt(f"fake://{remote_path}", remote_path, len(data), hashlib.sha256(data).hexdigest())

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        return f"fake://{remote_path}?expires={expires_in}"

    async def delete_file(self, remote_path: str) -> None:
        if remote_path in self.legal_holds:
            raise RetentionLocked(f"{remote_path} is under a legal hold in the archive")
        if remote_path in self.locks:
            raise RetentionLocked(f"{remote_path} is locked until {self.locks[remote_path]:%Y-%m-%d}")
        self.objects.pop(remote_path, None)

    async def set_legal_hold(self, remote_path: str, on: bool) -> bool:
        if not self.object_lock:
            return False
        if remote_path in self.refuse_holds:
            raise StorageFailed(f"putting a legal hold on {remote_path} failed: ServiceUnavailable")
        if remote_path not in self.objects:
            raise NotFound(f"{remote_path}: no such object in the archive")
        (self.legal_holds.add if on else self.legal_holds.discard)(remote_path)
        return True

    async def list_files(self, prefix: str = "") -> list[StoredObject]:
        return [StoredObject(k, len(v), "") for k, v in self.objects.items() if k.startswith(prefix)]

    async def list_everywhere(self) -> tuple[list[StoredObject], dict[str, Any]]:
        return await self.list_files(""), {}

    async def stat_file(self, remote_path: str) -> StoredObject | None:
        data = self.objects.get(remote_path)
        if data is None:
            return None
        return StoredObject(remote_path, len(data), "", sha256=hashlib.sha256(data).hexdigest())

    async def download_file(self, remote_path: str, local_path: str, progress: ProgressCallback | None = None) -> None:
        Path(local_path).write_bytes(self.objects[remote_path])

    async def locked_until(self, remote_path: str) -> datetime | None:
        return self.locks.get(remote_path)

    async def prepare(self) -> None:
        return None
