"""Recordings the archives hold that the catalog does not know yet (made on another machine, by a site's
recorder, or before the catalog was lost) are merged into it."""

from __future__ import annotations

import asyncio

from video_streaming.announcer import Announcer
from video_streaming.catalog import Catalog
from video_streaming.ports import ArchiveStorage
from video_streaming.site_sync import SiteSync


class ArchiveMerge:
    def __init__(self, catalog: Catalog, storage: ArchiveStorage, sites: SiteSync, announcer: Announcer) -> None:
        self.catalog = catalog
        self.storage = storage
        self.sites = sites
        self.announcer = announcer

    async def refresh(self, segment_seconds: float) -> tuple[int, dict[str, str]]:
        """Merge the recordings held by this machine's archive and every site's. Returns (recordings added,
        {site key or "": why its listing failed}). `segment_seconds` is the length assumed for a segment the
        listing gives no duration for."""
        if self.sites.sites:
            await self.sites.sync_sites()  # a site's cameras first, so its recordings file under them
        listing, failures = await self.storage.list_everywhere()
        errors = {key: str(error) for key, error in failures.items()}
        merge = await asyncio.to_thread(self.catalog.merge_archive_listing, listing, segment_seconds)
        if merge.recordings:
            self.announcer.changed("archive-merged")
        return len(merge.recordings), errors
