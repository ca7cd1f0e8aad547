"""Status bar widgets: MediaMTX, remote sites and archive health, cameras online, recordings, uploads, disk."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from video_streaming.core import Health

GREEN, AMBER, RED, DIM = "#30a46c", "#f5a524", "#e5484d", "#8b949e"


class StatusIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = "unknown"
        self.setContentsMargins(8, 0, 8, 0)

    def show_state(self, text: str, color: str, tooltip: str) -> None:
        self.level = {GREEN: "ok", AMBER: "warning", RED: "error"}.get(color, "unknown")
        self.setText(f"<span style='color:{color}'>●</span> {text}")
        self.setToolTip(tooltip)


class HealthBar(QObject):
    """Fills a QStatusBar with indicators and updates them from a core Health snapshot."""

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.mediamtx = StatusIndicator()
        self.archive = StatusIndicator()
        self.cameras = StatusIndicator()
        self.recordings = StatusIndicator()
        self.uploads = StatusIndicator()
        self.disk = StatusIndicator()
        self.sites = StatusIndicator()  # shown only on a workstation attached to remote sites
        self.sites.hide()
        self.degraded = StatusIndicator()  # shown only while a tile's picture is not current
        self.degraded.hide()
        indicators = (self.mediamtx, self.sites, self.archive, self.cameras, self.degraded, self.recordings,
                      self.uploads, self.disk)  # fmt: skip
        for widget in indicators:
            status_bar.addPermanentWidget(widget)
        self.mediamtx.show_state(self.tr("Media server"), DIM, self.tr("starting…"))
        self.archive.show_state(self.tr("Archive"), DIM, self.tr("starting…"))

    def update(self, health: Health) -> None:
        if health.mediamtx_ok:
            self.mediamtx.show_state(self.tr("Media server"), GREEN, self.tr("MediaMTX answers"))
        else:
            self.mediamtx.show_state(
                self.tr("Media server"),
                RED,
                self.tr("{0}\nLive view and recording need it: check that MediaMTX runs.").format(
                    health.mediamtx_error
                ),
            )
        if health.storage_ok:
            self.archive.show_state(self.tr("Archive"), GREEN, self.tr("Recordings are uploaded and verified"))
        else:
            self.archive.show_state(
                self.tr("Archive"),
                AMBER,
                self.tr("{0}\nRecordings stay on this disk and upload when it is back.").format(health.storage_error),
            )
        offline = health.cameras_total - health.cameras_online
        self.cameras.show_state(
            self.tr("Cameras {0}/{1}").format(health.cameras_online, health.cameras_total),
            GREEN if offline == 0 else AMBER,
            self.tr("All cameras send video") if offline == 0 else self.tr("{0} camera(s) offline").format(offline),
        )
        self.degraded.setVisible(health.tiles_degraded > 0)
        if health.tiles_degraded:
            self.degraded.show_state(
                self.tr("Degraded {0}").format(health.tiles_degraded),
                AMBER,
                self.tr("{0} tile(s) show a picture that is not current: pictures dropped or packets lost").format(
                    health.tiles_degraded),
            )  # fmt: skip
        self.recordings.show_state(
            self.tr("Recording {0}").format(health.recordings),
            RED if health.recordings else DIM,
            self.tr("Cameras being recorded now"),
        )
        self.uploads.show_state(
            self.tr("Upload queue {0}").format(health.upload_queue),
            GREEN if health.upload_queue < 5 else AMBER,
            self.tr("Closed segments waiting for upload to the archive"),
        )
        self.sites.setVisible(health.sites_total > 0)
        if health.sites_total:
            reachable = health.sites_total - len(health.site_errors)
            self.sites.show_state(
                self.tr("Sites {0}/{1}").format(reachable, health.sites_total),
                GREEN if not health.site_errors else AMBER,
                "\n".join(health.site_errors.values()) or self.tr("Every site's media server answers"),
            )
        free_gib = health.disk_free_bytes / 2**30
        self.disk.show_state(
            self.tr("Disk {0} GiB free").format(QLocale().toString(free_gib, "f", 1)),
            RED if health.disk_low else GREEN,
            self.tr("Recording stops before the disk fills; free space to resume")
            if health.disk_low
            else self.tr("Free space for recordings"),
        )
