"""Multi-site: a recorder publishes a directory of its cameras to its archive; workstations read it.

A site is a recorder host (`vidstream serve`) with its MediaMTX and its S3 archive (a bucket, or a prefix of
a shared bucket). The archive is the shared source of truth, so the recorder writes `_vidstream/directory.json`
next to its recordings: each camera's id, name, archive key and the MediaMTX path it is live on. A workstation
configured with the site's API and archive reads that file, plays the paths straight from the site's MediaMTX
and merges the site's recordings into its one recordings browser. No extra server or port is needed."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from video_streaming.domain.camera import CAMERA_KEY_PATTERN, Camera, validate_camera_name
from video_streaming.domain.errors import InvalidInput, VidStreamError
from video_streaming.domain.stream import Stream
from video_streaming.ports import ArchiveStorage, MediaServer
from video_streaming.service import PlaybackUrls

log = logging.getLogger(__name__)

RESERVED_PREFIX = "_vidstream/"  # never a camera key (those start with a letter or digit)
DIRECTORY_KEY = RESERVED_PREFIX + "directory.json"
DIRECTORY_FORMAT = 1
MAX_DIRECTORY_BYTES = 4 * 2**20  # about 10,000 cameras; anything larger is not ours
_CAMERA_KEY = re.compile(CAMERA_KEY_PATTERN)


@dataclass(frozen=True)
class DirectoryCamera:
    id: uuid.UUID
    name: str
    key: str  # the camera's archive key prefix (Camera.key on the recorder)
    path: str = ""  # MediaMTX path of the main stream; "" while the recorder has it stopped
    sub_path: str = ""
    recording: bool = False
    retention_days: int = 30


@dataclass(frozen=True)
class SiteDirectory:
    cameras: tuple[DirectoryCamera, ...] = ()
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def content(self) -> list[dict[str, Any]]:
        return [{"id": str(c.id), "name": c.name, "key": c.key, "path": c.path, "sub_path": c.sub_path,
                 "recording": c.recording, "retention_days": c.retention_days} for c in self.cameras]  # fmt: skip

    def to_json(self) -> bytes:
        document = {"format": DIRECTORY_FORMAT, "updated_at": self.updated_at.isoformat(), "cameras": self.content()}
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> SiteDirectory:
        """Parse a directory read from an archive. The archive is not trusted: every field is checked, and
        anything odd is an InvalidInput saying what, never a crash or a path outside the site's own."""
        if len(data) > MAX_DIRECTORY_BYTES:
            raise InvalidInput("the site's camera directory is too large to be a VidStream directory")
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise InvalidInput(f"the site's camera directory is not valid JSON: {error}"[:200]) from None
        if not isinstance(document, dict) or document.get("format") != DIRECTORY_FORMAT:
            raise InvalidInput("the site's camera directory has an unknown format",
                               "update VidStream on the workstation or the recorder")  # fmt: skip
        raw_cameras = document.get("cameras")
        if not isinstance(raw_cameras, list):
            raise InvalidInput("the site's camera directory lists no cameras")
        try:
            updated_at = datetime.fromisoformat(str(document.get("updated_at", "")))
        except ValueError:
            updated_at = datetime.now(UTC)
        cameras = tuple(_directory_camera(item, index) for index, item in enumerate(raw_cameras))
        return cls(cameras, updated_at if updated_at.tzinfo else updated_at.replace(tzinfo=UTC))


def _directory_camera(item: Any, index: int) -> DirectoryCamera:
    where = f"camera #{index + 1} of the site's directory"
    if not isinstance(item, dict):
        raise InvalidInput(f"{where} is not an object")
    try:
        camera_id = uuid.UUID(str(item.get("id")))
    except ValueError:
        raise InvalidInput(f"{where} has no valid id") from None
    key = str(item.get("key", ""))
    if not _CAMERA_KEY.fullmatch(key):
        raise InvalidInput(f"{where} has an unsafe archive key")
    paths = [str(item.get(name) or "") for name in ("path", "sub_path")]
    for path in paths:
        if path:  # the recorder's paths are stream ids (see Stream.path_name)
            try:
                uuid.UUID(path)
            except ValueError:
                raise InvalidInput(f"{where} has an unexpected media path") from None
    days = item.get("retention_days", 30)
    return DirectoryCamera(
        id=camera_id, name=validate_camera_name(str(item.get("name", ""))), key=key, path=paths[0],
        sub_path=paths[1], recording=item.get("recording") is True,
        retention_days=days if isinstance(days, int) and not isinstance(days, bool) and 0 < days <= 36500 else 30,
    )  # fmt: skip


