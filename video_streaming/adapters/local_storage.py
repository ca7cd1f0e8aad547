"""A local folder standing in for S3, for setups without an object store (and for quick trials)."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

from video_streaming.adapters.s3 import MiB, sha256_of
from video_streaming.domain.errors import InvalidInput, NotFound, VerificationFailed, VidStreamError
from video_streaming.ports import ArchiveStorage, ProgressCallback, StoredObject, UploadReceipt


class LocalFolderStorage(ArchiveStorage):
    """Objects are files below `root`; a folder does not lock, so retention dates are not kept."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, remote_path: str) -> Path:
        candidate = (self.root / remote_path).resolve()
        if not candidate.is_relative_to(self.root) or candidate == self.root:
            raise InvalidInput(f"{remote_path!r} points outside the archive folder")
        return candidate

    async def upload(
        self, local_path: str, remote_path: str, *, progress: ProgressCallback | None = None,
        retain_until: datetime | None = None,
    ) -> UploadReceipt:  # fmt: skip
        target = self._path(remote_path)

        def copy() -> UploadReceipt:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".part")
            sha, size = hashlib.sha256(), 0
            with open(local_path, "rb") as source, open(temporary, "wb") as out:  # hashed as it is copied
                while chunk := source.read(MiB):
                    sha.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            # The folder's side of the check: what landed on its disk is what was read.
            if sha256_of(temporary) != sha.hexdigest():
                temporary.unlink()
                raise VerificationFailed(f"{remote_path}: copy differs from the original")
            temporary.replace(target)
            if progress:
                progress(size)
            return UploadReceipt(target.as_uri(), remote_path, size, sha.hexdigest())

        return await asyncio.to_thread(copy)

    async def prepare(self) -> None:
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)

    async def locked_until(self, remote_path: str) -> datetime | None:
        return None

    async def set_legal_hold(self, remote_path: str, on: bool) -> bool:
        return False  # a folder cannot hold a file against deletion: bookmarks protect through the catalog only

    async def list_everywhere(self) -> tuple[list[StoredObject], dict[str, VidStreamError]]:
        return await self.list_files(""), {}

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        path = self._path(remote_path)
        if not path.exists():
            raise NotFound(f"{remote_path}: not in the archive")
        return path.as_uri()

    async def delete_file(self, remote_path: str) -> None:
        self._path(remote_path).unlink(missing_ok=True)

    async def list_files(self, prefix: str = "") -> list[StoredObject]:
        def walk() -> list[StoredObject]:
            found = []
            for path in sorted(self.root.rglob("*")):
                key = path.relative_to(self.root).as_posix()
                if path.is_file() and key.startswith(prefix) and not key.endswith(".part"):
                    stat = path.stat()
                    found.append(StoredObject(key, stat.st_size, "", datetime.fromtimestamp(stat.st_mtime, UTC)))
            return found

        return await asyncio.to_thread(walk)

    async def stat_file(self, remote_path: str) -> StoredObject | None:
        path = self._path(remote_path)
        if not path.exists():
            return None
        stat = path.stat()
        return StoredObject(remote_path, stat.st_size, "", datetime.fromtimestamp(stat.st_mtime, UTC))

    async def download_file(self, remote_path: str, local_path: str, progress: ProgressCallback | None = None) -> None:
        source = self._path(remote_path)
        if not source.exists():
            raise NotFound(f"{remote_path}: not in the archive")
        await asyncio.to_thread(shutil.copyfile, source, local_path)
        if progress:
            progress(source.stat().st_size)
