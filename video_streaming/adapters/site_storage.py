"""Storage adapters for multi-site setups.

`PrefixedStorage` keeps one recorder's archive under a prefix of a shared bucket (several recorders, one S3).
`SiteRoutedStorage` is what a workstation attached to remote sites uses: keys behind an `@{site}/` marker
belong to that site's archive; every other key is this machine's own archive. The catalog stores the marked
key, so playback, download, export, share and delete reach the right archive without knowing about sites."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from video_streaming.domain.archive_key import SITE_MARKER
from video_streaming.domain.errors import InvalidInput, NotFound, VidStreamError
from video_streaming.ports import ArchiveStorage, ProgressCallback, StoredObject, UploadReceipt


def normalise_prefix(prefix: str) -> str:
    """`site-a`, `/site-a/` and `site-a/` all mean the folder `site-a/`; "" is the bucket's root."""
    cleaned = prefix.strip().strip("/")
    if cleaned and any(part in {"", ".", ".."} for part in cleaned.split("/")):
        raise InvalidInput(f"archive prefix {prefix!r} is not a plain folder path", "use e.g. 'site-a/'")
    if cleaned.startswith(SITE_MARKER):
        raise InvalidInput(f"archive prefix {prefix!r} may not start with {SITE_MARKER!r}")
    return f"{cleaned}/" if cleaned else ""


class PrefixedStorage(ArchiveStorage):
    """Another storage, seen through a folder: every key is read and written below `prefix`."""

    def __init__(self, inner: ArchiveStorage, prefix: str) -> None:
        self.inner = inner
        self.prefix = normalise_prefix(prefix)

    def _full(self, key: str) -> str:
        return self.prefix + key

    async def upload(
        self, local_path: str, remote_path: str, *, progress: ProgressCallback | None = None,
        retain_until: datetime | None = None,
    ) -> UploadReceipt:  # fmt: skip
        receipt = await self.inner.upload(local_path, self._full(remote_path), progress=progress,
                                          retain_until=retain_until)  # fmt: skip
        return replace(receipt, key=remote_path)

    async def prepare(self) -> None:
        await self.inner.prepare()

    async def list_everywhere(self) -> tuple[list[StoredObject], dict[str, VidStreamError]]:
        return await self.list_files(""), {}

    async def locked_until(self, remote_path: str) -> datetime | None:
        return await self.inner.locked_until(self._full(remote_path))

    async def set_legal_hold(self, remote_path: str, on: bool) -> bool:
        return await self.inner.set_legal_hold(self._full(remote_path), on)

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        return await self.inner.get_file_url(self._full(remote_path), expires_in)

    async def delete_file(self, remote_path: str) -> None:
        await self.inner.delete_file(self._full(remote_path))

    async def list_files(self, prefix: str = "") -> list[StoredObject]:
        found = await self.inner.list_files(self._full(prefix))
        return [replace(item, key=item.key[len(self.prefix) :]) for item in found if item.key.startswith(self.prefix)]

    async def stat_file(self, remote_path: str) -> StoredObject | None:
        found = await self.inner.stat_file(self._full(remote_path))
        return replace(found, key=remote_path) if found is not None else None

    async def download_file(self, remote_path: str, local_path: str, progress: ProgressCallback | None = None) -> None:
        await self.inner.download_file(self._full(remote_path), local_path, progress)


def site_marker(site: str) -> str:
    return f"{SITE_MARKER}{site}/"


class SiteRoutedStorage(ArchiveStorage):
    """This machine's archive plus the archives of remote sites, told apart by the `@{site}/` key marker.

    New recordings (uploads without a marker) always go to this machine's archive. Listing the root lists
    this machine's archive only: a site that is down must not hide the others, so callers list each site
    with `list_site` and report its errors on their own (see VidStreamCore.refresh_archive)."""

    def __init__(self, local: ArchiveStorage, sites: dict[str, ArchiveStorage]) -> None:
        self.local = local
        self.sites = dict(sites)

    def route(self, key: str) -> tuple[ArchiveStorage, str, str]:
        """(storage, key within it, marker to put back in front of listed keys)."""
        if not key.startswith(SITE_MARKER):
            return self.local, key, ""
        site, _, rest = key[len(SITE_MARKER) :].partition("/")
        storage = self.sites.get(site)
        if storage is None:
            raise NotFound(f"the archive of site {site!r} is not configured on this workstation",
                           "add the site to the settings ([[sites]])")  # fmt: skip
        return storage, rest, site_marker(site)

    async def upload(
        self, local_path: str, remote_path: str, *, progress: ProgressCallback | None = None,
        retain_until: datetime | None = None,
    ) -> UploadReceipt:  # fmt: skip
        storage, key, marker = self.route(remote_path)
        receipt = await storage.upload(local_path, key, progress=progress, retain_until=retain_until)
        return replace(receipt, key=marker + receipt.key) if marker else receipt

    async def prepare(self) -> None:
        """This machine's archive only: each site's recorder prepares its own."""
        await self.local.prepare()

    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        storage, key, _ = self.route(remote_path)
        return await storage.get_file_url(key, expires_in)

    async def delete_file(self, remote_path: str) -> None:
        storage, key, _ = self.route(remote_path)
        await storage.delete_file(key)

    async def list_files(self, prefix: str = "") -> list[StoredObject]:
        storage, key, marker = self.route(prefix)
        found = await storage.list_files(key)
        return [replace(item, key=marker + item.key) for item in found] if marker else found

    async def list_site(self, site: str) -> list[StoredObject]:
        return await self.list_files(site_marker(site))

    async def list_everywhere(self) -> tuple[list[StoredObject], dict[str, VidStreamError]]:
        """This machine's archive and every site's, side by side; a failing site is reported, not raised."""
        names = ["", *self.sites]
        results = await asyncio.gather(*(self.list_files(site_marker(n) if n else "") for n in names),
                                       return_exceptions=True)  # fmt: skip
        found: list[StoredObject] = []
        errors: dict[str, VidStreamError] = {}
        for name, result in zip(names, results, strict=True):
            if isinstance(result, VidStreamError):
                errors[name] = result
            elif isinstance(result, BaseException):
                raise result
            else:
                found.extend(result)
        return found, errors

    async def locked_until(self, remote_path: str) -> datetime | None:
        storage, key, _ = self.route(remote_path)
        return await storage.locked_until(key)

    async def set_legal_hold(self, remote_path: str, on: bool) -> bool:
        storage, key, _ = self.route(remote_path)
        return await storage.set_legal_hold(key, on)

    async def stat_file(self, remote_path: str) -> StoredObject | None:
        storage, key, marker = self.route(remote_path)
        found = await storage.stat_file(key)
        return replace(found, key=marker + found.key) if found is not None and marker else found

    async def download_file(self, remote_path: str, local_path: str, progress: ProgressCallback | None = None) -> None:
        storage, key, _ = self.route(remote_path)
        await storage.download_file(key, local_path, progress)
