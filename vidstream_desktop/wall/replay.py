"""Instant replay in a live tile: the camera's last 30 seconds from this machine's own footage (the segment
being written included), played where its live picture was, with the recordings player's controls (pause,
seek, speed, frame steps, digital zoom); back to live at the end of the footage, on "Back to live" or on
Ctrl+I again. A camera that is not being recorded has no footage to replay: the operator is told so."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import NotFound
from video_streaming.replay import FootagePart
from vidstream_desktop.recordings.controller import PlaybackItem
from vidstream_desktop.recordings.player import PlayerPanel
from vidstream_desktop.wall.tile import VideoTile

REPLAY_SECONDS = 30.0
Spawn = Callable[[Coroutine[Any, Any, Any]], Any]


def playback_items(parts: list[FootagePart]) -> list[PlaybackItem]:
    return [PlaybackItem(index, "replay", part.start, part.duration, str(part.path), "", False)
            for index, part in enumerate(parts)]  # fmt: skip


def start_point(items: list[PlaybackItem], since: datetime) -> tuple[int, float]:
    """The item holding `since` and the offset into it (the first item's start if it began later)."""
    for index, item in enumerate(items):
        if since < item.end:
            return index, max((since - item.start).total_seconds(), 0.0)
    return len(items) - 1, 0.0


async def _local_only(item: PlaybackItem, prefer_archive: bool) -> str:
    if not item.local_path:
        raise NotFound("this footage is not on this machine")
    return item.local_path


class ReplayView(QWidget):
    """What a replaying tile shows: a header with the way back to live, over the recordings player."""

    back_requested = Signal()

    def __init__(self, camera_name: str, since: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayView")
        self.header = QLabel(self.tr("Replay of {0} from {1}").format(camera_name, f"{since.astimezone():%H:%M:%S}"))
        self.header.setObjectName("replayHeader")
        self.live_button = QPushButton(self.tr("Back to live"), self)
        self.live_button.setObjectName("replayBackToLive")
        self.live_button.clicked.connect(self.back_requested)
        self.player = PlayerPanel(_local_only, self)
        self.player.title.hide()  # the header says what this is
        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 2, 2)
        top.addWidget(self.header, 1)
        top.addWidget(self.live_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.player, 1)


class InstantReplay(QObject):
    message = Signal(str)

    def __init__(self, core: VidStreamCore, spawn: Spawn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self._spawn = spawn
        self._watched: set[int] = set()  # tiles whose in-place widget this disposes of

    def toggle(self, tile: VideoTile) -> None:
        if isinstance(tile.in_place, ReplayView):
            tile.back_to_live()
        elif tile.camera_id:
            self._spawn(self.start(tile))

    async def start(self, tile: VideoTile, seconds: float = REPLAY_SECONDS) -> bool:
        """Replay the tile's camera from `seconds` ago. False (and a message) when there is nothing to replay."""
        camera_id, name = tile.camera_id, tile.camera_name
        parts = await self.core.recent_footage(camera_id, seconds)
        if tile.camera_id != camera_id:
            return False  # the tile was given another camera meanwhile
        if not parts:
            self.message.emit(self.tr("{0}: nothing of the last {1} s is on this machine (it is not being recorded); "
                                      "record it to replay it").format(name, f"{seconds:.0f}"))  # fmt: skip
            return False
        since = datetime.now(UTC) - timedelta(seconds=seconds)
        items = playback_items(parts)
        index, offset = start_point(items, since)
        view = ReplayView(name, max(since, items[0].start))
        view.back_requested.connect(tile.back_to_live)
        view.player.state_changed.connect(lambda state: tile.back_to_live() if state == "ended" else None)
        if id(tile) not in self._watched:
            self._watched.add(id(tile))
            tile.in_place_closed.connect(self._dispose)
        tile.show_in_place(view, self.tr("REPLAY"), self.tr("Replaying the last {0} s; back to live at the end")
                           .format(f"{seconds:.0f}"))  # fmt: skip
        view.player.load(items, name, index, offset)
        return True

    def _dispose(self, widget: QWidget) -> None:
        if isinstance(widget, ReplayView):
            widget.player.shutdown()
            widget.deleteLater()
