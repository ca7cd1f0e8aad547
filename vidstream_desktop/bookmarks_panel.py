"""Bookmarks beside the camera list: every bookmark, searched by name and note as the operator types, played
from its start in the recordings browser, and removed (audited, its legal holds lifted) after a confirmation.
The search and the removal are the core's BookmarkService's: this module only shows them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from video_streaming.core import CatalogChange, VidStreamCore
from video_streaming.domain.bookmark import Bookmark
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import VidStreamError
from vidstream_desktop.recordings.dialogs import BookmarkDialog

if TYPE_CHECKING:
    from vidstream_desktop.main_window import MainWindow

log = logging.getLogger(__name__)
BOOKMARK_ROLE = Qt.ItemDataRole.UserRole  # the Bookmark shown by the row
WALL_SPAN = timedelta(minutes=5)  # what "Bookmark the wall…" offers: what just happened
SEARCH_PAUSE_MS = 250  # typing pauses this long before the catalog is asked: one search per word, not per key
LISTED = 500


def time_range(start: datetime, end: datetime) -> str:
    """"2026-12-02 11:10:57 – 11:12:57" (the end's date only when it is another day), in local time."""
    first, last = start.astimezone(), end.astimezone()
    return f"{first:%Y-%m-%d %H:%M:%S} – {last:%H:%M:%S}" if first.date() == last.date() else \
        f"{first:%Y-%m-%d %H:%M} – {last:%Y-%m-%d %H:%M}"  # fmt: skip


class BookmarksPanel(QWidget):
    """The widget: a search field, the list, Play and Remove. It asks; BookmarkControls answers."""

    search_changed = Signal(str)
    play_requested = Signal(object)  # Bookmark
    remove_requested = Signal(object)  # Bookmark
    wall_bookmark_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("bookmarkSearch")
        self.search.setPlaceholderText(self.tr("Search names and notes"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("bookmarkList")
        self.list.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("bookmarkStatus")
        self.status.setWordWrap(True)
        self.play_button = QPushButton(self.tr("Play"), self)
        self.play_button.setToolTip(self.tr("Play the first camera of the bookmark from its start"))
        self.remove_button = QPushButton(self.tr("Remove…"), self)
        self.remove_button.setToolTip(self.tr("Remove the bookmark: retention may then delete its footage"))
        self.wall_button = QPushButton(self.tr("Bookmark the wall…"), self)
        self.wall_button.setObjectName("bookmarkWall")
        self.wall_button.setToolTip(self.tr("Bookmark every camera on the wall over a time range (the last five "
                                            "minutes unless changed)"))  # fmt: skip
        buttons = QHBoxLayout()
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.wall_button)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self.search.textChanged.connect(self._typed)
        self.notice = ""
        self.list.itemActivated.connect(lambda item: self.play_requested.emit(item.data(BOOKMARK_ROLE)))
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.play_button.clicked.connect(lambda: self._ask(self.play_requested))
        self.remove_button.clicked.connect(lambda: self._ask(self.remove_requested))
        self.wall_button.clicked.connect(self.wall_bookmark_requested)
        self._enable()

    def confirm_removal(self, bookmark: Bookmark) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Remove bookmark"),
            self.tr("Remove “{0}”? Its footage is then no longer kept from retention.").format(bookmark.name),
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def tell(self, text: str) -> None:
        """A word about the last action, kept above the count until the operator searches again."""
        self.notice = text
        self.status.setText(text)

    def selected(self) -> Bookmark | None:
        item = self.list.currentItem()
        chosen = item.data(BOOKMARK_ROLE) if item is not None else None
        return chosen if isinstance(chosen, Bookmark) else None

    def show_bookmarks(self, bookmarks: list[Bookmark], camera_name: Callable[[str], str]) -> None:
        chosen = self.selected()
        self.list.clear()
        for bookmark in bookmarks:
            cameras = ", ".join(camera_name(camera_id) for camera_id in bookmark.camera_ids)
            lines = [bookmark.name, time_range(bookmark.start, bookmark.end), cameras, bookmark.note]
            item = QListWidgetItem("\n".join(line for line in lines if line))
            item.setData(BOOKMARK_ROLE, bookmark)
            item.setToolTip(self.tr("Made by {0}").format(bookmark.created_by or "?"))
            self.list.addItem(item)
            if chosen is not None and bookmark.id == chosen.id:
                self.list.setCurrentItem(item)
        query = self.search.text().strip()
        if bookmarks:
            summary = self.tr("{0} bookmark(s)").format(len(bookmarks))
        elif query:
            summary = self.tr("No bookmark's name or note contains “{0}”").format(query)
        else:
            summary = self.tr("No bookmarks yet: select a recording and choose “Bookmark…”")
        self.status.setText(f"{self.notice}\n{summary}" if self.notice else summary)
        self._enable()

    def _typed(self, _text: str) -> None:
        self.notice = ""
        self._pause.start()

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.play_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _ask(self, signal: Any) -> None:
        bookmark = self.selected()
        if bookmark is not None:
            signal.emit(bookmark)


class BookmarkControls(QObject):
    """Between the panel and the core: searches on a pause in typing and on every bookmark change, plays
    through `play` (the recordings browser), removes after asking."""

    _changed = Signal()  # core changes come from any thread: queued onto the GUI's

    def __init__(
        self, core: VidStreamCore, panel: BookmarksPanel, play: Callable[[str, datetime], None],
        confirm: Callable[[Bookmark], bool], wall_cameras: Callable[[], list[str]], parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.core = core
        self.panel = panel
        self.play = play
        self.confirm = confirm
        self.wall_cameras = wall_cameras
        self.searches = 0  # searches answered (a test waits for the one it caused)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._query = ""
        self._asked = 0  # searches started: only the latest one's answer is shown
        panel.search_changed.connect(self.search)
        panel.play_requested.connect(self._play)
        panel.remove_requested.connect(self._remove)
        panel.wall_bookmark_requested.connect(lambda: self.bookmark_wall())
        self._changed.connect(lambda: self.search(self._query), Qt.ConnectionType.QueuedConnection)
        core.change_listeners.append(self._on_core_change)

    def _on_core_change(self, change: CatalogChange) -> None:
        if change.what == "bookmark":
            self._changed.emit()

    def close(self) -> None:
        if self._on_core_change in self.core.change_listeners:
            self.core.change_listeners.remove(self._on_core_change)
        for task in self._tasks:
            task.cancel()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def search(self, text: str) -> None:
        self._query = text
        self._asked += 1
        self._spawn(self._search(text, self._asked))

    async def _search(self, text: str, asked: int) -> None:
        try:
            found = await self.core.bookmarks.search(text, limit=LISTED)
        except VidStreamError as error:
            self.panel.tell(self.tr("Not searched: {0}").format(error))
            return
        if asked != self._asked:
            return  # a later search (typing on, another change) shows its own answer
        self.panel.show_bookmarks(found, self._camera_name)
        self.searches += 1

    def _camera_name(self, camera_id: str) -> str:
        camera = self.core.catalog.camera(camera_id)
        return camera.name if camera else camera_id

    def _play(self, bookmark: Bookmark) -> None:
        if bookmark.camera_ids:
            self.play(bookmark.camera_ids[0], bookmark.start)

    def bookmark_wall(
        self, name: str | None = None, note: str = "", span: tuple[datetime, datetime] | None = None
    ) -> asyncio.Task[None] | None:  # fmt: skip
        """Bookmark every camera on the wall over `span`; without a `name`, ask for it, the note and the range
        (the last five minutes to start with)."""
        cameras = list(dict.fromkeys(self.wall_cameras()))
        if not cameras:
            self.panel.tell(self.tr("No camera on the wall to bookmark"))
            return None
        if name is None:
            end = utc_now().replace(microsecond=0)
            names = ", ".join(self._camera_name(camera_id) for camera_id in cameras)
            what = self.tr("The wall's %n camera(s): {0}", "", len(cameras)).format(names)
            dialog = BookmarkDialog(what, self.panel, span=(end - WALL_SPAN, end))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            (name, note), span = dialog.values(), dialog.span()
        start, end = span or (utc_now() - WALL_SPAN, utc_now())
        return self._spawn(self._bookmarked(name, cameras, start, end, note))

    async def _bookmarked(self, name: str, cameras: list[str], start: datetime, end: datetime, note: str) -> None:
        try:
            outcome = await self.core.bookmarks.add(name, cameras, start, end, note)
        except VidStreamError as error:
            self.panel.tell(self.tr("Not bookmarked: {0}").format(error))
            return
        for camera_id in cameras:
            self.core.changed("bookmark", camera_id)
        self.panel.tell(self.tr("Bookmarked “{0}” on %n camera(s)", "", len(cameras)).format(outcome.bookmark.name))

    def _remove(self, bookmark: Bookmark) -> None:
        if self.confirm(bookmark):
            self._spawn(self._removed(bookmark))

    async def _removed(self, bookmark: Bookmark) -> None:
        try:
            await self.core.bookmarks.remove(str(bookmark.id))
        except VidStreamError as error:
            self.panel.tell(self.tr("Not removed: {0}").format(error))
            return
        for camera_id in bookmark.camera_ids:
            self.core.changed("bookmark", camera_id)  # the timelines and this list read again
        self.panel.tell(self.tr("Removed “{0}”").format(bookmark.name))




def dock_bookmarks(window: MainWindow, core: VidStreamCore) -> BookmarkControls:
    """The Bookmarks tab beside the camera list (and the Events tab), filled at once."""
    panel = BookmarksPanel(window)
    dock = QDockWidget(panel.tr("Bookmarks"), window)
    dock.setObjectName("bookmarksDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.tabifyDockWidget(window.cameras_dock, dock)
    window.cameras_dock.raise_()
    def wall_cameras() -> list[str]:
        return [tile.camera_id for tile in window.grid.tiles() if tile.camera_id]

    controls = BookmarkControls(core, panel, window.play_recorded, panel.confirm_removal, wall_cameras, window)
    controls.search("")
    return controls
