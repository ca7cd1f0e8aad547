"""The main window: the live wall, the camera list, recordings, and health in the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from video_streaming.bootstrap import build_onvif_service
from video_streaming.config import data_dir
from video_streaming.core import Health, VidStreamCore
from video_streaming.domain.camera import Camera
from video_streaming.domain.errors import VidStreamError
from vidstream_desktop.alerts import AlertsList, ElidedLabel
from vidstream_desktop.bookmarks_panel import BookmarkControls, dock_bookmarks
from vidstream_desktop.camera_dialog import CameraDialog, CameraForm
from vidstream_desktop.control_room import ControlRoom
from vidstream_desktop.controllers.wall_controller import WallController
from vidstream_desktop.help_dialog import HelpDialog
from vidstream_desktop.motion_wiring import MotionControls
from vidstream_desktop.resources import icon
from vidstream_desktop.status_panel import AMBER, RED, HealthBar
from vidstream_desktop.wall.camera_list import CameraListWidget
from vidstream_desktop.wall.grid import LAYOUT_ICONS, LAYOUT_ORDER, CameraGrid
from vidstream_desktop.wall.keyboard import WallKeyboard
from vidstream_desktop.wall.ptz import PtzBinding
from vidstream_desktop.wall.tile import VideoTile
from vidstream_desktop.wall.vlc_backend import Transport, detect_transports, shared_relays

if TYPE_CHECKING:  # imported at run time only where the browser is attached: a broken install keeps the wall
    from vidstream_desktop.recordings import RecordingsPanel

log = logging.getLogger(__name__)


def default_log_file(folder: Path | None = None) -> Path:
    """The desktop app's rotating log, in the data folder (beside the catalog)."""
    return (folder or data_dir()) / "logs" / "vidstream-desktop.log"


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("VidStream")
        self.resize(1400, 860)
        self.core: VidStreamCore | None = None
        self.wall: WallController | None = None
        self.transports: list[Transport] = detect_transports()
        self.grid = CameraGrid(layout_name="2x2")
        self.camera_list = CameraListWidget()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.grid, icon("camera"), self.tr("Live"))
        self.recordings_panel: RecordingsPanel | None = None  # None: the browser failed to import
        self.setCentralWidget(self.tabs)
        dock = QDockWidget(self.tr("Cameras"), self)
        dock.setObjectName("camerasDock")
        dock.setWidget(self.camera_list)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.cameras_dock = dock
        # Names such as "Warehouse · Loading dock" must stay readable however the wall is laid out.
        self.camera_list.setMinimumWidth(250)  # room for the tabs below it: "Cameras", "Events", "Bookmarks"
        self.resizeDocks([dock], [260], Qt.Orientation.Horizontal)
        self.health_bar = HealthBar(self.statusBar())
        self.alert_label = ElidedLabel()
        self.alert_label.setObjectName("alertLine")
        self._alert_shown = ""
        self.statusBar().addWidget(self.alert_label, 1)
        # A temporary message is drawn over the status bar's normal widgets, not instead of them: without
        # this, "Starting the media server…" and an alert overlapped, both unreadable.
        self.statusBar().messageChanged.connect(lambda message: self.alert_label.setVisible(not message))
        self.alerts = AlertsList()
        self.alerts_dock = QDockWidget(self.tr("Alerts"), self)
        self.alerts_dock.setObjectName("alertsDock")
        self.alerts_dock.setWidget(self.alerts)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alerts_dock)
        self.alerts_dock.hide()
        self.alerts_button = QToolButton()
        self.alerts_button.setObjectName("alertsButton")
        self.alerts_button.setAutoRaise(True)
        self.alerts_button.setToolTip(self.tr("Every warning and error since the start (Ctrl+L)"))
        self.alerts_button.clicked.connect(self.toggle_alerts)
        self.alerts.count_changed.connect(self._show_alert_count)
        self._show_alert_count(0)
        self.statusBar().addPermanentWidget(self.alerts_button)
        self.actions_by_name: dict[str, QAction] = {}
        self.motion: MotionControls | None = None  # made once a core is attached
        self.bookmarks: BookmarkControls | None = None  # the same
        self.control_room = ControlRoom(self)
        self.tours, self.ptz, self.monitors = self.control_room.tours, self.control_room.ptz, self.control_room.monitors
        self._hidden_for_full_screen: list[tuple[QWidget, bool]] = []
        self.log_file = default_log_file()
        self._build_toolbar()
        self.grid.layout_changed.connect(self._sync_layout_buttons)
        self._sync_layout_buttons(self.grid.layout_name)
        self.keyboard = WallKeyboard(self.grid, self.camera_list.camera_ids, self)
        self.keyboard.entry_changed.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.keyboard.camera_requested.connect(self._show_camera_in_tile)
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)  # type: ignore[arg-type]
        self.statusBar().showMessage(self.tr("Starting the media server and cameras…"))

    # ---- toolbar and shortcuts ---------------------------------------------------------------------

    def _action(self, name: str, text: str, icon_name: str, slot: Callable[[], Any], shortcut: str = "") -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{text} ({shortcut})")
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work in full screen, with the toolbar hidden
        self.actions_by_name[name] = action
        return action

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Wall"))
        toolbar.setObjectName("wallToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        for number, name in enumerate(LAYOUT_ORDER, start=1):
            action = self._action(f"layout:{name}", self.tr("Layout {0}").format(name), LAYOUT_ICONS[name],
                                  self._layout_setter(name), f"Alt+{number}")  # fmt: skip
            action.setCheckable(True)
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self._action("record_all", self.tr("Record all"), "record", self._record_all, "Ctrl+R"))
        toolbar.addAction(
            self._action("stop_all", self.tr("Stop all recordings"), "stop", self._stop_all, "Ctrl+Shift+R")
        )
        toolbar.addSeparator()
        toolbar.addAction(self._action("add_camera", self.tr("Add camera"), "add", self.add_camera, "Ctrl+N"))
        toolbar.addAction(self._action("edit_camera", self.tr("Edit camera"), "edit", self.edit_camera, "Ctrl+E"))
        toolbar.addAction(self._action("remove_camera", self.tr("Remove camera"), "remove", self.remove_camera, "Del"))
        toolbar.addSeparator()
        toolbar.addAction(
            self._action("save_layout", self.tr("Save layout as…"), "layout-2x2", self.save_layout, "Ctrl+S")
        )
        toolbar.addAction(
            self._action("load_layout", self.tr("Open saved layout…"), "layout-3x3", self.load_layout, "Ctrl+O")
        )
        toolbar.addAction(
            self._action("fullscreen", self.tr("Full screen"), "fullscreen", self.toggle_full_screen, "F11")
        )
        self.control_room.add_actions()
        toolbar.addAction(self._action("help", self.tr("Keyboard shortcuts"), "help", self.show_help, "F1"))
        self._action("alerts", self.tr("Show or hide the alerts"), "help", self.toggle_alerts, "Ctrl+L")
        self._action("leave", self.tr("Leave full screen / maximised tile"), "fullscreen", self._escape, "Esc")

    def _layout_setter(self, name: str) -> Callable[[], None]:
        def set_layout() -> None:
            self.grid.set_layout(name)

        return set_layout

    def shortcuts(self) -> list[tuple[str, str]]:
        rows = [
            (a.shortcut().toString(), a.text()) for a in self.actions_by_name.values() if not a.shortcut().isEmpty()
        ]
        rows.append((self.tr("Double-click a tile"), self.tr("Maximise it / back to the wall")))
        rows.append((self.tr("Drag a camera onto a tile"), self.tr("Show that camera there")))
        rows.append((self.tr("Camera number, Enter"), self.tr("Show that camera in the focused tile")))
        rows.append((self.tr("Arrow keys, click"), self.tr("Move the focus between tiles")))
        rows.append((self.tr("Backspace / Esc"), self.tr("Correct / forget the typed number")))
        rows.append((self.tr("Drag / wheel in a PTZ camera's tile"), self.tr("Pan and tilt / zoom")))
        rows.append((self.tr("Arrow keys, held (maximised PTZ tile)"), self.tr("Pan and tilt")))
        rows.append((self.tr("Wheel / drag in a picture (Ctrl on a PTZ tile)"),
                     self.tr("Digital zoom / move the zoomed view")))  # fmt: skip
        return rows

    def _show_camera_in(self, tile: VideoTile, camera_id: str) -> None:
        if self.wall is not None:
            self._spawn(self.wall.show_camera(tile, camera_id))

    def _show_camera_in_tile(self, index: int, camera_id: str) -> None:
        if self.wall is not None:
            self._spawn(self.wall.show_camera(self.grid.tile_at(index), camera_id))

    def _sync_layout_buttons(self, current: str) -> None:
        for name in LAYOUT_ORDER:
            self.actions_by_name[f"layout:{name}"].setChecked(name == current)

    def toggle_full_screen(self) -> None:
        """Full screen is the wall alone: no toolbar, camera list, tabs, alerts or status bar (F11 or Esc
        brings them back as they were)."""
        if self.isFullScreen():
            self.showNormal()
            for widget, shown in self._hidden_for_full_screen:
                widget.setVisible(shown)
            self.tabs.tabBar().show()
            self._hidden_for_full_screen = []
        else:
            self.tabs.setCurrentWidget(self.grid)
            chrome = [*self.findChildren(QToolBar), *self.findChildren(QDockWidget), self.statusBar()]
            self._hidden_for_full_screen = [(widget, widget.isVisible()) for widget in chrome]
            for widget in chrome:
                widget.hide()
            self.tabs.tabBar().hide()
            self.showFullScreen()

    def log_folder(self) -> Path:
        return self.log_file.parent

    def open_log_folder(self) -> None:
        """Where the full text of every alert is (for support): the data folder's logs."""
        self.log_folder().mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_folder())))

    def _escape(self) -> None:
        if self.grid.maximized_tile is not None:
            self.grid.toggle_maximize(self.grid.maximized_tile)
        elif self.isFullScreen():
            self.toggle_full_screen()

    def show_help(self) -> None:
        HelpDialog(self.shortcuts(), self, open_log_folder=self.open_log_folder).exec()

    # ---- core ----------------------------------------------------------------------------------------

    def attach_core(self, core: VidStreamCore) -> WallController:
        self.core = core
        shared_relays().set_rtmp_route(core.live_rtmp_route)  # before the first tile opens a relay
        self.wall = WallController(core, self.grid, self.camera_list, self.transports, self.settings, self)
        self.wall.health_changed.connect(self._on_health)
        self.wall.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.wall.alert.connect(self.show_alert)
        self.statusBar().clearMessage()
        self._attach_recordings(core)
        self.monitors.window_opened.connect(self.wall.add_grid)
        self.monitors.restore([str(camera.id) for camera in core.cameras()])
        self.motion = MotionControls(self, core, self.wall)
        self.bookmarks = dock_bookmarks(self, core)
        return self.wall

    def play_recorded(self, camera_id: str, moment: datetime) -> None:
        """The recordings browser plays `camera_id` from `moment` (an event's, a bookmark's)."""
        panel = self.recordings_panel
        if panel is not None:
            self.tabs.setCurrentWidget(panel)
            panel.play_at(camera_id, moment)

    def _attach_recordings(self, core: VidStreamCore) -> None:
        try:
            from vidstream_desktop.recordings import RecordingsPanel
        except ImportError as error:  # a broken install must still show the live wall
            log.error("recordings browser unavailable: %s", error)
            return
        self.recordings_panel = RecordingsPanel(core, self)
        self.tabs.addTab(self.recordings_panel, icon("play"), self.tr("Recordings"))

    def _on_health(self, health: Health) -> None:
        self.health_bar.update(health)

    def show_alert(self, level: str, text: str) -> None:
        """The status line shows the latest (cut to its width); the alerts list keeps every one, and opens
        by itself for an error so that it cannot be missed."""
        # The log keeps each alert's whole text (the core's own alerts are logged where they are raised).
        log.log(logging.ERROR if level == "error" else logging.WARNING, "alert: %s", text)
        color = {"error": RED, "warning": AMBER}.get(level, "#8b949e")
        self.alert_label.setStyleSheet(f"color: {color}")
        self.alert_label.set_full_text(text)
        self._alert_shown = text
        self.statusBar().clearMessage()  # the alert is news; a message still up (e.g. "Starting…") is not
        self.alerts.add(level, text)
        if level == "error":
            self.alerts_dock.show()
        if self.alerts_dock.isVisible():
            self.alerts.mark_read()
        # With a context object: the timer dies with the window instead of calling into a deleted one.
        QTimer.singleShot(15000, self, lambda: self._clear_alert_if_still(text))

    def _clear_alert_if_still(self, text: str) -> None:
        if self._alert_shown == text:
            self.alert_label.set_full_text("")

    def toggle_alerts(self) -> None:
        self.alerts_dock.setVisible(not self.alerts_dock.isVisible())
        if self.alerts_dock.isVisible():
            self.alerts.mark_read()

    def _show_alert_count(self, unread: int) -> None:
        self.alerts_button.setText(self.tr("Alerts ({0})").format(unread) if unread else self.tr("Alerts"))
        self.alerts_button.setStyleSheet(f"color: {RED}" if unread else "")

    def _spawn(self, coroutine: Any) -> None:
        if self.wall is not None:
            self.wall._spawn(coroutine)

    def _record_all(self) -> None:
        if self.wall:
            self._spawn(self.wall.record_all())

    def _stop_all(self) -> None:
        if self.wall:
            self._spawn(self.wall.stop_all())

    # ---- cameras -------------------------------------------------------------------------------------

    async def probe_camera(self, url: str, username: str, password: str) -> str:
        """Provision the camera on MediaMTX for a moment and report what it sends."""
        if self.core is None:
            raise VidStreamError("the media server is still starting")
        return await self.core.probe_camera(url, username=username, password=password)

    def _dialog(self, initial: CameraForm | None, camera_id: str | None = None) -> CameraDialog:
        onvif = build_onvif_service() if initial is None else None
        motion = self.motion.dialog_page(camera_id) if self.motion is not None else None
        return CameraDialog(self.probe_camera, [t.value for t in self.transports], initial, self, onvif=onvif,
                            motion=motion)  # fmt: skip

    def add_camera(self) -> None:
        if self.core is None or self.wall is None:
            return
        dialog = self._dialog(None)
        if dialog.exec() != CameraDialog.DialogCode.Accepted:
            return
        form = dialog.form()
        url, username, password = dialog.source()
        result = self.core.add_camera(form.name, url, username=username, password=password,
                                      sub_stream_url=form.sub_stream_url or None,
                                      retention_days=form.retention_days)  # fmt: skip
        if result.is_failure:
            QMessageBox.warning(self, self.tr("Camera not added"), str(result.error))
            return
        camera_id = str(result.value.id)
        self._spawn(self.core.set_up_camera(camera_id, form.recording_mode, form.motion))
        streams = dialog.onvif_streams
        if streams is not None and streams.ptz_profile is not None:
            self.ptz.bindings.save(camera_id, PtzBinding(str(streams.device.address), streams.ptz_profile.token))
        if form.transport:
            self.wall.set_transport(camera_id, form.transport)
        self.wall.reload_camera_list()
        tile = self.grid.first_empty_tile()
        if tile is not None:
            self._spawn(self.wall.show_camera(tile, camera_id))

    def selected_camera(self) -> Camera | None:
        camera_id = self.camera_list.selected_camera_id()
        return self.core.catalog.camera(camera_id) if self.core and camera_id else None

    def edit_camera(self) -> None:
        camera = self.selected_camera()
        if camera is None or self.core is None or self.wall is None:
            return
        if camera.site:  # its recorder owns it; a local edit would be overwritten at the next directory read
            QMessageBox.information(self, self.tr("Edit camera"),
                                    self.tr("{0} belongs to site {1}: change it on that site's recorder.")
                                    .format(camera.name, self.core.site_name(camera)))  # fmt: skip
            return
        initial = CameraForm(camera.name, camera.source.url, camera.source.username, None,
                             camera.sub_stream.url if camera.sub_stream else "", camera.retention.days,
                             str(self.settings.value(f"cameras/{camera.id}/transport", "") or ""),
                             camera.recording_mode)  # fmt: skip
        dialog = self._dialog(initial, str(camera.id))
        if dialog.exec() != CameraDialog.DialogCode.Accepted:
            return
        form = dialog.form()
        result = self.core.edit_camera(
            str(camera.id), name=form.name, url=form.url, username=form.username, password=form.password,
            sub_stream_url=form.sub_stream_url, retention_days=form.retention_days, recording_mode=form.recording_mode,
        )
        if result.is_failure:
            QMessageBox.warning(self, self.tr("Camera not changed"), str(result.error))
            return
        if self.motion is not None:
            self.motion.apply(str(camera.id), form.motion, restart=False)  # the camera restarts below
        self.wall.set_transport(str(camera.id), form.transport)
        self.wall.reload_camera_list()
        self._spawn(self._restart_camera(str(camera.id)))

    async def _restart_camera(self, camera_id: str) -> None:
        if self.core is None or self.wall is None:
            return
        await self.core.restart_camera(camera_id)
        for tile in self.wall.tiles_showing(camera_id):  # the tiles play its new streams
            await self.wall.show_camera(tile, camera_id)

    def remove_camera(self) -> None:
        camera = self.selected_camera()
        if camera is None or self.core is None or self.wall is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove camera"),
            self.tr("Remove {0}? Its recordings stay in the archive until their retention ends.").format(camera.name),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        for tile in self.wall.tiles_showing(str(camera.id)):
            tile.clear()
        self.ptz.forget(str(camera.id))
        self._spawn(self._remove(str(camera.id)))

    async def _remove(self, camera_id: str) -> None:
        if self.core is not None and self.wall is not None:
            await self.core.remove_camera(camera_id)
            self.wall.reload_camera_list()

    # ---- layouts -------------------------------------------------------------------------------------

    def save_layout(self) -> None:
        if self.wall is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Save layout"), self.tr("Name of this layout:"))
        if ok and name.strip():
            self.wall.save_named_layout(name.strip().replace("/", "-"))

    def load_layout(self) -> None:
        if self.wall is None:
            return
        names = self.wall.named_layouts()
        if not names:
            self.statusBar().showMessage(self.tr("No saved layouts yet (Ctrl+S saves one)"), 5000)
            return
        name, ok = QInputDialog.getItem(self, self.tr("Open layout"), self.tr("Layout:"), names, 0, False)
        if ok:
            self._spawn(self.wall.restore_named_layout(name))

    # ---- closing -------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.monitors.shut_all()
        shared_relays().set_rtmp_route(None)  # the core's server goes with this window
        if self.bookmarks is not None:
            self.bookmarks.close()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        super().closeEvent(event)