def directory_of(cameras: list[Camera], streams: dict[str, Stream], sub_streams: dict[str, Stream],
                 recording: set[str]) -> SiteDirectory:  # fmt: skip
    """The directory of this machine's own cameras (a site's cameras are never re-published)."""
    entries = []
    for camera in cameras:
        if camera.site:
            continue
        camera_id = str(camera.id)
        main, sub = streams.get(camera_id), sub_streams.get(camera_id)
        entries.append(DirectoryCamera(
            id=camera.id, name=camera.name, key=camera.key,
            path=main.path_name if main is not None and main.is_active() else "",
            sub_path=sub.path_name if sub is not None and sub.is_active() else "",
            recording=camera_id in recording, retention_days=camera.retention.days,
        ))  # fmt: skip
    return SiteDirectory(tuple(entries))


class DirectoryPublisher:
    """Uploads the directory when it changed (and at least every `refresh_seconds`, so a reader can tell a
    live recorder from one that stopped)."""

    def __init__(self, storage: ArchiveStorage, work_dir: Path, refresh_seconds: float = 300.0) -> None:
        self.storage = storage
        self.work_dir = work_dir
        self.refresh_seconds = refresh_seconds
        self._published: list[dict[str, Any]] | None = None
        self._published_at = 0.0
        self._retry_at = 0.0
        self._task: asyncio.Task[bool] | None = None

    def publish_soon(self, directory: SiteDirectory, now: float) -> None:
        """Publish in the background: an archive that is down must not hold up the recorder's loop."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self.publish(directory, now))

    async def publish(self, directory: SiteDirectory, now: float) -> bool:
        """Returns whether it uploaded. A failed upload is logged and tried again 30 s later."""
        content = directory.content()
        if content == self._published and now - self._published_at < self.refresh_seconds:
            return False
        if now < self._retry_at:
            return False
        self.work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.work_dir, suffix=".json", delete=False) as handle:
            handle.write(directory.to_json())
            temporary = Path(handle.name)
        try:
            await self.storage.upload_file(str(temporary), DIRECTORY_KEY)
        except VidStreamError as error:
            log.warning("could not publish the camera directory: %s", error)
            self._retry_at = now + 30.0
            return False
        finally:
            temporary.unlink(missing_ok=True)
        self._published, self._published_at = content, now
        return True


@dataclass
class RemoteSite:
    """A recorder site as a workstation sees it."""

    name: str
    key: str  # slug: the `@{key}/` marker of its archive keys, and its secrets' names
    mediamtx: MediaServer
    storage: ArchiveStorage  # the site's archive (its bucket, seen through its prefix)
    urls: PlaybackUrls
    directory: SiteDirectory | None = None
    error: str = ""  # why the site cannot be reached right now ("" when it can)
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)  # its MediaMTX paths at the last poll

    async def read_directory(self, work_dir: Path, timeout: float = 20.0) -> SiteDirectory:
        work_dir.mkdir(parents=True, exist_ok=True)
        target = work_dir / f"directory-{self.key}.json"
        async with asyncio.timeout(timeout):
            found = await self.storage.stat_file(DIRECTORY_KEY)
            if found is None:
                raise InvalidInput(f"site {self.name} has published no camera directory yet",
                                   "start `vidstream serve` on the site's recorder (it publishes one)")  # fmt: skip
            if found.size > MAX_DIRECTORY_BYTES:
                raise InvalidInput(f"site {self.name}'s camera directory is too large")
            try:
                await self.storage.download_file(DIRECTORY_KEY, str(target))
                data = await asyncio.to_thread(target.read_bytes)
            finally:
                target.unlink(missing_ok=True)
        self.directory = SiteDirectory.from_json(data)
        return self.directory

    async def aclose(self) -> None:
        await self.mediamtx.aclose()
