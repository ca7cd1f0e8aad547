"""Share links: time-limited download links to archived segments, for someone without an account. The
archive presigns them (at most 7 days, what S3 allows); each batch is audited against its recording."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from video_streaming.catalog import Catalog
from video_streaming.domain.archive_key import parse_archive_key
from video_streaming.domain.errors import InvalidInput, NotFound, VidStreamError
from video_streaming.service import StreamingService

DEFAULT_SHARE_SECONDS = 3600
MAX_SHARE_SECONDS = 7 * 24 * 3600


class ShareLinks:
    def __init__(self, catalog: Catalog, service: StreamingService) -> None:
        self.catalog = catalog
        self.service = service

    async def links(
        self, object_keys: Sequence[str], expires_in: int = DEFAULT_SHARE_SECONDS, actor: str = "operator"
    ) -> list[str]:
        """One link per archived segment, in order. Raises InvalidInput for a lifetime outside 1 s .. 7 days,
        NotFound when nothing is archived yet, and the archive's own error when it cannot sign."""
        if not 1 <= expires_in <= MAX_SHARE_SECONDS:
            raise InvalidInput("a link can last at most 7 days")
        if not object_keys:
            raise NotFound("nothing of this is archived yet", "share it once the upload has finished")
        links = []
        for key in object_keys:
            result = await self.service.recording_url(key, expires_in)
            if result.error is not None:
                raise VidStreamError(result.error.message, result.error.hint)
            links.append(result.value)
        parsed = parse_archive_key(object_keys[0])
        shared = parsed.recording_id if parsed is not None else object_keys[0]
        summary = f"{len(links)} link(s) valid {expires_in} s"
        await asyncio.to_thread(self.catalog.audit, actor, "share", shared, summary)
        return links
