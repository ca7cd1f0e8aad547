"""Bookmarks: the use cases behind "keep what these cameras saw between A and B".

A bookmark is kept in the catalog and audited; retention and the size cap skip every recording it marks
(see RetentionEnforcer) until it is removed. Where the archive has S3 object lock, the archived segments it
marks get a legal hold when it is made, and lose it when the last bookmark marking them is removed, so
nobody (no sweep, no lifecycle rule, no governance bypass) can delete them meanwhile."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from video_streaming.catalog import Catalog, SegmentRow, SegmentState
from video_streaming.domain.bookmark import Bookmark, new_bookmark
from video_streaming.domain.clock import Clock, utc_now
from video_streaming.domain.errors import InvalidInput, NotFound, VidStreamError
from video_streaming.ports import ArchiveStorage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HoldOutcome:
    bookmark: Bookmark
    held: int = 0  # archive objects whose legal hold was put (added) or lifted (removed)
    supported: bool = True  # False: the archive has no object lock, so nothing can be held
    errors: list[str] = field(default_factory=list)  # objects the archive refused to hold (the bookmark stays)


class BookmarkService:
    def __init__(self, catalog: Catalog, storage: ArchiveStorage, *, clock: Clock = utc_now) -> None:
        self.catalog = catalog
        self.storage = storage
        self.clock = clock
        self._holding: set[asyncio.Task[bool]] = set()

    async def add(
        self, name: str, camera_ids: Sequence[str], start: datetime, end: datetime, note: str = "", *,
        actor: str = "operator",
    ) -> HoldOutcome:  # fmt: skip
        """Save, audit, then hold its archived footage. A hold that fails is reported, not fatal: the catalog's
        protection (retention skips it) is already in place, and `hold_all` tries again."""
        bookmark = new_bookmark(name, list(camera_ids), start, end, note, created_by=actor, created_at=self.clock())
        known = {str(c.id) for c in await asyncio.to_thread(self.catalog.cameras)}
        known |= set(await asyncio.to_thread(self.catalog.recorded_camera_ids))
        unknown = [c for c in bookmark.camera_ids if c not in known]
        if unknown:
            raise InvalidInput(f"no camera {', '.join(unknown)}", "see `vidstream cameras list` for the ids")
        await asyncio.to_thread(self.catalog.add_bookmark, bookmark)
        outcome = await self._set_holds(bookmark, await self._archived_keys(bookmark), on=True)
        await asyncio.to_thread(
            self.catalog.audit, actor, "bookmark-add", str(bookmark.id),
            f"{bookmark.name!r} cameras={','.join(bookmark.camera_ids)} {bookmark.start.isoformat()} .. "
            f"{bookmark.end.isoformat()} legal-holds={outcome.held}",
        )  # fmt: skip
        return outcome

    async def remove(self, bookmark_id: str, *, actor: str = "operator") -> HoldOutcome:
        """Lift the holds no other bookmark still needs, then forget the bookmark and audit it. When the archive
        refuses to lift a hold the bookmark stays (nothing is lost, and removing it again retries)."""
        bookmark = await asyncio.to_thread(self.catalog.bookmark, bookmark_id)
        if bookmark is None:
            raise NotFound(f"no bookmark {bookmark_id}", "see `vidstream bookmark list`")
        others = [b for b in await self.search(cameras=bookmark.camera_ids, since=bookmark.start, until=bookmark.end)
                  if b.id != bookmark.id]  # fmt: skip
        still_held: set[str] = set()
        for other in others:
            still_held |= await self._archived_keys(other)
        outcome = await self._set_holds(bookmark, await self._archived_keys(bookmark) - still_held, on=False)
        if outcome.errors:
            raise VidStreamError(
                f"the archive kept the legal hold on {len(outcome.errors)} object(s): {outcome.errors[0]}",
                "the bookmark is kept; remove it again once the archive answers",
            )
        await asyncio.to_thread(self.catalog.remove_bookmark, str(bookmark.id))
        await asyncio.to_thread(
            self.catalog.audit, actor, "bookmark-remove", str(bookmark.id),
            f"{bookmark.name!r} legal-holds-lifted={outcome.held}",
        )  # fmt: skip
        return outcome

    async def search(
        self, text: str = "", *, cameras: Sequence[str] | None = None, since: datetime | None = None,
        until: datetime | None = None, limit: int = 1000,
    ) -> list[Bookmark]:  # fmt: skip
        """Bookmarks whose name or note contains `text`, overlapping [since, until] on any of `cameras`."""
        return await asyncio.to_thread(
            lambda: self.catalog.bookmarks(text=text, camera_ids=cameras, since=since, until=until, limit=limit)
        )

    def segment_archived(self, segment: SegmentRow) -> None:
        """Told (on the loop) as a segment reaches the archive: one a bookmark marks gets its hold too, so a
        bookmark made while the camera records, or during an upload, holds all of its footage."""
        task = asyncio.ensure_future(self.hold_if_bookmarked(segment))
        self._holding.add(task)
        task.add_done_callback(self._holding.discard)

    async def hold_if_bookmarked(self, segment: SegmentRow) -> bool:
        """True when a bookmark marks the archived `segment` and the archive now holds it."""
        marks = await self.search(cameras=[segment.camera_id], since=segment.start, until=segment.end, limit=1)
        if not marks:
            return False
        try:
            return await self.storage.set_legal_hold(segment.object_key, True)
        except VidStreamError as error:  # `hold_all` tries again
            log.warning("bookmark %s: no legal hold on %s yet: %s", marks[0].id, segment.object_key, error)
            return False

    async def hold_all(self) -> int:
        """Put the hold on every archived object some bookmark marks (footage archived after its bookmark was
        made, or a hold that failed before); returns how many holds were put. Holding twice is harmless."""
        held = 0
        for bookmark in await self.search(limit=1_000_000):
            held += (await self._set_holds(bookmark, await self._archived_keys(bookmark), on=True)).held
        return held

    async def _archived_keys(self, bookmark: Bookmark) -> set[str]:
        keys: set[str] = set()
        for camera_id in bookmark.camera_ids:
            segments = await asyncio.to_thread(
                self.catalog.segments, None, SegmentState.ARCHIVED, camera_id, bookmark.start, bookmark.end
            )
            keys |= {s.object_key for s in segments}
        return keys

    async def _set_holds(self, bookmark: Bookmark, keys: set[str], *, on: bool) -> HoldOutcome:
        held, errors = 0, []
        for key in sorted(keys):
            try:
                if not await self.storage.set_legal_hold(key, on):
                    return HoldOutcome(bookmark, held, supported=False)
            except NotFound:
                if not on:
                    continue  # gone from the archive (e.g. removed by hand): there is no hold left to lift
                errors.append(f"{key}: not in the archive")
                continue
            except VidStreamError as error:
                errors.append(f"{key}: {error}")
                log.warning("bookmark %s: legal hold %s on %s failed: %s", bookmark.id, on, key, error)
                continue
            held += 1
        return HoldOutcome(bookmark, held, errors=errors)
