"""The recordings table: a lazily loaded, sortable, filterable view of the catalog.

Rows arrive a page at a time (`fetchMore`), each page read on a worker thread, so ten thousand recordings
cost what the operator scrolls through, and the window never waits on the database. Sorting and filtering
are done by the catalog's SQL, not over the rows loaded so far."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from video_streaming.catalog import RecordingRow
from video_streaming.domain.clock import utc_now
from vidstream_desktop.resources import COLORS

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
EXPIRY_WARNING_DAYS = 7  # from this close to its deadline a recording says when it goes


@dataclass(frozen=True)
class RecordingQuery:
    camera_ids: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    sort_key: str = "started_at"
    descending: bool = True


PageFetcher = Callable[[RecordingQuery, int, int], list[RecordingRow]]  # query, offset, limit


def local_time(moment: datetime) -> datetime:
    return moment.astimezone()  # the workstation's zone: operators think "yesterday at 14:20" locally


def format_moment(moment: datetime | None, reference: datetime | None = None) -> str:
    """`2026-11-26 14:20:05`, or only the time when it falls on `reference`'s (local) day."""
    if moment is None:
        return ""
    shown = local_time(moment)
    if reference is not None and local_time(reference).date() == shown.date():
        return f"{shown:%H:%M:%S}"
    return f"{shown:%Y-%m-%d %H:%M:%S}"


