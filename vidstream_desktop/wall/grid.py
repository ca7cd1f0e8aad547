"""The wall: tiles in a grid layout that can change shape without dropping a single stream."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import wait_for_retired_players


@dataclass(frozen=True)
class GridLayoutSpec:
    """An n x n grid whose top-left `big` x `big` cells are merged into one tile."""

    name: str
    size: int
    big: int = 1

    @property
    def tile_count(self) -> int:
        return self.size * self.size - self.big * self.big + 1

    def cells(self) -> list[tuple[int, int, int]]:
        """(row, column, span) of each tile in order: the big tile first, then row by row."""
        cells = [(0, 0, self.big)]
        for row in range(self.size):
            for column in range(self.size):
                if (row, column) == (0, 0) or (row < self.big and column < self.big):
                    continue
                cells.append((row, column, 1))
        return cells


LAYOUT_SPECS: dict[str, GridLayoutSpec] = {
    spec.name: spec
    for spec in (
        GridLayoutSpec("1x1", 1),
        GridLayoutSpec("2x2", 2),
        GridLayoutSpec("3x3", 3),
        GridLayoutSpec("4x4", 4),
        GridLayoutSpec("5x5", 5),
        GridLayoutSpec("1+5", 3, big=2),
        GridLayoutSpec("1+7", 4, big=3),
    )
}
LAYOUTS: frozenset[str] = frozenset(LAYOUT_SPECS)
LAYOUT_ORDER: tuple[str, ...] = ("1x1", "2x2", "3x3", "4x4", "5x5", "1+5", "1+7")
# The icon in resources/icons for each layout, for the toolbar that switches them.
LAYOUT_ICONS: dict[str, str] = {name: "layout-" + name.replace("+", "p") for name in LAYOUT_ORDER}


class CameraGrid(QWidget):
    layout_changed = Signal(str)
    maximized_changed = Signal(object)  # the maximised VideoTile, or None when back to the wall
    camera_dropped_on_tile = Signal(int, str)  # tile index, camera id
    record_clicked = Signal(int)
    tile_state_changed = Signal()  # some tile went live, stalled, offline...
    snapshot_clicked = Signal(int)
    tamper_acknowledged = Signal(str)  # camera id
    replay_clicked = Signal(object)  # the VideoTile whose replay button was clicked
    zoom_changed = Signal()  # a tile zoomed in or back out (digital zoom): it wants its main stream meanwhile

    SPACING = 2

    def __init__(self, parent: QWidget | None = None, layout_name: str = "2x2") -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), Qt.GlobalColor.black)
        self.setPalette(palette)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(self.SPACING, self.SPACING, self.SPACING, self.SPACING)
        self._grid.setSpacing(self.SPACING)
        self._all_tiles: list[VideoTile] = []
        self._spec = LAYOUT_SPECS[layout_name]
        self._maximized: VideoTile | None = None
        self._apply()
        # No aboutToQuit hook: under qasync every run_until_complete ends a QApplication.exec(), which
        # emits aboutToQuit; the app calls stop_all() itself on shutdown instead.

    # ----------------------------------------------------------------------------------------------
    # Queries

    @property
    def layout_name(self) -> str:
        return self._spec.name

    @property
    def maximized_tile(self) -> VideoTile | None:
        return self._maximized

    def tiles(self) -> list[VideoTile]:
        """The tiles of the current layout, in order (while one is maximised the others stay live)."""
        return self._all_tiles[: self._spec.tile_count]

    def all_tiles(self) -> list[VideoTile]:
        """Every tile ever created, including those a smaller layout has put aside."""
        return list(self._all_tiles)

    def tile_at(self, index: int) -> VideoTile:
        return self.tiles()[index]

    def index_of(self, tile: VideoTile) -> int:
        return self._all_tiles.index(tile)

    def first_empty_tile(self) -> VideoTile | None:
        return next((tile for tile in self.tiles() if tile.is_empty), None)

    # ----------------------------------------------------------------------------------------------
    # Commands

    def set_layout(self, name: str) -> None:
        if name not in LAYOUT_SPECS:
            raise ValueError(f"unknown layout {name!r}; known: {', '.join(LAYOUT_ORDER)}")
        if name == self._spec.name and self._maximized is None:
            return
        self._spec = LAYOUT_SPECS[name]
        self._maximized = None
        self._apply()
        self.layout_changed.emit(name)

    def stop_all(self, wait_s: float = 3.0) -> bool:
        """Stop every stream (assignments are kept) and wait for libvlc to let go of them. Called when the
        application quits: players still running when the process exits take libsrt down with them."""
        if self._maximized is not None:
            # Back to the wall first: tearing down while a tile is maximised left native video windows
            # behind that crashed a later event loop (seen in the GUI tests).
            self._maximized = None
            self._apply()
        relays = [tile.player.relay for tile in self._all_tiles if tile.player.relay is not None]
        for tile in self._all_tiles:
            tile.suspend()
        players_gone = wait_for_retired_players(wait_s)
        return all(relay.wait_closed(wait_s) for relay in relays) and players_gone

    def toggle_maximize(self, tile: VideoTile) -> None:
        if tile not in self.tiles():
            return
        self._maximized = None if self._maximized is tile else tile
        self._apply()
        self.maximized_changed.emit(self._maximized)

    # ----------------------------------------------------------------------------------------------

    def _ensure_tiles(self, count: int) -> None:
        while len(self._all_tiles) < count:
            self._all_tiles.append(self._new_tile())

    def _new_tile(self) -> VideoTile:
        tile = VideoTile(self)
        tile.hide()
        # Signals carry the tile, not an index fixed now: the index is looked up when they fire.
        tile.double_clicked.connect(lambda: self.toggle_maximize(tile))
        tile.maximize_clicked.connect(lambda: self.toggle_maximize(tile))
        tile.camera_dropped.connect(lambda camera_id: self.camera_dropped_on_tile.emit(self.index_of(tile), camera_id))
        tile.record_clicked.connect(lambda: self.record_clicked.emit(self.index_of(tile)))
        tile.snapshot_clicked.connect(lambda: self.snapshot_clicked.emit(self.index_of(tile)))
        tile.tamper_acknowledged.connect(self.tamper_acknowledged)
        tile.zoom_changed.connect(lambda _zoomed: self.zoom_changed.emit())
        tile.replay_clicked.connect(lambda: self.replay_clicked.emit(tile))
        tile.player.state_changed.connect(lambda _state, _detail: self.tile_state_changed.emit())
        return tile

    def _apply(self) -> None:
        spec = self._spec
        self._ensure_tiles(spec.tile_count)
        for tile in self._all_tiles:
            self._grid.removeWidget(tile)
        for index in range(max(self._grid.rowCount(), self._grid.columnCount())):
            self._grid.setRowStretch(index, 0)
            self._grid.setColumnStretch(index, 0)

        shown = self.tiles()
        if self._maximized is not None:
            self._grid.addWidget(self._maximized, 0, 0)
            self._grid.setRowStretch(0, 1)
            self._grid.setColumnStretch(0, 1)
        else:
            for tile, (row, column, span) in zip(shown, spec.cells(), strict=True):
                self._grid.addWidget(tile, row, column, span, span)
            for index in range(spec.size):
                self._grid.setRowStretch(index, 1)
                self._grid.setColumnStretch(index, 1)

        for tile in self._all_tiles:
            in_layout = tile in shown
            tile.in_layout = in_layout
            visible = in_layout and (self._maximized is None or tile is self._maximized)
            if not in_layout:
                tile.suspend(warm=True)  # out of the layout: decoding stops after WARM_S; the camera stays assigned
            tile.setVisible(visible)
            if in_layout:
                tile.resume()
