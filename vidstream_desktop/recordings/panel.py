"""RecordingsPanel: the Recordings tab. Find "camera 3, yesterday around 14:20" (filters, table, timelines),
watch it (player), and take it away (download, export a range, share a link), or delete it.

The panel only arranges widgets and forwards the operator's actions to RecordingsController."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from video_streaming.catalog import RecordingRow
from video_streaming.core import VidStreamCore
from video_streaming.domain.camera import is_loopback_url as link_is_local
from video_streaming.domain.clock import utc_now
from video_streaming.share_links import DEFAULT_SHARE_SECONDS
from vidstream_desktop.recordings.controller import DownloadJob, RecordingsController
from vidstream_desktop.recordings.dialogs import (
    BookmarkDialog,
    EvidenceDialog,
    ExportDialog,
    ShareDialog,
    default_download_folder,
)
from vidstream_desktop.recordings.downloads import DownloadsList
from vidstream_desktop.recordings.filters import FilterBar
from vidstream_desktop.recordings.model import RecordingQuery, RecordingsModel, local_time
from vidstream_desktop.recordings.player import PlayerPanel
from vidstream_desktop.recordings.timeline_view import TimelineView
from vidstream_desktop.resources import COLORS, icon
from vidstream_desktop.wall.vlc_backend import wait_for_retired_players

log = logging.getLogger(__name__)

REFRESH_MS = 5000  # timelines of today follow what is being recorded
FOLLOW_MS = 200  # catalog changes arriving together (every camera's segment closing) cost one re-read
LIVE_ROW_MS = 1000  # a recording in progress shows its duration growing, second by second
PLAYER_RELEASE_TIMEOUT = 5.0  # seconds; libvlc's stop can hang on a dead stream (see srt_probe)


class RecordingsPanel(QWidget):
    def __init__(self, core: VidStreamCore, parent: QWidget | None = None, *, cache_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingsPanel")
        self.core = core
        self.controller = RecordingsController(core, self, cache_dir=cache_dir)
        self.model = RecordingsModel(self.controller.fetch_page, self)
        self.download_folder = default_download_folder()
        # Replaceable for scripted use and tests: ask before deleting, and where to save.
        self.confirm: Callable[[str, str], bool] = self._ask
        self.choose_folder: Callable[[], Path | None] = self._choose_folder
        self._playing_camera: str | None = None
        self._playing_recording: str | None = None
        self._cameras: list[tuple[str, str]] = []

        self._build_filters()
        self._build_table()
        self.player = PlayerPanel(self.controller.resolve, self)
        self.timeline = TimelineView(self.controller.timeline, self.controller.thumbnail, self)
        self.downloads = DownloadsList(self)
        self.message = QLabel(self)
        self.message.setObjectName("recordingsMessage")
        self.message.setWordWrap(True)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self._table_area)
        top.addWidget(self.player)
        top.setStretchFactor(0, 5)
        top.setStretchFactor(1, 6)
        top.setChildrenCollapsible(False)
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.timeline)
        bottom.addWidget(self.downloads)
        bottom.setStretchFactor(0, 4)
        bottom.setStretchFactor(1, 1)
        bottom.setChildrenCollapsible(False)
        self.downloads.setMinimumWidth(330)
        main = QSplitter(Qt.Orientation.Vertical, self)
        main.addWidget(top)
        main.addWidget(bottom)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setChildrenCollapsible(False)
        main.setSizes([520, 380])
        top.setSizes([780, 720])
        bottom.setSizes([1150, 350])
        self.splitters = (main, top, bottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)
        layout.addLayout(self._filters)
        layout.addWidget(main, 1)
        layout.addWidget(self.message)

        self._connect()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self._follow_catalog)
        self._reselect: str | None = None
        self._restoring_selection = False
        self._live_rows = QTimer(self)
        self._live_rows.setInterval(LIVE_ROW_MS)
        self._live_rows.timeout.connect(self.model.touch_recording_rows)
        self._live_rows.start()
        self.refresh()

    # ---- construction ------------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.filters = FilterBar(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("recordingsCount")
        self.archive_button = QPushButton(icon("download"), self.tr("Refresh from archive"), self)
        self.archive_button.setToolTip(self.tr("List the archive and add recordings made on other workstations"))
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.filters)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.archive_button)
        self._filters = bar

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("recordingsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((120, 146, 72, 80, 76)):
            header.resizeSection(column, width)
        self.table.setSortingEnabled(True)

        self.play_button = QPushButton(icon("play"), self.tr("Play"), self)
        self.download_button = QPushButton(icon("download"), self.tr("Download"), self)
        self.download_button.setToolTip(self.tr("Save the whole recording as one MP4 file"))
        self.export_button = QPushButton(self.tr("Export range…"), self)
        self.export_button.setToolTip(self.tr("Save a camera's footage between two moments as one MP4 file"))
        self.evidence_button = QPushButton(self.tr("Evidence…"), self)
        self.evidence_button.setToolTip(self.tr("Several cameras over one time range, signed: a package whose "
                                                "every changed byte `vidstream verify` finds"))  # fmt: skip
        self.share_button = QPushButton(self.tr("Share link…"), self)
        self.bookmark_button = QPushButton(self.tr("Bookmark…"), self)
        self.bookmark_button.setToolTip(self.tr("Name and keep this recording: retention leaves it until the "
                                                "bookmark is removed"))  # fmt: skip
        self.share_button.setToolTip(self.tr("Copy a link that expires (1 hour to 7 days)"))
        self.delete_button = QPushButton(icon("remove"), self.tr("Delete"), self)
        self.delete_button.setProperty("destructive", False)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(6)
        for button in (self.play_button, self.download_button, self.export_button, self.evidence_button,
                       self.share_button, self.bookmark_button):  # fmt: skip
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        area = QWidget(self)
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self._table_area = area
        self._update_actions()

    def _connect(self) -> None:
        c = self.controller
        c.error.connect(self.show_error)
        c.status.connect(self.show_message)
        c.recordings_changed.connect(self._catalog_changed)
        c.catalog_changed.connect(lambda _change: self._follow.start())
        c.download_added.connect(self.downloads.add)
        c.download_changed.connect(self._download_changed)
        self.downloads.cancel_requested.connect(c.cancel)
        self.downloads.retry_requested.connect(c.retry)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.load_failed.connect(self.show_error)
        self.model.modelReset.connect(self._update_actions)
        self.filters.changed.connect(self.apply_filters)
        self.archive_button.clicked.connect(self.refresh_from_archive)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _index: self.play_selected())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.play_button.clicked.connect(self.play_selected)
        self.download_button.clicked.connect(lambda: self.download_selected())
        self.export_button.clicked.connect(lambda: self.export_dialog())
        self.evidence_button.clicked.connect(lambda: self.evidence_dialog())
        self.bookmark_button.clicked.connect(lambda: self.bookmark_selected())
        self.share_button.clicked.connect(lambda: self.share_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.timeline.time_clicked.connect(self.play_at)
        self.player.position_changed.connect(self._player_moved)
        self.player.error.connect(self.show_error)
        self.player.snapshot_saved.connect(lambda path: self.show_message(self.tr("Snapshot saved: {0}").format(path)))
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.activated.connect(lambda: self.delete_selected())

    # ---- public API --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read cameras and recordings: the table from its first page, the timelines of the day shown."""
        cameras = self.controller.camera_choices()
        self.filters.set_cameras(cameras)
        self._cameras = cameras
        self.timeline.set_cameras(cameras)
        self.model.set_query(self.current_query())

    def current_query(self) -> RecordingQuery:
        camera = self.filters.camera_id()
        since, until = self.filters.time_range()
        sort = self.model.query
        return RecordingQuery((camera,) if camera else (), since, until, sort.sort_key, sort.descending)

    def set_filter(self, camera_id: str | None = None, since: datetime | None = None,
                   until: datetime | None = None) -> None:  # fmt: skip
        """Show one camera's (or every camera's) recordings overlapping [since, until]."""
        self.filters.set_values(camera_id, since, until)

    def apply_filters(self) -> None:
        self.model.set_query(self.current_query())
        if camera := self.filters.camera_id():
            self._scroll_timeline_to(camera)

    def selected_row(self) -> RecordingRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def select_recording(self, recording_id: str) -> bool:
        index = self.model.index_of(recording_id)
        if not index.isValid():
            return False
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def play_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.controller.spawn(self.play_recording(row), self.tr("Playing"))

    async def play_recording(self, row: RecordingRow, offset: float = 0.0) -> None:
        items = await self.controller.recording_items(row.id)
        if not items:
            self.show_error(self.tr("Nothing of this recording is left to play"))
            return
        self._playing_camera, self._playing_recording = row.camera_id, row.id
        self.timeline.show_moment(items[0].start)
        self.player.load(items, row.camera_name, 0, offset)

    def play_at(self, camera_id: str, moment: datetime) -> None:
        """Play `camera_id` from `moment` (or from the next thing it recorded that day)."""
        self.controller.spawn(self._play_at(camera_id, moment), self.tr("Playing"))

    async def _play_at(self, camera_id: str, moment: datetime) -> None:
        found = await self.controller.playback_at(camera_id, moment)
        name = dict(self._cameras).get(camera_id, camera_id)
        if found is None:
            self.show_message(self.tr("{camera} recorded nothing after {time}").format(
                camera=name, time=f"{local_time(moment):%Y-%m-%d %H:%M:%S}"))  # fmt: skip
            return
        items, index, offset = found
        self._playing_camera, self._playing_recording = camera_id, items[0].recording_id
        self.player.load(items, name, index, offset)
        self.select_recording(items[0].recording_id)

    def download_selected(self, folder: Path | None = None) -> DownloadJob | None:
        row = self.selected_row()
        if row is None:
            return None
        target = folder or self.choose_folder()
        if target is None:
            return None
        self.download_folder = target
        return self.controller.download(row, target)

    def export_range(self, camera_id: str, start: datetime, end: datetime, folder: Path) -> DownloadJob:
        self.download_folder = folder
        return self.controller.export(camera_id, start, end, folder)

    def export_evidence(
        self, camera_ids: list[str], start: datetime, end: datetime, destination: Path, overlay: bool = False
    ) -> DownloadJob:
        self.download_folder = destination.parent
        return self.controller.export_evidence(camera_ids, start, end, destination, overlay)

    def evidence_dialog(self) -> DownloadJob | None:
        """The cameras of the timeline in view (the playing or selected one ticked), around the playhead."""
        row, moment = self.selected_row(), self.player.current_time()
        start, end = self._range_to_offer(row, moment)
        chosen = [c for c in (self._playing_camera, row.camera_id if row else None) if c]
        dialog = EvidenceDialog(self._cameras, chosen, start, end, self.download_folder, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        cameras, begin, finish, target, overlay = dialog.values()
        return self.export_evidence(cameras, begin, finish, target, overlay)

    def _range_to_offer(self, row: RecordingRow | None, moment: datetime | None) -> tuple[datetime, datetime]:
        """What an export dialog starts with: a minute each side of the playhead, else the selected recording,
        else the last five minutes."""
        if moment is not None:
            return moment - timedelta(minutes=1), moment + timedelta(minutes=1)
        if row is not None:
            return row.started_at, row.ended_at or utc_now()
        end = utc_now()
        return end - timedelta(minutes=5), end

    def export_dialog(self) -> DownloadJob | None:
        row, moment = self.selected_row(), self.player.current_time()
        start, end = self._range_to_offer(row, moment)
        camera = self._playing_camera if moment is not None else (row.camera_id if row else None)
        dialog = ExportDialog(self._cameras, camera, start, end, self.download_folder, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        camera_id, begin, finish, folder = dialog.values()
        return self.export_range(camera_id, begin, finish, folder)

    def bookmark_selected(self, name: str | None = None, note: str = "") -> asyncio.Task[None] | None:
        """Bookmark the selected recording's whole time range; without a `name`, ask for one (and a note)."""
        row = self.selected_row()
        if row is None:
            return None
        if name is None:
            what = self.tr("{camera}, {start} to {end}").format(
                camera=row.camera_name, start=f"{local_time(row.started_at):%Y-%m-%d %H:%M:%S}",
                end=f"{local_time(row.ended_at or utc_now()):%H:%M:%S}")  # fmt: skip
            dialog = BookmarkDialog(what, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            name, note = dialog.values()
        return self.controller.spawn(self._bookmark(row, name, note), self.tr("Not bookmarked"))

    async def _bookmark(self, row: RecordingRow, name: str, note: str) -> None:
        outcome = await self.controller.bookmark(name, [row.camera_id], row.started_at, row.ended_at or utc_now(), note)
        text = self.tr("Bookmarked “{0}”").format(outcome.bookmark.name)
        if outcome.held:
            text += " " + self.tr("(%n archived segment(s) under a legal hold)", "", outcome.held)
        self.show_message(text)
        self._update_actions()

    def share_selected(self, expires_in: int | None = None, whole_recording: bool | None = None) -> None:
        """Copy presigned link(s) to the clipboard: the part at the playhead, or the whole recording."""
        row = self.selected_row()
        clip = self.player.current_item()
        if row is None and clip is None:
            return
        if expires_in is None or whole_recording is None:
            what = row.camera_name if row else self.tr("this recording")
            dialog = ShareDialog(what, clip is not None, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            expires_in, whole_recording = dialog.seconds, dialog.whole_recording
        self.controller.spawn(self._share(row, clip if not whole_recording else None, expires_in),
                              self.tr("Sharing"))  # fmt: skip

    async def _share(self, row: RecordingRow | None, clip: object, expires_in: int) -> list[str]:
        from vidstream_desktop.recordings.controller import PlaybackItem

        if isinstance(clip, PlaybackItem):
            items = [clip]
        elif row is not None:
            items = await self.controller.recording_items(row.id)
        else:
            return []
        links = await self.controller.share_links(items, expires_in or DEFAULT_SHARE_SECONDS)
        QGuiApplication.clipboard().setText("\n".join(links))
        until = local_time(utc_now() + timedelta(seconds=expires_in))
        copied = self.tr("Link copied") if len(links) == 1 else self.tr("%n links copied", "", len(links))
        valid = f"{until:%Y-%m-%d %H:%M}"
        text = self.tr("{copied}, valid until {until}").format(copied=copied, until=valid)
        if any(link_is_local(link) for link in links):
            text += " " + self.tr("— it opens only on this machine: the archive listens on this computer alone "
                                  "(set [storage] public_endpoint_url for links others can open)")  # fmt: skip
        self.show_message(text)
        return links

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        blocker = self.controller.deletion_blocker(row)
        if blocker is not None:  # refused before asking; the controller audits the refusal
            self.controller.spawn(self.controller.delete_recording(row.id), self.tr("Not deleted"))
            return
        question = self.tr("Delete the recording of {camera} from {start}? It is removed from this disk and "
                           "from the archive, and cannot be brought back.").format(
            camera=row.camera_name, start=f"{local_time(row.started_at):%Y-%m-%d %H:%M:%S}")  # fmt: skip
        if not self.confirm(self.tr("Delete recording"), question):
            return
        if self._playing_recording == row.id:
            self.player.stop()
        self.controller.spawn(self.controller.delete_recording(row.id), self.tr("Not deleted"))

    def refresh_from_archive(self) -> None:
        self.archive_button.setEnabled(False)
        task = self.controller.spawn(self.controller.refresh_from_archive(), self.tr("Archive"))
        task.add_done_callback(lambda _t: self.archive_button.setEnabled(True))

    def show_message(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {COLORS['text_dim']}")
        self.message.setText(text)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {COLORS['red']}")
        self.message.setText(text)

    def shutdown(self) -> None:
        """Stop playback and background work (the window is closing); see `aclose` to wait for it."""
        self._timer.stop()
        self._follow.stop()
        self._live_rows.stop()
        self.player.shutdown()
        self.controller.spawn(self.aclose())

    async def aclose(self) -> None:
        """Stop playback, cancel downloads (their partial files stay for a resume) and background reads, and
        wait for all of it, the player's release included: after this the panel can be deleted and the
        catalog closed with nothing left to call back into either."""
        self._timer.stop()
        self._follow.stop()
        self._live_rows.stop()
        self.player.shutdown()
        await self.controller.shutdown()
        await self.timeline.aclose()
        await self.model.aclose()
        if not await asyncio.to_thread(wait_for_retired_players, PLAYER_RELEASE_TIMEOUT):
            log.warning("a video player was still stopping %.0f s after the recordings tab closed",
                        PLAYER_RELEASE_TIMEOUT)  # fmt: skip

    # ---- reactions ---------------------------------------------------------------------------------

    def _catalog_changed(self) -> None:
        self.refresh()

    def _follow_catalog(self) -> None:
        """The core recorded something (a recording started, a segment closed or was archived, a camera was
        added): re-read cameras, table and timelines, keeping the operator's selection."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the window is closing and its loop has stopped: nobody reads the tab any more
            return
        selected = self.selected_row()
        self._reselect = selected.id if selected is not None else None
        self.refresh()

    def _download_changed(self, job: DownloadJob) -> None:
        self.downloads.update_job(job)

    def _selection_changed(self) -> None:
        self._update_actions()
        row = self.selected_row()
        if row is not None and not self._restoring_selection:
            self.timeline.show_moment(row.started_at)

    def _update_actions(self) -> None:
        row = self.selected_row()
        for button in (self.play_button, self.download_button, self.share_button, self.delete_button,
                       self.bookmark_button):  # fmt: skip
            button.setEnabled(row is not None)
        if row is not None:
            blocker = self.controller.deletion_blocker(row)
            self.delete_button.setToolTip(blocker.message if blocker else self.tr("Delete this recording"))

    def _player_moved(self, moment: datetime) -> None:
        self.timeline.set_playhead(self._playing_camera, moment)

    def _page_loaded(self, rows: int) -> None:
        if self._reselect is not None and self.model.index_of(self._reselect).isValid():
            # The same row again after a re-read: the timeline stays where the operator left it.
            self._restoring_selection = True
            try:
                self.select_recording(self._reselect)
            finally:
                self._restoring_selection = False
            self._reselect = None
        if rows <= self.model.page_size:  # a new query: count what it matches (once, not per page)
            self.controller.spawn(self._show_count(self.model.query))

    async def _show_count(self, query: RecordingQuery) -> None:
        total = await self.controller.count(query)
        if query == self.model.query:
            self.count_label.setText(self.tr("1 recording") if total == 1 else self.tr("%Ln recordings", "", total))

    def _tick(self) -> None:
        window = self.timeline.time_window
        if self.isVisible() and window.day_start <= utc_now() < window.day_end and not self.timeline.is_loading:
            self.timeline.reload()

    def _scroll_timeline_to(self, camera_id: str) -> None:
        row = self.timeline.rows.get(camera_id)
        if row is not None:
            self.timeline.scroll_area.ensureWidgetVisible(row)

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction(icon("play"), self.tr("Play"), self.play_selected)
        menu.addAction(icon("download"), self.tr("Download…"), lambda: self.download_selected())
        menu.addAction(self.tr("Export range…"), lambda: self.export_dialog())
        menu.addAction(self.tr("Export evidence…"), lambda: self.evidence_dialog())
        menu.addAction(self.tr("Share link…"), lambda: self.share_selected())
        menu.addSeparator()
        menu.addAction(icon("remove"), self.tr("Delete…"), self.delete_selected)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def _choose_folder(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        chosen = QFileDialog.getExistingDirectory(self, self.tr("Save the recording in"), str(self.download_folder))
        return Path(chosen) if chosen else None

    def hideEvent(self, event: object) -> None:
        if self.player.state == "playing":
            self.player.pause()  # nobody watches a hidden tab
        super().hideEvent(event)  # type: ignore[arg-type]