def format_duration(seconds: float) -> str:
    total = max(round(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_size(size: int) -> str:
    """In the locale's number format ("71,6 GB" in Portuguese)."""
    value, locale = float(size), QLocale()
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{locale.toString(value, 'f', 0 if unit == 'B' else 1)} {unit}"
        value /= 1000
    return f"{locale.toString(value, 'f', 1)} TB"


def days_left(row: RecordingRow, now: datetime) -> int | None:
    """Calendar days (local) until retention removes the recording: 0 today, 1 tomorrow...; None while it is
    still recording."""
    deadline = row.delete_after
    if deadline is None:
        return None
    return max((local_time(deadline).date() - local_time(now).date()).days, 0)


def span_seconds(row: RecordingRow, now: datetime) -> float:
    end = row.ended_at or now
    return max((end - row.started_at).total_seconds(), 0.0)


class RecordingsModel(QAbstractTableModel):
    COLUMNS = ("camera", "start", "end", "duration", "size", "state")
    SORT_KEYS = ("camera", "started_at", "ended_at", "duration", "size", "state")
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    PAGE_SIZE = 200

    loading_changed = Signal(bool)
    page_loaded = Signal(int)  # rows now loaded
    load_failed = Signal(str)

    def __init__(
        self,
        fetch_page: PageFetcher,
        parent: Any = None,
        *,
        now: Callable[[], datetime] = utc_now,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._now = now
        self.page_size = page_size
        self._query = RecordingQuery()
        self._rows: list[RecordingRow] = []
        self._more = True
        self._loading: asyncio.Future[list[RecordingRow]] | None = None
        self._generation = 0
        self._headers = [
            self.tr("Camera"), self.tr("Start"), self.tr("End"), self.tr("Duration"), self.tr("Size"), self.tr("State"),
        ]  # fmt: skip

    # ---- queries -----------------------------------------------------------------------------------

    @property
    def query(self) -> RecordingQuery:
        return self._query

    @property
    def is_loading(self) -> bool:
        return self._loading is not None

    @property
    def loaded_all(self) -> bool:
        return not self._more

    async def aclose(self) -> None:
        """Wait for the page being read (a worker thread's read cannot be cancelled) and drop its rows."""
        self._generation += 1  # its answer is ignored
        reading, self._more = self._loading, False
        if reading is not None:
            await asyncio.gather(reading, return_exceptions=True)
        self._loading = None

    def set_query(self, query: RecordingQuery) -> None:
        """Show the recordings matching `query` from the first page."""
        self._generation += 1
        self.beginResetModel()
        self._query = query
        self._rows = []
        self._more = True
        self._loading = None
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> RecordingRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[RecordingRow]:
        return list(self._rows)

    def index_of(self, recording_id: str) -> QModelIndex:
        for number, row in enumerate(self._rows):
            if row.id == recording_id:
                return self.index(number, 0)
        return QModelIndex()

    def touch_recording_rows(self) -> None:
        """Repaint the duration of recordings still in progress (it grows with the clock)."""
        column = self.COLUMNS.index("duration")
        for number, row in enumerate(self._rows):
            if row.ended_at is None:
                index = self.index(number, column)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    # ---- lazy loading ------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._more and self._loading is None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if not self.canFetchMore(parent):
            return
        query, offset, generation = self._query, len(self._rows), self._generation
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:  # no event loop (a script, a plain unit test): read in place
            self._append(generation, self._fetch_page(query, offset, self.page_size))
            return
        future = loop.run_in_executor(None, self._fetch_page, query, offset, self.page_size)
        self._loading = future
        self.loading_changed.emit(True)
        future.add_done_callback(lambda done: self._page_done(done, generation))

    def _page_done(self, done: asyncio.Future[list[RecordingRow]], generation: int) -> None:
        if generation != self._generation:
            return  # the query changed while this page was read
        self._loading = None
        self.loading_changed.emit(False)
        if done.cancelled():
            return
        if (error := done.exception()) is not None:
            log.error("reading recordings failed", exc_info=error)
            self._more = False
            self.load_failed.emit(str(error))
            return
        self._append(generation, done.result())

    def _append(self, generation: int, rows: list[RecordingRow]) -> None:
        if generation != self._generation:
            return
        if len(rows) < self.page_size:
            self._more = False
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(self._rows))

    # ---- Qt model ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS[column] if 0 <= column < len(self.SORT_KEYS) else "started_at"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._query.sort_key, self._query.descending):
            self.set_query(replace(self._query, sort_key=key, descending=descending))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            return QColor(self.state_color(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("duration", "size"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, row: RecordingRow, column: str) -> str:
        now = self._now()
        if column == "camera":
            return row.camera_name
        if column == "start":
            return format_moment(row.started_at)
        if column == "end":
            return self.tr("recording…") if row.ended_at is None else format_moment(row.ended_at, row.started_at)
        if column == "duration":
            return format_duration(span_seconds(row, now))
        if column == "size":
            return format_size(row.size)
        return self.state_text(row, now)

    def state_text(self, row: RecordingRow, now: datetime | None = None) -> str:
        """recording / local / uploading / archived, and "expires in N days" once the deadline is near."""
        names = {"recording": self.tr("recording"), "local": self.tr("local"),
                 "uploading": self.tr("uploading"), "archived": self.tr("archived")}  # fmt: skip
        base = names.get(row.state, row.state)
        if row.locked:
            base = f"{base} · {self.tr('locked')}"
        left = days_left(row, now or self._now())
        if left is None or left > EXPIRY_WARNING_DAYS:
            return base
        if left == 0:
            expiry = self.tr("expires today")
        elif left == 1:
            expiry = self.tr("expires tomorrow")
        else:
            expiry = self.tr("expires in %n days", "", left)
        return f"{base} · {expiry}"

    def state_color(self, row: RecordingRow) -> str:
        if row.state == "recording":
            return COLORS["red"]
        left = days_left(row, self._now())
        if row.state in ("local", "uploading") or (left is not None and left <= 1):
            return COLORS["amber"]
        return COLORS["green"] if row.state == "archived" else COLORS["text"]

    def tooltip(self, row: RecordingRow, column: str) -> str:
        if column in ("start", "end"):
            moment = row.started_at if column == "start" else row.ended_at
            return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if moment else ""
        if column != "state":
            return ""
        lines = [self.tr("{archived} of {total} segments archived").format(
            archived=row.archived_segments, total=row.segments)]  # fmt: skip
        if (deadline := row.delete_after) is not None:
            lines.append(self.tr("Kept until {date} ({days} days after it ended)").format(
                date=f"{local_time(deadline):%Y-%m-%d %H:%M}", days=row.retention_days))  # fmt: skip
        if row.locked:
            lines.append(self.tr("Retention lock: cannot be deleted before then"))
        if row.last_error:
            lines.append(row.last_error)
        return "\n".join(lines)
